#!/bin/bash
# kbloat collect over the sample history (tests/fixtures/make-history.sh: a kernel-shaped tree
# with Kconfig and kbuild Makefiles): every commit is built with the tree's own make in one
# persistent O= directory and recorded; blame then finds the 40 KB commit, the commit that
# does not build is recorded as failed while the walk goes on, a rerun builds nothing, and
# bisect finds the 40 KB commit from the two ends in at most ceil(log2 n)+1 builds.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
repo=$HISTORY/repo
db=$SCRATCH/one.db
n=$(wc -l <"$HISTORY/all.txt")
big=$(awk -F'\t' '$2 == "big-table" {print $1}' "$HISTORY/events.tsv")
broken=$(awk -F'\t' '$2 == "broken" {print $1}' "$HISTORY/events.tsv")

run() { # run NAME cmd...: stdout, stderr and status in $SCRATCH/NAME.{out,err,rc}
	local name=$1
	shift
	set +e
	"$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err"
	echo $? >"$SCRATCH/$name.rc"
	set -e
}
rc() { cat "$SCRATCH/$1.rc"; }
quiet() { "$@" >/dev/null; }

run walk "$KBLOAT" collect --repo "$repo" --range main --db "$db" -j2
check "collect exits 0 (stderr: $(tail -n3 "$SCRATCH/walk.err"))" test "$(rc walk)" = 0
check "every commit is built once, one of them failing" grep -qx \
	"$n commits x 1 configs: $n built (1 failed), 0 already recorded" "$SCRATCH/walk.out"
check "not a terminal: one line per build" test "$(grep -c '^\[[0-9]*/[0-9]*\] ' \
	"$SCRATCH/walk.err")" = "$n"
check "the failing commit's line says how it failed" grep -Eq \
	"^\[[0-9]+/$n\] ${broken:0:12} tinyconfig: failed \(make vmlinux exited with 2\)" \
	"$SCRATCH/walk.err"

"$KBLOAT" blame --db "$db" --min 40K --json >"$SCRATCH/blame.json"
check "blame --min 40K names the 40 KB commit, and only it" pyjson "$SCRATCH/blame.json" "
rows = d['rows']
assert [r['commit'] for r in rows] == ['$big'], rows
assert rows[0]['delta'] >= 40960 and rows[0]['commits'] == 1, rows[0]
assert rows[0]['top_symbols'][0]['name'] == 'crc_big_table', rows[0]"

"$KBLOAT" show --db "$db" "$broken" >"$SCRATCH/show-broken.out" 2>&1 || true
check "the failing commit is recorded as failed, with the compiler's error" grep -q \
	"error:" "$SCRATCH/show-broken.out"
check "show says it failed" grep -qi "failed" "$SCRATCH/show-broken.out"
last=$(tail -n1 "$HISTORY/first-parent.txt")
check "the walk went on past it: the newest commit is recorded ok" \
	quiet "$KBLOAT" show --db "$db" "$last"
"$KBLOAT" history --db "$db" --json >"$SCRATCH/history.json"
fp_ok=$(($(wc -l <"$HISTORY/first-parent.txt") - 1))
check "history has every first-parent build but the failed one" pyjson "$SCRATCH/history.json" "
assert len(d['builds']) == $fp_ok, len(d['builds'])"
check "the database is consistent" "$KBLOAT" db check --db "$db"

# the .config is stored: the config-flip commit is seen as a config change
flip=$(awk -F'\t' '$2 == "config-flip" {print $1}' "$HISTORY/events.tsv")
"$KBLOAT" show --db "$db" "$flip" >"$SCRATCH/show-flip.out"
check "show of the config flip names the option that changed" grep -q \
	"CONFIG_LOG_BUF_SHIFT" "$SCRATCH/show-flip.out"

# a rerun builds nothing and changes nothing
dbdump "$db" >"$SCRATCH/before.dump"
logs_before=$(find "$db.work/logs" -type f | wc -l)
run again "$KBLOAT" collect --repo "$repo" --range main --db "$db" -j2
check "a rerun exits 0" test "$(rc again)" = 0
check "a rerun builds nothing" grep -qx \
	"$n commits x 1 configs: 0 built (0 failed), $n already recorded" "$SCRATCH/again.out"
check "a rerun writes no log" test "$(find "$db.work/logs" -type f | wc -l)" = "$logs_before"
dbdump "$db" >"$SCRATCH/after.dump"
check "a rerun leaves the database as it was" cmp -s "$SCRATCH/before.dump" "$SCRATCH/after.dump"
run dry "$KBLOAT" collect --repo "$repo" --range main --db "$db" --dry-run
check "--dry-run lists nothing to build (and succeeds doing so)" test "$(rc dry)" = 0 -a \
	! -s "$SCRATCH/dry.out"
run dry2 "$KBLOAT" collect --repo "$repo" --range main --db "$db" --dry-run --retry-failed
check "--dry-run --retry-failed lists the failed build" grep -qx "$broken tinyconfig" \
	"$SCRATCH/dry2.out"

# the user's repository: neither its work tree nor its index was touched
check "the repository's own state is untouched" test -z "$(git -C "$repo" status --porcelain)"

# bisect from the two ends of the first-parent line, into a fresh database: only the ends
# and the commits it probes are built
first=$(head -n1 "$HISTORY/first-parent.txt")
nfp=$(($(wc -l <"$HISTORY/first-parent.txt") - 1))
run bisect "$KBLOAT" bisect --repo "$repo" --config tinyconfig --db "$SCRATCH/bisect.db" \
	--good "$first" --bad "$last" --min 40K -j2 --json
check "bisect exits 0 ($(tail -n2 "$SCRATCH/bisect.err"))" test "$(rc bisect)" = 0
check "bisect names the 40 KB commit" pyjson "$SCRATCH/bisect.out" "
assert [r['commit'] for r in d['rows']] == ['$big'], d"
made=$(sed -n 's/^bisect: \([0-9]*\) builds made.*/\1/p' "$SCRATCH/bisect.err")
limit=$(python3 -c "import math; print(math.ceil(math.log2($nfp)) + 1)")
check "bisect made $made builds between the ends, at most ceil(log2 $nfp)+1 = $limit" \
	test "${made:-99}" -le "$limit"
check "every bisect build is recorded" test "$("$KBLOAT" history --db "$SCRATCH/bisect.db" \
	--json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["builds"]))')" \
	-ge "$made"

# bisect-run: git bisect run's protocol
before=$(git -C "$repo" rev-parse "$big^")
run good "$KBLOAT" bisect-run --repo "$repo" --db "$SCRATCH/bisect.db" --good "$first" \
	--min 40K "$before"
check "bisect-run: before the 40 KB commit is good (exit 0)" test "$(rc good)" = 0
run bad "$KBLOAT" bisect-run --repo "$repo" --db "$SCRATCH/bisect.db" --good "$first" \
	--min 40K "$big"
check "bisect-run: the 40 KB commit is bad (exit 1)" test "$(rc bad)" = 1
run skip "$KBLOAT" bisect-run --repo "$repo" --db "$SCRATCH/bisect.db" --good "$first" \
	--min 40K "$broken"
check "bisect-run: a commit that does not build is skipped (exit 125)" test "$(rc skip)" = 125
run err "$KBLOAT" bisect-run --repo "$repo" --db "$SCRATCH/bisect.db" --good nosuchrev \
	--min 40K "$big"
check "bisect-run: kbloat's own error aborts git bisect (exit 128)" test "$(rc err)" = 128
check "bisect-run: the error names the revision" grep -q "nosuchrev" "$SCRATCH/err.err"
done_testing
