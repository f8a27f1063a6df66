#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gen-modular-tree.sh OUT [DIRS] - a kernel-shaped tree and its build at the scale of an
# x86_64 defconfig, for `kbloat modular` (tests/bench/run-modular.sh):
#
#   OUT/src    Kconfig (sourcing one Kconfig per directory: ~16,000 symbols, with depends,
#              selects, defaults, help), Kbuild, arch/x86/{Kconfig,Makefile}, and DIRS
#              directories (default 300) under drivers/ with kbuild Makefiles: a third
#              behind a tristate (obj-$(CONFIG_D7) += d7/), a third behind a bool, a third
#              obj-y; in each, a composite object with a bool-gated member, objects under
#              obj-$(CONFIG_...), obj-y and an ifdef block: 9 objects a directory.
#   OUT/build  .config (every directory's options y), the objects (each calls into the
#              next directory, so there are built-in users to find), vmlinux linked by ld
#              with vmlinux.map, as kbuild's O= directory holds them.
#
# The defaults make 2,700 objects, as linux-6.1's x86_64 defconfig links 2,678. Compiling
# takes a minute on 2 cores; a rerun with the same DIRS reuses OUT.
set -euo pipefail
out=${1:?usage: gen-modular-tree.sh OUT [DIRS]}
dirs=${2:-300}
src=$out/src build=$out/build
if [ -f "$out/DONE" ] && [ "$(cat "$out/DONE")" = "$dirs" ]; then
	exit 0
fi
rm -rf "$src" "$build" "$out/DONE"
mkdir -p "$src/arch/x86" "$src/drivers" "$build"

{
	echo 'mainmenu "Linux/$(SRCARCH) Kernel Configuration"'
	echo 'config MODULES'
	echo '	bool "Enable loadable module support"'
	echo '	modules'
	echo 'source "arch/$(SRCARCH)/Kconfig"'
	echo 'menu "Device Drivers"'
	for ((d = 0; d < dirs; d++)); do echo "source \"drivers/d$d/Kconfig\""; done
	echo 'endmenu'
} >"$src/Kconfig"
printf 'config X86_64\n\tdef_bool y\n\nconfig X86\n\tdef_bool y\n' >"$src/arch/x86/Kconfig"
printf 'core-y += arch/x86/\n' >"$src/arch/x86/Makefile"
printf 'obj-y += drivers/\n' >"$src/Kbuild"
printf 'VERSION = 6\nPATCHLEVEL = 1\n# the top Makefile: the lists are in Kbuild\n' >"$src/Makefile"
{
	printf 'List of maintainers\n===================\n\nMaintainers List\n----------------\n\n'
	for ((d = 0; d < dirs; d += 10)); do
		printf 'DRIVER GROUP %d\nM:\tSomeone <s@example.org>\nS:\tMaintained\n' "$d"
		for ((e = d; e < d + 10 && e < dirs; e++)); do printf 'F:\tdrivers/d%d/\n' "$e"; done
		echo
	done
} >"$src/MAINTAINERS"
{
	echo "# Linux/x86_64 6.1.0 Kernel Configuration"
	echo "CONFIG_MODULES=y"
	echo "CONFIG_X86_64=y"
	echo "CONFIG_X86=y"
} >"$build/.config"

objs=()
for ((d = 0; d < dirs; d++)); do
	dir=$src/drivers/d$d
	mkdir -p "$dir" "$build/drivers/d$d"
	case $((d % 3)) in
	0) type=tristate gate="obj-\$(CONFIG_D$d)" ;;
	1) type=bool gate="obj-\$(CONFIG_D$d)" ;;
	2) type=bool gate="obj-y" ;;
	esac
	echo "$gate += d$d/" >>"$src/drivers/Makefile"
	next=$(((d + 1) % dirs))
	{
		printf 'config D%d\n\t%s "Driver %d"\n\tdepends on X86\n\tdefault y\n' "$d" "$type" "$d"
		[ $((d % 5)) -eq 0 ] && printf '\tselect D%d_LIB\n' "$d"
		printf '\thelp\n\t  Driver %d: a generated option.\n\n' "$d"
		printf 'config D%d_LIB\n\ttristate\n\n' "$d"
		printf 'config D%d_EXTRA\n\tbool "Driver %d extras"\n\tdepends on D%d\n\tdefault y\n\n' "$d" "$d" "$d"
		printf 'config D%d_DEBUG\n\tbool "Driver %d debugging"\n\tdepends on D%d && !D%d_EXTRA\n\n' "$d" "$d" "$d" "$d"
		for ((k = 0; k < 48; k++)); do
			printf 'config D%d_F%d\n\tbool "Feature %d of %d" if D%d_EXTRA || X86_64=y\n\tdefault n\n\thelp\n\t  A feature nobody sets.\n\n' \
				"$d" "$k" "$k" "$d" "$d"
		done
	} >"$dir/Kconfig"
	{
		echo "obj-\$(CONFIG_D$d) += d$d.o"
		echo "d$d-y := core.o ops.o"
		echo "d$d-\$(CONFIG_D${d}_EXTRA) += extra.o"
		echo "obj-\$(CONFIG_D$d) += a.o b.o"
		echo "obj-y += c.o"
		echo "obj-\$(CONFIG_D${d}_LIB) += lib.o"
		echo "ifdef CONFIG_D${d}_EXTRA"
		echo "obj-y += e.o"
		echo "endif"
		echo "obj-\$(CONFIG_D${d}_EXTRA) += f.o"
	} >"$dir/Makefile"
	printf 'CONFIG_D%d=y\nCONFIG_D%d_EXTRA=y\nCONFIG_D%d_LIB=y\n' "$d" "$d" "$d" >>"$build/.config"
	for o in core ops extra a b c lib e f; do
		size=$(((d * 7 + ${#o} * 13) % 64 + 8))
		{
			echo "static int tab[$size * 16] = { 1 };"
			echo "int d${next}_${o}(int x);"
			echo "int d${d}_${o}(int x)"
			echo "{"
			echo "	if (x > $size)"
			echo "		return tab[x & 15];"
			echo "	return d${next}_${o}(x + 1) + tab[x % ($size * 16)];"
			echo "}"
		} >"$dir/$o.c"
		objs+=("drivers/d$d/$o.o")
	done
done

# compile (tree-relative names, as kbuild runs the compiler at the top of the tree)
printf '%s\n' "${objs[@]}" | (cd "$src" && xargs -P "$(nproc)" -I{} sh -c \
	'gcc -O2 -fno-pic -fno-asynchronous-unwind-tables -c "${1%.o}.c" -o "$2/$1"' _ {} "$build")
(cd "$build" && ld -static -nostdlib -e d0_core -Ttext=0xffffffff81000000 -z max-page-size=4096 \
	-Map vmlinux.map -o vmlinux "${objs[@]}")
echo "$dirs" >"$out/DONE"
