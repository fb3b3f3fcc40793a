/* tga.S - entry points that must be written in assembly.
 *
 * __tls_get_addr: every dynamic-TLS lookup of every -fPIC module comes here. Fast path: one global
 * and one thread-local compare, then a tail jump to ld.so's __tls_get_addr, until some thread has a
 * destroyed thread_local or began teardown. The slow path realigns the stack before calling C:
 * x86-64 compilers have emitted __tls_get_addr calls with an 8-byte misaligned stack (the GD
 * sequence is fixed and cannot align), which C code with SSE spills would not survive.
 *
 * dlopen: glibc looks at dlopen's return address to find the caller (its RPATH/RUNPATH, its
 * namespace). A C wrapper would make the shim the caller, so the wrapper records the call and then
 * tail-jumps to the real dlopen with the caller's return address still on the stack; the modules
 * it loads are picked up at the next event (modules_sync). */
	.text

	.globl	__tls_get_addr
	.type	__tls_get_addr, @function
	.p2align 4
__tls_get_addr:
	.cfi_startproc
	cmpl	$0, tlstrace_tls_watch(%rip)
	jne	1f
	jmp	*tlstrace_real_tga(%rip)
1:	movq	tlstrace_thread_hot@gottpoff(%rip), %rax
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
	.size	__tls_get_addr, . - __tls_get_addr

/* First target of tlstrace_real_tga: resolve ld.so's __tls_get_addr, then go there. May run
 * before our constructor (another library's constructor touching its TLS). */
	.type	tga_first_call, @function
	.p2align 4
tga_first_call:
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
	call	tlstrace_dlopen_pre	/* returns the real dlopen */
	addq	$8, %rsp
	.cfi_adjust_cfa_offset -8
	popq	%rsi
	.cfi_adjust_cfa_offset -8
	popq	%rdi
	.cfi_adjust_cfa_offset -8
	jmp	*%rax
	.cfi_endproc
	.size	dlopen, . - dlopen

	.data
	.globl	tlstrace_real_tga
	.hidden	tlstrace_real_tga
	.p2align 3
tlstrace_real_tga:
	.quad	tga_first_call

	.section .note.GNU-stack, "", @progbits
