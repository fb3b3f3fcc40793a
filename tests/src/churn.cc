// churn.cc - thread churn, the cost a per-task-thread server pays: creates and joins N threads
// one after the other; each uses two thread_locals with destructors (of a -fPIC library's kind:
// the destructors registered through __cxa_thread_atexit_impl) and sets a pthread key with a
// destructor. bench/run's churn row and t110/t111 run it.
//   churn N [late]  N threads (default 20000); late: the last thread's key destructor constructs a
//                   thread_local after the thread's TLS destructors ran (a finding among the
//                   routine threads: construct-during-teardown)
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Counter {
	long v = 0;
	~Counter() { __atomic_store_n(&v, -1, __ATOMIC_RELAXED); }
};
static thread_local Counter a, b;
static pthread_key_t key;
static long total;
static int late_last;
static __thread int is_last;

static void key_dtor(void *p)
{
	if (is_last) {
		static thread_local Counter c; // its own guard: constructed here, after the TLS destructors
		total += ++c.v;
	}
	free(p);
}

static void *work(void *arg)
{
	is_last = arg != nullptr;
	a.v++;
	b.v += 2;
	pthread_setspecific(key, malloc(16));
	return nullptr;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	late_last = argc > 2 && strcmp(argv[2], "late") == 0;
	pthread_key_create(&key, key_dtor);
	for (long i = 0; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, nullptr, work, late_last && i == n - 1 ? (void *)1 : nullptr)) {
			perror("pthread_create");
			return 1;
		}
		pthread_join(t, nullptr);
	}
	printf("churn %ld done\n", n);
	return 0;
}
