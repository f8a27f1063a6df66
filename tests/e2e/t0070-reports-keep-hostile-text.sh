#!/bin/bash
# Text from a database is bytes, not trusted (issue 15, defects 6 and 7): a commit whose
# author is Latin-1 and whose subject and names carry terminal escapes, Markdown and markup.
# JSON keeps every byte by json.h's reversible escape (and stays valid against the schema),
# text never sends a control byte to the terminal, Markdown cells stay cells, JUnit XML
# parses, and nothing prints blank.
. "$TESTS_SRC/e2e/lib.sh"
db=$SCRATCH/h.db
mkdir "$SCRATCH/repo" && git -C "$SCRATCH/repo" init -q
g() { git -C "$SCRATCH/repo" -c user.name=x -c user.email=x@e commit -q --allow-empty -m "$1"; }
g base
g second
for rev in HEAD~1 HEAD; do
	img=$FIXTURES/vmlinux-fs
	[ "$rev" = HEAD ] && img=$FIXTURES/vmlinux-g5
	"$KBLOAT" record --db "$db" --repo "$SCRATCH/repo" --commit "$rev" --config tiny "$img" \
		>/dev/null
done
head=$(git -C "$SCRATCH/repo" rev-parse HEAD)
base=$(git -C "$SCRATCH/repo" rev-parse HEAD~1)
# author: Latin-1 "René", an OSC title, a pipe, a backtick, a tag; subject: ESC, CR, C1
# (as UTF-8 and as a lone byte), DEL, a tab, a newline, Markdown and HTML
author="52656ee9201b5d303b70776e6564071b5c207c20607860203c623e"
subject="666978201b5b324a0d3c7363726970743e616c6572742831293c2f7363726970743e207c2060622060c29b9b7f09630a64"
sqlite3 "$db" "UPDATE commits SET author_name = CAST(X'$author' AS TEXT),
	subject = CAST(X'$subject' AS TEXT) WHERE sha = '$head'"

run() { # NAME cmd...: stdout in $SCRATCH/NAME; fails the script if kbloat fails
	local name=$1
	shift
	"$KBLOAT" "$@" >"$SCRATCH/$name" 2>"$SCRATCH/$name.err" ||
		{ [ $? = 1 ] && [ "$name" != "${name#ci}" ]; } || fail "$*: $(cat "$SCRATCH/$name.err")"
}
run history.json history --db "$db" --config tiny --json
run blame.json blame --db "$db" --config tiny --min 1 --json
run ci.json ci --db "$db" --baseline "$base" --threshold 1 --format json
run show.json show --db "$db" --config tiny "$head" --json
run history.txt history --db "$db" --config tiny
run blame.txt blame --db "$db" --config tiny --min 1
run show.txt show --db "$db" --config tiny "$head"
run ci.txt ci --db "$db" --baseline "$base" --threshold 1
run ci.md ci --db "$db" --baseline "$base" --threshold 1 --format md
run ci.xml ci --db "$db" --baseline "$base" --threshold 1 --format junit

# the reversible escape of json.h: U+F780..U+F7FF are bytes 0x80..0xff
decode='
def raw(s):
    return b"".join(bytes([ord(c) - 0xF700]) if 0xF780 <= ord(c) <= 0xF7FF else c.encode()
                    for c in s)
'
for f in history.json blame.json ci.json show.json; do
	check "$f: the commit's author and subject are there, every byte of them" python3 -c "
import json, sys
$decode
want = {bytes.fromhex('$author'), bytes.fromhex('$subject')}
seen = set()
def walk(v):
    if isinstance(v, dict):
        for x in v.values(): walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
    elif isinstance(v, str):
        seen.add(raw(v))
walk(json.load(open('$SCRATCH/$f', encoding='utf-8')))
missing = want - seen
assert not missing, missing
"
done
check "history --json keeps both builds" pyjson "$SCRATCH/history.json" \
	"assert len(d['builds']) == 2, d"
check "the ci JSON is valid against schema/report.schema.json" python3 -c "
import json, jsonschema
jsonschema.validate(json.load(open('$SCRATCH/ci.json')),
                    json.load(open('$TESTS_SRC/../schema/report.schema.json')))"

for f in history.txt blame.txt show.txt ci.txt ci.md; do
	check "$f: no control byte but line ends" python3 -c "
d = open('$SCRATCH/$f', 'rb').read()
bad = [hex(b) for b in d if (b < 0x20 and b != 0x0a) or b == 0x7f]
assert not bad, bad
assert b'\xc2\x9b' not in d, 'a C1 control'
assert d.decode('utf-8'), 'not UTF-8'
"
	check "$f: the Latin-1 author is shown, not blank" grep -q 'Ren\\xe9' "$SCRATCH/$f"
done
check "ci.md: the subject stays in its cell, its markup escaped" python3 -c "
d = open('$SCRATCH/ci.md').read()
row = [l for l in d.splitlines() if 'alert(1)' in l]
assert len(row) == 1, d
cells = row[0].replace('\\\\|', '').split('|')
assert len(cells) == 7, row          # | delta | commit | author | subject | what grew |
assert '<script>' not in d and '<b>' not in d, d
assert '\\\\<script\\\\>' in row[0], row
"
check "ci.xml: JUnit XML a parser reads" xmllint --noout "$SCRATCH/ci.xml"

# a budget file is text from a repository too: its target and subsystem names reach the
# terminal only as \xNN, and its JSON keeps them
printf '{"targets":[{"name":"t\\u001b]0;pwned\\u0007","max_subsystem":{"A\\u001b[2J":"1M"}}]}' \
	>"$SCRATCH/hostile-budget.json"
run budget.txt budget check "$SCRATCH/hostile-budget.json" "$FIXTURES/vmlinux-g5"
check "budget.txt: no control byte but line ends" python3 -c "
d = open('$SCRATCH/budget.txt', 'rb').read()
bad = [hex(b) for b in d if (b < 0x20 and b != 0x0a) or b == 0x7f]
assert not bad, bad
assert b't\\\\x1b]0;pwned\\\\x07' in d and b'A\\\\x1b[2J' in d, d
"
run budget.json budget check --json "$SCRATCH/hostile-budget.json" "$FIXTURES/vmlinux-g5"
check "budget.json: the names as written" pyjson "$SCRATCH/budget.json" \
	"assert d['images'][0]['target'] == 't\\x1b]0;pwned\\x07', d"
done_testing
