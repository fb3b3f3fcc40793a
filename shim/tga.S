/* tga.S - entry points that must be written in assembly.
 *
 * __tls_get_addr: every dynamic-TLS lookup of every -fPIC module comes here. Fast path: a single
 * indirect jump through tlstrace_tga_target, which is ld.so's __tls_get_addr until some thread of
 * the process has a destroyed thread_local or began teardown; then it is tga_check: one
 * thread-local compare, and the slow path on threads that matter. The slow path realigns the stack
 * before calling C:
 * x86-64 compilers have emitted __tls_get_addr calls with an 8-byte misaligned stack (the GD
 * sequence is fixed and cannot align), which C code with SSE spills would not survive.
 *
 * dlopen: glibc looks at dlopen's return address to find the caller, for two things: the
 * caller's RPATH/RUNPATH when the name has no slash, and the caller's namespace. When either
 * matters, the C half says so and the real dlopen is tail-jumped to with the caller's return
 * address still on the stack (the loaded modules are picked up at the next event); otherwise it
 * is called, and tlstrace_dlopen_post takes the new modules in at once. */
	.text

	.globl	__tls_get_addr
	.type	__tls_get_addr, @function
	.globl	tlstrace_entry_tga
	.hidden	tlstrace_entry_tga
	.p2align 4
__tls_get_addr:
tlstrace_entry_tga:
	.cfi_startproc
	jmp	*tlstrace_tga_target(%rip)
	.cfi_endproc
	.size	__tls_get_addr, . - __tls_get_addr

	.globl	tlstrace_tga_check
	.hidden	tlstrace_tga_check
	.type	tlstrace_tga_check, @function
	.p2align 4
tlstrace_tga_check:
	.cfi_startproc
	movq	tlstrace_thread_hot@gottpoff(%rip), %rax
	cmpl	$0, %fs:(%rax)
	jne	2f
	jmp	*tlstrace_real_tga(%rip)
2:	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_offset %rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	andq	$-16, %rsp
	movq	8(%rbp), %rsi		/* the caller's return address: the access site */
	call	tlstrace_tga_slow
	leave
	.cfi_def_cfa %rsp, 8
	ret
	.cfi_endproc
	.size	tlstrace_tga_check, . - tlstrace_tga_check

/* First target of tlstrace_real_tga: resolve ld.so's __tls_get_addr, then go there. May run
 * before our constructor (another library's constructor touching its TLS). */
	.globl	tlstrace_tga_first_call
	.hidden	tlstrace_tga_first_call
	.type	tga_first_call, @function
	.p2align 4
tga_first_call:
tlstrace_tga_first_call:
	.cfi_startproc
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_offset %rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	andq	$-16, %rsp
	pushq	%rdi
	pushq	%rdi
	call	tlstrace_tga_resolve
	popq	%rdi
	popq	%rdi
	leave
	.cfi_def_cfa %rsp, 8
	jmp	*tlstrace_real_tga(%rip)
	.cfi_endproc
	.size	tga_first_call, . - tga_first_call

	.globl	dlopen
	.type	dlopen, @function
	.p2align 4
dlopen:
	.cfi_startproc
	pushq	%rdi
	.cfi_adjust_cfa_offset 8
	pushq	%rsi
	.cfi_adjust_cfa_offset 8
	subq	$8, %rsp
	.cfi_adjust_cfa_offset 8
	movq	24(%rsp), %rdx		/* the caller's return address */
	call	tlstrace_dlopen_pre	/* 1: call and come back, 0: tail-jump */
	addq	$8, %rsp
	.cfi_adjust_cfa_offset -8
	popq	%rsi
	.cfi_adjust_cfa_offset -8
	popq	%rdi
	.cfi_adjust_cfa_offset -8
	testl	%eax, %eax
	jnz	1f
	jmp	*tlstrace_real_dlopen(%rip)
1:	subq	$8, %rsp
	.cfi_adjust_cfa_offset 8
	call	*tlstrace_real_dlopen(%rip)
	movq	%rax, (%rsp)
	movq	%rax, %rdi
	call	tlstrace_dlopen_post
	movq	(%rsp), %rax
	addq	$8, %rsp
	.cfi_adjust_cfa_offset -8
	ret
	.cfi_endproc
	.size	dlopen, . - dlopen

	.data
	.globl	tlstrace_real_tga
	.hidden	tlstrace_real_tga
	.p2align 3
tlstrace_real_tga:
	.quad	tga_first_call
	.globl	tlstrace_tga_target
	.hidden	tlstrace_tga_target
tlstrace_tga_target:
	.quad	tga_first_call
	.globl	tlstrace_real_dlopen
	.hidden	tlstrace_real_dlopen
tlstrace_real_dlopen:
	.quad	0

	.section .note.GNU-stack, "", @progbits
