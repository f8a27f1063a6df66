#!/usr/bin/env bash
# Two shards of a history recorded apart, merged with kbloat merge, answer every question as
# the database recorded in one run does; merging again changes nothing.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"

record() { # DB SHA
	local sha=$2 args
	if [ -f "$HISTORY/builds/$sha/vmlinux" ]; then
		args=(--map "$HISTORY/builds/$sha/vmlinux.map" --src "$TREE"
			"$HISTORY/builds/$sha/vmlinux")
	else
		args=(--status failed --log "$HISTORY/builds/$sha/FAILED")
	fi
	"$KBLOAT" record --db "$1" --repo "$HISTORY/repo" --commit "$sha" --config sample \
		"${args[@]}" >/dev/null || fail "record $sha into $(basename "$1")"
}

i=0
while read -r sha; do
	record "$SCRATCH/one.db" "$sha"
	# shard K/2: every other commit, as a CI matrix would split the range
	record "$SCRATCH/shard$((i % 2)).db" "$sha"
	i=$((i + 1))
done <"$HISTORY/first-parent.txt"

check "merge of both shards succeeds" "$KBLOAT" merge "$SCRATCH/merged.db" \
	"$SCRATCH/shard0.db" "$SCRATCH/shard1.db"
check "the merged database is consistent" "$KBLOAT" db check --db "$SCRATCH/merged.db"
same() { # what, then the query's words
	local what=$1
	shift
	check "$what: the merged database answers as the one-run database" cmp -s \
		<("$KBLOAT" "$@" --db "$SCRATCH/one.db" --json) \
		<("$KBLOAT" "$@" --db "$SCRATCH/merged.db" --json)
}
same history history
same blame blame
same "history of lib" history --path lib
same "blame of bss" blame --class bss
same "top by file" top --by file
same "top by subsystem" top --by subsystem --limit 50
big=$(awk -F'\t' '$2 == "big-table" {print $1}' "$HISTORY/events.tsv")
same "show of the big table" show "$big"

cp "$SCRATCH/merged.db" "$SCRATCH/again.db"
"$KBLOAT" merge --json "$SCRATCH/again.db" "$SCRATCH/shard1.db" "$SCRATCH/one.db" \
	>"$SCRATCH/again.json"
check "merging again adds nothing" pyjson "$SCRATCH/again.json" '
assert all(i["added"] == 0 and i["already"] > 0 for i in d["inputs"]), d'
check "merging again changes no answer" cmp -s \
	<("$KBLOAT" history --db "$SCRATCH/merged.db" --json) \
	<("$KBLOAT" history --db "$SCRATCH/again.db" --json)
done_testing
