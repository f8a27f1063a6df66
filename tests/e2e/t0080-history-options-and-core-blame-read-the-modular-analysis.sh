#!/bin/bash
# The queries on the modular analysis the collector stores per build (schema/002-modular.sql),
# over the sample history (tests/fixtures/make-history.sh) collected in tinyconfig and
# defconfig: history's code and data is the total less the padding `kbloat syms` finds in
# the build's own vmlinux, its everything-modularized estimate is code and data less the
# candidates; `options` lists SERIAL_8250 in tinyconfig with the bytes its object has in the
# linker map, and its sums are history's; `history --option` follows an option across the
# history (SOFT_WATCHDOG: 0 until the new-driver commit, then its object's bytes); `blame --core`
# names the 40 KB table (obj-y, so the hard core) with the bytes its object adds.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
# main collected in tinyconfig and defconfig by tests/fixtures/collect-sample.sh: read only
db=$KB_BUILD/tests/collected/col.db
K() { "$KBLOAT" "$@" --db "$db"; }
big=$(awk -F'\t' '$2 == "big-table" {print $1}' "$HISTORY/events.tsv")
driver=$(awk -F'\t' '$2 == "new-driver" {print $1}' "$HISTORY/events.tsv")
main=$(git -C "$HISTORY/repo" rev-parse main)
work=$db.work/build

[ -s "$db" ] || fail "$db: not collected (the fixtures-collected test makes it)"

# mapsum MAP OBJECT [SYMS.json]: the bytes of OBJECT's allocated input sections in MAP (at
# x86_64 kernel addresses: debug sections and .comment sit at small ones), less the
# [padding] rows of the image's breakdown (SYMS.json, kbloat syms --json) inside them
cat >"$SCRATCH/mapsum.py" <<'PY'
import json, re, sys
ranges = []
pending = False
for line in open(sys.argv[1]):
    m = re.match(r'^\s*(\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)\s*$', line)
    if m and m.group(4) == sys.argv[2] and int(m.group(2), 16) >= 1 << 63:
        ranges.append((int(m.group(2), 16), int(m.group(3), 16)))
total = sum(n for _, n in ranges)
if len(sys.argv) > 3:
    for r in json.load(open(sys.argv[3]))['rows']:
        a = int(r['addr'], 16) if r.get('addr') else 0
        if r['name'].startswith('[padding') and any(s <= a < s + n for s, n in ranges):
            total -= r['bytes']
print(total)
PY
mapsum() { python3 "$SCRATCH/mapsum.py" "$@"; }
# padding IMAGE MAP: the bytes of the [padding ...] rows of its breakdown
padding() {
	"$KBLOAT" syms --map "$2" --json "$1" >"$SCRATCH/syms.json"
	pyjson "$SCRATCH/syms.json" "print(sum(r['bytes'] for r in d['rows']
		if r['name'].startswith('[padding')))"
}

# --- history: the series ------------------------------------------------------------------
K history --config tinyconfig --json >"$SCRATCH/h.json"
K history --config tinyconfig >"$SCRATCH/h.txt"
tiny_total=$("$KBLOAT" size --json "$work/tinyconfig-x86_64/vmlinux" |
	python3 -c "import json,sys; print(json.load(sys.stdin)['images'][0]['total'])")
tiny_pad=$(padding "$work/tinyconfig-x86_64/vmlinux" "$work/tinyconfig-x86_64/vmlinux.map")
check "the work directory's tinyconfig image is the newest build's" pyjson "$SCRATCH/h.json" "
b = d['builds'][-1]
assert b['commit'] == '$main' and b['size'] == $tiny_total, (b['commit'], b['size'])"
check "history's padding of the newest build is the [padding] rows of its vmlinux" \
	pyjson "$SCRATCH/h.json" "
b = d['builds'][-1]
assert b['padding'] == $tiny_pad and b['code'] == $tiny_total - $tiny_pad, b"
check "every build: code = size - padding, modular = code - m_tristate - m_bool, and the four
sums add up to code" pyjson "$SCRATCH/h.json" "
for b in d['builds']:
    assert b['code'] == b['size'] - b['padding'], b
    assert b['modular'] == b['code'] - b['m_tristate'] - b['m_bool'], b
    assert b['m_tristate'] + b['m_bool'] + b['m_core'] + b['m_rest'] == b['code'], b"
check "tinyconfig's serial driver is a tristate candidate in the estimate" pyjson \
	"$SCRATCH/h.json" "assert all(b['m_tristate'] > 0 for b in d['builds']), d"
check "the text table shows the series under each build" python3 -c "
import json, re
d = json.load(open('$SCRATCH/h.json'))['builds'][-1]
t = open('$SCRATCH/h.txt').read().splitlines()
assert max(len(l) for l in t) <= 100, max(len(l) for l in t)
want = 'code and data %10d  modularized %10d  hard core %10d' % (d['code'], d['modular'], d['m_core'])
assert t[-1].strip() == want, (t[-1], want)"

# --- options -----------------------------------------------------------------------------
K options --config tinyconfig --json >"$SCRATCH/o.json"
K options --config tinyconfig >"$SCRATCH/o.txt"
serial=$(mapsum "$work/tinyconfig-x86_64/vmlinux.map" drivers/tty/serial.o "$SCRATCH/syms.json")
check "options lists SERIAL_8250 as a tristate candidate with its object's bytes ($serial)" \
	pyjson "$SCRATCH/o.json" "
r = [o for o in d['options'] if o['name'] == 'SERIAL_8250']
assert len(r) == 1 and r[0]['type'] == 'tristate' and r[0]['candidate'] is True, r
assert r[0]['bytes'] == $serial, (r[0], $serial)
assert d['commit'] == '$main', d['commit']"
check "options' candidate sums are the build's m_tristate and m_bool, as history has them" \
	python3 -c "
import json
o = json.load(open('$SCRATCH/o.json'))
h = json.load(open('$SCRATCH/h.json'))['builds'][-1]
t = o['totals']
assert t['tristate_candidates']['bytes'] == h['m_tristate'], (t, h)
assert t['bool_candidates']['bytes'] == h['m_bool'], (t, h)
assert sum(x['bytes'] for x in o['options'] if x['candidate']) == h['m_tristate'] + h['m_bool']
for k in ('padding', 'code', 'm_core', 'modular'):
    assert o['build'][k] == h[k], k"
check "the text's totals say they reconcile" grep -q \
	"^tristate candidates (1) .* bytes = m_tristate " "$SCRATCH/o.txt"
check "options --top 1 shows one option, the largest" pyjson <(K options --config \
	defconfig --top 1 --json) "
assert len(d['options']) == 1, d['options']"

K options "$driver" --config defconfig --changed --json >"$SCRATCH/od.json"
softdog=$(mapsum "$HISTORY/builds/$driver/vmlinux.map" drivers/watchdog/softdog.o)
check "options --changed of the new-driver commit: SOFT_WATCHDOG is new, nothing else changed" \
	pyjson "$SCRATCH/od.json" "
r = d['options']
assert [o['name'] for o in r] == ['SOFT_WATCHDOG'], r
assert r[0]['change'] == 'new' and r[0]['delta'] == r[0]['bytes'] and r[0]['was_type'] is None, r"

# --- history --option --------------------------------------------------------------------
K history --option SOFT_WATCHDOG --config defconfig --json >"$SCRATCH/hs.json"
check "history --option SOFT_WATCHDOG: 0 before the new-driver commit, then its bytes ($softdog)" \
	pyjson "$SCRATCH/hs.json" "
b = d['builds']
i = [x['commit'] for x in b].index('$driver')
assert d['option'] == 'SOFT_WATCHDOG'
assert all(x['size'] == 0 and x['type'] is None for x in b[:i]), b[:i]
assert b[i]['size'] == $softdog and b[i]['delta'] == $softdog, b[i]
assert b[i]['type'] == 'tristate' and b[i]['candidate'] is True, b[i]"
K history --option CONFIG_SERIAL_8250 --config tinyconfig --json >"$SCRATCH/h8.json"
check "history --option CONFIG_SERIAL_8250: its bytes in every build, the newest as options
says" python3 -c "
import json
h = json.load(open('$SCRATCH/h8.json'))['builds']
assert all(x['size'] > 0 and x['candidate'] for x in h), h
assert sum(x['delta'] for x in h) == h[-1]['size'] - h[0]['size']
assert h[-1]['size'] == $serial, (h[-1], $serial)"
K history --option SERIAL_8250 --config tinyconfig >"$SCRATCH/h8.txt"
check "the text names the option and its class" grep -q \
	"^${main:0:12}  .* $serial  .* tristate cand " "$SCRATCH/h8.txt"
# an unknown option: a one-line error naming it
expect_error 2 CONFIG_NO_SUCH_THING "$KBLOAT" history --db "$db" --option CONFIG_NO_SUCH_THING \
	--config tinyconfig

# --- blame --core ------------------------------------------------------------------------
K blame --core --min 40K --config defconfig --json >"$SCRATCH/bc.json"
crc=$(mapsum "$HISTORY/builds/$big/vmlinux.map" lib/crc_big.o)
check "blame --core names the big-table commit, its d_core its object's bytes ($crc)" \
	pyjson "$SCRATCH/bc.json" "
assert d['core'] is True
assert [(r['commit'], r['delta']) for r in d['rows']] == [('$big', $crc)], d['rows']"
K blame --core --min 40K --config tinyconfig --json >"$SCRATCH/bt.json"
check "and in tinyconfig too (obj-y: every config)" pyjson "$SCRATCH/bt.json" "
assert [r['commit'] for r in d['rows']] == ['$big'], d['rows']"
check "blame --core --min 1: the shrinks are reductions, largest first" pyjson <(K blame \
	--core --config defconfig --json) "
s = [r['delta'] for r in d['shrank']]
assert s and all(x < 0 for x in s) and s == sorted(s), s"
# --core with a scope: a usage error
expect_error 2 "--core" "$KBLOAT" blame --db "$db" --core --subsystem X --config defconfig

# --- a build without the analysis ----------------------------------------------------------
"$KBLOAT" record --db "$SCRATCH/plain.db" --repo "$HISTORY/repo" --commit "$main" \
	--config plain "$FIXTURES/vmlinux-g5" >/dev/null
# options of a build without the analysis says so
expect_error 2 "no modular analysis" "$KBLOAT" options --db "$SCRATCH/plain.db"
check "history of it shows '-' for the analysis" grep -q \
	"modularized          -  hard core          -" <("$KBLOAT" history --db "$SCRATCH/plain.db")
done_testing
