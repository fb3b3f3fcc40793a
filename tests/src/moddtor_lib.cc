/* moddtor_lib.cc - a library whose destructor functions do work at exit, run by ld.so's _dl_fini
 * after every atexit handler and static destructor:
 * - pool_start(): a worker thread that runs until the library's destructor function stops it and
 *   joins it (as a thread pool, OpenMP's runtime, does);
 * - registry_add(name): an entry in a static Registry, whose C++ destructor (run by exit() as an
 *   atexit handler, before _dl_fini) clears it; the library's destructor function then walks it
 *   to print a summary: a read of the destroyed registry, SIGSEGV. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct Entry {
	Entry *next;
	char name[32];
};

struct Registry {
	Entry *head;
	size_t count;
	Registry() : head(nullptr), count(0) {}
	~Registry() { clear(); }
	__attribute__((noinline)) void clear()
	{
		while (head) {
			Entry *e = head;
			head = e->next;
			free(e);
		}
		count = 0;
		head = (Entry *)nullptr;
	}
};

static Registry registry;
static pthread_t worker;
static volatile int stop, started, registry_used;

static void *work(void *)
{
	while (!stop)
		usleep(1000);
	return nullptr;
}

extern "C" void pool_start(void)
{
	if (pthread_create(&worker, nullptr, work, nullptr) == 0)
		started = 1;
}

extern "C" void registry_add(const char *name)
{
	Entry *e = (Entry *)calloc(1, sizeof *e);
	snprintf(e->name, sizeof e->name, "%s", name);
	e->next = registry.head;
	registry.head = e;
	registry.count++;
	registry_used = 1;
}

/* the library's destructor function: stops the pool, prints what the registry held */
__attribute__((destructor)) static void pool_shutdown(void)
{
	if (started) {
		stop = 1;
		pthread_join(worker, nullptr);
		printf("pool stopped\n");
	}
	if (registry_used) {
		/* the registry must still hold its entries: its first one's name */
		Entry *first = registry.head;
		printf("registry: %s\n", first->name);
	}
	fflush(stdout);
}
