/* static_dtor_join_chain.cc - a static destructor (run by exit() after main returns) joins a
 * worker thread that waits on a mutex a third thread keeps while it waits on a condition that
 * nothing signals (t402): a chain of two waits, no cycle. Prints "ready" once the holder has the
 * mutex, then returns from main. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t resume = PTHREAD_COND_INITIALIZER;
static sem_t held;

static void *compactor(void *)
{
	pthread_mutex_lock(&index_lock);
	sem_post(&held);
	pthread_mutex_lock(&gate);
	for (;;)
		pthread_cond_wait(&resume, &gate);
}

static void *indexer(void *)
{
	pthread_mutex_lock(&index_lock);
	pthread_mutex_unlock(&index_lock);
	return nullptr;
}

struct Indexer {
	pthread_t worker, holder;
	Indexer()
	{
		sem_init(&held, 0, 0);
		pthread_create(&holder, nullptr, compactor, nullptr);
		sem_wait(&held);
		pthread_create(&worker, nullptr, indexer, nullptr);
	}
	~Indexer() { pthread_join(worker, nullptr); }
};
static Indexer the_indexer;

int main()
{
	printf("ready\n");
	fflush(stdout);
	return 0;
}
