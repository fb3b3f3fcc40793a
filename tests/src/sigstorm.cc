// sigstorm.cc - signals delivered while the program is inside the shim's interposers:
// a 50 us SIGALRM whose handler itself calls interposed functions (pthread_getspecific, a
// dynamic-TLS lookup in the plugin argv[1]) fires during 3000 rounds of dlopen/dlclose, pthread
// keys with destructors, short threads with thread_locals, atexit registrations and forks; then,
// as uWSGI does, a SIGUSR1 handler calls exit(7) while the main thread is in interposed calls.
// The handler touches the plugin's thread_local only on a thread whose block of it exists (the
// main thread's from before the timer, a worker's once it made its own): its first use mallocs,
// and a handler that mallocs while its thread is inside malloc deadlocks without the shim too
// (t032 hung about one run in 20 that way, in the run without the shim, when a worker's first
// plugin_touch came from the handler while the worker was in malloc).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <pthread.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

struct Obj {
	long v = 1;
	~Obj() { v = 0; }
};
thread_local Obj main_tls;

static pthread_key_t hkey;
static int (*plugin_touch)();
static volatile std::sig_atomic_t ticks;
static thread_local volatile std::sig_atomic_t plugin_ready; /* static TLS: no malloc to read */

static void on_alarm(int)
{
	if ((pthread_getspecific(hkey) || true) && plugin_ready)
		plugin_touch();
	ticks = ticks + 1;
}

static void on_usr1(int) { std::exit(7); }
static void key_dtor(void *) {}
static void nothing() {}
static void *worker(void *)
{
	plugin_touch();
	plugin_ready = 1;
	return (void *)main_tls.v;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct itimerval it;
	void *h = argc > 1 ? dlopen(argv[1], RTLD_NOW) : nullptr;
	if (!h)
		return 2;
	plugin_touch = (int (*)())dlsym(h, "plugin_touch");
	plugin_touch(); /* its TLS block exists before any signal */
	plugin_ready = 1;
	pthread_key_create(&hkey, key_dtor);
	std::memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, nullptr);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, nullptr);
	it.it_interval.tv_sec = 0;
	it.it_interval.tv_usec = 50;
	it.it_value = it.it_interval;
	setitimer(ITIMER_REAL, &it, nullptr);
	std::puts("start");
	std::fflush(stdout);

	for (int i = 0; i < 3000; i++) {
		void *h2 = dlopen(argv[1], RTLD_NOW);
		pthread_key_t k;
		pthread_t t;
		if (pthread_key_create(&k, key_dtor) == 0) {
			pthread_setspecific(k, &k);
			pthread_key_delete(k);
		}
		if (i % 50 == 0) {
			pthread_create(&t, nullptr, worker, nullptr);
			pthread_join(t, nullptr);
		}
		if (i % 500 == 0) {
			std::atexit(nothing);
			pid_t c = fork();
			if (c == 0)
				_exit(0);
			waitpid(c, nullptr, 0);
		}
		if (h2)
			dlclose(h2);
	}
	/* now exit from a signal handler, in the middle of interposed calls */
	kill(getpid(), SIGUSR1);
	for (;;) {
		pthread_key_t k;
		if (pthread_key_create(&k, key_dtor) == 0) {
			pthread_setspecific(k, &k);
			(void)pthread_getspecific(k);
			pthread_key_delete(k);
		}
		plugin_touch();
	}
}
