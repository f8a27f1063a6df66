#!/bin/bash
# kbloat site renders every page in-process: its commit pages (show's text) and subsystem
# pages (history's) come from those reports, not from kbloat running itself once per page.
# Under strace, the only programs it executes are gnuplot's: kbloat is executed once, by
# this test.
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
done_testing
