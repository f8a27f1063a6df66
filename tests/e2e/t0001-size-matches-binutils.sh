#!/usr/bin/env bash
# kbloat size prints the Berkeley split exactly as binutils size(1) does, for every image the
# tests build and for real executables on the machine; its kernel classes sum to that total.
. "$(dirname "$0")/lib.sh"

images=$(fixture_images; echo "$KBLOAT"; echo /bin/ls)
for img in $images; do
	size "$img" >"$SCRATCH/want" 2>&1
	"$KBLOAT" size "$img" | sed -n '1,2p' >"$SCRATCH/got"
	check "size of $img matches binutils" cmp -s "$SCRATCH/want" "$SCRATCH/got" ||
		diff "$SCRATCH/want" "$SCRATCH/got" >&2 || true
	"$KBLOAT" size --json "$img" >"$SCRATCH/j"
	check "classes of $img sum to the Berkeley total" pyjson "$SCRATCH/j" '
i=d["images"][0]; b=i["berkeley"]
assert sum(i["classes"].values()) == i["total"] == b["text"]+b["data"]+b["bss"] == b["dec"]
assert sum(s["size"] for s in i["sections"]) == i["total"]'
done

# several images at once: one Berkeley line each, in order, as size(1) prints them
size $images >"$SCRATCH/want"
n=$(echo "$images" | wc -l)
"$KBLOAT" size $images | sed -n "1,$((n + 1))p" >"$SCRATCH/got"
check "size of many images matches binutils" cmp -s "$SCRATCH/want" "$SCRATCH/got"

# the kernel split of the minikernel: init and percpu come from its linker script
"$KBLOAT" size --json "$FIXTURES/vmlinux-g5" >"$SCRATCH/j"
check "minikernel has init, percpu, rodata and bss bytes" pyjson "$SCRATCH/j" '
c=d["images"][0]["classes"]
assert all(c[k] > 0 for k in ("text","rodata","data","bss","init","percpu")), c'
check "init bytes are the .init.* and .exit.* sections" pyjson "$SCRATCH/j" '
i=d["images"][0]
want=sum(s["size"] for s in i["sections"] if s["name"].startswith((".init.",".exit.")))
assert i["classes"]["init"] >= want > 0, (i["classes"]["init"], want)'
done_testing
