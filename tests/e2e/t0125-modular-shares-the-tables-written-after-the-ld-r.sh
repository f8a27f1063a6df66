#!/bin/bash
# kbloat modular gives each object its share of the tables written into vmlinux.o after its
# ld -r (share_tables: objtool's, when kbuild runs it on vmlinux.o), checked on the sample
# tree (the history's newest commit) whose link-vmlinux.sh is changed here to link as Linux
# 6.12 does with X86_KERNEL_IBT:
#   ld -r of the objects into vmlinux.o (with -Map=vmlinux.o.map);
#   an "objtool" (sh here) that writes into vmlinux.o, after the ld -r, one .call_sites
#     entry (4 bytes: a 32-bit offset to the function) and one .orc_unwind_ip entry (4
#     bytes) with its .orc_unwind entry (6 bytes) for every global function of vmlinux.o,
#     and one all-zero .call_sites entry, which names no code;
#   vmlinux linked from vmlinux.o, its map naming vmlinux.o for every byte.
# The tables thus cover the functions of every object, two of them in particular:
#   lib/ot_demo.o  OT_DEMO, a tristate candidate with 5 functions (one static, no entry)
#   kernel/fork.o  obj-y (the hard core)
# The oracle is nm on each object file: an object's share is 14 bytes per global function
# (4 + 4 + 6); vmlinux.o keeps the zero entry and minus what it gave. Checked: every
# object's table_share is the oracle's, link_tables says each table's bytes and what it
# gave, the shares sum to zero, the code-and-data sums reconcile, the text report names
# the tables, record stores each option with its share; and, built again with
# `kbloat modular --fragment`, the tables lost exactly the entries of the objects that left,
# and the kernel's code and data is the prediction to the byte but for the merged strings
# of the objects that stayed (below).
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
tree=$SCRATCH/tree obj=$SCRATCH/obj
mkdir -p "$tree"
git -C "$HISTORY/repo" archive main | tar -x -C "$tree"

add() { # add FILE TEXT: append a line (or lines) to FILE of the tree
	mkdir -p "$(dirname "$tree/$1")"
	printf '%s\n' "$2" >>"$tree/$1"
}
add lib/Kconfig $'\nconfig OT_DEMO\n\ttristate "objtool tables demo"\n\tdefault y'
add lib/Makefile 'obj-$(CONFIG_OT_DEMO) += ot_demo.o'
{
	echo 'static int __attribute__((__noinline__)) ot_demo_helper(int x) { return x * 7 + 3; }'
	for i in 1 2 3 4 5; do
		echo "int ot_demo_fn$i(int x) { return ot_demo_helper(x + $i) ^ $i; }"
	done
} >"$tree/lib/ot_demo.c"
# two rules the 6.12 defconfig check found, each with a case here:
#   OT_LIB    tristate without a prompt, selected only by OT_EXTRA, a bool at y that depends
#             on OT_DEMO: at OT_DEMO=m the select is only m (Kconfig's reverse dependency is
#             "OT_EXTRA && OT_DEMO"), so OT_LIB is a candidate too
#   OT_FORCED obj-$(subst m,y,$(CONFIG_OT_DEMO)) += ot_forced.o: built in at m as well, so
#             it does not leave with OT_DEMO (nor is it OT_DEMO's): lib/ is obj-y, core
# and two that kbuild builds in with OT_DEMO at m, which the Makefiles read with the (1)
# candidates at m tell:
#   drivers/otdir/ot_shared.o  obj-y of a directory that drivers/Makefile names as
#             obj-$(CONFIG_OT_DEMO) and, when OT_DEMO is not y, as obj-$(CONFIG_OT_EXTRA)
#             (this kbuild links a directory listed twice twice): OT_EXTRA's
#   lib/ot_snoop.o  obj-y under ifneq ($(CONFIG_OT_DEMO),), which holds at m too: core
add lib/Kconfig $'\nconfig OT_EXTRA\n\tbool "objtool demo extras"\n\tdefault y\n\tdepends on OT_DEMO\n\tselect OT_LIB\n\nconfig OT_LIB\n\ttristate'
add lib/Makefile $'obj-$(CONFIG_OT_LIB) += ot_lib.o\nobj-$(subst m,y,$(CONFIG_OT_DEMO)) += ot_forced.o'
add lib/ot_lib.c 'int ot_lib_fn(int x) { return x * 5; }'
add lib/ot_forced.c 'int ot_forced_fn(int x) { return x * 11; }'
add drivers/Makefile $'obj-$(CONFIG_OT_DEMO) += otdir/\nifneq ($(CONFIG_OT_DEMO),y)\nobj-$(CONFIG_OT_EXTRA) += otdir/\nendif'
add drivers/otdir/Makefile 'obj-y += ot_shared.o'
add drivers/otdir/ot_shared.c 'int ot_shared_fn(int x) { return x * 13; }'
add lib/Makefile $'ifneq ($(CONFIG_OT_DEMO),)\nobj-y += ot_snoop.o\nendif'
add lib/ot_snoop.c 'int ot_snoop_fn(int x) { return x * 17; }'

# link-vmlinux.sh: the one-step link becomes ld -r, "objtool", and the link of vmlinux.o
python3 - "$tree/scripts/link-vmlinux.sh" <<'PY' || fail "link-vmlinux.sh has the link line"
import sys
p = sys.argv[1]
s = open(p).read()
old = '$ld $ldflags -o vmlinux "$@" init/version.o\n'
new = r'''$ld -r -Map=vmlinux.o.map -o vmlinux.o "$@" init/version.o
$nm vmlinux.o | awk '$2 == "T" { print $3 }' | sort >.tmp_objtool.syms
{
	printf '\t.section .call_sites,"a"\n\t.balign 4\n'
	sed 's/.*/\t.long & - ./' .tmp_objtool.syms
	printf '\t.long 0\n'
	printf '\t.section .orc_unwind_ip,"a"\n\t.balign 4\n'
	sed 's/.*/\t.long & - ./' .tmp_objtool.syms
	printf '\t.section .orc_unwind,"a"\n'
	sed 's/.*/\t.byte 1, 2, 3, 4, 5, 6/' .tmp_objtool.syms
} >.tmp_objtool.S
$cc -c -o .tmp_objtool.o .tmp_objtool.S
$ld -r -o .tmp_vmlinux.o vmlinux.o .tmp_objtool.o
mv -f .tmp_vmlinux.o vmlinux.o
$ld $ldflags -o vmlinux vmlinux.o
'''
assert s.count(old) == 1
open(p, "w").write(s.replace(old, new))
PY

build() { # build OBJ [CONFIG-FILE]: defconfig with the map, and the lines of CONFIG-FILE
	mkdir -p "$1"
	make -s -C "$tree" O="$1" ARCH=x86_64 defconfig >"$1.log" 2>&1 &&
		printf 'CONFIG_VMLINUX_MAP=y\nCONFIG_EXPERT=y\n' >>"$1/.config" &&
		{ [ -z "${2:-}" ] || cat "$2" >>"$1/.config"; } &&
		make -s -C "$tree" O="$1" ARCH=x86_64 olddefconfig >>"$1.log" 2>&1 &&
		make -s -C "$tree" O="$1" ARCH=x86_64 -j2 vmlinux >>"$1.log" 2>&1
}
build "$obj" || { cat "$obj.log" >&2; fail "the sample builds through vmlinux.o"; done_testing; }
check "OT_DEMO=y, OT_EXTRA=y, OT_LIB=y" bash -c "grep -qx CONFIG_OT_DEMO=y '$obj/.config' &&
	grep -qx CONFIG_OT_EXTRA=y '$obj/.config' && grep -qx CONFIG_OT_LIB=y '$obj/.config'"
check "the final map names vmlinux.o, not the objects; vmlinux.o.map has no .call_sites" bash -c \
	"grep -q ' vmlinux\.o\$' '$obj/vmlinux.map' && ! grep -q 'lib/ot_demo\.o' '$obj/vmlinux.map' &&
	 grep -q 'lib/ot_demo\.o' '$obj/vmlinux.o.map' && ! grep -q '^\.call_sites' '$obj/vmlinux.o.map'"

"$KBLOAT" modular --src "$tree" --build "$obj" --json >"$SCRATCH/m.json" 2>"$SCRATCH/err" ||
	fail "modular --json: $(cat "$SCRATCH/err")"
"$KBLOAT" modular --src "$tree" --build "$obj" --top 0 >"$SCRATCH/m.txt" 2>"$SCRATCH/err" ||
	fail "modular: $(cat "$SCRATCH/err")"

# the oracle: per object of the ld -r (vmlinux.o.map's inputs), nm's global functions
(cd "$obj" && for o in $(awk 'NF == 4 && $2 ~ /^0x/ && $4 ~ /\.o$/ { print $4 }' vmlinux.o.map | sort -u); do
	[ -f "$o" ] && echo "$o $(nm --defined-only "$o" | awk '$2 == "T"' | wc -l)"
done) >"$SCRATCH/funcs"
check "(1): OT_DEMO, OT_LIB (selected by a bool under OT_DEMO); ot_forced.o, ot_snoop.o core, ot_shared.o OT_EXTRA's" \
	pyjson "$SCRATCH/m.json" '
cand = {r["key"] for r in d["tristate_candidates"]["rows"]}
assert {"OT_DEMO", "OT_LIB"} <= cand, cand
o = {x["object"]: (x["category"], x["owner"]) for x in d["objects"]}
assert o["lib/ot_demo.o"] == ("tristate", "OT_DEMO") and o["lib/ot_lib.o"] == ("tristate", "OT_LIB"), o
assert o["lib/ot_forced.o"] == ("core", None), o["lib/ot_forced.o"]
assert o["drivers/otdir/ot_shared.o"] == ("bool", "OT_EXTRA"), o["drivers/otdir/ot_shared.o"]
assert o["lib/ot_snoop.o"] == ("core", None), o["lib/ot_snoop.o"]'
check "nm: ot_demo.o has 5 global functions, kernel/fork.o some" pyjson "$SCRATCH/m.json" '
f = dict(l.split() for l in open("'"$SCRATCH"'/funcs"))
assert f["lib/ot_demo.o"] == "5" and int(f["kernel/fork.o"]) > 0, f'
check "every object's table_share is 14 bytes per global function; vmlinux.o gave them all" \
	pyjson "$SCRATCH/m.json" '
f = {k: int(v) for k, v in (l.split() for l in open("'"$SCRATCH"'/funcs"))}
n = sum(f.values())
for o in d["objects"]:
	want = -14 * n if o["object"] == "vmlinux.o" else 14 * f.get(o["object"], 0)
	assert o["table_share"] == want, (o["object"], o["table_share"], want)
assert sum(o["table_share"] for o in d["objects"]) == 0'
check "link_tables: .call_sites (one zero entry kept), .orc_unwind_ip with .orc_unwind, all given" \
	pyjson "$SCRATCH/m.json" '
f = {k: int(v) for k, v in (l.split() for l in open("'"$SCRATCH"'/funcs"))}
n = sum(f.values())
got = {t["section"]: (t["object"], t["bytes"], t["entries"], t["shared"]) for t in d["link_tables"]}
want = {".call_sites": ("vmlinux.o", 4 * (n + 1), n + 1, 4 * n),
	".orc_unwind_ip": ("vmlinux.o", 10 * n, n, 10 * n)}
assert got == want, (got, want)
assert d["link_tables_shared"] == 14 * n, d["link_tables_shared"]'
check "the tables are vmlinux.o's bytes, by the map: unknown, in the lists" pyjson "$SCRATCH/m.json" '
v = [o for o in d["objects"] if o["object"] == "vmlinux.o"][0]
assert v["category"] == "unknown" and v["bytes"] >= sum(t["bytes"] for t in d["link_tables"]), v
assert d["unknown"]["bytes"] == v["bytes"], d["unknown"]["bytes"]'
check "code and data: the four sums are total - padding, and (1) counts ot_demo.o's share" \
	pyjson "$SCRATCH/m.json" '
c = d["code_and_data"]
assert c["tristate_savings"] + c["bool_savings"] + c["hard_core"] + c["rest"] == c["now"] == d["total"] - c["padding"], c
cand = {r["key"] for r in d["tristate_candidates"]["rows"]}
assert "OT_DEMO" in cand, cand
want = sum(o["bytes"] - o["padding"] + o["table_share"] for o in d["objects"]
	   if o["category"] == "tristate" and o["owner"] in cand)
assert c["tristate_savings"] == want, (c["tristate_savings"], want)'
check "the text report's note names the tables and what they gave" grep -Eq \
	"^note: tables the link writes .*\($(pyjson "$SCRATCH/m.json" 'print(d["link_tables_shared"])') bytes given\).*vmlinux\.o \.call_sites [0-9]+ of [0-9]+" \
	"$SCRATCH/m.txt"

# record: each option stored as its objects' bytes - padding + table share; db check holds
"$KBLOAT" record --db "$SCRATCH/r.db" --repo "$HISTORY/repo" --commit main --config ot \
	--arch x86_64 --map "$obj/vmlinux.map" --dotconfig "$obj/.config" --src "$tree" --build "$obj" \
	"$obj/vmlinux" >/dev/null 2>"$SCRATCH/err" || fail "record --build: $(cat "$SCRATCH/err")"
check "record: OT_DEMO's item is its object's bytes - padding + table share" python3 - \
	"$SCRATCH/r.db" "$SCRATCH/m.json" <<'PY'
import json, os, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
m = json.load(open(sys.argv[2]))
sys.path.insert(0, os.environ["TESTS_SRC"] + "/e2e")
from kbmap import full_set
z = full_set(c.execute("SELECT sizes FROM item_sets").fetchone()[0])
got = {name: z[i] for i, name in c.execute("SELECT id, name FROM items WHERE kind = 4") if z.get(i)}
o = [x for x in m["objects"] if x["object"] == "lib/ot_demo.o"][0]
assert got["OT_DEMO"] == o["bytes"] - o["padding"] + o["table_share"] and o["table_share"] == 70, (got, o)
row = c.execute("SELECT m_tristate, m_bool, m_core, m_rest FROM builds").fetchone()
cd = m["code_and_data"]
assert row == (cd["tristate_savings"], cd["bool_savings"], cd["hard_core"], cd["rest"]), (row, cd)
PY
check "db check finds nothing wrong" "$KBLOAT" db check --db "$SCRATCH/r.db"

# built with the fragment: OT_DEMO (and the sample's other candidates) at m; objtool writes
# no entry for them, and the code and data is what "every (1) a module" predicted
"$KBLOAT" modular --src "$tree" --build "$obj" --fragment >"$SCRATCH/frag.config" 2>"$SCRATCH/err" ||
	fail "modular --fragment: $(cat "$SCRATCH/err")"
obj_m=$SCRATCH/obj-m
build "$obj_m" "$SCRATCH/frag.config" || fail "the sample with the fragment builds: $(tail -n3 "$obj_m.log")"
check "... OT_DEMO and OT_LIB are modules there; ot_forced.o, ot_shared.o, ot_snoop.o built in" \
	bash -c "grep -qx CONFIG_OT_DEMO=m '$obj_m/.config' && grep -qx CONFIG_OT_LIB=m '$obj_m/.config' &&
	 ! grep -q 'lib/ot_lib\.o' '$obj_m/vmlinux.o.map' && ! grep -q 'lib/ot_demo\.o' '$obj_m/vmlinux.o.map' &&
	 grep -q 'lib/ot_forced\.o' '$obj_m/vmlinux.o.map' && grep -q 'lib/ot_snoop\.o' '$obj_m/vmlinux.o.map' &&
	 grep -q 'drivers/otdir/ot_shared\.o' '$obj_m/vmlinux.o.map'"
"$KBLOAT" modular --src "$tree" --build "$obj_m" --json >"$SCRATCH/m-m.json" 2>"$SCRATCH/err" ||
	fail "modular of the built fragment: $(cat "$SCRATCH/err")"
check "... its tables lost ot_demo.o's 5 functions' entries (70 bytes) and the other candidates'" \
	pyjson "$SCRATCH/m.json" '
b = json.load(open("'"$SCRATCH"'/m-m.json"))
cand = {r["key"] for r in d["tristate_candidates"]["rows"]}
left = sum(o["table_share"] for o in d["objects"] if o["category"] == "tristate" and o["owner"] in cand)
assert left >= 70, left
assert b["link_tables_shared"] == d["link_tables_shared"] - left, (b["link_tables_shared"], d["link_tables_shared"], left)'
# The one thing the analysis does not model: kbuild's ld -r leaves each object's merged
# strings (.rodata.str*) whole and the final link merges their duplicates, which the map
# charges to vmlinux.o's last objects; a string a candidate shared with an object that stays
# is then that object's alone. So the stayed objects' rodata moves (by a few bytes), all
# else of theirs, tables included, is the same.
check "... and its code and data is the prediction's but for the stayed objects' merged strings" \
	pyjson "$SCRATCH/m.json" '
b = json.load(open("'"$SCRATCH"'/m-m.json"))
B = {o["object"]: o for o in b["objects"]}
code = lambda o: o["bytes"] - o["padding"] + o["table_share"]
stay = [o for o in d["objects"] if o["object"] in B]
for o in stay:
	x = B[o["object"]]
	assert o["table_share"] == x["table_share"] or o["object"] == "vmlinux.o", o["object"]
	assert all(o["classes"][c] == x["classes"][c] for c in o["classes"] if c != "rodata"), o["object"]
v = [o for o in stay if o["object"] == "vmlinux.o"][0]
assert code(v) == code(B["vmlinux.o"]), (code(v), code(B["vmlinux.o"]))
strings = sum(B[o["object"]]["classes"]["rodata"] - o["classes"]["rodata"] for o in stay if o is not v)
want, got = d["code_and_data"]["tristate_as_modules"], b["code_and_data"]["now"]
assert got == want + strings and abs(strings) < 200, (got, want, strings)
assert not b["tristate_candidates"]["rows"], b["tristate_candidates"]["rows"]'
done_testing
