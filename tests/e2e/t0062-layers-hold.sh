#!/usr/bin/env bash
# The tree is the layer diagram (README "How the code is laid out"), and the build keeps it
# so: only the store speaks SQL; no command file is a library of another; nothing below the
# commands prints or exits; the base library uses nothing of kbloat; each layer includes
# only what is at or below it.
. "$(dirname "$0")/lib.sh"
: "${KB_BUILD:?}"
root=$TESTS_SRC/..
cd "$root"

# grep_none "what" PATTERN FILES...: passes when no line of FILES matches
grep_none() {
	local what=$1 pattern=$2
	shift 2
	local hits
	hits=$(grep -nE "$pattern" "$@" 2>/dev/null || true)
	check "$what" test -z "$hits" || echo "$hits" | head -n 20 >&2
}
# (tests may open a database themselves, to bend it: they are not the program)
outside_store=$(find lib analyzer collector src -name '*.[ch]' ! -path 'src/store/*')
grep_none "no file outside src/store includes sqlite3.h or the store's private header" \
	'#include [<"](sqlite3\.h|store_internal\.h)[>"]' $outside_store
grep_none "no file outside src/store names a sqlite3 type or call" \
	'\bsqlite3(_[a-z_]+)?\b' $(find lib analyzer collector src -name '*.[ch]' ! -path 'src/store/*')
grep_none "no store header but store_internal.h mentions sqlite3" \
	'sqlite3' $(find src/store -name '*.h' ! -name store_internal.h)

# below the commands: write to the stream you are given, never to stdout or stderr yourself
below=$(find lib analyzer collector src/store src/report src/pipeline -name '*.c' ! -name xalloc.c)
grep_none "nothing below the commands prints to stdout or stderr, or exits" \
	'(^|[^a-z_])(printf|puts|putchar|vprintf|perror|exit|abort)\(|\b(stdout|stderr)\b|kb_(errorf|warnf|report_error)\(' \
	$below
check "out of memory is the base library's one way to end the program (xalloc.c)" \
	grep -q 'abort();' lib/xalloc.c

# the base library knows nothing of kbloat's layers
grep_none "lib/ includes nothing of analyzer/, collector/ or src/" \
	'#include "(image|breakdown|analysis|modular|repo|kbuild|config|store|query|record|collect|kbloat|report)\.h"' \
	lib/*.[ch]
grep_none "analyzer/ includes nothing of collector/ or src/" \
	'#include "(repo|kbuild|config|store|query|record|collect|kbloat|rollup|budget)\.h"' \
	analyzer/*.[ch]
grep_none "collector/ includes nothing of src/" \
	'#include "(store|query|record|collect|kbloat|rollup|budget)\.h"' collector/*.[ch]

# no command file is called by another: each defines nothing global but its kb_cmd_ entry
objs=$(find "$KB_BUILD/src" -path '*/kbloat.dir/cmd/cmd_*.c.o')
check "the command objects were built" test -n "$objs"
globals=$(for o in $objs; do nm --defined-only "$o" | awk -v o="$(basename "$o")" \
	'$2 ~ /^[A-Z]$/ && $2 != "U" && $3 !~ /^kb_cmd_/ {print o ": " $3}'; done)
check "no command file exports anything but its kb_cmd_ entry" test -z "$globals" ||
	echo "$globals" >&2

# each CMake target has only its own folder and lib/ on its include path
for t in lib analyzer collector; do
	check "$t/CMakeLists.txt puts only its own folder on the include path" \
		test "$(grep -c 'target_include_directories' $t/CMakeLists.txt)" = 1
done
check "src/'s targets each put only their own folder on the include path" \
	test -z "$(grep -E 'target_include_directories' src/CMakeLists.txt |
		grep -vE '(kbstore|kbpipeline|kbreport) PUBLIC \$\{CMAKE_CURRENT_SOURCE_DIR\}/(store|pipeline|report)\)$|(kbloat PRIVATE|kbcli PUBLIC) \$\{CMAKE_CURRENT_SOURCE_DIR\}/cmd\)$')"
grep_none "nothing refers to a design document the repository does not have" 'DESIGN[.]md' \
	$(git ls-files '*.c' '*.h' '*.md' '*.sh' '*.sql' '*.1' | grep -v '^tests/golden/')
done_testing
