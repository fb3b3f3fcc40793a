/* atexit_selfkill: an atexit handler that sends its own process SIGTERM (tests/t355).
 * "self": the handler bye kill()s its process, with a spinning and a sleeping thread beside it
 * (issue 15's reproducer); "thread": a thread pthread_kill()s the main thread while the main
 * thread's atexit handler spin_bye runs (the taker is not the sender); "tkill": a thread kill()s its
 * process while the main thread's spin_bye runs, then spins itself (the kernel gives a signal
 * sent to a process to its main thread first, where that thread does not block it). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned long spins;
static volatile int in_handler;
static pthread_t main_thread;

static void *spinner(void *a) { (void)a; for (;;) spins++; return 0; }
static void *sleeper(void *a) { (void)a; for (;;) usleep(10000); return 0; }
static void *stopper(void *a)
{
	(void)a;
	while (!in_handler)
		usleep(1000);
	usleep(20000);
	pthread_kill(main_thread, SIGTERM);
	for (;;)
		pause();
	return 0;
}
/* like stopper, with kill() of the process, then a spin */
static void *self_stopper(void *a)
{
	(void)a;
	while (!in_handler)
		usleep(1000);
	usleep(20000);
	kill(getpid(), SIGTERM);
	for (;;)
		spins++;
	return 0;
}
static void bye(void) { kill(getpid(), SIGTERM); pause(); }
static void spin_bye(void) { in_handler = 1; for (;;) spins++; }

int main(int argc, char **argv)
{
	pthread_t a, b;
	int self = argc < 2 || !strcmp(argv[1], "self");
	main_thread = pthread_self();
	if (self) {
		pthread_create(&a, 0, spinner, 0);
		pthread_create(&b, 0, sleeper, 0);
	} else
		pthread_create(&a, 0, strcmp(argv[1], "tkill") ? stopper : self_stopper, 0);
	usleep(50000);
	atexit(self ? bye : spin_bye);
	printf("main returns\n");
	return 0;
}
