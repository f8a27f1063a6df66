#!/bin/bash
# kbloat ci, the nightly report, on the collected sample history: the commits after a
# baseline with their changes, the regressions over the threshold with what grew, the
# budgets; text, Markdown (rendered by cmark-gfm, the CommonMark renderer GitHub uses, and
# read back as HTML: the verdict first, the summary, each commit once, the unchanged ones
# in <details>, links from --commit-url), JSON valid against schema/report.schema.json,
# JUnit XML valid against tests/fixtures/junit.xsd with a case per budget limit and per
# failed build; exit 0 within budget and threshold, 1 over, 2 on error. Subjects and names
# from a repository are escaped in every format.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
budget=$TESTS_SRC/../kernels/budgets/sample.json
schema=$TESTS_SRC/../schema/report.schema.json
db=$SCRATCH/k.db
ev() { awk -F'\t' -v k="$1" '$2 == k {print $1}' "$HISTORY/events.tsv"; }
first=$(head -n1 "$HISTORY/first-parent.txt")
command -v cmark-gfm >/dev/null || fail "cmark-gfm is not installed (scripts/setup-deps.sh --test)"
command -v xmllint >/dev/null || fail "xmllint is not installed (scripts/setup-deps.sh --test)"
started=$(date +%s)

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
check "Markdown: the budget table, with the share of the limit used" grep -q \
	"^| growth per commit | 41029 | 16384 | -24645 | 250% | OVER |$" "$SCRATCH/md"

# the Markdown as GitHub renders it (cmark-gfm with its table extension, raw HTML kept as a
# PR comment keeps <details>), read back as a tree of HTML elements; with a template whose
# parentheses and blank would end a Markdown link unless encoded
url='https://git.kernel.org/torvalds/c/%H?x=(a b)&h=%h'
report link.md --baseline "$first" --budget "$budget" --format md --commit-url "$url"
check "Markdown with --commit-url: exit 1 as without" test "$(rc link.md)" = 1
report link.json --baseline "$first" --budget "$budget" --format json
cmark-gfm --unsafe -e table "$SCRATCH/link.md" >"$SCRATCH/link.html"
check "Markdown, rendered: the verdict, the summary, each commit once, +0 ones folded, links" \
	python3 - "$SCRATCH/link.html" "$SCRATCH/link.json" "$url" "$(ev big-table)" \
	"$(ev comment | head -n1)" "$(ev broken)" <<'PY'
import html.parser, json, sys
page, report, tmpl, big, comment, broken = sys.argv[1:]
d = json.load(open(report))

class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids, self.text = tag, dict(attrs), parent, [], ''
    def all(self, tag):
        out = [self] if self.tag == tag else []
        for k in self.kids:
            if isinstance(k, Node):
                out += k.all(tag)
        return out
    def string(self):
        return ''.join(k if isinstance(k, str) else k.string() for k in self.kids)

class Tree(html.parser.HTMLParser):
    void = {'br', 'hr', 'img', 'input'}
    def __init__(self):
        super().__init__()
        self.root = self.cur = Node('root', [], None)
    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in self.void:
            self.cur = n
    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        assert n is not self.root, 'unbalanced </%s>' % tag
        self.cur = n.parent
    def handle_data(self, data):
        self.cur.kids.append(data)

t = Tree()
t.feed(open(page).read())
top = [k for k in t.root.kids if isinstance(k, Node)]
# the verdict comes first, as a heading
assert top[0].tag == 'h2' and top[0].string() == 'kbloat: budget or threshold broken', top[0].string()
# then the summary: a table with a row per config, its figures those of the JSON report
tables = [k for k in top if k.tag == 'table']
summary = tables[0]
assert top.index(summary) < 4, [k.tag for k in top]
head = [th.string() for th in summary.all('th')]
assert head[:3] == ['config', 'commits', 'changed size'] and 'regressions' in head, head
rows = {tr.all('td')[0].string(): [td.string() for td in tr.all('td')] for tr in summary.all('tbody')[0].all('tr')}
for c in d['configs']:
    row = dict(zip(head, rows[c['config']]))
    deltas = [x['delta'] for x in c['commits'] if x['status'] == 'ok' and x['delta'] is not None]
    assert int(row['commits']) == len(c['commits']), row
    assert int(row['changed size']) == sum(1 for x in deltas if x), row
    assert int(row['grew']) == sum(x for x in deltas if x > 0), row
    assert int(row['shrank']) == sum(x for x in deltas if x < 0), row
    assert int(row['regressions']) == c['regressions'] == 4, row
    assert int(row['failed builds']) == 1, row

def url(sha):
    return tmpl.replace('%H', sha).replace('%h', sha[:12]).replace(' ', '%20').replace('(', '%28').replace(')', '%29')

sections = [k for k in top if k.tag == 'h3']
assert len(sections) == len(d['configs']), [s.string() for s in sections]
for c, h3 in zip(d['configs'], sections):
    assert h3.string().startswith(c['config'] + ':'), h3.string()
    # what follows the heading up to the next: the commits table, then the details
    i = top.index(h3)
    nxt = [k for k in top[i + 1:] if k.tag == 'h3']
    part = top[i + 1:top.index(nxt[0]) if nxt else len(top)]
    table, details = [k for k in part if k.tag == 'table'][0], [k for k in part if k.tag == 'details']
    assert len(details) == 1, [k.tag for k in part]
    details = details[0]
    listed = [a.string() for a in table.all('a')]
    folded = [a.string() for a in details.all('a')]
    unchanged = [x['commit'] for x in c['commits'] if x['status'] == 'ok' and x['delta'] == 0]
    # every commit once: the +0 ones only in the details, the others only in the table
    assert sorted(listed + folded) == sorted(x['commit'][:12] for x in c['commits']), (listed, folded)
    assert sorted(folded) == sorted(x[:12] for x in unchanged) and comment[:12] in folded, folded
    assert big[:12] in listed and broken[:12] in listed and comment[:12] not in listed
    assert details.all('summary')[0].string() == '%d commits did not change the size' % len(unchanged)
    # the links: the template with the full sha (the link text is its first 12 characters)
    shas = {x['commit'][:12]: x['commit'] for x in c['commits']}
    for a in table.all('a') + details.all('a'):
        assert a.attrs['href'] == url(shas[a.string()]), (a.attrs['href'], url(shas[a.string()]))
    # a regression says what grew in its row
    row = [tr for tr in table.all('tr') if big[:12] in tr.string()][0]
    assert 'crc_big_table +40960' in row.string() and row.all('strong'), row.string()
PY

report junit.xml --baseline "$first" --budget "$budget" --format junit
check "JUnit: exit 1 as the others" test "$(rc junit.xml)" = 1
check "JUnit: valid against junit.xsd (after Jenkins' junit-10.xsd)" \
	xmllint --noout --schema "$TESTS_SRC/fixtures/junit.xsd" "$SCRATCH/junit.xml"
check "JUnit: a suite per config, a case per threshold, budget limit and failed build" python3 - \
	"$SCRATCH/junit.xml" "$budget" "$started" "$(date +%s)" "$(ev big-table)" "$(ev broken)" <<'PY'
import datetime, json, sys
import xml.etree.ElementTree as ET
junit, budget, t0, t1, big, broken = sys.argv[1:]
root = ET.parse(junit).getroot()
assert root.tag == 'testsuites'
suites = {s.get('name'): s for s in root.findall('testsuite')}
assert set(suites) == {'kbloat.tinyconfig', 'kbloat.modular'}, suites
# the limits each config's target has, counted from the budget file itself
targets = {t['config']: t for t in json.load(open(budget))['targets']}
def nlimits(t):
    return (('max_total' in t) + len(t.get('max_class', {})) + len(t.get('max_subsystem', {}))
            + ('max_growth_per_commit' in t))
for name, s in suites.items():
    config = name.split('.', 1)[1]
    cases = s.findall('testcase')
    fails = [c for c in cases if c.find('failure') is not None]
    assert int(s.get('tests')) == len(cases), (name, len(cases))
    assert int(s.get('failures')) == len(fails), (name, len(fails))
    # the suite ran when its newest build was recorded: during this test
    when = datetime.datetime.strptime(s.get('timestamp'), '%Y-%m-%dT%H:%M:%SZ')
    when = when.replace(tzinfo=datetime.timezone.utc).timestamp()
    assert int(t0) - 1 <= when <= int(t1) + 1, (s.get('timestamp'), t0, t1)
    assert float(s.get('time')) >= sum(float(c.get('time')) for c in cases)
    thr = [c for c in cases if c.get('name').startswith('threshold')]
    assert len(thr) == 1 and big[:12] in thr[0].find('failure').text
    limits = [c for c in cases if c.get('classname') == 'kbloat.%s.budget.%s' % (config, targets[config]['name'])]
    assert len(limits) == nlimits(targets[config]), (name, [c.get('name') for c in limits])
    assert 'total' in [c.get('name') for c in limits]
    over = [c.get('name') for c in limits if c.find('failure') is not None]
    assert over == ['growth per commit'], over
    builds = [c for c in cases if c.get('classname') == 'kbloat.%s.build' % config]
    assert [c.get('name')[:12] for c in builds] == [broken[:12]], [c.get('name') for c in builds]
    # the failed build's log: make's own words, as it recorded them
    assert 'make' in builds[0].find('failure').text and float(builds[0].get('time')) > 0
    assert len(cases) == 1 + len(limits) + len(builds)
PY

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
