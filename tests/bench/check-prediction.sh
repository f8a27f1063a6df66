#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-prediction.sh [--bools] SRC O [MAKE-ARG...] - build the kernel `kbloat modular`
# predicts and compare.
#
# O is a built kernel (vmlinux with CONFIG_VMLINUX_MAP=y) of the tree SRC. The script analyses
# it, puts every tristate candidate (1) at =m (`kbloat modular --fragment`: MODULES=y and the
# tristates it takes along), runs olddefconfig and `make vmlinux` in O, analyses the result and
# prints the predicted code and data against the built one. With --bools the bool candidates
# (2) go too: tests/bench/bool2tri.py makes each a tristate in SRC first, so SRC must be a
# scratch copy (`cp -al linux linux-scratch` is enough: edited files are unlinked first). O is
# changed in place: use a copy if you want to keep it. MAKE-ARGs are given to every make (the
# ones O was built with, e.g. ARCH=x86_64 "CC=ccache gcc" LOCALVERSION=). KBLOAT is the binary
# (default build/src/kbloat); the reports go to O.check/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kbloat=${KBLOAT:-$top/build/src/kbloat}
bools=
if [ "${1:-}" = --bools ]; then bools=1; shift; fi
[ $# -ge 2 ] || { echo "usage: check-prediction.sh [--bools] SRC O [MAKE-ARG...]" >&2; exit 2; }
src=$1 o=$2
shift 2
out=$o.check
mkdir -p "$out"
[ -f "$o/vmlinux" ] || { echo "check-prediction.sh: $o/vmlinux: build it first" >&2; exit 2; }

"$kbloat" modular --src "$src" --build "$o" --json >"$out/before.json"
"$kbloat" modular --src "$src" --build "$o" --fragment >"$out/fragment"
key=tristate_as_modules
if [ -n "$bools" ]; then
	python3 "$here/bool2tri.py" "$out/before.json" "$src" >>"$out/fragment"
	key=tristate_and_bool_as_modules
fi
if [ -x "$src/scripts/kconfig/merge_config.sh" ]; then
	"$src/scripts/kconfig/merge_config.sh" -m -O "$o" "$o/.config" "$out/fragment" >"$out/merge.log"
else # a tree without it: kconfig takes the last of two assignments
	cat "$out/fragment" >>"$o/.config"
fi
make -s -C "$src" O="$o" "$@" olddefconfig >>"$out/merge.log"
t0=$(date +%s)
make -C "$src" O="$o" "$@" -j"$(nproc)" vmlinux >"$out/make.log" 2>&1 ||
	{ echo "check-prediction.sh: make vmlinux failed: $out/make.log" >&2; tail -5 "$out/make.log" >&2; exit 1; }
echo "built in $(($(date +%s) - t0)) s"
"$kbloat" modular --src "$src" --build "$o" --json >"$out/after.json"
python3 - "$out" "$key" "$o/.config" <<'PY'
import json, re, sys
out, key, config = sys.argv[1:]
before = json.load(open(out + "/before.json"))
after = json.load(open(out + "/after.json"))
want = {l.split("=")[0][7:] for l in open(out + "/fragment") if l.startswith("CONFIG_") and l.strip().endswith("=m")}
have = {}
for l in open(config):
    m = re.match(r"CONFIG_([A-Za-z0-9_]+)=(.*)", l)
    if m:
        have[m.group(1)] = m.group(2)
back = sorted(n for n in want if have.get(n) != "m")
pred = before["code_and_data"][key]
built = after["code_and_data"]["now"]
print("candidates at =m asked %d, not at =m after olddefconfig %d%s" %
      (len(want), len(back), (": " + " ".join("%s=%s" % (n, have.get(n, "n")) for n in back)) if back else ""))
print("kernel proper before %d, after %d" % (before["total"], after["total"]))
print("code and data: now %d, predicted (%s) %d, built %d, error %+d (%+.3f%%)" %
      (before["code_and_data"]["now"], key, pred, built, built - pred, 100.0 * (built - pred) / pred))
print("hard core: before %d, after %d" % (before["code_and_data"]["hard_core"], after["code_and_data"]["hard_core"]))

# object by object: what left, which candidates' objects stayed, what the staying objects did
def objs(d):
    return {o["object"]: (o.get("owner"), o["bytes"] - o.get("padding", 0) + o.get("kallsyms_share", 0)
                          + o.get("table_share", 0))
            for o in d["objects"] if o["bytes"]}
b, a = objs(before), objs(after)
# the objects the analysis predicts to leave: a (1) candidate's tristate objects, and with
# --bools a (2) candidate's bool objects (an option of the fragment also owns objects that
# stay by the analysis too: obj-y under `ifdef CONFIG_X`, which holds at m)
leave_as = {(r["key"], "tristate") for r in before["tristate_candidates"]["rows"]}
if key == "tristate_and_bool_as_modules":
    leave_as |= {(r["key"], "bool") for r in before["bool_candidates"]["rows"]}
    leave_as |= {(r["key"], "tristate") for r in before.get("tristate_freed", {}).get("rows", [])}
leaves = {o["object"] for o in before["objects"] if (o.get("owner"), o.get("category")) in leave_as}
gone = [(k, v) for k, v in b.items() if k not in a]
gone_cand = sum(c for k, (o, c) in gone if k in leaves)
print("objects gone: %d, %d bytes of code and data (%d of them predicted to leave)" %
      (len(gone), sum(c for k, (o, c) in gone), gone_cand))
for k, (o, c) in sorted(gone, key=lambda x: -x[1][1]):
    if k not in leaves:
        print("  gone, not predicted: %s (%s) %d" % (k, o or "-", c))
stayed = sorted(((k, o, c) for k, (o, c) in b.items() if k in a and k in leaves), key=lambda x: -x[2])
print("objects predicted to leave, still built in: %d, %d bytes" % (len(stayed), sum(c for k, o, c in stayed)))
for k, o, c in stayed[:15]:
    print("  stayed: %s (%s) %d" % (k, o, c))
moved = sorted(((k, a[k][1] - c) for k, (o, c) in b.items() if k in a and a[k][1] != c), key=lambda x: x[1])
print("objects that stayed and changed: %d, %+d bytes" % (len(moved), sum(d for k, d in moved)))
for k, d in moved[:5] + moved[-5:] if len(moved) > 10 else moved:
    print("  %+d %s" % (d, k))
new = [(k, c) for k, (o, c) in a.items() if k not in b]
print("objects new: %d, %d bytes" % (len(new), sum(c for k, c in new)))
PY
