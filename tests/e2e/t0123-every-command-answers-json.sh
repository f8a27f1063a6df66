#!/usr/bin/env bash
# Every command has --json, as the README says (ci's is --format json's other spelling), and
# the commands that had none answer it: collect (each build, or with --dry-run what it
# would build), plot, site and bisect-run, each valid against its $defs in
# schema/report.schema.json, and saying what the text, the files written and the store say.
# syms' listings (every row, --by, two levels, the tree) are valid against $defs/listing.
. "$(dirname "$0")/lib.sh"
schema=$TESTS_SRC/../schema/report.schema.json
# valid DEF FILE: FILE is valid against report.schema.json#/$defs/DEF
valid() {
	python3 - "$schema" "$1" "$2" <<'PY'
import json, sys, jsonschema
full = json.load(open(sys.argv[1]))
sub = {"$schema": full["$schema"], "$defs": full["$defs"], "$ref": "#/$defs/" + sys.argv[2]}
jsonschema.validate(json.load(open(sys.argv[3])), sub)
PY
}

for cmd in $("$KBLOAT" help | awk '/^  [a-z]/ {print $1}'); do
	check "kbloat $cmd --help offers --json" grep -q -- "^  --json " <("$KBLOAT" help "$cmd")
done
check "the README still says every command has --json" grep -q "Every command has \`--json\`" \
	"$TESTS_SRC/../README.md"

# --- collect: 3 commits of the sample history in tinyconfig ---
repo=$HISTORY/repo
a=$(sed -n 1p "$HISTORY/first-parent.txt") b=$(sed -n 4p "$HISTORY/first-parent.txt")
db=$SCRATCH/c.db
"$KBLOAT" collect --repo "$repo" --range "$a..$b" --db "$db" -j2 --dry-run --json \
	>"$SCRATCH/dry.json"
"$KBLOAT" collect --repo "$repo" --range "$a..$b" --db "$db" -j2 --dry-run >"$SCRATCH/dry.txt"
check "collect --dry-run --json is valid" valid collect "$SCRATCH/dry.json"
check "collect --dry-run --json names the builds its text names" python3 -c "
import json
d = json.load(open('$SCRATCH/dry.json'))
assert d['dry_run'] is True and len(d['needed']) == 3, d
assert [r['commit'] + ' ' + r['config'] for r in d['needed']] == open('$SCRATCH/dry.txt').read().splitlines()
"
"$KBLOAT" collect --repo "$repo" --range "$a..$b" --db "$db" -j2 --json >"$SCRATCH/c.json" \
	2>"$SCRATCH/c.err" || fail "collect --json: $(tail -n3 "$SCRATCH/c.err")"
check "collect --json is valid" valid collect "$SCRATCH/c.json"
"$KBLOAT" history --db "$db" --json >"$SCRATCH/h.json"
check "collect --json's builds are what the store recorded" python3 -c "
import json
c, h = json.load(open('$SCRATCH/c.json')), json.load(open('$SCRATCH/h.json'))
assert c['dry_run'] is False and c['built'] == 3 and c['failed'] == 0 and c['commits'] == 3, c
assert c['configs'] == ['tinyconfig']
sizes = {b['commit']: b['size'] for b in h['builds']}
assert len(c['builds']) == 3
for b in c['builds']:
    assert b['status'] == 'ok' and b['total'] == sizes[b['commit']], (b, sizes)
assert [b['commit'] for b in c['builds']] == [b['commit'] for b in h['builds']]
"
"$KBLOAT" collect --repo "$repo" --range "$a..$b" --db "$db" -j2 --json >"$SCRATCH/again.json" 2>/dev/null
check "collect --json again: every build already recorded, none made" python3 -c "
import json
c = json.load(open('$SCRATCH/again.json'))
assert c['built'] == 0 and c['already'] == 3 and c['builds'] == [], c
"

# --- plot and site ---
"$KBLOAT" plot --db "$db" --out "$SCRATCH/plot" --json >"$SCRATCH/plot.json"
check "plot --json is valid" valid plot "$SCRATCH/plot.json"
check "plot --json counts the charts it wrote" python3 -c "
import json, os
d = json.load(open('$SCRATCH/plot.json'))
assert os.path.samefile(d['out'], '$SCRATCH/plot')
pngs = [f for f in os.listdir(d['out']) if f.endswith('.png')]
assert d['charts'] == len(pngs) > 0, (d, pngs)
"
"$KBLOAT" site --db "$db" --out "$SCRATCH/site" --json >"$SCRATCH/site.json"
check "site --json is valid" valid site "$SCRATCH/site.json"
check "site --json names its index and counts its pages" python3 -c "
import json, os
d = json.load(open('$SCRATCH/site.json'))
assert os.path.isfile(d['index']) and d['index'] == os.path.join(d['out'], 'index.html')
htmls = [f for r, _, fs in os.walk(d['out']) for f in fs if f.endswith('.html')]
assert d['configs'] == 1 and d['pages'] == len(htmls), (d, len(htmls))
"

# --- bisect-run: the verdict as JSON, the exit status unchanged ---
good=$(sed -n 2p "$HISTORY/first-parent.txt") rev=$(sed -n 6p "$HISTORY/first-parent.txt")
for min in 1 100M; do
	rc=0
	"$KBLOAT" bisect-run --repo "$repo" --db "$db" --good "$good" --min "$min" -j2 --json "$rev" \
		>"$SCRATCH/br-$min.json" 2>"$SCRATCH/br.err" || rc=$?
	check "bisect-run --min $min --json is valid" valid bisect_run "$SCRATCH/br-$min.json"
	"$KBLOAT" history --db "$db" --json >"$SCRATCH/h2.json"
	check "bisect-run --min $min --json: the delta the store has, its verdict the exit status ($rc)" \
		python3 -c "
import json, sys
d, h = json.load(open('$SCRATCH/br-$min.json')), json.load(open('$SCRATCH/h2.json'))
sizes = {b['commit']: b['size'] for b in h['builds']}
assert d['commit'] == '$rev' and d['good'] == '$good', d
assert d['delta'] == sizes['$rev'] - sizes['$good'], (d, sizes)
assert {'good': 0, 'bad': 1}[d['verdict']] == $rc, d
assert (d['verdict'] == 'bad') == (d['delta'] >= d['min']), d
"
done

# --- bisect: the culprit as JSON, CSV and TSV (the builds are the store's already) ---
bad=$(sed -n 6p "$HISTORY/first-parent.txt")
"$KBLOAT" bisect --repo "$repo" --db "$db" --good "$a" --bad "$bad" --min 1 -j2 --json \
	>"$SCRATCH/bisect.json" 2>"$SCRATCH/bisect.err" || fail "bisect --json: $(tail -n2 "$SCRATCH/bisect.err")"
check "bisect --json is blame's JSON" valid blame "$SCRATCH/bisect.json"
for fmt in csv tsv; do
	"$KBLOAT" bisect --repo "$repo" --db "$db" --good "$a" --bad "$bad" --min 1 -j2 \
		--format "$fmt" >"$SCRATCH/bisect.$fmt" 2>/dev/null
	check "bisect --format $fmt holds the culprit of --json" python3 "$TESTS_SRC/e2e/tables.py" \
		"$SCRATCH/bisect.json" "$SCRATCH/bisect.$fmt" "$fmt" grew=rows
done

# --- syms: every listing's shape ---
img=$FIXTURES/vmlinux-g5
i=0
for args in "" "--by file --top 3" "--by symbol --percent" "--by file,symbol --top 2" \
	"--by dir --tree" "--by dir --tree --top 1" "--top 4 --percent"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	"$KBLOAT" syms "$img" $args --json >"$SCRATCH/syms$i.json" 2>/dev/null
	check "syms $args --json is valid against \$defs/listing" valid listing "$SCRATCH/syms$i.json"
done
done_testing
