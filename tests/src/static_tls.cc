// static_tls.cc - a thread_local of the executable (static TLS: accessed at a fixed offset from
// the thread pointer, no __tls_get_addr call) holding a heap pointer that its destructor frees;
// an atexit handler, run after exit() destroyed it, dereferences the stale pointer. Without help
// this reads freed memory and goes unnoticed.
#include <cstdio>
#include <cstdlib>

struct Conn {
	int *buf;
	Conn() : buf(new int[4]{1, 2, 3, 4}) {}
	~Conn() { delete[] buf; }
};
thread_local Conn conn;

static void handler()
{
	volatile int x = conn.buf[1];
	(void)x;
	std::puts("handler done");
}

int main()
{
	std::atexit(handler);
	std::printf("conn %d\n", conn.buf[0]);
	return 0;
}
