#!/bin/bash
# kbloat site renders every page in-process: its commit pages (show's text) and subsystem
# pages (history's) come from those reports, not from kbloat running itself once per page.
# Under strace, the only programs it executes are gnuplot's: kbloat is executed once, by
# this test. Made again over itself, it writes only the pages whose bytes changed.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
if ! command -v strace >/dev/null || ! strace -f -qq -o /dev/null true 2>/dev/null; then
	echo "SKIPPED: t0034 needs strace, allowed to trace (scripts/setup-deps.sh --test" \
		"installs it); without it nothing checks that the site starts no kbloat" >&2
	exit 77
fi

# four builds of the sample history, with subsystems from the minikernel's MAINTAINERS
db=$SCRATCH/k.db
n=0
while read -r sha && [ "$n" -lt 4 ]; do
	[ -f "$HISTORY/builds/$sha/vmlinux" ] || continue
	"$KBLOAT" record --db "$db" --repo "$HISTORY/repo" --commit "$sha" --config sample \
		--src "$TREE" "$HISTORY/builds/$sha/vmlinux" >/dev/null 2>"$SCRATCH/record.err" ||
		fail "record $sha: $(cat "$SCRATCH/record.err")"
	n=$((n + 1))
done <"$HISTORY/first-parent.txt"

# LeakSanitizer cannot run under ptrace: the sanitizer build's leak checks of site are t0033's
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -f -qq -e trace=execve -o "$SCRATCH/trace" "$KBLOAT" site --db "$db" \
	--out "$SCRATCH/site" >"$SCRATCH/site.out" 2>"$SCRATCH/site.err" ||
	fail "site: $(cat "$SCRATCH/site.err")"
check "the site has commit pages with show's bloat-o-meter" grep -lq "add/remove:" \
	"$SCRATCH"/site/commit/*-sample.html
check "and subsystem pages with history's table" grep -lq \
	"<th>commit</th><th>date</th><th class=\"n\">size</th>" "$SCRATCH"/site/subsystem/*-sample.html

# every program execve was asked for (found or not, as a PATH search tries each directory)
sed -n 's/^[0-9]* *execve("\([^"]*\)".*/\1/p' "$SCRATCH/trace" >"$SCRATCH/programs"
self=$(realpath "$KBLOAT")
check "strace saw kbloat start" test "$(realpath -m "$(head -n1 "$SCRATCH/programs")")" = "$self"
check "no kbloat is executed after the first" test -z "$(tail -n +2 "$SCRATCH/programs" |
	while read -r p; do [ "$(realpath -m "$p")" != "$self" ] || echo "$p"; done)" ||
	grep -c "execve(" "$SCRATCH/trace" >&2
check "what it executes is gnuplot, drawing the charts" test -z \
	"$(tail -n +2 "$SCRATCH/programs" | grep -v '/gnuplot$' || true)"
check "gnuplot drew them" test -s "$SCRATCH/site/charts/sample-size.png"

# made again over itself, a page whose bytes are the same is not written again (its mtime
# stays), and one whose bytes change is
export SOURCE_DATE_EPOCH=1767225600 # the index says the same time each run
"$KBLOAT" site --db "$db" --out "$SCRATCH/site" >/dev/null || fail "site made again"
pages=$(find "$SCRATCH/site" -name '*.html' | sort)
touch -d '2001-01-01 00:00' $pages
cp -r "$SCRATCH/site" "$SCRATCH/before"
"$KBLOAT" site --db "$db" --out "$SCRATCH/site" >/dev/null || fail "site made again"
check "the same pages again" diff -r -x charts "$SCRATCH/before" "$SCRATCH/site"
check "none of them written again" test -z \
	"$(find "$SCRATCH/site" -name '*.html' -newermt '2001-01-02' | head -n 3)"
"$KBLOAT" site --db "$db" --out "$SCRATCH/site" --walls 1 >/dev/null || fail "site --walls 1"
check "a page that changed (the index: shorter walls) is written" \
	test "$SCRATCH/site/index.html" -nt "$SCRATCH/before/index.html"
check "and holds what it says now" test "$(grep -c '<tr>' "$SCRATCH/site/index.html")" -lt \
	"$(grep -c '<tr>' "$SCRATCH/before/index.html")"
done_testing
