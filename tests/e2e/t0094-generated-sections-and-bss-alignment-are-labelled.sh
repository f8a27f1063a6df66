#!/usr/bin/env bash
# .BTF is a labelled generated row ("[generated .BTF]", provenance generated), as are the
# tables scripts/kallsyms writes ("[generated kallsyms]", bounded by their format), the bytes of
# .bss that no symbol covers before a page-aligned object are padding, each method's share is
# in the Attribution line, and every listing still sums to the total (as t0003 checks for the
# sample): what kbloat derives moves bytes between rows, never adds or loses one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/derived.sh"

img=$DV/vmlinux
dv_syms "$SCRATCH/nomap" --no-map
expect_eq ".BTF is generated" "$(dv_bytes "$SCRATCH/nomap" "[generated .BTF]" .BTF generated)" \
	"$(dv_sec vmlinux .BTF size)"
# kallsyms's tables, to the end of kallsyms_token_index (256 u16): the literals that follow
# in the same stretch of .rodata stay their files' (t0091)
expect_eq "the kallsyms tables are generated" \
	"$(dv_bytes "$SCRATCH/nomap" "[generated kallsyms]" .rodata generated)" \
	"$(dv_objsize kallsyms.o '\.rodata')"
# the .bss bytes that nm's symbols do not cover, counted independently
bss=$(dv_sec vmlinux .bss size)
covered=$(nm -S "$img" | python3 -c '
import sys
print(sum(int(f[1], 16) for f in map(str.split, sys.stdin) if len(f) == 4 and f[2] in "bB"))')
check "the page alignment is padding" pyjson "$SCRATCH/nomap" "
pad = sum(r['bytes'] for r in d['rows'] if r['name'] == '[padding .bss]')
assert pad == $bss - $covered, (pad, $bss, $covered)
assert d['attribution']['bytes']['padding'] >= pad"

"$KBLOAT" syms --no-map "$img" >"$SCRATCH/text"
for p in generated orc code-table export code-ref; do
	check "the Attribution line shows $p" grep -q "^Attribution:.* $p [0-9.]*%" "$SCRATCH/text"
done
dec=$(size "$img" | awk 'NR==2 {print $4}')
for by in "" file dir subsystem section class; do
	for map in --no-map "--map=$img.map"; do
		"$KBLOAT" syms --json ${by:+--by $by} $map "$img" >"$SCRATCH/j"
		check "syms ${by:-symbols} $map sums to size's $dec" pyjson "$SCRATCH/j" "
rows = sum(r['bytes'] for r in d['rows']) + d['rest']['bytes']
assert rows == d['total'] == $dec, (rows, d['total'])
if d['by'] is None:
    prov = d['attribution']['bytes']
    assert sum(prov.values()) == d['total'], prov"
	done
done
check "generated rows have the generated subsystem" pyjson "$SCRATCH/nomap" '
rows = [r for r in d["rows"] if r["provenance"] == "generated"]
assert rows and all(r["subsystem"] == "[generated]" for r in rows), rows'
done_testing
