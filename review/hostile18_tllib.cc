// hostile18_tllib.cc: a library with a thread_local whose destructor prints (hostile18_tl.cc)
#include <cstdio>
struct Tl {
	const char *who = "";
	~Tl() { std::printf("lib thread_local dtor %s\n", who); std::fflush(stdout); }
};
static thread_local Tl tl;
extern "C" void tl_touch(const char *who) { tl.who = who; }
