/* review/writer.c MODE: a program whose trace cannot be written (kind 08): prints a line, makes
 * threads with thread_local destructors and pthread keys (trace lines), forks children, exits 42.
 * It counts SIGXFSZ and SIGPIPE with its own handlers where the mode says so. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int xfsz, spipe;
static void h_xfsz(int s) { (void)s; xfsz++; }
static void h_pipe(int s) { (void)s; spipe++; }
static pthread_key_t key;
static void kd(void *p) { (void)p; }
static void *thr(void *a) { pthread_setspecific(key, a); return a; }
static void work(int n)
{
	static int depth;   /* children fork no further */
	for (int i = 0; i < n; i++) {
		pthread_t t;
		pthread_create(&t, NULL, thr, (void *)1);
		pthread_join(t, NULL);
	}
	for (int i = 0; i < 3 && depth == 0; i++) {
		pid_t p = fork();
		if (p == 0) { depth = 1; work(2); _exit(0); }
		waitpid(p, NULL, 0);
	}
}

int main(int argc, char **argv)
{
	const char *m = argv[1];
	int n = argc > 2 ? atoi(argv[2]) : 200;
	pthread_key_create(&key, kd);
	const char *tf = getenv("TLSTRACE_FILE");
	if (!strcmp(m, "fsize_handler")) {
		/* the program lowers RLIMIT_FSIZE itself, with its own SIGXFSZ handler; its own write
		 * past the limit must be its only SIGXFSZ */
		signal(SIGXFSZ, h_xfsz);
		struct rlimit rl = {4096, RLIM_INFINITY};
		setrlimit(RLIMIT_FSIZE, &rl);
		work(n);
		char buf[8192] = {0};
		int fd = open("/tmp/u8fsize.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		ssize_t w1 = write(fd, buf, sizeof buf);
		ssize_t w2 = write(fd, buf, 1);
		int e = errno;
		close(fd); unlink("/tmp/u8fsize.tmp");
		printf("writes %zd %zd (%s), SIGXFSZ seen %d\n", w1, w2, strerror(e), xfsz);
	} else if (!strcmp(m, "fsize_dfl")) {
		struct rlimit rl = {1, RLIM_INFINITY};
		setrlimit(RLIMIT_FSIZE, &rl);
		work(n);
		printf("fsize_dfl done\n");
	} else if (!strcmp(m, "sigpipe_handler")) {
		signal(SIGPIPE, h_pipe);
		work(n);
		int p[2]; pipe(p); close(p[0]);
		ssize_t w = write(p[1], "x", 1);
		printf("own write to closed pipe %zd, SIGPIPE seen %d\n", w, spipe);
	} else if (!strcmp(m, "unlink_trace")) {
		/* removes its trace at start, then puts a FIFO there, then works and forks */
		if (tf) { unlink(tf); mkfifo(tf, 0600); }
		work(n);
		if (tf) unlink(tf);
		printf("unlink_trace done\n");
	} else if (!strcmp(m, "dir_trace")) {
		/* removes its trace and makes a directory there */
		if (tf) { unlink(tf); mkdir(tf, 0700); }
		work(n);
		if (tf) rmdir(tf);
		printf("dir_trace done\n");
	} else if (!strcmp(m, "chdir_close")) {
		/* chdir to U8_DIR, close every descriptor from 3 up, then make trace lines and fork */
		if (chdir(getenv("U8_DIR"))) return 3;
		closefrom(3);
		work(n);
		printf("chdir_close done\n");
	} else if (!strcmp(m, "free_space")) {
		/* works on a full filesystem, then frees space (U8_FILL) and works on */
		work(n);
		if (getenv("U8_FILL")) unlink(getenv("U8_FILL"));
		work(n);
		printf("free_space done\n");
	} else {
		work(n);
		printf("%s done\n", m);
	}
	return 42;
}
