/* review/fds.c MODE: descriptors as the program sees them (kind 06) */
#include "state.h"
#include <pthread.h>
#include <setjmp.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <stdint.h>

static int first_fd_in_ctor = -1;
__attribute__((constructor)) static void ctor(void)
{
	first_fd_in_ctor = open("/dev/null", O_RDONLY);
	close(first_fd_in_ctor);
}
static pthread_key_t key;
static void kd(void *p) { (void)p; }
struct D { int x; };
static __thread int tl_used;
static void *thr(void *a)
{
	pthread_setspecific(key, a);
	tl_used = 1;
	return a;
}
static sigjmp_buf jb;
static void h(int s) { siglongjmp(jb, s); }

static void threads(void)
{
	pthread_key_create(&key, kd);
	pthread_t t[3];
	for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, thr, (void *)1);
	for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argv[1];
	(void)argc;
	if (!strcmp(m, "list")) {
		/* fds at main, after threads, after a handled SIGSEGV, after a child that crashed */
		printf("first fd in program constructor %d\n", first_fd_in_ctor);
		st_fds("main");
		threads();
		st_fds("threads");
		signal(SIGSEGV, h);
		if (sigsetjmp(jb, 1) == 0) *(volatile int *)(uintptr_t)8 = 0;
		st_fds("handled");
		pid_t p = fork();
		if (p == 0) { signal(SIGSEGV, SIG_DFL); *(volatile int *)(uintptr_t)8 = 0; }
		int st; waitpid(p, &st, 0);
		printf("child signal %d\n", WTERMSIG(st));
		st_fds("child_crashed");
		int fd = open("/dev/null", O_RDONLY);
		printf("first open -> %d\n", fd);
		return fd == 3 ? 0 : 9;
	} else if (!strcmp(m, "assert3")) {
		/* a program that asserts its first open, after threads with keys and TLS, is 3; then a
		 * pipe 4 5, socketpair 6 7, eventfd-free; dup() 8 */
		threads();
		int fd = open("/dev/null", O_RDONLY), pf[2], sp[2];
		if (pipe(pf) || socketpair(AF_UNIX, SOCK_STREAM, 0, sp)) return 8;
		printf("%d %d %d %d %d %d\n", fd, pf[0], pf[1], sp[0], sp[1], dup(0));
		return fd == 3 ? 0 : 9;
	} else if (!strcmp(m, "close_range") || !strcmp(m, "closefrom")) {
		/* the program closes everything from 3 up, then puts its own file at every fd up to 1100
		 * (the shim's trace lived at 1000), makes threads and exits with exit(): its files must
		 * hold only what it wrote */
		char path[] = "/tmp/u8ownXXXXXX";
		int t = mkstemp(path);
		if (!strcmp(m, "close_range")) syscall(SYS_close_range, 3U, ~0U, 0U);
		else closefrom(3);
		st_fds("after");
		pid_t p = fork();
		if (p == 0) {
			int fd = open(path, O_WRONLY | O_APPEND);
			for (int i = 3; i <= 1100; i++) if (i != fd) dup2(fd, i);
			if (write(1000, "mine\n", 5) != 5) _exit(7);
			threads();
			signal(SIGSEGV, h);
			if (sigsetjmp(jb, 1) == 0) *(volatile int *)(uintptr_t)8 = 0;
			exit(0);
		}
		int st; waitpid(p, &st, 0);
		char buf[4096] = "";
		int fd = open(path, O_RDONLY);
		ssize_t n = read(fd, buf, sizeof buf - 1);
		unlink(path);
		(void)t;
		printf("child %d, its file holds %zd bytes: %.40s\n", WEXITSTATUS(st), n, buf);
		return 0;
	} else if (!strcmp(m, "close_trace_exec")) {
		/* closes all but 0-2, then execs a shell that lists its fds */
		syscall(SYS_close_range, 3U, ~0U, 0U);
		execl("/bin/ls", "ls", "/proc/self/fd", (char *)0);
	}
	return 0;
}
