/* hostile15_nofile.c N: raises the soft RLIMIT_NOFILE to N, opens /dev/null until EMFILE: the count,
 * the last number, the numbers skipped. review/run-hostile15.sh */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	struct rlimit rl; getrlimit(RLIMIT_NOFILE, &rl);
	printf("start soft %ld hard %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
	long want = argc > 1 ? atol(argv[1]) : (long)rl.rlim_max;
	rl.rlim_cur = want; printf("raise %d\n", setrlimit(RLIMIT_NOFILE, &rl));
	int n = 0, last = -1, gaps = 0, prev = 2;
	for (;;) { int fd = open("/dev/null", O_RDONLY); if (fd < 0) { printf("open fails after %d: %s\n", n, strerrorname_np(errno)); break; } if (fd != prev + 1) gaps++; prev = fd; n++; last = fd; }
	printf("last %d gaps %d\n", last, gaps);
	printf("fcntl F_DUPFD above 0: %d\n", fcntl(0, F_DUPFD, 0));
	for (int fd = 3; fd <= last; fd++) close(fd);
	printf("dup2 to soft-1: %d\n", dup2(0, (int)want - 1));
	return 0;
}
