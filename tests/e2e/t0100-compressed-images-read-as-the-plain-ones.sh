#!/usr/bin/env bash
# A vmlinux compressed with gzip, xz or zstd (vmlinux.gz as distributions ship it, or under
# any name: the format is known by its magic) is read as the plain one: size, syms (by
# symbol, by file, with its map) and diff print byte for byte what they print for the plain
# image. An image whose DWARF sections are compressed (SHF_COMPRESSED: gcc -gz, objcopy
# --compress-debug-sections) is attributed exactly as the plain one, and a module as .ko.xz
# or .ko.zst as the .ko.
. "$(dirname "$0")/lib.sh"

old=$FIXTURES/vmlinux-g5 new=$FIXTURES/vmlinux-v2-g5
mkdir -p "$SCRATCH/plain"
cp "$new" "$SCRATCH/plain/vmlinux"
cp "$new.map" "$SCRATCH/plain/vmlinux.map"

# run DIR: what each command prints for DIR/vmlinux, run inside DIR so names are the same
run() {
	(
		cd "$1"
		"$KBLOAT" size vmlinux
		"$KBLOAT" size --json vmlinux
		"$KBLOAT" syms --no-map vmlinux
		"$KBLOAT" syms --by file --no-map vmlinux
		"$KBLOAT" syms --by file --map vmlinux.map vmlinux
		"$KBLOAT" syms --by subsystem --json --no-map vmlinux
		"$KBLOAT" diff "$old" vmlinux
		"$KBLOAT" diff vmlinux "$old"
	) >"$1.out" 2>&1
}
run "$SCRATCH/plain"
check "the plain image's outputs name files (DWARF was read)" \
	grep -q "^ *[0-9].* kernel/fork\.c$" "$SCRATCH/plain.out"

for z in gzip xz zstd; do
	mkdir -p "$SCRATCH/$z"
	cp "$new.map" "$SCRATCH/$z/vmlinux.map"
	"$z" -q -c "$new" >"$SCRATCH/$z/vmlinux"
	check "$z: the file is compressed (not ELF)" \
		bash -c "! readelf -h '$SCRATCH/$z/vmlinux' >/dev/null 2>&1"
	run "$SCRATCH/$z"
	check "$z: size, syms and diff print what they print for the plain image" \
		cmp "$SCRATCH/plain.out" "$SCRATCH/$z.out" ||
		diff "$SCRATCH/plain.out" "$SCRATCH/$z.out" | head -20 >&2
done
# vmlinux.gz as named by distributions, read by suffix-blind magic
gzip -c "$new" >"$SCRATCH/vmlinux.gz"
"$KBLOAT" size "$new" | sed 's|[^ \t]*vmlinux-v2-g5$|X|' >"$SCRATCH/a"
"$KBLOAT" size "$SCRATCH/vmlinux.gz" | sed 's|[^ \t]*vmlinux.gz$|X|' >"$SCRATCH/b"
check "vmlinux.gz: the plain image's sizes" cmp "$SCRATCH/a" "$SCRATCH/b"
# two concatenated gzip members read as one stream, as gzip -d reads them
half=$(($(stat -c %s "$new") / 2))
{ head -c "$half" "$new" | gzip -c; tail -c +"$((half + 1))" "$new" | gzip -c; } >"$SCRATCH/two.gz"
"$KBLOAT" size "$SCRATCH/two.gz" | sed 's|[^ \t]*two.gz$|X|' >"$SCRATCH/c"
check "two gzip members: the plain image's sizes" cmp "$SCRATCH/a" "$SCRATCH/c"

# compressed DWARF sections, zlib (libelf inflates them) and zstd (libelf 0.188 cannot: kbloat
# does, with libzstd): the attribution is the plain image's, in an executable and in a .o
(cd "$SCRATCH/plain" && "$KBLOAT" syms --by file --no-map vmlinux &&
	"$KBLOAT" syms --no-map --provenance vmlinux) >"$SCRATCH/plain-syms.out" 2>&1
"$KBLOAT" syms --provenance "$FIXTURES/hello.o" >"$SCRATCH/plain-o.out" 2>&1
for z in zlib zstd; do
	mkdir -p "$SCRATCH/zdebug-$z"
	objcopy --compress-debug-sections=$z "$new" "$SCRATCH/zdebug-$z/vmlinux"
	check "objcopy compressed .debug_info with $z (flag C)" \
		bash -c "readelf -SW '$SCRATCH/zdebug-$z/vmlinux' | grep ' \.debug_info ' | grep -q ' C '"
	(cd "$SCRATCH/zdebug-$z" && "$KBLOAT" syms --by file --no-map vmlinux &&
		"$KBLOAT" syms --no-map --provenance vmlinux) >"$SCRATCH/zdebug-$z.out" 2>&1
	check "SHF_COMPRESSED DWARF ($z): no warning, and the plain image's attribution" \
		cmp "$SCRATCH/plain-syms.out" "$SCRATCH/zdebug-$z.out"
	objcopy --compress-debug-sections=$z "$FIXTURES/hello.o" "$SCRATCH/hello-$z.o"
	"$KBLOAT" syms --provenance "$SCRATCH/hello-$z.o" 2>&1 |
		sed "s|$SCRATCH/hello-$z.o|$FIXTURES/hello.o|" >"$SCRATCH/o-$z.out"
	check "SHF_COMPRESSED DWARF ($z) in a .o: the plain object's attribution" \
		cmp "$SCRATCH/plain-o.out" "$SCRATCH/o-$z.out"
done
check "the .o's symbols have files (DWARF was read)" grep -q " dwarf-decl " "$SCRATCH/plain-o.out"

# a module compressed as the kernel's modules_install compresses it
gcc -g -O1 -c -o "$SCRATCH/mod.o" "$TESTS_SRC/fixtures/hello.c"
ld -r -o "$SCRATCH/m.ko" "$SCRATCH/mod.o"
xz -k -c "$SCRATCH/m.ko" >"$SCRATCH/m.ko.xz"
zstd -q -c "$SCRATCH/m.ko" >"$SCRATCH/m.ko.zst"
(cd "$SCRATCH" && "$KBLOAT" syms --by file m.ko && "$KBLOAT" size m.ko) >"$SCRATCH/ko.out"
for z in xz zst; do
	(cd "$SCRATCH" && "$KBLOAT" syms --by file m.ko.$z && "$KBLOAT" size m.ko.$z) |
		sed "s|m\.ko\.$z|m.ko|" >"$SCRATCH/ko.$z.out"
	check ".ko.$z: the .ko's rows and sizes" cmp "$SCRATCH/ko.out" "$SCRATCH/ko.$z.out"
done
done_testing
