#!/usr/bin/env bash
# diff -p PREFIX, as scripts/bloat-o-meter takes it: the script runs PREFIXnm (its "arch
# prefix for the tool", a cross binutils' name); kbloat reads every architecture's ELF
# itself, so it accepts the option and prints what the script prints with it, byte for byte
# (with this machine's x86_64-linux-gnu- prefix, whose nm the script can run), in each mode.
. "$(dirname "$0")/lib.sh"

bom=$KB_BUILD/bloat-o-meter
if [ ! -s "$bom" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null | head -n1 || true)
	if [ -n "$tarball" ]; then
		tar -xJf "$tarball" --wildcards '*/scripts/bloat-o-meter' -O >"$bom.tmp.$$" && mv "$bom.tmp.$$" "$bom"
	fi
fi
prefix=x86_64-linux-gnu-
if [ ! -s "$bom" ] || ! command -v "${prefix}nm" >/dev/null; then
	echo "***************************************************************************" >&2
	echo "SKIPPED: no scripts/bloat-o-meter or no ${prefix}nm (scripts/setup-deps.sh" >&2
	echo "--test installs both); diff -p was NOT compared with the script" >&2
	echo "***************************************************************************" >&2
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi
check "the script takes -p as its nm's prefix" grep -q "'-p', dest='prefix'" "$bom"

old=$FIXTURES/vmlinux-g5 new=$FIXTURES/vmlinux-v2-g5
for mode in "" -c -d -t; do
	# shellcheck disable=SC2086
	python3 "$bom" $mode -p "$prefix" "$old" "$new" >"$SCRATCH/want"
	check "the script printed a diff ($mode)" grep -q "^Total: Before=" "$SCRATCH/want"
	# shellcheck disable=SC2086
	"$KBLOAT" diff $mode -p "$prefix" "$old" "$new" >"$SCRATCH/got"
	check "diff $mode -p $prefix prints what bloat-o-meter $mode -p $prefix prints" \
		cmp -s "$SCRATCH/want" "$SCRATCH/got" || diff "$SCRATCH/want" "$SCRATCH/got" >&2
	# shellcheck disable=SC2086
	"$KBLOAT" diff $mode "-p$prefix" "$old" "$new" >"$SCRATCH/got2"
	check "diff $mode -pPREFIX (one word) prints the same" cmp -s "$SCRATCH/want" "$SCRATCH/got2"
done
# a prefix of a cross toolchain this machine lacks changes nothing for kbloat
"$KBLOAT" diff -p aarch64-none-elf- "$old" "$new" >"$SCRATCH/cross"
"$KBLOAT" diff "$old" "$new" >"$SCRATCH/plain"
check "diff -p of a missing toolchain prints the plain diff" cmp -s "$SCRATCH/cross" "$SCRATCH/plain"
rc=0
"$KBLOAT" diff "$old" "$new" -p >/dev/null 2>"$SCRATCH/err" || rc=$?
check "diff -p without its PREFIX is a usage error" test "$rc" = 2
check "and says -p wants a value" grep -q -- "-p requires a value" "$SCRATCH/err"
done_testing
