#!/usr/bin/env bash
# collect --boot-image on a history of its own over the sample: a commit teaches the sample's
# kbuild `make image_name` and a bzImage (a real boot protocol 2.15 setup header, the
# gzipped vmlinux as its payload, written by the commit's own script, which also notes the
# sizes it wrote); the next one grows the kernel; the last drops image_name, so the arch's
# default (arch/x86/boot/bzImage) is used. What the store holds for each build is what the
# script wrote; show, history, the chart and ci's budgets report it.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"

git clone -q "$HISTORY/repo" "$SCRATCH/repo"
repo=$SCRATCH/repo
g() { git -C "$repo" -c user.name=T -c user.email=t@example.org -c commit.gpgsign=false "$@"; }
mkdir -p "$repo/scripts"
cat >"$repo/scripts/mkbzimage.py" <<'PY'
# mkbzimage.py VMLINUX OUT: a bzImage as x86's boot protocol lays it out: 4 setup sectors
# after the boot sector, the setup header at 0x1f1, then the protected-mode code: 777 bytes
# of "decompressor", the payload (vmlinux, gzipped), 16 bytes after it. Appends
# "bytes payload" to OUT.sizes.
import gzip, os, struct, sys
vmlinux, out = sys.argv[1], sys.argv[2]
payload = gzip.compress(open(vmlinux, "rb").read(), mtime=0)
setup = bytearray(5 * 512)
setup[0x1f1] = 4
setup[0x1fe:0x200] = b"\x55\xaa"
setup[0x202:0x206] = b"HdrS"
struct.pack_into("<H", setup, 0x206, 0x020F)
struct.pack_into("<II", setup, 0x248, 777, len(payload))
image = bytes(setup) + b"\x90" * 777 + payload + b"\0" * 16
os.makedirs(os.path.dirname(out), exist_ok=True)
open(out, "wb").write(image)
with open(out + ".sizes", "a") as f:
    f.write("%d %d\n" % (len(image), len(payload)))
PY
cat >>"$repo/Makefile" <<'MK'

# the boot image, as Linux's top Makefile and arch/x86/Makefile name it
image_name:
	@echo arch/x86/boot/bzImage
bzImage: vmlinux
	$(Q)python3 $(srctree)/scripts/mkbzimage.py $(objtree)/vmlinux $(objtree)/arch/x86/boot/bzImage
MK
g add -A && g commit -qm "x86: a bzImage"
python3 -c 'import random; r = random.Random(1); print("const unsigned char kb_boot_blob[8192] = {%s};" % ",".join(str(r.randrange(256)) for _ in range(8192)))' \
	>>"$repo/init/main.c"
g commit -qam "init: 8 KiB that do not compress"
sed -i '/^image_name:$/,/^\t@echo arch/d' "$repo/Makefile"
g commit -qam "kbuild: no image_name target (an older tree)"
c1=$(g rev-parse HEAD~2) c2=$(g rev-parse HEAD~1) c3=$(g rev-parse HEAD)

db=$SCRATCH/k.db
"$KBLOAT" collect --repo "$repo" --range origin/main..HEAD --db "$db" -j2 --boot-image \
	>"$SCRATCH/out" 2>"$SCRATCH/err" || fail "collect --boot-image: $(tail -n3 "$SCRATCH/err")"
obj=$db.work/build/tinyconfig-x86_64
check "three builds, all ok" test "$(grep -c ' tinyconfig: ok ' "$SCRATCH/err")" -eq 3
check "the bzImage was built each time (the script noted three)" \
	test "$(wc -l <"$obj/arch/x86/boot/bzImage.sizes")" -eq 3
check "the last commit's log says how it got the name: the build ran make bzImage" \
	grep -q "running: make .* bzImage$" "$db.work/logs/tinyconfig-x86_64/$c3.log"

mapfile -t sizes <"$obj/arch/x86/boot/bzImage.sizes"
row() { sqlite3 -separator ' ' "$db" "SELECT o.boot_name, o.boot_bytes, o.boot_payload FROM
	build_outputs o JOIN builds b ON b.id = o.build_id JOIN commits c ON c.id = b.commit_id
	WHERE c.sha = '$1'"; }
i=0
for c in "$c1" "$c2" "$c3"; do
	check "${c:0:12}: the stored boot image is what the script wrote (${sizes[$i]})" \
		test "$(row "$c")" = "arch/x86/boot/bzImage ${sizes[$i]}"
	i=$((i + 1))
done
read -r b1 p1 <<<"${sizes[0]}"
read -r b2 p2 <<<"${sizes[1]}"
check "8 KiB that do not compress grow the payload by nearly as much (> 7 KiB)" \
	test $((p2 - p1)) -gt 7168
check "no modules recorded without --modules" \
	test "$(sqlite3 "$db" 'SELECT count(*) FROM build_outputs WHERE mod_count IS NOT NULL')" -eq 0

"$KBLOAT" show --db "$db" "$c2" >"$SCRATCH/show"
check "show: the boot image, its payload and their changes" grep -qx \
	"boot image arch/x86/boot/bzImage: $b2 bytes ($(printf %+d $((b2 - b1)))), compressed kernel $p2 bytes ($(printf %+d $((p2 - p1))))" \
	"$SCRATCH/show"
"$KBLOAT" show --db "$db" --json "$c2" >"$SCRATCH/show.json"
check "show --json: boot_image" test "$(pyjson "$SCRATCH/show.json" \
	'b = d["boot_image"]; print(b["name"], b["bytes"], b["payload"], b["d_bytes"], b["d_payload"])')" = \
	"arch/x86/boot/bzImage $b2 $p2 $((b2 - b1)) $((p2 - p1))"
"$KBLOAT" history --db "$db" >"$SCRATCH/history"
check "history: a line under each build with its boot image" \
	test "$(grep -c '^ *boot image  *[0-9]* (payload [0-9]*)$' "$SCRATCH/history")" -eq 3
"$KBLOAT" history --db "$db" --json >"$SCRATCH/history.json"
check "history --json: boot_image and boot_payload per build" \
	test "$(pyjson "$SCRATCH/history.json" 'print(" ".join("%d %d" % (b["boot_image"], b["boot_payload"]) for b in d["builds"]))')" = \
	"${sizes[0]} ${sizes[1]} ${sizes[2]}"
"$KBLOAT" plot --db "$db" --out "$SCRATCH/plot" --format svg >/dev/null 2>"$SCRATCH/err" ||
	fail "plot: $(tail -n2 "$SCRATCH/err")"
check "the chart draws the boot image" grep -rq "boot image (file)" "$SCRATCH/plot"
# the proper chart (gnuplot's, PNG or SVG) draws it too: its data's last column, per build
proper=$SCRATCH/plot/tinyconfig-proper.dat
check "the proper chart's last series is the boot image" grep -q '"boot image (file)"$' "$proper"
check "the proper chart's boot images are what the script wrote, per build" \
	test "$(awk 'NR > 1 {print $NF}' "$proper" | tr '\n' ' ')" = \
	"${sizes[0]% *} ${sizes[1]% *} ${sizes[2]% *} "
check "gnuplot's proper chart has it in its key" grep -q "boot image (file)" \
	"$SCRATCH/plot/tinyconfig-proper.svg"

# budgets: ci holds the head build to its boot image and payload limits
cat >"$SCRATCH/budget.json" <<JSON
{ "targets": [ { "name": "flash", "config": "tinyconfig",
  "max_boot_image": $((b2 + 100000)), "max_boot_payload": $((p2 - 1)) } ] }
JSON
rc=0
"$KBLOAT" ci --db "$db" --baseline "$c1" --budget "$SCRATCH/budget.json" >"$SCRATCH/ci" 2>&1 || rc=$?
check "ci: a payload over its budget fails the report (exit 1)" test "$rc" -eq 1
check "ci: the boot image within its limit" grep -Eq "^  boot image  +${sizes[2]%% *} .* ok$" "$SCRATCH/ci"
check "ci: the payload over its limit" grep -Eq "^  boot image payload  +${sizes[2]##* } .* OVER$" "$SCRATCH/ci"
"$KBLOAT" budget check "$SCRATCH/budget.json" --target flash "$obj/vmlinux" >"$SCRATCH/bc" 2>&1 || true
check "budget check on an image: the boot image limits are not checked, and say why" \
	grep -q "boot image .*not checked: no boot image or payload recorded (collect --boot-image)" "$SCRATCH/bc"
done_testing
