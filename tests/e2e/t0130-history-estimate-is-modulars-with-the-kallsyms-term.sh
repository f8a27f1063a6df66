#!/bin/bash
# The store keeps the relearnt kallsyms term of a build (schema/009, builds.m_kallsyms), so
# history's "everything modularized" is the number `kbloat modular` prints for the same
# build (issue 16). The sample built with a compressing kallsyms step (kallsyms_tree.sh, as
# t0129 builds it), its table relearnt, recorded with `kbloat record --src --build`:
#  - the stored term is modular --json's kallsyms_relearnt_tristate_and_bool, non-zero;
#  - history (JSON, text, CSV), options and the plot's data say modular's
#    tristate_and_bool_as_modules exactly; db check passes;
#  - a copy with the term bent beyond the code and data is named by db check;
#  - a copy made as schema 008 left it (no m_kallsyms, 007's index, its bits) is refused by
#    a reader, migrates when a build is recorded into it, shows its old build with a NULL
#    term and the estimate without it (code - m_tristate - m_bool), the new one with its
#    term; it passes db check and merges into a new database, each build as it was.
. "$TESTS_SRC/e2e/lib.sh"
require_tools sqlite3
. "$TESTS_SRC/e2e/kallsyms_tree.sh"
base=$SCRATCH/base db=$SCRATCH/k.db
: >"$SCRATCH/none"
build "$base" "$SCRATCH/none" || { cat "$base.log" >&2; fail "the sample builds with the compressed table"; done_testing; }
"$KBLOAT" modular --src "$tree" --build "$base" --json >"$base.json" 2>"$SCRATCH/err" ||
	fail "modular --json: $(cat "$SCRATCH/err")"
term=$(pyjson "$base.json" 'print(d["code_and_data"]["kallsyms_relearnt_tristate_and_bool"])')
est=$(pyjson "$base.json" 'print(d["code_and_data"]["tristate_and_bool_as_modules"])')
sums=$(pyjson "$base.json" 'c = d["code_and_data"]; print(c["now"] - c["tristate_savings"] - c["bool_savings"])')
check "modular relearns the table, its term non-zero ($term), its estimate the sums plus the term" \
	pyjson "$base.json" "
assert d['kallsyms_relearnt'] is True and $term != 0 and $est == $sums + $term, ($term, $est, $sums)"

record() { # record DB CONFIG: the base build as a build of the sample's main
	"$KBLOAT" record --db "$1" --repo "$HISTORY/repo" --commit main --config "$2" --arch x86_64 \
		--src "$tree" --build "$base" --map "$base/vmlinux.map" "$base/vmlinux" \
		>"$SCRATCH/rec.out" 2>"$SCRATCH/err"
}
record "$db" sample-ks || fail "record: $(cat "$SCRATCH/err")"
check "the stored term is modular's kallsyms_relearnt_tristate_and_bool ($term)" \
	test "$(sqlite3 "file:$db?mode=ro" "SELECT m_kallsyms FROM builds")" = "$term"
check "the stored sums are modular's, so only the term makes the estimate" test \
	"$(sqlite3 "file:$db?mode=ro" "SELECT total - padding - m_tristate - m_bool FROM builds")" = "$sums"

"$KBLOAT" history --db "$db" --json >"$SCRATCH/h.json" 2>"$SCRATCH/err" || fail "history --json: $(cat "$SCRATCH/err")"
check "history --json: modular is modular's tristate_and_bool_as_modules ($est), m_kallsyms the term" \
	pyjson "$SCRATCH/h.json" "
b = d['builds'][-1]
assert b['modular'] == $est and b['m_kallsyms'] == $term, b"
"$KBLOAT" history --db "$db" >"$SCRATCH/h.txt" 2>"$SCRATCH/err" || fail "history: $(cat "$SCRATCH/err")"
check "history's text says the same estimate" grep -Eq "modularized +$est " "$SCRATCH/h.txt"
"$KBLOAT" history --db "$db" --format csv >"$SCRATCH/h.csv" 2>"$SCRATCH/err" || fail "history csv: $(cat "$SCRATCH/err")"
check "history's CSV says the same estimate and term" python3 -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))[-1]
assert r["modular"] == sys.argv[2] and r["m_kallsyms"] == sys.argv[3], r' "$SCRATCH/h.csv" "$est" "$term"
"$KBLOAT" options --db "$db" --json >"$SCRATCH/o.json" 2>"$SCRATCH/err" || fail "options --json: $(cat "$SCRATCH/err")"
check "options --json: the build's modular is the same" pyjson "$SCRATCH/o.json" "
assert d['build']['modular'] == $est and d['build']['m_kallsyms'] == $term, d['build']"
"$KBLOAT" options --db "$db" >"$SCRATCH/o.txt" 2>"$SCRATCH/err" || fail "options: $(cat "$SCRATCH/err")"
check "options' text says the same" grep -q "everything modularized $est," "$SCRATCH/o.txt"
"$KBLOAT" plot --db "$db" --out "$SCRATCH/plot" --format svg >/dev/null 2>"$SCRATCH/err" || fail "plot: $(cat "$SCRATCH/err")"
check "the plot's data has the same estimate (its fourth column)" python3 -c '
import sys
rows = [l.split() for l in open(sys.argv[1])]
assert "everything modularized (estimate)" in " ".join(rows[0]), rows[0]
assert len(rows) == 2 and rows[1][3] == sys.argv[2], rows' "$SCRATCH/plot/sample-ks-proper.dat" "$est"
check "db check passes" "$KBLOAT" db check --db "$db"

# a term beyond the code and data, bent by SQL in a copy
cp "$db" "$SCRATCH/bent.db"
sqlite3 "$SCRATCH/bent.db" "UPDATE builds SET m_kallsyms = total - padding + 1"
rc=0
"$KBLOAT" db check --db "$SCRATCH/bent.db" >/dev/null 2>"$SCRATCH/err" || rc=$?
check "db check fails on the bent term ($rc)" test "$rc" -ne 0
check "db check names it, and nothing else" grep -qx \
	"kbloat: $SCRATCH/bent.db: builds row 1: its m_kallsyms (the relearnt kallsyms term) is not an integer beside the modular sums of an ok build, or is larger than its code and data" "$SCRATCH/err"
check "db check: one problem" grep -qx "kbloat: $SCRATCH/bent.db: 1 problem" "$SCRATCH/err"

# the database as a kbloat of schema 008 left it: no column, 007's index, the bits of 001-008
old=$SCRATCH/old.db
cp "$db" "$old"
sqlite3 "$old" "DROP INDEX builds_line; ALTER TABLE builds DROP COLUMN m_kallsyms;
CREATE INDEX builds_line ON builds (config_id, id, parent_build_id, status, commit_id, distance,
	reused, total, padding, m_tristate, m_bool, m_core, m_rest);
PRAGMA user_version = $(((1 << 30) | 0xff));"
expect_error 2 "schema version 8 is older than this kbloat's 9; a command that writes" \
	"$KBLOAT" history --db "$old" --json
record "$old" sample-ks-again || fail "record into the 008 database: $(cat "$SCRATCH/err")"
check "it migrated: a bit per file, 001 to 009" \
	test "$(sqlite3 "file:$old?mode=ro" "PRAGMA user_version")" = $(((1 << 30) | 0x1ff))
check "its old build's term is NULL, the new one's the term" test \
	"$(sqlite3 "file:$old?mode=ro" "SELECT group_concat(coalesce(m_kallsyms, 'null'), ' ') FROM (SELECT m_kallsyms FROM builds ORDER BY id)")" = "null $term"
for c in sample-ks sample-ks-again; do
	"$KBLOAT" history --db "$old" --config $c --json >"$SCRATCH/$c.json" 2>"$SCRATCH/err" ||
		fail "history of $c in the migrated database: $(cat "$SCRATCH/err")"
done
check "the old build's estimate is the sums alone ($sums), the new one's modular's ($est)" pyjson "$SCRATCH/sample-ks.json" "
a = d['builds'][-1]
b = json.load(open('$SCRATCH/sample-ks-again.json'))['builds'][-1]
assert a['modular'] == $sums and a['m_kallsyms'] is None, a
assert b['modular'] == $est and b['m_kallsyms'] == $term, b"
check "db check passes on the migrated database" "$KBLOAT" db check --db "$old"
"$KBLOAT" merge "$SCRATCH/merged.db" "$old" >"$SCRATCH/merge.out" 2>"$SCRATCH/err" || fail "merge: $(cat "$SCRATCH/err")"
check "merge copies each build's term as it was" test \
	"$(sqlite3 "file:$SCRATCH/merged.db?mode=ro" "SELECT group_concat(cf.name || '=' || coalesce(b.m_kallsyms, 'null'), ' ') FROM (SELECT * FROM builds ORDER BY id) b JOIN configs cf ON cf.id = b.config_id")" = \
	"sample-ks=null sample-ks-again=$term"
check "db check passes on the merged database" "$KBLOAT" db check --db "$SCRATCH/merged.db"
done_testing
