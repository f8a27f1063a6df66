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
"$KBLOAT" blame --db "$db" --config modular --min 1 --json >"$SCRATCH/blame-m.json" ||
	fail "blame --config modular"
check "blame works on modular: its growths are history's deltas" python3 -c "
import json
h = json.load(open('$SCRATCH/modular.json'))['builds']
b = json.load(open('$SCRATCH/blame-m.json'))['rows']
grow = sorted((x['commit'], x['delta']) for x in h[1:] if x['delta'] > 0)
got = sorted((r['commit'], r['delta']) for r in b)
assert got == grow, (got, grow)"
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

# the walk's selection, listed by --dry-run: tags only, every Nth (the newest always), slices
git clone -q "$repo" "$SCRATCH/tagged"
mapfile -t fp <"$HISTORY/first-parent.txt"
git -C "$SCRATCH/tagged" tag v1 "${fp[3]}"
git -C "$SCRATCH/tagged" -c user.name=t -c user.email=t@e tag -a -m "release 2" v2 "${fp[10]}"
"$KBLOAT" collect --repo "$SCRATCH/tagged" --range main --first-parent --tags --dry-run \
	--db "$SCRATCH/dry.db" >"$SCRATCH/tags.out"
# (the sample's own v6.1, lightweight on its first commit, and v6.1.1, annotated on main,
# come with the clone: make-history.sh)
check "--tags: the tagged commits (an annotated tag peeled), oldest first" test \
	"$(cut -d' ' -f1 "$SCRATCH/tags.out" | tr '\n' ' ')" = "${fp[0]} ${fp[3]} ${fp[10]} ${fp[-1]} "
"$KBLOAT" collect --repo "$repo" --range main --first-parent --every 10 --dry-run \
	--db "$SCRATCH/dry.db" >"$SCRATCH/every.out"
n=${#fp[@]}
check "--every 10: every 10th commit counted back from the newest" test \
	"$(cut -d' ' -f1 "$SCRATCH/every.out" | tr '\n' ' ')" = \
	"$(for ((i = (n - 1) % 10; i < n; i += 10)); do printf '%s ' "${fp[$i]}"; done)"
for k in 1 2 3; do
	"$KBLOAT" collect --repo "$repo" --range main --shard "$k/3" --dry-run \
		--db "$SCRATCH/dry.db" >"$SCRATCH/shard$k.out"
done
check "--shard K/3: three slices that are the whole walk, in order" cmp -s \
	<(cat "$SCRATCH"/shard[123].out) \
	<("$KBLOAT" collect --repo "$repo" --range main --dry-run --db "$SCRATCH/dry.db")

# a build past --timeout: make (here a stand-in that hangs at vmlinux) is killed, the build
# recorded as failed by timeout, and the walk goes on. Whatever the machine's load, only
# vmlinux may take the time: the configure steps copy a .config made beforehand (no make,
# no compiler), and vmlinux waits on a FIFO that never gets a writer.
mkdir -p "$SCRATCH/bin"
cp "$o/tinyconfig-x86_64/.config" "$SCRATCH/tiny.config"
mkfifo "$SCRATCH/never"
cat >"$SCRATCH/bin/make" <<EOF
#!/bin/sh
for a; do case \$a in O=*) obj=\${a#O=} ;; esac; done
case "\$*" in
*vmlinux*) exec cat "$SCRATCH/never" ;;
*config*) mkdir -p "\$obj" && exec cp "$SCRATCH/tiny.config" "\$obj/.config" ;;
esac
exec $(command -v make) "\$@"
EOF
chmod +x "$SCRATCH/bin/make"
set +e
PATH=$SCRATCH/bin:$PATH "$KBLOAT" collect --repo "$repo" --range main~2..main --first-parent \
	--db "$SCRATCH/slow.db" --timeout 2s >"$SCRATCH/slow.out" 2>"$SCRATCH/slow.err"
rc=$?
set -e
check "--timeout: the walk ends normally (exit $rc)" test "$rc" = 0
check "--timeout: both builds are killed and recorded" grep -qx \
	"2 commits x 1 configs: 2 built (2 failed), 0 already recorded" "$SCRATCH/slow.out"
check "--timeout: the line says so" grep -q \
	"timed out (make vmlinux: killed after the 2 s timeout)" "$SCRATCH/slow.err"
check "--timeout: show prints it" bash -c "'$KBLOAT' show --db '$SCRATCH/slow.db' \
	'$(git -C "$repo" rev-parse main)' | grep -q 'killed after the 2 s timeout'"
check "--timeout: no make is left running" test -z "$(pgrep -f "$SCRATCH/bin/make" || true)"

# on a terminal, a progress bar (script(1) gives the collector one)
if command -v script >/dev/null; then
	script -qec "'$KBLOAT' collect --repo '$repo' --range main~1..main --db '$SCRATCH/tty.db'" \
		/dev/null >"$SCRATCH/tty.out" 2>&1 || true
	check "a terminal gets the progress bar" grep -q "0/1 00:00:0[0-9] ETA" "$SCRATCH/tty.out"
else
	echo "MISSING: script(1), to test the progress bar (Debian's bsdutils has it): this check FAILS" >&2
	fail "script(1) missing"
fi

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
