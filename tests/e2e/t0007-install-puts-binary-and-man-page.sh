#!/usr/bin/env bash
# cmake --install puts kbloat in bin/ and kbloat(1) in the man directory, and the installed
# binary needs no source tree to run; the schemas and completions are installed, and the
# installed tree finds its data beside the binary wherever it is moved.
. "$(dirname "$0")/lib.sh"

cmake --install "$KB_BUILD" --prefix "$SCRATCH/prefix" >/dev/null
check "kbloat is installed" test -x "$SCRATCH/prefix/bin/kbloat"
man=$(find "$SCRATCH/prefix" -name kbloat.1.gz | head -n1)
check "kbloat.1, gzipped as Debian installs manuals, is under man1" \
	test -n "$man" -a "$(basename "$(dirname "$man")")" = man1
check "the man page renders and documents every command" bash -c \
	"man -l '$man' 2>/dev/null | grep -q 'size' && man -l '$man' | grep -q 'syms' && man -l '$man' | grep -q 'diff' && man -l '$man' | grep -q 'EXIT STATUS'"
(cd "$SCRATCH" && "$SCRATCH/prefix/bin/kbloat" size "$FIXTURES/vmlinux-g5" >/dev/null)
check "the installed binary runs from elsewhere" test $? -eq 0
check "the installed manual is doc/kbloat.1" cmp -s <(zcat "$man") "$TESTS_SRC/../doc/kbloat.1"
for f in share/kbloat/schemas/budget.schema.json share/kbloat/schemas/report.schema.json \
	share/bash-completion/completions/kbloat share/zsh/vendor-completions/_kbloat \
	share/kbloat/configs/map.config share/kbloat/plots/proper.gp share/doc/kbloat/copyright; do
	check "$f is installed" test -s "$SCRATCH/prefix/$f"
done
# the installed tree moved elsewhere finds its data beside the binary, not where it was
# installed nor in the source tree: a fragment only the moved copy has is found
mv "$SCRATCH/prefix" "$SCRATCH/moved"
printf 'CONFIG_NET=y\n' >"$SCRATCH/moved/share/kbloat/configs/only-here.config"
(cd "$SCRATCH" && env -u KBLOAT_FRAGMENTS "$SCRATCH/moved/bin/kbloat" collect --dry-run \
	--repo "$HISTORY/repo" --range main~1..main --db "$SCRATCH/d.db" \
	--config tinyconfig+only-here >"$SCRATCH/dry.out" 2>"$SCRATCH/dry.err") ||
	fail "the moved binary's collect --dry-run: $(cat "$SCRATCH/dry.err")"
check "the moved binary finds the fragment beside it" grep -q " tinyconfig+only-here$" "$SCRATCH/dry.out"
mv "$SCRATCH/moved" "$SCRATCH/prefix"
check "--version names the version" grep -q "^kbloat [0-9]" <("$SCRATCH/prefix/bin/kbloat" --version)
done_testing
