/* SPDX-License-Identifier: GPL-2.0 */
/* start.S - a guest's entry in VS-mode: a0 = its hart id; a stack at the top of its memory. */
	.section .text.start, "ax"
	.global _start
_start:
	li	sp, 0x80200000
	la	t0, guest_trap
	csrw	stvec, t0
	call	guest_main
1:	j	1b

	.align	4
guest_trap:			/* timer interrupts: count them, ask for no more */
	addi	sp, sp, -64
	sd	ra, 0(sp)
	sd	a0, 8(sp)
	sd	a1, 16(sp)
	sd	a2, 24(sp)
	sd	a6, 32(sp)
	sd	a7, 40(sp)
	call	guest_timer
	ld	ra, 0(sp)
	ld	a0, 8(sp)
	ld	a1, 16(sp)
	ld	a2, 24(sp)
	ld	a6, 32(sp)
	ld	a7, 40(sp)
	addi	sp, sp, 64
	sret
