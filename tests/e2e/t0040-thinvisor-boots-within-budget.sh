#!/bin/bash
# The reference thin hypervisor (kernels/thinvisor) builds with the RISC-V cross compiler,
# boots under QEMU's virt machine and OpenSBI, reports the SBI extensions it relies on, and
# shuts the machine down through SBI system reset; kbloat budget check holds it to
# kernels/thinvisor/budget.json, and breaks on a variant padded past the limit.
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
set +e
timeout 60 qemu-system-riscv64 -machine virt -nographic -bios default -smp 1 -m 128M \
	-kernel "$elf" </dev/null >"$SCRATCH/boot.log" 2>&1
rc=$?
set -e
check "QEMU ends through SBI system reset, with success (exit $rc)" test "$rc" = 0
check "OpenSBI started it on hart 0" grep -q "^thinvisor: hart 0, device tree at 0x" \
	"$SCRATCH/boot.log"
check "the firmware offers the timer and reset extensions" grep -q \
	"^thinvisor: SBI time yes, reset yes" "$SCRATCH/boot.log"
check "it says it shuts down" grep -q "^thinvisor: shutting down" "$SCRATCH/boot.log"

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
