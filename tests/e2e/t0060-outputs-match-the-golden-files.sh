#!/usr/bin/env bash
# Every command's output on the sample (text and JSON, every format of ci, the site's HTML,
# the plot's data files) is byte-identical to the golden files in tests/golden/sample, which
# the kbloat before the src/ layering (issue 14) printed. A change to any output must be a
# change to these files, reviewed in the same commit (tests/golden/outputs.sh remakes them).
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"
golden=$TESTS_SRC/golden

# The sizes are those of this machine's gcc and ld: on other tools the goldens cannot match.
have=$({ gcc --version | head -n1; ld --version | head -n1; gnuplot --version; } 2>&1)
if [ "$have" != "$(cat "$golden/toolchain.txt")" ]; then
	echo "SKIPPED: t0060 compares against outputs made with" >&2
	sed 's/^/SKIPPED:   /' "$golden/toolchain.txt" >&2
	echo "SKIPPED: this machine has" >&2
	echo "$have" | sed 's/^/SKIPPED:   /' >&2
	exit 77
fi

bash "$golden/outputs.sh" "$SCRATCH/now"
check "as many outputs as the golden files" test \
	"$(find "$golden/sample" -type f | wc -l)" = "$(find "$SCRATCH/now" -type f | wc -l)"
check "every output is byte-identical to its golden file" \
	diff -r "$golden/sample" "$SCRATCH/now" || diff -r "$golden/sample" "$SCRATCH/now" | head -n 60 >&2
check "the goldens cover a failing command (exit 2) and a broken budget (exit 1)" \
	grep -qx "exit 2" "$golden/sample/not-an-elf.txt"
check "the site's pages are among them" test -f "$golden/sample/site/index.html"
done_testing
