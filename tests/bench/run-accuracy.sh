#!/bin/bash
#
# run-accuracy.sh [--out DIR] [--no-build] SRC-A SRC-B|+CONFIG_X=y[,...] TOOLCHAIN...
#
# The README's accuracy table, re-measured on real kernels.  For each TOOLCHAIN (x86_64-gcc,
# x86_64-clang, x86_64-thinlto, arm64-gcc, riscv64-gcc: see build-kernel.sh) it builds a
# tinyconfig vmlinux with its map from each of two kernel trees of a series (DIR/VERSION-TC,
# O= builds: the trees are only read; DIR is build-accuracy/ by default; an image already
# built is kept), or, given +CONFIG_X=y instead of SRC-B, from SRC-A and again with those
# options on top (DIR/VERSION+X-TC, rebuilt from a copy of the first build: minutes, not a
# quarter of an hour), then checks, each check on a line of its own, `ok` or `FAIL`:
#
#   size     kbloat size IMAGE is byte for byte binutils' PREFIX-size IMAGE (the Berkeley
#            line), and for LLVM=1 builds also llvm-size's
#   diff     kbloat diff [-c|-d|-t] O-A O-B (the build directories) is byte for byte SRC-B's
#            scripts/bloat-o-meter [-p PREFIX] [-c|-d|-t] A/vmlinux B/vmlinux, all four modes;
#            both ways; with x86_64-clang and x86_64-thinlto both given, the no-LTO ->
#            ThinLTO pair of each tree too
#   map      kbloat syms O (the build directory: map and tree found by itself) reads the map
#   sums     its rows, and those of --by file, dir, section and class, sum to its total,
#            and the total is the Berkeley dec of size
#   share    the share of the allocated bytes that are not alignment padding attributed to a
#            source file, and by which method (its `Attribution:` line, --provenance)
#
# Then one table row per image for the README.  The kbloat binary is $KBLOAT, else
# build/src/kbloat.  Exit status: 0 when every check passed, 1 otherwise, 2 on a usage error.
set -u
usage() {
	echo "usage: run-accuracy.sh [--out DIR] [--no-build] SRC-A SRC-B TOOLCHAIN..." >&2
	exit 2
}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build-accuracy
build=1
while [ $# -gt 0 ]; do
	case $1 in
	--out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	--no-build) build=0; shift ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 3 ] || usage
srca=$(cd "$1" && pwd) || usage
opts=
case $2 in
+CONFIG_*) opts=${2#+} srcb=$srca ;;
*) srcb=$(cd "$2" && pwd) || usage ;;
esac
shift 2
kbloat=${KBLOAT:-$root/build/src/kbloat}
[ -x "$kbloat" ] || { echo "run-accuracy.sh: no $kbloat (build kbloat, or set KBLOAT)" >&2; exit 2; }
mkdir -p "$out/logs" "$out/cmp"
out=$(cd "$out" && pwd)
kver() { make -s -C "$1" kernelversion 2>/dev/null | tail -n1; }
va=$(kver "$srca")
vb=$(kver "$srcb")
if [ -n "$opts" ]; then
	# 6.12.113+FUTEX for +CONFIG_FUTEX=y
	vb=$va+$(echo "$opts" | sed 's/CONFIG_//g; s/=[^,]*//g; s/,/+/g')
fi
if [ -z "$va" ] || [ -z "$vb" ] || [ "$va" = "$vb" ]; then
	echo "run-accuracy.sh: two trees of different versions, please ($va, $vb)" >&2
	exit 2
fi
fails=0
ok() { echo "ok    $*"; }
fail() { echo "FAIL  $*"; fails=$((fails + 1)); }
prefix_of() {
	case $1 in arm64-*) echo aarch64-linux-gnu- ;; riscv64-*) echo riscv64-linux-gnu- ;; *) echo ;; esac
}

# --- build ------------------------------------------------------------------------------
built=()
for tc in "$@"; do
	for side in a b; do
		if [ $side = a ]; then src=$srca v=$va; else src=$srcb v=$vb; fi
		o=$out/$v-$tc
		if [ $build = 1 ]; then
			t0=$(date +%s)
			extra=()
			if [ $side = b ] && [ -n "$opts" ]; then
				# shellcheck disable=SC2206 # the options, one a word
				extra=("$out/$va-$tc" ${opts//,/ })
			fi
			if ! "$here/build-kernel.sh" "$src" "$o" "$tc" "${extra[@]}" >"$out/logs/$v-$tc.log" 2>&1; then
				fail "build $v $tc (see $out/logs/$v-$tc.log)"
				continue
			fi
			echo "built $v $tc in $(($(date +%s) - t0)) s"
		fi
		[ -f "$o/vmlinux" ] && built+=("$v-$tc")
	done
done
have() { [ -f "$out/$1/vmlinux" ]; }

# --- size ---------------------------------------------------------------------------------
for img in "${built[@]}"; do
	tc=${img#*-} p=$(prefix_of "${img#*-}") f=$out/$img/vmlinux
	"$kbloat" size "$f" | sed -n 1,2p >"$out/cmp/$img.size.kbloat"
	"${p}size" "$f" >"$out/cmp/$img.size.binutils"
	if cmp -s "$out/cmp/$img.size.binutils" "$out/cmp/$img.size.kbloat"; then
		ok "size $img: identical to ${p}size ($(sed -n 2p "$out/cmp/$img.size.kbloat" | awk '{print $1, $2, $3}'))"
	else
		fail "size $img: differs from ${p}size"
		diff "$out/cmp/$img.size.binutils" "$out/cmp/$img.size.kbloat"
	fi
	case $tc in *clang | *thinlto)
		llvm-size "$f" >"$out/cmp/$img.size.llvm"
		if cmp -s "$out/cmp/$img.size.llvm" "$out/cmp/$img.size.kbloat"; then
			ok "size $img: identical to llvm-size"
		else
			fail "size $img: differs from llvm-size"
			diff "$out/cmp/$img.size.llvm" "$out/cmp/$img.size.kbloat"
		fi
		;;
	esac
done

# --- diff: SRC-B's script, the architecture's nm ---------------------------------------------
bom=$srcb/scripts/bloat-o-meter
declare -A diffs # image -> the pairs it was compared in, for the table
diff_pair() { # diff_pair OLD NEW PREFIX
	local old=$1 new=$2 p=$3 mode name same=0 modes=
	for mode in "" -c -d -t; do
		name=$old..$new${mode:+.$mode}
		python3 "$bom" ${p:+-p "$p"} $mode "$out/$old/vmlinux" "$out/$new/vmlinux" \
			>"$out/cmp/$name.bom" 2>&1
		"$kbloat" diff $mode "$out/$old" "$out/$new" >"$out/cmp/$name.kbloat" 2>"$out/cmp/$name.err"
		if cmp -s "$out/cmp/$name.bom" "$out/cmp/$name.kbloat"; then
			same=$((same + 1)) modes="$modes ${mode:-default}"
		else
			fail "diff $old -> $new ${mode:-(default)}: differs from $(kver "$srcb")'s bloat-o-meter ($(diff "$out/cmp/$name.bom" "$out/cmp/$name.kbloat" | grep -c '^[<>]') lines)"
			diff "$out/cmp/$name.bom" "$out/cmp/$name.kbloat" | head -n 10
		fi
	done
	if [ $same = 4 ]; then
		ok "diff $old -> $new: identical to $(kver "$srcb")'s bloat-o-meter${p:+ -p $p} in all modes ($(wc -l <"$out/cmp/$old..$new.bom") lines)"
		diffs[$old]="${diffs[$old]:-}${diffs[$old]:+; }-> $new: yes"
	else
		diffs[$old]="${diffs[$old]:-}${diffs[$old]:+; }-> $new: NO"
	fi
}
for tc in "$@"; do
	if have "$va-$tc" && have "$vb-$tc"; then
		diff_pair "$va-$tc" "$vb-$tc" "$(prefix_of "$tc")"
		diff_pair "$vb-$tc" "$va-$tc" "$(prefix_of "$tc")"
	fi
done
for v in $va $vb; do
	have "$v-x86_64-clang" && have "$v-x86_64-thinlto" && diff_pair "$v-x86_64-clang" "$v-x86_64-thinlto" ""
done

# --- map, sums, share -----------------------------------------------------------------------
for img in "${built[@]}"; do
	o=$out/$img
	if ! "$kbloat" syms --json "$o" >"$out/cmp/$img.syms.json" 2>"$out/cmp/$img.syms.err"; then
		fail "syms $img: $(head -n1 "$out/cmp/$img.syms.err")"
		continue
	fi
	if grep -q 'using .*vmlinux.map' "$out/cmp/$img.syms.err"; then
		ok "map $img: $(head -n1 "$out/cmp/$img.syms.err" | sed 's/^kbloat: //')"
	else
		fail "map $img: vmlinux.map not read ($(head -n1 "$out/cmp/$img.syms.err"))"
	fi
	"$kbloat" syms --provenance "$o" >"$out/cmp/$img.syms.txt" 2>/dev/null
	for by in file dir section class; do
		"$kbloat" syms --json --by $by "$o" >"$out/cmp/$img.syms-$by.json" 2>/dev/null
	done
	dec=$(sed -n 2p "$out/cmp/$img.size.binutils" | awk '{print $4}')
	if msg=$(DEC=$dec IMG=$img OUT=$out python3 - <<'PY'
import json, os
out, img = os.environ["OUT"], os.environ["IMG"]
d = json.load(open("%s/cmp/%s.syms.json" % (out, img)))
total = d["total"]
bad = []
if sum(r["bytes"] for r in d["rows"]) != total: bad.append("rows")
if sum(d["attribution"]["bytes"].values()) != total: bad.append("attribution")
for by in ("file", "dir", "section", "class"):
    e = json.load(open("%s/cmp/%s.syms-%s.json" % (out, img, by)))
    if e["total"] != total or sum(r["bytes"] for r in e["rows"]) != total: bad.append("--by " + by)
if total != int(os.environ["DEC"]): bad.append("total %d != size's dec %s" % (total, os.environ["DEC"]))
if bad: print("do not sum to %d: %s" % (total, ", ".join(bad))); raise SystemExit(1)
print("rows, attribution, --by file, dir, section, class all sum to %d (size's dec)" % total)
PY
	); then ok "sums $img: $msg"; else fail "sums $img: $msg"; fi
	DEC=$dec IMG=$img OUT=$out python3 - <<'PY' >"$out/cmp/$img.share"
import json, os
d = json.load(open("%s/cmp/%s.syms.json" % (os.environ["OUT"], os.environ["IMG"])))
b = d["attribution"]["bytes"]
proper = sum(b.values()) - b.get("padding", 0)
share = 100.0 * (proper - b.get("none", 0)) / proper if proper else 0.0
by = ", ".join("%s %.1f%%" % (k, 100.0 * v / proper) for k, v in sorted(b.items(), key=lambda kv: -kv[1])
               if v and k not in ("none", "padding"))
print("%.1f%%\t%s\t%d" % (share, by, proper))
PY
	IFS=$'\t' read -r share by proper <"$out/cmp/$img.share"
	echo "share $img: $share of $proper non-padding bytes have a file ($by); $(grep '^Attribution:' "$out/cmp/$img.syms.txt")"
done

# --- the README's rows -----------------------------------------------------------------------
echo
echo "| image | how built | \`size\` identical | \`diff\` identical to | attributed (non-padding) | by |"
echo "|---|---|---|---|---|---|"
for img in "${built[@]}"; do
	v=${img%%-*} tc=${img#*-}
	IFS=$'\t' read -r share by proper <"$out/cmp/$img.share" 2>/dev/null || share='?' by='?'
	s=no
	cmp -s "$out/cmp/$img.size.binutils" "$out/cmp/$img.size.kbloat" && s=yes
	echo "| linux-$v $tc tinyconfig | build-kernel.sh $tc | $s | ${diffs[$img]:-(not compared)} | $share | $by |"
done
echo
[ $fails = 0 ] && echo "all checks passed" || echo "$fails checks failed"
[ $fails = 0 ]
