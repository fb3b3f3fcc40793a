/* hang_workers_go: a master forks 2 workers and SIGTERMs them; each worker holds a mutex, starts a
 * thread that locks it, its atexit handler joins that thread and its SIGTERM handler calls
 * exit(30): a deadlock in each worker's teardown. The master SIGKILLs each worker still alive
 * once the file named by argv[1] exists (the test makes it when it sees the snapshots it wants),
 * then reaps them. (t391) */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_t th;
static void *locker(void *a) { pthread_mutex_lock(&m); pthread_mutex_unlock(&m); return a; }
static void joiner(void) { pthread_join(th, NULL); }
static void on_term(int s) { (void)s; exit(30); }
static void worker(void)
{
	pthread_mutex_lock(&m);
	pthread_create(&th, NULL, locker, NULL);
	atexit(joiner);
	signal(SIGTERM, on_term);
	for (;;)
		pause();
}
int main(int argc, char **argv)
{
	pid_t w[2];
	int n = 0;
	if (argc < 2)
		return 2;
	for (int i = 0; i < 2; i++)
		if ((w[i] = fork()) == 0)
			worker();
	usleep(200000);
	for (int i = 0; i < 2; i++)
		kill(w[i], SIGTERM);
	while (access(argv[1], F_OK) != 0 && n++ < 3000) /* (a safety net of 60 s) */
		usleep(20000);
	for (int i = 0; i < 2; i++)
		if (waitpid(w[i], NULL, WNOHANG) == 0)
			kill(w[i], SIGKILL);
	for (int i = 0; i < 2; i++)
		waitpid(w[i], NULL, 0);
	return 0;
}
