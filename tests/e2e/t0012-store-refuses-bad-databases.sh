#!/usr/bin/env bash
# A missing, corrupt, foreign or newer database, an unknown config or commit: one line naming
# the thing and the problem, exit 2, and nothing stored is lost. db check finds a stored size
# that does not add up.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"


sha=$(head -n1 "$HISTORY/first-parent.txt")
db=$SCRATCH/good.db
"$KBLOAT" record --db "$db" --repo "$HISTORY/repo" --commit "$sha" --config sample \
	"$HISTORY/builds/$sha/vmlinux" >/dev/null
cp "$db" "$SCRATCH/before.db"

expect_error 2 "nope.db: no such database" "$KBLOAT" blame --db "$SCRATCH/nope.db"
echo "not sqlite at all, just text that is long enough to look like a header" >"$SCRATCH/junk.db"
expect_error 2 "junk.db: .*not a database" "$KBLOAT" history --db "$SCRATCH/junk.db"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.commit()" \
	"$SCRATCH/foreign.db"
expect_error 2 "foreign.db: not a kbloat database" "$KBLOAT" history --db "$SCRATCH/foreign.db"
cp "$db" "$SCRATCH/newer.db"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('pragma user_version=99'); c.commit()" \
	"$SCRATCH/newer.db"
expect_error 2 "newer.db: schema version 99 is newer than this kbloat's" \
	"$KBLOAT" history --db "$SCRATCH/newer.db"
expect_error 2 "config nope: not recorded" "$KBLOAT" blame --db "$db" --config nope
expect_error 2 "deadbeef: unknown revision" "$KBLOAT" record --db "$db" --repo "$HISTORY/repo" \
	--commit deadbeef --config sample "$HISTORY/builds/$sha/vmlinux"
expect_error 2 "not a git repository" "$KBLOAT" record --db "$db" --repo "$SCRATCH" \
	--commit HEAD --config sample "$HISTORY/builds/$sha/vmlinux"
expect_error 2 "an ok build needs its IMAGE" "$KBLOAT" record --db "$db" \
	--repo "$HISTORY/repo" --commit "$sha" --config sample
expect_error 2 "lib.sh: not an ELF file" "$KBLOAT" record --db "$db" --repo "$HISTORY/repo" \
	--commit "$(sed -n 2p "$HISTORY/first-parent.txt")" --config sample "$TESTS_SRC/e2e/lib.sh"
expect_error 2 "--min 40X: not a size" "$KBLOAT" blame --db "$db" --min 40X
expect_error 2 "--class colour: not one of" "$KBLOAT" blame --db "$db" --class colour
expect_error 2 "not a range" "$KBLOAT" blame --db "$db" --range "$sha"
check "nothing stored was lost or changed by the failures" cmp -s \
	<("$KBLOAT" history --db "$SCRATCH/before.db" --json) <("$KBLOAT" history --db "$db" --json)

# a stored size that no longer adds up
cp "$db" "$SCRATCH/bent.db"
# (the first item of the snapshot's blob, schema/003: format, count, id gap, then its size's
# first byte, below 127 so that one more still fits its 7 bits)
python3 - "$SCRATCH/bent.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
build, blob = c.execute("SELECT build_id, sizes FROM item_sets ORDER BY build_id LIMIT 1").fetchone()
blob = bytearray(blob)
at = next(i for i in range(1, len(blob)) if blob[i] < 0x80) + 1  # past the count
at = next(i for i in range(at, len(blob)) if blob[i] < 0x80) + 1  # past the first id gap
assert blob[at] & 0x7f != 0x7f
blob[at] += 1
c.execute("UPDATE item_sets SET sizes = ? WHERE build_id = ?", (bytes(blob), build))
c.commit()
PY
rc=0
"$KBLOAT" db check --db "$SCRATCH/bent.db" >/dev/null 2>"$SCRATCH/err" || rc=$?
check "db check finds the bent size (exit 1)" test "$rc" -eq 1
check "db check names the build and the sums" grep -q "build of ${sha:0:12}: stored sizes sum" \
	"$SCRATCH/err"
done_testing
