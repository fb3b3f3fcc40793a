/* futex_holders.c - an atexit handler that waits on a futex a second thread keeps (t472): the
 * mode says which kind, and whether the snapshot can name its holder:
 *   robust  a robust pthread mutex (PTHREAD_MUTEX_ROBUST): glibc's __lock holds the owner's tid
 *           with FUTEX_WAITERS, __owner the tid
 *   pi      a priority-inheritance mutex (PTHREAD_PRIO_INHERIT): FUTEX_LOCK_PI on the owner's tid
 *   raw     a bare int waited on with FUTEX_WAIT: no owner anywhere
 * The holder thread takes the mutex (raw: nothing) and sleeps in pause; main prints "ready" and
 * calls exit(0), whose handler blocks. The test kills it after the snapshots. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t held_mutex;
static int raw_word;
static const char *mode;
static volatile int taken;

static void *keeper(void *a)
{
	(void)a;
	if (strcmp(mode, "raw"))
		pthread_mutex_lock(&held_mutex);
	taken = 1;
	for (;;)
		pause();
	return NULL;
}

static void wait_at_exit(void)
{
	if (!strcmp(mode, "raw"))
		syscall(SYS_futex, &raw_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	else
		pthread_mutex_lock(&held_mutex);
}

int main(int argc, char **argv)
{
	pthread_t t;
	pthread_mutexattr_t at;
	mode = argc > 1 ? argv[1] : "robust";
	pthread_mutexattr_init(&at);
	if (!strcmp(mode, "robust"))
		pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
	else if (!strcmp(mode, "pi"))
		pthread_mutexattr_setprotocol(&at, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&held_mutex, &at);
	pthread_create(&t, NULL, keeper, NULL);
	while (!taken)
		usleep(1000);
	atexit(wait_at_exit);
	printf("ready\n");
	fflush(stdout);
	exit(0);
}
