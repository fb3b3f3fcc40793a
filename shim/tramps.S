/* tramps.S - numbered entry points for callbacks that receive no context pointer: pthread key
 * destructors (glibc passes only the value) and Py_AtExit functions (no argument at all). Entry i
 * loads i into the next argument register and jumps to the common C handler, which finds the
 * real callback in slot i. Each entry is 16 bytes: base + 16 * i. */
	.section .tlstrace.cold, "ax", @progbits

	.globl	tlstrace_key_tramps
	.hidden	tlstrace_key_tramps
	.type	tlstrace_key_tramps, @function
	.p2align 4
tlstrace_key_tramps:
	.set	i, 0
	.rept	1024
	.p2align 4
	movl	$i, %esi		/* rdi: the key's value */
	jmp	tlstrace_key_common
	.set	i, i + 1
	.endr
	.size	tlstrace_key_tramps, . - tlstrace_key_tramps

	.globl	tlstrace_pyexit_tramps
	.hidden	tlstrace_pyexit_tramps
	.type	tlstrace_pyexit_tramps, @function
	.p2align 4
tlstrace_pyexit_tramps:
	.set	i, 0
	.rept	32
	.p2align 4
	movl	$i, %edi
	jmp	tlstrace_pyexit_common
	.set	i, i + 1
	.endr
	.size	tlstrace_pyexit_tramps, . - tlstrace_pyexit_tramps

	.section .note.GNU-stack, "", @progbits
