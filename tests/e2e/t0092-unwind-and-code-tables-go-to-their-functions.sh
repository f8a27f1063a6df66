#!/usr/bin/env bash
# .orc_unwind_ip entries (32-bit offsets to code) and their .orc_unwind entries (6 bytes)
# go to the file of the function each points at, as do objtool's .return_sites and x86's
# alternatives (.altinstructions, and the replacement code in .altinstr_replacement each
# entry points at): each file gets exactly what its object contributed to those sections
# (readelf -S of the object).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/derived.sh"

dv_syms "$SCRATCH/nomap" --no-map
for o in init/main kernel/alpha drivers/net/beta; do
	for sec in .orc_unwind_ip .orc_unwind; do
		expect_eq "$o.c's $sec entries" "$(dv_bytes "$SCRATCH/nomap" $o.c $sec orc)" \
			"$(dv_objsize $o.o "\\$sec")"
	done
	expect_eq "$o.c's return sites" "$(dv_bytes "$SCRATCH/nomap" $o.c .return_sites code-table)" \
		"$(dv_objsize $o.o '\.return_sites')"
	# x86's alternatives: the entries, and the replacement code each points at
	for sec in .altinstructions .altinstr_replacement; do
		expect_eq "$o.c's $sec" "$(dv_bytes "$SCRATCH/nomap" $o.c $sec code-table)" \
			"$(dv_objsize $o.o "\\$sec")"
	done
done
check "the replacements are 3 bytes of kernel/alpha.c's and 7 of beta.c's" test \
	"$(dv_objsize kernel/alpha.o '\.altinstr_replacement') $(dv_objsize drivers/net/beta.o '\.altinstr_replacement')" = "3 7"
check "every unwind and site entry has a file" pyjson "$SCRATCH/nomap" '
left = [r for r in d["rows"] if r["section"] in (".orc_unwind_ip", ".orc_unwind", ".return_sites",
        ".altinstructions", ".altinstr_replacement") and r["file"] is None]
assert not left, left'

# a table that does not point into code (here: its first entry made to point elsewhere)
# is left alone rather than attributed by a layout it does not have
cp "$DV/vmlinux" "$SCRATCH/bad"
off=$(dv_sec vmlinux .orc_unwind_ip off)
printf '\x00\x00\x00\x40' | dd of="$SCRATCH/bad" bs=1 seek="$off" conv=notrunc status=none
"$KBLOAT" syms --json --no-map "$SCRATCH/bad" >"$SCRATCH/badj"
check "a table that does not validate keeps no file" pyjson "$SCRATCH/badj" '
rows = [r for r in d["rows"] if r["section"] in (".orc_unwind_ip", ".orc_unwind")]
assert rows and all(r["file"] is None for r in rows), rows'
done_testing
