// churn.cc - thread churn, the cost a per-task-thread server pays: creates and joins N threads
// one after the other; each uses two thread_locals with destructors (of a -fPIC library's kind:
// the destructors registered through __cxa_thread_atexit_impl) and sets a pthread key with a
// destructor. bench/run's churn row and t110/t111 run it.
//   churn N [late|-] [P]  N threads (default 20000); late: the last thread's key destructor
//                   constructs a thread_local after the thread's TLS destructors ran (a finding
//                   among the routine threads: construct-during-teardown); P processes (forked
//                   first, default 1) each do the same, the first waits for the others
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
	int procs = argc > 3 ? atoi(argv[3]) : 1, child = 0;
	late_last = argc > 2 && strcmp(argv[2], "late") == 0;
	for (int p = 1; p < procs && !child; p++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		child = pid == 0;
	}
	pthread_key_create(&key, key_dtor);
	for (long i = 0; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, nullptr, work, late_last && i == n - 1 ? (void *)1 : nullptr)) {
			perror("pthread_create");
			return 1;
		}
		pthread_join(t, nullptr);
	}
	if (child)
		return 0;
	while (wait(nullptr) > 0)
		;
	printf("churn %ld done\n", n);
	return 0;
}
