#!/bin/bash
#
# run-store.sh [--builds N] [--symbols M] [--runs R] [--tile K] - times kbloat's store at
# scale.
#
# Generates once (cached as build-bench/store-N-M.db, with gen_history's report beside it in
# store-N-M.log) a database of N builds (default 10,000) of an M-symbol kernel (default
# 40,000) in which each commit changes a few symbols and one build in 500 adds a 40-64 KB
# table, then times, best of R runs (default 3):
#
#   kbloat blame --db DB --min 40K
#   kbloat history --db DB
#   kbloat history --db DB --subsystem S     (the subsystem with the most symbols)
#   kbloat history --db DB --symbol NAME     (the named symbol that changes most often)
#   kbloat db check --db DB                  (once, if a run takes over a minute)
#
# With --tile K the database timed is that one tiled K times by tile-store.py (cached as
# store-N-M-xK.db): K * N builds in one line, each copy's commits renamed, made in a minute
# where gen_history would take hours.
#
# checks that blame --min 40K names exactly the commits that added the generated tables, and
# prints a table of milliseconds and peak resident memory, the database's size per build (after a
# WAL checkpoint) and the generation's time.  gen_history is $GEN_HISTORY, else
# build/tests/gen_history; kbloat is $KBLOAT, else build/src/kbloat.  Outputs are kept in
# build-bench/out/.  Exit status: 0 when every command worked and blame found the tables,
# 1 otherwise, 2 on a usage error.
set -u

usage() {
	echo "usage: run-store.sh [--builds N] [--symbols M] [--runs R] [--tile K]" >&2
	exit 2
}

die() {
	echo "run-store.sh: $*" >&2
	exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=$root/build-bench
builds=10000
symbols=40000
runs=3
tile=1
while [ $# -gt 0 ]; do
	case $1 in
	--builds | --symbols | --runs | --tile)
		[ $# -ge 2 ] || usage
		case $2 in '' | *[!0-9]* | 0) die "$1 $2: not a positive number" ;; esac
		declare "${1#--}=$2"
		shift 2
		;;
	*) usage ;;
	esac
done

kbloat=${KBLOAT:-$root/build/src/kbloat}
gen_history=${GEN_HISTORY:-$root/build/tests/gen_history}
[ -x "$kbloat" ] || die "$kbloat: no kbloat binary (build it, or set KBLOAT)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian: apt install time)"
command -v python3 >/dev/null || die "python3 is missing: it reads the database's figures"
out=$bench/out
mkdir -p "$out" || die "$out: cannot create the directory"

# The database, made once: gen_history's log ends with its "time:" line when it finished.
db=$bench/store-$builds-$symbols.db
log=$bench/store-$builds-$symbols.log
if ! grep -q '^time: ' "$log" 2>/dev/null || [ ! -s "$db" ]; then
	[ -x "$gen_history" ] || die "$gen_history: no gen_history (build it, or set GEN_HISTORY)"
	rm -f "$db" "$db-wal" "$db-shm" "$log"
	echo "generating $db: $builds builds of $symbols symbols (progress on stderr)"
	/usr/bin/time -f '%e %M' -o "$out/store-gen.time" \
		"$gen_history" "$db" --builds "$builds" --symbols "$symbols" >"$log.tmp" ||
		die "gen_history failed; its output is in $log.tmp"
	echo "peak: $(cut -d' ' -f2 "$out/store-gen.time") KB" >>"$log.tmp"
	mv "$log.tmp" "$log"
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
if [ "$tile" -gt 1 ]; then
	tiled=$bench/store-$builds-$symbols-x$tile.db
	if [ ! -s "$tiled" ] || [ "$tiled" -ot "$db" ]; then
		echo "tiling $db $tile times into $tiled"
		python3 "$here/tile-store.py" "$db" "$tiled.tmp" "$tile" ||
			die "tile-store.py failed"
		mv "$tiled.tmp" "$tiled"
	fi
	db=$tiled
	builds=$((builds * tile))
	sql 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null || die "$db: cannot checkpoint its WAL"
fi
bytes=$(wc -c <"$db")
subsystem=$(sql 'SELECT s.name FROM items i JOIN paths p ON p.id = i.path_id JOIN subsystems s
		 ON s.id = p.subsystem_id WHERE i.kind = 0 GROUP BY s.id ORDER BY count(*) DESC,
		 s.name LIMIT 1')
symbol=$(sql "SELECT i.name FROM item_delta d JOIN items i ON i.id = d.item_id WHERE
	      i.kind = 0 AND i.name NOT LIKE '[%' AND i.name NOT LIKE '%.%' GROUP BY i.id
	      ORDER BY count(*) DESC, i.id LIMIT 1")
if [ -z "$subsystem" ] || [ -z "$symbol" ]; then
	die "$db: no subsystem or symbol to ask about"
fi
ntables=$(($(grep -c '^table ' "$log") * tile))

# measure NAME CMD...: runs CMD $runs times, its stdout to out/NAME.out, and appends
# "NAME|milliseconds|peak RSS" of the fastest run to the table (or "failed").
table=()
failed=0
measure() {
	local name=$1 run best='' rss=unknown ms kb rc t0 t1
	local file=$out/store-${name// /_}
	shift
	for ((run = 0; run < runs; run++)); do
		t0=$EPOCHREALTIME
		/usr/bin/time -f '%M' -o "$out/time" "$@" >"$file.out" 2>"$file.err"
		rc=$?
		t1=$EPOCHREALTIME
		if [ $rc -ne 0 ]; then
			table+=("$name|failed (exit $rc)|-")
			echo "run-store.sh: $name failed, exit $rc: $(head -n 3 "$file.err")" >&2
			failed=1
			return 1
		fi
		ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
		kb=$(tail -n 1 "$out/time")
		if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$ms
			rss="$kb KB"
		fi
		# a run of a minute says enough: db check at full scale takes minutes
		awk -v a="$ms" 'BEGIN { exit !(a > 60000) }' && break
	done
	table+=("$name|$best|$rss")
}

echo "database: $db"
echo "  $builds builds of $symbols symbols; $ntables commits add a 40K+ table"
grep '^last build: ' "$log" | sed 's/^/  /'
echo "kbloat: $kbloat; best of $runs runs"
echo

measure "blame --min 40K" "$kbloat" blame --db "$db" --min 40K
measure "history" "$kbloat" history --db "$db"
measure "history --subsystem $subsystem" "$kbloat" history --db "$db" --subsystem "$subsystem"
measure "history --symbol $symbol" "$kbloat" history --db "$db" --symbol "$symbol"
measure "db check" "$kbloat" db check --db "$db"

printf '%-44s | %10s | %s\n' "what" "ms" "peak RSS"
printf '%-44s-+-%10s-+-%s\n' "--------------------------------------------" "----------" \
	"------------"
for row in "${table[@]}"; do
	IFS='|' read -r what ms rss <<<"$row"
	printf '%-44s | %10s | %s\n' "$what" "$ms" "$rss"
done
echo

echo "file: $bytes bytes, $((bytes / builds)) bytes per build (after a WAL checkpoint)"
sql "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 5" 2>/dev/null |
	awk -F'\t' -v n="$builds" '{ printf "  %-28s %12d bytes, %6d per build\n", $1, $2, $2 / n }'
sed -n 's/^time: /generation: /p; s/^peak: /generation peak RSS: /p' "$log"
echo

# blame must name exactly the table commits: all of them, whatever its default --limit.
"$kbloat" blame --db "$db" --min 40K --limit $((ntables + 1)) >"$out/store-blame-all.out" ||
	failed=1
grep -o '^ *+[0-9]* *[0-9a-f]\{12\} ' "$out/store-blame-all.out" | awk '{ print $2 }' |
	sort >"$out/store-blame-found"
# copy k of a tiled history names commit SHA sha1("k:SHA") (tile-store.py)
python3 - "$log" "$tile" <<'EOF' | sort >"$out/store-blame-want"
import hashlib, sys
for line in open(sys.argv[1]):
    if line.startswith("table "):
        sha = line.split()[1]
        for k in range(int(sys.argv[2])):
            print((hashlib.sha1(("%d:%s" % (k, sha)).encode()).hexdigest() if k else sha)[:12])
EOF
if [ "$ntables" -gt 0 ] && cmp -s "$out/store-blame-found" "$out/store-blame-want"; then
	echo "blame --min 40K: the $ntables table commits, and nothing else"
else
	echo "blame --min 40K: WRONG; want (<) and found (>):"
	diff "$out/store-blame-want" "$out/store-blame-found" | head -n 20
	failed=1
fi
exit $failed
