/* review/vfork.c MODE: a vfork child that changes signal state before exec/_exit; the parent
 * then prints its state as it reads it and checks its handlers run (kind 11) */
#include "state.h"
#include <setjmp.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/wait.h>
extern char **environ;

static volatile int got_usr1, got_segv;
static sigjmp_buf jb;
static void h_usr1(int s) { (void)s; got_usr1++; }
static void h_segv(int s) { (void)s; got_segv++; siglongjmp(jb, 1); }
static void h_child(int s) { (void)s; }

static int wstat(int st) { return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st); }

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	(void)argc;
	st_known_fn[0] = (void *)h_usr1; st_known_fn[1] = (void *)h_segv; st_known_fn[2] = (void *)h_child;
	signal(SIGUSR1, h_usr1);
	struct sigaction sa = {0};
	sa.sa_handler = h_segv; sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	const char *m = argv[1];
	int st = 0;
	pid_t p = 0;
	if (!strcmp(m, "all")) {
		/* child: signal(), sigaction() for every catchable signal, sigprocmask(all), a failing
		 * execve, then _exit */
		p = vfork();
		if (p == 0) {
			for (int i = 1; i <= 64; i++) {
				if (i == SIGKILL || i == SIGSTOP) continue;
				struct sigaction c = {0};
				c.sa_handler = (i & 1) ? SIG_IGN : h_child;
				c.sa_flags = SA_RESETHAND;
				sigaction(i, &c, NULL);
			}
			signal(SIGSEGV, SIG_DFL);
			signal(SIGUSR1, SIG_IGN);
			sigset_t all; sigfillset(&all);
			sigprocmask(SIG_BLOCK, &all, NULL);
			char *av[] = {"/nonexistent/prog", NULL};
			execve(av[0], av, environ);
			_exit(127);
		}
	} else if (!strcmp(m, "exec_ok")) {
		p = vfork();
		if (p == 0) {
			signal(SIGSEGV, SIG_IGN);
			signal(SIGUSR1, SIG_DFL);
			sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR1);
			sigprocmask(SIG_BLOCK, &s, NULL);
			execl("/bin/sh", "sh", "-c", "exit 4", (char *)0);
			_exit(127);
		}
	} else if (!strcmp(m, "raise_in_child")) {
		/* the child raises SIGUSR1 to itself with the parent's handler installed (glibc: allowed
		 * to call only async-signal-safe functions; the handler is one), then _exit */
		p = vfork();
		if (p == 0) { raise(SIGUSR1); _exit(got_usr1 == 1 ? 5 : 6); }
	} else if (!strcmp(m, "spawn")) {
		posix_spawnattr_t at;
		posix_spawnattr_init(&at);
		sigset_t all, none; sigfillset(&all); sigemptyset(&none);
		sigdelset(&all, SIGKILL); sigdelset(&all, SIGSTOP);
		posix_spawnattr_setsigdefault(&at, &all);
		posix_spawnattr_setsigmask(&at, &none);
		posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
		char *av[] = {"sh", "-c", "kill -USR1 $$; exit 9", NULL};
		if (posix_spawn(&p, "/bin/sh", NULL, &at, av, environ)) return 2;
		waitpid(p, &st, 0);
		printf("spawn child %d\n", wstat(st));
		char *av2[] = {"nope", NULL};
		int e = posix_spawnp(&p, "u8-no-such-program", NULL, &at, av2, environ);
		printf("spawnp missing -> %d\n", e);
		p = 0;
	}
	if (p > 0) { waitpid(p, &st, 0); printf("child %d\n", wstat(st)); }
	st_sigs("parent");
	raise(SIGUSR1);
	if (sigsetjmp(jb, 1) == 0) *(volatile int *)(uintptr_t)8 = 0;
	if (sigsetjmp(jb, 1) == 0) *(volatile int *)(uintptr_t)8 = 0;
	printf("parent usr1 %d segv %d\n", got_usr1, got_segv);
	return got_segv == 2 ? 7 : 1;
}
