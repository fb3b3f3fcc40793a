/* termentry.S - the kernel's entry for a termination signal the program handles (HOSTILE18,
 * issue 14: "a handler runs on the stack ... it would have had without the shim").
 *
 *   void term_trampoline(int sig, siginfo_t *si, void *uc)    installed in the kernel only
 *
 * The shim's work before the program's handler (term_pre: the arrival's lines, on a shim stack
 * where the handler's is the program's, the watcher) runs below the kernel's frame and returns;
 * then the program's handler is called from here, 16 bytes below that frame (the return address
 * and the alignment the ABI asks for at a call), not below term_pre's frame: 224-256 bytes lower
 * than without the shim before (review's hostile18_depth). Then term_post (the watcher's end,
 * uc_stack given back, the kept lines), and the return to the kernel's restorer.
 * sig, si, uc and term_pre's packed state stay in %rbx, %r12, %r13, %r14 across the calls: the
 * program's handler keeps them (callee-saved), and nothing after this frame needs the values the
 * interrupted code had there: rt_sigreturn takes every register from uc. So this entry must not
 * be called from C (term_call is the C form). The CFI is an ordinary frame's: an unwinder walking
 * from the handler (backtrace(), a C++ exception thrown out of it) steps to the restorer's
 * signal frame, as from the handler without the shim. async-signal-safe */
	.section .tlstrace.cold.exit, "ax", @progbits

	.globl	term_trampoline
	.hidden	term_trampoline
	.type	term_trampoline, @function
	.p2align 4
term_trampoline:
	.cfi_startproc
	movl	%edi, %ebx
	movq	%rsi, %r12
	movq	%rdx, %r13
	subq	$8, %rsp		/* the kernel's frame leaves %rsp 8 mod 16, as at a call */
	.cfi_adjust_cfa_offset 8
	movq	%rsp, %rcx		/* frame: the stack pointer at the handler's call */
	call	term_pre		/* -> %rax: the program's handler or NULL; %rdx: state */
	testq	%rax, %rax
	jz	1f
	movq	%rdx, %r14
	movl	%ebx, %edi
	movq	%r12, %rsi
	movq	%r13, %rdx
	call	*%rax
	movl	%ebx, %edi
	movq	%r12, %rsi
	movq	%r13, %rdx
	movq	%r14, %rcx
	call	term_post
1:	addq	$8, %rsp
	.cfi_adjust_cfa_offset -8
	ret
	.cfi_endproc
	.size	term_trampoline, . - term_trampoline

	.section .note.GNU-stack, "", @progbits
