// hostile15_tl.cc MODE [main]: thread_local destructors that fork, exit, _exit, quick_exit, raise,
// abort, dlclose, pthread_exit, start a thread, make a new thread_local, cancel, exec; on a
// std::thread, and with [main] also on the main thread at exit. review/run-hostile15.sh
// thread_local destructors that fork, exit, raise, dlclose, quick_exit, throw
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <thread>
#include <string>
static std::string mode;
static void out(const char *s) { printf("%d %s\n", (int)(getpid() == (pid_t)strtol(getenv("MAINPID") ? getenv("MAINPID") : "0", 0, 10)), s); fflush(stdout); }
struct Other { ~Other() { out("other dtor"); } };
struct D {
	int n;
	~D() {
		char b[64]; snprintf(b, sizeof b, "dtor %d", n); out(b);
		if (mode == "fork") {
			pid_t c = fork();
			if (c == 0) { out("child in dtor"); return; }
			int st; waitpid(c, &st, 0); snprintf(b, sizeof b, "child status %#x", st); out(b);
		} else if (mode == "exit") { exit(7); }
		else if (mode == "_exit") { _exit(8); }
		else if (mode == "quick_exit") { quick_exit(9); }
		else if (mode == "raise") { raise(SIGTERM); }
		else if (mode == "raise_usr1") { signal(SIGUSR1, [](int){ out("usr1 handler"); }); raise(SIGUSR1); }
		else if (mode == "abort") { abort(); }
		else if (mode == "dlclose") {
			void *h = dlopen("libm.so.6", RTLD_NOW); void *h2 = dlopen("libz.so.1", RTLD_NOW);
			snprintf(b, sizeof b, "dlclose %d %d", dlclose(h), h2 ? dlclose(h2) : -1); out(b);
		} else if (mode == "pthread_exit") { pthread_exit(0); }
		else if (mode == "newthread") { std::thread t([]{ thread_local Other o; (void)o; out("inner thread"); }); t.join(); }
		else if (mode == "newtl") { thread_local Other o2; (void)&o2; out("new tl in dtor"); }
		else if (mode == "cancel") { pthread_cancel(pthread_self()); pthread_testcancel(); out("not cancelled"); }
		else if (mode == "exec") { execl("/bin/echo", "echo", "exec from dtor", (char*)0); }
	}
};
thread_local D d1{1};
thread_local D d2{2};
static void at_qe() { out("at_quick_exit"); }
static void at_e() { out("atexit"); }
int main(int argc, char **argv) {
	mode = argc > 1 ? argv[1] : "";
	char b[32]; snprintf(b, sizeof b, "%d", getpid()); setenv("MAINPID", b, 1);
	at_quick_exit(at_qe); atexit(at_e);
	std::thread t([]{ d1.n = 1; d2.n = 2; thread_local Other o; (void)&o; out("thread"); });
	t.join();
	out("joined");
	if (argc > 2) { d1.n = 11; d2.n = 12; out("main exit"); exit(0); }
	return 0;
}
