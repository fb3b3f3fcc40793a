/* coroutine_signal.c [BYTES] [thread]: handlers of SIGTERM, SIGUSR1 and SIGHUP (no SA_ONSTACK)
 * taken while the program runs a coroutine (ucontext) on a stack of BYTES (default 4096) of its
 * own mapping, a PROT_NONE guard page below: the kernel's frame and the handler fit in ~3 KiB, and
 * the program prints how much of that stack the deliveries used. "thread": the coroutine runs on
 * a thread. The signals come from a child. t451 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static ucontext_t back, co;
static volatile int hits;
static size_t size;
static char *mem;
static pid_t me;

static void handler(int sig) { (void)sig; hits++; }

/* SIGTERM, SIGUSR1 and SIGHUP blocked or let in on this thread (how: SIG_BLOCK, SIG_UNBLOCK) */
static void signals_mask(int how)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(how, &set, NULL);
}
static void body(void) { while (hits < 3) {} }

static void *run(void *unused)
{
	(void)unused;
	signals_mask(SIG_UNBLOCK);
	getcontext(&co);
	co.uc_stack.ss_sp = mem + 4096;
	co.uc_stack.ss_size = size;
	co.uc_link = &back;
	makecontext(&co, body, 0);
	if (!fork()) {
		usleep(100000);
		kill(me, SIGTERM);
		usleep(50000);
		kill(me, SIGUSR1);
		usleep(50000);
		kill(me, SIGHUP);
		_exit(0);
	}
	swapcontext(&back, &co);
	wait(NULL);
	return NULL;
}

int main(int argc, char **argv)
{
	size = argc > 1 ? strtoul(argv[1], NULL, 0) : 4096;
	mem = mmap(NULL, size + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(mem, 4096, PROT_NONE);
	memset(mem + 4096, 0xa5, size);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	me = getpid();
	if (argc > 2) {
		/* the thread takes them: main blocks them, the thread lets them in (run) */
		signals_mask(SIG_BLOCK);
		pthread_t t;
		pthread_create(&t, NULL, run, NULL);
		pthread_join(t, NULL);
	} else {
		run(NULL);
	}
	size_t low = 0;
	while (low < size && (unsigned char)mem[4096 + low] == 0xa5)
		low++;
	printf("hits %d\n", hits);
	fprintf(stderr, "used %zu of %zu\n", size - low, size);
	return 0;
}
