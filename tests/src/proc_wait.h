/* proc_wait.h - for the test programs: wait for another process's state (blocked in a system
 * call, ended), read from /proc, instead of sleeping a fixed time and hoping it got there: on a
 * busy machine (CI's two cores) any fixed delay is once too short. Each wait gives up after 60 s
 * (a safety net for a stuck run; the test's own checks then fail). Not async-signal-safe (stdio).
 * System call numbers are x86-64's (asm/unistd_64.h). */
#ifndef PROC_WAIT_H
#define PROC_WAIT_H
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#define NR_PAUSE 34
#define NR_WAIT4 61     /* also wait3, waitpid, wait */
#define NR_WAITID 247

/* the system call process pid's main thread is blocked in (/proc/PID/syscall), -1 if running or
 * unreadable, -2 if it is gone */
static inline long proc_syscall(pid_t pid)
{
	char path[64];
	long nr = -1;
	FILE *f;
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -2;
	if (fscanf(f, "%ld", &nr) != 1)
		nr = -1; /* "running" */
	fclose(f);
	return nr;
}

/* process pid's state letter (/proc/PID/stat: R, S, Z...), 0 if it is gone */
static inline char proc_state(pid_t pid)
{
	char path[64], buf[512], *p = NULL;
	size_t n;
	FILE *f;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	for (char *q = buf; *q; q++) /* (the name may hold ") ") */
		if (q[0] == ')' && q[1] == ' ')
			p = q + 2;
	return p ? *p : 0;
}

static inline void proc_nap(void)
{
	struct timespec t = {0, 5000000};
	nanosleep(&t, NULL);
}

/* until process pid blocks in system call nr or nr2 (give -1 for none), at most 60 s; 0 when it
 * did */
static inline int until_in_syscall(pid_t pid, long nr, long nr2)
{
	for (int i = 0; i < 12000; i++) {
		long s = proc_syscall(pid);
		if (s >= 0 && (s == nr || s == nr2))
			return 0;
		proc_nap();
	}
	return -1;
}

/* until child pid has ended (a zombie, not reaped), at most 60 s; 0 when it did */
static inline int until_ended(pid_t pid)
{
	for (int i = 0; i < 12000; i++) {
		char s = proc_state(pid);
		if (s == 'Z' || s == 'X' || s == 0)
			return 0;
		proc_nap();
	}
	return -1;
}
/* a waited-for child's end on stdout: "WHO exit N" or "WHO killed by signal N" */
static inline void print_end(const char *who, int status)
{
	if (WIFSIGNALED(status))
		printf("%s killed by signal %d\n", who, WTERMSIG(status));
	else
		printf("%s exit %d\n", who, WEXITSTATUS(status));
}
#endif
