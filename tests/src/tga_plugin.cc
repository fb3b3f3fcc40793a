/* tga_plugin.cc - a dlopen'd module with a thread_local (dynamic TLS: its accesses call
 * __tls_get_addr) that can tell where its GOT slot for __tls_get_addr points. */
#include <cstdint>

extern "C" void *__tls_get_addr(void *);

struct Obj {
	int v = 1;
	~Obj() { v = 0; }
};
static thread_local Obj obj;

/* taking the address loads it from the module's GOT (a GLOB_DAT slot), read afresh each call */
extern "C" __attribute__((noinline)) void *plugin_tga_slot(void)
{
	void *(*volatile p)(void *) = &__tls_get_addr;
	return (void *)p;
}

extern "C" int plugin_touch(void) { return obj.v; }
