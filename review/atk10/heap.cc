// heap.cc - what glibc's malloc reports about itself at main, after a thread with a thread_local
// of a class with a destructor, after a key with a destructor, after fork; exit 0
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
struct D { int x = 1; ~D() { x = 0; } };
thread_local D tl;
static pthread_key_t k;
static void show(const char *w)
{
	struct mallinfo2 m = mallinfo2();
	printf("%s: arena %zu ordblks %zu hblks %zu uordblks %zu\n", w, m.arena, m.ordblks, m.hblks, m.uordblks);
}
static void *th(void *) { tl.x = 2; pthread_setspecific(k, (void *)1); return nullptr; }
int main()
{
	setvbuf(stdout, nullptr, _IONBF, 0);
	show("main");
	pthread_key_create(&k, [](void *) {});
	show("key");
	pthread_t t; pthread_create(&t, nullptr, th, nullptr); pthread_join(t, nullptr);
	show("thread");
	tl.x = 3;
	show("main tl");
	pid_t p = fork(); if (!p) { show("child"); _exit(0); } waitpid(p, nullptr, 0);
	malloc_stats();
	return 0;
}
