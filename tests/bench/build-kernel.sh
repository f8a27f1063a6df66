#!/bin/bash
#
# build-kernel.sh SRC O TOOLCHAIN [BASE-O CONFIG_X=y...] - a tinyconfig vmlinux with its
# link map, in O.
#
# TOOLCHAIN is one of
#   x86_64-gcc      ARCH=x86_64, gcc
#   x86_64-clang    ARCH=x86_64 LLVM=1 (clang, ld.lld, llvm-nm, ...)
#   x86_64-thinlto  the same with CONFIG_LTO_CLANG_THIN=y (LTO_NONE off) and DWARF
#                   (CONFIG_DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT): an LTO kernel is linked from
#                   vmlinux.o, so its map names no file and only DWARF can attribute it
#   arm64-gcc       ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
#   riscv64-gcc     ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-
# The configuration is `make tinyconfig`, kernels/configs/map.config merged in (the link
# writes O/vmlinux.map), then olddefconfig; the script checks that the options it asked for
# took.  SRC is only read (O= build).  ccache is used when installed ($CCACHE_DIR as set).
# Builds with `nice -n 19 make -j${JOBS:-2} vmlinux`.  Exits non-zero if any step fails.
# With BASE-O (a build of SRC by this script) and options: O starts as a copy of BASE-O, the
# options are merged into its configuration and kbuild rebuilds what they change (the
# second image of a pair, in minutes where a clean build takes a quarter of an hour).
# Skips everything when O/vmlinux exists and is newer than O/.config (delete it to rebuild).
set -euo pipefail
[ $# -eq 3 ] || [ $# -ge 5 ] || { echo "usage: build-kernel.sh SRC O TOOLCHAIN [BASE-O CONFIG_X=y...]" >&2; exit 2; }
src=$(cd "$1" && pwd)
o=$2
tc=$3
base=
if [ $# -ge 5 ]; then
	base=$4
	shift 4
	if [ ! -f "$base/vmlinux" ] || [ ! -f "$base/accuracy.config" ]; then
		echo "build-kernel.sh: $base: not a build of this script" >&2
		exit 2
	fi
fi
here=$(cd "$(dirname "$0")" && pwd)
cfgdir=$here/../../kernels/configs
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026' KBUILD_BUILD_USER=kbloat \
	KBUILD_BUILD_HOST=kbloat KBUILD_BUILD_VERSION=1
cc=
command -v ccache >/dev/null && cc="ccache "
case $tc in
x86_64-gcc) args=(ARCH=x86_64 "CC=${cc}gcc") ;;
x86_64-clang | x86_64-thinlto) args=(ARCH=x86_64 LLVM=1 "CC=${cc}clang") ;;
arm64-gcc) args=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "CC=${cc}aarch64-linux-gnu-gcc") ;;
riscv64-gcc) args=(ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- "CC=${cc}riscv64-linux-gnu-gcc") ;;
*) echo "build-kernel.sh: unknown toolchain $tc" >&2; exit 2 ;;
esac
mk() { make -s -C "$src" O="$o" "${args[@]}" LOCALVERSION= "$@"; }
if [ -f "$o/vmlinux" ] && [ "$o/vmlinux" -nt "$o/.config" ]; then
	echo "build-kernel.sh: $o/vmlinux is built" >&2
	exit 0
fi
if [ -n "$base" ]; then
	rm -rf "$o"
	cp -a "$base" "$o"
	rm -f "$o/vmlinux" "$o/vmlinux.map"
	o=$(cd "$o" && pwd)
	frag=$o/accuracy.config
	printf '%s\n' "$@" >>"$frag"
else
	mkdir -p "$o"
	o=$(cd "$o" && pwd)
	frag=$o/accuracy.config
	mk tinyconfig
	cp "$cfgdir/map.config" "$frag"
fi
if [ -z "$base" ] && [ "$tc" = x86_64-thinlto ]; then
	# BUILTIN_MODULE_RANGES `depends on !LTO` (6.12): an LTO kernel has no vmlinux.o.map
	sed -i '/^CONFIG_BUILTIN_MODULE_RANGES=/d' "$frag"
	printf '# CONFIG_LTO_NONE is not set\nCONFIG_LTO_CLANG_THIN=y\n' >>"$frag"
	echo CONFIG_DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT=y >>"$frag"
fi
"$src/scripts/kconfig/merge_config.sh" -m -O "$o" "$o/.config" "$frag" >/dev/null
mk olddefconfig
# An option the tree's Kconfig does not define (BUILTIN_MODULE_RANGES before 6.12) is dropped
# by olddefconfig, as map.config says; any other that did not take is an error.
grep -o '^CONFIG_[A-Z0-9_]*=y' "$frag" | while read -r want; do
	sym=${want%=y}
	grep -rqx --include='Kconfig*' "config ${sym#CONFIG_}" "$src" || continue
	grep -qx "$want" "$o/.config" || { echo "build-kernel.sh: $want did not take in $o/.config" >&2; exit 1; }
done
nice -n 19 make -s -C "$src" O="$o" "${args[@]}" LOCALVERSION= -j"${JOBS:-2}" vmlinux
test -f "$o/vmlinux.map" || { echo "build-kernel.sh: no $o/vmlinux.map" >&2; exit 1; }
