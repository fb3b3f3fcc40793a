/* review/atk11/kills.c: processes killed in (or before) teardown, by a parent, a group kill, a
 * thread of their own, sigqueue, kill of SIGABRT/SIGSEGV (ATK11). `kills MODE [TRACE]`:
 * TRACE both (default), child (only the child under the shim), parent (only the parent). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t child;
static const char *mode;
static pthread_t main_thread;

static void msleep(int ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) == -1)
		;
}
static void report_status(const char *who, int st)
{
	if (WIFSIGNALED(st))
		printf("%s: killed by signal %d%s\n", who, WTERMSIG(st), WCOREDUMP(st) ? " (core)" : "");
	else
		printf("%s: exit %d\n", who, WEXITSTATUS(st));
	fflush(stdout);
}
/* the child's teardown: an atexit handler that never returns */
static void child_stuck_flush(void)
{
	for (;;)
		pause();
}
/* the parent's teardown: stop the child, SIGTERM then SIGKILL */
static void parent_stop_child(void)
{
	int st;
	if (!strcmp(mode, "term_kill")) {
		kill(child, SIGTERM);
		msleep(500);
		kill(child, SIGKILL);
	} else if (!strcmp(mode, "killpg")) {
		killpg(child, SIGTERM);
	} else if (!strcmp(mode, "sigqueue")) {
		union sigval v = {.sival_int = 42};
		sigqueue(child, SIGTERM, v);
	} else if (!strcmp(mode, "abrt")) {
		kill(child, SIGABRT);
	} else if (!strcmp(mode, "segv")) {
		kill(child, SIGSEGV);
	}
	waitpid(child, &st, 0);
	report_status("child", st);
	if (!strcmp(mode, "killpg"))
		while (wait(&st) > 0)
			report_status("grandchild", st);
}
static void *killer_thread(void *a)
{
	(void)a;
	msleep(800);
	pthread_kill(main_thread, SIGTERM);
	return NULL;
}

static int child_main(void)
{
	if (!strcmp(mode, "term_kill"))
		signal(SIGTERM, SIG_IGN);
	if (!strcmp(mode, "killpg")) {
		setpgid(0, 0);
		if (fork() == 0) { /* a grandchild in the group, also stuck in teardown */
			atexit(child_stuck_flush);
			exit(0);
		}
	}
	if (!strcmp(mode, "before")) {
		printf("child ready\n");
		fflush(stdout);
		for (;;)
			pause(); /* killed here, before any teardown */
	}
	atexit(child_stuck_flush);
	printf("child ready\n");
	fflush(stdout);
	return 0; /* teardown: child_stuck_flush never returns */
}

int main(int argc, char **argv)
{
	mode = argc > 1 ? argv[1] : "";
	const char *tr = argc > 2 ? argv[2] : "both";
	if (!strcmp(mode, "child"))
		return mode = argv[2], child_main();
	if (!strcmp(mode, "tgkill")) { /* one of its own threads sends SIGTERM to the main thread */
		pthread_t t;
		main_thread = pthread_self();
		pthread_create(&t, NULL, killer_thread, NULL);
		pthread_setname_np(t, "killer");
		atexit(child_stuck_flush);
		return 0;
	}
	if (!strcmp(tr, "child") && getenv("LD_PRELOAD")) { /* the parent runs without the shim */
		setenv("ATK11_SHIM", getenv("LD_PRELOAD"), 1);
		unsetenv("LD_PRELOAD");
		execv("/proc/self/exe", argv);
		return 127;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int p[2];
	pipe(p);
	child = fork();
	if (child == 0) {
		char *shim = getenv("LD_PRELOAD");
		dup2(p[1], 1);
		if (!strcmp(tr, "parent"))
			unsetenv("LD_PRELOAD");
		else if (!strcmp(tr, "child") && getenv("ATK11_SHIM"))
			setenv("LD_PRELOAD", getenv("ATK11_SHIM"), 1);
		(void)shim;
		execl("/proc/self/exe", "kills", "child", mode, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char buf[64];
	ssize_t n = read(p[0], buf, sizeof buf); /* "child ready" */
	(void)n;
	if (!strcmp(mode, "killpg"))
		msleep(200);
	if (!strcmp(mode, "before")) {
		kill(child, SIGTERM); /* before the parent's teardown and the child's */
		int st;
		waitpid(child, &st, 0);
		report_status("child", st);
		return 0;
	}
	msleep(400); /* the child is in its teardown */
	atexit(parent_stop_child);
	return 0;
}
