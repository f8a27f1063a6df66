#!/bin/bash
# kbloat plot: gnuplot charts from the store, per config (size by class with the largest
# regressions marked, the top subsystems) and the configs side by side, as PNG and SVG.
# Names from a repository reach gnuplot only made safe: an author made of quotes,
# backslashes and backticks draws like any other.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
db=$SCRATCH/k.db
"$KBLOAT" collect --repo "$HISTORY/repo" --range main~6..main --first-parent --db "$db" -j2 \
	--config tinyconfig --config modular >/dev/null 2>"$SCRATCH/collect.err" ||
	fail "collect: $(tail -n3 "$SCRATCH/collect.err")"

"$KBLOAT" plot --db "$db" --out "$SCRATCH/charts" --format both >"$SCRATCH/plot.out" \
	2>"$SCRATCH/plot.err" || fail "plot: $(cat "$SCRATCH/plot.err")"
check "plot says how many charts it drew" grep -qx "14 charts in $SCRATCH/charts" \
	"$SCRATCH/plot.out"
for f in tinyconfig-size tinyconfig-proper tinyconfig-subsystems modular-size modular-proper \
	modular-subsystems compare; do
	check "$f.png is a non-empty PNG" python3 -c "
d = open('$SCRATCH/charts/$f.png', 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n' and len(d) > 5000, len(d)"
	check "$f.svg is an SVG drawing" python3 -c "
import xml.etree.ElementTree as ET
r = ET.parse('$SCRATCH/charts/$f.svg').getroot()
assert r.tag.endswith('svg') and len(list(r.iter())) > 50"
done
check "the size chart's data: one row per ok build, the last column its total" python3 -c "
import json, subprocess
h = json.loads(subprocess.check_output(['$KBLOAT', 'history', '--db', '$db', '--config',
    'tinyconfig', '--json']))['builds']
rows = [l.split() for l in open('$SCRATCH/charts/tinyconfig-size.dat') if not l.startswith('#')]
assert [int(r[-1]) for r in rows] == [b['size'] for b in h], (rows, h)"
check "the largest regression is marked with its author" grep -q "Dan Dev" \
	"$SCRATCH/charts/tinyconfig-regressions.dat"
check "the subsystem chart's running sums end at the total" python3 -c "
rows = [l.split() for l in open('$SCRATCH/charts/tinyconfig-subsystems.dat')][1:]
size = [l.split() for l in open('$SCRATCH/charts/tinyconfig-size.dat') if l[0] != '#']
assert [r[-1] for r in rows] == [s[-1] for s in size]"
check "the comparison shows modular below tinyconfig" python3 -c "
rows = [l.split() for l in open('$SCRATCH/charts/compare.dat')][1:]
assert all(int(r[2]) < int(r[1]) for r in rows), rows"

# an author made of what a gnuplot string or label could trip over
mkdir "$SCRATCH/evil" && git -C "$SCRATCH/evil" init -q
g() { git -C "$SCRATCH/evil" -c "user.name=$1" -c user.email=m@e commit -q --allow-empty -m "$2"; }
g base base
g "O'Brien \"\\\" \`x\` \$(y) ';system('touch $SCRATCH/pwned')" "grow"
for rev in HEAD~1 HEAD; do
	img=$FIXTURES/vmlinux-fs # the smaller: the second commit grows it
	[ "$rev" = HEAD ] && img=$FIXTURES/vmlinux-g5
	"$KBLOAT" record --db "$SCRATCH/evil.db" --repo "$SCRATCH/evil" --commit "$rev" \
		--config "it's \"odd\"" "$img" >/dev/null
done
check "a hostile author's name plots" "$KBLOAT" plot --db "$SCRATCH/evil.db" \
	--out "$SCRATCH/evil-charts"
check "nothing in it ran" test ! -e "$SCRATCH/pwned"
# (a name that is not all [A-Za-z0-9._-] has a hash of it in its file names)
check "the label keeps the name's letters, not its quotes" grep -q "O.Brien" \
	"$SCRATCH"/evil-charts/it_s__odd_~*-regressions.dat

set +e
"$KBLOAT" plot --db "$db" --out "$SCRATCH/x" --format gif >/dev/null 2>"$SCRATCH/e1"
r1=$?
"$KBLOAT" plot --db "$db" --out "$SCRATCH/y" --config nosuch >/dev/null 2>"$SCRATCH/e2"
r2=$?
set -e
check "an unknown format: exit 2" test "$r1" = 2
check "an unknown config: exit 2, named" test "$r2" = 2 -a -n "$(grep nosuch "$SCRATCH/e2")"
done_testing
