#!/bin/bash
# kbloat ci, the nightly report, on the collected sample history: the commits after a
# baseline with their changes, the regressions over the threshold with what grew, the
# budgets; text, Markdown, JSON valid against schema/report.schema.json, JUnit XML read by
# a real parser; exit 0 within budget and threshold, 1 over, 2 on error. Subjects and names
# from a repository are escaped in every format.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
budget=$TESTS_SRC/../kernels/budgets/sample.json
schema=$TESTS_SRC/../schema/report.schema.json
db=$SCRATCH/k.db
ev() { awk -F'\t' -v k="$1" '$2 == k {print $1}' "$HISTORY/events.tsv"; }
first=$(head -n1 "$HISTORY/first-parent.txt")

"$KBLOAT" collect --repo "$HISTORY/repo" --range main --db "$db" -j2 --config tinyconfig \
	--config modular >/dev/null 2>"$SCRATCH/collect.err" ||
	fail "collect: $(tail -n3 "$SCRATCH/collect.err")"

report() { # NAME args...: the report's output in $SCRATCH/NAME, its exit status in $SCRATCH/NAME.rc
	local name=$1
	shift
	set +e
	"$KBLOAT" ci --db "$db" "$@" >"$SCRATCH/$name" 2>"$SCRATCH/$name.err"
	echo $? >"$SCRATCH/$name.rc"
	set -e
}
rc() { cat "$SCRATCH/$1.rc"; }

report all.json --baseline "$first" --budget "$budget" --format json
check "over budget and threshold: exit 1" test "$(rc all.json)" = 1
check "the JSON report is valid against schema/report.schema.json" python3 -c "
import json, jsonschema
jsonschema.validate(json.load(open('$SCRATCH/all.json')), json.load(open('$schema')))"
check "the report says what broke" pyjson "$SCRATCH/all.json" "
n = int(open('$HISTORY/first-parent.txt').read().count(chr(10))) - 1
assert not d['ok'] and d['threshold'] == 4096
for c in d['configs']:
    assert len(c['commits']) == n, (c['config'], len(c['commits']), n)
    bad = [x['commit'] for x in c['commits'] if x.get('over_threshold')]
    assert '$(ev big-table)' in bad and '$(ev bss-grow)' in bad, bad
    big = [x for x in c['commits'] if x['commit'] == '$(ev big-table)'][0]
    assert big['top_symbols'][0]['name'] == 'crc_big_table', big
    assert [x['status'] for x in c['commits'] if x['commit'] == '$(ev broken)'] == ['failed']
    lim = {l['limit']: l for b in c['budgets'] for l in b['limits']}
    assert not lim['growth per commit']['ok'] and lim['growth per commit']['used'] >= 40960
    assert lim['total']['ok'] and lim['total']['used'] == c['commits'][-1]['size'], lim
"

# after the last large commit, with a threshold above the 16 KB config flip: within
report quiet.json --baseline "$(ev bss-grow)" --budget "$budget" --threshold 20K --format json
check "within budget and threshold: exit 0 ($(cat "$SCRATCH/quiet.json.err"))" test \
	"$(rc quiet.json)" = 0
check "within: the report says ok" pyjson "$SCRATCH/quiet.json" "assert d['ok'], d"
report text --baseline "$first" --config tinyconfig
check "text: the regression and its symbol" grep -q "crc_big_table +40960 (lib/crc_big.c)" \
	"$SCRATCH/text"
check "text: the failed commit" grep -q "failed  $(ev broken | cut -c1-12)" "$SCRATCH/text"
report md --baseline "$first" --budget "$budget" --format md
check "Markdown: a table of commits with the regression in bold" grep -Fq \
	"| **+41029** | \`$(ev big-table | cut -c1-12)\`" "$SCRATCH/md"
check "Markdown: the budget table" grep -q "^| growth per commit | 41029 | 16384 | -24645 | OVER |$" \
	"$SCRATCH/md"

report junit.xml --baseline "$first" --budget "$budget" --format junit
check "JUnit: exit 1 as the others" test "$(rc junit.xml)" = 1
check "JUnit: a parser reads one suite per config, a case per threshold and budget" python3 -c "
import xml.etree.ElementTree as ET
root = ET.parse('$SCRATCH/junit.xml').getroot()
assert root.tag == 'testsuites'
suites = {s.get('name'): s for s in root.findall('testsuite')}
assert set(suites) == {'kbloat.tinyconfig', 'kbloat.modular'}, suites
for name, s in suites.items():
    cases = s.findall('testcase')
    assert int(s.get('tests')) == len(cases) == 2, (name, len(cases))
    assert int(s.get('failures')) == sum(1 for c in cases if c.find('failure') is not None) == 2
    thr = [c for c in cases if c.get('name').startswith('threshold')][0]
    assert '$(ev big-table | cut -c1-12)' in thr.find('failure').text
"

# subjects and authors that are markup: escaped in XML and kept intact in JSON
mkdir "$SCRATCH/evil" && git -C "$SCRATCH/evil" init -q
g() { git -C "$SCRATCH/evil" -c user.name='<b>Mallory</b> & "co"' -c user.email='m@e' "$@"; }
g commit -q --allow-empty -m 'base'
g commit -q --allow-empty -m '<script>alert("x")</script> & <![CDATA[ ]]> '"'"'q'"'"
for rev in HEAD~1 HEAD; do
	"$KBLOAT" record --db "$SCRATCH/evil.db" --repo "$SCRATCH/evil" --commit "$rev" --config c \
		"$FIXTURES/vmlinux-g5" >/dev/null
done
author=$(g log -1 --format=%an) # git drops the angle brackets of names; the rest is markup
set +e
"$KBLOAT" ci --db "$SCRATCH/evil.db" --baseline "$(g rev-parse HEAD~1)" --format junit \
	--threshold 0 >"$SCRATCH/evil.xml"
"$KBLOAT" ci --db "$SCRATCH/evil.db" --baseline "$(g rev-parse HEAD~1)" --format json \
	--threshold 0 >"$SCRATCH/evil.json"
set -e
check "JUnit: markup in subjects and authors is escaped (the file parses, the text survives)" \
	python3 -c "
import xml.etree.ElementTree as ET
f = ET.parse('$SCRATCH/evil.xml').getroot().find('testsuite/testcase/failure')
assert '<script>alert(\"x\")</script>' in f.text and '''$author''' in f.text, f.text
"
check "JSON: the same text, intact" pyjson "$SCRATCH/evil.json" "
c = d['configs'][0]['commits'][0]
assert c['subject'].startswith('<script>alert(\"x\")</script> & <![CDATA['), c
assert c['author'] == '''$author''', c"

report nobase --baseline deadbeef
check "an unknown baseline: exit 2" test "$(rc nobase)" = 2
check "an unknown baseline: named" grep -q deadbeef "$SCRATCH/nobase.err"
report badfmt --baseline "$first" --format html
check "an unknown format: exit 2" test "$(rc badfmt)" = 2
report rev --baseline "$(ev side | head -n1)"
check "a baseline off the first-parent line: exit 2, saying so" test "$(rc rev)" = 2 -a \
	-n "$(grep "not a first-parent ancestor" "$SCRATCH/rev.err")"
done_testing
