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
# require_tools TOOL...: each on PATH, or the test fails there (it never skips: CI installs
# them all with scripts/setup-deps.sh --test)
require_tools() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null && continue
		echo "MISSING: $t (scripts/setup-deps.sh --test installs it): this test FAILS" >&2
		fail "$t missing"
		done_testing
		exit 1
	done
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
# dbdump DB: what a database records, by natural keys, without what differs from run to run
# (dbdump.py)
dbdump() { python3 "$TESTS_SRC/e2e/dbdump.py" "$1"; }
