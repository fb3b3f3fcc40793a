// cxx_threads.cc - thread_locals with destructors in the main thread and in two worker threads;
// main returns 3. Each destructor prints, so the output order is part of the outcome.
#include <cstdio>
#include <pthread.h>
#include <string>

struct Tracked {
	const char *name;
	std::string payload;
	explicit Tracked(const char *n) : name(n), payload(100, 'x') {}
	~Tracked() { std::printf("dtor %s\n", name); }
};

thread_local Tracked main_obj("main_obj");
thread_local Tracked worker_a("worker_a");
thread_local Tracked worker_b("worker_b");

static void *worker(void *)
{
	std::printf("worker %zu\n", worker_a.payload.size() + worker_b.payload.size());
	return nullptr;
}

int main()
{
	pthread_t t[2];
	std::printf("main %zu\n", main_obj.payload.size());
	std::fflush(stdout);
	/* one after the other: their output order must not depend on scheduling */
	for (auto &x : t) {
		pthread_create(&x, nullptr, worker, nullptr);
		pthread_join(x, nullptr);
	}
	return 3;
}
