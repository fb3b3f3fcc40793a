/* pidns_init_signals.c MODE: the init (pid 1) of a new pid namespace, as a container's init is,
 * sent signals whose action is the default while it sleeps: the kernel drops them (Linux
 * kernel/signal.c sig_task_ignored: SIGNAL_UNKILLABLE and SIG_DFL), so its sleep is not cut short
 * and it prints nothing; nor is its read of a pipe. MODE fork: the child of unshare(CLONE_NEWPID) + fork is pid 1; MODE exec:
 * that child execs this program again (mode child), whose start finds itself pid 1; MODE clone:
 * the child of glibc's clone(CLONE_NEWPID | SIGCHLD), which runs a function of the program. The parent
 * sends the termination signals, then the crash signals; the child also signals itself. t450 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ready_fd = -1, go_fd = -1;

static void nap(const char *what, long ms)
{
	struct timespec t = {ms / 1000, ms % 1000 * 1000000L}, rem = {0, 0};
	if (ready_fd >= 0)
		write(ready_fd, "r", 1);
	int r = nanosleep(&t, &rem);
	printf("%s: nanosleep %d%s%s\n", what, r, r ? " " : "", r ? strerror(errno) : "");
}

static int child(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid %d\n", getpid());
	nap("termination signals", 1500);
	/* the crash signals while it reads a pipe: the parent writes once it has sent them */
	char x;
	write(ready_fd, "r", 1);
	ssize_t n = read(go_fd, &x, 1);
	printf("crash signals: read %zd%s%s\n", n, n < 0 ? " " : "", n < 0 ? strerror(errno) : "");
	int self[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGABRT, SIGSEGV, SIGBUS};
	for (unsigned i = 0; i < sizeof self / sizeof *self; i++)
		kill(1, self[i]);
	printf("signalled itself: alive\n");
	struct sigaction a;
	sigaction(SIGTERM, NULL, &a);
	printf("SIGTERM reads %s flags %#x\n", a.sa_handler == SIG_DFL ? "SIG_DFL" : "other", a.sa_flags);
	return 0;
}

static int clone_child(void *a)
{
	(void)a;
	return child();
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child")) {
		ready_fd = atoi(argv[2]);
		go_fd = atoi(argv[3]);
		return child();
	}
	int by_clone = argc > 1 && !strcmp(argv[1], "clone");
	if (!by_clone && unshare(CLONE_NEWPID) != 0) {
		printf("unshare: %s\n", strerror(errno));
		return 77;
	}
	int p[2], g[2];
	if (pipe(p) != 0 || pipe(g) != 0)
		return 2;
	pid_t c;
	if (by_clone) {
		static char stack[256 * 1024] __attribute__((aligned(16)));
		ready_fd = p[1];
		go_fd = g[0];
		c = clone(clone_child, stack + sizeof stack, CLONE_NEWPID | SIGCHLD, NULL);
		if (c < 0) {
			printf("clone: %s\n", strerror(errno));
			return 77;
		}
	} else if ((c = fork()) == 0) {
		close(p[0]);
		close(g[1]);
		if (argc > 1 && !strcmp(argv[1], "exec")) {
			char fd[16], gfd[16];
			snprintf(fd, sizeof fd, "%d", p[1]);
			snprintf(gfd, sizeof gfd, "%d", g[0]);
			execl("/proc/self/exe", argv[0], "child", fd, gfd, (char *)0);
			_exit(127);
		}
		ready_fd = p[1];
		go_fd = g[0];
		_exit(child());
	}
	close(p[1]);
	close(g[0]);
	char x;
	int term[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE};
	int crash[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
	read(p[0], &x, 1);
	usleep(100000);
	for (unsigned i = 0; i < sizeof term / sizeof *term; i++)
		kill(c, term[i]);
	read(p[0], &x, 1);
	usleep(100000);
	for (unsigned i = 0; i < sizeof crash / sizeof *crash; i++)
		kill(c, crash[i]);
	usleep(100000);
	write(g[1], "g", 1);
	int st;
	waitpid(c, &st, 0);
	if (WIFEXITED(st))
		printf("init exit %d\n", WEXITSTATUS(st));
	else
		printf("init killed by signal %d\n", WTERMSIG(st));
	return 0;
}
