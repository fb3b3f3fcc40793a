/* hostile15.c MODE - HOSTILE15 (stop 33): signal masks of a full set then fork, vfork, a thread,
 * system() and exec; signalfd for SIGTERM/SIGINT/SIGHUP/SIGQUIT/SIGCHLD blocked in every thread
 * (main and an atexit handler); setgroups/setgid/setuid in a threaded process (main, atexit, a
 * SIGTERM handler) with every task's ids; exec of itself from an atexit handler, a SIGHUP or SIGTERM
 * handler and a thread (the new image's mask, actions, Threads, SigIgn, descriptors below 1000);
 * seccomp strict mode; clearenv/unsetenv(LD_PRELOAD)/LD_PRELOAD= then exec env; asynchronous
 * cancellation of spinning threads. review/run-hostile15.sh */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *self_exe;
static char **gargv;
static void status_lines(const char *tag, const char *path, const char *keys)
{
	FILE *f = fopen(path, "r");
	char l[512];
	if (!f) { printf("%s %s: %s\n", tag, path, strerror(errno)); return; }
	while (fgets(l, sizeof l, f)) {
		char k[64]; if (sscanf(l, "%63[^:]:", k) != 1) continue;
		char kk[70]; snprintf(kk, sizeof kk, ",%s,", k);
		if (strstr(keys, kk)) printf("%s %s", tag, l);
	}
	fclose(f);
}
static void alltasks(const char *tag, const char *keys)
{
	DIR *d = opendir("/proc/self/task"); struct dirent *e; int n = 0; char p[300];
	while ((e = readdir(d))) { if (e->d_name[0] == '.') continue; snprintf(p, sizeof p, "/proc/self/task/%s/status", e->d_name); char t[64]; snprintf(t, sizeof t, "%s task%d", tag, n > 0); status_lines(t, p, keys); n++; }
	closedir(d);
}
static void *idle(void *a) { (void)a; for (;;) pause(); }
static void mask_print(const char *tag)
{
	sigset_t s; pthread_sigmask(SIG_SETMASK, NULL, &s);
	printf("%s mask:", tag); for (int i = 1; i < 65; i++) if (sigismember(&s, i)) printf(" %d", i); printf("\n");
	status_lines(tag, "/proc/thread-self/status", ",SigBlk,SigIgn,SigPnd,ShdPnd,");
}
/* 1: SIG_SETMASK of a full set then fork and exec */
static void m_fullmask(void)
{
	sigset_t all; sigfillset(&all);
	printf("setmask %d\n", sigprocmask(SIG_SETMASK, &all, NULL));
	mask_print("parent");
	pid_t c = fork();
	if (c == 0) { mask_print("child"); fflush(stdout); execl(self_exe, self_exe, "printmask", (char *)0); _exit(127); }
	int st; waitpid(c, &st, 0); printf("child status %d\n", st);
	c = vfork();
	if (c == 0) { execl(self_exe, self_exe, "printmask", (char *)0); _exit(127); }
	waitpid(c, &st, 0); printf("vchild status %d\n", st);
	pthread_t t; pthread_create(&t, NULL, (void *(*)(void *))(void *)mask_print, "thread"); pthread_join(t, NULL);
	printf("system %d\n", system("grep -E 'SigBlk|SigIgn' /proc/self/status"));
}
/* 2: signalfd for SIGTERM/SIGCHLD, blocked in every thread */
static int sfd;
static void sfd_read(const char *tag, int n)
{
	for (int i = 0; i < n; i++) {
		struct pollfd p = {sfd, POLLIN, 0};
		int r = poll(&p, 1, 3000);
		if (r != 1) { printf("%s poll %d\n", tag, r); return; }
		struct signalfd_siginfo si; ssize_t k = read(sfd, &si, sizeof si);
		printf("%s got %zd sig %u code %d\n", tag, k, si.ssi_signo, si.ssi_code);
	}
}
static void sfd_setup(void)
{
	sigset_t s; sigemptyset(&s); sigaddset(&s, SIGTERM); sigaddset(&s, SIGCHLD); sigaddset(&s, SIGINT); sigaddset(&s, SIGHUP); sigaddset(&s, SIGQUIT);
	sigprocmask(SIG_BLOCK, &s, NULL);
	sfd = signalfd(-1, &s, SFD_CLOEXEC);
}
static void sfd_round(const char *tag)
{
	pid_t c = fork();
	if (c == 0) { kill(getppid(), SIGTERM); kill(getppid(), SIGINT); kill(getppid(), SIGHUP); kill(getppid(), SIGQUIT); _exit(3); }
	sfd_read(tag, 5);
	int st; waitpid(c, &st, 0); printf("%s child %d\n", tag, st);
	/* to itself, from itself */
	kill(getpid(), SIGTERM); raise(SIGINT);
	sfd_read(tag, 2);
	status_lines(tag, "/proc/self/status", ",SigPnd,ShdPnd,");
}
static void at_sfd(void) { sfd_round("atexit"); }
static void m_signalfd(int where)
{
	sfd_setup();
	pthread_t t[3]; for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, idle, NULL);
	if (where == 0) sfd_round("main");
	else atexit(at_sfd);
	fflush(stdout);
}
/* 3: set*id in a threaded process, from main, atexit, a SIGTERM handler */
static void dropids(const char *tag)
{
	gid_t g = 65534;
	int a = setgroups(1, &g), b = setgid(65534), c = setuid(65534);
	printf("%s setgroups %d setgid %d setuid %d\n", tag, a, b, c);
	alltasks(tag, ",Uid,Gid,Groups,CapEff,");
}
static void at_ids(void) { dropids("atexit"); }
static void h_ids(int s) { (void)s; dropids("handler"); }
static void m_setid(int where)
{
	pthread_t t[2]; for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, idle, NULL);
	if (where == 0) dropids("main");
	else if (where == 1) atexit(at_ids);
	else { signal(SIGTERM, h_ids); kill(getpid(), SIGTERM); }
	fflush(stdout);
}
/* 4: exec itself from an atexit handler / a signal handler / a thread */
static void reexec(const char *tag) { printf("%s exec\n", tag); fflush(stdout); execl(self_exe, self_exe, "printstate", (char *)0); printf("exec failed\n"); }
static void at_exec(void) { reexec("atexit"); }
static void h_exec(int s) { (void)s; reexec("handler"); }
static void *th_exec(void *a) { (void)a; reexec("thread"); return NULL; }
static void m_exec(int where)
{
	struct sigaction sa = {0}; sa.sa_handler = SIG_IGN; sigaction(SIGUSR2, &sa, NULL);
	if (where == 0) atexit(at_exec);
	else if (where == 1) { signal(SIGHUP, h_exec); raise(SIGHUP); }
	else if (where == 2) { signal(SIGTERM, h_exec); kill(getpid(), SIGTERM); }
	else { pthread_t t, u; pthread_create(&u, NULL, idle, NULL); pthread_create(&t, NULL, th_exec, NULL); pthread_join(t, NULL); }
}
static void printstate(void)
{
	mask_print("new");
	for (int i = 1; i < 65; i++) { struct sigaction o; if (sigaction(i, NULL, &o) == 0 && o.sa_handler != SIG_DFL) printf("new sig %d %s flags %#x\n", i, o.sa_handler == SIG_IGN ? "IGN" : "handler", o.sa_flags); }
	status_lines("new", "/proc/self/status", ",Threads,SigIgn,");
	/* (descriptors below 1000: the trace's, at 1000 or the soft RLIMIT_NOFILE, is known) */
	DIR *d = opendir("/proc/self/fd"); struct dirent *e; int n = 0; while ((e = readdir(d))) if (e->d_name[0] != '.' && atoi(e->d_name) < 1000) n++; closedir(d);
	printf("new fds %d\n", n);
}
/* 5: seccomp strict */
static void m_strict(void)
{
	char buf[64]; fflush(stdout);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0) { perror("prctl"); return; }
	ssize_t n = read(0, buf, sizeof buf);
	write(1, "read done\n", 10);
	if (n > 0) write(1, buf, n);
	syscall(SYS_exit, 4);
}
/* 6: clearenv / unsetenv then exec */
static void m_env(int how)
{
	if (how == 0) clearenv();
	else if (how == 1) unsetenv("LD_PRELOAD");
	else { setenv("LD_PRELOAD", "", 1); }
	execl("/usr/bin/env", "env", (char *)0);
}
/* 7: async cancel */
static volatile int spinning;
static void *spinner(void *a) { (void)a; pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL); for (;;) spinning++; }
static void *spinner2(void *a) { (void)a; pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL); for (;;) { sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR1); pthread_sigmask(SIG_BLOCK, &s, NULL); pthread_sigmask(SIG_UNBLOCK, &s, NULL); } }
static void m_acancel(void)
{
	for (int k = 0; k < 200; k++) {
		pthread_t t; void *r;
		pthread_create(&t, NULL, k & 1 ? spinner : spinner2, NULL);
		while (!spinning && !(k & 1 ? 0 : 1)) ;
		usleep(100);
		pthread_cancel(t); pthread_join(t, &r);
		if (r != PTHREAD_CANCELED) printf("not cancelled %d\n", k);
	}
	printf("cancelled 200\n");
	mask_print("main");
}
int main(int argc, char **argv)
{
	self_exe = "/proc/self/exe"; gargv = argv;
	static char me[4096]; ssize_t k = readlink("/proc/self/exe", me, sizeof me - 1); if (k > 0) { me[k] = 0; self_exe = me; }
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "fullmask")) m_fullmask();
	else if (!strcmp(m, "printmask")) mask_print("exec");
	else if (!strcmp(m, "printstate")) printstate();
	else if (!strcmp(m, "signalfd")) m_signalfd(0);
	else if (!strcmp(m, "signalfd_atexit")) m_signalfd(1);
	else if (!strcmp(m, "setid")) m_setid(0);
	else if (!strcmp(m, "setid_atexit")) m_setid(1);
	else if (!strcmp(m, "setid_handler")) m_setid(2);
	else if (!strcmp(m, "exec_atexit")) m_exec(0);
	else if (!strcmp(m, "exec_hup")) m_exec(1);
	else if (!strcmp(m, "exec_term")) m_exec(2);
	else if (!strcmp(m, "exec_thread")) m_exec(3);
	else if (!strcmp(m, "strict")) m_strict();
	else if (!strcmp(m, "clearenv")) m_env(0);
	else if (!strcmp(m, "unsetenv")) m_env(1);
	else if (!strcmp(m, "emptyenv")) m_env(2);
	else if (!strcmp(m, "acancel")) m_acancel();
	else return 2;
	return 0;
}
