/* skip.c - a JIT's implicit null check: the SIGSEGV (and SIGFPE, SIGILL) handler moves RIP past
 * the faulting instruction in the ucontext, and changes RAX, then returns; 1000 times */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <ucontext.h>
extern char after_segv[], after_fpe[], after_ill[];
static volatile long n;
static void h(int s, siginfo_t *si, void *u)
{
	ucontext_t *uc = u; (void)si;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(s == SIGSEGV ? after_segv : s == SIGFPE ? after_fpe : after_ill);
	uc->uc_mcontext.gregs[REG_RAX] = 42;
	n++;
}
int main(void)
{
	struct sigaction sa = {0}; sa.sa_sigaction = h; sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, 0); sigaction(SIGFPE, &sa, 0); sigaction(SIGILL, &sa, 0);
	long sum = 0;
	for (int i = 0; i < 1000; i++) {
		long r;
		__asm__ volatile("xor %%eax, %%eax\n\tmovq (%%rax), %%rax\n\t.globl after_segv\nafter_segv:" : "=a"(r) :: "memory");
		sum += r;
		__asm__ volatile("xor %%eax, %%eax\n\txor %%edx, %%edx\n\txor %%ecx, %%ecx\n\tidivl %%ecx\n\t.globl after_fpe\nafter_fpe:" : "=a"(r) :: "rdx", "rcx");
		sum += r;
		__asm__ volatile("xor %%eax, %%eax\n\tud2\n\t.globl after_ill\nafter_ill:" : "=a"(r));
		sum += r;
	}
	printf("handled %ld sum %ld\n", n, sum);
	return 0;
}
