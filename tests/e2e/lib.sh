# lib.sh - what the end-to-end scripts share: assertions that say what failed, the kbloat
# binary ($KBLOAT), the fixtures ($FIXTURES) and a scratch directory.
set -euo pipefail
: "${KBLOAT:?}" "${FIXTURES:?}" "${TESTS_SRC:?}"
TREE=$TESTS_SRC/fixtures/minikernel
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
failures=0
passes=0

ok() { passes=$((passes + 1)); }
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
# check "what" cmd...: passes if the command succeeds
check() {
	local what=$1
	shift
	if "$@"; then ok; else fail "$what"; fi
}
done_testing() {
	echo "$(basename "$0"): $passes passed, $failures failed"
	[ "$failures" -eq 0 ]
}
# jq-free JSON queries: python3 is part of the test dependencies
pyjson() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }
fixture_images() {
	local f
	for f in vmlinux-g5 vmlinux-g4 vmlinux-nog vmlinux-fs vmlinux-v2-g5 hello-g hello-nog hello.o m32.o; do
		[ -f "$FIXTURES/$f" ] && echo "$FIXTURES/$f"
	done
}
