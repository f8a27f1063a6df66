#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-mix.sh [--config C] [--commits N] [--walk skip|noskip|both|report] REPO - a real-mix history
# (gen-mix-history.py) collected as a nightly job would: `kbloat collect --range main` from
# its first commit (a build from scratch) over the next N commits (default: all), once as
# collect does by default (skipping make for a commit that changes none of the build's
# inputs) and once with --no-skip, each into a fresh database and a fresh ccache (collect's
# default wrapper, so neither walk profits from the other's cache).
#
# It reports, per walk: the wall time, commits per hour after the first build, how many
# commits were built and how many recorded without make, what one step costs (checkout,
# decision, make, analysis and record: median and p95, skipped, configured only and built
# apart, from collect's per-build lines), the database's bytes per build and how long
# `db check` takes. When both walks' databases are there (this run's or an earlier one's),
# it checks that they recorded the same builds, sizes, items and modular sums
# (tests/e2e/dbdump.py) and exits 1 if not.
#
# KBLOAT (default build/src/kbloat) is the binary, OUT (default build-bench/mix) the scratch
# directory, JOBS make's -j.  Make REPO with
#   tests/bench/gen-mix-history.py /usr/src/linux-source-6.1 mix --commits 200
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kbloat=${KBLOAT:-$top/build/src/kbloat}
out=${OUT:-$top/build-bench/mix}
jobs=${JOBS:-$(nproc)}
config=tinyconfig commits= walks="skip noskip"
usage() { echo "usage: run-mix.sh [--config C] [--commits N] [--walk skip|noskip|both|report] REPO" >&2; exit 2; }
while [ $# -gt 1 ]; do
	case $1 in
	--config) config=$2 ;;
	--commits) commits=$2 ;;
	--walk) case $2 in skip | noskip | report) walks=$2 ;; both) walks="skip noskip" ;; *) usage ;; esac ;;
	*) usage ;;
	esac
	shift 2
done
[ $# -eq 1 ] || usage
repo=$1
[ -x "$kbloat" ] || { echo "run-mix.sh: $kbloat: build kbloat first (cmake --build build)" >&2; exit 2; }
git -C "$repo" rev-parse -q --verify main >/dev/null ||
	{ echo "run-mix.sh: $repo: no branch main (make it with gen-mix-history.py)" >&2; exit 2; }
mkdir -p "$out"

# the range: the root and the first N commits after it, or all of main
tip=main
if [ -n "$commits" ]; then
	tip=$(git -C "$repo" rev-list --reverse --first-parent main | sed -n "$((commits + 1))p")
	[ -n "$tip" ] || { echo "run-mix.sh: main has fewer than $commits commits" >&2; exit 2; }
fi
n=$(git -C "$repo" rev-list --count "$tip")

secs() { date +%s.%N; }
walk() { # walk NAME [OPTION...]
	local name=$1 t0 t1 db=$out/$1-$config.db
	shift
	rm -rf "$db" "$db.work" "$out/$name-$config.ccache"
	t0=$(secs)
	CCACHE_DIR=$out/$name-$config.ccache "$kbloat" collect --repo "$repo" --range "$tip" \
		--config "$config" --db "$db" -j "$jobs" --keep-going "$@" \
		>"$out/$name-$config.out" 2>"$out/$name-$config.err"
	t1=$(secs)
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >"$out/$name-$config.wall"
	t0=$(secs)
	"$kbloat" db check --db "$db" >/dev/null
	awk -v a="$t0" -v b="$(secs)" 'BEGIN { printf "%.2f\n", b - a }' >"$out/$name-$config.check"
}
report() { # report NAME
	local name=$1 db=$out/$1-$config.db
	# per-build lines: "[i/n] sha config: ok TOTAL (+d) [not rebuilt: ...] 0.41s (make 9.1s)  subject"
	python3 - "$out/$name-$config.err" "$(cat "$out/$name-$config.wall")" "$n" \
		"$(stat -c %s "$db")" "$(cat "$out/$name-$config.check")" "$name" <<'PY'
import re, sys
err, wall, n, size, check, name = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
line = re.compile(r"^\[(\d+)/\d+\] \S+ \S+: (\w+).*? ([0-9.]+)s(?: \(make ([0-9.]+)s\))?  ")
steps = []
for l in open(err, errors="replace"):
    m = line.match(l)
    if m:
        kind = "skipped" if "[not rebuilt: no input" in l else \
            "configured" if "[not rebuilt" in l else "built"
        steps.append((int(m.group(1)), m.group(2), kind, float(m.group(3))))
def q(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")
first = [s for s in steps if s[0] == 1]
rest = [s for s in steps if s[0] != 1]
skipped = [s[3] for s in rest if s[2] == "skipped"]
configured = [s[3] for s in rest if s[2] == "configured"]
built = [s[3] for s in rest if s[2] == "built"]
failed = sum(1 for s in steps if s[1] != "ok")
after = wall - (first[0][3] if first else 0)
print("%s: %d commits in %.0f s; the first build %.0f s" % (name, len(steps), wall, first[0][3] if first else 0))
if rest:
    print("  after it: %d commits in %.0f s = %.0f commits/h" % (len(rest), after, len(rest) * 3600 / after))
print("  %d built (%d failed), %d recorded without make (%d of them after the config targets)"
      % (len(built) + len(first), failed, len(skipped) + len(configured), len(configured)))
for what, v in (("skipped", skipped), ("configured, not built,", configured), ("built", built)):
    if v:
        print("  a %s commit's step: median %.2f s, p95 %.2f s" % (what, q(v, 0.5), q(v, 0.95)))
print("  database: %d bytes, %.0f per build; db check %s s" % (size, size / max(1, len(steps)), check))
PY
}

echo "run-mix.sh: $repo, $config, $n commits (the root and $((n - 1)) after it), -j$jobs, $(nproc) cores"
if [ "$walks" = report ]; then # what earlier walks left in OUT, reported again
	for w in skip noskip; do
		[ -f "$out/$w-$config.wall" ] && report "$w"
	done
else
	for w in $walks; do
		if [ "$w" = noskip ]; then walk noskip --no-skip; else walk skip; fi
		report "$w"
	done
fi
if [ -f "$out/skip-$config.db" ] && [ -f "$out/noskip-$config.db" ]; then
	python3 "$top/tests/e2e/dbdump.py" "$out/skip-$config.db" >"$out/skip-$config.dump"
	python3 "$top/tests/e2e/dbdump.py" "$out/noskip-$config.db" >"$out/noskip-$config.dump"
	if cmp -s "$out/skip-$config.dump" "$out/noskip-$config.dump"; then
		echo "both walks recorded the same builds, sizes, items and modular sums" \
			"($(grep -c '^build' "$out/skip-$config.dump") builds)"
	else
		echo "run-mix.sh: the walks differ: diff $out/noskip-$config.dump $out/skip-$config.dump" >&2
		exit 1
	fi
fi
