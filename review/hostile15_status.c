/* hostile15_status.c: /proc/self/status fields other than SigCgt (Threads, FDSize, VmStk, NoNewPrivs,
 * Seccomp, ...) in main, a thread, a key destructor, termination handlers, a fork child, atexit.
 * review/run-hostile15.sh */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
static const char *keys = ",Umask,State,TracerPid,FDSize,Threads,SigQ,NoNewPrivs,Seccomp,Seccomp_filters,VmStk,VmLck,VmPin,CoreDumping,THP_enabled,Kthread,NSpid,";
static void status(const char *tag)
{
	FILE *f = fopen("/proc/self/status", "r"); char l[256];
	printf("[%s]", tag);
	while (fgets(l, sizeof l, f)) { char k[64], kk[70]; sscanf(l, "%63[^:]", k); snprintf(kk, sizeof kk, ",%s,", k); if (strstr(keys, kk)) { l[strlen(l) - 1] = 0; char *v = strchr(l, ':') + 1; while (*v == '\t' || *v == ' ') v++; if (!strcmp(k, "NSpid")) v = "x"; printf(" %s=%s", k, v); } }
	printf("\n");
	fclose(f);
}
static void *th(void *a) { status((char *)a); return NULL; }
static void at(void) { status("atexit"); }
static void h(int s) { (void)s; status("handler"); }
struct D { int x; };
static __thread int tlx;
static void keyd(void *p) { (void)p; status("keydtor"); }
static void *setkey(void *k) { pthread_setspecific(*(pthread_key_t *)k, k); return NULL; }
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	status("main");
	atexit(at);
	pthread_t t; pthread_create(&t, NULL, th, "thread"); pthread_join(t, NULL);
	status("joined");
	pthread_key_t k; pthread_key_create(&k, keyd);
	pthread_create(&t, NULL, setkey, &k);
	pthread_join(t, NULL);
	(void)tlx;
	signal(SIGTERM, h); kill(getpid(), SIGTERM);
	signal(SIGHUP, h); raise(SIGHUP);
	signal(SIGINT, h); raise(SIGINT);
	pid_t c = fork(); if (c == 0) { status("child"); exit(0); }
	waitpid(c, NULL, 0);
	system("grep -E '^(Threads|FDSize)' /proc/$PPID/status | tr '\\n' ' '; echo");
	return 0;
}
