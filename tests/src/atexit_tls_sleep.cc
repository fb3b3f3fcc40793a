// atexit_tls_sleep.cc - a C++ program with a thread_local and a C atexit handler that sleeps
// argv[1] seconds (t308: --diff of a run that exits against one killed in the handler).
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

struct holder {
	int v = 1;
	~holder() { v = 0; }
};
thread_local holder tls_holder;
static unsigned secs;

static void flush_handler()
{
	sleep(secs);
}

int main(int argc, char **argv)
{
	secs = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
	atexit(flush_handler);
	tls_holder.v = 2;
	return 0;
}
