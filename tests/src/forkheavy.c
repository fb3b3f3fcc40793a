/* forkheavy.c - a clean fork-heavy run (t103): N children (argv[1], default 60), each exiting at
 * once with a small status (exit or _exit) or exec'ing /bin/true, all reaped; no finding. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i, n = argc > 1 ? atoi(argv[1]) : 60, st;
	for (i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0) {
			if (i % 3 == 0)
				exit(i % 7);
			if (i % 3 == 1)
				_exit(i % 5);
			execl("/bin/true", "true", (char *)0);
			_exit(99);
		}
		waitpid(p, &st, 0);
	}
	return 0;
}
