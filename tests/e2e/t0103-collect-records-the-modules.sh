#!/usr/bin/env bash
# collect --modules on the sample's last two commits: defconfig+modular (every built-in
# tristate a module) and defconfig with DEBUG_INFO, both with CONFIG_MODULES=y, run make
# modules and record the modules modules.order names: their count, and their allocated
# sections summed (readelf says which are allocated; .text, .bss and the init sections are
# checked by class too). tinyconfig has no modules: make modules is not run, and zero is
# recorded. A module of the DEBUG_INFO build names its source file by --by file. What left
# vmlinux shows in the modules: show, history, the chart, ci's budget and merge carry it.
. "$(dirname "$0")/lib.sh"
: "${HISTORY:?}"
repo=$HISTORY/repo
db=$SCRATCH/k.db
printf 'CONFIG_DEBUG_INFO=y\n' >"$SCRATCH/debug.config"
"$KBLOAT" collect --repo "$repo" --range main~1..main --first-parent --db "$db" -j2 --modules \
	--config defconfig+modular --config "defconfig+$SCRATCH/debug.config" --config tinyconfig \
	>"$SCRATCH/out" 2>"$SCRATCH/err" || fail "collect --modules: $(tail -n3 "$SCRATCH/err")"
main=$(git -C "$repo" rev-parse main)
o=$db.work/build

# expect O: "count total text bss init" of the modules O/modules.order names, from readelf
expect() {
	local o=$1 m count=0
	while read -r m; do
		m=${m#kernel/} # before 6.2: kernel/DIR/NAME.ko; since: DIR/NAME.o
		m=${m%.ko}
		readelf -SW "$o/${m%.o}.ko"
		count=$((count + 1))
	done <"$o/modules.order" | python3 -c '
import re, sys
total = text = bss = init = 0
for line in sys.stdin:
    m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+(\S*)", line)
    if not m or m.group(2) == "NULL" or "A" not in m.group(4):
        continue
    name, size = m.group(1), int(m.group(3), 16)
    total += size
    if name.startswith((".init.", ".exit.")):
        init += size
    elif "X" in m.group(4):
        text += size
    elif m.group(2) == "NOBITS":
        bss += size
print(total, text, bss, init, end="")'
	echo " $(grep -c . "$o/modules.order")"
}
stored() {
	sqlite3 -separator ' ' "$db" "SELECT o.mod_total, o.mod_text, o.mod_bss, o.mod_init,
		o.mod_count FROM build_outputs o JOIN builds b ON b.id = o.build_id JOIN configs
		cf ON cf.id = b.config_id JOIN commits c ON c.id = b.commit_id WHERE c.sha =
		'$main' AND cf.name = '$1'"
}
for cfg in defconfig+modular "defconfig+$SCRATCH/debug.config"; do
	if [ "$cfg" = defconfig+modular ]; then
		key=$o/defconfig_modular-x86_64
	else
		key=$(echo "$o"/defconfig_*debug.config-x86_64)
	fi
	want=$(expect "$key")
	check "$cfg: the stored modules are readelf's sums over modules.order ($want)" \
		test "$(stored "$cfg")" = "$want"
	check "$cfg: there are modules" test "${want##* }" -ge 1
done
check "tinyconfig: no modules, zero recorded" test "$(stored tinyconfig)" = "0 0 0 0 0"
check "tinyconfig: make modules did not run" \
	bash -c "! grep -q 'running: make .* modules$' '$db.work/logs/tinyconfig-x86_64/$main.log'"
mod=$(stored defconfig+modular)
full=$(sqlite3 "$db" "SELECT b.total FROM builds b JOIN configs cf ON cf.id = b.config_id
	JOIN commits c ON c.id = b.commit_id WHERE c.sha = '$main' AND cf.name = 'defconfig+modular'")

# a module with DWARF names its source file
dobj=$(echo "$o"/defconfig_*debug.config-x86_64)
"$KBLOAT" syms --by file "$dobj/drivers/net/dummy.ko" >"$SCRATCH/dummy"
check "dummy.ko: its code is drivers/net/dummy.c's" \
	grep -Eq "^ *[0-9]+ +[1-9][0-9]* .* drivers/net/dummy\.c$" "$SCRATCH/dummy"
check "dummy.ko: no file is the build directory" bash -c "! grep -q '$dobj' '$SCRATCH/dummy'"

"$KBLOAT" show --db "$db" --config defconfig+modular "$main" >"$SCRATCH/show"
check "show: the modules, their bytes and classes" grep -Eq \
	"^modules: ${mod##* }, ${mod%% *} bytes( \([+-][0-9]+\))?: text [0-9]+ rodata" "$SCRATCH/show"
"$KBLOAT" history --db "$db" --config defconfig+modular --json >"$SCRATCH/h.json"
check "history --json: the modules beside the kernel" \
	test "$(pyjson "$SCRATCH/h.json" 'b = d["builds"][-1]; print(b["size"], b["modules"])')" = \
	"$full ${mod%% *}"
"$KBLOAT" plot --db "$db" --config defconfig+modular --out "$SCRATCH/plot" --format svg \
	>/dev/null 2>"$SCRATCH/err" || fail "plot: $(tail -n2 "$SCRATCH/err")"
check "the chart draws what is in modules" grep -rq "in modules (make modules)" "$SCRATCH/plot"
# the proper chart (gnuplot's, PNG or SVG) draws them too: its data's last column, per build
proper=$(echo "$SCRATCH"/plot/*-proper.dat)
check "the proper chart's last series is the modules" \
	grep -q '"hard core" "in modules (make modules)"$' "$proper"
check "the proper chart's modules are the stored ones, per build" \
	test "$(awk 'NR > 1 {print $NF}' "$proper" | tr '\n' ' ')" = \
	"$(pyjson "$SCRATCH/h.json" 'print(" ".join(str(b["modules"]) for b in d["builds"]), end=" ")')"
check "gnuplot's proper chart has them in its key" grep -q "in modules (make modules)" \
	"${proper%.dat}.svg"
cat >"$SCRATCH/budget.json" <<JSON
{ "targets": [ { "name": "mods", "config": "defconfig+modular", "max_modules": ${mod%% *} } ] }
JSON
rc=0
"$KBLOAT" ci --db "$db" --baseline main~1 --config defconfig+modular \
	--budget "$SCRATCH/budget.json" >"$SCRATCH/ci" 2>&1 || rc=$?
check "ci: modules exactly at their budget pass" \
	bash -c "[ $rc -eq 0 ] && grep -Eq '^  modules +${mod%% *} +${mod%% *} +\+0 .* ok$' '$SCRATCH/ci'"

# merge carries the rows into another database
"$KBLOAT" merge "$SCRATCH/merged.db" "$db" >/dev/null 2>"$SCRATCH/err" ||
	fail "merge: $(tail -n2 "$SCRATCH/err")"
q='SELECT c.sha, cf.name, o.mod_count, o.mod_total, o.mod_text, o.mod_rodata, o.mod_data,
	o.mod_bss, o.mod_init, o.mod_percpu, o.mod_other FROM build_outputs o JOIN builds b ON
	b.id = o.build_id JOIN configs cf ON cf.id = b.config_id JOIN commits c ON
	c.id = b.commit_id ORDER BY 1, 2'
check "merge: the same modules rows" test "$(sqlite3 "$SCRATCH/merged.db" "$q")" = "$(sqlite3 "$db" "$q")"
check "merge: db check is content" "$KBLOAT" db check --db "$SCRATCH/merged.db" >/dev/null
# db check holds the rows to their rules
cp "$db" "$SCRATCH/bent.db"
sqlite3 "$SCRATCH/bent.db" "UPDATE build_outputs SET mod_text = mod_text + 1 WHERE mod_count > 0"
rc=0
"$KBLOAT" db check --db "$SCRATCH/bent.db" >"$SCRATCH/check" 2>&1 || rc=$?
check "db check: modules whose classes do not sum to their total are a problem (exit 1)" \
	bash -c "[ $rc -eq 1 ] && grep -q \"its modules' classes do not sum to their total\" '$SCRATCH/check'"
done_testing
