#!/bin/bash
# shellcheck disable=SC2088 # the specs hold a literal ~: kbloat expands it, not the shell
# collect's configs as a kernel developer names them: any config target the tree's kbuild
# knows (x86_64_defconfig), a .config file as the base ('~' expanded, fragments on top);
# ARCH, CROSS_COMPILE and KCFLAGS from the environment taken as kbuild takes them, and
# --make-arg VAR=VALUE; each recorded with the build and kept apart from the others.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
repo=$HISTORY/repo
db=$SCRATCH/k.db
w=$db.work
kc=("$KBLOAT" collect --repo "$repo" --range main~1..main --db "$db" -j2 --cc-wrapper none)
collect() { "${kc[@]}" "$@"; }
# the stored rows of a config: "name|arch|base|compiler" per build
stored() {
	python3 -c "
import sqlite3, sys
c = sqlite3.connect('file:$db?mode=ro', uri=True)
for r in c.execute('''SELECT cf.name, cf.arch, cf.base, t.compiler FROM builds b
		JOIN configs cf ON cf.id = b.config_id LEFT JOIN toolchains t ON t.id = b.toolchain_id
		WHERE cf.name = ? AND b.status = 'ok' ''', (sys.argv[1],)):
	print('|'.join(str(x) for x in r))" "$1"
}

# an arch's NAME_defconfig, which the tree's make help and arch/x86/configs name
collect --config x86_64_defconfig >"$SCRATCH/out" 2>"$SCRATCH/err" ||
	fail "collect x86_64_defconfig: $(tail -n3 "$SCRATCH/err")"
check "x86_64_defconfig is built and recorded" grep -q "^x86_64_defconfig|x86_64|x86_64_defconfig|" \
	<(stored x86_64_defconfig)
git -C "$repo" show main:arch/x86/configs/x86_64_defconfig >"$SCRATCH/defconfig-answers"
check "the defconfig file has answers" test "$(grep -c ^CONFIG_ "$SCRATCH/defconfig-answers")" -gt 3
check "every answer of arch/x86/configs/x86_64_defconfig is in its .config" test -z \
	"$(grep -vxFf "$w/build/x86_64_defconfig-x86_64/.config" "$SCRATCH/defconfig-answers")"

# a target the tree does not know fails before anything is recorded; one that asks
# questions or reads the .config there is is no base
expect_error 2 "nosuch_defconfig: 'nosuch_defconfig' is not a config target of this tree's kbuild for ARCH=x86_64" \
	"${kc[@]}" --config nosuch_defconfig
check "nothing is recorded for it" test -z "$(stored nosuch_defconfig)"
expect_error 2 "menuconfig: 'menuconfig' cannot be a base" "${kc[@]}" --config menuconfig
expect_error 2 "olddefconfig\+kvm-guest: 'olddefconfig' cannot be a base" \
	"${kc[@]}" --config olddefconfig+kvm-guest

# a .config file as the base, from the home directory: copied in, the fragment on top,
# olddefconfig; its LOG_BUF_SHIFT sizes __log_buf (1 << 17 bytes), the fragment's 8250 is m
mkdir -p "$SCRATCH/home"
sed 's/^CONFIG_LOG_BUF_SHIFT=.*/CONFIG_LOG_BUF_SHIFT=17/' \
	"$w/build/x86_64_defconfig-x86_64/.config" >"$SCRATCH/home/distro-config"
check "the base file changes LOG_BUF_SHIFT" grep -qx CONFIG_LOG_BUF_SHIFT=17 \
	"$SCRATCH/home/distro-config"
printf 'CONFIG_SERIAL_8250=m\n' >"$SCRATCH/home/serial-m.config"
spec='~/distro-config+~/serial-m.config'
HOME=$SCRATCH/home collect --config "$spec" >/dev/null 2>"$SCRATCH/err" ||
	fail "collect $spec: $(tail -n3 "$SCRATCH/err")"
obj=$(echo "$w"/build/_*distro-config*-x86_64)
check "the base .config's answer survives olddefconfig" grep -qx CONFIG_LOG_BUF_SHIFT=17 "$obj/.config"
check "the fragment from ~/ is merged on top" grep -qx CONFIG_SERIAL_8250=m "$obj/.config"
check "__log_buf is 1 << 17 bytes in the image built" \
	grep -qi "^[0-9a-f]* 0*20000 [bB] __log_buf$" <(nm -S "$obj/vmlinux")
check "the stored base is the file, its path absolute" \
	grep -q "^$spec|x86_64|$SCRATCH/home/distro-config|" <(stored "$spec")
expect_error 2 "~/nosuch.config: base .config '~/nosuch.config': $SCRATCH/home/nosuch.config: No such file" \
	env HOME="$SCRATCH/home" "$KBLOAT" collect --repo "$repo" --range main~1..main \
	--db "$db" --config '~/nosuch.config'

# ARCH from the environment, as kbuild takes it (x86 is this tree's other spelling); the
# option wins over it; each arch has its own build directory and its own rows
ARCH=x86 collect --config tinyconfig >/dev/null 2>"$SCRATCH/err" ||
	fail "ARCH=x86 collect: $(tail -n3 "$SCRATCH/err")"
check "ARCH=x86 is recorded as the build's arch" grep -q "^tinyconfig|x86|" <(stored tinyconfig)
check "ARCH=x86 builds in a directory of its own" test -s "$w/build/tinyconfig-x86/vmlinux"
check "make ran with ARCH=x86" grep -q "running: make .* ARCH=x86 " "$w"/logs/tinyconfig-x86/*.log
ARCH=arm64 collect --config allnoconfig --arch x86 --dry-run >/dev/null 2>"$SCRATCH/err" ||
	fail "--arch x86 under ARCH=arm64: $(tail -n3 "$SCRATCH/err")"
check "--arch wins over ARCH (its build directory is made)" test -d "$w/build/allnoconfig-x86"
check "ARCH is not used when --arch is given" test ! -e "$w/build/allnoconfig-arm64"
check "tinyconfig is recorded for x86 alone" test "$(stored tinyconfig | cut -d'|' -f2)" = x86

# CROSS_COMPILE from the environment: a prefixed toolchain (gcc and binutils under another
# name: gcc prints the name it was run by), recorded as the build's compiler, and another
# config (t0112 collects two toolchains side by side)
mkdir -p "$SCRATCH/bin"
for t in gcc ld nm objcopy; do ln -s "$(command -v $t)" "$SCRATCH/bin/kbt-$t"; done
PATH=$SCRATCH/bin:$PATH CROSS_COMPILE=kbt- collect --config allnoconfig >/dev/null \
	2>"$SCRATCH/err" || fail "CROSS_COMPILE=kbt- collect: $(tail -n3 "$SCRATCH/err")"
check "the compiler recorded is CROSS_COMPILE's gcc" \
	grep -q "^allnoconfig CROSS_COMPILE=kbt-|x86_64|allnoconfig|kbt-gcc " \
	<(stored "allnoconfig CROSS_COMPILE=kbt-")
cross_obj=$(echo "$w"/build/allnoconfig_CROSS_COMPILE_kbt--x86_64-*)
check "a toolchain's variables give its own build directory" test -s "$cross_obj/vmlinux"
check "make ran with CROSS_COMPILE=kbt-" grep -q "running: make .* CROSS_COMPILE=kbt- " \
	"$w"/logs/allnoconfig_CROSS_COMPILE_kbt--x86_64-*/*.log

# KCFLAGS from the environment reaches every compile and names the config apart; --make-arg
# puts a variable on every make line, the same way
KCFLAGS=-DKB_FROM_ENV collect --config tinyconfig >/dev/null 2>"$SCRATCH/err" ||
	fail "KCFLAGS=... collect: $(tail -n3 "$SCRATCH/err")"
check "KCFLAGS names the config apart" test -n "$(stored 'tinyconfig KCFLAGS=-DKB_FROM_ENV')"
kobj=$(echo "$w"/build/tinyconfig_KCFLAGS_-DKB_FROM_ENV-x86_64)
check "the build log names KCFLAGS" grep -q "^kbloat: kbuild's variables from the environment: KCFLAGS=-DKB_FROM_ENV$" \
	"$w"/logs/tinyconfig_KCFLAGS_-DKB_FROM_ENV-x86_64/*.log
check "KCFLAGS reached the compiler" grep -q -- "-DKB_FROM_ENV" "$kobj/init/.main.o.cmd"
collect --config tinyconfig --make-arg KCFLAGS=-DKB_FROM_ARG >/dev/null 2>"$SCRATCH/err" ||
	fail "--make-arg KCFLAGS=...: $(tail -n3 "$SCRATCH/err")"
check "--make-arg names the config apart" test -n "$(stored 'tinyconfig KCFLAGS=-DKB_FROM_ARG')"
check "--make-arg is on the make line" grep -q "running: make .* KCFLAGS=-DKB_FROM_ARG " \
	"$w"/logs/tinyconfig_KCFLAGS_-DKB_FROM_ARG-x86_64/*.log
check "--make-arg reached the compiler" grep -q -- "-DKB_FROM_ARG" \
	"$w"/build/tinyconfig_KCFLAGS_-DKB_FROM_ARG-x86_64/init/.main.o.cmd
if command -v clang >/dev/null; then
	collect --config tinyconfig --make-arg CC=clang >/dev/null 2>"$SCRATCH/err" ||
		fail "--make-arg CC=clang: $(tail -n3 "$SCRATCH/err")"
	check "CC= on the make line is the compiler recorded" \
		grep -q "^tinyconfig CC=clang|x86_64|tinyconfig|.*clang version" \
		<(stored "tinyconfig CC=clang")
else
	fail "clang is not installed (scripts/setup-deps.sh --test installs it)"
fi
expect_error 2 "--make-arg FOO BAR=1: not VAR=VALUE" "${kc[@]}" --make-arg "FOO BAR=1"
expect_error 2 "--make-arg =1: not VAR=VALUE" "${kc[@]}" --make-arg "=1"
expect_error 2 "--make-arg O=/tmp: O is set by the work directory" "${kc[@]}" --make-arg O=/tmp
expect_error 2 "--make-arg ARCH=arm64: ARCH is set by --arch" "${kc[@]}" --make-arg ARCH=arm64
done_testing
