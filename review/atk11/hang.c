/* review/atk11/hang.c: C programs that hang in teardown, one per mode (ATK11). Each prints
 * "ready" on stdout when it has begun its teardown's hang precondition; the runner kills it. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dlfcn.h>

static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cond = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t table_rw = PTHREAD_RWLOCK_INITIALIZER;
static sem_t go_sem;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static volatile int started;

/* holds cfg_lock, then waits on q_cond (under q_lock) forever */
static void *holder_waits_cond(void *a)
{
	(void)a;
	pthread_mutex_lock(&cfg_lock);
	pthread_mutex_lock(&q_lock);
	started = 1;
	for (;;)
		pthread_cond_wait(&q_cond, &q_lock);
	return NULL;
}
static void flush_config(void) /* atexit */
{
	pthread_mutex_lock(&cfg_lock);
	pthread_mutex_unlock(&cfg_lock);
}

static void *writer_holds_rw(void *a)
{
	(void)a;
	pthread_rwlock_wrlock(&table_rw);
	started = 1;
	for (;;)
		pause();
	return NULL;
}
static void read_table(void) /* atexit */
{
	pthread_rwlock_rdlock(&table_rw);
	pthread_rwlock_unlock(&table_rw);
}

static void slow_init(void)
{
	started = 1;
	sem_wait(&go_sem); /* never posted */
}
static void *once_runner(void *a)
{
	(void)a;
	pthread_once(&init_once, slow_init);
	return NULL;
}
static void once_in_dtor(void) /* atexit */
{
	pthread_once(&init_once, slow_init);
}

static void *sem_waiter(void *a)
{
	(void)a;
	started = 1;
	sem_wait(&go_sem);
	return NULL;
}
static pthread_t joined;
static void __attribute__((destructor)) join_in_dtor(void)
{
	if (joined)
		pthread_join(joined, NULL);
}

/* a SIGTERM handler that blocks: it takes the lock main holds */
static void term_handler(int s)
{
	(void)s;
	pthread_mutex_lock(&cfg_lock); /* main holds it: self-deadlock in the handler */
	_exit(3);
}

static void *plugin;
static void unload_plugins(void) /* atexit */
{
	dlclose(plugin);
}

static void start(void *(*fn)(void *), const char *name, pthread_t *t)
{
	pthread_t tt;
	pthread_create(&tt, NULL, fn, NULL);
	pthread_setname_np(tt, name);
	while (!started)
		usleep(1000);
	if (t)
		*t = tt;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	sem_init(&go_sem, 0, 0);
	if (!strcmp(m, "mutex_cond")) {
		start(holder_waits_cond, "qworker", NULL);
		atexit(flush_config);
	} else if (!strcmp(m, "rwlock")) {
		start(writer_holds_rw, "tablewr", NULL);
		atexit(read_table);
	} else if (!strcmp(m, "once")) {
		start(once_runner, "initer", NULL);
		atexit(once_in_dtor);
	} else if (!strcmp(m, "dtor_join_sem")) {
		start(sem_waiter, "semwait", &joined);
	} else if (!strcmp(m, "handler_blocks")) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = term_handler;
		sigaction(SIGTERM, &sa, NULL);
		pthread_mutex_lock(&cfg_lock);
		printf("ready\n");
		fflush(stdout);
		for (;;)
			pause();
	} else if (!strcmp(m, "dlclose_atexit")) { /* the server unloads its plugins at exit */
		if (!(plugin = dlopen(argv[2], RTLD_NOW))) { fprintf(stderr, "%s\n", dlerror()); return 2; }
		atexit(unload_plugins);
	} else if (!strcmp(m, "dlclose")) {
		void *h = dlopen(argv[2], RTLD_NOW);
		if (!h) { fprintf(stderr, "%s\n", dlerror()); return 2; }
		printf("ready\n");
		fflush(stdout);
		dlclose(h);
		return 0;
	} else {
		fprintf(stderr, "modes: mutex_cond rwlock once dtor_join_sem handler_blocks dlclose LIB\n");
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	return 0;
}
