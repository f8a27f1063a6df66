#!/usr/bin/env bash
# kbloat diff prints byte for byte what the kernel's scripts/bloat-o-meter prints, in its
# default mode and with -c, -d and -t, on pairs of images the tests build. The script is
# taken from Debian's linux-source-6.1 package (scripts/setup-deps.sh --test installs it).
. "$(dirname "$0")/lib.sh"

bom=$KB_BUILD/bloat-o-meter
if [ ! -s "$bom" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null | head -n1 || true)
	if [ -n "$tarball" ]; then
		tar -xJf "$tarball" --wildcards '*/scripts/bloat-o-meter' -O >"$bom.tmp" && mv "$bom.tmp" "$bom"
	fi
fi
if [ ! -s "$bom" ]; then
	echo "***************************************************************************" >&2
	echo "SKIPPED: no scripts/bloat-o-meter (install Debian's linux-source-6.1:" >&2
	echo "scripts/setup-deps.sh --test); kbloat diff was NOT compared with it" >&2
	echo "***************************************************************************" >&2
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi

pairs="vmlinux-g5:vmlinux-v2-g5 vmlinux-v2-g5:vmlinux-g5 vmlinux-g4:vmlinux-g5
vmlinux-nog:vmlinux-fs hello-nog:hello-g vmlinux-g5:vmlinux-g5"
for pair in $pairs; do
	old=$FIXTURES/${pair%%:*} new=$FIXTURES/${pair##*:}
	for mode in "" -c -d -t; do
		python3 "$bom" $mode "$old" "$new" >"$SCRATCH/want"
		"$KBLOAT" diff $mode "$old" "$new" >"$SCRATCH/got"
		check "diff $mode $pair matches bloat-o-meter" cmp -s "$SCRATCH/want" "$SCRATCH/got" ||
			diff "$SCRATCH/want" "$SCRATCH/got" >&2 || true
	done
done

# the v2 tree really changes things: the comparison above is not of empty diffs
"$KBLOAT" diff "$FIXTURES/vmlinux-g5" "$FIXTURES/vmlinux-v2-g5" >"$SCRATCH/got"
check "v2 adds, removes, grows and shrinks" grep -Eq \
	'^add/remove: [1-9][0-9]*/[1-9][0-9]* grow/shrink: [1-9][0-9]*/[1-9][0-9]* ' "$SCRATCH/got"

# --json carries the same numbers as the text
"$KBLOAT" diff --json "$FIXTURES/vmlinux-g5" "$FIXTURES/vmlinux-v2-g5" >"$SCRATCH/j"
head -n1 "$SCRATCH/got" >"$SCRATCH/hdr"
export HDR=$SCRATCH/hdr
check "json header numbers equal the text header" pyjson "$SCRATCH/j" '
b=d["blocks"][0]
line="add/remove: %d/%d grow/shrink: %d/%d up/down: %d/%d (%d)" % (b["add"],b["remove"],b["grow"],b["shrink"],b["up"],-b["down"],b["net"])
import os; assert line == open(os.environ["HDR"]).read().strip(), line
assert sum(r["delta"] for r in b["rows"]) == b["total_after"] - b["total_before"]'
done_testing
