#!/bin/bash
# kbloat modular on the sample tree (the history's newest commit) with a few more options,
# so that every kind of answer has a case:
#   EXT4_FS_XATTR   bool member of the composite ext4.o (which this kbuild links with ld -r,
#                   so the map names ext4.o): goes where EXT4_FS (tristate) goes
#   PRINTK_TIME     bool, an ifdef CONFIG_PRINTK_TIME block in kernel/printk/Makefile
#   BLK_DEV_INTEGRITY bool under block/, selects CRC16 (tristate, no prompt): CRC16 stays y
#   block/bio.o     obj-y under core-$(CONFIG_BLOCK): BLOCK's, and mm/swap.o (core) calls it
#   RTC_LIB         tristate without a prompt, default y: stays y
#   LIBEXT4         the same, but depends on EXT4_FS: the default follows EXT4_FS to m
#   JA, JB          tristates; JOINT (bool) depends on JA=y || JB=y: one stays, the other can go
#   SERIAL_CONSOLE  bool, depends on SERIAL_8250=y: SERIAL_8250 stays y
#   dummy_core.o    obj-$(subst m,y,$(CONFIG_DUMMY)): built in though DUMMY=m
# Checked exactly: every object's category and owner, every object's bytes against the
# linker map (summed here by awk), lists and sums against the objects, totals against
# size(1), the candidates and what keeps the others built in; --by dir and subsystem
# regroup the same bytes; --db finds a collector's build; bad input fails in one line.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
tree=$SCRATCH/tree obj=$SCRATCH/obj
mkdir -p "$tree" "$obj"
git -C "$HISTORY/repo" archive main | tar -x -C "$tree"

add() { # add FILE TEXT: append a line (or lines) to FILE of the tree
	mkdir -p "$(dirname "$tree/$1")"
	printf '%s\n' "$2" >>"$tree/$1"
}
add fs/ext4/Kconfig $'\nconfig EXT4_FS_XATTR\n\tbool "Ext4 extended attributes"\n\tdepends on EXT4_FS\n\tdefault y'
add fs/ext4/Makefile 'ext4-$(CONFIG_EXT4_FS_XATTR) += xattr.o'
add fs/ext4/xattr.c $'#include <linux/kernel.h>\nstatic const char names[64][16] = { "user", "trusted", "security" };\nint ext4_xattr_index(const char *n) { int i; for (i = 0; i < 64; i++) if (names[i][0] == n[0]) return i; return -1; }'
add init/Kconfig $'\nconfig PRINTK_TIME\n\tbool "Show timing information on printks"\n\tdefault y'
add kernel/printk/Makefile $'ifdef CONFIG_PRINTK_TIME\nobj-y += printk_time.o\nendif'
add kernel/printk/printk_time.c $'#include <linux/kernel.h>\nunsigned long long printk_time_base[32];\nunsigned long long printk_time_ns(int i) { return printk_time_base[i & 31] * 1000; }'
add block/Kconfig $'\nconfig BLK_DEV_INTEGRITY\n\tbool "Block layer data integrity support"\n\tdepends on BLOCK\n\tdefault y\n\tselect CRC16'
add block/Makefile $'obj-y += bio.o\nobj-$(CONFIG_BLK_DEV_INTEGRITY) += integrity.o'
add block/bio.c $'#include <linux/kernel.h>\nint submit_bio(unsigned int major, u64 sector, unsigned int nr, bool write);\nint bio_submit_page(u64 sector) { return submit_bio(8, sector, 8, true); }'
add block/integrity.c $'#include <linux/kernel.h>\nu16 crc16(u16 crc, const u8 *p, unsigned long len);\nu16 blk_integrity_csum(const u8 *p) { return crc16(0, p, 512); }'
add mm/Makefile 'obj-y += swap.o'
add mm/swap.c $'#include <linux/kernel.h>\nint bio_submit_page(u64 sector);\nint swap_writepage(u64 slot)\n{\n#ifdef CONFIG_BLOCK\n\treturn bio_submit_page(slot * 8);\n#else\n\treturn -1;\n#endif\n}'
add lib/Kconfig $'\nconfig CRC16\n\ttristate\n\nconfig RTC_LIB\n\ttristate\n\tdefault y\n\nconfig LIBEXT4\n\ttristate\n\tdefault y\n\tdepends on EXT4_FS'
add lib/Makefile $'obj-$(CONFIG_CRC16) += crc16.o\nobj-$(CONFIG_RTC_LIB) += rtc.o\nobj-$(CONFIG_LIBEXT4) += libext4.o'
add lib/Kconfig $'\nconfig JA\n\ttristate "ja"\n\tdefault y\n\nconfig JB\n\ttristate "jb"\n\tdefault y\n\nconfig JOINT\n\tbool "needs one of them built in"\n\tdefault y\n\tdepends on JA=y || JB=y'
add lib/Makefile $'obj-$(CONFIG_JA) += ja.o\nobj-$(CONFIG_JB) += jb.o'
add lib/ja.c $'int ja_count;'
add lib/jb.c $'int jb_count;'
add lib/libext4.c $'#include <linux/kernel.h>\nint libext4_magic(void) { return 0xef53; }'
add lib/crc16.c $'#include <linux/kernel.h>\nstatic const u16 crc16_table[256] = { 0x0000, 0xc0c1, 0xc181 };\nu16 crc16(u16 crc, const u8 *p, unsigned long len) { while (len--) crc = (crc >> 8) ^ crc16_table[(crc ^ *p++) & 0xff]; return crc; }'
add lib/rtc.c $'#include <linux/kernel.h>\nstatic const unsigned char rtc_days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };\nint rtc_month_days(unsigned int m) { return rtc_days_in_month[m % 12]; }'
add drivers/tty/Kconfig $'\nconfig SERIAL_CONSOLE\n\tbool "Console on 8250/16550 serial port"\n\tdepends on SERIAL_8250=y\n\tdefault y'
add drivers/tty/Makefile 'obj-$(CONFIG_SERIAL_CONSOLE) += serial_console.o'
add drivers/tty/serial_console.c $'#include <linux/kernel.h>\nchar serial_console_name[32] = "ttyS0";'
add drivers/net/Makefile 'obj-$(subst m,y,$(CONFIG_DUMMY)) += dummy_core.o'
add drivers/net/dummy_core.c $'#include <linux/kernel.h>\nint dummy_core_count;'

build() { # build CONFIG-TARGET
	make -s -C "$tree" O="$obj" ARCH=x86_64 "$1" >"$SCRATCH/make.log" 2>&1 &&
		printf 'CONFIG_VMLINUX_MAP=y\nCONFIG_EXPERT=y\n' >>"$obj/.config" &&
		make -s -C "$tree" O="$obj" ARCH=x86_64 olddefconfig >>"$SCRATCH/make.log" 2>&1 &&
		make -s -C "$tree" O="$obj" ARCH=x86_64 -j2 vmlinux >>"$SCRATCH/make.log" 2>&1
}
build defconfig || { cat "$SCRATCH/make.log" >&2; fail "the sample tree builds"; done_testing; }
check "the extra options are on" grep -qx CONFIG_BLK_DEV_INTEGRITY=y "$obj/.config"
check "CRC16 is selected in" grep -qx CONFIG_CRC16=y "$obj/.config"

"$KBLOAT" modular --src "$tree" --build "$obj" --json >"$SCRATCH/m.json" 2>"$SCRATCH/err" ||
	fail "modular --json: $(cat "$SCRATCH/err")"
"$KBLOAT" modular --src "$tree" --build "$obj" --top 0 >"$SCRATCH/m.txt" 2>"$SCRATCH/err" ||
	fail "modular: $(cat "$SCRATCH/err")"

# the linker map's bytes per object, from its input-section lines (the oracle): in each
# placed, allocated output section (with an address; the per-CPU template sits at 0),
# " .insec ADDR SIZE OBJECT" (the name may sit alone on the line before)
python3 - "$obj/vmlinux.map" >"$SCRATCH/map-bytes" <<'PY'
import os, sys
sys.path.insert(0, os.environ["TESTS_SRC"] + "/e2e")
from kbmap import map_spans
bytes_ = {}
for lo, hi, o in map_spans(sys.argv[1])[0]:
	bytes_[o] = bytes_.get(o, 0) + hi - lo
for o in sorted(bytes_):
	if bytes_[o]:
		print(o, bytes_[o])
PY

cat >"$SCRATCH/expect" <<'EOF'
arch/x86/kernel/head.o core -
arch/x86/kernel/setup.o core -
block/bdev.o bool BLOCK
block/bio.o bool BLOCK
block/integrity.o bool BLK_DEV_INTEGRITY
drivers/net/dummy_core.o bool DUMMY
drivers/tty/serial.o tristate SERIAL_8250
drivers/tty/serial_console.o bool SERIAL_CONSOLE
drivers/watchdog/softdog.o tristate SOFT_WATCHDOG
fs/ext4/ext4.o tristate EXT4_FS
init/main.o core -
init/version.o core -
kernel/fork.o core -
kernel/module.o bool MODULES
kernel/panic.o core -
kernel/printk/printk.o core -
kernel/printk/printk_time.o bool PRINTK_TIME
kernel/sched.o core -
lib/crc16.o tristate CRC16
lib/crc32.o tristate CRC32
lib/crc_big.o core -
lib/ja.o tristate JA
lib/jb.o tristate JB
lib/libext4.o tristate LIBEXT4
lib/rtc.o tristate RTC_LIB
lib/sort.o core -
lib/string.o core -
lib/vsprintf.o core -
mm/page_alloc.o core -
mm/swap.o core -
net/socket.o bool NET
EOF
pyjson "$SCRATCH/m.json" '
for o in sorted(d["objects"], key=lambda o: o["object"]):
	if o["bytes"]:
		print(o["object"], o["category"], o["owner"] or "-")' >"$SCRATCH/got"
check "each object: its category and owner ($(diff "$SCRATCH/expect" "$SCRATCH/got" | tr '\n' ' '))" \
	cmp -s "$SCRATCH/expect" "$SCRATCH/got"
pyjson "$SCRATCH/m.json" '
for o in sorted(d["objects"], key=lambda o: o["object"]):
	if o["bytes"]:
		print(o["object"], o["bytes"])' >"$SCRATCH/got-bytes"
check "each object's bytes are the map's ($(diff "$SCRATCH/map-bytes" "$SCRATCH/got-bytes" | head -4 | tr '\n' ' '))" \
	cmp -s "$SCRATCH/map-bytes" "$SCRATCH/got-bytes"

total=$(size "$obj/vmlinux" | awk 'NR == 2 { print $4 }')
check "the kernel proper is size(1)'s total" pyjson "$SCRATCH/m.json" "assert d['total'] == $total, d['total']"
check "objects, fill and linker-made bytes sum to the total, per class" pyjson "$SCRATCH/m.json" '
a = d["attribution"]
for c, v in d["classes"].items():
	s = sum(a[k][c] for k in ("tristate", "bool", "core", "unknown", "fill", "linker"))
	assert s == v, (c, s, v)'
check "the chain of the composite fs/ext4/ext4.o (ld -r of super.o, inode.o, xattr.o): ext4.o, ext4/, fs/" pyjson "$SCRATCH/m.json" '
o = [o for o in d["objects"] if o["object"] == "fs/ext4/ext4.o"][0]
got = [(s["kind"], s["option"], s["name"]) for s in o["chain"]]
assert got == [("obj", "EXT4_FS", "ext4.o"), ("dir", "EXT4_FS", "ext4/"), ("dir", None, "fs/")], got
assert o["module"] == "fs/ext4/ext4", o'
check "printk_time.o: obj-y inside ifdef CONFIG_PRINTK_TIME" pyjson "$SCRATCH/m.json" '
o = [o for o in d["objects"] if o["object"] == "kernel/printk/printk_time.o"][0]
assert [(s["kind"], s["option"]) for s in o["chain"]][:2] == [("obj", None), ("cond", "PRINTK_TIME")], o["chain"]'

# the lists: keys, reasons, bytes as the objects' sums
check "(1) candidates: EXT4_FS, CRC32 (selected by EXT4_FS, a candidate), LIBEXT4 (default y, follows EXT4_FS), SOFT_WATCHDOG" \
	pyjson "$SCRATCH/m.json" '
got = sorted(r["key"] for r in d["tristate_candidates"]["rows"])
assert got == ["CRC32", "EXT4_FS", "JB", "LIBEXT4", "SOFT_WATCHDOG"], got
crc = [r for r in d["tristate_candidates"]["rows"] if r["key"] == "CRC32"][0]
assert crc["selected_by"] == ["EXT4_FS"], crc'
check "tristates kept built in, each with why" pyjson "$SCRATCH/m.json" '
got = {r["key"]: [(w["kind"], w["who"]) for w in r["why"]] for r in d["tristate_kept"]["rows"]}
assert got == {"JA": [("needed-y-by", "JOINT")], "RTC_LIB": [("no-prompt-default-y", None)],
	       "SERIAL_8250": [("needed-y-by", "SERIAL_CONSOLE")]}, got'
check "tristates only (2) keeps built in go with it: CRC16 (selected by BLK_DEV_INTEGRITY alone)" \
	pyjson "$SCRATCH/m.json" '
got = {r["key"]: [(w["kind"], w["who"]) for w in r["why"]] for r in d["tristate_freed"]["rows"]}
assert got == {"CRC16": [("selected-by", "BLK_DEV_INTEGRITY")]}, got'
check "(2) candidates: bools no built-in code uses" pyjson "$SCRATCH/m.json" '
got = sorted(r["key"] for r in d["bool_candidates"]["rows"])
assert got == ["BLK_DEV_INTEGRITY", "NET", "PRINTK_TIME", "SERIAL_CONSOLE"], got'
check "bools kept: BLOCK (mm/swap.o calls bio_submit_page), DUMMY (\$(subst m,y,...))" \
	pyjson "$SCRATCH/m.json" '
got = {r["key"]: [(w["kind"], w["who"], w["detail"]) for w in r["why"]] for r in d["bool_kept"]["rows"]}
assert got["BLOCK"] == [("used-by", "mm/swap.o", "bio_submit_page")], got
assert [w[0] for w in got["DUMMY"]] == ["built-in-by-makefile"], got
assert "MODULES" in got, got'
check "nm agrees: mm/swap.o needs bio_submit_page, block/bio.o defines it" \
	test "$(nm -u "$obj/mm/swap.o" | awk '{print $2}')$(nm --defined-only "$obj/block/bio.o" | awk '$2 == "T" {print $3}')" = \
	"bio_submit_pagebio_submit_page"
check "every list's bytes are the sum of its rows and of its objects" pyjson "$SCRATCH/m.json" '
objs = {o["object"]: o for o in d["objects"]}
for name in ("tristate_candidates", "tristate_kept", "bool_candidates", "tristate_freed", "bool_kept",
	     "core", "unknown"):
	l = d[name]
	assert l["bytes"] == sum(r["bytes"] for r in l["rows"]), name
	assert l["objects"] == sum(r["objects"] for r in l["rows"]), name
for r in d["tristate_candidates"]["rows"] + d["bool_kept"]["rows"]:
	assert r["bytes"] == sum(o["bytes"] for o in d["objects"] if o["owner"] == r["key"]), r["key"]
core = sum(o["bytes"] for o in d["objects"] if o["category"] == "core")
linker = sum(d["attribution"]["fill"].values()) + sum(d["attribution"]["linker"].values())
assert linker > 0 and d["core"]["bytes"] == core + linker, (d["core"]["bytes"], core, linker)
assert "[linker fill]" in [r["key"] for r in d["core"]["rows"]]'
check "sums: now, (1) as modules, (1) and (2) as modules" pyjson "$SCRATCH/m.json" '
s = d["sums"]
t1 = d["tristate_candidates"]["bytes"]; t2 = d["bool_candidates"]["bytes"] + d["tristate_freed"]["bytes"]
assert s["now"] == d["total"]
assert s["tristate_as_modules"] == d["total"] - t1, s
assert s["tristate_and_bool_as_modules"] == d["total"] - t1 - t2, s
assert t1 > 0 and t2 > 0'
# --fragment: what makes (1) so; merged into the .config and built, the kernel's code and
# data is what "every (1) a module" predicted, byte for byte
"$KBLOAT" modular --src "$tree" --build "$obj" --fragment >"$SCRATCH/frag.config" 2>"$SCRATCH/err" ||
	fail "modular --fragment: $(cat "$SCRATCH/err")"
check "the fragment: MODULES=y and each (1) candidate at m, none kept" pyjson "$SCRATCH/m.json" '
lines = [l for l in open("'"$SCRATCH"'/frag.config").read().splitlines() if not l.startswith("#")]
assert lines[0] == "CONFIG_MODULES=y", lines
m = sorted(l[len("CONFIG_"):-len("=m")] for l in lines[1:])
assert all(l.startswith("CONFIG_") and l.endswith("=m") for l in lines[1:]), lines
cand = sorted(r["key"] for r in d["tristate_candidates"]["rows"])
kept = [r["key"] for r in d["tristate_kept"]["rows"]]
assert set(cand) <= set(m) and not set(kept) & set(m), (m, cand, kept)'
obj_m=$SCRATCH/obj-m
make -s -C "$tree" O="$obj_m" ARCH=x86_64 defconfig >"$SCRATCH/make-m.log" 2>&1 &&
	printf 'CONFIG_VMLINUX_MAP=y\nCONFIG_EXPERT=y\n' >>"$obj_m/.config" &&
	cat "$SCRATCH/frag.config" >>"$obj_m/.config" &&
	make -s -C "$tree" O="$obj_m" ARCH=x86_64 olddefconfig >>"$SCRATCH/make-m.log" 2>&1 &&
	make -s -C "$tree" O="$obj_m" ARCH=x86_64 -j2 vmlinux >>"$SCRATCH/make-m.log" 2>&1 ||
	fail "the sample with the fragment builds: $(tail -n3 "$SCRATCH/make-m.log")"
check "... every candidate is a module there" bash -c 'for k in $(grep -o "^CONFIG_[A-Z0-9_]*=m" "$1" | sed "s/=m//"); do grep -qx "$k=m" "$2" || exit 1; done' - \
	"$SCRATCH/frag.config" "$obj_m/.config"
"$KBLOAT" modular --src "$tree" --build "$obj_m" --json >"$SCRATCH/m-m.json" 2>"$SCRATCH/err" ||
	fail "modular of the built fragment: $(cat "$SCRATCH/err")"
check "... and its code and data is the prediction's" pyjson "$SCRATCH/m.json" '
b = json.load(open("'"$SCRATCH"'/m-m.json"))
want, got = d["code_and_data"]["tristate_as_modules"], b["code_and_data"]["now"]
assert got == want, (got, want)
assert not b["tristate_candidates"]["rows"], b["tristate_candidates"]["rows"]'
# (1)+(2): tests/bench/bool2tri.py makes each bool candidate a tristate in a hard-linked copy
# of the tree; built with those at m too, the code and data is "(1) and (2) as modules"
cp -al "$tree" "$SCRATCH/tree-b2t"
python3 "$TESTS_SRC/bench/bool2tri.py" "$SCRATCH/m.json" "$SCRATCH/tree-b2t" >"$SCRATCH/b2t.config" \
	2>"$SCRATCH/err" || fail "bool2tri.py: $(cat "$SCRATCH/err")"
check "bool2tri.py: every bool candidate converted, the original tree untouched" pyjson "$SCRATCH/m.json" '
import subprocess
want = sorted("CONFIG_%s=m" % r["key"] for r in d["bool_candidates"]["rows"] + d["tristate_freed"]["rows"])
got = sorted(l.strip() for l in open("'"$SCRATCH"'/b2t.config") if l.startswith("CONFIG_"))
assert want == got and want, (want, got)
assert not open("'"$SCRATCH"'/err").read()
assert "\ttristate \"Show timing" in open("'"$SCRATCH"'/tree-b2t/init/Kconfig").read()
assert "\tbool \"Show timing" in open("'"$tree"'/init/Kconfig").read()'
obj_b=$SCRATCH/obj-b2t
make -s -C "$SCRATCH/tree-b2t" O="$obj_b" ARCH=x86_64 defconfig >"$SCRATCH/make-b.log" 2>&1 &&
	printf 'CONFIG_VMLINUX_MAP=y\nCONFIG_EXPERT=y\n' >>"$obj_b/.config" &&
	cat "$SCRATCH/frag.config" "$SCRATCH/b2t.config" >>"$obj_b/.config" &&
	make -s -C "$SCRATCH/tree-b2t" O="$obj_b" ARCH=x86_64 olddefconfig >>"$SCRATCH/make-b.log" 2>&1 &&
	make -s -C "$SCRATCH/tree-b2t" O="$obj_b" ARCH=x86_64 -j2 vmlinux >>"$SCRATCH/make-b.log" 2>&1 ||
	fail "the sample with (1) and (2) at m builds: $(tail -n3 "$SCRATCH/make-b.log")"
"$KBLOAT" modular --src "$SCRATCH/tree-b2t" --build "$obj_b" --json >"$SCRATCH/m-b.json" 2>"$SCRATCH/err" ||
	fail "modular of the (1)+(2) build: $(cat "$SCRATCH/err")"
check "... and its code and data is the prediction's for (1) and (2), but for printk_time.o, which an ifdef (not obj-\$(CONFIG_X)) keeps in" pyjson "$SCRATCH/m.json" '
b = json.load(open("'"$SCRATCH"'/m-b.json"))
cand = {r["key"] for r in d["bool_candidates"]["rows"]}
ifdef = [o for o in d["objects"] if o["owner"] in cand and
	 [s["kind"] for s in o["chain"] if s["option"] == o["owner"]][:1] == ["cond"]]
assert [o["object"] for o in ifdef] == ["kernel/printk/printk_time.o"], ifdef
kept = sum(o["bytes"] - o.get("padding", 0) for o in ifdef)
want, got = d["code_and_data"]["tristate_and_bool_as_modules"], b["code_and_data"]["now"]
assert got == want + kept and want < d["code_and_data"]["tristate_as_modules"], (got, want, kept)
assert not b["bool_candidates"]["rows"], b["bool_candidates"]
assert "kernel/printk/printk_time.o" in [o["object"] for o in b["objects"]]'

check "modules.builtin is read: ext4, serial, crc32 found as tristates" pyjson "$SCRATCH/m.json" '
assert d["modules_builtin"]["entries"] >= 3 and d["modules_builtin"]["found"] >= 3, d["modules_builtin"]'

# modules.builtin.ranges (Linux 6.12+): offsets from the section's start, "= sym" anchors;
# written here from the map for ext4.o's .text and for a module kbloat cannot know
python3 - "$obj/vmlinux.map" >"$obj/modules.builtin.ranges" <<'PY'
import sys
base = ext4 = None
for line in open(sys.argv[1]):
	f = line.split()
	if len(f) >= 3 and f[0] == ".text" and base is None and line[0] == ".":
		base = int(f[1], 16)
	elif len(f) == 4 and f[0] == ".text" and f[3] == "fs/ext4/ext4.o":
		ext4 = (int(f[1], 16) - base, int(f[2], 16))
print(".text 00000000-00000000 = _text")
print(".text %08x-%08x ext4" % (ext4[0], ext4[0] + ext4[1]))
print(".text %08x-%08x nosuch_module" % (ext4[0], ext4[0] + 16))
PY
"$KBLOAT" modular --src "$tree" --build "$obj" --json >"$SCRATCH/r.json" || fail "modular with ranges"
ext4_text=$(pyjson "$SCRATCH/m.json" 'print([o["classes"]["text"] for o in d["objects"] if o["object"] == "fs/ext4/ext4.o"][0])')
check "modules.builtin.ranges: its bytes, and those of modules kbloat found (ext4's text)" \
	pyjson "$SCRATCH/r.json" "r = d['modules_builtin_ranges']; assert r == {'bytes': $ext4_text + 16, 'found': $ext4_text}, r"
rm "$obj/modules.builtin.ranges"

ext4=$(pyjson "$SCRATCH/m.json" 'print([r["bytes"] for r in d["tristate_candidates"]["rows"] if r["key"] == "EXT4_FS"][0])')
check "the text report names EXT4_FS with its bytes" grep -Eq "^ +$ext4 +[0-9]+  EXT4_FS " "$SCRATCH/m.txt"
check "the text report's sums" grep -q "^kernel proper now: *$total$" "$SCRATCH/m.txt"
check "the text report says why SERIAL_8250 stays" grep -q "SERIAL_CONSOLE (bool, y) depends on it being y" "$SCRATCH/m.txt"

for by in dir subsystem; do
	"$KBLOAT" modular --src "$tree" --build "$obj" --by $by --json >"$SCRATCH/$by.json" ||
		fail "--by $by"
	check "--by $by: the same bytes in each list" python3 -c "
import json
a = json.load(open('$SCRATCH/m.json')); b = json.load(open('$SCRATCH/$by.json'))
for k in ('tristate_candidates', 'bool_candidates', 'core'):
	assert a[k]['bytes'] == b[k]['bytes'], k
keys = [r['key'] for r in b['tristate_candidates']['rows']]
assert ('fs/ext4' if '$by' == 'dir' else 'EXT4 FILE SYSTEM') in keys, keys"
done

# a tinyconfig build: no MODULES, said so; the numbers still reconcile
rm -rf "$obj" && mkdir -p "$obj"
build tinyconfig || fail "tinyconfig builds"
"$KBLOAT" modular --src "$tree" --build "$obj" >"$SCRATCH/tiny.txt" 2>&1 || fail "modular on tinyconfig"
check "tinyconfig: the report says MODULES is off" grep -q "CONFIG_MODULES is not set" "$SCRATCH/tiny.txt"
check "tinyconfig: the serial driver could be a module" grep -Eq "^ +[0-9]+ +[0-9]+  SERIAL_8250 " "$SCRATCH/tiny.txt"

# a build directory without its object files: said, not silently "no users"
mkdir "$SCRATCH/imgonly" && cp "$obj/vmlinux" "$obj/vmlinux.map" "$obj/.config" "$SCRATCH/imgonly/"
"$KBLOAT" modular --src "$tree" --build "$SCRATCH/imgonly" >"$SCRATCH/imgonly.txt" 2>&1 ||
	fail "modular without object files"
check "without object files, the report says (2) cannot see users" grep -q \
	"^note: 0 of [0-9]* object files read" "$SCRATCH/imgonly.txt"

# --db: the build directory and tree of a collector
db=$SCRATCH/k.db
"$KBLOAT" collect --repo "$HISTORY/repo" --range main~1..main --first-parent --db "$db" -j2 \
	--config defconfig >/dev/null 2>"$SCRATCH/err" || fail "collect: $(tail -n2 "$SCRATCH/err")"
"$KBLOAT" modular --db "$db" --config defconfig --arch x86_64 --json >"$SCRATCH/db.json" 2>"$SCRATCH/err" ||
	fail "modular --db: $(cat "$SCRATCH/err")"
check "--db: the collector's defconfig build, EXT4_FS a candidate" pyjson "$SCRATCH/db.json" '
assert d["build"].endswith("k.db.work/build/defconfig-x86_64"), d["build"]
assert "EXT4_FS" in [r["key"] for r in d["tristate_candidates"]["rows"]]'

# bad input: one line naming the thing, exit 2
fails() { # fails WHAT PATTERN ARGS...: kbloat modular ARGS exits 2 with one line matching
	local what=$1 pattern=$2 rc=0
	shift 2
	"$KBLOAT" modular "$@" >/dev/null 2>"$SCRATCH/err" || rc=$?
	if [ $rc -ne 2 ] || [ "$(wc -l <"$SCRATCH/err")" -ne 1 ] || ! grep -q -- "$pattern" "$SCRATCH/err"; then
		fail "$what: exit $rc, $(head -c 300 "$SCRATCH/err")"
	else
		ok
	fi
}
fails "a missing build directory" "$SCRATCH/nope" --src "$tree" --build "$SCRATCH/nope"
cp -r "$db.work/build/defconfig-x86_64" "$SCRATCH/nomap" && rm "$SCRATCH/nomap/vmlinux.map"
fails "no map: naming it and the option that writes it" "vmlinux.map: .*CONFIG_VMLINUX_MAP" \
	--src "$tree" --build "$SCRATCH/nomap"
cp "$db.work/build/defconfig-x86_64/vmlinux.map" "$SCRATCH/nomap/"
echo "not an ELF" >"$SCRATCH/nomap/vmlinux"
fails "a vmlinux that is not an ELF" "nomap/vmlinux" --src "$tree" --build "$SCRATCH/nomap"
cp "$db.work/build/defconfig-x86_64/vmlinux" "$SCRATCH/nomap/"
head -c 3000 "$db.work/build/defconfig-x86_64/vmlinux.map" >"$SCRATCH/nomap/vmlinux.map"
fails "a truncated map" "vmlinux.map" --src "$tree" --build "$SCRATCH/nomap"
# linked from vmlinux.o (an LTO kernel) and no vmlinux.o.map to resolve it: no object to sum
sed -E 's/^( [^ ]* +0x[0-9a-f]+ +0x[0-9a-f]+ )[^ ]+\.o\)?$/\1vmlinux.o/' \
	"$db.work/build/defconfig-x86_64/vmlinux.map" >"$SCRATCH/nomap/vmlinux.map"
check "the vmlinux.o map names vmlinux.o" grep -q ' vmlinux\.o$' "$SCRATCH/nomap/vmlinux.map"
fails "a map naming vmlinux.o, no vmlinux.o.map" \
	"vmlinux.map: vmlinux was linked from vmlinux.o and no vmlinux.o.map .*modular prediction needs" \
	--src "$tree" --build "$SCRATCH/nomap"
mkdir "$SCRATCH/bare" && cp "$tree/MAINTAINERS" "$SCRATCH/bare/"
fails "a tree without Kconfig" "Kconfig" --src "$SCRATCH/bare" --build "$obj"
fails "--by colour" "colour" --src "$tree" --build "$obj" --by colour
done_testing
