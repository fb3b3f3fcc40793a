// forker.cc - registers an atexit handler and a thread_local, forks; the child adds a
// thread_local of its own and exits 5 (running the inherited handler and destructors too); the
// parent waits and returns 0.
#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

struct Obj {
	const char *name;
	explicit Obj(const char *n) : name(n) {}
	~Obj() { std::printf("dtor %s\n", name); }
};
// function-local, so each is constructed (and registered) on its own first use
static Obj &parent_obj() { thread_local Obj o("parent_obj"); return o; }
static Obj &child_obj() { thread_local Obj o("child_obj"); return o; }

static void handler() { std::printf("atexit handler\n"); }

int main()
{
	std::atexit(handler);
	std::printf("parent %s\n", parent_obj().name);
	std::fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		std::printf("child %s\n", child_obj().name);
		std::exit(5);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	std::printf("child status %d\n", WEXITSTATUS(st));
	return 0;
}
