/* seccomp_targets.c WHAT: programs run under an inherited seccomp filter (seccomp_exec.c, t314):
 *  exit3    returns 3 from main (an atexit handler prints "atexit")
 *  hang     an atexit handler that sleeps for ever; "ready" printed just before exit() (the hang
 *           watchdog's snapshot; the test ends it by SIGKILL)
 *  badcall  a call through a pointer to address 0x10 (no module there): SIGSEGV at the default
 *           action (the shim's crash report walks from the return address the call pushed)
 *  null     a write through a NULL pointer: SIGSEGV at the default action */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void said(void) { puts("atexit"); }
static void sleeps(void) { for (;;) sleep(1); }

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(m, "exit3")) {
		atexit(said);
		return 3;
	}
	if (!strcmp(m, "hang")) {
		atexit(sleeps);
		puts("ready");
		exit(0);
	}
	if (!strcmp(m, "badcall")) {
		void (*volatile f)(void) = (void (*)(void))(uintptr_t)0x10;
		f();
		return 1;
	}
	if (!strcmp(m, "null")) {
		*(volatile int *)(uintptr_t)argc = 0; /* (argc is 2: page 0) */
		return 1;
	}
	return 2;
}
