#!/usr/bin/env bash
# A database is input like any other: ids of -1, -5 or 2^40, NULL names, references to rows
# that do not exist, shas that are not 40 hex digits ("../../x", HTML), loops in the parent
# builds or the first parents. Every command that reads it fails with one line naming the
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

first_item="(SELECT min(item_id) FROM item_snapshot)"
mutations=(
	"neg1|UPDATE items SET id = -1 WHERE id = $first_item; UPDATE item_snapshot SET item_id = -1 WHERE item_id = 1; UPDATE item_delta SET item_id = -1 WHERE item_id = 1"
	"neg5|UPDATE item_delta SET item_id = -5 WHERE item_id = (SELECT min(item_id) FROM item_delta); UPDATE item_snapshot SET item_id = -5 WHERE item_id = 2"
	"huge|UPDATE items SET id = 1099511627776 WHERE id = 3; UPDATE item_snapshot SET item_id = 1099511627776 WHERE item_id = 3; UPDATE item_delta SET item_id = 1099511627776 WHERE item_id = 3"
	"dangling-item|UPDATE item_snapshot SET item_id = 1099511627776 WHERE item_id = 4"
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
done_testing
