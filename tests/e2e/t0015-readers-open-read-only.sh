#!/usr/bin/env bash
# Commands that only read open the database read-only: they never wait behind a writer, read
# a 0444 file in a read-only directory, write nothing into an empty file, and migrate nothing.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"

sha=$(head -n1 "$HISTORY/first-parent.txt")
db=$SCRATCH/a.db
"$KBLOAT" record --db "$db" --repo "$HISTORY/repo" --commit "$sha" --config sample \
	"$HISTORY/builds/$sha/vmlinux" >/dev/null

# another process holds the write lock (BEGIN IMMEDIATE) until we close its stdin
mkfifo "$SCRATCH/hold"
python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO subsystems (name) VALUES (\"held\")")
print("locked", flush=True)
sys.stdin.read()
c.execute("ROLLBACK")
' "$db" <"$SCRATCH/hold" >"$SCRATCH/holder.out" &
holder=$!
exec 7>"$SCRATCH/hold"
for _ in $(seq 100); do grep -q locked "$SCRATCH/holder.out" && break; sleep 0.1; done
check "the writer holds the lock" grep -q locked "$SCRATCH/holder.out"
for cmd in "history" "show $sha" "top --commit $sha" "blame" "db check" "ci --baseline $sha" "plot --out $SCRATCH/plot"; do
	# shellcheck disable=SC2086
	rc=0
	timeout 10 "$KBLOAT" $cmd --db "$db" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
	check "'$cmd' does not wait behind the writer (exit $rc: $(head -c 300 "$SCRATCH/err"))" \
		test "$rc" -ne 124 -a "$rc" -ne 2
done
exec 7>&-
wait "$holder"

# an empty file is not a database, and stays empty
: >"$SCRATCH/empty.db"
rc=0
"$KBLOAT" history --db "$SCRATCH/empty.db" >/dev/null 2>"$SCRATCH/err" || rc=$?
check "history on an empty file exits 2" test "$rc" -eq 2
check "it says the file is empty" grep -q "empty.db: an empty file, not a kbloat database" \
	"$SCRATCH/err"
check "the empty file stays empty" test ! -s "$SCRATCH/empty.db"
check "no WAL files appear beside it" test ! -e "$SCRATCH/empty.db-wal" -a ! -e "$SCRATCH/empty.db-shm"

# a read-only file in a read-only directory, read by a user who can write neither
if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
	ro=$SCRATCH/ro
	mkdir "$ro"
	cp "$db" "$ro/a.db"
	chmod 444 "$ro/a.db"
	chmod 555 "$ro"
	chmod 711 "$SCRATCH"
	sum=$(md5sum <"$ro/a.db")
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	for cmd in "history" "show $sha" "db check"; do
		# shellcheck disable=SC2086
		check "'$cmd' reads a 0444 database in a read-only directory" \
			as_nobody "$KBLOAT" $cmd --db "$ro/a.db" >/dev/null
	done
	check "nothing was written" test "$(md5sum <"$ro/a.db")" = "$sum"
	check "no WAL files were made" test ! -e "$ro/a.db-wal" -a ! -e "$ro/a.db-shm"
	chmod 755 "$ro"
fi

# read-only: history does not migrate an older schema, it says to run a command that writes
cp "$db" "$SCRATCH/old.db"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('pragma user_version=0'); c.commit()" \
	"$SCRATCH/old.db"
rc=0
"$KBLOAT" history --db "$SCRATCH/old.db" >/dev/null 2>"$SCRATCH/err" || rc=$?
check "history refuses a database it would have to migrate (exit 2)" test "$rc" -eq 2
check "history left the schema version alone" test "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('pragma user_version').fetchone()[0])" "$SCRATCH/old.db")" = 0
done_testing
