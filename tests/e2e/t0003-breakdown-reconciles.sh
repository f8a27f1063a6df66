#!/usr/bin/env bash
# Every listing kbloat syms prints sums to the image's total, whatever it is grouped by and
# however it is attributed (DWARF, map, both, neither): rows plus the "more" line equal the
# total, the total equals size(1)'s dec column, and each class equals kbloat size's class.
. "$(dirname "$0")/lib.sh"

n=0
for img in $(fixture_images); do
	name=$(basename "$img")
	"$KBLOAT" size --json "$img" >"$SCRATCH/$name.size"
	maps=("")
	[ -f "$img.map" ] && maps+=("--map=$img.map")
	for map in "${maps[@]}"; do
		for by in "" symbol file dir subsystem section class; do
			for top in "" 3; do
				args=(${by:+--by $by} ${top:+--top $top} $map)
				n=$((n + 1))
				echo "$name.size syms ${args[*]} $name" >"$SCRATCH/case$n"
				"$KBLOAT" syms --json "${args[@]}" "$img" >"$SCRATCH/case$n.json" 2>"$SCRATCH/err" ||
					fail "syms ${args[*]} $name failed: $(cat "$SCRATCH/err")"
			done
		done
	done
done

# one python for all the cases: each listing's rows (and "rest") sum to the total, the
# total and classes equal kbloat size's, and a roll-up's class columns sum to the classes
python3 - "$SCRATCH" "$n" >"$SCRATCH/report" <<'PY' || true
import json, sys
scratch, n = sys.argv[1], int(sys.argv[2])
for i in range(1, n + 1):
    size_file, what = open("%s/case%d" % (scratch, i)).read().strip().split(" ", 1)
    try:
        d = json.load(open("%s/case%d.json" % (scratch, i)))
        s = json.load(open("%s/%s" % (scratch, size_file)))["images"][0]
        assert d["total"] == s["total"], (d["total"], s["total"])
        assert d["classes"] == s["classes"], (d["classes"], s["classes"])
        rows = sum(r["bytes"] for r in d["rows"]) + d["rest"]["bytes"]
        assert rows == d["total"], (rows, d["total"])
        if d["by"] is not None:
            for c in s["classes"]:
                got = sum(r["classes"][c] for r in d["rows"]) + d["rest"]["classes"][c]
                assert got == s["classes"][c], (c, got, s["classes"][c])
        print("ok", what)
    except Exception as e:
        print("FAIL", what, repr(e))
PY
while read -r status what; do
	if [ "$status" = ok ]; then ok; else fail "$what sums to the total"; fi
done <"$SCRATCH/report"
check "every case was checked" test "$(grep -c . "$SCRATCH/report")" -eq "$n"

# the text listing's Total line carries the same number as size(1)
img=$FIXTURES/vmlinux-g5
dec=$(size "$img" | awk 'NR==2 {print $4}')
check "text Total line equals size(1)" grep -q "^Total: $dec bytes" <("$KBLOAT" syms --by file "$img")

# aliases count once: the alias and its target are one row with the other as alias
"$KBLOAT" syms --json "$img" >"$SCRATCH/j"
check "an alias and its target share one row" pyjson "$SCRATCH/j" '
rows=[r for r in d["rows"] if r.get("aliases")]
assert rows, "no row with aliases"'
done_testing
