/* SPDX-License-Identifier: GPL-2.0 */
/* start.S - a guest's entry in VS-mode: a0 = its hart id; a stack at the top of its memory.
 * Its trap vector (every trap: its timer, and the faults the tests provoke, handled by
 * guest_trap in guest.c), and a way into its own user mode and back. */
	.section .text.start, "ax"
	.global _start
_start:
	li	sp, 0x80200000
	la	t0, guest_trap_entry
	csrw	stvec, t0
	call	guest_main
1:	j	1b

	.align	4
guest_trap_entry:
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	t3, 32(sp)
	sd	t4, 40(sp)
	sd	t5, 48(sp)
	sd	t6, 56(sp)
	sd	a0, 64(sp)
	sd	a1, 72(sp)
	sd	a2, 80(sp)
	sd	a3, 88(sp)
	sd	a4, 96(sp)
	sd	a5, 104(sp)
	sd	a6, 112(sp)
	sd	a7, 120(sp)
	call	guest_trap
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	t3, 32(sp)
	ld	t4, 40(sp)
	ld	t5, 48(sp)
	ld	t6, 56(sp)
	ld	a0, 64(sp)
	ld	a1, 72(sp)
	ld	a2, 80(sp)
	ld	a3, 88(sp)
	ld	a4, 96(sp)
	ld	a5, 104(sp)
	ld	a6, 112(sp)
	ld	a7, 120(sp)
	addi	sp, sp, 128
	sret

/* enter_user(fn, sp, arg): runs fn(arg) in VU-mode on the stack sp; comes back (at
 * user_exit) when guest_trap ends the user code's run on its first exception */
	.global	enter_user
enter_user:
	la	t0, kernel_ctx
	sd	ra, 0(t0)
	sd	sp, 8(t0)
	sd	s0, 16(t0)
	sd	s1, 24(t0)
	sd	s2, 32(t0)
	sd	s3, 40(t0)
	sd	s4, 48(t0)
	sd	s5, 56(t0)
	sd	s6, 64(t0)
	sd	s7, 72(t0)
	sd	s8, 80(t0)
	sd	s9, 88(t0)
	sd	s10, 96(t0)
	sd	s11, 104(t0)
	csrw	sepc, a0
	mv	sp, a1
	mv	a0, a2
	li	t0, 1 << 8		/* sstatus.SPP = 0: sret to user mode */
	csrc	sstatus, t0
	sret
	.global	user_exit
user_exit:
	la	t0, kernel_ctx
	ld	ra, 0(t0)
	ld	sp, 8(t0)
	ld	s0, 16(t0)
	ld	s1, 24(t0)
	ld	s2, 32(t0)
	ld	s3, 40(t0)
	ld	s4, 48(t0)
	ld	s5, 56(t0)
	ld	s6, 64(t0)
	ld	s7, 72(t0)
	ld	s8, 80(t0)
	ld	s9, 88(t0)
	ld	s10, 96(t0)
	ld	s11, 104(t0)
	ret

/* user_spin(deadline): user code that spins past deadline (many time slices), then reads a
 * supervisor CSR, which must trap into its kernel. Reached only with kernel privilege (the
 * hole): a breakpoint, which says so. */
	.global	user_spin
user_spin:
	li	a1, 20000000
1:	addi	a1, a1, -1
	rdtime	t0
	bltu	t0, a0, 1b
	bgtz	a1, 1b
	csrr	t0, sscratch
	ebreak

	.bss
	.align	3
kernel_ctx:
	.space	8 * 14
