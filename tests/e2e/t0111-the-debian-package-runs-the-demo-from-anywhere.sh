#!/usr/bin/env bash
# The Debian package CPack builds from the tree (scripts/package's): its dependencies are
# the Debian packages of the libraries kbloat links; unpacked into a scratch root and moved
# elsewhere, with the source and build trees out of reach and no KBLOAT_* set, its kbloat
# runs the demo's steps (size, syms, diff of the sample kernel; a collect of the sample
# history with a fragment found beside the binary; blame; plot with the scripts beside it).
# Its completions hold every option of the option tables, its manual the environment.
. "$(dirname "$0")/lib.sh"
: "${KB_BUILD:?}" "${HISTORY:?}"
src_root=$(cd "$TESTS_SRC/.." && pwd)
build_root=$(cd "$KB_BUILD" && pwd)

# ---- the package ---------------------------------------------------------------------------
(cd "$SCRATCH" && cpack -G DEB --config "$build_root/CPackConfig.cmake" -B "$SCRATCH/pkg") \
	>"$SCRATCH/cpack.log" 2>&1 || fail "cpack: $(tail -n5 "$SCRATCH/cpack.log")"
deb=$(echo "$SCRATCH"/pkg/kbloat_*_*.deb)
check "cpack wrote one .deb" test -f "$deb"
check "the package is kbloat" test "$(dpkg-deb -f "$deb" Package)" = kbloat
depends=$(dpkg-deb -f "$deb" Depends)
# each library the binary needs (its NEEDED entries) comes from a package it depends on
needed=$(readelf -d "$build_root/src/kbloat" | awk '/NEEDED/ {gsub(/[][]/, "", $5); print $5}')
check "the binary needs shared libraries" test "$(echo "$needed" | wc -l)" -ge 5
for lib in $needed; do
	path=$(ldd "$build_root/src/kbloat" | awk -v l="$lib" '$1 == l {print $3}')
	pkg=$({ dpkg -S "$path" || dpkg -S "${path#/usr}" || dpkg -S "/usr$path"; } 2>/dev/null |
		head -n1 | cut -d: -f1)
	check "$lib has a Debian package ($path)" test -n "$pkg"
	check "$lib's package $pkg is a dependency ($depends)" \
		grep -qE "(^|, )$pkg( |,|$)" <<<"$depends"
done
for pkg in $(echo "$depends" | sed 's/([^)]*)//g; s/,/ /g'); do
	check "the dependency $pkg is a Debian package (installed here)" \
		dpkg-query -W "$pkg" >/dev/null
done

# Debian's own checks: lintian finds no error or warning but the placeholder maintainer
# address (CMakeLists.txt's KBLOAT_MAINTAINER: kbloat has no published one yet)
if command -v lintian >/dev/null; then
	rc=0
	lintian --tag-display-limit 0 "$deb" >"$SCRATCH/lintian.out" 2>"$SCRATCH/lintian.err" || rc=$?
	# 0: nothing to fail on, 2: errors found (read below), 1: lintian itself failed
	check "lintian ran ($(tail -n2 "$SCRATCH/lintian.err"))" test "$rc" != 1
	check "lintian: no error or warning but the placeholder address" test -z "$(grep '^[EW]: ' \
		"$SCRATCH/lintian.out" | grep -v ': bogus-mail-host\(-in-debian-changelog\)\? .*@localhost')" ||
		cat "$SCRATCH/lintian.out" >&2
else
	fail "lintian is not installed (scripts/setup-deps.sh --test installs it)"
fi
check "the changelog is the package's version" \
	grep -q "^kbloat ($(dpkg-deb -f "$deb" Version)) " <(dpkg-deb --fsys-tarfile "$deb" |
		tar -xOf - ./usr/share/doc/kbloat/changelog.gz | zcat)
check "the manual is doc/kbloat.1, gzipped" cmp -s "$src_root/doc/kbloat.1" \
	<(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/man/man1/kbloat.1.gz | zcat)
check "the binary is stripped" test -z "$(dpkg-deb --fsys-tarfile "$deb" |
	tar -xOf - ./usr/bin/kbloat | readelf -S --wide /dev/stdin 2>/dev/null | grep -w '\.symtab')"

# ---- unpacked into a scratch root, then moved: nothing in it names where it was built ----
dpkg -x "$deb" "$SCRATCH/root"
for f in bin/kbloat share/man/man1/kbloat.1.gz share/doc/kbloat/copyright \
	share/kbloat/schemas/budget.schema.json \
	share/kbloat/schemas/report.schema.json share/bash-completion/completions/kbloat \
	share/zsh/vendor-completions/_kbloat share/kbloat/configs/map.config \
	share/kbloat/plots/proper.gp; do
	check "the package holds /usr/$f" test -s "$SCRATCH/root/usr/$f"
done
for s in budget report; do
	check "the installed $s schema is the tree's" cmp -s \
		"$SCRATCH/root/usr/share/kbloat/schemas/$s.schema.json" "$src_root/schema/$s.schema.json"
done
mkdir -p "$SCRATCH/elsewhere"
mv "$SCRATCH/root/usr" "$SCRATCH/elsewhere/kbloat"
rm -rf "$SCRATCH/root"
prefix=$SCRATCH/elsewhere/kbloat
# data only this copy has: a fragment, and a plot script that leaves a mark when it runs
printf 'CONFIG_LOG_BUF_SHIFT=16\n' >"$prefix/share/kbloat/configs/t0111-only.config"
{
	printf 'set print "%s"\nprint "the moved copy of proper.gp ran"\nunset print\n' \
		"$SCRATCH/run/proper-ran"
	cat "$prefix/share/kbloat/plots/proper.gp"
} >"$SCRATCH/proper.gp"
mv "$SCRATCH/proper.gp" "$prefix/share/kbloat/plots/proper.gp"

# the inputs, copied out of the trees that are about to go out of reach
mkdir -p "$SCRATCH/run/in"
cp "$FIXTURES"/vmlinux-g5 "$FIXTURES"/vmlinux-g5.map "$FIXTURES"/vmlinux-v2-g5 "$SCRATCH/run/in/"
cp -a "$TREE" "$SCRATCH/run/in/minikernel"
git clone -q --mirror "$HISTORY/repo" "$SCRATCH/run/in/history.git"

# the demo's steps, with kbloat found on PATH as the package puts it
cat >"$SCRATCH/demo.sh" <<EOF
set -e
unset KBLOAT_PLOTS KBLOAT_FRAGMENTS KBLOAT
export PATH=$prefix/bin:/usr/bin:/bin
cd "$SCRATCH/run" || exit 1
test ! -e "$src_root/CMakeLists.txt" || echo "note: the source tree is in reach" >&2
kbloat size in/vmlinux-g5 >size.out
kbloat syms in/vmlinux-g5 --by subsystem --src in/minikernel >syms.out
kbloat syms in/vmlinux-g5 --by file --map in/vmlinux-g5.map --src in/minikernel --top 10 >file.out
kbloat diff in/vmlinux-g5 in/vmlinux-v2-g5 >diff.out
kbloat collect --repo in/history.git --range main~2..main --first-parent --db s.db -j2 \
	--cc-wrapper none --config tinyconfig+t0111-only >collect.out 2>collect.err
kbloat blame --db s.db --min 1 >blame.out
kbloat plot --db s.db --out charts >plot.out
EOF
# out of reach: with a user namespace, empty directories over the source and build trees;
# without one, they stay, and the marks left by the moved data still show which was used
hide=("mount -t tmpfs none '$src_root'")
case $build_root/ in "$src_root"/*) ;; *) hide+=("mount -t tmpfs none '$build_root'") ;; esac
if unshare -rm true 2>/dev/null; then
	joined=$(printf '%s && ' "${hide[@]}")
	unshare -rm bash -c "$joined bash '$SCRATCH/demo.sh'" 2>"$SCRATCH/demo.err" ||
		fail "the demo from the package: $(tail -n5 "$SCRATCH/demo.err")"
	check "the source tree was out of reach" test -z "$(grep 'source tree is in reach' "$SCRATCH/demo.err")"
else
	echo "note: no user namespaces here: the source and build trees stay in reach" >&2
	bash "$SCRATCH/demo.sh" 2>"$SCRATCH/demo.err" ||
		fail "the demo from the package: $(tail -n5 "$SCRATCH/demo.err")"
fi

# what the packaged kbloat printed is what the tested one prints on the same inputs
cd "$SCRATCH/run" || exit 1
unset KBLOAT_PLOTS KBLOAT_FRAGMENTS
check "size: as the build's kbloat" cmp -s size.out <("$KBLOAT" size in/vmlinux-g5)
check "syms --by subsystem: as the build's kbloat" cmp -s syms.out \
	<("$KBLOAT" syms in/vmlinux-g5 --by subsystem --src in/minikernel)
check "syms --by file --map: as the build's kbloat" cmp -s file.out \
	<("$KBLOAT" syms in/vmlinux-g5 --by file --map in/vmlinux-g5.map --src in/minikernel --top 10)
check "diff: as the build's kbloat" cmp -s diff.out <("$KBLOAT" diff in/vmlinux-g5 in/vmlinux-v2-g5)
check "size names the image" grep -q "vmlinux-g5$" size.out
check "collect built the 2 commits" grep -qx \
	"2 commits x 1 configs: 2 built (0 failed), 0 already recorded" collect.out
obj=$(echo s.db.work/build/tinyconfig_t0111-only-x86_64)
check "the fragment beside the moved binary was merged" grep -qx CONFIG_LOG_BUF_SHIFT=16 "$obj/.config"
check "its __log_buf is 1 << 16 bytes" grep -qi "^[0-9a-f]* 0*10000 [bB] __log_buf$" \
	<(nm -S "$obj/vmlinux")
check "the moved copy of the plot scripts ran" grep -qx "the moved copy of proper.gp ran" proper-ran
check "plot drew charts" test -n "$(find charts -name '*.png' -size +1k)"
check "blame answers from the database" test -s blame.out

# the manual and the completions the package installs
man=$prefix/share/man/man1/kbloat.1.gz
man -l "$man" 2>/dev/null | sed -n '/^ENVIRONMENT/,/^SECURITY/p' >"$SCRATCH/env.txt"
for v in KBLOAT_PLOTS KBLOAT_FRAGMENTS ARCH CROSS_COMPILE LLVM KCFLAGS; do
	check "the manual's ENVIRONMENT names $v" grep -qw "$v" "$SCRATCH/env.txt"
done
bc=$prefix/share/bash-completion/completions/kbloat
zc=$prefix/share/zsh/vendor-completions/_kbloat
for cmd in $("$KBLOAT" help | awk '/^  [a-z]/ {print $1}'); do
	want=$("$KBLOAT" "$cmd" --help | awk '/^  -/ {sub(/^  /, ""); split($0, w, /  +/);
		n = split(w[1], p, /, /); for (i = 1; i <= n; i++) { split(p[i], x, " "); print x[1] } }' |
		sort)
	got=$(bash -c ". '$bc'; COMP_WORDS=(kbloat '$cmd' -); COMP_CWORD=2; _kbloat;
		printf '%s\n' \"\${COMPREPLY[@]}\"" | sort)
	check "bash completes every option of $cmd's table" test "$want" = "$got"
	zsh_opts=$(awk -v c="	$cmd) _arguments" 'index($0, c) == 1 {on = 1; next}
		on && /;;/ {on = 0} on && /^\t\t'\''-/ {sub(/^\t\t'\''/, ""); sub(/\[.*/, ""); print}' "$zc" | sort)
	check "zsh completes every option of $cmd's table" test "$want" = "$zsh_opts"
done
check "bash completes the commands" test "$(bash -c ". '$bc'; COMP_WORDS=(kbloat bis);
	COMP_CWORD=1; _kbloat; echo \"\${COMPREPLY[*]}\"")" = "bisect bisect-run"
check "bash completes --make-arg" test "$(bash -c ". '$bc'; COMP_WORDS=(kbloat collect --make);
	COMP_CWORD=2; _kbloat; echo \"\${COMPREPLY[*]}\"")" = "--make-arg"
done_testing
