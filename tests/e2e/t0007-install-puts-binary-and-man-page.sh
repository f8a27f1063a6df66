#!/usr/bin/env bash
# cmake --install puts kbloat in bin/ and kbloat(1) in the man directory, and the installed
# binary needs no source tree to run.
. "$(dirname "$0")/lib.sh"

cmake --install "$KB_BUILD" --prefix "$SCRATCH/prefix" >/dev/null
check "kbloat is installed" test -x "$SCRATCH/prefix/bin/kbloat"
man=$(find "$SCRATCH/prefix" -name kbloat.1 | head -n1)
check "kbloat.1 is installed under man1" test -n "$man" -a "$(basename "$(dirname "$man")")" = man1
check "the man page renders and documents every command" bash -c \
	"man -l '$man' 2>/dev/null | grep -q 'size' && man -l '$man' | grep -q 'syms' && man -l '$man' | grep -q 'diff' && man -l '$man' | grep -q 'EXIT STATUS'"
(cd "$SCRATCH" && "$SCRATCH/prefix/bin/kbloat" size "$FIXTURES/vmlinux-g5" >/dev/null)
check "the installed binary runs from elsewhere" test $? -eq 0
check "--version names the version" grep -q "^kbloat [0-9]" <("$SCRATCH/prefix/bin/kbloat" --version)
done_testing
