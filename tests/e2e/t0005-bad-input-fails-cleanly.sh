#!/usr/bin/env bash
# Bad input gets one line naming the file and the problem and exit status 2, never a crash;
# DWARF that cannot be read is one warning and a fallback, with exit status 0. Compressed
# inputs (gzip, xz, zstd) that are cut short, corrupt or inflate past the cap, and archives
# with a member that is not a sound ELF, are bad input too.
. "$(dirname "$0")/lib.sh"


good=$FIXTURES/vmlinux-g5
echo "just text" >"$SCRATCH/notelf"
: >"$SCRATCH/empty"
head -c 64 "$good" >"$SCRATCH/trunc-header"
head -c $(($(stat -c %s "$good") / 2)) "$good" >"$SCRATCH/trunc-half"
cp "$good" "$SCRATCH/stripped" && strip -s "$SCRATCH/stripped"
# section header table offset pointing past the end of the file
cp "$good" "$SCRATCH/bad-shoff"
printf '\xff\xff\xff\x7f' | dd of="$SCRATCH/bad-shoff" bs=1 seek=40 conv=notrunc status=none
# symbol table entries naming strings far past the string table
cp "$good" "$SCRATCH/bad-symtab"
read -r symoff symsize < <(readelf -SW "$good" | awk '$2==".symtab" {print $5, $6}')
python3 - "$SCRATCH/bad-symtab" "$((16#$symoff))" "$((16#$symsize))" <<'PY'
import sys
path, off, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "r+b") as f:
    for i in range(1, size // 24):
        f.seek(off + i * 24)
        f.write((0x7ffffff0).to_bytes(4, "little"))
PY

# an allocated section whose size runs past the end of the address space (found by fuzz_elf)
cp "$good" "$SCRATCH/wrapping"
python3 - "$SCRATCH/wrapping" <<'PY'
import struct, sys
path = sys.argv[1]
with open(path, "r+b") as f:
    data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    strtab_off, = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)
    for i in range(shnum):
        hdr = shoff + i * shentsize
        name, = struct.unpack_from("<I", data, hdr)
        if data[strtab_off + name:].split(b"\0", 1)[0] == b".bss":
            f.seek(hdr + 0x20)
            f.write(struct.pack("<Q", 1 << 62))
PY

for cmd in "size" "syms" "diff $good"; do
	expect_error 2 "wrapping: corrupt section header: section .bss wraps" $KBLOAT $cmd "$SCRATCH/wrapping"
	expect_error 2 "notelf: not an ELF file" $KBLOAT $cmd "$SCRATCH/notelf"
	expect_error 2 "empty: not an ELF file" $KBLOAT $cmd "$SCRATCH/empty"
	expect_error 2 "trunc-header: " $KBLOAT $cmd "$SCRATCH/trunc-header"
	expect_error 2 "trunc-half: truncated" $KBLOAT $cmd "$SCRATCH/trunc-half"
	expect_error 2 "bad-shoff: " $KBLOAT $cmd "$SCRATCH/bad-shoff"
	expect_error 2 "nonexistent: No such file" $KBLOAT $cmd "$SCRATCH/nonexistent"
	# a directory is read as a build directory: this one has no vmlinux
	expect_error 2 "$SCRATCH: no vmlinux in this directory" $KBLOAT $cmd "$SCRATCH"
done
# compressed inputs: cut short, corrupt inside, followed by junk, or a bomb past the cap
# (whole files first: a compressor cut off by head dies of SIGPIPE, which pipefail reports)
gzip -c "$good" >"$SCRATCH/whole-gz"
xz -c "$good" >"$SCRATCH/whole-xz"
zstd -q -c "$good" >"$SCRATCH/whole-zst"
head -c 20000 "$SCRATCH/whole-gz" >"$SCRATCH/trunc-gz"
head -c 20000 "$SCRATCH/whole-xz" >"$SCRATCH/trunc-xz"
head -c 20000 "$SCRATCH/whole-zst" >"$SCRATCH/trunc-zst"
cp "$SCRATCH/whole-gz" "$SCRATCH/corrupt-gz"
printf 'kbloat!!' | dd of="$SCRATCH/corrupt-gz" bs=1 seek=4000 conv=notrunc status=none
{ cat "$SCRATCH/whole-gz"; echo "trailing text"; } >"$SCRATCH/junk-after-gz"
xz -c "$TESTS_SRC/fixtures/hello.c" >"$SCRATCH/xz-not-elf"
# 64 MiB of zeros: a 10 KB xz file, over a cap of 1 MiB
head -c 64M /dev/zero | xz -c >"$SCRATCH/bomb-xz"
for cmd in "size" "syms" "diff $good"; do
	expect_error 2 "trunc-gz: truncated or corrupt gzip stream" $KBLOAT $cmd "$SCRATCH/trunc-gz"
	expect_error 2 "trunc-xz: truncated or corrupt xz stream" $KBLOAT $cmd "$SCRATCH/trunc-xz"
	expect_error 2 "trunc-zst: truncated or corrupt zstd stream" $KBLOAT $cmd "$SCRATCH/trunc-zst"
	expect_error 2 "corrupt-gz: truncated or corrupt gzip stream" \
		$KBLOAT $cmd "$SCRATCH/corrupt-gz"
	expect_error 2 "junk-after-gz: 14 bytes after the end of the gzip stream" \
		$KBLOAT $cmd "$SCRATCH/junk-after-gz"
	expect_error 2 "xz-not-elf: not an ELF file" $KBLOAT $cmd "$SCRATCH/xz-not-elf"
	expect_error 2 "bomb-xz: the xz stream decompresses to more than 1048576 bytes \(KBLOAT_DECOMPRESS_LIMIT\)" \
		env KBLOAT_DECOMPRESS_LIMIT=1M $KBLOAT $cmd "$SCRATCH/bomb-xz"
done
expect_error 2 "KBLOAT_DECOMPRESS_LIMIT: 'lots' is not a size" \
	env KBLOAT_DECOMPRESS_LIMIT=lots $KBLOAT size "$SCRATCH/bomb-xz"
# the default cap (4 GiB) lets the 64 MiB through: a bomb is bad only past the cap
expect_error 2 "bomb-xz: not an ELF file" $KBLOAT size "$SCRATCH/bomb-xz"

# archives: a member that is not an ELF, one cut short, the archive cut inside a header
cp "$TESTS_SRC/fixtures/hello.c" "$SCRATCH/notes.o"
ar rcS "$SCRATCH/bad-member.a" "$FIXTURES/hello.o" "$SCRATCH/notes.o" 2>/dev/null
head -c "$(($(stat -c %s "$FIXTURES/hello.o") / 2))" "$FIXTURES/hello.o" >"$SCRATCH/half.o"
ar rcS "$SCRATCH/half-member.a" "$SCRATCH/half.o"
ar rcS "$SCRATCH/whole.a" "$FIXTURES/hello.o" "$FIXTURES/hello.o"
head -c "$(($(stat -c %s "$SCRATCH/whole.a") - 100))" "$SCRATCH/whole.a" >"$SCRATCH/cut.a"
for cmd in "size" "syms" "diff $good"; do
	expect_error 2 "bad-member.a\(notes.o\): not an ELF file" $KBLOAT $cmd "$SCRATCH/bad-member.a"
	expect_error 2 "half-member.a\(half.o\): truncated or corrupt" \
		$KBLOAT $cmd "$SCRATCH/half-member.a"
	expect_error 2 "cut.a(\(hello.o\))?: truncated or corrupt" $KBLOAT $cmd "$SCRATCH/cut.a"
done
# compressed DWARF sections that do not inflate: one warning, attribution by symbols
cp "$FIXTURES/hello.o" "$SCRATCH/zdebug.o"
objcopy --compress-debug-sections=zlib "$SCRATCH/zdebug.o"
read -r off < <(readelf -SW "$SCRATCH/zdebug.o" | awk '$2==".debug_info" {print $5}')
printf '\xff\xff\xff\xff\xff\xff\xff\xff' | dd of="$SCRATCH/zdebug.o" bs=1 \
	seek=$((16#$off + 24)) conv=notrunc status=none
rc=0
"$KBLOAT" syms "$SCRATCH/zdebug.o" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
check "a compressed DWARF section that does not inflate: exit 0" test "$rc" -eq 0
check "a compressed DWARF section that does not inflate: one warning naming it" bash -c \
	"[ \$(wc -l <'$SCRATCH/err') -eq 1 ] && grep -q 'warning: .*zdebug.o: section .debug_info: cannot decompress' '$SCRATCH/err'"

# DWARF compressed the old GNU way (.zdebug_*): said in one warning, not silently skipped
objcopy --compress-debug-sections=zlib-gnu "$FIXTURES/hello.o" "$SCRATCH/gnu.o"
rc=0
"$KBLOAT" syms "$SCRATCH/gnu.o" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
check ".zdebug DWARF: exit 0 and one warning naming the file and the way out" bash -c \
	"[ $rc -eq 0 ] && [ \$(wc -l <'$SCRATCH/err') -eq 1 ] && grep -q 'gnu.o: DWARF compressed the old GNU way (.zdebug_info) is not read (objcopy --decompress-debug-sections' '$SCRATCH/err'"

expect_error 2 "bad-symtab: symbol 1: name outside the string table" $KBLOAT syms "$SCRATCH/bad-symtab"
expect_error 2 "stripped: no symbol table" $KBLOAT syms "$SCRATCH/stripped"
expect_error 2 "stripped: no symbol table" $KBLOAT diff "$good" "$SCRATCH/stripped"

# a map that belongs to another image
expect_error 2 "vmlinux-v2-g5.map: does not belong to .*vmlinux-g5" \
	$KBLOAT syms --map "$FIXTURES/vmlinux-v2-g5.map" "$good"
expect_error 2 "notelf: " $KBLOAT syms --map "$SCRATCH/notelf" "$good"
expect_error 2 "nomap: .*No such file" $KBLOAT syms --map "$SCRATCH/nomap" "$good"

# usage errors
expect_error 2 "--by colour: not one of" $KBLOAT syms --by colour "$good"
expect_error 2 "--top x: not a count" $KBLOAT syms --top x "$good"
expect_error 2 "'frobnicate' is not a kbloat command" $KBLOAT frobnicate
expect_error 2 "exclude each other" $KBLOAT diff -c -t "$good" "$good"

# broken DWARF: one warning, attribution falls back to the map, exit 0
cp "$good" "$SCRATCH/bad-dwarf"
read -r off size < <(readelf -SW "$good" | awk '$2==".debug_info" {print $5, $6}')
python3 - "$SCRATCH/bad-dwarf" "$((16#$off))" "$((16#$size))" <<'PY'
import sys
path, off, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "r+b") as f:
    f.seek(off)
    f.write(b"\xff" * min(size, 64))   # unit length 0xffffffff then garbage
PY
rc=0
"$KBLOAT" syms --by file --map "$good.map" "$SCRATCH/bad-dwarf" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
check "broken DWARF exits 0" test "$rc" -eq 0
check "broken DWARF warns once, naming the file" \
	bash -c "[ \$(wc -l <'$SCRATCH/err') -eq 1 ] && grep -q 'warning: .*bad-dwarf: .*DWARF' '$SCRATCH/err'"
"$KBLOAT" syms --by file --map "$good.map" --no-dwarf "$SCRATCH/bad-dwarf" >"$SCRATCH/map-only"
check "broken DWARF falls back to the map: the rows are the map's alone" \
	cmp -s "$SCRATCH/map-only" "$SCRATCH/out"
check "the map's rows name object files" grep -q "^ *[0-9].* kernel/fork\.o$" "$SCRATCH/out"
# the analysis keeps the warning; every command that analyzes an image says it
rc=0
"$KBLOAT" budget check "$TESTS_SRC/../kernels/budgets/sample.json" --target sample-tinyconfig \
	--src "$TREE" "$SCRATCH/bad-dwarf" >/dev/null 2>"$SCRATCH/err" || rc=$?
check "budget check on broken DWARF warns, naming the file" \
	grep -q 'warning: .*bad-dwarf: .*DWARF' "$SCRATCH/err"
check "budget check on broken DWARF still holds the image to the budget" test "$rc" -le 1

# a line table whose file names a directory one past the end (fuzz-dwarf found libdwarf
# 20210528 reading a wild pointer there): that unit's header is refused with one warning,
# the rest of the DWARF is read, exit 0
cp "$good" "$SCRATCH/bad-line"
read -r off < <(readelf -SW "$good" | awk '$2==".debug_line" {print $5}')
unit=$(python3 - "$SCRATCH/bad-line" "$((16#$off))" <<'PY'
import struct, sys
path, base = sys.argv[1], int(sys.argv[2])
d = bytearray(open(path, "rb").read())
def uleb(p):
    v = s = 0
    while True:
        b = d[p]; p += 1; v |= (b & 0x7f) << s; s += 7
        if not b & 0x80:
            return v, p
SIZES = {0x08: None, 0x1f: 4, 0x0e: 4, 0x0b: 1, 0x05: 2, 0x0f: "uleb", 0x1e: 16}
def skip(p, form):
    n = SIZES[form]
    if n is None:
        return d.index(0, p) + 1
    return uleb(p)[1] if n == "uleb" else p + n
off = base
while True:  # the first DWARF 5 unit of a C file (headers too) with a file not in dir 0
    ulen, ver = struct.unpack_from("<IH", d, off)
    assert ulen < 0xfffffff0 and ver == 5, (off, ver)
    p = off + 4 + 2 + 2 + 4 + 6 + 12
    def formats(p):
        n = d[p]; p += 1; f = []
        for _ in range(n):
            t, p = uleb(p); fm, p = uleb(p); f.append((t, fm))
        return f, p
    df, p = formats(p)
    ndirs, p = uleb(p)
    for _ in range(ndirs):
        for t, fm in df:
            p = skip(p, fm)
    ff, p = formats(p)
    nfiles, p = uleb(p)
    for _ in range(nfiles):
        for t, fm in ff:
            if t == 2 and fm == 0x0f and d[p] != 0 and ndirs < 0x80 and nfiles > 2:
                d[p] = ndirs  # one past the last directory
                open(path, "wb").write(d)
                print(off - base)
                sys.exit(0)
            p = skip(p, fm)
    off += 4 + ulen
PY
)
rc=0
"$KBLOAT" syms --by file "$SCRATCH/bad-line" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
check "a file past the directories: exit 0" test "$rc" -eq 0
check "a file past the directories: one warning naming the file and the unit" bash -c \
	"[ \$(wc -l <'$SCRATCH/err') -eq 1 ] && grep -q 'warning: .*bad-line: 1 line table header refused (the first at .debug_line+$(printf 0x%x "$unit"): a file.s directory index past the directories)' '$SCRATCH/err'"
# (the copy has no map beside it; the fixture has, which --no-map leaves unread)
"$KBLOAT" syms --by file --no-map "$good" >"$SCRATCH/good-out"
check "a file past the directories: the totals are the image's" \
	test "$(grep '^Total:' "$SCRATCH/out")" = "$(grep '^Total:' "$SCRATCH/good-out")"
check "a file past the directories: fewer bytes named by declaration than with it whole" \
	test "$(grep -o 'dwarf-decl [0-9.]*' "$SCRATCH/out")" != \
	"$(grep -o 'dwarf-decl [0-9.]*' "$SCRATCH/good-out")"
check "a file past the directories: the other units' files are still named" \
	grep -q "^ *[0-9].* kernel/fork\.c$" "$SCRATCH/out"

# the same in a relocatable object, made by its relocations: libdwarf reads a .o's line
# table relocated, so a header sound as stored is not enough. In the fuzz seed archive's
# m1.o (DWARF 5, one directory), the .rela.debug_line entry for file 1's name (offset 0x31)
# moved one byte down with addend 1 writes 1 over file 0's directory index (0x30): directory
# N of N once relocated (fuzz-dwarf found it; valgrind showed dwarf_srcfiles read past its
# array). That member's unit is refused with one warning; m2.o keeps its file.
python3 - "$TESTS_SRC/fuzz/seeds/elf/archive.a" "$SCRATCH/bad-reloc.a" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
off, m1 = 8, None
while off + 60 <= len(d):
    name, size = d[off:off + 16].decode().strip(), int(d[off + 48:off + 58])
    if name == "m1.o/":
        m1 = off + 60
    off += 60 + size + (size & 1)
shoff, = struct.unpack_from("<Q", d, m1 + 0x28)
shnum, shstrndx = struct.unpack_from("<HH", d, m1 + 0x3c)
sh = lambda i: struct.unpack_from("<IIQQQQIIQQ", d, m1 + shoff + 64 * i)
strs = m1 + sh(shstrndx)[4]
secname = lambda i: d[strs + sh(i)[0]:d.index(0, strs + sh(i)[0])].decode()
rela = [i for i in range(shnum) if secname(i) == ".rela.debug_line"][0]
hits = 0
for e in range(sh(rela)[5] // 24):
    p = m1 + sh(rela)[4] + 24 * e
    r_off, info, add = struct.unpack_from("<QQq", d, p)
    if r_off == 0x31 and info & 0xffffffff == 10:  # R_X86_64_32 against .debug_line_str
        struct.pack_into("<QQq", d, p, 0x30, info, 1)
        hits += 1
assert hits == 1, hits
open(sys.argv[2], "wb").write(d)
PY
rc=0
"$KBLOAT" syms --by file "$SCRATCH/bad-reloc.a" >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
check "a file past the directories once relocated: exit 0" test "$rc" -eq 0
check "a file past the directories once relocated: one warning naming the member" bash -c \
	"[ \$(wc -l <'$SCRATCH/err') -eq 1 ] && grep -q 'warning: .*bad-reloc.a(m1.o): 1 line table header refused (the first at .debug_line+0x0: a file.s directory index past the directories, once relocated)' '$SCRATCH/err'"
check "a file past the directories once relocated: the other member's file is still named" \
	grep -q "^ *[0-9].* m2\.c$" "$SCRATCH/out"
# m1.o's code stays its unit's (dwarf-cu); its rodata, named by declaration only, loses it
"$KBLOAT" syms --by file "$TESTS_SRC/fuzz/seeds/elf/archive.a" >"$SCRATCH/good-out"
m1() { awk -v c="$2" '$NF == "m1.c" {print $c}' "$1"; }
check "a file past the directories once relocated: m1.c keeps its code (text $(m1 "$SCRATCH/out" 2))" \
	test "$(m1 "$SCRATCH/out" 2)" = "$(m1 "$SCRATCH/good-out" 2)"
check "a file past the directories once relocated: m1.c's rodata ($(m1 "$SCRATCH/good-out" 3) whole) loses its file" \
	test "$(m1 "$SCRATCH/good-out" 3)" -gt 0 -a "$(m1 "$SCRATCH/out" 3)" -eq 0
done_testing
