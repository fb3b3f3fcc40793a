// hostile18_tl.cc MODE: thread_local destructors that register atexit handlers (main thread and
// a thread), and dlclose of a library whose thread_local has a pending destructor
// (hostile18_tllib.so). review/run-hostile18.sh
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <thread>
static void at_from_dtor() { std::printf("atexit from a thread_local dtor\n"); }
struct Reg {
	const char *who;
	~Reg() { std::printf("dtor %s registers %d\n", who, std::atexit(at_from_dtor)); std::fflush(stdout); }
};
static thread_local Reg reg{"?"};
int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	if (!std::strcmp(m, "atexit_main")) {
		reg.who = "main";
		return 0;
	}
	if (!std::strcmp(m, "atexit_thread")) {
		std::thread t([] { reg.who = "thread"; });
		t.join();
		std::printf("joined\n");
		return 0;
	}
	if (!std::strcmp(m, "dlclose_pending") || !std::strcmp(m, "dlclose_thread")) {
		void *h = dlopen(argc > 2 ? argv[2] : "./hostile18_tllib.so", RTLD_NOW);
		if (!h) { std::printf("dlopen %s\n", dlerror()); return 2; }
		auto touch = (void (*)(const char *))dlsym(h, "tl_touch");
		if (!std::strcmp(m, "dlclose_thread")) {
			std::thread t([touch] { touch("thread"); });
			t.join();
		} else {
			touch("main");
		}
		std::printf("dlclose %d\n", dlclose(h));
		std::fflush(stdout);
		return 3;
	}
	return 2;
}
