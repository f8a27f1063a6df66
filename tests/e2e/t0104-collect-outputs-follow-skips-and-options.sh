#!/usr/bin/env bash
# What collect builds besides vmlinux follows its skipping rules: a build directory made
# without --modules holds no modules, so asking for them builds again even when no input
# changed; a commit that changes nothing the build reads is recorded without make, and its
# modules and boot image are the build directory's, as its image is; a .config without
# modules records none, whatever an earlier build left in the directory.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"

git clone -q "$HISTORY/repo" "$SCRATCH/repo"
repo=$SCRATCH/repo
g() { git -C "$repo" -c user.name=T -c user.email=t@example.org -c commit.gpgsign=false "$@"; }
db=$SCRATCH/k.db
col() { "$KBLOAT" collect --repo "$repo" --db "$db" -j2 --config defconfig "$@" \
	>"$SCRATCH/out" 2>"$SCRATCH/err" || fail "collect $*: $(tail -n3 "$SCRATCH/err")"; }
mods() { sqlite3 -separator ' ' "$db" "SELECT o.mod_count, o.mod_total FROM build_outputs o
	JOIN builds b ON b.id = o.build_id JOIN commits c ON c.id = b.commit_id
	WHERE c.sha = '$1'"; }

col --range origin/main~1..origin/main
check "without --modules nothing is recorded besides vmlinux" \
	test "$(sqlite3 "$db" 'SELECT count(*) FROM build_outputs')" -eq 0
mkdir -p "$repo/Documentation"
echo 'Notes.' >"$repo/Documentation/kb.rst"
g add -A && g commit -qm "Documentation: notes"
col --range origin/main..HEAD --modules
c1=$(g rev-parse HEAD)
check "--modules after a build without: make runs (the directory has no modules)" \
	bash -c "grep -q ' defconfig: ok ' '$SCRATCH/err' && ! grep -q 'not rebuilt' '$SCRATCH/err'"
check "... and make modules ran" \
	grep -q "running: make .* modules$" "$db.work/logs/defconfig-x86_64/$c1.log"
read -r n1 t1 <<<"$(mods "$c1")"
check "the modules are recorded (${n1:-none})" test "${n1:-0}" -ge 1 -a "${t1:-0}" -gt 0
echo 'More notes.' >>"$repo/Documentation/kb.rst"
g commit -qam "Documentation: more notes"
col --range origin/main..HEAD --modules
c2=$(g rev-parse HEAD)
check "a commit that changes nothing built is recorded without make" grep -q "not rebuilt" "$SCRATCH/err"
check "... with the build directory's modules" test "$(mods "$c2")" = "$n1 $t1"
# the defconfig loses CONFIG_MODULES: the modules.order of the last build stays in the
# directory, but this build has no modules
sed -i '/^CONFIG_MODULES=y$/d' "$repo/arch/x86/configs/x86_64_defconfig"
g commit -qam "x86: defconfig without modules"
col --range origin/main..HEAD --modules
c3=$(g rev-parse HEAD)
check "a stale modules.order is left in the directory" test -s "$db.work/build/defconfig-x86_64/modules.order"
check "a build whose .config has no modules records none" test "$(mods "$c3")" = "0 0"
done_testing
