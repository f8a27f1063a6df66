#!/usr/bin/env bash
# What a path or a file says is not trusted: a FIFO given as an image, map, MAINTAINERS or
# budget is refused in one line (never waited on); section sizes that add up past 2^63 are a
# corrupt header, not a wrapped total; a budget limit past 2^63 and a class sum with an empty
# term are refused; diff's maps are not silently ignored without --by.
. "$(dirname "$0")/lib.sh"


good=$FIXTURES/vmlinux-g5
fifo=$SCRATCH/fifo
mkfifo "$fifo"
mkdir -p "$SCRATCH/tree"
mkfifo "$SCRATCH/tree/MAINTAINERS"
budget=$SCRATCH/budget.json

expect_error 2 "fifo: not a regular file" "$KBLOAT" size "$fifo"
expect_error 2 "fifo: .*not a regular file" "$KBLOAT" diff --by file --old-map "$fifo" "$good" "$good"
expect_error 2 "MAINTAINERS: not a regular file" "$KBLOAT" syms --src "$SCRATCH/tree" "$good"
expect_error 2 "fifo: not a regular file" "$KBLOAT" budget check "$fifo" "$good"

# a bss of 2^63 bytes: the sum would pass what an int64 holds
cp "$FIXTURES/hello-nog" "$SCRATCH/huge-bss" # a user program: its .bss is low
python3 - "$SCRATCH/huge-bss" <<'PY'
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
            addr, = struct.unpack_from("<Q", data, hdr + 0x10)
            assert addr < 1 << 62
            f.seek(hdr + 0x20)
            f.write(struct.pack("<Q", 1 << 63))
PY
expect_error 2 "huge-bss: corrupt section header: section .bss .*past 2\^63" "$KBLOAT" size \
	"$SCRATCH/huge-bss"

# budget limits: at most 2^63-1 bytes; a class sum has no empty term
for max in 18446744073709551615 9223372036854775808 8589934592G 8796093022208M; do
	printf '{"targets": [{"name": "t", "max_total": "%s"}]}\n' "$max" >"$budget"
	expect_error 2 "max_total: too large \(at most 9223372036854775807 bytes\)" "$KBLOAT" \
		budget check "$budget" "$good"
done
# exact up to the bound: no rounding through a double (2^53+1, 2^63-1 as strings)
for max in 9007199254740993 9223372036854775807; do
	printf '{"targets": [{"name": "t", "max_total": "%s"}]}\n' "$max" >"$budget"
	check "a limit of \"$max\" reads back as $max" bash -c \
		"'$KBLOAT' budget check '$budget' '$good' | grep -q ' $max '"
done
expect_error 2 "--threshold 9223372036854775808: too large" "$KBLOAT" ci --db "$SCRATCH/none.db" \
	--baseline HEAD --threshold 9223372036854775808
for sum in "text++rodata" "+text" "text+" "+"; do
	printf '{"targets": [{"name": "t", "max_class": {"%s": 10}}]}\n' "$sum" >"$budget"
	expect_error 2 "max_class\\.[+a-z]*: not a class or a sum" "$KBLOAT" budget check "$budget" "$good"
done
printf '{"targets": [{"name": "t", "max_total": 9223372036854775807, "max_class": {"text+rodata": "1G"}}]}\n' \
	>"$budget"
check "a limit of 2^63-1 bytes holds, and reads back as such" bash -c \
	"'$KBLOAT' budget check '$budget' '$good' | grep -q ' 9223372036854775807 '"

# diff: a map is read with --by only; without it, it would be ignored: refused
expect_error 2 "--old-map needs --by" "$KBLOAT" diff --old-map "$FIXTURES/vmlinux-g5.map" "$good" "$good"
expect_error 2 "--new-map needs --by" "$KBLOAT" diff --new-map "$FIXTURES/vmlinux-g5.map" "$good" "$good"
done_testing
