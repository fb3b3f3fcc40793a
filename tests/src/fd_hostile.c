/* fd_hostile.c - a program that does not know about the trace descriptor and tramples on it:
 *   closeall  closes every descriptor from 3 up (as daemons and spawners do), then opens its own
 *             file (argv[2]) and writes to it
 *   dup2      opens its own file (argv[2]) and dup2s it onto every descriptor from 3 to 1199
 *             (the trace's is among them), then writes to it
 * then creates a thread (events for the shim to write) and exits 0. The file must hold only the
 * program's own line. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void *worker(void *a) { return a; }

int main(int argc, char **argv)
{
	const char line[] = "program data\n";
	struct rlimit rl;
	pthread_t t;
	int fd, i, max;
	if (argc < 3)
		return 2;
	getrlimit(RLIMIT_NOFILE, &rl);
	max = rl.rlim_cur > 65536 ? 65536 : (int)rl.rlim_cur;
	if (!strcmp(argv[1], "closeall")) {
		for (i = 3; i < max; i++)
			close(i);
		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	} else {
		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		for (i = 3; i < 1200 && i < max; i++)
			if (i != fd)
				dup2(fd, i);
	}
	if (fd < 0 || write(fd, line, sizeof line - 1) != (ssize_t)sizeof line - 1)
		return 3;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	return 0;
}
