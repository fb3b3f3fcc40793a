/* review/readback.c: other things a program reads of itself: its sigaltstack (main and a
 * thread), its threads (/proc/self/task), rlimits, dumpable, umask, timer slack, the
 * Sig* lines of /proc/self/status, its environment's TLSTRACE-free part */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
static void alt(const char *tag)
{
	stack_t s;
	sigaltstack(NULL, &s);
	printf("%s sigaltstack flags=%d size=%zu sp=%s\n", tag, s.ss_flags, s.ss_size, s.ss_sp ? "set" : "null");
}
static int tasks(void)
{
	DIR *d = opendir("/proc/self/task"); int n = 0; struct dirent *e;
	while ((e = readdir(d))) n += e->d_name[0] != '.';
	closedir(d); return n;
}
static void *thr(void *a) { alt("thread"); return a; }
int main(void)
{
	alt("main");
	pthread_t t; pthread_create(&t, NULL, thr, NULL); pthread_join(t, NULL);
	printf("tasks at main %d\n", tasks());
	for (int r = 0; r < RLIMIT_NLIMITS; r++) { struct rlimit l; getrlimit(r, &l); printf("rlimit %d %lld %lld\n", r, (long long)l.rlim_cur, (long long)l.rlim_max); }
	printf("dumpable %d timerslack %d\n", prctl(PR_GET_DUMPABLE), prctl(PR_GET_TIMERSLACK));
	mode_t u = umask(0); umask(u); printf("umask %o\n", u);
	FILE *f = fopen("/proc/self/status", "r"); char l[256];
	while (fgets(l, sizeof l, f)) if (!strncmp(l, "Sig", 3) || !strncmp(l, "ShdPnd", 6) || !strncmp(l, "Threads", 7)) fputs(l, stdout);
	fclose(f);
	extern char **environ; int n = 0;
	for (char **e = environ; *e; e++) if (strncmp(*e, "LD_PRELOAD=", 11) && strncmp(*e, "TLSTRACE_", 9)) n++;
	printf("environ entries (without LD_PRELOAD, TLSTRACE_*) %d\n", n);
	char comm[32] = ""; prctl(PR_GET_NAME, comm); printf("comm %s\n", comm);
	return 0;
}
