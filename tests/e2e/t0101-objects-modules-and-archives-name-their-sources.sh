#!/usr/bin/env bash
# Relocatable objects as a kernel build leaves them: a .o compiled from the tree's root (as
# kbuild compiles), a module linked from two of them with ld -r (as kbuild links a .ko), and
# an archive of them (lib.a). Their DWARF holds relocations still to apply; libdwarf applies
# them, so --by file names each symbol's source file (not the compile directory, not the
# other object's file), on x86_64 and arm64. An archive's listing sums over its members, its
# sizes are the members' summed (readelf says which sections are allocated), and diff of two
# archives is diff of the modules linked from the same objects. On riscv64 Debian 12's
# libdwarf has no relocations: one warning, symbols without files, exit 0.
. "$(dirname "$0")/lib.sh"

src=$SCRATCH/src
mkdir -p "$src/drivers/foo" "$src/lib"
# data at offset 0 of .data and .rodata in both objects, so that addresses left unrelocated
# (or sections not laid out) would give one object's symbols the other's file
cat >"$src/drivers/foo/foo_main.c" <<'C'
int main_count = 1;
static const int main_table[4] = { 1, 2, 3, 4 };
int main_entry(int i) { return main_table[i & 3] + main_count; }
C
cat >"$src/drivers/foo/foo_hw.c" <<'C'
int hw_count = 2;
static const char hw_name[16] = "foo hardware";
static int hw_state[64];
int hw_poke(int i) { hw_state[i & 63] += hw_count + hw_name[i & 15]; return hw_state[(i + 1) & 63]; }
C
cat >"$src/lib/extra.c" <<'C'
int extra_value = 7;
int extra_twice(int x) { return 2 * x + extra_value; }
C

# build ARCH-PREFIX OUT DWARF: the objects, compiled from the tree's root, the module, the archive
build() {
	local cc=${1}gcc ld=${1}ld ar=${1}ar out=$2 f
	mkdir -p "$out"
	for f in drivers/foo/foo_main drivers/foo/foo_hw lib/extra; do
		(cd "$src" && $cc -g"$3" -O2 -fno-asynchronous-unwind-tables -c "$f.c" \
			-o "$out/$(basename $f).o")
	done
	$ld -r -o "$out/foo.ko" "$out/foo_main.o" "$out/foo_hw.o"
	rm -f "$out/libfoo.a"
	$ar rcs "$out/libfoo.a" "$out/foo_main.o" "$out/foo_hw.o" "$out/extra.o"
}
# files IMAGE: "symbol file" for each symbol row of syms --json
files() {
	"$KBLOAT" syms --json "$1" >"$SCRATCH/j" 2>"$SCRATCH/err"
	pyjson "$SCRATCH/j" 'print("\n".join("%s %s" % (r["name"], r["file"]) for r in d["rows"] if not r.get("gap")))'
}
# the file each symbol is defined in, as this script wrote them
want_file() {
	case $1 in
	main_*) echo drivers/foo/foo_main.c ;;
	hw_*) echo drivers/foo/foo_hw.c ;;
	extra_*) echo lib/extra.c ;;
	esac
}
# attributed IMAGE WHAT: every symbol row names the file it is defined in
attributed() {
	local n=0 sym file bad=
	while read -r sym file; do
		n=$((n + 1))
		[ "$file" = "$(want_file "$sym")" ] || bad="$bad $sym:$file"
	done < <(files "$1")
	check "$2: every symbol names its own source file (${bad:-all $n})" \
		test -z "$bad" -a "$n" -ge 3
	check "$2: no warning" test ! -s "$SCRATCH/err"
}
# alloc_bytes OBJ...: the bytes of their allocated sections, as readelf lists them
alloc_bytes() {
	local f
	for f; do readelf -SW "$f"; done | python3 -c '
import re, sys
total = 0
for line in sys.stdin:
    m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+(\S*)", line)
    if m and m.group(2) != "NULL" and "A" in m.group(4):
        total += int(m.group(3), 16)
print(total)'
}

for arch in x86_64: aarch64:aarch64-linux-gnu-; do
	name=${arch%%:*} prefix=${arch#*:}
	if [ -n "$prefix" ] && ! command -v "${prefix}gcc" >/dev/null; then
		fail "$name: ${prefix}gcc is missing (scripts/setup-deps.sh --test installs it)"
		continue
	fi
	for dw in 4 5; do
		out=$SCRATCH/$name-dwarf$dw
		build "$prefix" "$out" "dwarf-$dw"
		attributed "$out/foo_main.o" "$name DWARF $dw .o"
		attributed "$out/foo.ko" "$name DWARF $dw .ko (ld -r of two objects)"
		attributed "$out/libfoo.a" "$name DWARF $dw archive of three objects"
		"$KBLOAT" syms --by file "$out/foo.ko" >"$SCRATCH/byfile"
		# (besides rows of bytes no symbol covers: "[unnamed .text]", the alignment
		# between the two objects' code)
		check "$name DWARF $dw .ko: --by file lists the two sources, no compile directory" \
			test "$(awk '/^ *[0-9]/ && !/\]$/ {print $NF}' "$SCRATCH/byfile" |
				sort | tr '\n' ' ')" = "drivers/foo/foo_hw.c drivers/foo/foo_main.c "
	done
	# the archive's sums are its members'
	out=$SCRATCH/$name-dwarf5
	want=$(alloc_bytes "$out/foo_main.o" "$out/foo_hw.o" "$out/extra.o")
	"$KBLOAT" size "$out/libfoo.a" >"$SCRATCH/size-a.txt"
	got=$(awk 'NR > 1 && NF == 0 {exit} NR > 1 {s += $4} END {print s}' "$SCRATCH/size-a.txt")
	check "$name archive: size is its members' allocated bytes ($got, readelf $want)" \
		test "$got" = "$want"
	# the text is binutils' own: a row per member, "foo_main.o (ex libfoo.a)"
	check "$name archive: size's Berkeley rows are ${prefix}size's, member by member" \
		test "$(sed '/^$/q' "$SCRATCH/size-a.txt" | sed '$d')" = "$("${prefix}size" "$out/libfoo.a")"
	check "$name archive: the class rows are the members' too, summing to the same" \
		test "$(awk 'f && NF {s += $8; n++} /^ *text  *rodata/ {f = 1} END {print n, s}' \
			"$SCRATCH/size-a.txt")" = "3 $want"
	# size --json lists the members as binutils size does ("foo_main.o (ex libfoo.a)" rows),
	# each with its own Berkeley split, summing to the archive's
	"$KBLOAT" size --json "$out/libfoo.a" >"$SCRATCH/size-a.json"
	"${prefix}size" "$out/libfoo.a" | awk 'NR > 1 {print $1, $2, $3, $4, $6}' >"$SCRATCH/size-a.bu"
	check "$name archive: size --json lists each member's split as ${prefix}size does" \
		test "$(pyjson "$SCRATCH/size-a.json" 'print("\n".join("%d %d %d %d %s" % (m["berkeley"]["text"],
	m["berkeley"]["data"], m["berkeley"]["bss"], m["berkeley"]["dec"],
	m["file"].split("(")[1].rstrip(")")) for m in d["images"][0]["members"]))')" = \
		"$(cat "$SCRATCH/size-a.bu")"
	check "$name archive: three members, summing to the archive" pyjson "$SCRATCH/size-a.json" '
a = d["images"][0]
assert len(a["members"]) == 3, len(a["members"])
assert sum(m["total"] for m in a["members"]) == a["total"]
for c in a["classes"]:
    assert sum(m["classes"][c] for m in a["members"]) == a["classes"][c], c'
	total=$("$KBLOAT" syms "$out/libfoo.a" | sed -n 's/^Total: \([0-9]*\) bytes.*/\1/p')
	check "$name archive: the listing sums to the same ($total)" test "$total" = "$want"
	for m in foo_main foo_hw extra; do
		"$KBLOAT" syms --by file "$out/$m.o" | awk '/^ *[0-9]/ && !/\]$/'
	done | sort >"$SCRATCH/members"
	"$KBLOAT" syms --by file "$out/libfoo.a" | awk '/^ *[0-9]/ && !/\]$/' | sort \
		>"$SCRATCH/archive"
	check "$name archive: each source file's row is its member's" \
		cmp "$SCRATCH/members" "$SCRATCH/archive"
done

# diff of archives: the symbols of their members, as diff of the modules of the same objects
out=$SCRATCH/x86_64-dwarf5 out2=$SCRATCH/x86_64-grown
sed -i 's/main_table\[4\] = { 1, 2, 3, 4 }/main_table[64] = { 1, 2, 3, 4 }/' \
	"$src/drivers/foo/foo_main.c"
build "" "$out2" dwarf-5
ar rcs "$SCRATCH/old.a" "$out/foo_main.o" "$out/foo_hw.o"
ar rcs "$SCRATCH/new.a" "$out2/foo_main.o" "$out2/foo_hw.o"
"$KBLOAT" diff "$SCRATCH/old.a" "$SCRATCH/new.a" >"$SCRATCH/diff-a"
"$KBLOAT" diff "$out/foo.ko" "$out2/foo.ko" >"$SCRATCH/diff-ko"
check "diff of two archives: the grown table, +240 bytes" \
	grep -q "^main_table  *16  *256  *+240$" "$SCRATCH/diff-a"
check "diff of two archives: what diff of the two modules says" \
	cmp <(grep -v '^Total' "$SCRATCH/diff-a") <(grep -v '^Total' "$SCRATCH/diff-ko")

# riscv64: Debian 12's libdwarf cannot relocate RISC-V DWARF; one warning, no crash
if command -v riscv64-linux-gnu-gcc >/dev/null; then
	build riscv64-linux-gnu- "$SCRATCH/riscv64" dwarf-5
	rc=0
	"$KBLOAT" syms --by file "$SCRATCH/riscv64/foo.ko" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
	check "riscv64 .ko: exit 0 and one warning naming the module" bash -c \
		"[ $rc -eq 0 ] && [ \$(wc -l <'$SCRATCH/err') -eq 1 ] && grep -q 'foo.ko: cannot read DWARF' '$SCRATCH/err'"
	check "riscv64 .ko: its sizes are still read" \
		test "$("$KBLOAT" size "$SCRATCH/riscv64/foo.ko" | awk 'NR == 2 {print $4}')" = \
		"$(alloc_bytes "$SCRATCH/riscv64/foo.ko")"
else
	fail "riscv64-linux-gnu-gcc is missing (scripts/setup-deps.sh --test installs it)"
fi
done_testing
