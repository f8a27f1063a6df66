#!/usr/bin/env bash
# Without a map, the string literals of an image go to the file whose code references them
# (the instructions decoded with libcapstone): each object's .rodata.str1.1, as readelf
# counts it in the object, is its file's, and a literal the linker keeps once for two files
# (SHF_MERGE) is the file that references it most: "shared literal" is referenced twice by
# kernel/alpha.c and once by drivers/net/beta.c. The linker map, where given, says the same.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/derived.sh"

shared=$(printf 'shared literal' | wc -c)
shared=$((shared + 1)) # with its NUL
alpha=$(dv_objsize kernel/alpha.o '\.rodata\.str.*')
beta=$(dv_objsize drivers/net/beta.o '\.rodata\.str.*')
check "the objects have literals" test "$alpha" -gt "$shared" -a "$beta" -gt "$shared"

dv_syms "$SCRATCH/nomap" --no-map
expect_eq "alpha.c's literals, and the shared one" \
	"$(dv_bytes "$SCRATCH/nomap" kernel/alpha.c .rodata code-ref)" "$alpha"
expect_eq "beta.c's literals, less the shared one" \
	"$(dv_bytes "$SCRATCH/nomap" drivers/net/beta.c .rodata code-ref)" "$((beta - shared))"
check "no literal is left without a file" pyjson "$SCRATCH/nomap" '
left = [r for r in d["rows"] if r["section"] == ".rodata" and r["file"] is None]
assert not left, left'
check "the image says whose code was decoded" pyjson "$SCRATCH/nomap" '
assert d["attribution"]["code_refs"] == "x86_64", d["attribution"]'

# the map, the linker's own account of whose input section each byte was, agrees
dv_syms "$SCRATCH/map" --map "$DV/vmlinux.map"
for f in kernel/alpha.c drivers/net/beta.c; do
	expect_eq "$f's literals by the map" "$(dv_bytes "$SCRATCH/map" $f .rodata map)" \
		"$(dv_bytes "$SCRATCH/nomap" $f .rodata code-ref)"
done

# an object has no layout yet: nothing is decoded, nothing is derived
"$KBLOAT" syms --json "$DV/kernel/alpha.o" >"$SCRATCH/obj"
check "an object's literals are not derived" pyjson "$SCRATCH/obj" '
assert not any(r["provenance"] == "code-ref" for r in d["rows"])'
done_testing
