# lib.sh - what the end-to-end scripts share: assertions that say what failed, the kbloat
# binary ($KBLOAT), the fixtures ($FIXTURES) and a scratch directory.
set -euo pipefail
: "${KBLOAT:?}" "${FIXTURES:?}" "${TESTS_SRC:?}"
TREE=$TESTS_SRC/fixtures/minikernel
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
# collect, bisect and bisect-run build with ccache where it is installed (--cc-wrapper auto):
# into a cache of the test's own, never the user's
export CCACHE_DIR=$SCRATCH/ccache
failures=0
passes=0

ok() { passes=$((passes + 1)); }
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
# check "what" cmd...: passes if the command succeeds; on failure it says so and returns 1,
# so that `check ... || diagnostics` runs the diagnostics (a bare failing check then ends
# the script under set -e, after saying what failed)
check() {
	local what=$1
	shift
	if "$@"; then
		ok
	else
		fail "$what"
		return 1
	fi
}
done_testing() {
	echo "$(basename "$0"): $passes passed, $failures failed"
	[ "$failures" -eq 0 ]
}
# jq-free JSON queries: python3 is part of the test dependencies
# expect_error STATUS PATTERN cmd...: cmd exits STATUS within 60 s (never hangs) and prints
# one line on stderr, matching PATTERN (grep -E). Its stdout and stderr stay in
# $SCRATCH/out and $SCRATCH/err.
expect_error() {
	local status=$1 pattern=$2 rc=0
	shift 2
	timeout 60 "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" </dev/null || rc=$?
	if [ "$rc" -ne "$status" ]; then
		fail "$* exited $rc, want $status ($(head -c 300 "$SCRATCH/err"))"
		return 0
	fi
	if [ "$(wc -l <"$SCRATCH/err")" -ne 1 ] || ! grep -Eq -e "$pattern" "$SCRATCH/err"; then
		fail "$*: want one line matching '$pattern', got: $(cat "$SCRATCH/err")"
		return 0
	fi
	ok
}
pyjson() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }
fixture_images() {
	local f
	for f in vmlinux-g5 vmlinux-g4 vmlinux-nog vmlinux-fs vmlinux-v2-g5 hello-g hello-nog hello.o m32.o; do
		[ -f "$FIXTURES/$f" ] && echo "$FIXTURES/$f"
	done
}
# dbdump DB: what a database records, by natural keys (commit shas, config names, item
# names), without what differs from run to run (times, row ids, failed builds' log tails)
dbdump() {
	python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
q = lambda sql: db.execute(sql).fetchall()
for r in q("""SELECT c.sha, g.name, g.arch, b.status, b.total, b.text, b.rodata, b.data, b.bss,
		b.init, b.percpu, b.other, b.bk_text, b.bk_data, b.bk_bss, b.bom_t, b.bom_d, b.bom_r,
		pc.sha, b.distance, b.d_total, b.d_text, b.d_rodata, b.d_data, b.d_bss, b.d_init,
		b.d_percpu, b.d_other, d.options, b.log_tail IS NOT NULL
		FROM builds b JOIN commits c ON c.id = b.commit_id JOIN configs g ON g.id = b.config_id
		LEFT JOIN builds pb ON pb.id = b.parent_build_id LEFT JOIN commits pc ON pc.id = pb.commit_id
		LEFT JOIN dotconfigs d ON d.id = b.dotconfig_id ORDER BY c.sha, g.name"""):
	print("build", *r)
for r in q("""SELECT c.sha, g.name, i.kind, i.name, p.path, i.class, x.size, x.prev
		FROM item_delta x JOIN builds b ON b.id = x.build_id JOIN commits c ON c.id = b.commit_id
		JOIN configs g ON g.id = b.config_id JOIN items i ON i.id = x.item_id
		JOIN paths p ON p.id = i.path_id ORDER BY 1, 2, 3, 4, 5, 6"""):
	print("delta", *r)
for r in q("SELECT sha, parent_sha, author_name, author_email, author_time, subject FROM commits ORDER BY sha"):
	print("commit", *r)
PY
}
