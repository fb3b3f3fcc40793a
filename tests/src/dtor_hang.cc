/* tests/src/dtor_hang.cc: a teardown routine of each kind that never returns, sleeping in a loop
 * (t320): `static` a static object's destructor (log_sink, ~Sink; registered with __cxa_atexit),
 * `tls` the main thread's thread_local's destructor (tls_sink; exit() runs it first),
 * `fini` a destructor function (__attribute__((destructor)) close_sink: DT_FINI_ARRAY, _dl_fini).
 * Prints "ready", then calls exit(). */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

static const char *mode = "";

struct Sink {
	int used = 0;
	~Sink()
	{
		for (;;)
			sleep(1);
	}
};

struct TlsSink {
	int used = 0;
	~TlsSink()
	{
		for (;;)
			sleep(1);
	}
};

static Sink *log_sink_ptr;
thread_local TlsSink tls_sink;

__attribute__((destructor)) static void close_sink(void)
{
	if (!strcmp(mode, "fini"))
		for (;;)
			sleep(1);
}

int main(int argc, char **argv)
{
	mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "static")) {
		static Sink log_sink;
		log_sink.used = 1;
		log_sink_ptr = &log_sink;
	} else if (!strcmp(mode, "tls")) {
		tls_sink.used = 1;
	}
	puts("ready");
	fflush(stdout);
	exit(0);
}
