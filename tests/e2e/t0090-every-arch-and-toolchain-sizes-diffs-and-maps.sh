#!/usr/bin/env bash
# On every architecture and toolchain kernels are built with, kbloat size is binutils size,
# kbloat diff is the kernel's own scripts/bloat-o-meter of the version the pair says it is
# (6.1's and 6.12's scripts, from Debian's linux-source-6.1 and -6.12), and the linker map
# and DWARF attribute each symbol to the file that defines it. The test builds a small
# kernel-shaped tree (tests/fixtures/toolchains: weak symbols, small data, numbered statics,
# literals ThinLTO promotes) twice, KB_V2 changing it, with each toolchain:
#   gcc       x86_64 gcc and GNU ld
#   riscv64   gcc-riscv64-linux-gnu, -msmall-data-limit=8 (.sdata, .sbss, .srodata)
#   aarch64   gcc-aarch64-linux-gnu
#   clang     clang and ld.lld, -ffunction-sections: the lld map
#   thinlto   clang -flto=thin and ld.lld: NAME.llvm.HASH symbols; and linked as kbuild links
#             an LTO kernel: through vmlinux.o, with an assembler object that stays ELF
. "$(dirname "$0")/lib.sh"

src=$TESTS_SRC/fixtures/toolchains

# --- the two scripts: extracted once from Debian's tarballs, kept in the build tree -----
extract_bom() { # extract_bom SERIES OUT
	local tarball=/usr/src/linux-source-$1.tar.xz
	[ -s "$2" ] && return 0
	[ -f "$tarball" ] || return 1
	tar -xJf "$tarball" --wildcards '*/scripts/bloat-o-meter' -O >"$2.tmp" && mv "$2.tmp" "$2"
}
bom61=$KB_BUILD/bloat-o-meter
bom612=$KB_BUILD/bloat-o-meter-6.12
skipped=()
extract_bom 6.1 "$bom61" || skipped+=("6.1's scripts/bloat-o-meter (Debian's linux-source-6.1)")
extract_bom 6.12 "$bom612" || skipped+=("6.12's scripts/bloat-o-meter (Debian's linux-source-6.12)")

# --- the toolchains ----------------------------------------------------------------------
# name: compiler, binutils prefix, compile flags, link flags
declare -A CC PREFIX CFLAGS LDFLAGS
CC[gcc]=gcc PREFIX[gcc]= CFLAGS[gcc]= LDFLAGS[gcc]=
CC[riscv64]=riscv64-linux-gnu-gcc PREFIX[riscv64]=riscv64-linux-gnu-
CFLAGS[riscv64]="-msmall-data-limit=8 -mcmodel=medany" LDFLAGS[riscv64]=
CC[aarch64]=aarch64-linux-gnu-gcc PREFIX[aarch64]=aarch64-linux-gnu- CFLAGS[aarch64]= LDFLAGS[aarch64]=
CC[clang]=clang PREFIX[clang]= CFLAGS[clang]="-ffunction-sections -fdata-sections"
LDFLAGS[clang]=-fuse-ld=lld
CC[thinlto]=clang PREFIX[thinlto]= CFLAGS[thinlto]=-flto=thin LDFLAGS[thinlto]=-fuse-ld=lld
toolchains="gcc riscv64 aarch64 clang thinlto"
objs="init/version.o kernel/sched.o lib/string.o drivers/tty.o"

# build TC VARIANT VERSION [FLAGS...]: $SCRATCH/TC-VARIANT and its map; objects in a
# directory of their own, compiled in the tree and linked by relative names, as kbuild does
build() {
	local tc=$1 v=$2 ver=$3 o dir=$SCRATCH/obj-$1-$2
	shift 3
	for o in $objs; do
		mkdir -p "$dir/$(dirname "$o")"
		# shellcheck disable=SC2086 # flag lists split
		(cd "$src" && ${CC[$tc]} -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
			-fno-asynchronous-unwind-tables -I. -DKB_KVER="\"$ver\"" ${CFLAGS[$tc]} "$@" \
			-c "${o%.o}.c" -o "$dir/$o") || return 1
	done
	# shellcheck disable=SC2086
	(cd "$dir" && ${CC[$tc]} ${CFLAGS[$tc]} ${LDFLAGS[$tc]} -nostdlib -static -no-pie \
		-Wl,-e,start -Wl,-Map="$SCRATCH/$tc-$v.map" -o "$SCRATCH/$tc-$v" $objs)
}

missing=()
for tc in $toolchains; do
	if ! command -v "${CC[$tc]}" >/dev/null || ! command -v "${PREFIX[$tc]}size" >/dev/null ||
		{ [ -n "${LDFLAGS[$tc]}" ] && ! command -v ld.lld >/dev/null; }; then
		missing+=("$tc")
		continue
	fi
	check "$tc: the tree builds" build "$tc" v1 6.12.0 2>"$SCRATCH/$tc.log" &&
		check "$tc: KB_V2 builds" build "$tc" v2 6.12.0 -DKB_V2 2>>"$SCRATCH/$tc.log" ||
		{ cat "$SCRATCH/$tc.log" >&2; missing+=("$tc (did not build)"); }
done
ran=()
for tc in $toolchains; do
	[ -f "$SCRATCH/$tc-v2" ] && ran+=("$tc")
done

# --- size: binutils' own size for the architecture -----------------------------------------
for tc in "${ran[@]}"; do
	for v in v1 v2; do
		"${PREFIX[$tc]}size" "$SCRATCH/$tc-$v" >"$SCRATCH/want"
		"$KBLOAT" size "$SCRATCH/$tc-$v" | sed -n '1,2p' >"$SCRATCH/got"
		check "$tc $v: size matches ${PREFIX[$tc]}size" cmp -s "$SCRATCH/want" "$SCRATCH/got" ||
			diff "$SCRATCH/want" "$SCRATCH/got" >&2 || true
	done
done

# --- diff: each script run with the architecture's nm (its -p), in all four modes --------
# bom_matches SCRIPT TC OLD NEW [KBLOAT OPTIONS...]
bom_matches() {
	local script=$1 tc=$2 old=$3 new=$4 mode rc=0
	shift 4
	for mode in "" -c -d -t; do
		python3 "$script" ${PREFIX[$tc]:+-p "${PREFIX[$tc]}"} $mode "$old" "$new" >"$SCRATCH/want"
		"$KBLOAT" diff $mode "$@" "$old" "$new" >"$SCRATCH/got"
		if ! cmp -s "$SCRATCH/want" "$SCRATCH/got"; then
			echo "--- $script $mode $old $new, kbloat diff $* (+):" >&2
			diff "$SCRATCH/want" "$SCRATCH/got" >&2 || true
			rc=1
		fi
	done
	return $rc
}
pairs="v1:v2 v2:v1"
for tc in "${ran[@]}"; do
	for pair in $pairs; do
		old=$SCRATCH/$tc-${pair%%:*} new=$SCRATCH/$tc-${pair##*:}
		if [ -s "$bom612" ]; then
			check "$tc $pair: diff (the banner says 6.12) matches 6.12's bloat-o-meter" \
				bom_matches "$bom612" "$tc" "$old" "$new"
		fi
		if [ -s "$bom61" ]; then
			check "$tc $pair: diff --bom-version 6.1 matches 6.1's bloat-o-meter" \
				bom_matches "$bom61" "$tc" "$old" "$new" --bom-version 6.1
		fi
	done
done

# the scripts really differ on these pairs (weak symbols), so the checks above can fail
if [ -f "$SCRATCH/gcc-v2" ]; then
	"$KBLOAT" diff --bom-version 6.1 "$SCRATCH/gcc-v1" "$SCRATCH/gcc-v2" >"$SCRATCH/d61"
	"$KBLOAT" diff --bom-version 6.12 "$SCRATCH/gcc-v1" "$SCRATCH/gcc-v2" >"$SCRATCH/d612"
	check "6.12's diff lists the weak function added and the weak table grown" \
		grep -Eq '^arch_late_init +- +[0-9]+ +\+' "$SCRATCH/d612"
	check "6.12's diff lists the weak object removed" grep -q '^sched_old_policy ' "$SCRATCH/d612"
	check "6.1's diff lists no weak symbol" \
		test -z "$(grep -E '^(arch_late_init|sched_weights|sched_old_policy|arch_cpu_idle) ' "$SCRATCH/d61")"
	check "the Total lines differ" test "$(tail -n1 "$SCRATCH/d61")" != "$(tail -n1 "$SCRATCH/d612")"

	# which script: the banner (6.1 here), then --src's Makefile, then --bom-version
	build gcc b61 "6.1.57-kb" && build gcc b61v2 "6.1.57-kb" -DKB_V2
	if [ -s "$bom61" ]; then
		check "a 6.1 banner: diff matches 6.1's bloat-o-meter" \
			bom_matches "$bom61" gcc "$SCRATCH/gcc-b61" "$SCRATCH/gcc-b61v2"
	fi
	mkdir -p "$SCRATCH/tree612"
	printf '# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n' \
		>"$SCRATCH/tree612/Makefile"
	if [ -s "$bom612" ]; then
		check "--src of a 6.12 tree: diff matches 6.12's bloat-o-meter" \
			bom_matches "$bom612" gcc "$SCRATCH/gcc-b61" "$SCRATCH/gcc-b61v2" --src "$SCRATCH/tree612"
		check "--bom-version 6.6: 6.12's text (weak symbols count from 6.6)" \
			bom_matches "$bom612" gcc "$SCRATCH/gcc-b61" "$SCRATCH/gcc-b61v2" --bom-version 6.6
	fi
	if [ -s "$bom61" ]; then
		check "--bom-version 6.5: 6.1's text" \
			bom_matches "$bom61" gcc "$SCRATCH/gcc-v1" "$SCRATCH/gcc-v2" --bom-version 6.5
	fi
	"$KBLOAT" diff --json "$SCRATCH/gcc-b61" "$SCRATCH/gcc-v2" >"$SCRATCH/j"
	check "--json says which script it followed (NEW's banner)" pyjson "$SCRATCH/j" '
assert d["bom_version"] == "6.12" and d["weak"] is True, (d["bom_version"], d["weak"])'
	expect_error 2 "^kbloat: --bom-version 6: not a kernel version" \
		"$KBLOAT" diff --bom-version 6 "$SCRATCH/gcc-v1" "$SCRATCH/gcc-v2"
	expect_error 2 "^kbloat: .*/Makefile: cannot read" \
		"$KBLOAT" diff --src "$SCRATCH" "$SCRATCH/gcc-v1" "$SCRATCH/gcc-v2"
	expect_error 2 "--bom-version and --by exclude each other" \
		"$KBLOAT" diff --by file --bom-version 6.12 "$SCRATCH/gcc-v1" "$SCRATCH/gcc-v2"
fi

# what each case is about is in its images
if [ -f "$SCRATCH/riscv64-v2" ]; then
	riscv64-linux-gnu-readelf -SW "$SCRATCH/riscv64-v2" >"$SCRATCH/secs"
	check "riscv64: the image has small data (.sdata, .sbss)" \
		grep -q ' \.sdata ' "$SCRATCH/secs" && check "riscv64: and .sbss" grep -q ' \.sbss ' "$SCRATCH/secs"
fi
if [ -f "$SCRATCH/thinlto-v2" ]; then
	check "thinlto: ThinLTO promoted symbols to NAME.llvm.HASH" \
		test "$(nm "$SCRATCH/thinlto-v2" | grep -c '\.llvm\.[0-9]')" -ge 3
	check "thinlto: literals became .str.N.llvm.HASH" \
		test "$(nm "$SCRATCH/thinlto-v2" | grep -c ' \.str\.[0-9.]*llvm\.[0-9]')" -ge 2
	"$KBLOAT" diff "$SCRATCH/clang-v1" "$SCRATCH/thinlto-v1" >"$SCRATCH/d"
	python3 "$bom612" "$SCRATCH/clang-v1" "$SCRATCH/thinlto-v1" >"$SCRATCH/want" 2>/dev/null &&
		check "clang -> thinlto: diff matches 6.12's bloat-o-meter" cmp -s "$SCRATCH/want" "$SCRATCH/d"
fi

# --- attribution: the map, then DWARF, name the file each symbol is defined in ----------
export EXPECTED_FILES='{
 "start": "init/version.c", "linux_banner": "init/version.c",
 "arch_cpu_idle": "kernel/sched.c", "schedule": "kernel/sched.c",
 "start_kernel": "kernel/sched.c", "pick_next": "kernel/sched.c",
 "sched_runqueue": "kernel/sched.c", "sched_ticks": "kernel/sched.c",
 "sched_ready": "kernel/sched.c", "sched_weights": "kernel/sched.c",
 "sched_magic": "kernel/sched.c", "idle_count": "kernel/sched.c",
 "kb_state_name": "lib/string.c", "kb_strlen": "lib/string.c",
 "kb_checksum": "lib/string.c", "fold": "lib/string.c", "state_names": "lib/string.c",
 "tty_write": "drivers/tty.c", "tty_lines": "drivers/tty.c", "tty_head": "drivers/tty.c"}'
# attribution JSON PROVENANCE: every row of a known symbol (NAME.N and NAME.llvm.H are
# NAME) has its file, by PROVENANCE; at least 12 such rows; all bytes add up
attribution() {
	PROV=$2 pyjson "$1" '
import os, re
want = json.loads(os.environ["EXPECTED_FILES"])
seen, wrong = 0, []
for r in d["rows"]:
    base = re.sub(r"\.(llvm\.)?[0-9]+$", "", r["name"])
    if base not in want: continue
    seen += 1
    if r["file"] != want[base] or r["provenance"] != os.environ["PROV"]:
        wrong.append("%s: %s by %s" % (r["name"], r["file"], r["provenance"]))
assert not wrong, wrong
assert seen >= 12, seen
assert sum(r["bytes"] for r in d["rows"]) == sum(d["attribution"]["bytes"].values())'
}
for tc in "${ran[@]}"; do
	img=$SCRATCH/$tc-v2
	"$KBLOAT" syms --json --no-map --src "$src" "$img" >"$SCRATCH/j" 2>/dev/null
	check "$tc: DWARF attributes each symbol to its file" attribution "$SCRATCH/j" dwarf-decl
	rc=0
	"$KBLOAT" syms --json --no-dwarf --src "$src" --map "$img.map" "$img" >"$SCRATCH/j" \
		2>"$SCRATCH/err" || rc=$?
	check "$tc: the map is read" test "$rc" = 0 || cat "$SCRATCH/err" >&2
	if [ "$tc" = thinlto ]; then
		# an LTO link's code comes from lto.tmp, no file of the tree: the map names none
		check "$tc: the map of an LTO link names no file" pyjson "$SCRATCH/j" '
assert d["attribution"]["bytes"]["map"] == 0, d["attribution"]'
	else
		check "$tc: the map attributes each symbol to its file" attribution "$SCRATCH/j" map
	fi
	# the share of the bytes that are not padding with a file, for the README's table
	"$KBLOAT" syms --json --src "$src" --map "$img.map" "$img" >"$SCRATCH/j" 2>/dev/null
	TC=$tc pyjson "$SCRATCH/j" '
import os
b = d["attribution"]["bytes"]; proper = sum(b.values()) - b["padding"]
print("%-8s %.1f%% of %d non-padding bytes have a file: %s" % (os.environ["TC"],
      100.0 * (proper - b["none"]) / proper, proper,
      ", ".join("%s %d" % (k, v) for k, v in b.items() if v and k not in ("none", "padding"))))'
done
# --- ThinLTO linked as kbuild links an LTO kernel -----------------------------------------
# kbuild archives the objects (bitcode, and the assembler ones, which stay ELF) into the thin
# vmlinux.a, compiles them in the `ld -r` that makes vmlinux.o, and links vmlinux from
# vmlinux.o alone: its map names vmlinux.o for every byte and no vmlinux.o.map exists
# (BUILTIN_MODULE_RANGES depends on !LTO). vmlinux.o is no file: DWARF places the C code and
# data, and head_64.S's object, read from the build directory's vmlinux.a, places its
# sections (provenance object-sym), the bytes after its local label too.
lto=$SCRATCH/obj-thinlto-kbuild
if [ -f "$SCRATCH/thinlto-v2" ]; then
	cp -r "$SCRATCH/obj-thinlto-v2" "$lto"
	mkdir -p "$lto/arch/x86/kernel"
	(cd "$src" && clang -c arch/x86/kernel/head_64.S -o "$lto/arch/x86/kernel/head_64.o") &&
		(cd "$lto" && ar cDPrST vmlinux.a $objs arch/x86/kernel/head_64.o &&
			ld.lld -r -o vmlinux.o --whole-archive vmlinux.a --no-whole-archive &&
			ld.lld -static -e start -Map=vmlinux.map -o vmlinux vmlinux.o) 2>"$SCRATCH/lto.log"
	check "kbuild-style LTO: linked" test -f "$lto/vmlinux" || cat "$SCRATCH/lto.log" >&2
	check "kbuild-style LTO: the C objects are bitcode, head_64.o is ELF" bash -c "
		[ \"\$(head -c 4 '$lto/kernel/sched.o' | od -An -tx1 | tr -d ' ')\" = 4243c0de ] &&
		[ \"\$(head -c 4 '$lto/arch/x86/kernel/head_64.o' | od -An -tx1 | tr -d ' ')\" = 7f454c46 ]"
	check "kbuild-style LTO: the map names vmlinux.o and no other object" bash -c "
		grep -q 'vmlinux\.o:(' '$lto/vmlinux.map' && ! grep -Eq '[a-z_]+\.o:\(' <(grep -v 'vmlinux\.o:(' '$lto/vmlinux.map')"
	"$KBLOAT" syms --json --src "$src" "$lto" >"$SCRATCH/lto.json" 2>"$SCRATCH/lto.err"
	check "kbuild-style LTO: one warning, no vmlinux.o.map" \
		test "$(grep -c 'warning: .*vmlinux.map: vmlinux was linked from vmlinux.o and no vmlinux.o.map' "$SCRATCH/lto.err")" = 1 ||
		cat "$SCRATCH/lto.err" >&2
	check "kbuild-style LTO: each C symbol by DWARF, no row is vmlinux.o's" attribution "$SCRATCH/lto.json" dwarf-decl
	check "kbuild-style LTO: head_64.S's symbols and unnamed bytes by its object" pyjson "$SCRATCH/lto.json" '
rows = [r for r in d["rows"] if r["file"] == "arch/x86/kernel/head_64.S"]
assert all(r["provenance"] == "object-sym" for r in rows), rows
names = {r["name"]: r["bytes"] for r in rows}
assert names.get("early_idle", 0) > 0 and names.get("early_dynamic_pgts") == 512 and names.get("early_top_pgt") == 4096, names
# its weak tty_write lost to drivers/tty.c'"'"'s: its 3 bytes (xor, ret) are head_64.S'"'"'s, unnamed
assert names.get("[unnamed .text]", 0) >= 3, names
# the .ascii after the local label early_pgts_tail: no sized symbol, its section'"'"'s bytes
assert names.get("[unnamed .data]") == 63, names
assert not [r for r in d["rows"] if (r["file"] or "").endswith("vmlinux.o")]
assert d["attribution"]["bytes"]["map"] == 0, d["attribution"]
assert sum(r["bytes"] for r in d["rows"]) == d["total"] == sum(d["attribution"]["bytes"].values())'
	for by in file dir section class; do
		"$KBLOAT" syms --json --by $by --src "$src" "$lto" >"$SCRATCH/lto-$by.json" 2>/dev/null
		check "kbuild-style LTO: --by $by sums to the total, no vmlinux.o key" pyjson "$SCRATCH/lto-$by.json" '
assert sum(r["bytes"] for r in d["rows"]) == d["total"], d["total"]
assert not [r for r in d["rows"] if "vmlinux.o" in r["key"]], d["rows"]'
	done
	"$KBLOAT" syms --json --no-dwarf --src "$src" "$lto" >"$SCRATCH/lto-nd.json" 2>/dev/null
	check "kbuild-style LTO, no DWARF: the objects alone place head_64.S, nothing else" pyjson "$SCRATCH/lto-nd.json" '
files = {r["file"] for r in d["rows"] if r["file"]}
assert files == {"arch/x86/kernel/head_64.S"}, files'
	# a build directory whose own path holds glob characters is read as it is
	gdir="$SCRATCH/o[b]j *?"
	cp -r "$lto" "$gdir"
	"$KBLOAT" syms --json --src "$src" "$gdir" >"$SCRATCH/lto-glob.json" 2>/dev/null
	check "kbuild-style LTO: a build directory named 'o[b]j *?' places head_64.S the same" \
		test "$(pyjson "$SCRATCH/lto-glob.json" 'print(d["attribution"]["bytes"]["object-sym"])')" = \
		"$(pyjson "$SCRATCH/lto.json" 'v = d["attribution"]["bytes"]["object-sym"]; assert v > 0; print(v)')"
	# the image alone, no build directory: no objects to read
	"$KBLOAT" syms --json --src "$src" --map "$lto/vmlinux.map" "$lto/vmlinux" >"$SCRATCH/lto-img.json" 2>/dev/null
	check "kbuild-style LTO, the image alone: no object read" pyjson "$SCRATCH/lto-img.json" '
assert d["attribution"]["bytes"]["object-sym"] == 0, d["attribution"]'
	TC=thinlto-kbuild pyjson "$SCRATCH/lto.json" '
import os
b = d["attribution"]["bytes"]; proper = sum(b.values()) - b["padding"]
print("%-8s %.1f%% of %d non-padding bytes have a file: %s" % (os.environ["TC"],
      100.0 * (proper - b["none"]) / proper, proper,
      ", ".join("%s %d" % (k, v) for k, v in b.items() if v and k not in ("none", "padding"))))'
fi
check "lld maps were read (clang and thinlto built)" test -f "$SCRATCH/clang-v2.map" -a -f "$SCRATCH/thinlto-v2.map"
check "the clang map is lld's" grep -q '^ *VMA *LMA *Size *Align *Out *In *Symbol' "$SCRATCH/clang-v2.map"

# --- whatever could not run says so, loudly ----------------------------------------------
if [ ${#missing[@]} -gt 0 ] || [ ${#skipped[@]} -gt 0 ]; then
	echo "***************************************************************************" >&2
	for m in "${missing[@]}"; do
		echo "SKIPPED: toolchain $m (scripts/setup-deps.sh --test installs it)" >&2
	done
	for s in "${skipped[@]}"; do
		echo "SKIPPED: no $s (scripts/setup-deps.sh --test); kbloat diff was NOT compared with it" >&2
	done
	echo "***************************************************************************" >&2
	[ "${CI:-}" = true ] && exit 1
	done_testing
	exit 77
fi
done_testing
