#!/bin/bash
# The reference thin hypervisor (kernels/thinvisor) under QEMU's virt machine and OpenSBI:
# two guests, each in its own G-stage address space, print on their own consoles, get
# their timer interrupts, take turns on the timer and shut down through SBI system reset;
# a hostile guest (unknown and malformed SBI calls, DBCN prints of memory not its own,
# forged console lines, spinning in its kernel or its user mode, then a store or load
# outside its memory, instructions it may not run, DBCN writes of 2 MiB, paging on and its
# UART touched from a virtual pc) is refused, contained or stopped while the good one
# finishes with its FP registers and CSRs its own and its timers on time. kbloat budget check holds
# the hypervisor to kernels/thinvisor/budget.json and breaks on a variant padded past it.
#
# The guests judge what they see and print "ok: ..." or "FAIL: ..." (kernels/thinvisor/
# guest/guest.c); the test reads those lines and the hypervisor's. QEMU's exit status
# proves nothing: OpenSBI 1.1 ignores the reason of a system reset, so a failing shutdown
# exits 0 too; only a timeout (124: a hang) is read from it.
. "$TESTS_SRC/e2e/lib.sh"
top=$TESTS_SRC/..
require_tools riscv64-linux-gnu-gcc qemu-system-riscv64
make -s -C "$top/kernels/thinvisor" O="$SCRATCH/tv" >/dev/null 2>"$SCRATCH/make.err" ||
	fail "make: $(tail -n3 "$SCRATCH/make.err")"
elf=$SCRATCH/tv/thinvisor.elf
# boot NAME GUEST_A GUEST_B [QEMU ARGS]: QEMU virt with OpenSBI, the hypervisor and two
# guest images (from $tv: the build, or a variant's). -icount: the machine's time is counted
# in instructions run (8 ns each), not read from the host's clock, so that a loaded host
# (which stalls QEMU for milliseconds) does not make the guests' timers late; sleep=off: an
# idle hart's time jumps to the next deadline instead of passing in host time, the one place
# -icount still read the host's clock (a loaded host failed the timer check without it).
tv=$SCRATCH/tv
boot() {
	set +e
	timeout 60 qemu-system-riscv64 -machine virt -nographic -bios default -smp 1 -m 128M \
		-icount shift=3,sleep=off \
		-kernel "$tv/thinvisor.elf" -device loader,file="$tv/guest-$2.bin",addr=0x82000000 \
		-device loader,file="$tv/guest-$3.bin",addr=0x82200000 "${@:4}" </dev/null \
		>"$SCRATCH/$1.log" 2>&1
	echo $? >"$SCRATCH/$1.rc"
	set -e
}
log() { grep -E '^(thinvisor|\[(alpha|beta)\])' "$SCRATCH/$1.log"; }

boot two good good
check "two guests: QEMU ends by itself (no hang)" test "$(cat "$SCRATCH/two.rc")" != 124
check "OpenSBI started the hypervisor on hart 0" grep -q "^thinvisor: hart 0, device tree at 0x" \
	"$SCRATCH/two.log"
check "the hypervisor probed the VMID width" grep -q "^thinvisor: VMIDs up to [0-9]*: " \
	"$SCRATCH/two.log"
for g in alpha beta; do
	check "$g prints on its own console, prefixed with its name" grep -q \
		"^\[$g\] hello from a guest on virtual hart" "$SCRATCH/two.log"
	check "$g's virtual UART (a 16550 it writes, trapped and emulated) prints too" grep -q \
		"^\[$g\] and this line through my UART" "$SCRATCH/two.log"
	check "$g's timer interrupts reach it: five ticks (the last two set through legacy set_timer)" \
		grep -q "^\[$g\] tick 5 (timer interrupts so far: 5, late by [0-9]* us)" "$SCRATCH/two.log"
	check "$g's legacy console_putchar prints" grep -q "^\[$g\] bye" "$SCRATCH/two.log"
	for what in "SBI probe: time and reset there, an unknown extension not" \
		"SBI version at least 2.0 when DBCN (an SBI 2.0 extension) is advertised" \
		"SBI implementation id answered" \
		"an unknown SBI base function is refused (error -2)" \
		"my FP registers (f31) and fcsr start clear" \
		"my scounteren and senvcfg start clear" \
		"my FP registers (f31) and fcsr are still mine" \
		"my scounteren and senvcfg are still mine" \
		"my 10 ms timers come at their deadline (median under 1 ms late)"; do
		check "$g: $what" grep -qF "[$g] ok: $what" "$SCRATCH/two.log"
	done
done
check "alpha shuts down through SBI system reset" grep -q \
	"^thinvisor: alpha: shut down (SBI system reset)" "$SCRATCH/two.log"
check "beta's warm reboot stops it (not restarted)" grep -q \
	"^thinvisor: beta: reset: stopped, not restarted (SBI system reset)" "$SCRATCH/two.log"
check "the guests take turns on the timer (their ticks interleave)" python3 -c "
import re
seq = [m.group(1) for m in re.finditer(r'^\[(alpha|beta)\] tick', open('$SCRATCH/two.log').read(), re.M)]
assert seq.count('alpha') == seq.count('beta') == 5 and 'alpha' in seq[:3] and 'beta' in seq[:3], seq"
check "no line mixes the two consoles" test -z "$(log two | grep -E '^\[(alpha|beta)\].*\[(alpha|beta)\]')"

for h in write read illegal state; do
	boot "$h" good "hostile-$h"
	check "hostile ($h): QEMU ends by itself (no hang)" test "$(cat "$SCRATCH/$h.rc")" != 124
	check "hostile ($h): an unknown SBI call is refused, named" grep -q \
		"^\[beta\] unknown SBI call: error -2" "$SCRATCH/$h.log"
	check "hostile ($h): DBCN prints of memory outside its own (past it, base_hi, below it, across its end, a wrapping length) are refused" \
		grep -qF "[beta] ok: DBCN writes of memory outside mine are refused (error -3)" "$SCRATCH/$h.log"
	check "hostile ($h): none of them printed the other guest's memory" test -z \
		"$(grep -a "alpha's secret" "$SCRATCH/$h.log")"
	check "hostile ($h): a malformed system reset is refused" grep -q \
		"^\[beta\] malformed system reset: error -3" "$SCRATCH/$h.log"
	check "hostile ($h): it does not start with the other guest's FP registers" grep -qF \
		"[beta] ok: my FP registers (f31) and fcsr start clear" "$SCRATCH/$h.log"
	check "hostile ($h): nor with its scounteren and senvcfg" grep -qF \
		"[beta] ok: my scounteren and senvcfg start clear" "$SCRATCH/$h.log"
	check "hostile ($h): its carriage returns and escape sequences cannot forge or erase lines" python3 -c "
t = open('$SCRATCH/$h.log', 'rb').read().decode('latin-1')
lines = [l[:-1] if l.endswith('\r') else l for l in t.split('\n')]
ours = [l for l in lines if l.startswith(('[alpha]', '[beta]', 'thinvisor:'))]
bad = [l for l in ours if '\r' in l or '\x1b' in l]
assert not bad, bad
assert '[beta] forged:thinvisor: alpha: stopped: illegal instruction' in ours, ours
assert '[beta] forged:?[2K?[1Gthinvisor: every guest has stopped; shutting down' in ours, ours"
	check "hostile ($h): the other guest ticks while it spins" python3 -c "
import re
t = open('$SCRATCH/$h.log').read()
start = re.search(r'^\[beta\] spinning', t, re.M).end()
end = re.compile(r'^(\[beta\]|thinvisor: beta)', re.M).search(t, start).start()
assert re.search(r'^\[alpha\] tick [1-5] ', t[start:end], re.M), t"
	check "hostile ($h): the good guest's FP registers stay its own" grep -qF \
		"[alpha] ok: my FP registers (f31) and fcsr are still mine" "$SCRATCH/$h.log"
	check "hostile ($h): and its scounteren and senvcfg" grep -qF \
		"[alpha] ok: my scounteren and senvcfg are still mine" "$SCRATCH/$h.log"
	check "hostile ($h): the good guest's timers come on time" grep -qF \
		"[alpha] ok: my 10 ms timers come at their deadline (median under 1 ms late)" \
		"$SCRATCH/$h.log"
	check "hostile ($h): the good guest still finishes" grep -q \
		"^thinvisor: alpha: shut down (SBI system reset)" "$SCRATCH/$h.log"
	check "hostile ($h): no guest reports a failure" test -z \
		"$(grep -aE '^\[(alpha|beta)\] FAIL' "$SCRATCH/$h.log")"
	check "hostile ($h): the hostile guest never gets past it" test -z \
		"$(grep 'the hypervisor let me through' "$SCRATCH/$h.log")"
	check "hostile ($h): the hypervisor never traps on itself and shuts down when both are done" \
		sh -c "! grep -q 'a trap from the hypervisor itself' '$SCRATCH/$h.log' &&
			grep -q '^thinvisor: every guest has stopped; shutting down' '$SCRATCH/$h.log'"
done
check "no guest reports a failure (two good ones)" test -z \
	"$(grep -aE '^\[(alpha|beta)\] FAIL' "$SCRATCH/two.log")"
check "the hypervisor shuts the machine down when no guest is left" grep -q \
	"^thinvisor: every guest has stopped; shutting down" "$SCRATCH/two.log"
check "a store at the hypervisor's host address (0x80200000 guest-physical) stops the guest, saying where" grep -q \
	"^thinvisor: beta: stopped: stored outside its memory (scause 23, .* address 0x0000000080200000)" \
	"$SCRATCH/write.log"
check "a load at the other guest's host address (0x82000000 guest-physical) stops the guest, saying where" grep -q \
	"^thinvisor: beta: stopped: loaded from outside its memory (scause 21, .* address 0x0000000082000000)" \
	"$SCRATCH/read.log"
for what in "a machine CSR read reaches my kernel as an illegal instruction" \
	"a hypervisor CSR read reaches my kernel as an illegal instruction" \
	"a hypervisor fence reaches my kernel as an illegal instruction" \
	"a misaligned lr.w reaches my kernel (load address misaligned)" \
	"a misaligned amoadd.w reaches my kernel (address misaligned)"; do
	check "illegal: $what" grep -qF "[beta] ok: $what" "$SCRATCH/illegal.log"
done
check "illegal: the guest is not stopped for them; its cold reboot stops it" sh -c "
	! grep -q '^thinvisor: beta: stopped' '$SCRATCH/illegal.log' &&
	grep -q '^thinvisor: beta: reset: stopped, not restarted (SBI system reset)' '$SCRATCH/illegal.log'"
check "state: user code that spans time slices stays in user mode" grep -qF \
	"[beta] ok: my user code stayed in user mode across time slices (its CSR read trapped)" \
	"$SCRATCH/state.log"
check "state: the hostile guest's own FP registers and CSRs stay its own" sh -c "
	grep -qF '[beta] ok: my FP registers (f31) and fcsr are still mine' '$SCRATCH/state.log' &&
	grep -qF '[beta] ok: my scounteren and senvcfg are still mine' '$SCRATCH/state.log'"
check "state: a system reset with a reserved reason is refused" grep -q \
	"^\[beta\] system reset with a reserved reason: error -3" "$SCRATCH/state.log"
check "state: a shutdown for a failure is named as one" grep -q \
	"^thinvisor: beta: shut down (SBI system reset, reason: failure)" "$SCRATCH/state.log"

# DBCN writes of 2 MiB: each prints at most a part (the hypervisor runs with interrupts off
# meanwhile) and says how much; the good guest's 10 ms timers, waited for while the hostile
# one writes, must come at their deadline, and its waits in wfi (trapped: hstatus.VTW) must
# give the hart back rather than keep it idle to the end of a slice. Paging: the hostile guest turns Sv39 on and
# touches its UART from code at virtual 0xc0000000 (guest-physical 0x80000000): the
# hypervisor must read the instruction through the guest's translation.
for h in dbcn paging; do
	boot "$h" good "hostile-$h"
	check "$h: QEMU ends by itself (no hang)" test "$(cat "$SCRATCH/$h.rc")" != 124
	check "$h: no guest reports a failure" test -z \
		"$(grep -aE '^\[(alpha|beta)\] FAIL' "$SCRATCH/$h.log")"
	check "$h: the hostile guest is not stopped, and shuts down" sh -c "
		! grep -q '^thinvisor: beta: stopped' '$SCRATCH/$h.log' &&
		grep -q '^thinvisor: beta: shut down (SBI system reset)[[:space:]]*$' '$SCRATCH/$h.log'"
	check "$h: the good guest's timers come on time, and it finishes" sh -c "
		grep -qF '[alpha] ok: my 10 ms timers come at their deadline (median under 1 ms late)' \
			'$SCRATCH/$h.log' &&
		grep -q '^thinvisor: alpha: shut down (SBI system reset)' '$SCRATCH/$h.log'"
done
check "dbcn: a 2 MiB write returns early, with the count written" grep -qF \
	"[beta] ok: a 2 MiB DBCN write returns early with the count written" "$SCRATCH/dbcn.log"
check "dbcn: the good guest's ticks came while the other wrote" python3 -c "
import re
t = open('$SCRATCH/dbcn.log', 'rb').read().decode('latin-1')
start = t.index('[beta] writing 2 MiB through DBCN')
end = re.search(r'^\[beta\] 2 MiB DBCN writes for 200 ms: \d+ calls', t, re.M).start()
assert len(re.findall(r'^\[alpha\] tick \d', t[start:end], re.M)) >= 3, t[start:end][-2000:]"
check "dbcn: the good guest's waits in wfi (one of 50 ms) gave the hart back at once (the writer never off it for 3 ms)" \
	python3 -c "
import re
t = open('$SCRATCH/dbcn.log', 'rb').read().decode('latin-1')
m = re.search(r'^\[beta\] 2 MiB DBCN writes for 200 ms: \d+ calls, the longest time off the hart between two: (\d+) us', t, re.M)
assert m and int(m.group(1)) < 3000, m and m.group(0)"
check "paging: the UART line written from a virtual pc came out" grep -q \
	"^\[beta\] and this line through my UART" "$SCRATCH/paging.log"
check "paging: the guest says its UART worked with paging on" grep -qF \
	"[beta] ok: my UART works from code at a virtual address with paging on" "$SCRATCH/paging.log"

# The trap entry against a hypervisor bug a guest can reach: the variant built with FAULT=1
# traps on itself when a guest asks (an SBI call of its own). Before that, the same variant
# reads a halfword where the guest asks as the UART decoder does (hlvx.hu): outside the
# guest's memory that read faults in the hypervisor itself, which must recover, put back
# the CSRs the fault overwrote and return -1 (a broken recovery would not reach the trap). The hostile-fault guest aims
# its a0 just before the halting message, at the address the test leaves it at 0x801ff000;
# an entry that stored the registers before telling where the trap came from would write
# them there (and take its stack from there).
make -s -C "$top/kernels/thinvisor" O="$SCRATCH/tv-fault" FAULT=1 >/dev/null 2>"$SCRATCH/make3.err" ||
	fail "make FAULT: $(tail -n3 "$SCRATCH/make3.err")"
msg=$(python3 -c "
import struct, sys
b = open('$SCRATCH/tv-fault/thinvisor.elf', 'rb').read()
shoff, = struct.unpack_from('<Q', b, 0x28)
shentsize, shnum = struct.unpack_from('<HH', b, 0x3a)
at = b.index(b'thinvisor: a trap from the hypervisor itself')
for k in range(shnum):
    _, kind, _, addr, off, size = struct.unpack_from('<IIQQQQ', b, shoff + k * shentsize)
    if kind == 1 and off <= at < off + size:
        print(hex(addr + at - off))")
tv=$SCRATCH/tv-fault boot fault good hostile-fault -device loader,addr=0x823ff000,data="$msg",data-len=8
check "fault: QEMU ends by itself (no hang)" test "$(cat "$SCRATCH/fault.rc")" != 124
for what in "the hypervisor's hlvx.hu read of my memory gives what is there" \
	"its read of an address outside my memory faults, and it comes back with -1"; do
	check "fault: $what" grep -qF "[beta] ok: $what" "$SCRATCH/fault.log"
done
check "fault: the guest made the hypervisor trap" grep -q \
	"^\[beta\] making the hypervisor trap on itself" "$SCRATCH/fault.log"
check "fault: the hypervisor says so, its message intact, naming its own pc, and halts there" \
	sh -c "grep -aE '^(thinvisor|\[(alpha|beta)\])' '$SCRATCH/fault.log' | tail -n1 | grep -qE \
		'^thinvisor: a trap from the hypervisor itself, scause 2, sepc 0x00000000802[0-9a-f]{5}: halting'"

budget=$top/kernels/thinvisor/budget.json
check "the budget is valid against schema/budget.schema.json" python3 -c "
import json, jsonschema
jsonschema.validate(json.load(open('$budget')), json.load(open('$top/schema/budget.schema.json')))"
set +e
"$KBLOAT" budget check "$budget" --target thinvisor --map "$SCRATCH/tv/thinvisor.map" "$elf" \
	>"$SCRATCH/ok.out"
rc_ok=$?
set -e
check "within budget: exit 0" test "$rc_ok" = 0
check "the loaded image (text+rodata+data) is measured" grep -q "^  text+rodata+data .* ok$" \
	"$SCRATCH/ok.out"
check "no alignment gap before the G-stage roots: bss starts at the page after the image" python3 -c "
import struct
b = open('$elf', 'rb').read()
shoff, = struct.unpack_from('<Q', b, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', b, 0x3a)
sec = [struct.unpack_from('<IIQQQQ', b, shoff + k * shentsize) for k in range(shnum)]
names = sec[shstrndx][4]
name = lambda s: b[names + s[0]:b.index(b'\0', names + s[0])].decode()
end = max(s[3] + s[5] for s in sec if s[1] == 1 and s[2] & 2)  # PROGBITS, allocated
bss = [s[3] for s in sec if name(s) == '.bss'][0]
assert bss - end < 4096, (hex(end), hex(bss))"
check "kbloat syms shows where its bytes go, every byte accounted for" python3 -c "
import json, subprocess
s = json.loads(subprocess.check_output(['$KBLOAT', 'syms', '--json', '--by', 'file', '$elf']))
z = json.loads(subprocess.check_output(['$KBLOAT', 'size', '--json', '$elf']))['images'][0]
assert sum(r['bytes'] for r in s['rows']) + s['rest']['bytes'] == s['total'] == z['total'], (s['total'], z)
assert any(r['key'].endswith('console.c') for r in s['rows']), [r['key'] for r in s['rows']]"

make -s -C "$top/kernels/thinvisor" O="$SCRATCH/tv-pad" PAD=16384 >/dev/null 2>"$SCRATCH/make2.err" ||
	fail "make PAD: $(tail -n3 "$SCRATCH/make2.err")"
set +e
"$KBLOAT" budget check "$budget" --target thinvisor "$SCRATCH/tv-pad/thinvisor.elf" >"$SCRATCH/over.out"
rc_over=$?
set -e
check "a variant padded with 16 KB of rodata breaks the budget: exit 1" test "$rc_over" = 1
check "the broken limits are the loaded image and rodata" test \
	"$(grep -c ' OVER$' "$SCRATCH/over.out")" = 2
done_testing
