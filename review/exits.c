/* review/exits.c MODE: ways out of a process (fork/exit behaviour as the program sees it) */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
static void q1(void) { printf("at_quick_exit\n"); fflush(stdout); }
static void a_exit(void) { printf("atexit calls exit(5)\n"); fflush(stdout); exit(5); }
static void a_abort(void) { printf("atexit aborts\n"); fflush(stdout); abort(); }
static void a_print(void) { printf("atexit ran\n"); }
static pthread_key_t key;
static void kd_exit(void *p) { (void)p; printf("key destructor calls exit(8)\n"); fflush(stdout); exit(8); }
static void *t_exit(void *a) { (void)a; usleep(1000); exit(6); }
static void *t_key(void *a) { pthread_setspecific(key, a); return a; }
static void *t_kill(void *a) { (void)a; kill(getpid(), SIGTERM); pause(); return a; }
int main(int argc, char **argv)
{
	(void)argc;
	const char *m = argv[1];
	atexit(a_print);
	printf("unflushed-");   /* stdio buffer: flushed by exit(), lost by _exit() */
	if (!strcmp(m, "quick_exit")) { at_quick_exit(q1); quick_exit(3); }
	if (!strcmp(m, "exit_in_atexit")) { atexit(a_exit); exit(4); }
	if (!strcmp(m, "abort_in_atexit")) { atexit(a_abort); exit(4); }
	if (!strcmp(m, "thread_exit_race")) { pthread_t t; pthread_create(&t, NULL, t_exit, NULL); usleep(500); exit(7); }
	if (!strcmp(m, "exit_in_key_dtor")) { pthread_key_create(&key, kd_exit); pthread_t t; pthread_create(&t, NULL, t_key, (void *)1); pthread_join(t, NULL); return 9; }
	if (!strcmp(m, "_exit")) _exit(10);
	if (!strcmp(m, "sigterm_dfl")) { pthread_t t; pthread_create(&t, NULL, t_kill, NULL); pause(); }
	if (!strcmp(m, "sigterm_blocked_then_exit")) {
		sigset_t s; sigemptyset(&s); sigaddset(&s, SIGTERM); sigprocmask(SIG_BLOCK, &s, NULL);
		kill(getpid(), SIGTERM); printf("pending at exit\n"); exit(11);
	}
	if (!strcmp(m, "fork_exit_both")) { pid_t p = fork(); if (p == 0) exit(12); int st; waitpid(p, &st, 0); printf("child %d\n", WEXITSTATUS(st)); exit(13); }
	if (!strcmp(m, "daemon")) { if (daemon(1, 1)) return 1; printf("daemon child\n"); exit(0); }
	return 0;
}
