// hostile15_plug.cc: the plugin of hostile15_dlm.c
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <thread>
struct P { const char *n; ~P() { printf("plugin dtor %s\n", n); fflush(stdout); } };
thread_local P tp{"tls"};
static P sp{"static"};
static void ae() { printf("plugin atexit\n"); fflush(stdout); }
static void hu(int) { printf("plugin handler\n"); fflush(stdout); }
extern "C" int plug_run(int k) {
	atexit(ae);
	std::thread t([]{ (void)&tp; printf("plugin thread\n"); fflush(stdout); }); t.join();
	(void)&tp;
	if (k) { signal(SIGUSR1, hu); raise(SIGUSR1); }
	return 7;
}
