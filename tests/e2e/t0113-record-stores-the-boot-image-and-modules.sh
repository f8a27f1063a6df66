#!/usr/bin/env bash
# kbloat record, for a CI that builds on its own, stores what collect --boot-image and
# --modules store: the boot image's size and compressed payload (its name relative to the
# build directory when it is in it), and the modules the build directory's modules.order
# names. collect builds the sample's main in defconfig+modular with --modules; record stores
# that build directory's image again in another database, and the two agree.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"
repo=$HISTORY/repo
cdb=$SCRATCH/c.db
"$KBLOAT" collect --repo "$repo" --range main~1..main --db "$cdb" -j2 --cc-wrapper none \
	--modules --config defconfig+modular >/dev/null 2>"$SCRATCH/err" ||
	fail "collect --modules: $(tail -n3 "$SCRATCH/err")"
obj=$cdb.work/build/defconfig_modular-x86_64
check "collect built modules" test -s "$obj/modules.order"
# a boot image as arm64's Image.gz is: the kernel, gzipped (the whole file is the payload)
mkdir -p "$obj/arch/x86/boot"
gzip -9n <"$obj/vmlinux" >"$obj/arch/x86/boot/Image.gz"
cp "$obj/arch/x86/boot/Image.gz" "$SCRATCH/Image.gz"
bytes=$(stat -c %s "$SCRATCH/Image.gz")

db=$SCRATCH/r.db
rec=("$KBLOAT" record --db "$db" --repo "$repo" --commit main --src "$cdb.work/src" --build "$obj")
"${rec[@]}" --config defconfig+modular --modules --boot-image "$obj/arch/x86/boot/Image.gz" \
	"$obj/vmlinux" >"$SCRATCH/out" 2>"$SCRATCH/err" || fail "record: $(cat "$SCRATCH/err")"
check "record says it recorded the build" grep -q "^recorded [0-9a-f]\{12\} defconfig+modular" "$SCRATCH/out"
# "boot_name boot_bytes boot_payload|mod_count mod_total mod_text ... mod_other" of a config
outputs() {
	sqlite3 -separator ' ' "$1" "SELECT coalesce(o.boot_name, '-'), coalesce(o.boot_bytes, '-'),
		coalesce(o.boot_payload, '-'), '|', o.mod_count, o.mod_total, o.mod_text, o.mod_rodata,
		o.mod_data, o.mod_bss, o.mod_init, o.mod_percpu, o.mod_other FROM build_outputs o
		JOIN builds b ON b.id = o.build_id JOIN configs cf ON cf.id = b.config_id
		WHERE cf.name = '$2'"
}
want_mods=$(outputs "$cdb" defconfig+modular | cut -d'|' -f2)
check "collect recorded some modules' bytes" test "$(echo "$want_mods" | awk '{print $2}')" -gt 0
check "record: the boot image, its name relative to --build, its size and payload (the file)" \
	test "$(outputs "$db" defconfig+modular | cut -d'|' -f1)" = \
	"arch/x86/boot/Image.gz $bytes $bytes "
check "record: the modules, as collect --modules recorded them" \
	test "$(outputs "$db" defconfig+modular | cut -d'|' -f2)" = "$want_mods"
"$KBLOAT" history --db "$db" --json >"$SCRATCH/h.json"
check "history --json: the boot image and the modules" \
	test "$(pyjson "$SCRATCH/h.json" 'b = d["builds"][-1]; print(b["boot_image"], b["modules"])')" = \
	"$bytes $(echo "$want_mods" | awk '{print $2}')"

# a boot image outside the build directory keeps the name it was given
(cd "$SCRATCH" && "${rec[@]}" --config outside --boot-image Image.gz "$obj/vmlinux" \
	>/dev/null 2>"$SCRATCH/err") || fail "record --boot-image Image.gz: $(cat "$SCRATCH/err")"
check "a boot image outside --build: the name as given" \
	test "$(outputs "$db" outside | cut -d'|' -f1)" = "Image.gz $bytes $bytes "
check "no modules without --modules" test -z "$(outputs "$db" outside | cut -d'|' -f2 | tr -d ' ')"

expect_error 2 "--modules needs --build" "$KBLOAT" record --db "$db" --repo "$repo" --commit main \
	--config x --modules "$obj/vmlinux"
expect_error 2 "--boot-image: only for an ok build" "$KBLOAT" record --db "$db" --repo "$repo" \
	--commit main --config x --status failed --boot-image "$SCRATCH/Image.gz"
expect_error 2 "--boot-image $SCRATCH/nosuch: No such file" "${rec[@]}" --config x \
	--boot-image "$SCRATCH/nosuch" "$obj/vmlinux"
done_testing
