/* stackswitch.S - call a function on another stack: the crash report runs on the shim's own
 * guarded stack, not on the program's thread stack or signal stack, whose room the shim does not
 * know (crash.c).
 *
 *   void shim_call_on_stack(void (*fn)(void *), void *arg, void *top)
 *
 * top: the new stack's highest address, 16-byte aligned. The CFI describes the caller's frame
 * through %rbp, so that an unwinder walking from fn (libgcc's, in the crash report's fallback)
 * gets back to the caller's stack. async-signal-safe */
	.section .tlstrace.cold, "ax", @progbits

	.globl	shim_call_on_stack
	.hidden	shim_call_on_stack
	.type	shim_call_on_stack, @function
	.p2align 4
shim_call_on_stack:
	.cfi_startproc
	pushq	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsp
	call	*%rax
	movq	%rbp, %rsp
	popq	%rbp
	.cfi_def_cfa %rsp, 8
	ret
	.cfi_endproc
	.size	shim_call_on_stack, . - shim_call_on_stack

	.section .note.GNU-stack, "", @progbits
