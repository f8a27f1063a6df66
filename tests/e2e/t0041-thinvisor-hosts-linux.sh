#!/bin/bash
# Linux as a guest of the reference thin hypervisor: a riscv64 Linux 6.1 (Debian's
# linux-source-6.1, tinyconfig plus kernels/thinvisor/linux/config: MMU, SBI console, a
# built-in initramfs whose /init prints and powers off) boots on thinvisor's Linux
# configuration (configs/linux.c: 32 MiB and a device tree compiled with dtc) beside each
# hostile test guest, and must reach /init and shut down cleanly while every attack is
# contained. What the guests print is read, not QEMU's status (OpenSBI 1.1 exits 0 on any
# shutdown). Then kbloat holds the guest kernel to its budget and shows where its bytes go,
# beside the hypervisor's.
#
# The kernel is built by kernels/thinvisor/linux/build.sh once and cached outside the clone
# (${XDG_CACHE_HOME:-~/.cache}/kbloat/thinvisor-linux, keyed by the source and the config):
# the first run takes minutes, later ones seconds.
. "$TESTS_SRC/e2e/lib.sh"
top=$TESTS_SRC/..
require_tools riscv64-linux-gnu-gcc qemu-system-riscv64 dtc flex bison bc
make -s -C "$top/kernels/thinvisor" O="$SCRATCH/tv" >/dev/null 2>"$SCRATCH/make.err" ||
	fail "make: $(tail -n3 "$SCRATCH/make.err")"
tv=$SCRATCH/tv
if ! linux=$(nice "$top/kernels/thinvisor/linux/build.sh" 2>"$SCRATCH/linux.err"); then
	fail "the Linux guest did not build: $(tail -n5 "$SCRATCH/linux.err")"
	done_testing
	exit 1
fi
check "the guest's device tree was compiled, and says what configs/linux.c does" sh -c "
	dtc -q -I dtb -O dts '$tv/linux.dtb' >'$SCRATCH/linux.dts' &&
	grep -q 'bootargs = \"console=hvc0 earlycon=sbi\"' '$SCRATCH/linux.dts' &&
	grep -q 'reg = <0x00 0x80000000 0x00 0x2000000>' '$SCRATCH/linux.dts'"

# boot NAME HOSTILE: thinvisor's Linux configuration with Linux as alpha (Image at its host
# address, its device tree 2 MiB below the end of its 32 MiB) and a test guest as beta; time
# counted in instructions (-icount, as in t0040), not read from the loaded host's clock
boot() {
	set +e
	timeout 120 qemu-system-riscv64 -machine virt -nographic -bios default -smp 1 -m 128M \
		-icount shift=3,sleep=off \
		-kernel "$tv/thinvisor-linux.elf" -device loader,file="$linux/Image",addr=0x82000000 \
		-device loader,file="$tv/linux.dtb",addr=0x83e00000 \
		-device loader,file="$tv/guest-$2.bin",addr=0x84000000 </dev/null \
		>"$SCRATCH/$1.log" 2>&1
	echo $? >"$SCRATCH/$1.rc"
	set -e
}

for h in write read illegal state dbcn paging; do
	boot "$h" "hostile-$h"
	l=$SCRATCH/$h.log
	check "$h: QEMU ends by itself (no hang)" test "$(cat "$SCRATCH/$h.rc")" != 124
	check "$h: Linux starts, on its SBI earlycon" grep -q "^\[alpha\] Linux version 6\.1\." "$l"
	check "$h: Linux finds SBI 2.0 with its timer and system reset" sh -c "
		grep -q '^\[alpha\] SBI specification v2.0 detected' '$l' &&
		grep -q '^\[alpha\] SBI TIME extension detected' '$l' &&
		grep -q '^\[alpha\] SBI SRST extension detected' '$l'"
	check "$h: every SBI call Linux makes is one thinvisor has (console_getchar: no input)" \
		test -z "$(grep '^thinvisor: alpha: \(unknown\|malformed\)' "$l")"
	check "$h: Linux sees the memory its device tree gives it (32 MiB)" grep -qE \
		"^\[alpha\] Memory: [0-9]+K/32768K available" "$l"
	check "$h: Linux reaches /init, which prints on the console (hvc0)" grep -q \
		"^\[alpha\] thinvisor-linux /init: hello from user space, powering off" "$l"
	check "$h: Linux powers off" grep -q "^\[alpha\] reboot: Power down" "$l"
	check "$h: through an SBI system reset, a clean shutdown" grep -q \
		"^thinvisor: alpha: shut down (SBI system reset)[[:space:]]*$" "$l"
	check "$h: Linux was never stopped, nor did it panic or oops" sh -c "
		! grep -q '^thinvisor: alpha: stopped' '$l' &&
		! grep -qE '^\[alpha\] .*(Kernel panic|Oops|BUG:|Unable to handle)' '$l'"
	check "$h: the hostile guest's checks all held" sh -c "
		! grep -aq '^\[beta\] FAIL' '$l' && grep -aq '^\[beta\] ok: ' '$l'"
	check "$h: it never got past the hypervisor" test -z \
		"$(grep -a 'the hypervisor let me through' "$l")"
	check "$h: none of its DBCN prints showed Linux's memory" test -z \
		"$(grep -a '^\[beta\].*Linux version' "$l")"
	check "$h: the hypervisor never trapped on itself, and ended when both were done" sh -c "
		! grep -q 'a trap from the hypervisor itself' '$l' &&
		grep -q '^thinvisor: every guest has stopped; shutting down' '$l'"
done
check "write: the store at the hypervisor's host address stops the hostile guest" grep -q \
	"^thinvisor: beta: stopped: stored outside its memory (scause 23, .* address 0x0000000080200000)" \
	"$SCRATCH/write.log"
check "read: the load at Linux's host address stops the hostile guest" grep -q \
	"^thinvisor: beta: stopped: loaded from outside its memory (scause 21, .* address 0x0000000082000000)" \
	"$SCRATCH/read.log"
check "illegal: its forbidden instructions reach its own kernel" test \
	"$(grep -c '^\[beta\] ok: a .* reaches my kernel' "$SCRATCH/illegal.log")" = 5
check "state: its user code stays in user mode across slices beside Linux" grep -qF \
	"[beta] ok: my user code stayed in user mode across time slices (its CSR read trapped)" \
	"$SCRATCH/state.log"
check "dbcn: its 2 MiB writes return early" grep -qF \
	"[beta] ok: a 2 MiB DBCN write returns early with the count written" "$SCRATCH/dbcn.log"
check "paging: its UART works from a virtual pc" grep -qF \
	"[beta] ok: my UART works from code at a virtual address with paging on" "$SCRATCH/paging.log"

# kbloat on both: the hypervisor and the guest kernel, each held to its budget target
budget=$top/kernels/thinvisor/budget.json
set +e
"$KBLOAT" budget check "$budget" --target thinvisor --map "$tv/thinvisor-linux.map" \
	"$tv/thinvisor-linux.elf" >"$SCRATCH/tv.out"
rc_tv=$?
"$KBLOAT" budget check "$budget" --target linux-guest "$linux/vmlinux" >"$SCRATCH/linux.out"
rc_linux=$?
set -e
check "the hypervisor's Linux configuration is within its budget" test "$rc_tv" = 0
check "the guest kernel is within its budget target" test "$rc_linux" = 0
check "the guest kernel's loaded image is measured" grep -q "^  text+rodata+data .* ok$" \
	"$SCRATCH/linux.out"
check "kbloat syms accounts for every byte of both" python3 -c "
import json, subprocess
for elf in ('$tv/thinvisor-linux.elf', '$linux/vmlinux'):
    s = json.loads(subprocess.check_output(['$KBLOAT', 'syms', '--json', elf]))
    z = json.loads(subprocess.check_output(['$KBLOAT', 'size', '--json', elf]))['images'][0]
    assert sum(r['bytes'] for r in s['rows']) + s['rest']['bytes'] == s['total'] == z['total'], (elf, s['total'], z)
    assert len(s['rows']) > 3, elf"
# the two side by side, for the log: loaded bytes (text+rodata+data) and bss
for elf in "$tv/thinvisor-linux.elf" "$linux/vmlinux"; do
	"$KBLOAT" size --json "$elf" | python3 -c "
import json, sys
c = json.load(sys.stdin)['images'][0]['classes']
print('$(basename "$elf"): loaded', c['text'] + c['rodata'] + c['data'], 'bss', c['bss'])"
done
done_testing
