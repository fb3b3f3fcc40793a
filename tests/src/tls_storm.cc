// tls_storm.cc - 64 threads (argv[1]) each constructing 1000 thread_locals with destructors
// (all of this file's thread_locals are initialized on a thread's first use of any of them), then
// exiting: 64000 registrations and 64000 destructor runs, on 64 threads at once.
#include <cstdio>
#include <cstdlib>
#include <pthread.h>

static thread_local long destroyed_here;
struct Obj {
	long v;
	explicit Obj(long n) : v(n) {}
	~Obj() { destroyed_here += v >= 0; }
};

#define V(n) thread_local Obj v##n(n);
#define V10(n) V(n##0) V(n##1) V(n##2) V(n##3) V(n##4) V(n##5) V(n##6) V(n##7) V(n##8) V(n##9)
#define V100(n) V10(n##0) V10(n##1) V10(n##2) V10(n##3) V10(n##4) V10(n##5) V10(n##6) V10(n##7) V10(n##8) V10(n##9)
V100(1) V100(2) V100(3) V100(4) V100(5) V100(6) V100(7) V100(8) V100(9) V100(10)

static void *worker(void *)
{
	return (void *)(v100.v + v1099.v);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 64;
	pthread_t t[256];
	long sum = 0;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], nullptr, worker, nullptr);
	for (int i = 0; i < n; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	std::printf("threads %d sum %ld\n", n, sum);
	return 0;
}
