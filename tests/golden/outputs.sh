#!/usr/bin/env bash
# outputs.sh OUT: runs every kbloat command on the sample (the ELF fixtures and the sample
# kernel history) and writes what each printed into OUT, one file per invocation: stdout,
# then a line "exit N". Only what is deterministic goes in: stdout (stderr carries timings
# and progress), database contents by their printed answers, the site's HTML and the plot's
# data files. Paths are relative to a fixed working directory, so the files are the same on
# every run and machine.
#
# tests/golden/sample/ holds these outputs as the kbloat before the src/ layering (issue 14)
# printed them; t0060 regenerates them with today's binary and compares byte for byte.
# To accept an intended change: tests/golden/outputs.sh tests/golden/sample (with KBLOAT,
# FIXTURES, HISTORY and TESTS_SRC set as ctest sets them), then review the git diff.
set -euo pipefail
: "${KBLOAT:?}" "${FIXTURES:?}" "${HISTORY:?}" "${TESTS_SRC:?}"
out=$(realpath -m "$1")
rm -rf "$out"
mkdir -p "$out"
work=$(realpath "$(mktemp -d)")
trap 'rm -rf "$work"' EXIT
cd "$work"
ln -s "$FIXTURES" fx
ln -s "$HISTORY" hist
ln -s "$TESTS_SRC/fixtures/minikernel" tree
ln -s "$TESTS_SRC/../kernels/budgets" budgets

# g NAME cmd...: the command's stdout and status into OUT/NAME
g() {
	local name=$1 rc=0
	shift
	"$@" >"$out/$name.raw" 2>/dev/null || rc=$?
	echo "exit $rc" >>"$out/$name.raw"
	sed "s|$work|@WORK@|g" "$out/$name.raw" >"$out/$name"
	rm "$out/$name.raw"
}
k() { "$KBLOAT" "$@"; }

# --- one image, no database ---
g size.txt k size fx/vmlinux-g5 fx/hello-g
g size.json k size --json fx/vmlinux-g5
for by in symbol file dir subsystem section class; do
	g "syms-$by.txt" k syms fx/vmlinux-g5 --by "$by" --src tree
done
g syms-top.txt k syms fx/vmlinux-g5 --top 12 --provenance --src tree
# fx/vmlinux-g5.map sits beside the image and is read; --no-map attributes without it
g syms-no-map.txt k syms fx/vmlinux-g5 --by class --no-map --src tree
g syms-map.txt k syms fx/vmlinux-nog --by file --map fx/vmlinux-nog.map --no-dwarf --src tree
g syms.json k syms fx/vmlinux-g5 --by subsystem --src tree --top 5 --json
g syms-rows.json k syms fx/vmlinux-g5 --src tree --top 20 --json
# issue 20: the directories as a tree, two levels, a share column, the rows as CSV and TSV
g syms-tree.txt k syms fx/vmlinux-g5 --by dir --tree --src tree
g syms-file-symbol.txt k syms fx/vmlinux-g5 --by file,symbol --top 3 --src tree
g syms-percent.txt k syms fx/vmlinux-g5 --by subsystem --percent --src tree
g syms-subsystem.csv k syms fx/vmlinux-g5 --by subsystem --src tree --format csv
g diff-by-file.tsv k diff --by file --src tree --format tsv fx/vmlinux-g5 fx/vmlinux-v2-g5
g diff.txt k diff fx/vmlinux-g5 fx/vmlinux-v2-g5
g diff-c.txt k diff -c fx/vmlinux-g5 fx/vmlinux-v2-g5
g diff-d.txt k diff -d fx/vmlinux-g5 fx/vmlinux-v2-g5
g diff-t.txt k diff -t fx/vmlinux-g5 fx/vmlinux-v2-g5
g diff-by-file.txt k diff --by file --src tree fx/vmlinux-g5 fx/vmlinux-v2-g5
g diff-by-subsystem.txt k diff --by subsystem --src tree fx/vmlinux-g5 fx/vmlinux-v2-g5
g diff.json k diff --json --by subsystem --src tree fx/vmlinux-g5 fx/vmlinux-v2-g5
g budget.txt k budget check budgets/sample.json --target sample-tinyconfig --src tree fx/vmlinux-g5
g budget.json k budget check budgets/sample.json --target sample-modular --json fx/vmlinux-g5 fx/vmlinux-g4
g budget-two.txt k budget check budgets/sample.json --src tree fx/vmlinux-g5
g not-an-elf.txt k size tree/MAINTAINERS

# --- the store: record, then every query ---
first=$(head -n1 hist/first-parent.txt)
last=$(tail -n1 hist/first-parent.txt)
big=$(awk -F'\t' '$2 == "big-table" {print $1}' hist/events.tsv)
broken=$(awk -F'\t' '$2 == "broken" {print $1}' hist/events.tsv)
mid=$(sed -n 10p hist/first-parent.txt)
n=0
while read -r sha; do
	n=$((n + 1))
	if [ -f "hist/builds/$sha/vmlinux" ]; then
		g "record-$n.json" k record --db rec.db --repo hist/repo --commit "$sha" --config sample \
			--dotconfig "hist/builds/$sha/.config" --map "hist/builds/$sha/vmlinux.map" \
			--src tree --json "hist/builds/$sha/vmlinux"
	else
		g "record-$n.json" k record --db rec.db --repo hist/repo --commit "$sha" --config sample \
			--status failed --log <(grep "error:" "hist/builds/$sha/FAILED") --json
	fi
done <hist/first-parent.txt

# collected in two configs, as the demo does
# (no ccache: its hit rate on the summary depends on the machine's ccache)
g collect.txt k collect --repo hist/repo --range main --db col.db --config tinyconfig \
	--config modular -j2 --cc-wrapper none
for db in rec col; do
	g "$db-blame.txt" k blame --db $db.db --min 4K
	g "$db-blame-config.txt" k blame --db $db.db --min 4K --config "$([ $db = rec ] && echo sample || echo modular)"
	g "$db-blame.json" k blame --db $db.db --min 4K --json --config "$([ $db = rec ] && echo sample || echo tinyconfig)"
	g "$db-history.txt" k history --db $db.db --config "$([ $db = rec ] && echo sample || echo tinyconfig)"
	g "$db-db-check.txt" k db check --db $db.db
	g "$db-db-check.json" k db check --db $db.db --json
done
g blame-range.txt k blame --db rec.db --min 1 --range "$first..$mid" --limit 5
g blame-symbol.txt k blame --db rec.db --symbol crc_big_table --min 1
g blame-class.json k blame --db rec.db --class rodata --min 1K --json
g blame-subsystem.txt k blame --db rec.db --subsystem "EXT4 FILE SYSTEM" --min 1
g history.json k history --db rec.db --json
g history-modular.txt k history --db col.db --config modular
g history-class.txt k history --db rec.db --class bss
g history-path.json k history --db rec.db --path fs/ext4 --json
g history-symbol.txt k history --db rec.db --symbol crc_big_table
# the modular analysis the collector stores: options, one option's history, the hard core
g options.txt k options --db col.db --config tinyconfig
g options-big.json k options --db col.db --config modular --json "$big"
g history-option.txt k history --db col.db --config tinyconfig --option CONFIG_SERIAL_8250
g history-option.json k history --db col.db --config modular --option EXT4_FS --json
g blame-core.txt k blame --db col.db --config tinyconfig --core --min 1K
g blame-core.json k blame --db col.db --config modular --core --json --limit 3
for rev in "$big" "$broken" "$last" "$first"; do
	g "show-${rev:0:7}.txt" k show --db rec.db "$rev"
	g "show-${rev:0:7}.json" k show --db rec.db --json "$rev"
done
g show-modular.txt k show --db col.db --config modular "$big"
for by in symbol file subsystem class; do
	g "top-$by.txt" k top --db rec.db --by "$by" --limit 8
done
g top-commit.json k top --db col.db --config modular --commit "$mid" --json
g merge.txt k merge merged.db rec.db col.db
g merged-history.txt k history --db merged.db --config sample
for f in text md json junit; do
	g "ci.$f" k ci --db col.db --baseline "$first" --budget budgets/sample.json --format "$f"
	g "ci-tiny.$f" k ci --db col.db --baseline "$mid" --head "$last" --config tinyconfig \
		--threshold 1K --format "$f"
done
g ci-link.md k ci --db col.db --baseline "$first" --config modular --format md \
	--commit-url 'https://git.kernel.org/torvalds/c/%H'
g ci.mbox k ci --db col.db --baseline "$mid" --head "$last" --config tinyconfig --format mail \
	--commit-url 'https://git.kernel.org/torvalds/c/%h' --mail-from 'Size Bot <bot@example.org>'
# when the sample's builds were recorded and how long they took: JUnit's timestamps and
# times and the mails' dates, masked as the work directory is; and the failed build's log,
# whose make lines depend on how its -j2 jobs interleaved (t0031 checks it)
sed -i -E 's/timestamp="[^"]*"/timestamp="@WHEN@"/; s/ time="[0-9.]+"/ time="@SECONDS@"/g' \
	"$out"/ci*.junit
perl -0pi -e 's/(<failure type="build"[^>]*>).*?(<\/failure>)/$1\@LOG\@$2/gs' "$out"/ci*.junit
sed -i -E 's/^(From [^ ]+) .*/\1 @WHEN@/; s/^Date: .*/Date: @WHEN@/' "$out/ci.mbox"
g modular.txt k modular --db col.db --config tinyconfig --arch x86_64
g modular-dir.txt k modular --db col.db --config modular --arch x86_64 --by dir --top 0
g modular.json k modular --db col.db --config tinyconfig --arch x86_64 --json
g bisect.txt k bisect --repo hist/repo --db col.db --config tinyconfig --good "$first" \
	--bad main --min 40K

# --- charts' data and the site ---
g plot.txt k plot --db col.db --out charts --format svg
mkdir -p "$out/plot"
for f in charts/*; do
	case $f in *.png | *.svg | *.log) ;; *) cp "$f" "$out/plot/" ;; esac
done
# the site says when it was made: SOURCE_DATE_EPOCH's time (the sample's first day)
SOURCE_DATE_EPOCH=1767225600 g site.txt k site --db col.db --out site --walls 5 --pages 8 \
	--commit-url 'https://git.kernel.org/torvalds/c/%H' --threshold 2K
mkdir -p "$out/site"
(cd site && find . \( -name '*.html' -o -name feed.xml \) -print0 |
	xargs -0 cp --parents -t "$out/site")
# a failed build's page ends with its log, where make -j2 may or may not have said it waits
sed -i '/^make: \*\*\* Waiting for unfinished jobs\.\.\.\.$/d' "$out"/site/commit/*.html
# the absolute paths of this run's directory, wherever a file names them
find "$out" -type f -exec sed -i "s|$work|@WORK@|g" {} +
