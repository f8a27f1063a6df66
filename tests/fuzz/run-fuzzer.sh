#!/usr/bin/env bash
# run-fuzzer.sh FUZZER CORPUS SECONDS [SEED...]: runs a libFuzzer target for a bounded time
# over a corpus seeded from the given files or directories (fixtures, sample inputs).
# Any crash, leak or sanitizer report fails the test; the crashing input is kept in CORPUS/..
set -euo pipefail
fuzzer=$1 corpus=$2 seconds=$3
shift 3
mkdir -p "$corpus"
for seed in "$@"; do
	# seeds may name fixture files that the fixtures-build test made
	seed=${seed//@FIXTURES@/$FIXTURES}
	seed=${seed//@TESTS_SRC@/$TESTS_SRC}
	if [ -d "$seed" ]; then
		find "$seed" -maxdepth 1 -type f -size -4M -exec cp -t "$corpus" {} +
	elif [ -f "$seed" ]; then
		cp "$seed" "$corpus/"
	fi
done
art=$(dirname "$corpus")/artifacts-$(basename "$fuzzer")
mkdir -p "$art"
# A huge malloc must fail as it does outside ASan (NULL, which the readers and libdwarf turn
# into an error), not abort: libdwarf 20210528 asks calloc for a corrupt count's worth.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1"
exec "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=262144 -len_control=0 -timeout=10 \
	-artifact_prefix="$art/" -print_final_stats=1 "$corpus"
