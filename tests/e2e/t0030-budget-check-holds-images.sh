#!/bin/bash
# kbloat budget check: images held to a budget file with no database. The sample kernel's
# budget (kernels/budgets/sample.json) holds its newest tinyconfig build and breaks on an
# older, heavier one; limits on sums of classes and on subsystems are computed as syms
# computes them; a bad budget file is one line naming it, exit 2.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
budget=$TESTS_SRC/../kernels/budgets/sample.json
schema=$TESTS_SRC/../schema/budget.schema.json

check "the sample budget is valid against schema/budget.schema.json" python3 -c "
import json, jsonschema
jsonschema.validate(json.load(open('$budget')), json.load(open('$schema')))"

# the newest commit and the one before tinyconfig's log buffer shrank (28 KB heavier)
tiny=$(awk -F'\t' '$2 == "tiny" {print $1}' "$HISTORY/events.tsv")
for rev in "$tiny" "$tiny~1"; do
	"$KBLOAT" collect --repo "$HISTORY/repo" --range "$rev~1..$rev" --db "$SCRATCH/k.db" \
		-j2 >/dev/null 2>"$SCRATCH/collect.err" || fail "collect $rev: $(cat "$SCRATCH/collect.err")"
	cp "$SCRATCH/k.db.work/build/tinyconfig-x86_64/vmlinux" "$SCRATCH/vmlinux-$(git -C \
		"$HISTORY/repo" rev-parse --short=12 "$rev")"
	cp "$SCRATCH/k.db.work/build/tinyconfig-x86_64/vmlinux.map" "$SCRATCH/map-$(git -C \
		"$HISTORY/repo" rev-parse --short=12 "$rev")"
done
new=$SCRATCH/vmlinux-$(git -C "$HISTORY/repo" rev-parse --short=12 "$tiny")
old=$SCRATCH/vmlinux-$(git -C "$HISTORY/repo" rev-parse --short=12 "$tiny~1")
oldmap=$SCRATCH/map-$(git -C "$HISTORY/repo" rev-parse --short=12 "$tiny~1")
src=$SCRATCH/k.db.work/src

set +e
"$KBLOAT" budget check "$budget" --target sample-tinyconfig --src "$src" "$new" \
	>"$SCRATCH/ok.out" 2>&1
rc_ok=$?
"$KBLOAT" budget check "$budget" --target sample-tinyconfig --src "$src" --map "$oldmap" --json \
	"$old" \
	>"$SCRATCH/over.json" 2>&1
rc_over=$?
set -e
check "within budget: exit 0 ($(tail -n1 "$SCRATCH/ok.out"))" test "$rc_ok" = 0
check "within budget: every limit says ok, growth is left to ci" test \
	"$(grep -c ' ok$' "$SCRATCH/ok.out")" = 6 -a -n "$(grep 'not checked' "$SCRATCH/ok.out")"
check "over budget: exit 1" test "$rc_over" = 1
"$KBLOAT" size --json "$old" >"$SCRATCH/size.json"
"$KBLOAT" syms --by subsystem --src "$src" --map "$oldmap" --json "$old" >"$SCRATCH/syms.json"
check "over budget: the total breaks, and the numbers are size's and syms's" python3 -c "
import json
r = json.load(open('$SCRATCH/over.json'))
lim = {l['limit']: l for l in r['images'][0]['limits']}
size = json.load(open('$SCRATCH/size.json'))
img = size['images'][0] if 'images' in size else size
syms = json.load(open('$SCRATCH/syms.json'))
rows = {g['key']: g['bytes'] for g in syms['rows']}
assert not r['ok'] and not lim['total']['ok'], r
tot = lim['total']['used']
assert tot == sum(rows.values()), (tot, sum(rows.values()))
assert lim['total']['headroom'] == lim['total']['max'] - tot
assert lim['subsystem PRINTK']['used'] == rows['PRINTK'], (lim, rows.get('PRINTK'))
assert lim['subsystem MEMORY MANAGEMENT']['used'] == rows['MEMORY MANAGEMENT']
"

# bad budgets: one line, exit 2, naming the file and the place
bad() { # what, then the budget's text
	printf '%s' "$2" >"$SCRATCH/bad.json"
	set +e
	"$KBLOAT" budget check "$SCRATCH/bad.json" "$new" >/dev/null 2>"$SCRATCH/bad.err"
	local rc=$?
	set -e
	check "$1: exit 2" test "$rc" = 2
	check "$1: one line naming the file" test "$(wc -l <"$SCRATCH/bad.err")" = 1 -a \
		-n "$(grep -F "$SCRATCH/bad.json" "$SCRATCH/bad.err")"
}
bad "not JSON" '{"targets": ['
bad "no targets" '{"limits": {}}'
bad "not a class" '{"targets": [{"name": "x", "max_class": {"txt": 1}}]}'
bad "not a size" '{"targets": [{"name": "x", "max_total": "big"}]}'
bad "an unknown field" '{"targets": [{"name": "x", "max_totl": 1}]}'
bad "no limit" '{"targets": [{"name": "x"}]}'
set +e
"$KBLOAT" budget check "$budget" "$new" >/dev/null 2>"$SCRATCH/two.err"
rc=$?
"$KBLOAT" budget check "$budget" --target sample-tinyconfig "$TESTS_SRC/e2e/lib.sh" \
	>/dev/null 2>"$SCRATCH/notelf.err"
rc2=$?
set -e
check "two targets and no --target: exit 2, saying so" test "$rc" = 2 -a \
	-n "$(grep -- '--target' "$SCRATCH/two.err")"
check "not an ELF file: exit 2" test "$rc2" = 2
done_testing
