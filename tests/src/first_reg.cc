// first_reg.cc - what a program's first registrations leave it (t049): descriptors open, memory
// mappings, and the pthread key and descriptor it gets next, before and after its first
// thread_local with a destructor ("tls"), its first pthread key with a destructor ("key"), or
// both then a thread doing the same ("all"). Prints one line per stage; with the shim the lines
// must be the same as without.
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

struct S {
	int v = 1;
	~S() {}
};
thread_local S s;
static char buf[1 << 20];

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n - 1; /* the directory's own */
}

static int count_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY), n = 0;
	ssize_t k, len = 0;
	while (fd >= 0 && (k = read(fd, buf + len, sizeof buf - 1 - (size_t)len)) > 0)
		len += k;
	if (fd >= 0)
		close(fd);
	for (ssize_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	return n;
}

static void stage(const char *name)
{
	pthread_key_t k;
	int fd = open("/dev/null", O_RDONLY);
	pthread_key_create(&k, nullptr);
	printf("%s: fds %d, maps %d, next key %u, next fd %d\n", name, count_fds(), count_maps(), (unsigned)k, fd);
	pthread_key_delete(k);
	close(fd);
}

static void *thread_fn(void *)
{
	s.v++;
	return nullptr;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "tls";
	pthread_key_t k;
	stage("before");
	if (!strcmp(mode, "tls") || !strcmp(mode, "all"))
		s.v++;
	if (!strcmp(mode, "key") || !strcmp(mode, "all"))
		pthread_key_create(&k, [](void *) {});
	stage("after");
	if (!strcmp(mode, "all")) {
		pthread_t t;
		pthread_create(&t, nullptr, thread_fn, nullptr);
		pthread_join(t, nullptr);
		stage("after a thread");
	}
	return 0;
}
