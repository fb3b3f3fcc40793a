/* order.c MODE: exit handlers' order and arguments, handlers registered while exiting, buffered
 * output across fork, odd exit statuses */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
static char seq[4096];
static int pos;
static void add(int i) { pos += snprintf(seq + pos, sizeof seq - pos, "%d ", i); }
#define H(n) static void h##n(void) { add(n); }
H(0) H(1) H(2) H(3) H(4) H(5) H(6) H(7) H(8) H(9)
static void (*hs[10])(void) = {h0, h1, h2, h3, h4, h5, h6, h7, h8, h9};
static void late(void) { add(-1); }
static void registers_late(void) { add(-2); atexit(late); }
static void oe(int st, void *arg) { pos += snprintf(seq + pos, sizeof seq - pos, "on_exit(%d,%s) ", st, (char *)arg); }
static void last(void) { printf("%s\n", seq); fflush(stdout); }
int main(int argc, char **argv)
{
	(void)argc;
	atexit(last);
	for (int i = 0; i < 100; i++) {
		if (i % 17 == 0) on_exit(oe, "x");
		atexit(hs[i % 10]);
		if (i == 50) atexit(registers_late);
	}
	printf("buffered before fork ");
	pid_t p = fork();
	if (p == 0) { printf("child\n"); exit(0); }
	waitpid(p, 0, 0);
	printf("parent\n");
	long st = strtol(argv[1], 0, 0);
	if (!strcmp(argv[2], "return")) return (int)st;
	if (!strcmp(argv[2], "quick")) quick_exit((int)st);
	exit((int)st);
}
