/* fault_order.c - the order of a fault and what its handler did before it ended the process
 * (t300), and the time of a kill line (t301).
 * usage: fault_order chain   SIGSEGV; its handler sends its child SIGTERM, reaps it, _exit(3)
 *        fault_order term    forks a child whose atexit handler sleeps; sends it SIGTERM after
 *                            it is in its teardown (a pipe says so), reaps it: exit 0
 *        fault_order jump    calls a function at an unmapped address (a dangling pointer) from
 *                            call_dangling, called by main: SIGSEGV */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child;
static int ready[2];

static void on_segv(int sig)
{
	(void)sig;
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	_exit(3);
}

static void slow_handler(void)
{
	if (write(ready[1], "x", 1) != 1)
		_exit(5);
	sleep(30); /* killed before */
}

/* the page where the function was is unmapped: the call faults at its target, [sp] holds the
 * return address into this function */
__attribute__((noinline)) static int call_dangling(void)
{
	void *page = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int (*volatile fn)(void) = (int (*)(void))page;
	if (page == MAP_FAILED || munmap(page, 4096))
		return 2;
	return fn() + 1;
}

int main(int argc, char **argv)
{
	char c;
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "jump"))
		return call_dangling() + 1;
	if (pipe(ready))
		return 2;
	child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		if (!strcmp(argv[1], "term")) {
			atexit(slow_handler);
			exit(0);
		}
		if (write(ready[1], "x", 1) != 1)
			_exit(5);
		pause();
		_exit(0);
	}
	if (!strcmp(argv[1], "chain")) {
		volatile int *volatile bad = (int *)8;
		if (read(ready[0], &c, 1) != 1) /* the child is running */
			return 2;
		signal(SIGSEGV, on_segv);
		*bad = 1;
		return 4;
	}
	if (read(ready[0], &c, 1) != 1)
		return 2;
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	return 0;
}
