/* vfork.S - vfork, interposed: the count of this process's threads inside vfork (tlstrace_vfork_live,
 * threads.c), so that in_vfork_child asks the kernel for its pid only while a vfork child may be
 * running in this memory. A vfork child shares its parent's memory, its thread's TLS included, and
 * must not touch the shim's state; before, every check was a getpid (~1.4 us here), on paths such
 * as a termination signal's arrival and the SIG_IGN a handler sets first (t122's window).
 * The count goes up before the system call; the parent takes it down when the kernel resumes it
 * (the child has exec'd or ended); the child never does. Otherwise glibc 2.36's
 * sysdeps/unix/sysv/linux/x86_64/vfork.S: the return address is kept in a register across the
 * call (the child's returns would overwrite the stack slot the parent then reads), and with a
 * shadow stack the child goes back by a jump, leaving the shared shadow stack as it was. */
	.section .tlstrace.cold, "ax", @progbits
	.globl	vfork
	.type	vfork, @function
	.globl	__vfork			/* glibc exports it too: the same entry */
	.type	__vfork, @function
	.p2align 4
vfork:
__vfork:
	.cfi_startproc
.Lentry:
	lock incl tlstrace_vfork_live(%rip)
	popq	%rdi
	.cfi_adjust_cfa_offset -8
	.cfi_register %rip, %rdi
	movl	$58, %eax		/* __NR_vfork */
	syscall
	pushq	%rdi
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset %rip, 0
	testq	%rax, %rax
	jz	2f
	lock decl tlstrace_vfork_live(%rip)	/* the parent, resumed (or the call failed) */
	cmpq	$-4095, %rax
	jae	1f
	ret
1:	negl	%eax
	cmpl	$11, %eax			/* EAGAIN: a task limit (threads.c tlstrace_vfork_room) */
	jne	4f
	subq	$8, %rsp			/* (the call's 16-byte alignment) */
	.cfi_adjust_cfa_offset 8
	call	tlstrace_vfork_room
	addq	$8, %rsp
	.cfi_adjust_cfa_offset -8
	testl	%eax, %eax
	jnz	.Lentry				/* again, the stack as at the entry */
	movl	$11, %eax
4:	movl	%eax, %edi
	jmp	tlstrace_vfork_failed		/* errno = edi; returns -1 to our caller */
2:	xorl	%esi, %esi			/* the child */
	rdsspq	%rsi				/* (a no-op without CET: rsi stays 0) */
	testq	%rsi, %rsi
	je	3f
	.cfi_remember_state
	popq	%rdi
	.cfi_adjust_cfa_offset -8
	.cfi_register %rip, %rdi
	jmp	*%rdi
	.cfi_restore_state
3:	ret
	.cfi_endproc
	.size	vfork, . - vfork
	.size	__vfork, . - __vfork

	.section .note.GNU-stack, "", @progbits
