#!/bin/bash
#
# run.sh [--scale S] [--vmlinux OLD NEW] [--runs N] - times kbloat on a large image.
#
# Without --vmlinux it builds (once, cached in build-bench/scale-S/) the generated image
# of gen-big-elf.sh at scale S (default 1) and its v2; with --vmlinux it uses two real
# images, and OLD.map when there is one.  It times, best of N runs (default 3):
#
#   kbloat size OLD
#   kbloat syms --by file OLD
#   kbloat syms --by file --map OLD.map OLD
#   kbloat diff OLD NEW
#   bloat-o-meter OLD NEW        (the kernel's script, when it can be found)
#
# checks that kbloat diff prints exactly what bloat-o-meter prints, and prints a table of
# seconds and peak resident memory.  The kbloat binary is $KBLOAT, else build/src/kbloat.
# bloat-o-meter is $BLOAT_O_METER, else extracted from /usr/src/linux-source-*.tar.xz.
# Outputs are kept in build-bench/out/.  Exit status: 0 when every command worked and the
# diffs agree, 1 otherwise, 2 on a usage error.
set -u

usage() {
	echo "usage: run.sh [--scale S] [--vmlinux OLD NEW] [--runs N]" >&2
	exit 2
}

die() {
	echo "run.sh: $*" >&2
	exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=$root/build-bench
scale=1
old=
new=
runs=3
while [ $# -gt 0 ]; do
	case $1 in
	--scale)
		[ $# -ge 2 ] || usage
		scale=$2
		shift 2
		;;
	--vmlinux)
		[ $# -ge 3 ] || usage
		old=$2
		new=$3
		shift 3
		;;
	--runs)
		[ $# -ge 2 ] || usage
		runs=$2
		shift 2
		;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
case $runs in '' | *[!0-9]* | 0) die "$runs: --runs wants a positive number" ;; esac

kbloat=${KBLOAT:-$root/build/src/kbloat}
[ -x "$kbloat" ] || die "$kbloat: no kbloat binary (build it, or set KBLOAT)"
mkdir -p "$bench/out" || die "$bench/out: cannot create the directory"

if [ -n "$old" ]; then
	[ -f "$old" ] || die "$old: no such file"
	[ -f "$new" ] || die "$new: no such file"
	map=$old.map
	[ -f "$map" ] || map=
else
	gen=$bench/scale-$scale
	bash "$here/gen-big-elf.sh" "$scale" "$gen" || die "generating the scale-$scale image failed"
	old=$gen/big.elf
	new=$gen/big-v2.elf
	map=$gen/big.map
fi

# bloat-o-meter: given, or taken from the kernel source package once.
bom=${BLOAT_O_METER:-}
if [ -z "$bom" ]; then
	bom=$bench/bloat-o-meter
	if [ ! -s "$bom" ]; then
		rm -f "$bom"
		for tarball in /usr/src/linux-source-*.tar.xz; do
			[ -f "$tarball" ] || continue
			tar -xJf "$tarball" --wildcards '*/scripts/bloat-o-meter' -O >"$bom.tmp" 2>/dev/null &&
				[ -s "$bom.tmp" ] && mv "$bom.tmp" "$bom" && break
		done
		rm -f "$bom.tmp"
	fi
fi
[ -s "$bom" ] || bom=

if [ -x /usr/bin/time ]; then
	have_time=1
else
	have_time=0
	echo "run.sh: /usr/bin/time is missing: timing with bash's time, peak RSS unknown" >&2
fi

# measure NAME CMD...: runs CMD $runs times, its stdout to out/NAME.out, and appends
# "NAME|seconds|peak RSS" of the fastest run to the table (or "failed").
table=()
failed=0
measure() {
	local name=$1 i best= rss=unknown secs kb rc
	shift
	for i in $(seq "$runs"); do
		if [ $have_time -eq 1 ]; then
			/usr/bin/time -f '%e %M' -o "$bench/out/time" "$@" >"$bench/out/$name.out" \
				2>"$bench/out/$name.err"
			rc=$?
			read -r secs kb <"$bench/out/time"
			# On failure time(1) writes "Command exited with non-zero status" first.
			[ $rc -eq 0 ] || secs=
		else
			local TIMEFORMAT=%R
			secs=$({ time "$@" >"$bench/out/$name.out" 2>"$bench/out/$name.err"; } 2>&1)
			rc=$?
			kb=
		fi
		if [ $rc -ne 0 ]; then
			table+=("$name|failed (exit $rc)|-")
			echo "run.sh: $name failed, exit $rc: $(head -n 3 "$bench/out/$name.err")" >&2
			failed=1
			return 1
		fi
		if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$secs
			[ -n "$kb" ] && rss="$kb KB"
		fi
	done
	table+=("$name|$best|$rss")
}

echo "old: $old ($(wc -c <"$old") bytes, $(nm -S "$old" 2>/dev/null | awk 'NF == 4' | wc -l) sized symbols)"
echo "new: $new ($(wc -c <"$new") bytes)"
[ -n "$map" ] && echo "map: $map"
echo "kbloat: $kbloat; best of $runs runs"
echo

measure "kbloat size" "$kbloat" size "$old"
measure "kbloat syms --by file" "$kbloat" syms --by file "$old"
if [ -n "$map" ]; then
	measure "kbloat syms --by file --map" "$kbloat" syms --by file --map "$map" "$old"
else
	table+=("kbloat syms --by file --map|no map|-")
fi
measure "kbloat diff" "$kbloat" diff "$old" "$new"
diff_ok=$?
if [ -n "$bom" ]; then
	measure "bloat-o-meter" python3 "$bom" "$old" "$new"
	bom_ok=$?
else
	table+=("bloat-o-meter|not found|-")
	bom_ok=1
fi

printf '%-32s | %10s | %s\n' "what" "seconds" "peak RSS"
printf '%-32s-+-%10s-+-%s\n' "--------------------------------" "----------" "------------"
for row in "${table[@]}"; do
	IFS='|' read -r what secs rss <<<"$row"
	printf '%-32s | %10s | %s\n' "$what" "$secs" "$rss"
done
echo

if [ $diff_ok -eq 0 ] && [ $bom_ok -eq 0 ]; then
	if cmp -s "$bench/out/kbloat diff.out" "$bench/out/bloat-o-meter.out"; then
		echo "kbloat diff and bloat-o-meter: byte-identical ($(wc -l <"$bench/out/kbloat diff.out") lines)"
	else
		echo "kbloat diff and bloat-o-meter: DIFFERENT; the first differences:"
		diff "$bench/out/bloat-o-meter.out" "$bench/out/kbloat diff.out" | head -n 20
		failed=1
	fi
else
	echo "kbloat diff and bloat-o-meter: not compared"
fi
exit $failed
