#!/bin/bash
# A store names a build by (commit, config, arch): the toolchain is part of the config's
# name, so the same commits collected with gcc, then with LLVM=1 (clang and lld), are two
# configs, each built and recorded with its own compiler, and neither's history changes
# when the other is collected. CROSS_COMPILE as the arch's own Debian triplet
# (x86_64-linux-gnu-) is the gcc that no prefix runs: the same config.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
repo=$HISTORY/repo
db=$SCRATCH/k.db
kc=("$KBLOAT" collect --repo "$repo" --range main~3..main --db "$db" -j2 --cc-wrapper none)
for tool in clang ld.lld x86_64-linux-gnu-gcc; do
	command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup-deps.sh --test installs it)"
done
# "status|compiler" of each build of a config, oldest first
stored() {
	python3 -c "
import sqlite3, sys
c = sqlite3.connect('file:$db?mode=ro', uri=True)
for r in c.execute('''SELECT b.status, t.compiler FROM builds b
		JOIN configs cf ON cf.id = b.config_id LEFT JOIN toolchains t ON t.id = b.toolchain_id
		WHERE cf.name = ? ORDER BY b.id''', (sys.argv[1],)):
	print('|'.join(str(x) for x in r))" "$1"
}
sizes() { pyjson "$1" 'print(" ".join(str(b["size"]) for b in d["builds"]))'; }
summary() { grep -c "^3 commits x 1 configs: $1 built (0 failed), $2 already recorded$" "$SCRATCH/out"; }

"${kc[@]}" >"$SCRATCH/out" 2>"$SCRATCH/err" || fail "collect with gcc: $(tail -n3 "$SCRATCH/err")"
check "gcc builds the three commits" test "$(summary 3 0)" = 1
"$KBLOAT" history --db "$db" --json >"$SCRATCH/gcc-before.json"

"${kc[@]}" --llvm >"$SCRATCH/out" 2>"$SCRATCH/err" || fail "collect --llvm: $(tail -n3 "$SCRATCH/err")"
check "LLVM=1 builds the same three commits again, none 'already recorded'" test "$(summary 3 0)" = 1
check "each line of the LLVM=1 walk names its config" \
	test "$(grep -c '^\[[1-3]/3\] [0-9a-f]* tinyconfig LLVM=1: ok ' "$SCRATCH/err")" = 3
check "make ran with LLVM=1" grep -q "running: make .* LLVM=1 " \
	"$db".work/logs/tinyconfig_LLVM_1-x86_64-*/*.log

check "tinyconfig: three builds, each by gcc" \
	test "$(stored tinyconfig | grep -c '^ok|gcc ')" = 3 -a "$(stored tinyconfig | wc -l)" = 3
check "tinyconfig LLVM=1: three builds, each by clang" \
	test "$(stored 'tinyconfig LLVM=1' | grep -c '^ok|.*clang version')" = 3 -a \
	"$(stored 'tinyconfig LLVM=1' | wc -l)" = 3

# history and show answer for each config by its name; gcc's history is what it was
"$KBLOAT" history --db "$db" --config tinyconfig --json >"$SCRATCH/gcc.json"
"$KBLOAT" history --db "$db" --config 'tinyconfig LLVM=1' --json >"$SCRATCH/llvm.json"
check "gcc's history is unchanged by the LLVM=1 collect" \
	test "$(sizes "$SCRATCH/gcc.json")" = "$(sizes "$SCRATCH/gcc-before.json")"
check "LLVM=1's history has its three builds" test "$(sizes "$SCRATCH/llvm.json" | wc -w)" = 3
check "clang's images are not gcc's (another compiler, other sizes)" \
	test "$(sizes "$SCRATCH/llvm.json")" != "$(sizes "$SCRATCH/gcc.json")"
for config in tinyconfig 'tinyconfig LLVM=1'; do
	check "show main --config '$config'" "$KBLOAT" show --db "$db" --config "$config" main >/dev/null
done
expect_error 2 "several configs are recorded \('tinyconfig', 'tinyconfig LLVM=1'\): name one with --config" \
	"$KBLOAT" history --db "$db"
expect_error 2 "config defconfig: not recorded \(the store has 'tinyconfig', 'tinyconfig LLVM=1'\)" \
	"$KBLOAT" show --db "$db" --config defconfig main

# LLVM=1 from the environment is --llvm: the same config, already recorded
LLVM=1 "${kc[@]}" >"$SCRATCH/out" 2>"$SCRATCH/err" || fail "LLVM=1 collect: $(tail -n3 "$SCRATCH/err")"
check "LLVM=1 in the environment is --llvm's config" test "$(summary 0 3)" = 1
# the arch's own triplet is the plain gcc: already recorded, nothing built
CROSS_COMPILE=x86_64-linux-gnu- "${kc[@]}" >"$SCRATCH/out" 2>"$SCRATCH/err" ||
	fail "CROSS_COMPILE=x86_64-linux-gnu- collect: $(tail -n3 "$SCRATCH/err")"
check "CROSS_COMPILE=x86_64-linux-gnu- on x86_64 is tinyconfig" test "$(summary 0 3)" = 1
check "two configs in the store, no third" test "$(python3 -c "
import sqlite3
print(sqlite3.connect('file:$db?mode=ro', uri=True).execute('SELECT count(*) FROM configs').fetchone()[0])")" = 2
done_testing
