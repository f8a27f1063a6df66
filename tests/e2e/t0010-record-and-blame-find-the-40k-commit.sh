#!/usr/bin/env bash
# kbloat record stores each build of a generated kernel history (tests/fixtures/make-history.sh:
# real gcc builds of a small tree, with known size events); kbloat blame --min 40K then names
# exactly the commit that added a 40 KB table, with its author and top symbol, and kbloat
# history gives each build's size as kbloat size does. Recording the same builds in another
# order gives the same answers.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"

record_all() { # DB [shuffle]
	local db=$1 sha
	local list=$HISTORY/first-parent.txt
	if [ "${2:-}" = shuffle ]; then
		shuf --random-source=<(yes) "$list" >"$SCRATCH/order"
		list=$SCRATCH/order
	fi
	while read -r sha; do
		if [ -f "$HISTORY/builds/$sha/vmlinux" ]; then
			"$KBLOAT" record --db "$db" --repo "$HISTORY/repo" --commit "$sha" \
				--config sample --map "$HISTORY/builds/$sha/vmlinux.map" \
				--src "$TREE" "$HISTORY/builds/$sha/vmlinux" >/dev/null
		else
			"$KBLOAT" record --db "$db" --repo "$HISTORY/repo" --commit "$sha" \
				--config sample --status failed --log "$HISTORY/builds/$sha/FAILED" \
				>/dev/null
		fi || fail "record $sha into $(basename "$db")"
	done <"$list"
}

db=$SCRATCH/in-order.db
record_all "$db"
big=$(awk -F'\t' '$2 == "big-table" {print $1}' "$HISTORY/events.tsv")
check "the history has a big-table event" test -n "$big"

"$KBLOAT" blame --db "$db" --min 40K --json >"$SCRATCH/blame.json"
export BIG=$big
check "blame --min 40K names exactly the 40 KB commit, its author and top symbol" \
	pyjson "$SCRATCH/blame.json" '
import os
rows=d["rows"]
assert len(rows) == 1, [r["commit"] for r in rows]
r=rows[0]
assert r["commit"] == os.environ["BIG"], r["commit"]
assert r["author"] == "Alice Bloat", r["author"]
assert r["commits"] == 1
assert r["top_symbols"][0]["name"] == "crc_big_table", r["top_symbols"]
assert r["top_symbols"][0]["delta"] == 40960
assert r["classes"]["rodata"] >= 40960 and r["delta"] >= 40960'
check "blame's text names the commit" grep -q "^ *+[0-9]* *${big:0:12} " \
	<("$KBLOAT" blame --db "$db" --min 40K)
check "blame --min 40KiB and --min 40960 agree" cmp -s \
	<("$KBLOAT" blame --db "$db" --min 40KiB) <("$KBLOAT" blame --db "$db" --min 40960)
check "a threshold nothing crosses says so and exits 0" grep -q "^no commit added" \
	<("$KBLOAT" blame --db "$db" --min 1G)
check "blame --symbol finds the table's commit" grep -q "${big:0:12}" \
	<("$KBLOAT" blame --db "$db" --symbol crc_big_table --min 1)

# --range keeps the builds of the commits after A up to B (first parents, in the store)
before=$(grep -B2 "$big" "$HISTORY/first-parent.txt" | head -n1)
after=$(grep -A1 "$big" "$HISTORY/first-parent.txt" | tail -n1)
check "blame --range around the 40 KB commit finds it" grep -q "${big:0:12}" \
	<("$KBLOAT" blame --db "$db" --min 40K --range "${before:0:12}..${after:0:12}")
check "blame --range that ends before it does not" grep -q "^no commit added" \
	<("$KBLOAT" blame --db "$db" --min 40K --range "$(head -n1 "$HISTORY/first-parent.txt")..$before")
check "db check --json says ok" grep -q '"ok": true' <("$KBLOAT" db check --db "$db" --json)

# history: each build's size is kbloat size's total of its image
"$KBLOAT" history --db "$db" --json >"$SCRATCH/history.json"
while read -r sha; do
	[ -f "$HISTORY/builds/$sha/vmlinux" ] || continue
	"$KBLOAT" size --json "$HISTORY/builds/$sha/vmlinux" |
		python3 -c "import json,sys; print('$sha', json.load(sys.stdin)['images'][0]['total'])"
done <"$HISTORY/first-parent.txt" >"$SCRATCH/sizes"
export SIZES=$SCRATCH/sizes
check "history gives every ok build, in first-parent order, with size's totals" \
	pyjson "$SCRATCH/history.json" '
import os
want=[l.split() for l in open(os.environ["SIZES"])]
got=[(b["commit"], str(b["size"])) for b in d["builds"]]
assert got == [tuple(w) for w in want], (got[:3], want[:3])
deltas=sum(b["delta"] for b in d["builds"])
assert deltas == d["builds"][-1]["size"] - d["builds"][0]["size"]'
check "the failed build is skipped: the next one covers two commits" pyjson "$SCRATCH/history.json" '
assert any(b["commits"] == 2 for b in d["builds"]), [b["commits"] for b in d["builds"]]'
"$KBLOAT" history --db "$db" --symbol crc_big_table --json >"$SCRATCH/sym.json"
check "a symbol's history is 0 before its commit and 40960 from it on" pyjson "$SCRATCH/sym.json" '
import os
sizes=[(b["commit"], b["size"]) for b in d["builds"]]
i=[c for c, s in sizes].index(os.environ["BIG"])
assert all(s == 0 for c, s in sizes[:i]) and all(s == 40960 for c, s in sizes[i:]), sizes'

# recording twice changes nothing; recording in another order gives the same answers
check "a second record of a build says so" grep -q "^already recorded" \
	<("$KBLOAT" record --db "$db" --repo "$HISTORY/repo" --commit "$big" --config sample \
		"$HISTORY/builds/$big/vmlinux")
check "db check passes" "$KBLOAT" db check --db "$db"
record_all "$SCRATCH/shuffled.db" shuffle
same_answers() { # what, then the query's words
	local what=$1
	shift
	check "$what: same answers whatever the recording order" cmp -s \
		<("$KBLOAT" "$@" --db "$db" --json) <("$KBLOAT" "$@" --db "$SCRATCH/shuffled.db" --json)
}
same_answers history history
same_answers blame blame
same_answers "history of a path" history --path lib
same_answers "history of a subsystem" history --subsystem "MEMORY MANAGEMENT"
same_answers "blame of a class" blame --class bss
check "db check passes on the shuffled database" "$KBLOAT" db check --db "$SCRATCH/shuffled.db"
done_testing
