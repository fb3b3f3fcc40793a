// watch_fds.cc - what TLSTRACE_WATCH=hw/auto may take from a program: a worker thread's
// thread_local (static TLS) is destroyed when the worker ends (the shim probes its breakpoints
// then and, where they fire, opens one per destroyed object); the main thread then opens a file
// and prints the descriptor it got, and SIGTRAP's disposition as it reads it; then sets a SIGTRAP
// handler of its own (signal, then sigaction), reads it back and raises SIGTRAP, which its handler
// takes (the shim's, where breakpoints fire, passes it on). The same output is expected with and
// without the shim.
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

struct Obj {
	long v[4] = {1, 2, 3, 4};
	~Obj() { v[0] = 0; }
};
thread_local Obj obj;

static volatile sig_atomic_t trapped;
static void on_trap(int) { trapped++; }

static void *worker(void *)
{
	obj.v[1]++;
	return nullptr;
}

int main()
{
	pthread_t t;
	pthread_create(&t, nullptr, worker, nullptr);
	pthread_join(t, nullptr);
	int fd = open("/dev/null", O_RDONLY);
	struct sigaction sa;
	sigaction(SIGTRAP, nullptr, &sa);
	std::printf("fd %d sigtrap %s\n", fd, sa.sa_handler == SIG_DFL ? "default" : "changed");
	void (*was)(int) = signal(SIGTRAP, on_trap);
	sigaction(SIGTRAP, nullptr, &sa);
	std::printf("signal gave %s, reads %s, flags %#x\n", was == SIG_DFL ? "default" : "other",
		    sa.sa_handler == on_trap ? "mine" : "other", (unsigned)sa.sa_flags);
	raise(SIGTRAP);
	struct sigaction ign = {}, back;
	ign.sa_handler = SIG_IGN;
	sigaction(SIGTRAP, &ign, &back);
	sigaction(SIGTRAP, nullptr, &sa);
	std::printf("trapped %d, sigaction gave %s, reads %s\n", (int)trapped, back.sa_handler == on_trap ? "mine" : "other",
		    sa.sa_handler == SIG_IGN ? "ignored" : "other");
	raise(SIGTRAP);
	std::printf("trapped %d\n", (int)trapped);
	return 0;
}
