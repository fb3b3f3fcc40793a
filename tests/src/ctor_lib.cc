// ctor_lib.cc - a library the program links against (DT_NEEDED) whose constructor touches a
// thread_local and registers an atexit handler: both happen before main, possibly before the
// shim's own constructor ran.
#include <cstdio>
#include <cstdlib>

struct CtorObj {
	~CtorObj() { std::printf("ctor_tls dtor\n"); }
	int v = 7;
};
thread_local CtorObj ctor_tls;

static void ctor_atexit() { std::printf("ctor_lib atexit\n"); }

__attribute__((constructor)) static void ctor_lib_init()
{
	std::atexit(ctor_atexit);
	std::printf("ctor_lib init %d\n", ctor_tls.v);
}

extern "C" int ctor_lib_value() { return ctor_tls.v; }
