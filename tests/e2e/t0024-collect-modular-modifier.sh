#!/bin/bash
# collect's +modular modifier on the sample history: defconfig+modular and
# tinyconfig+modular are their base config with MODULES=y and every built-in tristate a
# module, every bool and every other value kept. What is expected is derived here, not
# from kbloat: the tristates from the tree's Kconfig files (awk), the objects each option
# builds from its Makefiles, the bytes of each object in vmlinux from the link maps, the
# totals from size(1). A tree without yes2modconfig gets the same .config through the
# Kconfig files; a y bool that selects a tristate keeps it built in on both paths; a
# requested y that became m is not reported unmet; bad specs fail in one line.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
repo=$HISTORY/repo
db=$SCRATCH/k.db
mapfile -t fp <"$HISTORY/first-parent.txt"
# before the watchdog driver (a tristate, default y), the commit adding it, and main
commits=("${fp[16]}" "${fp[17]}" "${fp[${#fp[@]} - 1]}")
configs=(defconfig defconfig+modular tinyconfig tinyconfig+modular)
obj() { echo "$1.work/build/${2//+/_}-x86_64"; } # DB CONFIG: its O= (kb_collect_key)

# tree SHA DIR: the commit's files, from git itself
tree() {
	rm -rf "$2" && mkdir -p "$2" && git -C "$repo" archive "$1" | tar -x -C "$2"
}
# tristates DIR: every symbol whose type is tristate in a Kconfig file, one a line
tristates() {
	find "$1" -name 'Kconfig*' -exec awk '
		/^[ \t]*(menu)?config[ \t]/ { sym = $2; next }
		/^[ \t]*(def_)?tristate([ \t]|$)/ && sym != "" { print sym }
		/^[ \t]*(help|choice|menu|comment|if|endif|endmenu|endchoice|source)([ \t]|$)/ { sym = "" }
	' {} + | sort -u
}
# expect BASE_CONFIG TRISTATES: BASE with MODULES=y and every tristate at y made m
expect() {
	awk -v tri="$2" '
		BEGIN { while ((getline s < tri) > 0) t[s] = 1 }
		$0 == "# CONFIG_MODULES is not set" { print "CONFIG_MODULES=y"; next }
		/^CONFIG_[A-Za-z0-9_]+=y$/ {
			s = substr($0, 8, index($0, "=") - 8)
			if (s in t) { print "CONFIG_" s "=m"; next }
		}
		{ print }' "$1"
}
# changed A B V: the options whose line in .config B, =V, differs from A's
changed() {
	{ diff "$1" "$2" || true; } | sed -n "s/^> CONFIG_\(.*\)=$3\$/\1/p"
}
# objects DIR SYMBOL...: the objects obj-$(CONFIG_SYMBOL) builds, as DIR's Makefiles say
objects() {
	local dir=$1 s
	shift
	for s; do
		(cd "$dir" && grep -rEo --include=Makefile "^obj-\\\$\\(CONFIG_$s\\)[[:space:]]*[:+]?=.*" .) |
			while IFS=: read -r mk line; do
				for f in ${line#*=}; do
					case $f in *.o) echo "$(dirname "${mk#./}")/$f" ;; esac
				done
			done
	done | sort -u
}
# linkcheck BASE_O MOD_O GONE NEW: the modular vmlinux lacks exactly the objects listed in
# GONE and gains exactly those in NEW; every other object puts the same bytes in the same
# output sections; the totals differ by those objects' bytes plus the change of alignment
# padding inside the sections (each from the map; the totals from the images)
linkcheck() {
	python3 - "$@" <<'PY'
import re, subprocess, sys

def alloc_sections(elf):
    out = {}
    txt = subprocess.run(["readelf", "-SW", elf], capture_output=True, text=True, check=True).stdout
    for m in re.finditer(r"\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+(\S*)", txt):
        if "A" in m.group(3):
            out[m.group(1)] = int(m.group(2), 16)
    return out

def layout(path):
    """{output section: [size, {object: bytes}]} from the map's memory map part"""
    secs, cur, inmap, pend_out, pend_in = {}, None, False, None, False
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("Linker script and memory map"):
            inmap = True
            continue
        if not inmap:
            continue
        if pend_out:
            m = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)", line)
            if m:
                cur = pend_out
                secs[cur] = [int(m.group(2), 16), {}]
            pend_out = None
            continue
        m = re.match(r"^(\.\S+)(?:\s+0x([0-9a-f]+)\s+0x([0-9a-f]+))?", line)
        if m:
            if m.group(3) is None:
                pend_out = m.group(1)
            else:
                cur = m.group(1)
                secs[cur] = [int(m.group(3), 16), {}]
            continue
        if cur is None:
            continue
        m = re.match(r"^ \S+\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+\.o)$", line)
        if not m and re.match(r"^ (\.\S+|COMMON)$", line):
            pend_in = True
            continue
        if not m and pend_in:
            m = re.match(r"^\s{16}0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+\.o)$", line)
        pend_in = False
        if m:
            d = secs[cur][1]
            d[m.group(2)] = d.get(m.group(2), 0) + int(m.group(1), 16)
    return secs

def summary(o):
    al, secs = alloc_sections(o + "/vmlinux"), layout(o + "/vmlinux.map")
    objs, pad = {}, 0
    for name, size in al.items():
        assert name in secs and secs[name][0] == size, ("map and image disagree", name, size)
        for obj, n in secs[name][1].items():
            objs[(name, obj)] = n
        pad += size - sum(secs[name][1].values())
    dec = int(subprocess.run(["size", o + "/vmlinux"], capture_output=True, text=True,
                             check=True).stdout.split("\n")[1].split()[3])
    assert dec == sum(al.values()), ("size(1) and the sections disagree", dec)
    return dec, objs, pad

base, mod = summary(sys.argv[1]), summary(sys.argv[2])
gone_want, new_want = set(sys.argv[3].split()), set(sys.argv[4].split())
gone = {k: v for k, v in base[1].items() if k not in mod[1]}
new = {k: v for k, v in mod[1].items() if k not in base[1]}
assert {o for _, o in gone} == gone_want, ("gone", sorted(gone), gone_want)
assert {o for _, o in new} == new_want, ("new", sorted(new), new_want)
same = [k for k in mod[1] if k in base[1] and mod[1][k] != base[1][k]]
assert not same, ("objects that changed", same)
moved = sum(gone.values()) - sum(new.values())
# the padding between input sections shifts by less than their alignment
assert abs(base[2] - mod[2]) < 64 * len({s for s, _ in gone} | {s for s, _ in new}), (base[2], mod[2])
assert base[0] - mod[0] == moved + base[2] - mod[2], (base[0], mod[0], moved)
print(base[0], mod[0], moved)
PY
}
# total DB CONFIG SHA: the kernel proper kbloat recorded
total() {
	"$KBLOAT" history --db "$1" --config "$2" --json |
		python3 -c "import json,sys; print([b['size'] for b in json.load(sys.stdin)['builds'] if b['commit'] == sys.argv[1]][0])" "$3"
}

for sha in "${commits[@]}"; do
	args=()
	for c in "${configs[@]}"; do args+=(--config "$c"); done
	"$KBLOAT" collect --repo "$repo" --range "$sha~1..$sha" --first-parent --db "$db" -j2 \
		"${args[@]}" >"$SCRATCH/out" 2>"$SCRATCH/err" ||
		fail "collect ${sha:0:12}: $(tail -n3 "$SCRATCH/err")"
	check "${sha:0:12}: 4 configs built" grep -qx \
		"1 commits x 4 configs: 4 built (0 failed), 0 already recorded" "$SCRATCH/out"
	tree "$sha" "$SCRATCH/tree"
	tristates "$SCRATCH/tree" >"$SCRATCH/tri"
	check "${sha:0:12}: the tree has tristates" grep -qx EXT4_FS "$SCRATCH/tri"
	mkdir -p "$SCRATCH/cfg/$sha"
	for b in defconfig tinyconfig; do
		bo=$(obj "$db" "$b") mo=$(obj "$db" "$b+modular")
		cp "$mo/.config" "$SCRATCH/cfg/$sha/$b+modular"
		check "${sha:0:12} $b+modular: MODULES=y" grep -qx CONFIG_MODULES=y "$mo/.config"
		expect "$bo/.config" "$SCRATCH/tri" >"$SCRATCH/want"
		check "${sha:0:12} $b+modular: $b's .config, every tristate at y now m, all else kept" \
			diff -u "$SCRATCH/want" "$mo/.config"
		# the options that changed, and the objects they build
		tom=$(changed "$bo/.config" "$mo/.config" m) toy=$(changed "$bo/.config" "$mo/.config" y)
		# shellcheck disable=SC2086 # one symbol a word
		gone=$(objects "$SCRATCH/tree" $tom) new=$(objects "$SCRATCH/tree" $toy)
		check "${sha:0:12} $b+modular: some object leaves vmlinux" test -n "$gone"
		check "${sha:0:12} $b+modular: vmlinux lacks exactly [${gone//$'\n'/ }], gains [${new//$'\n'/ }]" \
			linkcheck "$bo" "$mo" "$gone" "$new" >"$SCRATCH/sizes" || cat "$SCRATCH/sizes" >&2
		read -r bdec mdec _ <"$SCRATCH/sizes" || true
		check "${sha:0:12} $b: the total is size(1)'s" test "$(total "$db" "$b" "$sha")" = "$bdec"
		check "${sha:0:12} $b+modular: the total is size(1)'s" \
			test "$(total "$db" "$b+modular" "$sha")" = "$mdec"
	done
done
# what the expectations rest on, at main: ext4 (and the crc32 it selects), the serial
# driver and the watchdog are the tristates defconfig builds in
nmod=$(changed "$(obj "$db" defconfig)/.config" "$(obj "$db" defconfig+modular)/.config" m | wc -l)
check "main: defconfig+modular made four tristates modules" test "$nmod" = 4
check "main: ext4 is not in defconfig+modular's kernel proper" test -z \
	"$(grep ' ext4_iget$' "$(obj "$db" defconfig+modular)/System.map")"
check "before the watchdog: three tristates" test "$(grep -c '=m$' \
	"$SCRATCH/cfg/${commits[0]}/defconfig+modular")" = 4 # DUMMY=m in defconfig already
check "the store tells defconfig+modular from defconfig (base and fragments)" test \
	"$(sqlite3 "file:$db?mode=ro" "SELECT name || '|' || base || '|' || fragments FROM configs \
		ORDER BY name" | tr '\n' ' ')" = \
	"defconfig|defconfig| defconfig+modular|defconfig|+modular tinyconfig|tinyconfig| tinyconfig+modular|tinyconfig|+modular "

# a fragment's y that +modular made m is met; a y that did not survive is still said
printf 'CONFIG_EXT4_FS=y\nCONFIG_NET=y\nCONFIG_LOG_BUF_SHIFT=16\n' >"$SCRATCH/asks.config"
printf '# CONFIG_NET is not set\nCONFIG_DUMMY=y\n' >"$SCRATCH/nonet.config"
main=${commits[2]}
"$KBLOAT" collect --repo "$repo" --range "$main~1..$main" --first-parent --db "$SCRATCH/u.db" \
	-j2 --config "defconfig+$SCRATCH/asks.config+modular" \
	--config "defconfig+$SCRATCH/nonet.config+modular" >/dev/null 2>"$SCRATCH/err" ||
	fail "collect with fragments: $(tail -n3 "$SCRATCH/err")"
ao=$(echo "$SCRATCH/u.db.work"/build/defconfig_*asks.config_modular-x86_64)
no=$(echo "$SCRATCH/u.db.work"/build/defconfig_*nonet.config_modular-x86_64)
check "the fragment's EXT4_FS=y became m" grep -qx CONFIG_EXT4_FS=m "$ao/.config"
check "its bool and int stay" grep -qx CONFIG_LOG_BUF_SHIFT=16 "$ao/.config"
# (map.config's BUILTIN_MODULE_RANGES is a 6.12 option the sample's Kconfig does not define:
# kbloat's own fragment asking for it is no unmet request either)
check "a y made m, or an option the tree lacks, is not reported unmet" test -z \
	"$(grep 'Value requested' "$SCRATCH/u.db.work/logs/${ao##*/}/$main.log")"
check "a y whose dependency is off is still reported" grep -qx \
	"Value requested for CONFIG_DUMMY not in final .config: requested CONFIG_DUMMY=y, actual (unset)" \
	"$SCRATCH/u.db.work/logs/${no##*/}/$main.log"

# a tree without yes2modconfig: the Kconfig files give the same .config. On a copy of the
# repository, a commit adds a y bool that selects CRC32 (yes2modconfig must leave CRC32 y,
# as Kconfig puts it back), then a commit takes the yes2modconfig target out of the Makefile.
git clone -q "$repo" "$SCRATCH/noy2m"
gx() { git -C "$SCRATCH/noy2m" -c user.name=t -c user.email=t@e -c commit.gpgsign=false "$@"; }
sed -i '/^endmenu/i\
config CRC_SELFTEST\
	bool "Check crc32_le at boot"\
	default y\
	select CRC32\
' "$SCRATCH/noy2m/lib/Kconfig"
gx commit -qam "lib: a y bool that selects CRC32"
sed -i -e '/^#.*yes2modconfig/d' -e 's/ yes2modconfig//g' -e 's/yes2modconfig //g' \
	"$SCRATCH/noy2m/Makefile"
check "the Makefile names yes2modconfig no more" test -z \
	"$(grep -w yes2modconfig "$SCRATCH/noy2m/Makefile" || true)"
gx commit -qam "kbuild: no yes2modconfig"
for rev in HEAD~1 HEAD; do
	"$KBLOAT" collect --repo "$SCRATCH/noy2m" --range "$rev~1..$rev" --first-parent \
		--db "$SCRATCH/n.db" -j2 --config defconfig+modular >/dev/null 2>"$SCRATCH/err" ||
		fail "collect defconfig+modular at $rev: $(tail -n3 "$SCRATCH/err")"
	cp "$(obj "$SCRATCH/n.db" defconfig+modular)/.config" "$SCRATCH/n-$rev.config"
done
nlog=$SCRATCH/n.db.work/logs/defconfig_modular-x86_64
check "yes2modconfig ran where the tree has it" grep -q " yes2modconfig$" \
	"$nlog/$(gx rev-parse HEAD~1).log"
check "where it has not, the Kconfig files did it (the log says so)" grep -qx \
	"kbloat: +modular: this tree has no yes2modconfig: $nmod built-in tristates of its Kconfig files made m, then olddefconfig" \
	"$nlog/$(gx rev-parse HEAD).log"
check "and no make yes2modconfig ran" test -z "$(grep " yes2modconfig$" "$nlog/$(gx rev-parse HEAD).log")"
check "the fallback's .config is yes2modconfig's" diff -u "$SCRATCH/n-HEAD~1.config" \
	"$SCRATCH/n-HEAD.config"
check "a tristate a y bool selects stays y" grep -qx CONFIG_CRC32=y "$SCRATCH/n-HEAD.config"
check "the other tristates are modules" test "$(grep -c '=m$' "$SCRATCH/n-HEAD.config")" = 4
check "the fallback's .config is main's but for the new bool" diff -u \
	<(grep -v CRC "$SCRATCH/cfg/$main/defconfig+modular") <(grep -v CRC "$SCRATCH/n-HEAD.config")
check "crc32 stays in the kernel proper" grep -q " crc32_le$" \
	"$(obj "$SCRATCH/n.db" defconfig+modular)/System.map"

# bad specs: one line naming the spec, exit 2, nothing stored changed
dbdump "$db" >"$SCRATCH/before"
for spec in defconfig+modular+modular +modular modular+modular defconfig+modular+map; do
	expect_error 2 "^kbloat: .*$(printf '%s' "$spec" | sed 's/[+]/[+]/g'): " \
		"$KBLOAT" collect --repo "$repo" --range main --db "$db" --config "$spec"
done
dbdump "$db" >"$SCRATCH/after"
check "failed runs change nothing stored" cmp -s "$SCRATCH/before" "$SCRATCH/after"
done_testing
