// tests/src/dtor_abort.cc [abort|raise|pthread_kill]: a static object's destructor, run by exit()
// after main returns, finds its state bad and ends the process with SIGABRT through glibc's
// abort(), raise() or pthread_kill() (t334: the crash's headline names check_state, not glibc's
// __pthread_kill_implementation).
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char *how = "abort";

__attribute__((noinline)) static void check_state(int ok)
{
	if (ok)
		return;
	if (!strcmp(how, "raise"))
		raise(SIGABRT);
	else if (!strcmp(how, "pthread_kill"))
		pthread_kill(pthread_self(), SIGABRT);
	else
		abort();
	__asm__ volatile("" ::: "memory"); // (no tail call: check_state's frame stays on the stack)
}

struct Registry {
	int ok = 1;
	~Registry() { check_state(ok); }
};
static Registry registry;

int main(int argc, char **argv)
{
	if (argc > 1)
		how = argv[1];
	registry.ok = 0;
	return 0;
}
