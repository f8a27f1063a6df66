#!/usr/bin/env bash
# Without a map, the string literals of an image go to the file whose code references them
# (the instructions decoded with libcapstone): each object's .rodata.str1.1, as readelf
# counts it in the object, is its file's, and a literal the linker keeps once for two files
# (SHF_MERGE) is the file that references it most: "shared literal" is referenced twice by
# kernel/alpha.c and once by drivers/net/beta.c. The linker map, where given, says the same;
# on arm64 too (gcc-aarch64-linux-gnu); riscv64 code (gcc-riscv64-linux-gnu) is not decoded,
# and the listing says so.
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

# arm64: adrp and the add or load that completes the address. Its strings are .rodata.str1.8,
# so the fill before beta.c's goes with alpha.c's last literal (the documented rule: a literal
# runs to the next referenced address); the map labels that fill padding
dv_build aarch64-linux-gnu-gcc "$SCRATCH/a64" || fail "the tree did not build for arm64"
"$KBLOAT" syms --json --no-map "$SCRATCH/a64/vmlinux" >"$SCRATCH/a64n"
"$KBLOAT" syms --json --map "$SCRATCH/a64/vmlinux.map" "$SCRATCH/a64/vmlinux" >"$SCRATCH/a64m"
check "arm64 literals are the files the map says, fill aside" python3 - "$SCRATCH/a64n" "$SCRATCH/a64m" <<'PY'
import json, sys
n, m = (json.load(open(p)) for p in sys.argv[1:])
def b(d, f, prov):
    return sum(r["bytes"] for r in d["rows"] if r["section"] == ".rodata" and r["file"] == f
               and r["provenance"] == prov)
fill = sum(r["bytes"] for r in m["rows"] if r["name"] == "[padding .rodata]")
assert n["attribution"]["code_refs"] == "aarch64", n["attribution"]
assert b(n, "drivers/net/beta.c", "code-ref") == b(m, "drivers/net/beta.c", "map") > 0
assert b(n, "kernel/alpha.c", "code-ref") == b(m, "kernel/alpha.c", "map") + fill, fill
PY
# riscv64 code is not decoded: the listing says so, and its literals keep no file
dv_build riscv64-linux-gnu-gcc "$SCRATCH/rv" -mcmodel=medany || fail "the tree did not build for riscv64"
check "riscv64 says its code was not decoded" grep -q "code references not decoded for ELF machine 243" \
	<("$KBLOAT" syms --no-map "$SCRATCH/rv/vmlinux")
"$KBLOAT" syms --json --no-map "$SCRATCH/rv/vmlinux" >"$SCRATCH/rvj"
check "riscv64 literals keep no file" pyjson "$SCRATCH/rvj" '
assert d["attribution"]["code_refs"] is None
assert not any(r["provenance"] == "code-ref" for r in d["rows"])
assert any(r["section"] == ".rodata" and r["file"] is None for r in d["rows"])'

# an object has no layout yet: nothing is decoded, nothing is derived
"$KBLOAT" syms --json "$DV/kernel/alpha.o" >"$SCRATCH/obj"
check "an object's literals are not derived" pyjson "$SCRATCH/obj" '
assert not any(r["provenance"] == "code-ref" for r in d["rows"])'
done_testing
