/* abort_core.c MODE: ends by a signal whose default action dumps core, the way a program does:
 * abort (abort() in a thread while others wait), quit (raise(SIGQUIT) from main) (t330) */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static void *idle(void *a)
{
	(void)a;
	for (;;)
		pause();
	return NULL;
}
__attribute__((noinline)) static void program_gives_up(void) { abort(); }
static void *victim(void *a) { (void)a; program_gives_up(); return NULL; }
int main(int argc, char **argv)
{
	pthread_t t;
	if (argc > 1 && !strcmp(argv[1], "quit")) {
		raise(SIGQUIT);
		return 1;
	}
	for (int i = 0; i < 2; i++)
		pthread_create(&t, NULL, idle, NULL);
	pthread_create(&t, NULL, victim, NULL);
	pthread_join(t, NULL);
	return 1;
}
