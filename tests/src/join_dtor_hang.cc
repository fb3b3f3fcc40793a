/* tests/src/join_dtor_hang.cc MODE: exit()'s atexit handler (join_worker) joins a worker thread
 * whose exit never ends (t320): `key` its pthread key's destructor (free_buf) sleeps in a loop;
 * `tls` its thread_local's destructor (~Conn) does. Prints "ready" once the worker is in its
 * destructor, then calls exit(). */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

static const char *mode = "";
static pthread_t worker;
static pthread_key_t buf_key;
static sem_t in_dtor;

static void free_buf(void *p)
{
	(void)p;
	sem_post(&in_dtor);
	for (;;)
		sleep(1);
}

struct Conn {
	int used = 0;
	~Conn()
	{
		sem_post(&in_dtor);
		for (;;)
			sleep(1);
	}
};
thread_local Conn conn;

static void *work(void *arg)
{
	(void)arg;
	if (!strcmp(mode, "key"))
		pthread_setspecific(buf_key, &buf_key);
	else
		conn.used = 1;
	return NULL;
}

static void join_worker(void) { pthread_join(worker, NULL); }

int main(int argc, char **argv)
{
	mode = argc > 1 ? argv[1] : "key";
	sem_init(&in_dtor, 0, 0);
	pthread_key_create(&buf_key, free_buf);
	atexit(join_worker);
	pthread_create(&worker, NULL, work, NULL);
	while (sem_wait(&in_dtor) != 0)
		;
	puts("ready");
	fflush(stdout);
	exit(0);
}
