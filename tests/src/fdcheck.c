/* fdcheck.c - what a daemon does with its descriptors: closes 0-2, reopens them from /dev/null
 * (expecting 0, 1, 2), creates a thread_local-free teardown (atexit, a thread), and reports into
 * the file argv[1]: the numbers it got and any open descriptor >= 3 without FD_CLOEXEC. */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *worker(void *a) { return a; }
static void bye(void) {}

int main(int argc, char **argv)
{
	int a, b, c, out;
	pthread_t t;
	DIR *d;
	struct dirent *e;
	char buf[512];
	int n = 0;
	if (argc < 2)
		return 2;
	close(0);
	close(1);
	close(2);
	atexit(bye);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	a = open("/dev/null", O_RDONLY);
	b = open("/dev/null", O_WRONLY);
	c = open("/dev/null", O_WRONLY);
	out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	n += snprintf(buf + n, sizeof buf - n, "reopened %d %d %d; inheritable:", a, b, c);
	d = opendir("/proc/self/fd");
	while (d && (e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd < 3 || fd == dirfd(d))
			continue;
		if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
			n += snprintf(buf + n, sizeof buf - n, " %d", fd);
	}
	n += snprintf(buf + n, sizeof buf - n, "\n");
	if (write(out, buf, n) != n)
		return 3;
	return 0;
}
