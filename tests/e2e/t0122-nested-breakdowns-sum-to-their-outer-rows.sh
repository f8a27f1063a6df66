#!/usr/bin/env bash
# syms --by OUTER,INNER (as bloaty's -d compileunits,symbols): the outer rows are the flat
# --by OUTER listing's, each outer row's inner rows and their rest sum to it, and the inner
# rows of a file are the --by symbol groups of that file (from the flat listing, not the
# nest); --top N keeps N rows per level; the text's rows and the CSV's are the JSON's.
. "$(dirname "$0")/lib.sh"
img=$FIXTURES/vmlinux-g5
src=$TESTS_SRC/fixtures/minikernel

"$KBLOAT" syms "$img" --by symbol --json --src "$src" >"$SCRATCH/symbol.json" 2>/dev/null
for pair in file,symbol subsystem,file dir,file file,class; do
	outer=${pair%,*} inner=${pair#*,}
	"$KBLOAT" syms "$img" --by "$outer" --json --src "$src" >"$SCRATCH/$outer.json" 2>/dev/null
	"$KBLOAT" syms "$img" --by "$inner" --json --src "$src" >"$SCRATCH/$inner.json" 2>/dev/null
	"$KBLOAT" syms "$img" --by "$pair" --json --src "$src" >"$SCRATCH/$pair.json" 2>/dev/null
	check "--by $pair: the outer rows are --by $outer's, the inner ones sum to them" python3 - \
		"$SCRATCH/$outer.json" "$SCRATCH/$pair.json" "$SCRATCH/symbol.json" "$outer" "$inner" <<'PY'
import json, sys
flat, nest, sym = (json.load(open(p)) for p in sys.argv[1:4])
outer, inner = sys.argv[4:6]
assert nest["by"] == outer and nest["inner"] == inner
total = flat["total"]
assert [(r["key"], r["bytes"], r["rows"]) for r in nest["rows"]] == \
    [(r["key"], r["bytes"], r["rows"]) for r in flat["rows"]]
assert sum(r["bytes"] for r in nest["rows"]) + nest["rest"]["bytes"] == total
for r in nest["rows"]:
    assert r["bytes"] == sum(i["bytes"] for i in r["inner"]) + r["rest"]["bytes"], r["key"]
    assert r["rows"] == sum(i["rows"] for i in r["inner"]), r["key"]
    for c in r["classes"]:
        assert r["classes"][c] == sum(i["classes"][c] for i in r["inner"]) + r["rest"]["classes"][c]
    sizes = [i["bytes"] for i in r["inner"]]
    assert sizes == sorted(sizes, reverse=True)
    assert abs(r["percent"] - round(100 * r["bytes"] / total, 2)) < 0.006
    if outer == "file" and inner == "symbol" and not r["key"].startswith("["):
        # the file's symbols: the flat --by symbol groups whose file it is
        want = sorted((s["key"], s["bytes"]) for s in sym["rows"] if s["file"] == r["key"])
        got = sorted((i["key"], i["bytes"]) for i in r["inner"])
        assert want == got, (r["key"], want, got)
PY
done
# the inner rows summed over every outer row are the flat --by INNER listing (file,class)
check "--by file,class: the classes summed over the files are --by class" python3 -c "
import json, collections
nest = json.load(open('$SCRATCH/file,class.json')); flat = json.load(open('$SCRATCH/class.json'))
s = collections.Counter()
for r in nest['rows']:
    for i in r['inner']:
        s[i['key']] += i['bytes']
assert dict(s) == {r['key']: r['bytes'] for r in flat['rows']}, (s, flat['rows'])
"

# --top 2: two outer rows, two inner rows each, the rests summed
"$KBLOAT" syms "$img" --by file,symbol --top 2 --json >"$SCRATCH/top.json" 2>/dev/null
"$KBLOAT" syms "$img" --by file,symbol --top 2 >"$SCRATCH/top.txt" 2>/dev/null
"$KBLOAT" syms "$img" --by file,symbol --top 2 --format csv >"$SCRATCH/top.csv" 2>/dev/null
check "--top 2 keeps two rows per level and sums the rest" python3 - \
	"$SCRATCH/top.json" "$SCRATCH/file,symbol.json" <<'PY'
import json, sys
top, full = (json.load(open(p)) for p in sys.argv[1:3])
assert [r["key"] for r in top["rows"]] == [r["key"] for r in full["rows"][:2]]
assert top["rest"]["groups"] == len(full["rows"]) - 2
assert top["rest"]["bytes"] == sum(r["bytes"] for r in full["rows"][2:])
for t, f in zip(top["rows"], full["rows"]):
    assert [i["key"] for i in t["inner"]] == [i["key"] for i in f["inner"][:2]]
    assert t["rest"]["bytes"] == sum(i["bytes"] for i in f["inner"][2:])
    assert t["rest"]["groups"] == len(f["inner"]) - min(2, len(f["inner"]))
PY
check "the text lists the JSON's rows, the inner ones indented, then the rests" python3 - \
	"$SCRATCH/top.json" "$SCRATCH/top.txt" <<'PY'
import json, sys
top = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().splitlines()[1:]
want = []
for r in top["rows"]:
    want.append((r["bytes"], r["key"]))
    want += [(i["bytes"], "  " + i["key"]) for i in r["inner"]]
    if r["rest"]["groups"]:
        want.append((r["rest"]["bytes"], "  [%d more]" % r["rest"]["groups"]))
want.append((top["rest"]["bytes"], "[%d more]" % top["rest"]["groups"]))
got = [(int(l[:10]), l[26:]) for l in lines[:len(want)]]
assert got == want, (got, want)
assert lines[len(want)].startswith("Total: ")
PY
check "the CSV has a row per inner row, under its outer key" python3 -c "
import csv, json
top = json.load(open('$SCRATCH/top.json'))
recs = list(csv.DictReader(open('$SCRATCH/top.csv', newline='')))
want = [(r['key'], i['key'], i['bytes']) for r in top['rows'] for i in r['inner']]
assert [(x['file'], x['symbol'], int(x['bytes'])) for x in recs] == want
"

expect_error 2 "--by file,file: not KEY or OUTER,INNER" "$KBLOAT" syms "$img" --by file,file
expect_error 2 "--by file,nope: not KEY or OUTER,INNER" "$KBLOAT" syms "$img" --by file,nope
done_testing
