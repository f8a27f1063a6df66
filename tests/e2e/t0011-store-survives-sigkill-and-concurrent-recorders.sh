#!/usr/bin/env bash
# A recorder killed inside its transaction (SIGKILL) leaves the database as it was before that
# build, and a rerun completes it; two recorders writing one database at once both land.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"

record() { # DB SHA
	"$KBLOAT" record --db "$1" --repo "$HISTORY/repo" --commit "$2" --config sample \
		--map "$HISTORY/builds/$2/vmlinux.map" "$HISTORY/builds/$2/vmlinux" >/dev/null
}
mapfile -t ok < <(while read -r sha; do
	[ -f "$HISTORY/builds/$sha/vmlinux" ] && echo "$sha"; done <"$HISTORY/first-parent.txt")
check "the history has at least 12 ok builds" test "${#ok[@]}" -ge 12

db=$SCRATCH/kill.db
for sha in "${ok[@]:0:5}"; do record "$db" "$sha"; done
"$KBLOAT" history --db "$db" --json >"$SCRATCH/before.json"
rc=0
KBLOAT_TEST_CRASH=record "$KBLOAT" record --db "$db" --repo "$HISTORY/repo" \
	--commit "${ok[5]}" --config sample "$HISTORY/builds/${ok[5]}/vmlinux" \
	>/dev/null 2>&1 || rc=$?
check "the recorder was killed inside its transaction" test "$rc" -eq 137
check "the database is intact after the kill" "$KBLOAT" db check --db "$db"
check "nothing of the killed build was stored" cmp -s "$SCRATCH/before.json" \
	<("$KBLOAT" history --db "$db" --json)
check "a rerun records the build" record "$db" "${ok[5]}"
check "the database is intact after the rerun" "$KBLOAT" db check --db "$db"
check "the rerun's build is in the history" grep -q "${ok[5]}" \
	<("$KBLOAT" history --db "$db" --json)

# two recorders at once, each with every other build, against one run of all of them
serial=$SCRATCH/serial.db
for sha in "${ok[@]:0:12}"; do record "$serial" "$sha"; done
both=$SCRATCH/both.db
(for i in 0 2 4 6 8 10; do record "$both" "${ok[$i]}" || exit 1; done) &
a=$!
(for i in 1 3 5 7 9 11; do record "$both" "${ok[$i]}" || exit 1; done) &
b=$!
check "the first concurrent recorder succeeds" wait "$a"
check "the second concurrent recorder succeeds" wait "$b"
check "the concurrent database is intact" "$KBLOAT" db check --db "$both"
check "both recorders' builds landed, as in one serial run" cmp -s \
	<("$KBLOAT" history --db "$serial" --json) <("$KBLOAT" history --db "$both" --json)
done_testing
