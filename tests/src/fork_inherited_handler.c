/* fork_inherited_handler.c - t416: a master whose SIGTERM handler (master_stop) only tells its
 * workers to stop forks a worker, which installs its own handler (worker_stop, which exits) a
 * moment later. The master's SIGTERM reaches the worker in between (made certain here: the worker
 * says it is forked, the master signals it, and only then lets it go on through a pipe), so the
 * worker runs the inherited master_stop, which does not end it; the worker runs on until the
 * master's SIGKILL, as a uWSGI worker respawned just as a stop begins does (HANG15). */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void master_stop(int sig) { (void)sig; stopping = 1; }
static void worker_stop(int sig) { (void)sig; _exit(0); }

static void install(void (*fn)(int))
{
	struct sigaction sa = {.sa_handler = fn, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
}

int main(void)
{
	int up[2], go[2], st;
	char c = 0;
	install(master_stop);
	if (pipe(up) || pipe(go))
		return 2;
	pid_t w = fork();
	if (w < 0)
		return 2;
	if (w == 0) {
		if (write(up[1], "f", 1) != 1 || read(go[0], &c, 1) != 1) /* forked; wait for the go */
			_exit(2);
		install(worker_stop);
		if (write(up[1], "h", 1) != 1) /* its own handler is in place */
			_exit(2);
		for (;;)
			pause();
	}
	if (read(up[0], &c, 1) != 1)
		return 2;
	/* the stop, while the worker still has the master's handler: pending before the go is
	 * written, so taken (the read restarted, SA_RESTART) before the worker reads the go */
	kill(w, SIGTERM);
	if (write(go[1], "g", 1) != 1)
		return 2;
	if (read(up[0], &c, 1) != 1) /* its own handler installed, the stop lost */
		return 2;
	kill(w, SIGKILL); /* the master's mercy */
	waitpid(w, &st, 0);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 0 : 3;
}
