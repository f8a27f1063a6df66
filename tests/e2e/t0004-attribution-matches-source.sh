#!/usr/bin/env bash
# kbloat syms attributes each symbol of the minikernel to the file that defines it, as
# tests/fixtures/minikernel/EXPECTED says (written from the sources): from DWARF 5, DWARF 4,
# DWARF with -ffunction-sections, and from the linker map alone on an image without DWARF.
. "$(dirname "$0")/lib.sh"

expected=$TREE/EXPECTED
check "EXPECTED has entries" test "$(grep -c . "$expected")" -gt 10

# attribution MODE JSON: every EXPECTED symbol has a row with the expected file. MODE dwarf:
# data defined in assembly has no DWARF, so a .S symbol may have no file (never a wrong one).
# MODE map: a header's out-of-line function counts for the object that emitted it.
attribution() {
	MODE=$1 pyjson "$2" '
import os
mode=os.environ["MODE"]
want={}
for line in open(os.environ["EXPECTED"]):
    line=line.rstrip("\n")
    if not line or line.startswith("#"): continue
    sym, f = line.split("\t")
    want[sym]=f
got={}
for r in d["rows"]:
    for n in [r["name"]] + r.get("aliases", []):
        got[n]=r["file"]
missing=[s for s in want if s not in got]
def right(s):
    g, w = got[s], want[s]
    if g == w: return True
    if mode == "dwarf" and g is None and w.endswith(".S"): return True
    if mode == "map" and w.endswith(".h") and g and g.endswith(".c"): return True
    return False
wrong=["%s: %s, want %s" % (s, got[s], want[s]) for s in want if s in got and not right(s)]
assert not missing, "missing rows: %s" % missing
assert not wrong, "wrong files: %s" % wrong
print(mode, len(want), "symbols checked")'
}
export EXPECTED=$expected

for img in vmlinux-g5 vmlinux-g4 vmlinux-fs; do
	"$KBLOAT" syms --json --no-map --src "$TREE" "$FIXTURES/$img" >"$SCRATCH/j"
	check "$img: DWARF attribution matches the sources" attribution dwarf "$SCRATCH/j"
	check "$img: DWARF gives decl provenance" pyjson "$SCRATCH/j" '
assert any(r["provenance"] == "dwarf-decl" for r in d["rows"])'
done

# no DWARF: the map names the objects, the tree names their sources
"$KBLOAT" syms --json --src "$TREE" --map "$FIXTURES/vmlinux-nog.map" "$FIXTURES/vmlinux-nog" >"$SCRATCH/j"
check "vmlinux-nog: map attribution matches the sources" attribution map "$SCRATCH/j"
check "vmlinux-nog: every attributed row says map" pyjson "$SCRATCH/j" '
assert all(r["provenance"] in ("map","none") for r in d["rows"])
assert d["attribution"]["bytes"]["map"] > 0 and not d["attribution"]["dwarf"]'

# DWARF and the map together leave nothing of EXPECTED unattributed
"$KBLOAT" syms --json --src "$TREE" --map "$FIXTURES/vmlinux-g5.map" "$FIXTURES/vmlinux-g5" >"$SCRATCH/j"
check "vmlinux-g5 with its map: attribution matches the sources" attribution both "$SCRATCH/j"

# the same image through DWARF and through the map agree file for file
"$KBLOAT" syms --json --by file --no-map --src "$TREE" "$FIXTURES/vmlinux-g5" >"$SCRATCH/dwarf"
"$KBLOAT" syms --json --by file --src "$TREE" --no-dwarf --map "$FIXTURES/vmlinux-g5.map" \
	"$FIXTURES/vmlinux-g5" >"$SCRATCH/map"
export MAPJ=$SCRATCH/map
check "DWARF and map name the same files for text" pyjson "$SCRATCH/dwarf" '
import os
m=json.load(open(os.environ["MAPJ"]))
fd={r["key"] for r in d["rows"] if r["classes"]["text"] and not r["key"].startswith("[")}
fm={r["key"] for r in m["rows"] if r["classes"]["text"] and not r["key"].startswith("[")}
assert fd <= fm | {k for k in fd if k.endswith(".h")}, (fd - fm, fm - fd)'

# without a map, string literals of a file count for no file; with it, for their object
"$KBLOAT" syms --json --by file --src "$TREE" --map "$FIXTURES/vmlinux-g5.map" "$FIXTURES/vmlinux-g5" >"$SCRATCH/both"
check "the map attributes unnamed .rodata to files" pyjson "$SCRATCH/both" '
assert not any(r["key"] == "[unknown .rodata]" for r in d["rows"]), [r for r in d["rows"] if r["key"].startswith("[")]'
done_testing
