#!/bin/bash
#
# run-site.sh [--builds N] [--symbols M] [--configs 1|2] [--nightly K] [--dir DIR] - times the
# site, the charts and the nightly report on a store of a release's size.
#
# Generates once (cached as DIR/site-N-M-C.db, with gen_history's reports beside it) a store
# of N builds (default 10,000) of an M-symbol kernel (default 40,000) in C configs (default
# 2): tinyconfig, and with 2 also defconfig, the same commits recorded again from another
# image (gen_history --config defconfig --append --seed 2). Then times, once each (a run of
# the site takes long enough to say what it costs), with /usr/bin/time:
#
#   kbloat site --db DB --out DIR/site        (SOURCE_DATE_EPOCH set: the same pages each run)
#   the same again over that site             (a nightly job's: only changed pages written)
#   kbloat plot --db DB --out DIR/plot
#   kbloat ci --db DB --baseline B --threshold 256 --format F
#                                             (F: text, md, junit, mail; B: K builds before
#                                              the newest, default 200: a night's commits;
#                                              256 bytes, so that its small changes count)
#
# and prints for each its wall time, CPU (user + system, gnuplot's included), peak resident
# memory and what it wrote (files, bytes). The outputs stay in DIR (default build-bench).
# gen_history is $GEN_HISTORY, else build/tests/gen_history; kbloat is $KBLOAT, else
# build/src/kbloat. Exit status: 0 when every command worked (ci's 1, regressions found, is
# a report that worked), 1 otherwise, 2 on a usage error.
set -u

usage() {
	echo "usage: run-site.sh [--builds N] [--symbols M] [--configs 1|2] [--nightly K]" \
		"[--dir DIR]" >&2
	exit 2
}

die() {
	echo "run-site.sh: $*" >&2
	exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=$root/build-bench
builds=10000
symbols=40000
configs=2
nightly=200
while [ $# -gt 0 ]; do
	case $1 in
	--builds | --symbols | --configs | --nightly)
		[ $# -ge 2 ] || usage
		case $2 in '' | *[!0-9]* | 0) die "$1 $2: not a positive number" ;; esac
		declare "${1#--}=$2"
		shift 2
		;;
	--dir)
		[ $# -ge 2 ] || usage
		dir=$2
		shift 2
		;;
	*) usage ;;
	esac
done
[ "$configs" -le 2 ] || die "--configs $configs: 1 or 2"
[ "$nightly" -lt "$builds" ] || die "--nightly $nightly: fewer than the $builds builds"

kbloat=${KBLOAT:-$root/build/src/kbloat}
gen_history=${GEN_HISTORY:-$root/build/tests/gen_history}
[ -x "$kbloat" ] || die "$kbloat: no kbloat binary (build it, or set KBLOAT)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian: apt install time)"
command -v python3 >/dev/null || die "python3 is missing: it reads the database's figures"
mkdir -p "$dir" || die "$dir: cannot create the directory"
dir=$(cd "$dir" && pwd)

# The database, made once: each config's log ends with gen_history's "time:" line.
db=$dir/site-$builds-$symbols-$configs.db
names=(tinyconfig defconfig)
made=1
for ((k = 0; k < configs; k++)); do
	grep -q '^time: ' "$db.${names[k]}.log" 2>/dev/null || made=0
done
if [ $made = 0 ] || [ ! -s "$db" ]; then
	[ -x "$gen_history" ] || die "$gen_history: no gen_history (build it, or set GEN_HISTORY)"
	rm -f "$db" "$db-wal" "$db-shm" "$db".*.log
	for ((k = 0; k < configs; k++)); do
		echo "generating $db: $builds builds of $symbols symbols, ${names[k]} (progress on" \
			"stderr)"
		"$gen_history" "$db" --builds "$builds" --symbols "$symbols" --seed $((k + 1)) \
			--config "${names[k]}" $([ $k -gt 0 ] && echo --append) \
			>"$db.${names[k]}.tmp" || die "gen_history failed; see $db.${names[k]}.tmp"
		mv "$db.${names[k]}.tmp" "$db.${names[k]}.log"
	done
fi

# sql QUERY: prints the rows of a query on the database, fields separated by tabs.
sql() {
	python3 - "$db" "$1" <<-'EOF'
	import sqlite3, sys
	con = sqlite3.connect(sys.argv[1])
	for row in con.execute(sys.argv[2]):
	    print("\t".join(str(v) for v in row))
	EOF
}

sql 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null || die "$db: cannot checkpoint its WAL"
# the night's baseline: the tinyconfig build $nightly builds before its newest
baseline=$(sql "SELECT c.sha FROM builds b JOIN commits c ON c.id = b.commit_id JOIN configs f
		ON f.id = b.config_id WHERE f.name = 'tinyconfig' AND b.status = 'ok'
		ORDER BY c.committer_time DESC, b.id DESC LIMIT 1 OFFSET $nightly")
[ -n "$baseline" ] || die "$db: no build $nightly before the newest"

# measure NAME OUT CMD...: runs CMD once, its stdout to DIR/NAME.out, and appends
# "NAME|wall s|CPU s|peak RSS|files|bytes" to the table (files and bytes: of OUT, a
# directory, made afresh unless NAME ends in "again", or of the stdout when OUT is -).
table=()
failed=0
measure() {
	local name=$1 out=$2 rc files bytes
	local file=$dir/${name// /_}
	shift 2
	[ "$out" = - ] || [[ $name == *again ]] || rm -rf "$out"
	SOURCE_DATE_EPOCH=1767225600 /usr/bin/time -f '%e %U %S %M' -o "$file.time" \
		"$@" >"$file.out" 2>"$file.err"
	rc=$?
	if [ $rc -ne 0 ] && ! { [ $rc = 1 ] && [[ $name == ci* ]]; }; then
		table+=("$name|failed (exit $rc)|-|-|-|-")
		echo "run-site.sh: $name failed, exit $rc: $(head -n 3 "$file.err")" >&2
		failed=1
		return 1
	fi
	if [ "$out" = - ]; then
		files=1
		bytes=$(wc -c <"$file.out")
	else
		files=$(find "$out" -type f | wc -l)
		bytes=$(du -sb "$out" | cut -f1)
	fi
	# the last line: time writes "Command exited with non-zero status 1" before it
	read -r wall user sys kb < <(tail -n 1 "$file.time")
	table+=("$name|$wall|$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')|$((kb / 1024)) MB|$files|$bytes")
}

echo "database: $db"
echo "  $builds builds of $symbols symbols in $configs config(s); $(wc -c <"$db") bytes"
echo "kbloat: $kbloat"
echo

measure "site" "$dir/site" "$kbloat" site --db "$db" --out "$dir/site"
measure "site again" "$dir/site" "$kbloat" site --db "$db" --out "$dir/site"
measure "plot" "$dir/plot" "$kbloat" plot --db "$db" --out "$dir/plot"
for f in text md junit mail; do
	measure "ci --format $f" - "$kbloat" ci --db "$db" --baseline "$baseline" \
		--threshold 256 --format "$f"
done

printf '%-18s | %8s | %8s | %9s | %6s | %s\n' what "wall s" "CPU s" "peak RSS" files bytes
printf '%-18s-+-%8s-+-%8s-+-%9s-+-%6s-+-%s\n' ------------------ -------- -------- --------- \
	------ ---------
for row in "${table[@]}"; do
	IFS='|' read -r what wall cpu rss files bytes <<<"$row"
	printf '%-18s | %8s | %8s | %9s | %6s | %s\n' "$what" "$wall" "$cpu" "$rss" "$files" \
		"$bytes"
done
[ -s "$dir/site.out" ] && echo && sed 's/^/site: /' "$dir/site.out"
exit $failed
