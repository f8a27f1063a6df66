#!/bin/bash
# kbloat modular gives each object its share of the kallsyms table (share_kallsyms), checked
# on the sample tree (the history's newest commit) with a kallsyms step
# (tests/fixtures/kbuild-kallsyms.patch: Linux's two-pass link of .tmp_vmlinux.kallsyms2.o)
# and two more objects:
#   lib/ks_demo.o   KS_DEMO, a tristate candidate: functions with long names, a static one
#   lib/ks_names.o  obj-y, data only: no function
# built three times, each with the map: KALLSYMS=y; KALLSYMS=y KALLSYMS_ALL=y; KALLSYMS=y
# with KS_DEMO=m.  The oracle (python here) reads only the ELF file (its sections and symbol
# table: nm cannot tell a function from a text label) and the linker map, and computes the
# model share_kallsyms documents, in exact fractions:
#   kept: every defined symbol (not absolute, a section or a file) with KALLSYMS_ALL, else the
#         functions (STT_FUNC); not __crc_*, __kstrtab*, __efistub_*, .L*, $*, nor the
#         table's own (kallsyms_offsets, ...: Linux's scripts/kallsyms leaves them out)
#   fixed = 1 (the length byte) + 4 (kallsyms_offsets) or the pointer size + 3 (with
#         kallsyms_seqs_of_names); r such that fixed * n + r * sum(len(name) + 1) is the
#         table's bytes less its padding; an object's weight is its kept symbols' (those at
#         an address in its input sections), fixed + r * (len(name) + 1) each; its share
#         the floor of its weight (scaled if r had to be clamped at 0); the table's own
#         share minus what the others got.
# Checked: the table's bytes (the map's) are kallsyms_table; every object's kallsyms_share
# is the oracle's; shares and the table's remainder sum to the table; the code-and-data sums
# reconcile; record stores each option as its objects' bytes - padding + share; without
# KALLSYMS_ALL a data-only object has no share, with it one; and KS_DEMO=m shrinks the table
# by its entries to the tables' alignment (11 bytes), and by its predicted share to that, the
# floor and what r > 1 adds on its names (on this small table: 43 of 658 bytes).
. "$TESTS_SRC/e2e/lib.sh"
. "$TESTS_SRC/e2e/ks_sample.sh"

build() { # build OBJ CONFIG-LINES: defconfig with the map, the kallsyms table and the lines
	mkdir -p "$1"
	make -s -C "$tree" O="$1" ARCH=x86_64 defconfig >"$1.log" 2>&1 &&
		printf 'CONFIG_VMLINUX_MAP=y\nCONFIG_EXPERT=y\nCONFIG_KALLSYMS=y\n%s\n' "$2" >>"$1/.config" &&
		make -s -C "$tree" O="$1" ARCH=x86_64 olddefconfig >>"$1.log" 2>&1 &&
		make -s -C "$tree" O="$1" ARCH=x86_64 -j2 vmlinux >>"$1.log" 2>&1
}
fn=$SCRATCH/fn all=$SCRATCH/all mod=$SCRATCH/mod
build "$fn" "" || { cat "$fn.log" >&2; fail "the sample builds with KALLSYMS=y"; done_testing; }
build "$all" CONFIG_KALLSYMS_ALL=y || fail "the sample builds with KALLSYMS_ALL=y"
build "$mod" CONFIG_KS_DEMO=m || fail "the sample builds with KS_DEMO=m"
check "KALLSYMS=y, KALLSYMS_ALL off, KS_DEMO=y" test "$(grep -E '^(# )?CONFIG_(KALLSYMS|KS_DEMO)' "$fn/.config" | sort | tr '\n' ' ')" = \
	"# CONFIG_KALLSYMS_ALL is not set CONFIG_KALLSYMS=y CONFIG_KS_DEMO=y "
check "KALLSYMS_ALL=y" grep -qx CONFIG_KALLSYMS_ALL=y "$all/.config"
check "KS_DEMO=m" grep -qx CONFIG_KS_DEMO=m "$mod/.config"
for b in "$fn" "$all" "$mod"; do
	check "$(basename "$b"): the map lists the table's object, .tmp_vmlinux.kallsyms2.o, in .rodata" \
		grep -Eq '^ \.rodata +0x[0-9a-f]+ +0x[0-9a-f]+ \.tmp_vmlinux\.kallsyms2\.o$' "$b/vmlinux.map"
	"$KBLOAT" modular --src "$tree" --build "$b" --json >"$b.json" 2>"$SCRATCH/err" ||
		fail "$(basename "$b"): modular --json: $(cat "$SCRATCH/err")"
	"$KBLOAT" modular --src "$tree" --build "$b" --top 0 >"$b.txt" 2>"$SCRATCH/err" ||
		fail "$(basename "$b"): modular: $(cat "$SCRATCH/err")"
done

# oracle.py BUILD-DIR ALL: the table and every object's share, from the ELF file and the map
cat >"$SCRATCH/oracle.py" <<'PY'
import json, os, re, struct, sys
from fractions import Fraction
b, all_ = sys.argv[1], sys.argv[2] == "1"
d = open(b + "/vmlinux", "rb").read()
shoff, = struct.unpack_from("<Q", d, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3A)
secs = []
for i in range(shnum):
	name, typ, flags, addr, off, size, link = struct.unpack_from("<IIQQQQI", d, shoff + i * shentsize)
	secs.append(dict(name=name, type=typ, flags=flags, addr=addr, off=off, size=size, link=link))
def cstr(o):
	return d[o:d.index(b"\0", o)].decode()
for s in secs:
	s["name"] = cstr(secs[shstrndx]["off"] + s["name"])
ALLOC, NOBITS, FUNC, SECTION, FILE = 2, 8, 2, 3, 4
syms, sized = [], {}
for s in secs:
	if s["type"] != 2:
		continue
	strtab = secs[s["link"]]["off"]
	for k in range(s["size"] // 24):
		nm, info, _, shndx, value, size = struct.unpack_from("<IBBHQQ", d, s["off"] + k * 24)
		syms.append((cstr(strtab + nm), info & 15, shndx, value))
		if size and 0 < shndx < len(secs) and info & 15 not in (SECTION, FILE):
			sized.setdefault(shndx, []).append((value, size))

# the map: objects' input sections and *fill* in placed allocated output sections
sys.path.insert(0, os.environ["TESTS_SRC"] + "/e2e")
from kbmap import map_spans
spans, fills = map_spans(b + "/vmlinux.map")
objects = {}
for lo, hi, o in spans:
	objects.setdefault(o, {"bytes": 0, "pad": 0, "share": 0})["bytes"] += hi - lo

# padding (as t0051's oracle): a gap between symbols of one repeated byte, inside objects
def inside(lo, hi):
	ins, pos = [], lo
	for a, e, o in spans:
		if e <= pos or a >= hi:
			continue
		ins.append((max(a, pos), min(e, hi), o))
		pos = min(e, hi)
	return ins
for i, s in enumerate(secs):
	if not s["flags"] & ALLOC or not s["size"] or s["type"] == NOBITS or not sized.get(i):
		continue
	end, covered, gaps = s["addr"] + s["size"], s["addr"], []
	for a, n in sorted(sized[i]):
		lo, hi = max(a, covered), min(a + n, end)
		if lo < hi:
			if lo > covered:
				gaps.append((covered, lo))
			covered = hi
	if covered < end:
		gaps.append((covered, end))
	for lo, hi in gaps:
		if len(set(d[s["off"] + lo - s["addr"]:s["off"] + hi - s["addr"]])) == 1:
			for a, e, o in inside(lo, hi):
				objects[o]["pad"] += e - a

tables = [o for o in objects if o.split("/")[-1].startswith(".tmp_") and "kallsyms" in o]
assert len(tables) == 1, tables
t = tables[0]
table = objects[t]["bytes"] - objects[t]["pad"]

def kept(name, typ, shndx):
	# (not undefined, nor absolute: SHN_ABS and the other reserved indexes)
	if not name or not shndx or shndx >= 0xff00 or typ in (SECTION, FILE) or (not all_ and typ != FUNC):
		return False
	if name in ("kallsyms_addresses", "kallsyms_offsets", "kallsyms_relative_base", "kallsyms_num_syms",
		    "kallsyms_names", "kallsyms_markers", "kallsyms_token_table", "kallsyms_token_index",
		    "kallsyms_seqs_of_names"):  # the table's own, which it leaves out
		return False
	return not name.startswith(("__crc_", "__kstrtab", "__efistub_", ".L", "$"))
names = {y[0] for y in syms}
fixed = 1 + (4 if "kallsyms_offsets" in names else 8) + (3 if "kallsyms_seqs_of_names" in names else 0)
ks = [y for y in syms if kept(*y[:3])]
n, length = len(ks), sum(len(y[0]) + 1 for y in ks)
r = max(Fraction(table - fixed * n, length), Fraction(0))
scale = Fraction(table) / (fixed * n + r * length)
starts = [lo for lo, hi, o in spans]
weight, kept_in = {}, {}
import bisect
for name, typ, shndx, value in ks:
	k = bisect.bisect_right(starts, value) - 1
	if k >= 0 and spans[k][0] <= value < spans[k][1] and spans[k][2] != t:
		o = spans[k][2]
		weight[o] = weight.get(o, 0) + fixed + r * (len(name) + 1)
		kept_in.setdefault(o, []).append(name)
exact = {o: w * scale for o, w in weight.items()}
for o, w in exact.items():
	objects[o]["share"] = w.numerator // w.denominator
given = sum(x["share"] for x in objects.values())
objects[t]["share"] = -given
json.dump({"table_object": t, "table": table, "fixed": fixed, "n": n, "len": length,
	   "r": float(r), "given": given, "objects": objects, "kept_in": kept_in,
	   "exact": {o: float(w) for o, w in exact.items()}}, sys.stdout, sort_keys=True)
PY
python3 "$SCRATCH/oracle.py" "$fn" 0 >"$fn.oracle" || fail "the oracle of the KALLSYMS=y build"
python3 "$SCRATCH/oracle.py" "$all" 1 >"$all.oracle" || fail "the oracle of the KALLSYMS_ALL=y build"
python3 "$SCRATCH/oracle.py" "$mod" 0 >"$mod.oracle" || fail "the oracle of the KS_DEMO=m build"

# shares.py ORACLE MODULAR-JSON: every object's share is the oracle's (kbloat's doubles may
# floor the other way only where the exact weight is an integer, to 1e-6)
cat >"$SCRATCH/shares.py" <<'PY'
import json, math, sys
orc, m = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = []
for x in m["objects"]:
	want = orc["objects"].get(x["object"], {"share": 0})["share"]
	got = x.get("kallsyms_share")
	e = orc["exact"].get(x["object"])
	near = e is not None and abs(e - round(e)) < 1e-6 and got in (round(e) - 1, round(e))
	if got != want and not near:
		bad.append((x["object"], got, want))
assert not bad, bad
PY
for b in "$fn" "$all" "$mod"; do
	n=$(basename "$b")
	tb=$(pyjson "$b.oracle" 'print(d["objects"][d["table_object"]]["bytes"])')
	check "$n: kallsyms_table is the table's bytes in the map ($tb)" \
		pyjson "$b.json" "assert d['kallsyms_table'] == $tb, d['kallsyms_table']"
	# an uncompressed entry is 8 + (len + 1) bytes: r is 1 but for the table's other bytes
	# (relative base, count, alignment, text labels that are no function) spread on the names
	check "$n: r near 1, as the table is uncompressed: 1 <= r < 1.2 ($(pyjson "$b.oracle" 'print(d["r"])'))" \
		pyjson "$b.oracle" 'assert 1 <= d["r"] < 1.2 and d["fixed"] == 8, (d["r"], d["fixed"])'
	check "$n: the table has no padding inside, and the oracle's table is the map's bytes" \
		pyjson "$b.oracle" 'assert d["table"] == d["objects"][d["table_object"]]["bytes"] > 0, d["table"]'
	check "$n: every object's kallsyms_share is the model's ($(python3 "$SCRATCH/shares.py" "$b.oracle" "$b.json" 2>&1 | tail -n1 | head -c 300))" \
		python3 "$SCRATCH/shares.py" "$b.oracle" "$b.json"
	check "$n: the shares and the table's remainder sum to the table; kallsyms_shared is the shares' sum" python3 -c "
import json
o, m = json.load(open('$b.oracle')), json.load(open('$b.json'))
t = [x for x in m['objects'] if x['object'] == o['table_object']][0]
given = sum(x['kallsyms_share'] for x in m['objects'] if x is not t)
assert given == m['kallsyms_shared'] == o['given'] == -t['kallsyms_share'], (given, m['kallsyms_shared'], o['given'])
remainder = t['bytes'] - t['padding'] + t['kallsyms_share']
assert 0 <= remainder and given + remainder == o['table'], (given, remainder, o['table'])
assert given > 0.9 * o['table'], (given, o['table'])"
	check "$n: the text report's note: the table and what it gave" grep -q \
		"^note: the kallsyms table (.tmp_vmlinux.kallsyms2.o, $tb bytes) names every symbol: in code and data each object counts its symbols' share of it ($(pyjson "$b.oracle" 'print(d["given"])') of $(pyjson "$b.oracle" 'print(d["table"])') bytes given)" "$b.txt"
	check "$n: the code-and-data sums are total - padding, the padding the oracle's" python3 -c "
import json
o, m = json.load(open('$b.oracle')), json.load(open('$b.json'))
c = m['code_and_data']
assert c['tristate_savings'] + c['bool_savings'] + c['hard_core'] + c['rest'] == c['now'] == m['total'] - c['padding'], c
for x in m['objects']:
	assert x['padding'] == o['objects'].get(x['object'], {'pad': 0})['pad'], x['object']"
	check "$n: (1)'s savings in code and data count each candidate's share" python3 -c "
import json
o, m = json.load(open('$b.oracle')), json.load(open('$b.json'))
cand = {r['key'] for r in m['tristate_candidates']['rows']}
want = sum(x['bytes'] - o['objects'].get(x['object'], {'pad': 0})['pad'] + o['objects'].get(x['object'], {'share': 0})['share']
	   for x in m['objects'] if x['category'] == 'tristate' and x['owner'] in cand)
assert m['code_and_data']['tristate_savings'] == want, (m['code_and_data']['tristate_savings'], want)"
done

# record: each option stored as its objects' bytes - padding + share (KALLSYMS: the table
# less what it gave)
"$KBLOAT" record --db "$SCRATCH/r.db" --repo "$HISTORY/repo" --commit main --config ks \
	--arch x86_64 --map "$fn/vmlinux.map" --dotconfig "$fn/.config" --src "$tree" --build "$fn" \
	"$fn/vmlinux" >/dev/null 2>"$SCRATCH/err" || fail "record --build: $(cat "$SCRATCH/err")"
check "record: each option's item is its objects' bytes - padding + kallsyms share" python3 - \
	"$SCRATCH/r.db" "$fn.oracle" "$fn.json" <<'PY'
import json, os, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
o, m = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
sys.path.insert(0, os.environ["TESTS_SRC"] + "/e2e")
from kbmap import full_set
z = full_set(c.execute("SELECT sizes FROM item_sets").fetchone()[0])  # one build: its snapshot
got = {name: z[i] for i, name in c.execute("SELECT id, name FROM items WHERE kind = 4") if z.get(i)}
want = {}
for x in m["objects"]:
	if x["owner"]:
		ob = o["objects"].get(x["object"], {"bytes": 0, "pad": 0, "share": 0})
		want[x["owner"]] = want.get(x["owner"], 0) + ob["bytes"] - ob["pad"] + ob["share"]
want = {k: v for k, v in want.items() if v > 0}
assert got == want, (got, want)
assert got["KALLSYMS"] == o["table"] - o["given"] and got["KS_DEMO"] > 0, got
PY

# only functions without KALLSYMS_ALL; data too with it
share() { pyjson "$1" "print([x.get('kallsyms_share') for x in d['objects'] if x['object'] == '$2'][0])"; }
check "without KALLSYMS_ALL: lib/ks_names.o (data only) has no share" test "$(share "$fn.json" lib/ks_names.o)" = 0
check "without KALLSYMS_ALL: the oracle kept functions only, lib/ks_demo.o's 13" pyjson "$fn.oracle" '
k = sorted(d["kept_in"]["lib/ks_demo.o"])
assert len(k) == 13 and "ks_demo_counter" not in k and "ks_demo_local_helper_with_a_long_name" in k, k
assert "lib/ks_names.o" not in d["kept_in"], d["kept_in"]'
check "with KALLSYMS_ALL: lib/ks_names.o (data only) has a share" test "$(share "$all.json" lib/ks_names.o)" -gt 0
check "with KALLSYMS_ALL: lib/ks_demo.o's share counts its counter too" pyjson "$all.oracle" '
assert sorted(d["kept_in"]["lib/ks_demo.o"]) == sorted(json.load(open("'"$fn.oracle"'"))["kept_in"]["lib/ks_demo.o"] + ["ks_demo_counter"])'
check "with KALLSYMS_ALL: a bigger table" \
	test "$(pyjson "$all.json" 'print(d["kallsyms_table"])')" -gt "$(pyjson "$fn.json" 'print(d["kallsyms_table"])')"

# KS_DEMO=m: the table shrinks by about the candidate's predicted share.  The table holds per
# symbol an offset (4), a length byte, the type letter and the name, and a 3-byte index:
# 8 + (len + 1) bytes, the model's fixed + r * (len + 1) with r = 1.  The tables after the
# offsets and after the names are aligned to 8, so the table's size moves by up to 4 and 7
# bytes more or less than its entries; the share is floored (1 byte); and r is above 1 by
# the table's bytes that are no function's entry (its count and base, the alignment, the
# text labels that are not STT_FUNC: _stext, _etext, ...), which the model spreads on the
# names: (r - 1) * sum(len + 1) bytes more in the prediction.
check "KS_DEMO is a candidate (1)" pyjson "$fn.json" \
	'assert "KS_DEMO" in [r["key"] for r in d["tristate_candidates"]["rows"]]'
check "KS_DEMO=m: lib/ks_demo.o is not linked" sh -c "! grep -q 'lib/ks_demo.o' '$mod/vmlinux.map'"
pred=$(share "$fn.json" lib/ks_demo.o)
shrink=$(($(pyjson "$fn.json" 'print(d["kallsyms_table"])') - $(pyjson "$mod.json" 'print(d["kallsyms_table"])')))
entries=$(pyjson "$fn.oracle" 'print(sum(8 + len(s) + 1 for s in d["kept_in"]["lib/ks_demo.o"]))')
spread=$(pyjson "$fn.oracle" 'import math; print(math.ceil((d["r"] - 1) * sum(len(s) + 1 for s in d["kept_in"]["lib/ks_demo.o"])))')
check "KS_DEMO=m: the table lost its 13 entries, $entries bytes, to the alignment (shrank $shrink: within 11)" \
	test $((shrink - entries)) -le 11 -a $((entries - shrink)) -le 11
check "KS_DEMO=m: the predicted share ($pred) is the entries ($entries) and r's excess on its names ($spread), to 1" \
	test $((pred - entries - spread)) -le 1 -a $((entries + spread - pred)) -le 1
check "KS_DEMO=m: the table shrank by the predicted share (shrank $shrink, predicted $pred) to 12 + $spread bytes" \
	test $((shrink - pred)) -le $((12 + spread)) -a $((pred - shrink)) -le $((12 + spread))
check "KS_DEMO=m: the table has 13 symbols fewer" pyjson "$mod.oracle" "
import json
f = json.load(open('$fn.oracle'))
assert d['r'] > 0 and f['n'] - d['n'] == 13, (f['n'], d['n'])"
done_testing
