#!/bin/bash
# A collect stopped mid-walk by Ctrl-C (SIGINT), run again and killed outright (SIGKILL, make
# left running), then run once more, records the same database as one uninterrupted walk;
# and two shards run side by side through GNU parallel, merged, do too.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
repo=$HISTORY/repo
n=$(wc -l <"$HISTORY/all.txt")

collect() { "$KBLOAT" collect --repo "$repo" --range main -j1 "$@"; }

collect --db "$SCRATCH/one.db" >/dev/null 2>"$SCRATCH/one.err" ||
	fail "the uninterrupted walk: $(tail -n3 "$SCRATCH/one.err")"
dbdump "$SCRATCH/one.db" >"$SCRATCH/one.dump"
check "the uninterrupted walk recorded every commit" test \
	"$(grep -c '^build ' "$SCRATCH/one.dump")" = "$n"

# stop_after SIGNAL DB K: starts a walk into DB, sends SIGNAL once K builds are recorded
stop_after() {
	local sig=$1 db=$2 k=$3 pid i
	# kbloat itself in the background (not a function's subshell): the signal must reach it
	"$KBLOAT" collect --repo "$repo" --range main -j1 --db "$db" >"$db.out" 2>"$db.err" &
	pid=$!
	for i in $(seq 600); do
		[ "$(grep -c '^\[' "$db.err" 2>/dev/null)" -ge "$k" ] && break
		sleep 0.1
	done
	sleep 0.3 # into the next build's make
	kill "-$sig" "$pid"
	set +e
	wait "$pid"
	echo $? >"$db.rc"
	set -e
}

stop_after INT "$SCRATCH/int.db" 5
check "Ctrl-C: collect exits 130" test "$(cat "$SCRATCH/int.db.rc")" = 130
check "Ctrl-C: it says how to go on" grep -q "run the same command again" "$SCRATCH/int.db.err"
check "Ctrl-C: no make is left running" test ! -e "$SCRATCH/int.db.work/make.pid"
recorded=$(dbdump "$SCRATCH/int.db" | grep -c '^build ')
check "Ctrl-C: the builds before it are recorded ($recorded)" test "$recorded" -ge 5 -a \
	"$recorded" -lt "$n"
check "Ctrl-C: the database is consistent" "$KBLOAT" db check --db "$SCRATCH/int.db"
# the rerun after Ctrl-C, itself killed outright (SIGKILL, make left running) 8 builds on,
# then run once more: one walk's worth of builds for both ways of stopping
stop_after KILL "$SCRATCH/int.db" 8
check "SIGKILL: the database is consistent" "$KBLOAT" db check --db "$SCRATCH/int.db"
recorded2=$(dbdump "$SCRATCH/int.db" | grep -c '^build ')
check "SIGKILL: the rerun after Ctrl-C recorded more ($recorded, then $recorded2)" \
	test "$recorded2" -gt "$recorded" -a "$recorded2" -lt "$n"
collect --db "$SCRATCH/int.db" >"$SCRATCH/int2.out" 2>"$SCRATCH/int2.err" ||
	fail "SIGKILL: the rerun: $(tail -n3 "$SCRATCH/int2.err")"
check "SIGKILL: the rerun builds only the rest" grep -qx \
	"$n commits x 1 configs: $((n - recorded2)) built ([01] failed), $recorded2 already recorded" \
	"$SCRATCH/int2.out"
dbdump "$SCRATCH/int.db" >"$SCRATCH/int.dump"
check "Ctrl-C, SIGKILL, then a rerun: the same database as one walk" diff -u \
	"$SCRATCH/one.dump" "$SCRATCH/int.dump"

# two shards side by side through GNU parallel (each its own database and work directory)
if ! command -v parallel >/dev/null; then
	echo "MISSING: GNU parallel (scripts/setup-deps.sh --test installs it): the shards check FAILS" >&2
	fail "GNU parallel missing"
else
	parallel --will-cite -j2 "$KBLOAT" collect --repo "$repo" --range main -j1 \
		--db "$SCRATCH/shard{}.db" --shard {}/2 ::: 1 2 >/dev/null 2>"$SCRATCH/par.err" ||
		fail "parallel shards: $(tail -n3 "$SCRATCH/par.err")"
	s1=$(dbdump "$SCRATCH/shard1.db" | grep -c '^build ')
	s2=$(dbdump "$SCRATCH/shard2.db" | grep -c '^build ')
	check "the shards split the commits ($s1 + $s2 = $n)" test "$((s1 + s2))" = "$n"
	check "each shard has about half" test "$s1" -ge $((n / 2 - 1)) -a "$s2" -ge $((n / 2 - 1))
	"$KBLOAT" merge "$SCRATCH/merged.db" "$SCRATCH/shard1.db" "$SCRATCH/shard2.db" >/dev/null
	dbdump "$SCRATCH/merged.db" >"$SCRATCH/merged.dump"
	check "two shards merged: the same database as one walk" diff -u "$SCRATCH/one.dump" \
		"$SCRATCH/merged.dump"
fi
done_testing
