/* poll_child.c: a parent that tells children to stop and polls for them with WNOHANG (t210,
 * t034): poll_child MODE.
 *   forever   SIGTERM to a child that ignores it, then waitpid(child, WNOHANG) + usleep forever
 *   any       the same, polling waitpid(-1, WNOHANG)
 *   waitid    the same, polling waitid(P_PID, WEXITED | WNOHANG)
 *   wait4     the same, polling wait4(-1, WNOHANG)
 *   killpg    the child leads its own group; killpg(child, SIGTERM), then polls it
 *   three     three children, two of which obey SIGTERM: polls waitpid(-1) forever, reaping
 *   quiet     polls a child 200 times without signalling it, then SIGTERMs it (it obeys) and polls
 *             until it is reaped; exits 0
 *   bounded   SIGTERM to a child that ignores it, polls for 0.3 s, then SIGKILL and polls until
 *             it is reaped; exits 3 if it died of SIGKILL
 *   teardown  an atexit handler polls, without a signal, for a child that never ends (the hang
 *             watchdog's case)
 * and, never signalling the child (a run of empty polls of one child: t232):
 *   untold    waitpid(child, WNOHANG) + usleep(10 ms) forever; untold_waitid with waitid(P_PID),
 *             untold_any with waitpid(-1) (no run: uWSGI's master's poll)
 *   rare      waitpid(child, WNOHANG) every 300 ms forever (t232 sets TLSTRACE_HANG_MS=200: each
 *             poll starts a new run)
 *   two       two children polled in turn, forever
 *   ends      a child that exits 0 after 0.6 s, polled until reaped; exits 0 if it was
 *   runkill   polls a child that ignores SIGTERM, sends it SIGTERM right after that first poll,
 *             polls again 250 ms later, then every 150 ms (the poll that makes the run 200 ms
 *             long is the first after the SIGTERM, however slow the machine; before: SIGTERM
 *             after a second poll at 150 ms, which a busy machine could make the 200 ms one)
 *   once, thrice  waitpid(child, WNOHANG) once (three times, 10 ms apart), then pause() forever
 *                 (t281: a signal's wait_poll line counts the polls)
 *   teardown_once an atexit handler polls the child once, then blocks in a read of a pipe nobody
 *                 writes (t281: the hang is the read, not the polling)
 * Each child says "child N ready" once its handler is set; the parent prints "polling" first. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t kids[3];

static void ignore(int sig) { (void)sig; }

/* a child: obey (die of SIGTERM) or ignore it, tell the parent on fd, sleep forever */
static pid_t child(int obey, int own_group)
{
	int p[2];
	char c;
	pid_t pid;
	if (pipe(p) != 0)
		exit(2);
	pid = fork();
	if (pid == 0) {
		if (own_group)
			setpgid(0, 0);
		if (!obey)
			signal(SIGTERM, ignore);
		printf("child %d ready\n", (int)getpid());
		fflush(stdout);
		if (write(p[1], "r", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1)
		exit(2);
	close(p[0]);
	return pid;
}

/* one poll as the mode makes it: the pid returned, 0, or -1 */
static pid_t poll_once(const char *mode, pid_t pid, int *st)
{
	if (!strcmp(mode, "waitid")) {
		siginfo_t si;
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG) != 0)
			return -1;
		*st = si.si_status;
		return si.si_pid;
	}
	if (!strcmp(mode, "wait4"))
		return wait4(-1, st, WNOHANG, NULL);
	return waitpid(!strcmp(mode, "any") || !strcmp(mode, "three") ? -1 : pid, st, WNOHANG);
}

static pid_t teardown_kid;
static int never_written[2];
static void poll_once_then_read(void)
{
	int st;
	char c;
	waitpid(teardown_kid, &st, WNOHANG);
	if (read(never_written[0], &c, 1) < 0)
		_exit(2);
}

static void poll_at_exit(void)
{
	int st;
	while (waitpid(teardown_kid, &st, WNOHANG) == 0)
		usleep(10000);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "forever";
	int st = 0, i;
	pid_t pid;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(mode, "teardown")) {
		teardown_kid = child(0, 0);
		atexit(poll_at_exit);
		printf("polling\n");
		return 0;
	}
	if (!strcmp(mode, "teardown_once")) {
		if (pipe(never_written) != 0)
			return 2;
		teardown_kid = child(1, 0);
		atexit(poll_once_then_read);
		printf("polling\n");
		return 0;
	}
	if (!strcmp(mode, "once") || !strcmp(mode, "thrice")) {
		pid = child(1, 0);
		printf("polling\n");
		for (i = 0; i < (!strcmp(mode, "once") ? 1 : 3); i++) {
			if (i)
				usleep(10000);
			if (waitpid(pid, &st, WNOHANG) != 0)
				return 1;
		}
		for (;;)
			pause();
	}
	if (!strcmp(mode, "three")) {
		for (i = 0; i < 3; i++)
			kids[i] = child(i < 2, 0);
		for (i = 0; i < 3; i++)
			kill(kids[i], SIGTERM);
		printf("polling\n");
		for (;;) {
			pid = poll_once(mode, -1, &st);
			if (pid > 0)
				printf("reaped %d\n", (int)pid);
			else
				usleep(10000);
		}
	}
	if (!strcmp(mode, "quiet")) {
		pid = child(1, 0);
		for (i = 0; i < 200; i++)
			if (waitpid(pid, &st, WNOHANG) != 0)
				return 1;
		kill(pid, SIGTERM);
		while (waitpid(pid, &st, WNOHANG) == 0)
			usleep(1000);
		return WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ? 0 : 1;
	}
	if (!strncmp(mode, "untold", 6) || !strcmp(mode, "rare") || !strcmp(mode, "two")) {
		pid_t other = !strcmp(mode, "two") ? child(1, 0) : 0;
		pid = child(1, 0);
		printf("polling\n");
		for (i = 0;; i++) {
			pid_t p = other && i % 2 ? other : pid;
			if (poll_once(!strcmp(mode, "untold_waitid") ? "waitid" : !strcmp(mode, "untold_any") ? "any" : mode, p, &st) != 0)
				return 1;
			usleep(!strcmp(mode, "rare") ? 300000 : 10000);
		}
	}
	if (!strcmp(mode, "runkill")) {
		pid = child(0, 0);
		printf("polling\n");
		for (i = 0;; i++) {
			if (poll_once(mode, pid, &st) != 0)
				return 1;
			if (i == 0)
				kill(pid, SIGTERM);
			usleep(i == 0 ? 250000 : 150000);
		}
	}
	if (!strcmp(mode, "ends")) {
		if ((pid = fork()) == 0) {
			usleep(600000);
			_exit(0);
		}
		while ((i = waitpid(pid, &st, WNOHANG)) == 0)
			usleep(10000);
		return i == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
	}
	pid = child(0, !strcmp(mode, "killpg"));
	if (!strcmp(mode, "killpg"))
		killpg(pid, SIGTERM);
	else
		kill(pid, SIGTERM);
	printf("polling\n");
	if (!strcmp(mode, "bounded")) {
		for (i = 0; i < 30 && poll_once(mode, pid, &st) == 0; i++)
			usleep(10000);
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, WNOHANG) == 0)
			usleep(1000);
		return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 3 : 1;
	}
	for (;;) {
		if (poll_once(mode, pid, &st) != 0)
			return 1;
		usleep(10000);
	}
}
