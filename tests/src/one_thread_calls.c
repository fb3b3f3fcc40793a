/* one_thread_calls.c - a single-threaded program whose teardown makes a call Linux refuses in a
 * process of more than one thread (t364; kernel/fork.c check_unshare_flags, fs/namespace.c
 * mntns_install). Its atexit handler, by mode:
 *   unshare     unshare(CLONE_NEWUSER)
 *   rawunshare  the same through syscall(SYS_unshare, CLONE_NEWUSER)
 *   setns       setns() into its own mount namespace (/proc/self/ns/mnt, CLONE_NEWNS)
 *   sleep MS    unshare(CLONE_NEWUSER), then a sleep of MS ms (a teardown that goes on after it)
 * prints the call's result (and, with a third argument, the threads /proc/self/stat counts, its
 * 20th field, before the call: the watchdog's thread is one of them); exit status 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *mode;
static int ms, count;

static int threads(void)
{
	char buf[1024], *p;
	int fd = open("/proc/self/stat", O_RDONLY), n, field = 1;
	if (fd < 0)
		return -1;
	n = (int)read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strrchr(buf, ')'); /* (the command name may hold spaces) */
	for (field = 2; p && *p && field < 20; p++)
		if (*p == ' ')
			field++;
	return p ? atoi(p) : -1;
}

static void at_exit(void)
{
	int r, before = threads();
	if (!strcmp(mode, "rawunshare")) {
		r = (int)syscall(SYS_unshare, CLONE_NEWUSER);
	} else if (!strcmp(mode, "setns")) {
		int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
		r = setns(fd, CLONE_NEWNS);
		close(fd);
	} else {
		r = unshare(CLONE_NEWUSER);
	}
	printf("%s: %s\n", mode, r ? strerror(errno) : "ok");
	if (count)
		printf("threads before: %d\n", before);
	if (ms) {
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		printf("slept %d ms\n", ms);
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	mode = argc > 1 ? argv[1] : "unshare";
	ms = argc > 2 ? atoi(argv[2]) : 0;
	count = argc > 3;
	atexit(at_exit);
	return 0;
}
