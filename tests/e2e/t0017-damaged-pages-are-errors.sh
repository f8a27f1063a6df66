#!/usr/bin/env bash
# A database with damaged pages (the header intact): every command that reads the damaged
# table fails with an error instead of taking the error for "no more rows" (history printing
# "no builds recorded" and exiting 0), and record computes no deltas from a truncated read.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"

c1=$(sed -n 1p "$HISTORY/first-parent.txt")
c2=$(sed -n 2p "$HISTORY/first-parent.txt")
c3=$(sed -n 3p "$HISTORY/first-parent.txt")
good=$SCRATCH/good.db
for c in "$c1" "$c2"; do
	"$KBLOAT" record --db "$good" --repo "$HISTORY/repo" --commit "$c" --config sample \
		"$HISTORY/builds/$c/vmlinux" >/dev/null
done

# damage NAME TABLE: a copy of the good database whose TABLE's pages (all but the first of
# the file) are overwritten with garbage
damage() {
	cp "$good" "$SCRATCH/$1.db"
	python3 - "$SCRATCH/$1.db" "$2" <<'PY'
import sqlite3, sys
path, table = sys.argv[1], sys.argv[2]
c = sqlite3.connect(path)
size = c.execute("PRAGMA page_size").fetchone()[0]
pages = [r[0] for r in c.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,))] \
	if c.execute("SELECT count(*) FROM pragma_compile_options WHERE compile_options = 'ENABLE_DBSTAT_VTAB'").fetchone()[0] \
	else [c.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]]
c.close()
with open(path, "r+b") as f:
	for p in pages:
		if p > 1:
			f.seek((p - 1) * size + 8)
			f.write(bytes((i * 37 + 11) & 0xff for i in range(size - 16)))
PY
}

expect_error() { # WHAT cmd...: a non-zero exit and a line saying why
	local what=$1 rc=0
	shift
	timeout 60 "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
	check "$what exits non-zero (exit $rc: $(head -c 300 "$SCRATCH/out"))" \
		test "$rc" -ne 0 -a "$rc" -ne 124 -a "$rc" -lt 128
	check "$what says why" grep -q "kbloat: " "$SCRATCH/err"
}

damage builds builds
expect_error "history over damaged builds" "$KBLOAT" history --db "$SCRATCH/builds.db"
check "history does not say there are no builds" test -z "$(grep -i "no builds" "$SCRATCH/out")"
expect_error "blame over damaged builds" "$KBLOAT" blame --db "$SCRATCH/builds.db"
expect_error "db check over damaged builds" "$KBLOAT" db check --db "$SCRATCH/builds.db"

damage items items
expect_error "show over damaged items" "$KBLOAT" show --db "$SCRATCH/items.db" "$c2"
expect_error "top over damaged items" "$KBLOAT" top --db "$SCRATCH/items.db" --commit "$c2"

damage snap item_sets
expect_error "show over a damaged snapshot" "$KBLOAT" show --db "$SCRATCH/snap.db" "$c2"
expect_error "top over a damaged snapshot" "$KBLOAT" top --db "$SCRATCH/snap.db" --commit "$c2"
expect_error "record over a damaged snapshot (its parent build's sizes)" \
	"$KBLOAT" record --db "$SCRATCH/snap.db" --repo "$HISTORY/repo" --commit "$c3" \
	--config sample "$HISTORY/builds/$c3/vmlinux"
check "record stored no build computed from a truncated read" test "$(python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute('SELECT count(*) FROM builds b JOIN commits c ON c.id = b.commit_id WHERE c.sha = ?', (sys.argv[2],)).fetchone()[0])" \
	"$SCRATCH/snap.db" "$c3")" = 0
done_testing
