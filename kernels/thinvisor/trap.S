/* SPDX-License-Identifier: GPL-2.0 */
/* trap.S - the hypervisor's trap vector. A guest runs with sscratch pointing at its vcpu; a
 * trap saves the guest's registers there, runs hv_trap on the hypervisor's stack, and
 * resumes the vcpu hv_trap returns (the same one, or the next one the scheduler chose).
 * While the hypervisor runs, sscratch is 0: a trap from the hypervisor itself is told apart
 * before anything is stored (sscratch then holds a value of the guest's choosing). */
#define REG(n) (8 * (n))
#define SEPC (8 * 32)
#define HSTACK (8 * 33)

	.section .text
	.align	4
	.global	hv_trap_entry
hv_trap_entry:
	csrrw	a0, sscratch, a0	/* a0 = vcpu, sscratch = the guest's a0 */
	beqz	a0, 1f			/* 0: the trap came from the hypervisor itself */
	sd	ra, REG(1)(a0)
	sd	sp, REG(2)(a0)
	sd	gp, REG(3)(a0)
	sd	tp, REG(4)(a0)
	sd	t0, REG(5)(a0)
	sd	t1, REG(6)(a0)
	sd	t2, REG(7)(a0)
	sd	s0, REG(8)(a0)
	sd	s1, REG(9)(a0)
	sd	a1, REG(11)(a0)
	sd	a2, REG(12)(a0)
	sd	a3, REG(13)(a0)
	sd	a4, REG(14)(a0)
	sd	a5, REG(15)(a0)
	sd	a6, REG(16)(a0)
	sd	a7, REG(17)(a0)
	sd	s2, REG(18)(a0)
	sd	s3, REG(19)(a0)
	sd	s4, REG(20)(a0)
	sd	s5, REG(21)(a0)
	sd	s6, REG(22)(a0)
	sd	s7, REG(23)(a0)
	sd	s8, REG(24)(a0)
	sd	s9, REG(25)(a0)
	sd	s10, REG(26)(a0)
	sd	s11, REG(27)(a0)
	sd	t3, REG(28)(a0)
	sd	t4, REG(29)(a0)
	sd	t5, REG(30)(a0)
	sd	t6, REG(31)(a0)
	csrr	t0, sscratch
	sd	t0, REG(10)(a0)
	csrw	sscratch, zero
	csrr	t0, sepc
	sd	t0, SEPC(a0)
	ld	sp, HSTACK(a0)
	call	hv_trap			/* a0 = the vcpu to resume */
	/* fall through */

	.global	hv_enter
hv_enter:
	csrw	sscratch, a0
	ld	t0, SEPC(a0)
	csrw	sepc, t0
	ld	ra, REG(1)(a0)
	ld	sp, REG(2)(a0)
	ld	gp, REG(3)(a0)
	ld	tp, REG(4)(a0)
	ld	t0, REG(5)(a0)
	ld	t1, REG(6)(a0)
	ld	t2, REG(7)(a0)
	ld	s0, REG(8)(a0)
	ld	s1, REG(9)(a0)
	ld	a1, REG(11)(a0)
	ld	a2, REG(12)(a0)
	ld	a3, REG(13)(a0)
	ld	a4, REG(14)(a0)
	ld	a5, REG(15)(a0)
	ld	a6, REG(16)(a0)
	ld	a7, REG(17)(a0)
	ld	s2, REG(18)(a0)
	ld	s3, REG(19)(a0)
	ld	s4, REG(20)(a0)
	ld	s5, REG(21)(a0)
	ld	s6, REG(22)(a0)
	ld	s7, REG(23)(a0)
	ld	s8, REG(24)(a0)
	ld	s9, REG(25)(a0)
	ld	s10, REG(26)(a0)
	ld	s11, REG(27)(a0)
	ld	t3, REG(28)(a0)
	ld	t4, REG(29)(a0)
	ld	t5, REG(30)(a0)
	ld	t6, REG(31)(a0)
	ld	a0, REG(10)(a0)
	sret

1:	la	sp, boot_stack_top	/* a trap from the hypervisor: say what, halt */
	tail	hv_fatal

/* fp_switch(save, load): f0..f31 and fcsr to save[0..32] (unless save is 0), then from
 * load[0..32]. sp is the base so that each fsd/fld is a 2-byte compressed one. */
	.option	push
	.option	arch, +d
	.global	fp_switch
fp_switch:
	mv	t0, sp
	beqz	a0, 2f
	mv	sp, a0
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, 8 * \n(sp)
	.endr
	frcsr	t1
	sd	t1, 8 * 32(sp)
2:	mv	sp, a1
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, 8 * \n(sp)
	.endr
	ld	t1, 8 * 32(sp)
	fscsr	t1
	mv	sp, t0
	ret
	.option	pop

/* guest_fetch16(va): the halfword at the guest's virtual address va, read as the guest's
 * instruction fetch reads it (hlvx.hu: through its VS-stage and G-stage tables, with the
 * privilege in hstatus.SPVP, the guest's at its trap), or -1 if that faults. A fault is a
 * trap to the hypervisor itself: for this one instruction stvec points past it, and what the
 * trap overwrote (sstatus, hstatus, sepc) is put back. */
	.global	guest_fetch16
guest_fetch16:
	csrr	t0, stvec
	csrr	t1, sstatus
	csrr	t2, hstatus
	csrr	t3, sepc
	la	t4, 3f
	csrw	stvec, t4
	mv	t4, a0
	li	a0, -1
	hlvx.hu	a0, (t4)
	.align	2
3:	csrw	stvec, t0
	csrw	sstatus, t1
	csrw	hstatus, t2
	csrw	sepc, t3
	ret
