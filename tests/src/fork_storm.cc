// fork_storm.cc - 200 children (argv[1]) forked at once, all writing to the one trace: each child
// constructs a thread_local, runs a thread that constructs its own, and exits with its index % 100.
// Meanwhile a second thread of the parent keeps the shim busy (dlopen/dlclose of the plugin in
// argv[2], pthread keys with destructors, short threads with thread_locals, atexit registrations),
// so forks happen while it is inside the shim. The parent waits for every child and checks its
// status; prints "children ok N".
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

struct Obj {
	long v = 1;
	~Obj() { v = 0; }
};
thread_local Obj storm_tls;

static std::atomic<int> stop;
static const char *plugin;

static void *touch(void *) { return (void *)storm_tls.v; }
static void key_dtor(void *) {}
static void nothing() {}
/* glibc's fork does not reset __exit_funcs_lock in the child (posix/fork.c, 2.36: only stdio,
 * malloc and the loader's locks): a fork while this thread is inside atexit() would leave the
 * child's exit() waiting forever, with or without the shim. A correct program keeps fork out of
 * that window: here with an atfork handler. */
static pthread_mutex_t atexit_lock = PTHREAD_MUTEX_INITIALIZER;
static void atexit_lock_take() { pthread_mutex_lock(&atexit_lock); }
static void atexit_lock_give() { pthread_mutex_unlock(&atexit_lock); }

static void *busy(void *)
{
	int round = 0;
	while (!stop.load()) {
		void *h = dlopen(plugin, RTLD_NOW);
		if (h) {
			int (*t)() = (int (*)())dlsym(h, "plugin_touch");
			if (t)
				t();
			dlclose(h);
		}
		pthread_key_t k;
		if (pthread_key_create(&k, key_dtor) == 0) {
			pthread_setspecific(k, &k);
			pthread_key_delete(k);
		}
		pthread_t t;
		pthread_create(&t, nullptr, touch, nullptr);
		pthread_join(t, nullptr);
		if (++round % 64 == 0) {
			atexit_lock_take();
			std::atexit(nothing);
			atexit_lock_give();
		}
	}
	return nullptr;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? std::atoi(argv[1]) : 200, ok = 0;
	pid_t pids[1024];
	pthread_t b;
	plugin = argc > 2 ? argv[2] : "";
	std::printf("parent %ld\n", storm_tls.v);
	std::fflush(stdout);
	pthread_atfork(atexit_lock_take, atexit_lock_give, atexit_lock_give);
	pthread_create(&b, nullptr, busy, nullptr);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			pthread_t t;
			long v = storm_tls.v;
			pthread_create(&t, nullptr, touch, nullptr);
			pthread_join(t, nullptr);
			std::exit((int)(v + i) % 100);
		}
	}
	for (int i = 0; i < n; i++) {
		int st = 0;
		if (waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st) && WEXITSTATUS(st) == (1 + i) % 100)
			ok++;
	}
	stop = 1;
	pthread_join(b, nullptr);
	std::printf("children ok %d\n", ok);
	return ok == n ? 0 : 1;
}
