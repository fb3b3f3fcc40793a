/* tests/src/killpg_child.c (t349): a parent that stops its child, whose atexit handler sleeps,
 * with killpg() of the child's own group; prints the child's wait status */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static void child_cleanup(void) { sleep(30); }
int main(void) {
	pid_t c = fork();
	if (c == 0) { setpgid(0, 0); atexit(child_cleanup); return 0; }
	setpgid(c, c);
	sleep(1);
	killpg(c, SIGTERM);
	int st; waitpid(c, &st, 0);
	printf("child %d\n", st);
	return 0;
}
