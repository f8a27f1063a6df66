#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-collect.sh [REPO RANGE [CONFIG]] - what incremental builds save: `kbloat collect` over N
# consecutive commits in one persistent O= directory, against the same N commits each built
# clean (a fresh work directory per commit, as a CI without a cache would).  Goal: the walk
# takes at most 0.35 of the clean builds.  The walk runs twice: as collect does by default,
# skipping make for commits that change none of the build's inputs, and with --no-skip.
# Neither uses ccache (--cc-wrapper none): the clean builds stand for a CI without a cache.
#
# Without arguments: the bundled sample history (tests/fixtures/make-history.sh), every
# commit of main, tinyconfig.  With REPO RANGE: a real kernel repository and a range of it
# (e.g. ~/linux v6.1.187..v6.1.192).  KBLOAT (default build/src/kbloat) is the binary,
# OUT (default build-bench/collect) the scratch directory, JOBS make's -j.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kbloat=${KBLOAT:-$top/build/src/kbloat}
out=${OUT:-$top/build-bench/collect}
jobs=${JOBS:-$(nproc)}
[ -x "$kbloat" ] || { echo "run-collect.sh: $kbloat: build kbloat first (cmake --build build)" >&2; exit 2; }
mkdir -p "$out"

if [ $# -ge 2 ]; then
	repo=$1 range=$2 config=${3:-tinyconfig} label="$1 $2"
else
	bash "$top/tests/fixtures/make-history.sh" "$out/history" >/dev/null
	repo=$out/history/repo range=main config=${1:-tinyconfig} label="sample history (main)"
fi
mapfile -t commits < <(git -C "$repo" rev-list --reverse --topo-order "$range")
n=${#commits[@]}
[ "$n" -gt 0 ] || { echo "run-collect.sh: $range: no commits" >&2; exit 2; }

secs() { date +%s.%N; }

walk() { # walk NAME [OPTION...]: the seconds of one walk into a fresh work directory
	local name=$1 t0 t1
	shift
	rm -rf "$out/$name.db" "$out/$name.db.work"
	t0=$(secs)
	"$kbloat" collect --repo "$repo" --range "$range" --config "$config" --db "$out/$name.db" \
		-j "$jobs" --keep-going --cc-wrapper none "$@" >"$out/$name.out" 2>"$out/$name.err"
	t1=$(secs)
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
inc=$(walk inc)
noskip=$(walk noskip --no-skip)
skipped=$(awk '/recorded without make/ {print $1}' "$out/inc.out")

clean=0
for sha in "${commits[@]}"; do
	rm -rf "$out/clean.db" "$out/clean.db.work"
	# the commit alone: its parents are not built, but they are known to the store
	if parent=$(git -C "$repo" rev-parse -q --verify "$sha^" 2>/dev/null); then
		r="$parent..$sha"
	else
		r=$sha
	fi
	t0=$(secs)
	"$kbloat" collect --repo "$repo" --range "$r" --first-parent --config "$config" \
		--db "$out/clean.db" -j "$jobs" --keep-going --cc-wrapper none >/dev/null \
		2>>"$out/clean.err"
	t1=$(secs)
	clean=$(awk -v c="$clean" -v a="$t0" -v b="$t1" 'BEGIN { print c + b - a }')
done
rm -rf "$out/clean.db" "$out/clean.db.work"

printf '%s, %s, %d commits, -j%s\n' "$label" "$config" "$n" "$jobs"
awk -v i="$inc" -v s="$noskip" -v k="${skipped:-0}" -v c="$clean" -v n="$n" 'BEGIN {
	printf "  incremental walk: %8.1f s (%.2f s per commit; %d not rebuilt)\n", i, i / n, k
	printf "  ... --no-skip:    %8.1f s (%.2f s per commit)\n", s, s / n
	printf "  clean builds:     %8.1f s (%.2f s per commit)\n", c, c / n
	printf "  ratio:            %8.2f (goal <= 0.35)\n", i / c
}'
