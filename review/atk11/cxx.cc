// review/atk11/cxx.cc MODE: C++ teardown hangs (ATK11). static_join: a static object's destructor
// joins a std::thread that waits on a semaphore nobody posts. tls_normal / tls_recursive /
// tls_errcheck: main's thread_local destructor (run by exit()) locks a mutex the exiting thread
// holds (main locked it and called exit): a normal mutex deadlocks, a recursive one does not, an
// error-checking one returns EDEADLK.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <semaphore.h>
#include <thread>

static sem_t work_sem;
struct Pool {
	std::thread worker;
	~Pool() { if (worker.joinable()) worker.join(); }
};
static Pool pool;

static pthread_mutex_t reg_lock;
struct Registry {
	int n = 0;
	~Registry()
	{
		int rc = pthread_mutex_lock(&reg_lock);
		std::printf("~Registry lock: %s\n", rc ? std::strerror(rc) : "ok");
		std::fflush(stdout);
		if (!rc)
			pthread_mutex_unlock(&reg_lock);
	}
};
static thread_local Registry reg;

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	sem_init(&work_sem, 0, 0);
	if (!std::strcmp(m, "static_join")) {
		pool.worker = std::thread([] { sem_wait(&work_sem); });
		pthread_setname_np(pool.worker.native_handle(), "poolw");
		std::printf("ready\n");
		std::fflush(stdout);
		return 0;
	}
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, !std::strcmp(m, "tls_recursive") ? PTHREAD_MUTEX_RECURSIVE
				  : !std::strcmp(m, "tls_errcheck") ? PTHREAD_MUTEX_ERRORCHECK : PTHREAD_MUTEX_NORMAL);
	pthread_mutex_init(&reg_lock, &a);
	reg.n = 1;
	pthread_mutex_lock(&reg_lock);
	std::printf("ready\n");
	std::fflush(stdout);
	std::exit(0); // with reg_lock held
}
