// plugin_atexit.cc - a dlopen'd plugin that uses its thread_locals during teardown:
// - first_tls's destructor reads second_tls, constructed after it and so destroyed before it;
// - an atexit handler (registered by the plugin, run after exit() destroyed the main thread's
//   thread_locals) reads first_tls (exported: a general-dynamic TLS lookup) and hidden_tls
//   (static: a local-dynamic lookup of the module's block plus an offset in the instruction).
#include <cstdio>
#include <cstdlib>

struct Counter {
	long n;
	const char *name;
	Counter(const char *nm, long v) : n(v), name(nm) {}
	~Counter();
};

thread_local Counter first_tls("first_tls", 1);
thread_local Counter second_tls("second_tls", 2);
static thread_local Counter hidden_tls("hidden_tls", 3);

__attribute__((noinline)) static long read_second() { return second_tls.n; }
Counter::~Counter()
{
	long other = this == &first_tls ? read_second() : 0;
	std::printf("dtor %s %ld\n", name, other);
}

__attribute__((noinline)) static long read_hidden() { return hidden_tls.n; }
static void plugin_exit_handler()
{
	long h = 0;
	for (int i = 0; i < 3; i++) /* the same site three times: reported once, counted */
		h += read_hidden();
	std::printf("handler %ld %ld\n", first_tls.n, h);
}

extern "C" long plugin_start()
{
	std::atexit(plugin_exit_handler);
	return first_tls.n + second_tls.n + hidden_tls.n;
}
