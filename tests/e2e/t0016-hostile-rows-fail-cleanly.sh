#!/usr/bin/env bash
# A database is input like any other: ids of -1, -5 or 2^40, NULL names, references to rows
# that do not exist, shas that are not 40 hex digits ("../../x", HTML), loops in the parent
# builds or the first parents, full sets whose blobs are damaged. Every command that reads it fails with one line naming the
# database (or goes on without the bad row), never crashes or hangs; db check names every such
# row (exit 1); merge refuses such an input, naming it; no bad sha reaches any output.
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
check "the good database passes db check" "$KBLOAT" db check --db "$good" >/dev/null

# bend NAME SQL: a copy of the good database with SQL applied, its NOT NULL and CHECK
# constraints gone (a hostile file declares what it likes)
bend() {
	cp "$good" "$SCRATCH/$1.db"
	python3 - "$SCRATCH/$1.db" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA writable_schema = ON")
c.execute("UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE type = 'table'")
c.close()
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA foreign_keys = OFF")
c.execute("PRAGMA ignore_check_constraints = ON")
c.executescript(sys.argv[2])
c.close()
PY
}

first_item="(SELECT min(id) FROM items)"
mutations=(
	"neg1|UPDATE items SET id = -1 WHERE id = $first_item; UPDATE item_delta SET item_id = -1 WHERE item_id = 1"
	"neg5|UPDATE item_delta SET item_id = -5 WHERE item_id = (SELECT min(item_id) FROM item_delta)"
	"huge|UPDATE items SET id = 1099511627776 WHERE id = 3; UPDATE item_delta SET item_id = 1099511627776 WHERE item_id = 3"
	# the full sets' blobs (schema 003, src/store/item_sets.c): an id of 2^40, past the
	# items; a varint cut short; a size of 2^63; more items said than the bytes hold; bytes
	# after the last item; text, not a blob; an unknown format; a snapshot without its set
	"dangling-item|UPDATE item_sets SET sizes = X'010180808080802001'"
	"blob-cut|UPDATE item_sets SET sizes = X'01010080'"
	"blob-size|UPDATE item_sets SET sizes = X'01010080808080808080808001'"
	"blob-count|UPDATE item_sets SET sizes = X'01FFFFFF7F0064'"
	"blob-trailing|UPDATE item_sets SET sizes = X'0101006464'"
	"blob-text|UPDATE item_sets SET sizes = 'sizes'"
	"blob-format|UPDATE item_sets SET sizes = X'02010064'"
	"blob-missing|DELETE FROM item_sets"
	"null-item-name|UPDATE items SET name = NULL WHERE id = 5"
	"null-path|UPDATE paths SET path = NULL WHERE id = (SELECT max(id) FROM paths)"
	"null-config|UPDATE configs SET name = NULL"
	"null-status|UPDATE builds SET status = NULL WHERE id = 2"
	"bad-kind|UPDATE items SET kind = 9, class = -3 WHERE id = 6"
	"dotdot-sha|UPDATE commits SET sha = '../../x' WHERE sha = '$c2'"
	"html-sha|UPDATE commits SET sha = '\"><img src=x onerror=alert(1)>' WHERE sha = '$c1'"
	"bad-parent-sha|UPDATE commits SET parent_sha = '../../y' WHERE sha = '$c2'"
	"int-sha|UPDATE commits SET sha = 12345 WHERE sha = '$c2'"
	"build-loop|UPDATE builds SET parent_build_id = 2 WHERE id = 1"
	"build-self|UPDATE builds SET parent_build_id = id, snapshot = 0"
	"commit-loop|UPDATE commits SET parent_sha = '$c2' WHERE sha = '$c1'"
	"missing-commit|UPDATE builds SET commit_id = 999 WHERE id = 2"
	"missing-parent|UPDATE builds SET parent_build_id = 999, snapshot = 0 WHERE id = 2"
)

# run NAME what cmd...: no hang, no crash; a failure is one line naming the database
run() {
	local name=$1 what=$2 rc=0
	shift 2
	timeout 30 "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
	last=$rc
	check "$name: $what neither hangs nor crashes (exit $rc)" \
		test "$rc" -ne 124 -a "$rc" -lt 128 || { head -c 600 "$SCRATCH/err" >&2; return 0; }
	check "$name: $what: no sanitizer report" \
		test -z "$(grep -E 'Sanitizer|runtime error' "$SCRATCH/err")" || head -c 2000 "$SCRATCH/err" >&2
	if [ "$rc" -ne 0 ] && [ "$what" != "db check" ]; then
		check "$name: $what fails with one line naming the database: $(head -c 300 "$SCRATCH/err")" \
			test "$(wc -l <"$SCRATCH/err")" -eq 1 -a -n "$(grep "$name.db" "$SCRATCH/err")"
	fi
	check "$name: $what: no bad sha in its output" \
		test -z "$(grep -E '\.\./\.\./|<img|onerror' "$SCRATCH/out")"
}

for m in "${mutations[@]}"; do
	name=${m%%|*}
	bend "$name" "${m#*|}"
	db=$SCRATCH/$name.db
	run "$name" "history" "$KBLOAT" history --db "$db"
	run "$name" "history --json" "$KBLOAT" history --db "$db" --json
	run "$name" "show" "$KBLOAT" show --db "$db" "$c2"
	run "$name" "top" "$KBLOAT" top --db "$db" --commit "$c2"
	run "$name" "top --by subsystem" "$KBLOAT" top --db "$db" --commit "$c2" --by subsystem
	run "$name" "blame" "$KBLOAT" blame --db "$db"
	run "$name" "blame --symbol" "$KBLOAT" blame --db "$db" --symbol start_kernel
	run "$name" "plot" "$KBLOAT" plot --db "$db" --out "$SCRATCH/plot-$name"
	run "$name" "ci" "$KBLOAT" ci --db "$db" --baseline "$c1" --head "$c2"
	run "$name" "db check" "$KBLOAT" db check --db "$db"
	check "$name: db check names a row" grep -Eq "row|build|loops" "$SCRATCH/err"
	check "$name: db check finds it (exit 1)" test "$last" -eq 1 || head -c 600 "$SCRATCH/err" >&2
	rc=0
	"$KBLOAT" merge "$SCRATCH/merged-$name.db" "$db" >/dev/null 2>"$SCRATCH/err" || rc=$?
	check "$name: merge refuses it (exit 2, not merged), naming the input: $(head -c 300 "$SCRATCH/err")" \
		test "$rc" -eq 2 -a -n "$(grep "kbloat: $db: .*not merged" "$SCRATCH/err")"
	run "$name" "record" "$KBLOAT" record --db "$db" --repo "$HISTORY/repo" --commit "$c3" \
		--config sample "$HISTORY/builds/$c3/vmlinux"
done

# db check says which build's blob is damaged, and how
for m in "dangling-item|item id 1099511627776 is out of range" \
	"blob-cut|its stored set of sizes is damaged: a varint is cut short" \
	"blob-size|its stored set of sizes is damaged: a size beyond 2^63 bytes" \
	"blob-count|its stored set of sizes is damaged: it holds fewer items than it says" \
	"blob-trailing|its stored set of sizes is damaged: bytes after its last item" \
	"blob-text|its stored set of sizes is damaged: not a blob" \
	"blob-format|its stored set of sizes is damaged: an unknown format" \
	"blob-missing|marked as a snapshot but its set of sizes is missing"; do
	name=${m%%|*}
	"$KBLOAT" db check --db "$SCRATCH/$name.db" >/dev/null 2>"$SCRATCH/err" || true
	check "$name: db check says: build 1: ${m#*|}" grep -qF "$name.db: build 1: ${m#*|}" \
		"$SCRATCH/err"
done
done_testing
