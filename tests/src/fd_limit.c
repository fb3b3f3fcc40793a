/* fd_limit.c - a program under a low RLIMIT_NOFILE (t192): with an argument it first sets its
 * own limit (soft and hard) to that; then it opens /dev/null until EMFILE, printing each number,
 * starts a thread and forks. Every number below the limit must be the program's: the shim's
 * trace descriptor lies at or above it. With FD_LIMIT_CLOSE set it closes them after. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void *nothing(void *a) { return a; }

int main(int argc, char **argv)
{
	int n = 0, fd, st;
	pthread_t t;
	pid_t c;
	if (argc > 1) {
		struct rlimit rl = {(rlim_t)atoi(argv[1]), (rlim_t)atoi(argv[1])};
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			return 2;
	}
	while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		printf("open -> %d\n", fd);
		n++;
	}
	if (getenv("FD_LIMIT_CLOSE")) /* then closes them all again (they are 3 up) */
		for (fd = 3; fd < 3 + n; fd++)
			close(fd);
	if (pthread_create(&t, NULL, nothing, NULL) == 0)
		pthread_join(t, NULL);
	c = fork();
	if (c == 0)
		_exit(4);
	waitpid(c, &st, 0);
	printf("opened %d, child %d\n", n, WEXITSTATUS(st));
	return 0;
}
