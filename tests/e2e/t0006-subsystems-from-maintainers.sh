#!/usr/bin/env bash
# With --src, a file's subsystem is the MAINTAINERS section that matches it most specifically;
# without, its first two directory levels.
. "$(dirname "$0")/lib.sh"

img=$FIXTURES/vmlinux-g5
"$KBLOAT" syms --json --src "$TREE" "$img" >"$SCRATCH/with"
"$KBLOAT" syms --json "$img" >"$SCRATCH/without"
check "fs/ext4 files belong to EXT4 FILE SYSTEM" pyjson "$SCRATCH/with" '
rows=[r for r in d["rows"] if (r["file"] or "").startswith("fs/ext4/")]
assert rows and all(r["subsystem"] == "EXT4 FILE SYSTEM" for r in rows), {r["subsystem"] for r in rows}'
check "without a tree, fs/ext4 files belong to fs/ext4" pyjson "$SCRATCH/without" '
rows=[r for r in d["rows"] if (r["file"] or "").startswith("fs/ext4/")]
assert rows and all(r["subsystem"] == "fs/ext4" for r in rows)'
check "kernel/ files belong to a kernel subsystem or THE REST" pyjson "$SCRATCH/with" '
rows=[r for r in d["rows"] if (r["file"] or "").startswith("kernel/")]
assert rows and all(r["subsystem"] for r in rows)'
"$KBLOAT" syms --by subsystem --src "$TREE" "$img" >"$SCRATCH/text"
check "the subsystem roll-up names MAINTAINERS sections" grep -q "EXT4 FILE SYSTEM" "$SCRATCH/text"
done_testing
