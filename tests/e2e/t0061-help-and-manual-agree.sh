#!/usr/bin/env bash
# Every command answers --help, -h and `kbloat help CMD` alike (exit 0, on stdout), with the
# usage its option table generates; and every option a table declares is in the manual's
# synopsis of that command, and the other way round (as git's t0450 holds its -h output to
# its documentation).
. "$(dirname "$0")/lib.sh"
man=$TESTS_SRC/../doc/kbloat.1

rc=0
"$KBLOAT" help >"$SCRATCH/help" 2>"$SCRATCH/help.err" || rc=$?
check "kbloat help exits 0" test "$rc" = 0
check "kbloat help prints nothing on stderr" test ! -s "$SCRATCH/help.err"
commands=$(awk '/^  [a-z]/ {print $1}' "$SCRATCH/help")
check "kbloat help lists the commands" test "$(echo "$commands" | wc -l)" -ge 18

for cmd in $commands; do
	rc=0
	"$KBLOAT" "$cmd" --help >"$SCRATCH/$cmd.help" 2>"$SCRATCH/$cmd.err" || rc=$?
	check "kbloat $cmd --help exits 0" test "$rc" = 0
	check "kbloat $cmd --help prints its usage on stdout, nothing on stderr" \
		grep -q "^usage: kbloat $cmd" "$SCRATCH/$cmd.help"
	check "kbloat $cmd --help leaves stderr empty" test ! -s "$SCRATCH/$cmd.err"
	check "kbloat help $cmd prints what --help prints" \
		cmp -s "$SCRATCH/$cmd.help" <("$KBLOAT" help "$cmd")
	check "kbloat $cmd -h prints what --help prints" \
		cmp -s "$SCRATCH/$cmd.help" <("$KBLOAT" "$cmd" -h)
	rc=0
	"$KBLOAT" "$cmd" --no-such-option >/dev/null 2>"$SCRATCH/$cmd.bad" || rc=$?
	check "kbloat $cmd --no-such-option is a usage error" test "$rc" -ne 0
	check "kbloat $cmd --no-such-option names the option" \
		grep -q "unknown option '--no-such-option'" "$SCRATCH/$cmd.bad"
done
rc=0
"$KBLOAT" help no-such-command >/dev/null 2>&1 || rc=$?
check "kbloat help of no command exits 2" test "$rc" = 2

# The options of each command: from its --help, and from the manual's SYNOPSIS block of it.
rc=0
python3 - "$man" "$SCRATCH" $commands <<'PY' >"$SCRATCH/options.diff" || rc=$?
import re, sys
man, scratch, cmds = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(man).read()
syn = text[text.index(".SH SYNOPSIS"):text.index(".SH DESCRIPTION")]
blocks = {}
syn = syn.replace("\\-", "-")
for m in re.finditer(r"^\.B kbloat ([a-z-]+)(?: ([a-z]+))?\n(.*?)(?=^\.br$|\Z)", syn, re.S | re.M):
    name = m.group(1)
    body = m.group(3)
    opts = set(re.findall(r"--([a-z][a-z0-9-]*)", body))
    opts |= {"-" + s for s in re.findall(r"(?<![-\w])-([a-zA-Z])(?![\w-])", body)}
    blocks.setdefault(name, set()).update(opts)
bad = 0
for cmd in cmds:
    helptext = open(f"{scratch}/{cmd}.help").read()
    have = set()
    for line in helptext.splitlines():
        m = re.match(r"^  (?:-([a-zA-Z]), )?--([a-z][a-z0-9-]*)", line)
        if m:  # "-v, --verbose": the synopsis names the long spelling
            have.add(m.group(2))
            continue
        m = re.match(r"^  -([a-zA-Z])\b", line)
        if m:
            have.add("-" + m.group(1))
    have -= {"help", "-h"}
    if cmd not in blocks:
        print(f"{cmd}: no synopsis in doc/kbloat.1")
        bad += 1
        continue
    for o in sorted(have - blocks[cmd]):
        print(f"{cmd}: option {o} is in --help but not in doc/kbloat.1")
        bad += 1
    for o in sorted(blocks[cmd] - have):
        print(f"{cmd}: option {o} is in doc/kbloat.1 but not in --help")
        bad += 1
for name in sorted(set(blocks) - set(cmds)):
    print(f"{name}: in doc/kbloat.1's synopsis but not a command")
    bad += 1
sys.exit(1 if bad else 0)
PY
check "the manual's synopses and the option tables agree" test "$rc" = 0 ||
	cat "$SCRATCH/options.diff" >&2
check "the comparison saw options at all" grep -q -- "--db" <(cat "$SCRATCH"/*.help)
done_testing
