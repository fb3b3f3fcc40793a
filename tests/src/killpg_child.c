/* tests/src/killpg_child.c (t349): a parent that stops its child, whose atexit handler sleeps,
 * with killpg() of the child's own group; prints the child's wait status. The killpg once the
 * handler runs (its byte on a pipe), not after a fixed second: a busy machine may not have the
 * child in its teardown by then */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static int ran[2];
static void child_cleanup(void) { (void)!write(ran[1], "x", 1); sleep(30); }
int main(void) {
	char b;
	if (pipe(ran) != 0)
		return 9;
	pid_t c = fork();
	if (c == 0) { setpgid(0, 0); atexit(child_cleanup); return 0; }
	setpgid(c, c);
	close(ran[1]);
	if (read(ran[0], &b, 1) != 1)
		return 9;
	killpg(c, SIGTERM);
	int st; waitpid(c, &st, 0);
	printf("child %d\n", st);
	return 0;
}
