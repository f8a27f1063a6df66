#!/usr/bin/env bash
# A byte a derived method attributes names the symbol it serves as well as its file: each ORC
# entry (.orc_unwind_ip 4 bytes, .orc_unwind 6) the function whose code it covers, each export
# entry (__ksymtab 12 bytes, __kcrctab 4, its name and namespace strings) the symbol it
# exports, each alternative and site entry the function it patches, each literal the function
# that references it first in its file. Rows that serve different symbols stay apart, and
# every listing still sums to the total. What is expected is read from the fixture's sources
# (its ORC(), EXPORT_SYMBOL() and ALTERNATIVE() lines), not from kbloat.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/derived.sh"

# NAME:FILE for each macro use in the fixture's C files
uses() { # uses MACRO
	(cd "$dv_src" && grep -Ho "^$1([a-z_0-9]*" init/*.c kernel/*.c drivers/net/*.c) |
		sed -E "s/^([^:]*):$1\\(([a-z_0-9]*)\$/\\2:\\1/" | sort -u
}
orc=$(uses ORC) exports=$(uses EXPORT_SYMBOL) alts=$(uses ALTERNATIVE)
check "the fixture has six ORC entries, three exports, two functions with alternatives" \
	test "$(echo "$orc" | wc -l) $(echo "$exports" | wc -l) $(echo "$alts" | wc -l)" = "6 3 2" ||
	echo "$orc / $exports / $alts" >&2

dv_syms "$SCRATCH/j" --no-map
# served SECTION PROVENANCE: "SYMBOL:FILE BYTES" per row of that section and provenance
served() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["rows"]:
    if r["section"] == sys.argv[2] and r["provenance"] == sys.argv[3]:
        print("%s:%s %d" % (r.get("serves"), r["file"], r["bytes"]))' "$SCRATCH/j" "$@" | sort
}
each() { # each LIST BYTES: every NAME:FILE of LIST with BYTES
	local x
	for x in $1; do echo "$x $2"; done | sort
}
expect_eq "one .orc_unwind_ip row of 4 bytes per function with ORC" \
	"$(served .orc_unwind_ip orc)" "$(each "$orc" 4)"
expect_eq "one .orc_unwind row of 6 bytes per function with ORC" \
	"$(served .orc_unwind orc)" "$(each "$orc" 6)"
expect_eq "one __ksymtab row of 12 bytes per export (PREL32 value, name, namespace)" \
	"$(served __ksymtab export)" "$(each "$exports" 12)"
expect_eq "one __kcrctab row of 4 bytes per export" "$(served __kcrctab export)" "$(each "$exports" 4)"
# the name with its NUL, and the namespace "" (one NUL) EXPORT_SYMBOL() writes after it
want=$(for x in $exports; do echo "$x"; done | awk '{ split($1, a, ":"); print $1, length(a[1]) + 2 }' | sort)
expect_eq "each export's strings serve it" "$(served __ksymtab_strings export)" "$want"
ALTS=$alts check "each function with alternatives has its .altinstructions and replacement rows" pyjson "$SCRATCH/j" '
import os
want = set(os.environ["ALTS"].split())
got = {"%s:%s" % (r.get("serves"), r["file"]) for r in d["rows"] if r["section"] == ".altinstructions"}
rep = {"%s:%s" % (r.get("serves"), r["file"]) for r in d["rows"] if r["section"] == ".altinstr_replacement"}
assert got == want and rep == want, (got, rep, want)' 
check "literals name a function of their file that references them" pyjson "$SCRATCH/j" '
funcs = {r["name"]: r["file"] for r in d["rows"] if not r["gap"] and r["elf_type"] == "func"}
lits = [r for r in d["rows"] if r["provenance"] == "code-ref"]
assert lits, "no literal attributed"
for r in lits:
    assert funcs.get(r.get("serves")) == r["file"], r
# kernel/alpha.c: both of its functions with literals of their own are served
assert {r["serves"] for r in lits if r["file"] == "kernel/alpha.c"} >= {"alpha_one", "alpha_two"}, lits'
check "rows DWARF or the map attribute serve nothing" pyjson "$SCRATCH/j" '
bad = [r for r in d["rows"] if "serves" in r and r["provenance"] in ("dwarf-decl", "dwarf-cu", "map", "none")]
assert not bad, bad'
check "the rows still sum to the total" pyjson "$SCRATCH/j" '
assert sum(r["bytes"] for r in d["rows"]) == d["total"] == sum(d["attribution"]["bytes"].values())'
for by in file section symbol; do
	"$KBLOAT" syms --json --no-map --by $by "$DV/vmlinux" >"$SCRATCH/by"
	check "--by $by sums to the total" pyjson "$SCRATCH/by" '
assert sum(r["bytes"] for r in d["rows"]) == d["total"], d["total"]'
done
"$KBLOAT" syms --no-map "$DV/vmlinux" >"$SCRATCH/t"
check "the text listing names what a row serves" \
	grep -Eq '^ +6 rodata +- \.orc_unwind +kernel/alpha\.c +\[section \.orc_unwind\] -> alpha_two$' "$SCRATCH/t" ||
	grep orc_unwind "$SCRATCH/t" >&2
done_testing
