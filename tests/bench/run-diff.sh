#!/bin/bash
#
# run-diff.sh OLD NEW [--runs N] [--bom SCRIPT] - kbloat diff against the kernel's
# scripts/bloat-o-meter on one pair of images, side by side.
#
# The two are run alternately, N times each (default 7), so that both see the same load on a
# shared machine; for each it prints the median and best wall time and the median CPU time
# (user + system, children included: bloat-o-meter runs nm twice), and the ratios. It first
# checks that the two print the same text. SCRIPT is bloat-o-meter from the tree of the
# images' series (6.1's and 6.12's differ: weak symbols); by default the one of
# /usr/src/linux-source-V.tar.xz for the V that NEW's banner says, else the newest there.
# kbloat is $KBLOAT, else build/src/kbloat. Exit status: 0 if the outputs agree, 1 if they
# differ, 2 on a usage error.
set -u

die() {
	echo "run-diff.sh: $*" >&2
	exit 2
}

old= new= runs=7 bom=
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=${2:?}; shift 2 ;;
	--bom) bom=${2:?}; shift 2 ;;
	-*) die "unknown option $1" ;;
	*) if [ -z "$old" ]; then old=$1; elif [ -z "$new" ]; then new=$1; else die "one pair"; fi
	   shift ;;
	esac
done
[ -n "$new" ] || die "usage: run-diff.sh OLD NEW [--runs N] [--bom SCRIPT]"
root=$(cd "$(dirname "$0")/../.." && pwd)
kbloat=${KBLOAT:-$root/build/src/kbloat}
[ -x "$kbloat" ] || die "$kbloat: not built"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "$bom" ]; then
	ver=$(strings -n 14 "$new" | sed -n 's/^Linux version \([0-9]*\.[0-9]*\).*/\1/p' | head -1)
	tarball=/usr/src/linux-source-$ver.tar.xz
	[ -f "$tarball" ] || tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -1)
	[ -f "$tarball" ] || die "no bloat-o-meter: give --bom SCRIPT"
	bom=$tmp/bloat-o-meter
	tar -xJf "$tarball" --wildcards '*/scripts/bloat-o-meter' -O >"$bom" 2>/dev/null ||
		die "$tarball: no scripts/bloat-o-meter"
	echo "bloat-o-meter: $tarball" >&2
fi

"$kbloat" diff "$old" "$new" >"$tmp/kbloat.txt" || die "kbloat diff failed"
python3 "$bom" "$old" "$new" >"$tmp/bom.txt" || die "bloat-o-meter failed"
same=yes
cmp -s "$tmp/kbloat.txt" "$tmp/bom.txt" || same=no

# one timed run: appends "wall cpu" to FILE
timed() {
	local file=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$tmp/t" "$@" >/dev/null 2>&1 || die "$* failed"
	awk '{printf "%s %.2f\n", $1, $2 + $3}' "$tmp/t" >>"$file"
}
for _ in $(seq "$runs"); do
	timed "$tmp/k" "$kbloat" diff "$old" "$new"
	timed "$tmp/b" python3 "$bom" "$old" "$new"
done

python3 - "$tmp/k" "$tmp/b" "$same" "$runs" <<'PY'
import statistics, sys
def load(p):
    rows = [tuple(map(float, l.split())) for l in open(p)]
    return statistics.median(r[0] for r in rows), min(r[0] for r in rows), \
           statistics.median(r[1] for r in rows)
k, b = load(sys.argv[1]), load(sys.argv[2])
print("%d runs each, alternating; outputs identical: %s" % (int(sys.argv[4]), sys.argv[3]))
print("%-16s %10s %10s %10s" % ("", "median s", "best s", "cpu s"))
print("%-16s %10.2f %10.2f %10.2f" % ("kbloat diff", *k))
print("%-16s %10.2f %10.2f %10.2f" % ("bloat-o-meter", *b))
print("%-16s %9.1fx %9.1fx %9.1fx" % ("ratio", *(bb / max(kk, 0.005) for kk, bb in zip(k, b))))
PY
[ "$same" = yes ]
