// plugin.cc - a dlopen'd C++ plugin: a thread_local with a destructor (dynamic TLS) and a static
// object whose destructor runs at dlclose (registered through __cxa_atexit with the plugin's
// __dso_handle).
#include <cstdio>
#include <string>

#ifdef QUIET /* for tests whose output must not depend on how often it was loaded */
#define say(...) ((void)0)
#else
#define say(...) std::printf(__VA_ARGS__)
#endif

struct PluginState {
	std::string name{"plugin-state-with-a-heap-buffer-0123456789"};
	~PluginState() { say("plugin_tls dtor\n"); }
};
thread_local PluginState plugin_tls;

struct PluginGlobal {
	~PluginGlobal() { say("plugin static dtor\n"); }
} plugin_global;

extern "C" int plugin_touch() { return (int)plugin_tls.name.size(); }
