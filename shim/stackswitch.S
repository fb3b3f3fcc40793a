/* stackswitch.S - call a function on another stack (one of the shim's own, shim/stacks.c).
 *
 * tlstrace_stack_call(arg, fn, top): fn(arg) with %rsp = top (16-byte aligned), then back. The
 * frame is an ordinary %rbp frame, and its CFI says so, so unwinders (libunwind, libgcc, a
 * frame-pointer walk) continue from fn's frames into the caller's on the original stack: a
 * backtrace taken on the shim's stack still shows the program's frames. */
	.text
	.globl	tlstrace_stack_call
	.hidden	tlstrace_stack_call
	.type	tlstrace_stack_call, @function
	.p2align 4
tlstrace_stack_call:
	.cfi_startproc
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_offset %rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	movq	%rdx, %rsp
	call	*%rsi
	movq	%rbp, %rsp
	popq	%rbp
	.cfi_def_cfa %rsp, 8
	ret
	.cfi_endproc
	.size	tlstrace_stack_call, . - tlstrace_stack_call

	.section .note.GNU-stack,"",@progbits
