#!/usr/bin/env bash
# Each struct kernel_symbol of __ksymtab (PREL32 fields, as x86_64 lays them out), its CRC in
# __kcrctab and its name and namespace in __ksymtab_strings go to the file of the symbol it
# exports: each file gets what its object's ___ksymtab+SYM, ___kcrctab+SYM and
# __ksymtab_strings sections hold (readelf -S of the object).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/derived.sh"

dv_syms "$SCRATCH/nomap" --no-map
for o in kernel/alpha drivers/net/beta; do
	expect_eq "$o.c's export entries" "$(dv_bytes "$SCRATCH/nomap" $o.c __ksymtab export)" \
		"$(dv_objsize $o.o '___ksymtab\+.*')"
	expect_eq "$o.c's CRCs" "$(dv_bytes "$SCRATCH/nomap" $o.c __kcrctab export)" \
		"$(dv_objsize $o.o '___kcrctab\+.*')"
	expect_eq "$o.c's export names" "$(dv_bytes "$SCRATCH/nomap" $o.c __ksymtab_strings export)" \
		"$(dv_objsize $o.o '__ksymtab_strings')"
done
check "init/main.c exports nothing" test "$(dv_bytes "$SCRATCH/nomap" init/main.c __ksymtab export)" = 0
check "every export byte has a file" pyjson "$SCRATCH/nomap" '
left = [r for r in d["rows"] if r["section"].startswith(("__ksymtab", "__kcrctab")) and r["file"] is None]
assert not left, left'
done_testing
