#!/usr/bin/env bash
# syms --by dir --tree: each directory's bytes are its own files' and all its subdirectories'
# (kernel holds kernel/printk), recomputed here from the flat --by dir listing: a node's
# bytes are the sum of the flat rows at or under its path, its own the flat row of its
# path; a parent is its own bytes plus its children's; the roots sum to the image's total;
# each share is bytes/total. --top N keeps N children per level and sums the rest; the text,
# JSON and CSV agree on the nodes and their depths.
. "$(dirname "$0")/lib.sh"

# a file at the root ("/x.c": its directory is "/", as dirname(1) says; it once was "", which
# made the tree crash and then printed a blank name)
mkdir "$SCRATCH/root"
printf 'int big[100] = {1};\nint fn(int x) { return x * 3 + big[x]; }\nvoid _start(void) { for (;;) fn(1); }\n' \
	>"$SCRATCH/root/x.c"
gcc -g -O1 -nostdlib -static -fdebug-prefix-map="$SCRATCH/root=" -o "$SCRATCH/rootfile" \
	"$SCRATCH/root/x.c"
check "the root-file image names /x.c" grep -q '"/x.c"' <("$KBLOAT" syms "$SCRATCH/rootfile" --by file --json)
"$KBLOAT" syms "$SCRATCH/rootfile" --by dir >"$SCRATCH/root.flat" 2>/dev/null
"$KBLOAT" syms "$SCRATCH/rootfile" --by dir --tree >"$SCRATCH/root.tree" 2>/dev/null
for f in flat tree; do
	check "--by dir ($f): /x.c's directory is /" \
		grep -qE '^ +[0-9]+ .*[0-9]  /$' "$SCRATCH/root.$f"
	check "--by dir ($f): no row without a name" test -z "$(grep -E '[0-9] *$' "$SCRATCH/root.$f")"
done
check "--by dir --json: /x.c's directory is \"/\"" \
	pyjson <("$KBLOAT" syms "$SCRATCH/rootfile" --by dir --json) \
	'assert "/" in [r["key"] for r in d["rows"]] and "" not in [r["key"] for r in d["rows"]]'

for img in "$FIXTURES/vmlinux-g5" "$FIXTURES/vmlinux-fs" "$FIXTURES/vmlinux-nog" "$SCRATCH/rootfile"; do
	n=$(basename "$img")
	"$KBLOAT" syms "$img" --by dir --json >"$SCRATCH/$n.flat.json" 2>/dev/null
	"$KBLOAT" syms "$img" --by dir --tree --json >"$SCRATCH/$n.tree.json" 2>/dev/null
	"$KBLOAT" syms "$img" --by dir --tree >"$SCRATCH/$n.tree.txt" 2>/dev/null
	"$KBLOAT" syms "$img" --by dir --tree --format csv >"$SCRATCH/$n.tree.csv" 2>/dev/null
	check "$n: the tree's sums are the flat listing's, cumulated" python3 - \
		"$SCRATCH/$n.flat.json" "$SCRATCH/$n.tree.json" <<'PY'
import json, sys
flat, tree = (json.load(open(p)) for p in sys.argv[1:3])
assert flat["rest"]["groups"] == 0
rows = {r["key"]: r for r in flat["rows"]}
total = flat["total"]
assert tree["total"] == total and tree["rest"]["bytes"] == 0

def is_dir(k):  # "/": the directory of "/x.c", a leaf as "." is
    return k and not k.startswith("[") and k not in (".", "/")

def under(path):
    return [r for k, r in rows.items() if k == path or (is_dir(k) and k.startswith(path + "/"))]

seen = set()
def walk(node, depth, parent):
    p = node["dir"]
    seen.add(p)
    want = under(p) if is_dir(p) else [rows[p]]
    assert node["bytes"] == sum(r["bytes"] for r in want), (p, node["bytes"])
    assert node["rows"] == sum(r["rows"] for r in want), p
    for c in node["classes"]:
        assert node["classes"][c] == sum(r["classes"][c] for r in want), (p, c)
    assert node["own"] == (rows[p]["bytes"] if p in rows else 0), p
    assert node["bytes"] == node["own"] + sum(k["bytes"] for k in node["children"]), p
    assert abs(node["percent"] - round(100 * node["bytes"] / total, 2)) < 0.006, p
    if parent is None:
        assert node["name"] == p
    else:
        assert p == parent + "/" + node["name"], (p, parent)
    sizes = [k["bytes"] for k in node["children"]]
    assert sizes == sorted(sizes, reverse=True), p
    for k in node["children"]:
        walk(k, depth + 1, p)

for r in tree["rows"]:
    walk(r, 0, None)
assert sum(r["bytes"] for r in tree["rows"]) == total
# every flat row is a node; every directory a node is made of is a prefix of a flat row
assert set(rows) <= seen, set(rows) - seen
for p in seen:
    assert p in rows or any(k.startswith(p + "/") for k in rows), p
# kernel/printk is under kernel, and counted in it (the sample's own layout)
if "kernel/printk" in rows:
    k = next(r for r in tree["rows"] if r["dir"] == "kernel")
    assert any(c["dir"] == "kernel/printk" for c in k["children"])
    assert k["bytes"] >= rows["kernel"]["bytes"] + rows["kernel/printk"]["bytes"]
PY
	check "$n: the text's indentation is the JSON's depth, the CSV its nodes in order" python3 - \
		"$SCRATCH/$n.tree.json" "$SCRATCH/$n.tree.txt" "$SCRATCH/$n.tree.csv" <<'PY'
import csv, json, sys
tree = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().splitlines()[1:]
lines = lines[:lines.index(next(l for l in lines if l.startswith("Total:")))]
order = []
def walk(n, d):
    order.append((n["dir"], n["name"], n["bytes"], d))
    for k in n["children"]:
        walk(k, d + 1)
for r in tree["rows"]:
    walk(r, 0)
assert len(lines) == len(order), (len(lines), len(order))
for line, (path, name, b, d) in zip(lines, order):
    f = line[37:]  # bytes, %, own, rows: 10+1+6+1+10+1+6 columns, then two spaces
    assert int(line.split()[0]) == b, line
    assert f == "  " * d + name, (line, d, name)
recs = list(csv.DictReader(open(sys.argv[3], newline="")))
assert [(r["dir"], int(r["bytes"]), int(r["depth"])) for r in recs] == \
    [(p, b, d) for p, _, b, d in order]
PY
done

# --top 2: at most two children per level, the rest summed, and still the parent's bytes
"$KBLOAT" syms "$FIXTURES/vmlinux-g5" --by dir --tree --top 2 --json >"$SCRATCH/top.json" 2>/dev/null
"$KBLOAT" syms "$FIXTURES/vmlinux-g5" --by dir --tree --json >"$SCRATCH/all.json" 2>/dev/null
check "--top 2 keeps the two largest per level and sums the rest" python3 - \
	"$SCRATCH/top.json" "$SCRATCH/all.json" <<'PY'
import json, sys
top, full = (json.load(open(p)) for p in sys.argv[1:3])
def index(rows, out):
    for r in rows:
        out[r["dir"]] = r
        index(r["children"], out)
    return out
allnodes = index(full["rows"], {})
def walk(rows, parent_kids, holder):
    assert len(rows) <= 2
    want = sorted(parent_kids, key=lambda r: (-r["bytes"], r["dir"]))
    assert [r["dir"] for r in rows] == [r["dir"] for r in want[:2]]
    rest = holder.get("rest", {"dirs": 0, "bytes": 0})
    assert rest["dirs"] == len(want) - len(rows), holder.get("dir")
    assert rest["bytes"] == sum(r["bytes"] for r in want[2:]), holder.get("dir")
    for r in rows:
        assert r["bytes"] == allnodes[r["dir"]]["bytes"]
        walk(r["children"], allnodes[r["dir"]]["children"], r)
walk(top["rows"], full["rows"], top)
assert top["rest"]["dirs"] > 0
PY

# --tree is for --by dir alone
expect_error 2 "--tree: only with --by dir" "$KBLOAT" syms "$FIXTURES/vmlinux-g5" --by file --tree
expect_error 2 "--tree: only with --by dir" "$KBLOAT" syms "$FIXTURES/vmlinux-g5" --tree
done_testing
