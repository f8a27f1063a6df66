# kallsyms_tree.sh - sourced by the tests of the relearnt kallsyms table (t0129, t0130),
# after lib.sh: the sample tree ($tree) with a compressing kallsyms step (the sample's
# plain table rewritten by tests/e2e/kallsyms_compress.py, scripts/kallsyms' learning in
# python), the (1) candidate lib/ks_demo.o (KS_DEMO, long names) and t0052's lib/ks_names.o
# with a function ($long) whose name compresses to over 127 bytes; and build OBJ FILE, which
# builds it as defconfig with the map, the table and FILE's lines. t0129 says why each is so.
require_tools python3 make gcc
. "$TESTS_SRC/e2e/ks_sample.sh"
# and a function whose 314-character name, of letters and digits in no order, stays 128
# bytes or more compressed: its entry's length takes two bytes
long=ks_names_long_$(python3 -c '
import hashlib
a = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
print("".join(a[hashlib.sha256(b"%d" % i).digest()[0] % 62] for i in range(300)))')
add lib/ks_names.c "int $long(void) { return 129; }"
# the compressing step: the plain table, rewritten by the oracle
mv "$tree/scripts/kallsyms.sh" "$tree/scripts/kallsyms-plain.sh"
cp "$TESTS_SRC/e2e/kallsyms_compress.py" "$tree/scripts/"
cat >"$tree/scripts/kallsyms.sh" <<'SH'
#!/bin/sh
# the sample's table (kallsyms-plain.sh) with its names compressed (kallsyms_compress.py)
set -e
here=$(dirname "$0")
plain=$(mktemp)
trap 'rm -f "$plain"' EXIT
sh "$here/kallsyms-plain.sh" "$@" >"$plain"
python3 "$here/kallsyms_compress.py" "$plain"
SH

build() { # build OBJ CONFIG-FILE: defconfig with the map, the kallsyms table and the file's lines
	mkdir -p "$1"
	make -s -C "$tree" O="$1" ARCH=x86_64 defconfig >"$1.log" 2>&1 &&
		printf 'CONFIG_VMLINUX_MAP=y\nCONFIG_EXPERT=y\nCONFIG_KALLSYMS=y\n' >>"$1/.config" &&
		cat "$2" >>"$1/.config" &&
		make -s -C "$tree" O="$1" ARCH=x86_64 olddefconfig >>"$1.log" 2>&1 &&
		make -s -C "$tree" O="$1" ARCH=x86_64 -j2 vmlinux >>"$1.log" 2>&1
}
