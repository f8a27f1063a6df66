#!/usr/bin/env bash
# kbloat show prints, from the store alone, the bloat-o-meter text kbloat diff prints for the
# build's image against its parent build's image; kbloat top's rows sum to the build's size.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"

db=$SCRATCH/k.db
prev=
while read -r sha; do
	if [ ! -f "$HISTORY/builds/$sha/vmlinux" ]; then
		"$KBLOAT" record --db "$db" --repo "$HISTORY/repo" --commit "$sha" --config sample \
			--status failed --log "$HISTORY/builds/$sha/FAILED" >/dev/null
		check "show of a failed build shows its log" grep -q "error" \
			<("$KBLOAT" show --db "$db" "$sha")
		continue
	fi
	"$KBLOAT" record --db "$db" --repo "$HISTORY/repo" --commit "$sha" --config sample \
		--src "$TREE" "$HISTORY/builds/$sha/vmlinux" >/dev/null
	if [ -n "$prev" ]; then
		"$KBLOAT" diff "$HISTORY/builds/$prev/vmlinux" "$HISTORY/builds/$sha/vmlinux" \
			>"$SCRATCH/want"
		"$KBLOAT" show --db "$db" "$sha" | sed -n '/^add\/remove:/,/^Total:/p' >"$SCRATCH/got"
		check "show ${sha:0:12} prints kbloat diff's text" cmp -s "$SCRATCH/want" "$SCRATCH/got"
	fi
	prev=$sha
done <"$HISTORY/first-parent.txt"

"$KBLOAT" history --db "$db" --json >"$SCRATCH/history.json"
for by in symbol file subsystem class; do
	"$KBLOAT" top --db "$db" --by "$by" --limit 5 --json >"$SCRATCH/top.json"
	export HIST=$SCRATCH/history.json
	check "top --by $by sums to the newest build's size" pyjson "$SCRATCH/top.json" '
import os
h=json.load(open(os.environ["HIST"]))["builds"][-1]["size"]
assert sum(r["bytes"] for r in d["rows"]) + d["rest"] == d["total"] == h, (d["total"], h)'
done
big=$(awk -F'\t' '$2 == "big-table" {print $1}' "$HISTORY/events.tsv")
check "top of the big table's build lists the table first" grep -q "crc_big_table" \
	<("$KBLOAT" top --db "$db" --commit "${big:0:10}" --limit 1)
done_testing
