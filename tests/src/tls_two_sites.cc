// tls_two_sites.cc - an atexit handler reads the executable's own thread_local (static TLS) at
// two sites after exit() destroyed it (t375): under TLSTRACE_WATCH=hw two breakpoint hits.
#include <cstdio>
#include <cstdlib>

struct Obj {
	int v = 42;
	~Obj() { v = 0; }
};
thread_local Obj tls_obj;

static void on_exit_handler()
{
	std::printf("a %d\n", tls_obj.v);
	std::printf("b %d\n", *(volatile int *)&tls_obj.v);
}

int main()
{
	std::atexit(on_exit_handler);
	tls_obj.v = 7;
	return 0;
}
