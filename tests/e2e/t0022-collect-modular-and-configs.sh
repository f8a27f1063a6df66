#!/bin/bash
# collect's config specs on the sample history: `modular` (tinyconfig, MODULES=y, every
# tristate it reaches =m) keeps a smaller kernel proper than tinyconfig, whose arch
# tiny.config builds the serial driver in; defconfig with a fragment from a file; both
# configs of a commit come from one checkout; a bad spec or range fails in one line.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
repo=$HISTORY/repo
db=$SCRATCH/k.db
range=main~3..main

"$KBLOAT" collect --repo "$repo" --range "$range" --first-parent --db "$db" -j2 \
	--config tinyconfig --config modular >"$SCRATCH/out" 2>"$SCRATCH/err" ||
	fail "collect tinyconfig and modular: $(tail -n3 "$SCRATCH/err")"
check "3 commits x 2 configs built" grep -qx \
	"3 commits x 2 configs: 6 built (0 failed), 0 already recorded" "$SCRATCH/out"
for c in tinyconfig modular; do
	"$KBLOAT" history --db "$db" --config "$c" --json >"$SCRATCH/$c.json"
done
check "modular's kernel proper is smaller than tinyconfig's at every commit" python3 -c "
import json
t = json.load(open('$SCRATCH/tinyconfig.json'))['builds']
m = json.load(open('$SCRATCH/modular.json'))['builds']
assert len(t) == len(m) == 3, (t, m)
assert all(b['size'] < a['size'] for a, b in zip(t, m)), (t, m)"
o=$db.work/build
check "modular: MODULES=y" grep -qx CONFIG_MODULES=y "$o/modular-x86_64/.config"
check "modular: the serial driver tinyconfig builds in is a module" grep -qx \
	CONFIG_SERIAL_8250=m "$o/modular-x86_64/.config"
check "tinyconfig: the serial driver is built in" grep -qx CONFIG_SERIAL_8250=y \
	"$o/tinyconfig-x86_64/.config"
check "modular: a bool tinyconfig left off stays off" grep -qx "# CONFIG_BLOCK is not set" \
	"$o/modular-x86_64/.config"
check "modular: the module loader is in the kernel proper" grep -q \
	" module_kallsyms_lookup_name$" "$o/modular-x86_64/System.map"
check "modular: the serial driver is not" test -z \
	"$(grep ' serial_console_write$' "$o/modular-x86_64/System.map")"
check "the map is written for attribution (map.config)" test -s "$o/tinyconfig-x86_64/vmlinux.map"
check "the user's repository is untouched" test -z "$(git -C "$repo" status --porcelain)"

# defconfig with a fragment file: its value lands in the stored .config
printf 'CONFIG_LOG_BUF_SHIFT=16\n' >"$SCRATCH/big-log.config"
"$KBLOAT" collect --repo "$repo" --range main~1..main --db "$db" -j2 \
	--config "defconfig+$SCRATCH/big-log.config" >/dev/null 2>"$SCRATCH/err2" ||
	fail "collect defconfig+fragment: $(tail -n3 "$SCRATCH/err2")"
dobj=$(echo "$db.work"/build/defconfig_*big-log.config-x86_64)
check "the fragment's value is in the built .config" grep -qx CONFIG_LOG_BUF_SHIFT=16 \
	"$dobj/.config"
check "defconfig builds ext4 in (a composite object)" grep -q " ext4_iget$" "$dobj/System.map"

# errors: one line naming the thing, exit 2, the database untouched
dbdump "$db" >"$SCRATCH/before"
for args in "--config nosuchbase" "--config tinyconfig+nosuchfragment" "--range nosuchrev..main" \
	"--shard 3/2" "--timeout soon"; do
	set +e
	# shellcheck disable=SC2086 # the words of $args are options
	"$KBLOAT" collect --repo "$repo" --range main --db "$db" $args >/dev/null 2>"$SCRATCH/e"
	rc=$?
	set -e
	check "collect $args: exit 2" test "$rc" = 2
	check "collect $args: one line" test "$(wc -l <"$SCRATCH/e")" = 1
done
check "a bad spec names it" bash -c "'$KBLOAT' collect --repo '$repo' --range main --db '$db' \
	--config tinyconfig+nosuchfragment 2>&1 | grep -q nosuchfragment"
dbdump "$db" >"$SCRATCH/after"
check "failed runs change nothing stored" cmp -s "$SCRATCH/before" "$SCRATCH/after"
set +e
"$KBLOAT" collect --repo "$SCRATCH" --range main --db "$db" >/dev/null 2>"$SCRATCH/e"
rc=$?
set -e
check "not a repository: exit 2 naming it" test "$rc" = 2 -a -n "$(grep "$SCRATCH" "$SCRATCH/e")"
done_testing
