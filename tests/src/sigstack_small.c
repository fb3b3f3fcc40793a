/* sigstack_small.c probe | SIZE: handlers of SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and
 * SIGPIPE installed with SA_ONSTACK on a signal stack of the program's, in a malloc'd buffer with
 * 64 KiB below it, each signal raised once on the main thread and once on a second thread (t411).
 *  probe  a 64 KiB stack: prints the most bytes of it a delivery used ("used N"), the kernel's
 *         frame and the handler's
 *  SIZE   a stack of SIZE bytes: per signal and thread, whether the 64 KiB below it were written
 *         ("intact" or "written below"); then "handled N"
 * A third argument "usr": SIGUSR1, SIGUSR2 and SIGPIPE only (no handler watcher: for valgrind). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BELOW 65536
static volatile sig_atomic_t handled;
static void on_sig(int sig) { (void)sig; handled++; }
static size_t size;
static long most;
static int usr_only;

static void run(const char *who)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE};
	unsigned char *buf = malloc(BELOW + size);
	stack_t ss = {.ss_sp = buf + BELOW, .ss_size = size}, off = {.ss_flags = SS_DISABLE};
	if (!buf || sigaltstack(&ss, NULL) != 0) {
		perror("sigaltstack");
		exit(2);
	}
	for (size_t i = usr_only ? 4 : 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct sigaction sa = {0};
		size_t low = 0;
		memset(buf, 0xa5, BELOW + size);
		sa.sa_handler = on_sig;
		sa.sa_flags = SA_ONSTACK;
		sigaction(sigs[i], &sa, NULL);
		raise(sigs[i]);
		while (low < BELOW + size && buf[low] == 0xa5)
			low++;
		if ((long)(BELOW + size - low) > most)
			most = (long)(BELOW + size - low);
		if (size < BELOW)
			printf("%s sig %d: %s\n", who, sigs[i], low < BELOW ? "written below" : "intact");
	}
	sigaltstack(&off, NULL);
	free(buf);
}

static void *thread_main(void *arg)
{
	run(arg);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	if (argc < 2)
		return 2;
	size = strcmp(argv[1], "probe") ? (size_t)atol(argv[1]) : BELOW;
	usr_only = argc > 2 && !strcmp(argv[2], "usr");
	setvbuf(stdout, NULL, _IOLBF, 0);
	run("main");
	pthread_create(&t, NULL, thread_main, "thread");
	pthread_join(t, NULL);
	if (size == BELOW)
		printf("used %ld\n", most);
	printf("handled %d\n", (int)handled);
	return 0;
}
