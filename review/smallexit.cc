// review/smallexit.cc MODE KIB: exit() called where stack is short (kind 10, teardown side):
//  thread   a thread with a KIB stack, with a thread_local (destructor) and a key, calls exit(5)
//  sighand  a SIGTERM handler on the program's own sigaltstack of AT_MINSIGSTKSZ + KIB calls exit(6)
//  thrsig   a KIB-stack thread takes SIGTERM (the others block it); its handler calls exit(7)
//  atexit_unshare  an atexit handler calls unshare(CLONE_NEWUSER) (single-threaded only)
//  atexit_tasks  prints the number of its threads from an atexit handler and a destructor
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
struct D { int v = 0; ~D() { v = -1; __asm__ volatile("" ::: "memory"); } };
static thread_local D tl;
static pthread_key_t key;
static size_t kib;
static void kd(void *) {}
static int tasks() { DIR *d = opendir("/proc/self/task"); int n = 0; while (dirent *e = readdir(d)) n += e->d_name[0] != '.'; closedir(d); return n; }
static void *t_exit(void *) { tl.v = 1; pthread_setspecific(key, (void *)1); exit(5); }
static void h_exit6(int) { exit(6); }
static void h_exit7(int) { exit(7); }
static void *t_sig(void *) { tl.v = 1; for (;;) pause(); }
#include <sched.h>
#include <errno.h>
/* unshare(CLONE_NEWUSER) needs a single-threaded process (EINVAL otherwise) */
static void at_unshare() { int r = unshare(CLONE_NEWUSER); printf("atexit unshare(CLONE_NEWUSER) %d %s\n", r, r ? strerror(errno) : "ok"); }
static void at() { printf("atexit: %d threads\n", tasks()); }
struct G { ~G() { printf("static destructor: %d threads\n", tasks()); } } g;
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	kib = argc > 2 ? atoi(argv[2]) : 16;
	pthread_key_create(&key, kd);
	pthread_attr_t a; pthread_attr_init(&a); pthread_attr_setstacksize(&a, kib * 1024);
	pthread_t t;
	if (!strcmp(argv[1], "thread")) { pthread_create(&t, &a, t_exit, nullptr); pause(); }
	if (!strcmp(argv[1], "sighand")) {
		size_t sz = getauxval(AT_MINSIGSTKSZ) + kib * 1024;
		stack_t ss = {malloc(sz), 0, sz}; sigaltstack(&ss, nullptr);
		struct sigaction sa = {}; sa.sa_handler = h_exit6; sa.sa_flags = SA_ONSTACK; sigaction(SIGTERM, &sa, nullptr);
		tl.v = 1; raise(SIGTERM);
	}
	if (!strcmp(argv[1], "thrsig")) {
		signal(SIGTERM, h_exit7);
		sigset_t s; sigemptyset(&s); sigaddset(&s, SIGTERM);
		pthread_create(&t, &a, t_sig, nullptr);
		pthread_sigmask(SIG_BLOCK, &s, nullptr);
		usleep(100000);
		kill(getpid(), SIGTERM);
		pause();
	}
	if (!strcmp(argv[1], "atexit_unshare")) { atexit(at_unshare); return 0; }
	if (!strcmp(argv[1], "atexit_tasks")) { atexit(at); printf("main: %d threads\n", tasks()); return 0; }
	return 1;
}
