#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-modular.sh [SRC BUILD] - how long `kbloat modular` takes on a build at the scale of an
# x86_64 defconfig (best of 3, peak RSS), and that its numbers reconcile there (objects, fill
# and linker bytes sum to size(1)'s total). Goal: under 5 s and 500 MB.
#
# Without arguments: a generated tree and build (tests/bench/gen-modular-tree.sh: 2,700
# objects, ~15,000 Kconfig symbols, 300 kbuild Makefiles). With SRC BUILD: a real kernel tree
# and its O= directory built with CONFIG_VMLINUX_MAP=y. KBLOAT (default build/src/kbloat) is
# the binary, OUT (default build-bench/modular) the scratch directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kbloat=${KBLOAT:-$top/build/src/kbloat}
out=${OUT:-$top/build-bench/modular}
[ -x "$kbloat" ] || { echo "run-modular.sh: $kbloat: build kbloat first (cmake --build build)" >&2; exit 2; }
if [ $# -ge 2 ]; then
	src=$1 build=$2 label="$1"
else
	bash "$here/gen-modular-tree.sh" "$out/tree"
	src=$out/tree/src build=$out/tree/build label="generated: $(find "$src/drivers" -mindepth 1 -maxdepth 1 -type d | wc -l) directories"
fi
mkdir -p "$out"
best=
for i in 1 2 3; do
	/usr/bin/time -f "%e %M" -o "$out/time" "$kbloat" modular --src "$src" --build "$build" --json \
		>"$out/report.json"
	read -r secs rss <"$out/time"
	if [ -z "$best" ] || awk "BEGIN { exit !($secs < $best) }"; then best=$secs best_rss=$rss; fi
done
total=$(size "$build/vmlinux" | awk 'NR == 2 { print $4 }')
python3 - "$out/report.json" "$total" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
a = d["attribution"]
s = sum(sum(a[k].values()) for k in a)
assert s == d["total"] == int(sys.argv[2]), (s, d["total"], sys.argv[2])
print("objects %d, tristate candidates %d (%d bytes), bool candidates %d (%d bytes), reconciled with size(1): %d"
      % (len(d["objects"]), len(d["tristate_candidates"]["rows"]), d["tristate_candidates"]["bytes"],
	 len(d["bool_candidates"]["rows"]), d["bool_candidates"]["bytes"], d["total"]))
PY
echo "$label: kbloat modular best of 3: ${best} s, peak RSS $((best_rss / 1024)) MB (goal: < 5 s, < 500 MB)"
