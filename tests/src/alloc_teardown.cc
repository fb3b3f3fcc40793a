// alloc_teardown.cc - teardown work under a preloaded allocator (t048): thread_locals with
// destructors and a pthread key with a destructor, in the main thread and in two threads that
// allocate; then fork, where the child does the same and exit()s 3, and the parent prints its
// status. Output: deterministic lines only.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

struct Holder {
	std::vector<std::string> v;
	~Holder() { v.clear(); }
};
thread_local Holder holder;
static pthread_key_t key;

static void *work(void *arg)
{
	for (int i = 0; i < 100; i++)
		holder.v.push_back(std::string(64 + i, 'x'));
	pthread_setspecific(key, malloc(32));
	return arg;
}

static void run_threads(void)
{
	pthread_t t[2];
	for (auto &x : t)
		pthread_create(&x, nullptr, work, nullptr);
	for (auto &x : t)
		pthread_join(x, nullptr);
}

int main()
{
	pthread_key_create(&key, free);
	holder.v.push_back("main");
	run_threads();
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		holder.v.push_back("child");
		run_threads();
		exit(3);
	}
	int st = 0;
	waitpid(p, &st, 0);
	printf("threads done, child %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
	return 0;
}
