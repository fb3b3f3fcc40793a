/* hostile18.c MODE [ARG]: HOSTILE18's programs (issue 14), kinds not tried before; each prints what
 * it sees and ends by a known route. review/run-hostile18.sh compares each with and without the shim. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void ms(int n) { struct timespec t = {n / 1000, (n % 1000) * 1000000L}; nanosleep(&t, NULL); }
static int ntasks(void)
{
	int n = 0; DIR *d = opendir("/proc/self/task"); struct dirent *e;
	while ((e = readdir(d))) n += e->d_name[0] != '.';
	closedir(d); return n;
}

/* timerslack: PR_SET_TIMERSLACK in main, read back in a thread (inherited) and at exit */
static void *slack_th(void *a) { (void)a; printf("thread slack %d\n", prctl(PR_GET_TIMERSLACK)); return NULL; }
static void slack_at(void) { printf("atexit slack %d\n", prctl(PR_GET_TIMERSLACK)); ms(5); }
static void m_timerslack(void)
{
	pthread_t t; prctl(PR_SET_TIMERSLACK, 2000000); pthread_create(&t, NULL, slack_th, NULL); pthread_join(t, NULL);
	atexit(slack_at);
}
/* affinity: one CPU, then threads and a child see it */
static void *aff_th(void *a) { (void)a; cpu_set_t s; sched_getaffinity(0, sizeof s, &s); printf("thread cpus %d\n", CPU_COUNT(&s)); return NULL; }
static void m_affinity(void)
{
	cpu_set_t s; CPU_ZERO(&s); CPU_SET(0, &s); printf("set %d\n", sched_setaffinity(0, sizeof s, &s));
	pthread_t t[3]; for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, aff_th, NULL);
	for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
	fflush(stdout);
	pid_t p = fork(); if (!p) { aff_th(NULL); _exit(0); } waitpid(p, NULL, 0);
}
/* vfork from a thread while another thread exits the process */
static void *vf_th(void *a) { (void)a; for (int i = 0; i < 50; i++) { pid_t p = vfork(); if (!p) _exit(7); int st; waitpid(p, &st, 0); } return NULL; }
static void m_vfork_exit(void)
{
	pthread_t t; setvbuf(stdout, NULL, _IONBF, 0); pthread_create(&t, NULL, vf_th, NULL); ms(2); printf("exiting\n"); exit(3);
}
/* pthread_cancel of a thread (in an interposed sleep, or a read) from an atexit handler */
static pthread_t cancel_t; static int cancel_pipe[2];
static void *cancel_th(void *a) { char c; if (a) read(cancel_pipe[0], &c, 1); else for (;;) ms(100); return NULL; }
static void cancel_at(void)
{
	void *r; printf("cancel %d\n", pthread_cancel(cancel_t)); printf("join %d %s\n", pthread_join(cancel_t, &r), r == PTHREAD_CANCELED ? "canceled" : "other");
	printf("tasks %d\n", ntasks());
}
static void m_cancel_atexit(int rd) { pipe(cancel_pipe); pthread_create(&cancel_t, NULL, cancel_th, rd ? (void *)1 : NULL); ms(5); atexit(cancel_at); }
/* longjmp out of an atexit handler back into main, which then returns again */
static jmp_buf jb; static int jumped;
static void jmp_at(void) { printf("atexit jumps\n"); fflush(stdout); longjmp(jb, 1); }
static void last_at(void) { printf("last atexit\n"); }
static int m_longjmp_atexit(void)
{
	atexit(last_at); atexit(jmp_at);
	if (setjmp(jb)) { jumped++; printf("back in main %d\n", jumped); return 4; }
	return 3;
}
/* exit racing in two threads (same status) */
static atomic_int go;
static void *exit_th(void *a) { while (!atomic_load(&go)) ; exit((int)(intptr_t)a); }
static void race_at(void) { ms(3); }
static void m_exit_race(void)
{
	pthread_t t[2]; atexit(race_at);
	for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, exit_th, (void *)5);
	atomic_store(&go, 1); for (;;) pause();
}
/* SIGPIPE: ignored, then a write to a closed pipe at exit (EPIPE); or default (death by SIGPIPE) */
static int pp[2];
static void pipe_at(void) { ssize_t n = write(pp[1], "x", 1); printf("write %zd %s\n", n, n < 0 ? strerrorname_np(errno) : ""); fflush(stdout); }
static void m_sigpipe(int ign)
{
	pipe(pp); close(pp[0]); if (ign) signal(SIGPIPE, SIG_IGN); atexit(pipe_at);
}
/* stdout a closed descriptor at exit: stdio's flush fails, the status stays 0 */
static void m_stdout_closed(void) { printf("buffered, never written\n"); close(1); }
/* stdout a descriptor reopened on /dev/full at exit (ENOSPC at the flush) */
static void m_stdout_full(void) { int fd = open("/dev/full", O_WRONLY); printf("lost\n"); dup2(fd, 1); }
/* environment: count and list the variables a child sees (env -i; LD_BIND_NOW) */
extern char **environ;
static void m_env(void)
{
	int n = 0; for (char **e = environ; *e; e++) if (strncmp(*e, "LD_PRELOAD=", 11) && strncmp(*e, "TLSTRACE_", 9)) n++;
	printf("env %d\n", n); fflush(stdout);
	pid_t p = fork(); if (!p) { execl("/bin/sh", "sh", "-c", "env | grep -vc '^LD_PRELOAD=\\|^TLSTRACE_'", (char *)0); _exit(9); }
	int st; waitpid(p, &st, 0); printf("child %d\n", WEXITSTATUS(st));
}
/* clone3 with CLONE_INTO_CGROUP (the process's own cgroup v2 directory) */
static void m_clone3_cgroup(void)
{
	char path[512] = "/sys/fs/cgroup", line[400]; FILE *f = fopen("/proc/self/cgroup", "r");
	while (f && fgets(line, sizeof line, f)) if (!strncmp(line, "0::", 3)) { line[strcspn(line, "\n")] = 0; strncat(path, line + 3, sizeof path - 20); }
	if (f) fclose(f);
	int cg = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct clone_args ca; memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_INTO_CGROUP; ca.exit_signal = SIGCHLD; ca.cgroup = (uint64_t)cg;
	fflush(stdout);
	long r = syscall(SYS_clone3, &ca, sizeof ca);
	if (r == 0) { printf("child in cgroup\n"); fflush(stdout); _exit(6); }
	if (r < 0) { printf("clone3 %s\n", strerrorname_np(errno)); return; }
	int st; waitpid((pid_t)r, &st, 0); printf("child status %d\n", WEXITSTATUS(st));
}
/* ITIMER_REAL with a handler ticking every ms through exit and atexit handlers that sleep */
static volatile sig_atomic_t ticks;
static void on_alrm(int s) { (void)s; ticks++; }
static void tick_at(void) { for (int i = 0; i < 20; i++) ms(1); printf("atexit ticks>0 %d\n", ticks > 0); }
static void m_itimer_real(void)
{
	struct sigaction sa = {0}; sa.sa_handler = on_alrm; sa.sa_flags = SA_RESTART; sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 1000}, {0, 1000}}; setitimer(ITIMER_REAL, &it, NULL); atexit(tick_at);
}
/* alarm at its default action firing in an atexit handler (death by SIGALRM) */
static void alarm_at(void) { printf("atexit waits\n"); fflush(stdout); for (;;) pause(); }
static void m_alarm_atexit(void) { alarm(1); atexit(alarm_at); }
/* atexit registered from an atexit handler, on_exit with its argument */
static void inner_at(void) { printf("inner atexit\n"); }
static void outer_at(void) { printf("outer atexit\n"); atexit(inner_at); }
static void onx(int st, void *a) { printf("on_exit %d %s\n", st, (char *)a); }
static void m_nested_atexit(void) { atexit(outer_at); on_exit(onx, "arg"); }
/* exit from a pthread key destructor of the last thread (main has pthread_exit'ed) */
static pthread_key_t key;
static void key_dtor(void *v) { printf("dtor %s exits\n", (char *)v); fflush(stdout); exit(8); }
static void *key_th(void *a) { (void)a; pthread_setspecific(key, "thread"); ms(20); return NULL; }
static void m_key_exit(void) { pthread_t t; pthread_key_create(&key, key_dtor); pthread_create(&t, NULL, key_th, NULL); pthread_exit(NULL); }
/* PR_SET_DUMPABLE 0, then a fault (SIGSEGV, no core) */
static void m_nodump_segv(void) { prctl(PR_SET_DUMPABLE, 0); printf("dumpable %d\n", prctl(PR_GET_DUMPABLE)); fflush(stdout); *(volatile int *)0 = 1; }
/* PR_SET_NAME in threads, then the names /proc shows at exit */
static void *name_th(void *a) { prctl(PR_SET_NAME, a); for (;;) pause(); return NULL; }
static void names_at(void)
{
	DIR *d = opendir("/proc/self/task"); struct dirent *e; int n = 0; char p[300], c[64];
	while ((e = readdir(d))) { if (e->d_name[0] == '.') continue; snprintf(p, sizeof p, "/proc/self/task/%s/comm", e->d_name); FILE *f = fopen(p, "r"); if (f && fgets(c, sizeof c, f) && !strncmp(c, "wk", 2)) n++; if (f) fclose(f); }
	closedir(d); printf("named threads %d\n", n);
}
static void m_names(void) { pthread_t t; pthread_create(&t, NULL, name_th, "wk-a"); pthread_create(&t, NULL, name_th, "wk-b"); ms(10); atexit(names_at); }
/* SA_RESETHAND SIGTERM handler that raises SIGTERM again (the second is at SIG_DFL) */
static void on_term_again(int s) { printf("handler once\n"); fflush(stdout); raise(s); printf("not reached\n"); }
static void m_resethand_again(void)
{
	struct sigaction sa = {0}; sa.sa_handler = on_term_again; sa.sa_flags = SA_RESETHAND | SA_NODEFER; sigaction(SIGTERM, &sa, NULL); raise(SIGTERM);
}
/* RLIMIT_CORE 0, then abort in a thread */
static void *abort_th(void *a) { (void)a; abort(); }
static void m_core0_abort(void) { struct rlimit r = {0, 0}; setrlimit(RLIMIT_CORE, &r); pthread_t t; pthread_create(&t, NULL, abort_th, NULL); for (;;) pause(); }
/* exit from a thread while main runs an atexit handler (exit called twice: glibc serializes) */
static void *late_exit(void *a) { (void)a; ms(10); printf("thread exits\n"); fflush(stdout); exit(9); }
static void slow_at(void) { printf("atexit slow\n"); fflush(stdout); ms(200); printf("atexit done\n"); }
static void m_exit_in_atexit(void) { pthread_t t; atexit(slow_at); pthread_create(&t, NULL, late_exit, NULL); }
/* SIGCHLD from a child while the parent's atexit handler waits in sigsuspend */
static void on_chld(int s) { (void)s; }
static void chld_at(void)
{
	sigset_t b, o; sigemptyset(&b); sigaddset(&b, SIGCHLD); sigprocmask(SIG_BLOCK, &b, &o);
	pid_t p = fork(); if (!p) { ms(50); _exit(2); }
	sigsuspend(&o); int st; waitpid(p, &st, 0); printf("child %d\n", WEXITSTATUS(st));
}
static void m_sigsuspend_atexit(void) { signal(SIGCHLD, on_chld); atexit(chld_at); }

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "timerslack")) m_timerslack();
	else if (!strcmp(m, "affinity")) m_affinity();
	else if (!strcmp(m, "vfork_exit")) m_vfork_exit();
	else if (!strcmp(m, "cancel_atexit_sleep")) m_cancel_atexit(0);
	else if (!strcmp(m, "cancel_atexit_read")) m_cancel_atexit(1);
	else if (!strcmp(m, "longjmp_atexit")) return m_longjmp_atexit();
	else if (!strcmp(m, "exit_race")) m_exit_race();
	else if (!strcmp(m, "sigpipe_ign")) m_sigpipe(1);
	else if (!strcmp(m, "sigpipe_dfl")) m_sigpipe(0);
	else if (!strcmp(m, "stdout_closed")) m_stdout_closed();
	else if (!strcmp(m, "stdout_full")) m_stdout_full();
	else if (!strcmp(m, "env")) m_env();
	else if (!strcmp(m, "clone3_cgroup")) m_clone3_cgroup();
	else if (!strcmp(m, "itimer_real")) m_itimer_real();
	else if (!strcmp(m, "alarm_atexit")) m_alarm_atexit();
	else if (!strcmp(m, "nested_atexit")) m_nested_atexit();
	else if (!strcmp(m, "key_exit")) m_key_exit();
	else if (!strcmp(m, "nodump_segv")) m_nodump_segv();
	else if (!strcmp(m, "names")) m_names();
	else if (!strcmp(m, "resethand_again")) m_resethand_again();
	else if (!strcmp(m, "core0_abort")) m_core0_abort();
	else if (!strcmp(m, "exit_in_atexit")) m_exit_in_atexit();
	else if (!strcmp(m, "sigsuspend_atexit")) m_sigsuspend_atexit();
	else return 2;
	return 0;
}
