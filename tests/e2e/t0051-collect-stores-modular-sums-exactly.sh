#!/bin/bash
# The collector stores each ok build's modular analysis (schema/002): its padding, the sums
# in bytes of code and data (m_tristate, m_bool, m_core, m_rest) and an item per enabled
# option, and d_core against the parent build. Checked exactly against an oracle written
# here from the ELF file, its symbol table and the linker map alone: alignment padding is a
# run of one repeated byte between two symbols (or bytes outside every object that the
# map's *fill* lines cover); an object's code and data are its input sections' bytes less
# the padding inside them. Which option owns an object and which options are candidates is
# kbloat modular's (t0050 checks that against the Makefiles and Kconfig).
#   - the newest build of tinyconfig and of defconfig: every stored sum and option item
#   - tinyconfig's only candidate (1) is SERIAL_8250, i.e. drivers/tty/serial.o
#   - the new-driver commit: SOFT_WATCHDOG's item appears in defconfig, never in tinyconfig
#   - the big-table commit (+40 KB of obj-y): d_core is the hard core's growth in both
#     configs, built again here on their own
#   - kbloat record --src --build stores the same; without --build none of it; a build
#     directory it cannot analyze (no map) records the build and says why
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
repo=$HISTORY/repo
ev=$HISTORY/events.tsv
sha_of() { awk -F'\t' -v k="$1" '$2 == k { print $1; exit }' "$ev"; }
big=$(sha_of big-table) drv=$(sha_of new-driver)
# main collected in tinyconfig and defconfig by tests/fixtures/collect-sample.sh: read only
coll=$KB_BUILD/tests/collected
db=$coll/col.db
[ -s "$db" ] || fail "$db: not collected (the fixtures-collected test makes it)"
check "no build warns of the modular analysis ($(grep -m1 modular "$coll/collect.err"))" \
	sh -c "! grep -q 'modular analysis' '$coll/collect.err'"
"$KBLOAT" db check --db "$db" >"$SCRATCH/check" 2>&1
check "db check passes: sums, options and d_core ($(head -3 "$SCRATCH/check"))" \
	grep -qx "$db: ok" "$SCRATCH/check"

# oracle.py BUILD-DIR: {"total", "pad_total", "objects": {obj: {"bytes", "pad"}}}
cat >"$SCRATCH/oracle.py" <<'PY'
import json, os, re, struct, sys
b = sys.argv[1]
d = open(b + "/vmlinux", "rb").read()
shoff, = struct.unpack_from("<Q", d, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3A)
secs = []
for i in range(shnum):
	name, typ, flags, addr, off, size = struct.unpack_from("<IIQQQQ", d, shoff + i * shentsize)
	secs.append(dict(name=name, type=typ, flags=flags, addr=addr, off=off, size=size))
def cstr(o):
	return d[o:d.index(b"\0", o)].decode()
for s in secs:
	s["name"] = cstr(secs[shstrndx]["off"] + s["name"])
ALLOC, TLS, NOBITS = 2, 0x400, 8
tls = min([s["addr"] for s in secs if s["flags"] & ALLOC and s["flags"] & TLS] or [0])
syms = {}
for s in secs:
	if s["type"] != 2:
		continue
	for k in range(s["size"] // 24):
		_, info, _, shndx, value, size = struct.unpack_from("<IBBHQQ", d, s["off"] + k * 24)
		if size and 0 < shndx < len(secs) and info & 15 not in (3, 4):
			syms.setdefault(shndx, []).append((value + (tls if info & 15 == 6 else 0), size))

# the map: objects' input sections and *fill*, in placed allocated output sections
sys.path.insert(0, os.environ["TESTS_SRC"] + "/e2e")
from kbmap import map_spans
spans, fills = map_spans(b + "/vmlinux.map")

objects = {}
for lo, hi, o in spans:
	objects.setdefault(o, {"bytes": 0, "pad": 0})["bytes"] += hi - lo

def inside(lo, hi):  # the pieces of [lo, hi) in objects' spans, and those outside
	ins, outs, pos = [], [], lo
	for a, e, o in spans:
		if e <= pos or a >= hi:
			continue
		if a > pos:
			outs.append((pos, a))
		ins.append((max(a, pos), min(e, hi), o))
		pos = min(e, hi)
	if pos < hi:
		outs.append((pos, hi))
	return ins, outs

def covered_by_fill(lo, hi):
	pos = lo
	for a, e in fills:
		if a <= pos < e:
			pos = e
	return pos >= hi

pad_total = 0
for i, s in enumerate(secs):
	if not s["flags"] & ALLOC or not s["size"]:
		continue
	end, covered, gaps = s["addr"] + s["size"], s["addr"], []
	for a, n in sorted(syms.get(i, [])):
		lo, hi = max(a, covered), min(a + n, end)
		if lo < hi:
			if lo > covered:
				gaps.append((covered, lo))
			covered = hi
	if covered < end:
		gaps.append((covered, end))
	for lo, hi in gaps:
		data = None if s["type"] == NOBITS or not syms.get(i) else \
			d[s["off"] + lo - s["addr"]:s["off"] + hi - s["addr"]]
		ins, outs = inside(lo, hi)
		if data and len(set(data)) == 1:  # one byte repeated: alignment fill
			pad_total += hi - lo
			for a, e, o in ins:
				objects[o]["pad"] += e - a
		else:  # outside every object, wholly *fill*: the linker's padding
			pad_total += sum(e - a for a, e in outs if covered_by_fill(a, e))
total = sum(s["size"] for s in secs if s["flags"] & ALLOC)
json.dump({"total": total, "pad_total": pad_total, "objects": objects}, sys.stdout)
PY

# expect.py ORACLE MODULAR-JSON: the sums and option sizes the store must hold
cat >"$SCRATCH/expect.py" <<'PY'
import json, sys
orc, m = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
cand = {r["key"] for r in m["tristate_candidates"]["rows"] + m["bool_candidates"]["rows"]}
s = {"m_tristate": 0, "m_bool": 0, "m_core": 0, "m_rest": 0}
opts, code_in = {}, 0
for o in m["objects"]:
	x = orc["objects"].get(o["object"], {"bytes": 0, "pad": 0})
	code = x["bytes"] - x["pad"]
	code_in += x["bytes"]
	s["m_core" if o["category"] == "core" else
	  "m_rest" if o["category"] == "unknown" or o["owner"] not in cand else
	  "m_tristate" if o["category"] == "tristate" else "m_bool"] += code
	if o["owner"] and code:
		opts[o["owner"]] = opts.get(o["owner"], 0) + code
pad_in = sum(x["pad"] for x in orc["objects"].values())
s["m_core"] += orc["total"] - code_in - (orc["pad_total"] - pad_in)
s.update(total=orc["total"], padding=orc["pad_total"], options=opts)
json.dump(s, sys.stdout, sort_keys=True)
PY

# stored.py DB SHA CONFIG: the build's sums and its option items' sizes, read from the
# tables (its snapshot up the parent links, then the changes since)
cat >"$SCRATCH/stored.py" <<'PY'
import json, os, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
row = c.execute("SELECT b.id, b.total, b.padding, b.m_tristate, b.m_bool, b.m_core, b.m_rest, "
		"b.d_core FROM builds b JOIN commits k ON k.id = b.commit_id JOIN configs g ON "
		"g.id = b.config_id WHERE k.sha = ? AND g.name = ?", sys.argv[2:4]).fetchone()
chain, b = [], row[0]
while True:
	snap, parent = c.execute("SELECT snapshot, parent_build_id FROM builds WHERE id = ?", (b,)).fetchone()
	chain.append(b)
	if snap:
		break
	b = parent

sys.path.insert(0, os.environ["TESTS_SRC"] + "/e2e")
from kbmap import full_set
z = full_set(c.execute("SELECT sizes FROM item_sets WHERE build_id = ?", (chain[-1],)).fetchone()[0])
for b in reversed(chain[:-1]):
	z.update(c.execute("SELECT item_id, size FROM item_delta WHERE build_id = ?", (b,)))
opts = {}
for i, name, cls in c.execute("SELECT id, name, class FROM items WHERE kind = 4"):
	if z.get(i):
		opts[name] = z[i]
		opts[name + ".class"] = cls
s = dict(zip(("total", "padding", "m_tristate", "m_bool", "m_core", "m_rest", "d_core"), row[1:]))
s["options"] = opts
json.dump(s, sys.stdout, sort_keys=True)
PY

# the expected figures of the build of config in build directory dir (of database d)
expected() { # expected DB CONFIG OUT
	local bdir
	bdir=$(echo "$1.work/build/$2"-x86_64)
	python3 "$SCRATCH/oracle.py" "$bdir" >"$3.oracle" &&
		"$KBLOAT" modular --db "$1" --config "$2" --arch x86_64 --json >"$3.modular" &&
		python3 "$SCRATCH/expect.py" "$3.oracle" "$3.modular" >"$3"
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }

head=$(git -C "$repo" rev-parse main)
for cfg in tinyconfig defconfig; do
	expected "$db" $cfg "$SCRATCH/$cfg.want" || fail "$cfg: the oracle ran"
	python3 "$SCRATCH/stored.py" "$db" "$head" $cfg >"$SCRATCH/$cfg.got"
	check "$cfg: size(1)'s total is the oracle's" \
		test "$(size "$db.work/build/$cfg-x86_64/vmlinux" | awk 'NR == 2 { print $4 }')" = \
		"$(field "$SCRATCH/$cfg.want" '["total"]')"
	for k in total padding m_tristate m_bool m_core m_rest; do
		check "$cfg: stored $k is $(field "$SCRATCH/$cfg.want" "[\"$k\"]")" \
			test "$(field "$SCRATCH/$cfg.got" "[\"$k\"]")" = "$(field "$SCRATCH/$cfg.want" "[\"$k\"]")"
	done
	check "$cfg: the four sum to total - padding" python3 -c "
import json; s = json.load(open('$SCRATCH/$cfg.got'))
assert s['m_tristate'] + s['m_bool'] + s['m_core'] + s['m_rest'] == s['total'] - s['padding'], s"
	check "$cfg: each option's stored size is its objects' code and data" python3 -c "
import json; w, g = json.load(open('$SCRATCH/$cfg.want')), json.load(open('$SCRATCH/$cfg.got'))
got = {k: v for k, v in g['options'].items() if not k.endswith('.class')}
assert got == w['options'], (got, w['options'])"
	check "$cfg: kbloat modular's object padding is the oracle's" python3 -c "
import json; o, m = json.load(open('$SCRATCH/$cfg.want.oracle')), json.load(open('$SCRATCH/$cfg.want.modular'))
for x in m['objects']:
	assert x['padding'] == o['objects'].get(x['object'], {'pad': 0})['pad'], x['object']
assert m['code_and_data']['padding'] == o['pad_total'], (m['code_and_data'], o['pad_total'])"
done
serial=$(python3 -c "import json; x = json.load(open('$SCRATCH/tinyconfig.want.oracle'))['objects']['drivers/tty/serial.o']; print(x['bytes'] - x['pad'])")
check "tinyconfig: m_tristate is drivers/tty/serial.o's code and data ($serial)" \
	test "$(field "$SCRATCH/tinyconfig.got" '["m_tristate"]')" = "$serial"
check "tinyconfig: SERIAL_8250 is its only candidate (1), class 0, of the same size" python3 -c "
import json; o = json.load(open('$SCRATCH/tinyconfig.got'))['options']
got = {k: v for k, v in o.items() if not k.endswith('.class') and o[k + '.class'] == 0}
assert got == {'SERIAL_8250': $serial}, got"

# kbloat record with the build directory and tree stores the same; without, none of it; a
# build directory it cannot analyze is the analysis's failure, not the build's
tb=$db.work/build/tinyconfig-x86_64
rec() { "$KBLOAT" record --repo "$repo" --commit main --config tinyconfig --arch x86_64 \
	--map "$tb/vmlinux.map" --dotconfig "$tb/.config" "$@"; }
rec --db "$SCRATCH/r.db" --src "$db.work/src" --build "$tb" "$tb/vmlinux" >/dev/null 2>"$SCRATCH/err" ||
	fail "record --build: $(cat "$SCRATCH/err")"
python3 "$SCRATCH/stored.py" "$SCRATCH/r.db" "$head" tinyconfig >"$SCRATCH/r.got"
check "record --src --build stores what the collector stored" python3 -c "
import json; a, b = json.load(open('$SCRATCH/r.got')), json.load(open('$SCRATCH/tinyconfig.got'))
a.pop('d_core'); b.pop('d_core')
assert a == b, (a, b)"
rec --db "$SCRATCH/r2.db" --src "$db.work/src" "$tb/vmlinux" >/dev/null 2>&1 || fail "record"
check "record without --build: padding, but no modular sums" \
	test "$(python3 "$SCRATCH/stored.py" "$SCRATCH/r2.db" "$head" tinyconfig | python3 -c "
import json, sys; s = json.load(sys.stdin); print(s['padding'], s['m_core'], s['options'])")" = "$(field "$SCRATCH/tinyconfig.want" '["padding"]') None {}"
mkdir "$SCRATCH/nomap" && cp "$tb/vmlinux" "$tb/.config" "$SCRATCH/nomap/"
rec --db "$SCRATCH/r3.db" --src "$db.work/src" --build "$SCRATCH/nomap" "$tb/vmlinux" >/dev/null \
	2>"$SCRATCH/err" || fail "record of a build directory without a map"
check "without a map: the build is recorded, the warning says why ($(cat "$SCRATCH/err"))" \
	grep -q "modular analysis: .*nomap/vmlinux.map" "$SCRATCH/err"
check "without a map: no sums" test "$(python3 "$SCRATCH/stored.py" "$SCRATCH/r3.db" "$head" tinyconfig |
	python3 -c "import json, sys; print(json.load(sys.stdin)['m_tristate'])")" = None
expect_error 2 "--build needs --src" "$KBLOAT" record --db "$SCRATCH/r4.db" --repo "$repo" \
	--commit main --config tinyconfig --build "$tb" "$tb/vmlinux"

# the new driver: its option is in defconfig's items from its commit on, in tinyconfig's never
python3 "$SCRATCH/stored.py" "$db" "$(git -C "$repo" rev-parse "$drv~1")" defconfig >"$SCRATCH/pre"
python3 "$SCRATCH/stored.py" "$db" "$drv" defconfig >"$SCRATCH/post"
python3 "$SCRATCH/stored.py" "$db" "$drv" tinyconfig >"$SCRATCH/post-tiny"
softdog=$(python3 -c "import json; x = json.load(open('$SCRATCH/defconfig.want.oracle'))['objects']['drivers/watchdog/softdog.o']; print(x['bytes'] - x['pad'])")
check "defconfig before the new driver: no SOFT_WATCHDOG item" \
	test "$(field "$SCRATCH/pre" '["options"].get("SOFT_WATCHDOG")')" = None
check "defconfig at the new driver: SOFT_WATCHDOG, a candidate (1), its object's $softdog bytes" \
	test "$(field "$SCRATCH/post" '["options"].get("SOFT_WATCHDOG")'),$(field "$SCRATCH/post" '["options"].get("SOFT_WATCHDOG.class")')" = "$softdog,0"
check "tinyconfig at the new driver: no SOFT_WATCHDOG item" \
	test "$(field "$SCRATCH/post-tiny" '["options"].get("SOFT_WATCHDOG")')" = None
check "the new driver leaves defconfig's hard core as it was (d_core 0)" \
	test "$(field "$SCRATCH/post" '["d_core"]')" = 0

# the big table, obj-y: the hard core grows by what the two builds' oracles say, in both
"$KBLOAT" collect --repo "$repo" --range "$big~2..$big~1" --first-parent --db "$SCRATCH/p.db" \
	-j2 --config tinyconfig --config defconfig >/dev/null 2>&1 || fail "collect the parent"
"$KBLOAT" collect --repo "$repo" --range "$big~1..$big" --first-parent --db "$SCRATCH/b.db" \
	-j2 --config tinyconfig --config defconfig >/dev/null 2>&1 || fail "collect the big table"
for cfg in tinyconfig defconfig; do
	expected "$SCRATCH/p.db" $cfg "$SCRATCH/p-$cfg" && expected "$SCRATCH/b.db" $cfg "$SCRATCH/b-$cfg" ||
		fail "$cfg: the oracle of the big table's builds"
	python3 "$SCRATCH/stored.py" "$db" "$big" $cfg >"$SCRATCH/big-$cfg"
	grow=$(($(field "$SCRATCH/b-$cfg" '["m_core"]') - $(field "$SCRATCH/p-$cfg" '["m_core"]')))
	check "$cfg: the big table's d_core is the hard core's growth ($grow bytes, > 40 KB)" \
		test "$(field "$SCRATCH/big-$cfg" '["d_core"]')" = "$grow" -a "$grow" -gt 40960
	check "$cfg: and no option's bytes changed with it" python3 -c "
import json; a, b = json.load(open('$SCRATCH/p-$cfg')), json.load(open('$SCRATCH/b-$cfg'))
assert a['options'] == b['options'] and a['m_tristate'] == b['m_tristate'] and a['m_bool'] == b['m_bool'], (a, b)"
done
done_testing
