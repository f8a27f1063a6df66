#!/bin/bash
# The reference thin hypervisor (kernels/thinvisor) under QEMU's virt machine and OpenSBI:
# two guests, each in its own G-stage address space, print on their own consoles, get
# their timer interrupts, take turns on the timer and shut down through SBI system reset;
# a hostile guest (unknown and malformed SBI calls, spinning, then writing the hypervisor's
# memory, reading the other guest's or running an illegal instruction) is refused and
# stopped while the good one finishes. kbloat budget check holds the hypervisor to
# kernels/thinvisor/budget.json and breaks on a variant padded past the limit.
. "$TESTS_SRC/e2e/lib.sh"
top=$TESTS_SRC/..
for tool in riscv64-linux-gnu-gcc qemu-system-riscv64; do
	command -v "$tool" >/dev/null && continue
	echo "SKIPPED: no $tool (scripts/setup-deps.sh --test installs it)" >&2
	fail "$tool missing"
	done_testing
	exit 1
done
make -s -C "$top/kernels/thinvisor" O="$SCRATCH/tv" >/dev/null 2>"$SCRATCH/make.err" ||
	fail "make: $(tail -n3 "$SCRATCH/make.err")"
elf=$SCRATCH/tv/thinvisor.elf
# boot NAME GUEST_A GUEST_B: QEMU virt with OpenSBI, the hypervisor and two guest images
boot() {
	set +e
	timeout 60 qemu-system-riscv64 -machine virt -nographic -bios default -smp 1 -m 128M \
		-kernel "$elf" -device loader,file="$SCRATCH/tv/guest-$2.bin",addr=0x82000000 \
		-device loader,file="$SCRATCH/tv/guest-$3.bin",addr=0x82200000 </dev/null \
		>"$SCRATCH/$1.log" 2>&1
	echo $? >"$SCRATCH/$1.rc"
	set -e
}
log() { grep -E '^(thinvisor|\[(alpha|beta)\])' "$SCRATCH/$1.log"; }

boot two good good
check "two guests: QEMU ends through SBI system reset, with success" test "$(cat "$SCRATCH/two.rc")" = 0
check "OpenSBI started the hypervisor on hart 0" grep -q "^thinvisor: hart 0, device tree at 0x" \
	"$SCRATCH/two.log"
for g in alpha beta; do
	check "$g prints on its own console, prefixed with its name" grep -q \
		"^\[$g\] hello from a guest on virtual hart" "$SCRATCH/two.log"
	check "$g's virtual UART (a 16550 it writes, trapped and emulated) prints too" grep -q \
		"^\[$g\] and this line through my UART" "$SCRATCH/two.log"
	check "$g's timer interrupts reach it: five ticks" grep -q \
		"^\[$g\] tick 5 (timer interrupts so far: 5)" "$SCRATCH/two.log"
	check "$g shuts down through SBI system reset" grep -q \
		"^thinvisor: $g: shut down (SBI system reset)" "$SCRATCH/two.log"
done
check "the guests take turns on the timer (their ticks interleave)" python3 -c "
import re
seq = [m.group(1) for m in re.finditer(r'^\[(alpha|beta)\] tick', open('$SCRATCH/two.log').read(), re.M)]
assert seq.count('alpha') == seq.count('beta') == 5 and 'alpha' in seq[:3] and 'beta' in seq[:3], seq"
check "no line mixes the two consoles" test -z "$(log two | grep -E '^\[(alpha|beta)\].*\[(alpha|beta)\]')"
check "the hypervisor shuts the machine down when no guest is left" grep -q \
	"^thinvisor: every guest has stopped; shutting down" "$SCRATCH/two.log"

for h in write read illegal; do
	boot "$h" good "hostile-$h"
	check "hostile ($h): QEMU still ends with success" test "$(cat "$SCRATCH/$h.rc")" = 0
	check "hostile ($h): an unknown SBI call is refused, named" grep -q \
		"^\[beta\] unknown SBI call: error -2" "$SCRATCH/$h.log"
	check "hostile ($h): a DBCN buffer outside its memory is refused" grep -q \
		"^\[beta\] DBCN write of a buffer outside my memory: error -3" "$SCRATCH/$h.log"
	check "hostile ($h): a malformed system reset is refused" grep -q \
		"^\[beta\] malformed system reset: error -3" "$SCRATCH/$h.log"
	check "hostile ($h): the other guest ticks while it spins" python3 -c "
import re
t = open('$SCRATCH/$h.log').read()
during = t[t.index('[beta] spinning'):t.index('thinvisor: beta: stopped')]
assert re.search(r'^\[alpha\] tick [1-5] ', during, re.M), t"
	check "hostile ($h): the good guest still finishes" grep -q \
		"^thinvisor: alpha: shut down (SBI system reset)" "$SCRATCH/$h.log"
	check "hostile ($h): the hostile guest never gets past it" test -z \
		"$(grep 'the hypervisor let me through' "$SCRATCH/$h.log")"
done
check "writing the hypervisor's memory stops the guest, saying where" grep -q \
	"^thinvisor: beta: stopped: stored outside its memory (scause 23, .* address 0x0000000080200000)" \
	"$SCRATCH/write.log"
check "reading the other guest's memory stops the guest, saying where" grep -q \
	"^thinvisor: beta: stopped: loaded from outside its memory (scause 21, .* address 0x0000000082000000)" \
	"$SCRATCH/read.log"
check "an illegal instruction stops the guest" grep -q \
	"^thinvisor: beta: stopped: illegal instruction (scause 2" "$SCRATCH/illegal.log"

budget=$top/kernels/thinvisor/budget.json
check "the budget is valid against schema/budget.schema.json" python3 -c "
import json, jsonschema
jsonschema.validate(json.load(open('$budget')), json.load(open('$top/schema/budget.schema.json')))"
set +e
"$KBLOAT" budget check "$budget" --map "$SCRATCH/tv/thinvisor.map" "$elf" >"$SCRATCH/ok.out"
rc_ok=$?
set -e
check "within budget: exit 0" test "$rc_ok" = 0
check "the loaded image (text+rodata+data) is measured" grep -q "^  text+rodata+data .* ok$" \
	"$SCRATCH/ok.out"
check "kbloat syms shows where its bytes go, every byte accounted for" python3 -c "
import json, subprocess
s = json.loads(subprocess.check_output(['$KBLOAT', 'syms', '--json', '--by', 'file', '$elf']))
z = json.loads(subprocess.check_output(['$KBLOAT', 'size', '--json', '$elf']))['images'][0]
assert sum(r['bytes'] for r in s['rows']) + s['rest']['bytes'] == s['total'] == z['total'], (s['total'], z)
assert any(r['key'].endswith('console.c') for r in s['rows']), [r['key'] for r in s['rows']]"

make -s -C "$top/kernels/thinvisor" O="$SCRATCH/tv-pad" PAD=16384 >/dev/null 2>"$SCRATCH/make2.err" ||
	fail "make PAD: $(tail -n3 "$SCRATCH/make2.err")"
set +e
"$KBLOAT" budget check "$budget" "$SCRATCH/tv-pad/thinvisor.elf" >"$SCRATCH/over.out"
rc_over=$?
set -e
check "a variant padded with 16 KB of rodata breaks the budget: exit 1" test "$rc_over" = 1
check "the broken limits are the loaded image and rodata" test \
	"$(grep -c ' OVER$' "$SCRATCH/over.out")" = 2
done_testing
