#!/bin/bash
# build.sh: builds the Linux guest thinvisor boots (t0041) from Debian's linux-source-6.1
# and prints the directory that holds it: Image (what the guest loads), vmlinux and
# System.map (what kbloat measures), init (the initramfs's /init) and build.log.
#
# The kernel is tinyconfig plus kernels/thinvisor/linux/config, with a built-in initramfs
# holding /dev/console and init.c's /init. Built once, and cached outside the clone in
# ${XDG_CACHE_HOME:-~/.cache}/kbloat/thinvisor-linux/KEY, KEY a hash of the source tarball
# (its size and time), the compiler's version, and this directory's files: a later run with
# the same inputs prints the directory at once. The tarball is unpacked once into src/.
# Env: LINUX_TARBALL (default /usr/src/linux-source-6.1.tar.xz), CROSS_COMPILE (default
# riscv64-linux-gnu-), JOBS (default 2). Needs flex, bison, bc (scripts/setup-deps.sh --test).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tarball=${LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
cc=${CROSS_COMPILE:-riscv64-linux-gnu-}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/kbloat/thinvisor-linux
[ -r "$tarball" ] || { echo "build.sh: no $tarball (linux-source-6.1)" >&2; exit 1; }
for tool in "${cc}gcc" flex bison bc; do
	command -v "$tool" >/dev/null || { echo "build.sh: no $tool" >&2; exit 1; }
done

srckey=$(stat -c '%s %Y' "$tarball" | sha256sum | cut -c1-16)
key=$( (echo "$srckey"; "${cc}gcc" --version | head -n1;
	cat "$here/build.sh" "$here/config" "$here/init.c") | sha256sum | cut -c1-16)
out=$cache/$key
if [ -f "$out/Image" ] && [ -f "$out/vmlinux" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9 # one build at a time; a second caller finds the first's result
if [ -f "$out/Image" ] && [ -f "$out/vmlinux" ]; then
	echo "$out"
	exit 0
fi
src=$cache/src/$srckey
if [ ! -f "$src/.unpacked" ]; then
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	touch "$src/.unpacked"
fi
work=$cache/$key.tmp
rm -rf "$work"
mkdir -p "$work/obj"
{
	# /init: static, no C library, no dynamic linker
	"${cc}gcc" -march=rv64imac -mabi=lp64 -Os -static -nostdlib -ffreestanding -fno-pic \
		-no-pie -Wl,--build-id=none -Wall -Wextra -Werror -o "$work/init" "$here/init.c"
	printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\nfile /init %s 0755 0 0\n' \
		"$work/init" >"$work/initramfs.list"
	sed "s|^CONFIG_INITRAMFS_SOURCE=.*|CONFIG_INITRAMFS_SOURCE=\"$work/initramfs.list\"|" \
		"$here/config" >"$work/config"
	m=(make -C "$src" O="$work/obj" ARCH=riscv CROSS_COMPILE="$cc" -j"${JOBS:-2}")
	# tinyconfig is allnoconfig with kernel/configs/tiny-base.config and tiny.config; the
	# fragment goes with them, so that what it turns on brings no defaults of its own (an
	# olddefconfig after it would turn on EFI, HID and more, all default y)
	cat "$src/kernel/configs/tiny-base.config" "$src/kernel/configs/tiny.config" \
		"$work/config" >"$work/allno.config"
	KCONFIG_ALLCONFIG=$work/allno.config "${m[@]}" allnoconfig
	# every line of the fragment must have held (a misspelt or unmet option would not)
	while IFS= read -r line; do
		case $line in
		CONFIG_*=n) grep -qx "# ${line%=n} is not set" "$work/obj/.config" ;;
		CONFIG_INITRAMFS_SOURCE=*) ;;
		CONFIG_*) grep -qx "$line" "$work/obj/.config" ;;
		*) true ;;
		esac || { echo "build.sh: $line did not hold" >&2; exit 1; }
	done <"$here/config"
	"${m[@]}" Image
} >"$work/build.log" 2>&1 || {
	echo "build.sh: the kernel build failed; the end of $work/build.log:" >&2
	tail -n 20 "$work/build.log" >&2
	exit 1
}
cp "$work/obj/arch/riscv/boot/Image" "$work/obj/vmlinux" "$work/obj/System.map" \
	"$work/obj/.config" "$work"
rm -rf "$work/obj"
mv "$work" "$out"
echo "$out"
