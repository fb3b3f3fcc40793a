// maps_added.cc - the memory mappings a program's first records add (t190): writes
// /proc/self/maps to FILE.before, then makes a thread_local with a destructor, a pthread key with
// a destructor and N atexit handlers (argv[2], default 100), then writes FILE.after. Without the
// shim nothing changes between the two; with it only the program's own file may appear (mapped
// read-only to name its thread_local), and no anonymous mapping may appear or grow (a grown one
// is a new mapping the kernel merged with a neighbour).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <string>
#include <unistd.h>

struct S {
	int v = 1;
	~S() {}
};
thread_local S s;
static char buf[1 << 20];

static void dump(const std::string &path)
{
	int fd = open("/proc/self/maps", O_RDONLY), out;
	ssize_t k, len = 0;
	while (fd >= 0 && (k = read(fd, buf + len, sizeof buf - 1 - (size_t)len)) > 0)
		len += k;
	if (fd >= 0)
		close(fd);
	out = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || write(out, buf, (size_t)len) != len)
		exit(3);
	close(out);
}

static void handler(void) {}

int main(int argc, char **argv)
{
	std::string base = argc > 1 ? argv[1] : "maps";
	int n = argc > 2 ? atoi(argv[2]) : 100;
	pthread_key_t k;
	dump(base + ".before");
	s.v++;
	pthread_key_create(&k, [](void *) {});
	for (int i = 0; i < n; i++)
		atexit(handler);
	dump(base + ".after");
	return 0;
}
