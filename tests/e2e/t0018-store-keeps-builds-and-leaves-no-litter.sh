#!/usr/bin/env bash
# Every finished build reaches DB itself, not only DB-wal (a CI cache that keeps DB alone, a
# job killed by its timeout); merge names the input that is broken and refuses, at once, an
# input that is OUT or given twice; a record or collect that fails on a database it created
# leaves no database behind, and never removes one that was there before.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"

db=$SCRATCH/a.db
record() { # DB COMMIT
	"$KBLOAT" record --db "$1" --repo "$HISTORY/repo" --commit "$2" --config sample \
		"$HISTORY/builds/$2/vmlinux" >/dev/null
}
count_builds() { # DB
	python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM builds').fetchone()[0])" "$1"
}

# another process keeps the database open (as a reader, or a killed job would have), so no
# close is the last one and nothing but our own checkpoint moves the WAL into DB
record "$db" "$(sed -n 1p "$HISTORY/first-parent.txt")"
mkfifo "$SCRATCH/hold"
python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("SELECT count(*) FROM builds").fetchall()
print("open", flush=True)
sys.stdin.read()
' "$db" <"$SCRATCH/hold" >"$SCRATCH/holder.out" &
holder=$!
exec 7>"$SCRATCH/hold"
for _ in $(seq 100); do grep -q open "$SCRATCH/holder.out" && break; sleep 0.1; done
for n in 2 3 4; do
	record "$db" "$(sed -n "${n}p" "$HISTORY/first-parent.txt")"
done
cp "$db" "$SCRATCH/cached.db" # what a cache of DB alone keeps
check "the WAL is still there (the test holds it open)" test -e "$db-wal"
exec 7>&-
wait "$holder"
check "DB alone holds every finished build" test "$(count_builds "$SCRATCH/cached.db")" = 4

# merge: a broken input is named, not OUT
echo "not a database at all, but long enough to have a header of sorts...." >"$SCRATCH/junk.db"
rc=0
"$KBLOAT" merge "$SCRATCH/out.db" "$SCRATCH/junk.db" >/dev/null 2>"$SCRATCH/err" || rc=$?
check "merge of a junk input exits 2" test "$rc" -eq 2
check "merge names the junk input: $(cat "$SCRATCH/err")" grep -q "junk.db: .*not a database" "$SCRATCH/err"
check "merge does not blame OUT" test -z "$(grep "out.db" "$SCRATCH/err")"
check "merge left no OUT of its own behind" test ! -e "$SCRATCH/out.db"

# ... and so is an input with damaged pages (its commits), which OUT was blamed for
cp "$db" "$SCRATCH/damaged.db"
python3 - "$SCRATCH/damaged.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
size = c.execute("PRAGMA page_size").fetchone()[0]
root = c.execute("SELECT rootpage FROM sqlite_master WHERE name = 'commits'").fetchone()[0]
c.close()
with open(sys.argv[1], "r+b") as f:
	f.seek((root - 1) * size + 8)
	f.write(bytes((i * 37 + 11) & 0xff for i in range(size - 16)))
PY
rc=0
"$KBLOAT" merge "$SCRATCH/out2.db" "$SCRATCH/damaged.db" >/dev/null 2>"$SCRATCH/err" || rc=$?
check "merge of a damaged input fails" test "$rc" -eq 2
check "merge names the damaged input: $(cat "$SCRATCH/err")" grep -q "damaged.db" "$SCRATCH/err"
check "merge does not blame OUT for it" test -z "$(grep "out2.db" "$SCRATCH/err")"

# merge X X, merge OUT A A: refused at once
for args in "$db $db" "$SCRATCH/m.db $db $db" "$SCRATCH/m.db $db $SCRATCH/../$(basename "$SCRATCH")/a.db"; do
	rc=0
	# shellcheck disable=SC2086
	timeout 10 "$KBLOAT" merge $args >/dev/null 2>"$SCRATCH/err" || rc=$?
	check "merge $args is refused at once (exit $rc: $(cat "$SCRATCH/err"))" test "$rc" -eq 2
	check "merge $args says why" grep -q "the same database as" "$SCRATCH/err"
done
check "the merged-into database lost nothing" test "$(count_builds "$db")" = 4

# a failed record leaves no new database, and keeps an old one
sha=$(sed -n 5p "$HISTORY/first-parent.txt")
rc=0
"$KBLOAT" record --db "$SCRATCH/new.db" --repo "$HISTORY/repo" --commit "$sha" \
	--config sample "$TESTS_SRC/e2e/lib.sh" 2>"$SCRATCH/err" || rc=$?
check "record of a non-ELF image fails" test "$rc" -eq 2
check "the failed record left no database behind" \
	test ! -e "$SCRATCH/new.db" -a ! -e "$SCRATCH/new.db-wal" -a ! -e "$SCRATCH/new.db-shm"
rc=0
"$KBLOAT" record --db "$db" --repo "$HISTORY/repo" --commit "$sha" \
	--config sample "$TESTS_SRC/e2e/lib.sh" 2>"$SCRATCH/err" || rc=$?
check "a failed record into an existing database keeps it" test "$(count_builds "$db")" = 4
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.commit()" \
	"$SCRATCH/other.db"
"$KBLOAT" record --db "$SCRATCH/other.db" --repo "$HISTORY/repo" --commit "$sha" \
	--config sample "$HISTORY/builds/$sha/vmlinux" 2>/dev/null || true
check "a foreign database kbloat refuses stays" test -s "$SCRATCH/other.db"
rc=0
"$KBLOAT" collect --db "$SCRATCH/c.db" --repo "$SCRATCH" --range main >/dev/null 2>&1 || rc=$?
check "collect on a directory that is no repository fails" test "$rc" -ne 0
check "the failed collect left no database behind" \
	test ! -e "$SCRATCH/c.db" -a ! -e "$SCRATCH/c.db-wal" -a ! -e "$SCRATCH/c.db-shm"
done_testing
