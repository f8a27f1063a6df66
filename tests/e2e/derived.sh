# derived.sh - sourced by t0091-t0094 after lib.sh: builds tests/fixtures/derived (the tables
# kallsyms writes, three objects whose functions carry ORC entries, return sites, exports and
# string literals, and a .BTF section) into $SCRATCH/dv/vmlinux with its map, as kbuild
# would: compiled in the tree, linked by relative names with the tree's linker script. Then:
#   dv_objsize OBJ SECTION-REGEX   bytes of the object's sections matching the regex, as
#                                  readelf -S says (the kernel's per-object tables, before
#                                  the link puts them together)
#   dv_syms FILE ARGS...           kbloat syms --json ARGS of the image into FILE
dv_src=$TESTS_SRC/fixtures/derived
DV=$SCRATCH/dv
dv_objs="kallsyms.o init/main.o kernel/alpha.o drivers/net/beta.o btf.o"
# dv_build [CC DIR FLAGS...]: the tree with CC (default gcc for x86_64, as the kernel
# compiles: -mcmodel=kernel) into DIR (default $DV)
dv_build() {
	local cc=${1:-gcc} dir=${2:-$DV} o src
	local flags=(-mcmodel=kernel -mno-red-zone)
	[ $# -ge 2 ] && flags=("${@:3}")
	mkdir -p "$dir"
	for o in $dv_objs; do
		mkdir -p "$dir/$(dirname "$o")"
		src=${o%.o}.c
		[ -f "$dv_src/$src" ] || src=${o%.o}.S
		(cd "$dv_src" && $cc -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
			-fno-asynchronous-unwind-tables -fno-common "${flags[@]}" \
			-Iinclude -c "$src" -o "$dir/$o") || return 1
	done
	# shellcheck disable=SC2086 # the object list splits
	(cd "$dir" && $cc -nostdlib -static -no-pie -Wl,-T,"$dv_src/vmlinux.lds" \
		-Wl,--build-id=none -Wl,-Map=vmlinux.map -o vmlinux $dv_objs 2>/dev/null)
}
dv_objsize() {
	readelf -SW "$DV/$1" | python3 -c '
import re, sys
pat, total = re.compile(sys.argv[1]), 0
for line in sys.stdin:
    m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)", line)
    if m and pat.fullmatch(m.group(1)):
        total += int(m.group(2), 16)
print(total)' "$2"
}
# dv_sec FILE SECTION off|size: the section's file offset or size, in decimal
dv_sec() {
	readelf -SW "$DV/$1" | python3 -c '
import re, sys
for line in sys.stdin:
    m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
    if m and m.group(1) == sys.argv[1]:
        print(int(m.group(2 if sys.argv[2] == "off" else 3), 16))' "$2" "$3"
}
dv_syms() {
	local out=$1
	shift
	"$KBLOAT" syms --json "$@" "$DV/vmlinux" >"$out"
}
# dv_bytes JSON FILE SECTION PROVENANCE: bytes of the rows of FILE in SECTION with PROVENANCE
dv_bytes() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(r["bytes"] for r in d["rows"] if r["file"] == sys.argv[2] and
          r["section"] == sys.argv[3] and r["provenance"] == sys.argv[4]))' "$@"
}
# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok; else fail "$1: got $2, want $3"; fi
}
dv_build || {
	fail "the fixture tree did not build"
	done_testing
	exit 1
}
