/* workers_killed_early.c - a master that stops two workers as a supervisor does (t378): SIGTERM
 * to each, and once both are in their teardown, SIGKILL, from two kill() calls of one function on
 * two lines. Each worker has a thread alive (io_loop, in pause, SIGTERM blocked) and a SIGTERM handler that calls
 * exit(30); its atexit handler tells the master it runs (a byte on a pipe) and then sleeps until
 * killed. Prints "done" after it reaped both. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int up[2], torn[2];
static volatile int io_up; /* io_loop runs: the shim has it in its list of threads alive */

static void *io_loop(void *arg)
{
	(void)arg;
	io_up = 1;
	for (;;)
		pause();
	return NULL;
}
static void drain(void)
{
	char c = 't';
	if (write(torn[1], &c, 1) != 1)
		_exit(2);
	for (;;)
		pause();
}
static void on_term(int sig)
{
	(void)sig;
	exit(30);
}
static void worker(void)
{
	pthread_t io;
	char c = 'u';
	sigset_t term;
	signal(SIGTERM, on_term);
	/* io_loop starts with SIGTERM blocked: the main thread takes it, and the teardown's list of
	 * the other threads alive is io_loop */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &term, NULL);
	pthread_create(&io, NULL, io_loop, NULL);
	pthread_sigmask(SIG_UNBLOCK, &term, NULL);
	while (!io_up)
		usleep(1000);
	atexit(drain);
	if (write(up[1], &c, 1) != 1)
		_exit(2);
	for (;;)
		pause();
}
int main(void)
{
	pid_t w[2];
	char c;
	if (pipe(up) || pipe(torn))
		return 1;
	for (int i = 0; i < 2; i++)
		if ((w[i] = fork()) == 0)
			worker();
	for (int i = 0; i < 2; i++)
		if (read(up[0], &c, 1) != 1)
			return 1;
	for (int i = 0; i < 2; i++)
		kill(w[i], SIGTERM);
	for (int i = 0; i < 2; i++)
		if (read(torn[0], &c, 1) != 1)
			return 1;
	kill(w[0], SIGKILL);
	kill(w[1], SIGKILL);
	for (int i = 0; i < 2; i++)
		waitpid(w[i], NULL, 0);
	printf("done\n");
	return 0;
}
