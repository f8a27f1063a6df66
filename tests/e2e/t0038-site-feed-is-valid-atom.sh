#!/bin/bash
# feed.xml, the site's Atom feed of the regressions over --threshold (issue 18): valid Atom
# as RFC 4287 asks (python3's XML parser reads it; the feed and each entry have an id, a
# title and an RFC 3339 updated; each entry an author and a link to its commit's page, which
# exists); its entries are exactly the builds `kbloat history --json` says grew by the
# threshold or more, newest first; a hostile subject and author come back from the parser
# as they were written (escaped, not markup), and a lower --threshold lists more. With
# --site-url every link is absolute under it and names a file of the site; a URL that is not
# http(s) or holds a quote is one line and exit 2.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}" "${KB_BUILD:?}"
db=$KB_BUILD/tests/collected/col.db
[ -f "$db" ] || { fail "no collected sample ($db): the fixtures-collected test makes it"; exit 1; }

# feed_checks SITE DB THRESHOLD: the feed against history --json of each config of DB
feed_checks() {
	python3 - "$1" "$2" "$3" "$KBLOAT" <<'PY'
import json, os, re, subprocess, sys
import xml.etree.ElementTree as ET
from datetime import datetime
site, db, threshold, kbloat = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
A = '{http://www.w3.org/2005/Atom}'
root = ET.parse(os.path.join(site, 'feed.xml')).getroot()
assert root.tag == A + 'feed', root.tag
def rfc3339(s):
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', s), s
    return datetime.strptime(s, '%Y-%m-%dT%H:%M:%SZ')
for k in ('id', 'title', 'updated'):
    assert (root.findtext(A + k) or '').strip(), 'feed without ' + k
rfc3339(root.findtext(A + 'updated'))
assert root.find(A + "link[@rel='self']") is not None
got = []
for e in root.findall(A + 'entry'):
    for k in ('id', 'title', 'updated'):
        assert (e.findtext(A + k) or '').strip(), 'entry without ' + k
    assert (e.findtext(A + 'author/' + A + 'name') or '').strip(), 'entry without an author'
    link = e.find(A + "link[@rel='alternate']")
    page = os.path.join(site, link.get('href'))
    assert os.path.isfile(page), page
    sha = re.search(r'commit/([0-9a-f]{40})-', link.get('href')).group(1)
    got.append((rfc3339(e.findtext(A + 'updated')), sha, e.findtext(A + 'title'),
                e.findtext(A + 'author/' + A + 'name')))
ids = [e.findtext(A + 'id') for e in root.findall(A + 'entry')]
assert len(set(ids)) == len(ids), ids
assert [g[0] for g in got] == sorted((g[0] for g in got), reverse=True), 'not newest first'
# what history says grew by the threshold or more, per config
names = [l.split('\t')[0] for l in subprocess.check_output(
    ['sqlite3', db, 'SELECT name FROM configs ORDER BY name']).decode().splitlines()]
want = []
for cfg in names:
    h = json.loads(subprocess.check_output([kbloat, 'history', '--db', db, '--config', cfg,
                                            '--json']))
    for b in h['builds']:
        if b['commits'] and b['delta'] >= threshold:
            want.append((b['commit'], cfg, b['subject'], b['author'], b['delta']))
assert sorted(g[1] for g in got) == sorted(w[0] for w in want), (got, want)
for sha, cfg, subject, author, delta in want:
    g = next(g for g in got if g[1] == sha and g[2].startswith(cfg + ':'))
    assert g[2] == '%s: +%d bytes: %s' % (cfg, delta, subject), (g[2], subject)
    assert g[3] == author, (g[3], author)
print(len(got), 'entries')
PY
}

"$KBLOAT" site --db "$db" --out "$SCRATCH/site" >"$SCRATCH/site.out" 2>"$SCRATCH/site.err" ||
	fail "site: $(cat "$SCRATCH/site.err")"
check "site counts the feed's entries" grep -q "[1-9][0-9]* feed entries" "$SCRATCH/site.out"
check "the sample's feed: valid Atom, the regressions of 4K or more" \
	feed_checks "$SCRATCH/site" "$db" 4096
check "the 40K commit is in it" grep -q "+4[0-9][0-9][0-9][0-9] bytes" "$SCRATCH/site/feed.xml"
"$KBLOAT" site --db "$db" --out "$SCRATCH/site1" --threshold 1 >"$SCRATCH/site1.out" ||
	fail "site --threshold 1"
check "--threshold 1: every growth, more entries" feed_checks "$SCRATCH/site1" "$db" 1
n4=$(grep -c "<entry>" "$SCRATCH/site/feed.xml") n1=$(grep -c "<entry>" "$SCRATCH/site1/feed.xml")
check "--threshold 1 lists more than 4K ($n1 > $n4)" test "$n1" -gt "$n4"
check "the index links the feed" grep -q 'type="application/atom+xml"[^>]*href="feed.xml"' \
	"$SCRATCH/site/index.html"

# --site-url: every link of the feed absolute under it, to a page the site has
export SOURCE_DATE_EPOCH=1767225600 # both sites made at the same time, for the diff
"$KBLOAT" site --db "$db" --out "$SCRATCH/rel" >/dev/null || fail "site"
"$KBLOAT" site --db "$db" --out "$SCRATCH/abs" --site-url 'https://sizes.example.org/k/' \
	>/dev/null 2>"$SCRATCH/abs.err" || fail "site --site-url: $(cat "$SCRATCH/abs.err")"
unset SOURCE_DATE_EPOCH
check "--site-url: each feed link is the site's URL and a file of the site" python3 -c "
import os, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
root = ET.parse('$SCRATCH/abs/feed.xml').getroot()
links = [l.get('href') for l in root.iter(A + 'link')]
base = 'https://sizes.example.org/k/'
assert len(links) > 2 and all(l.startswith(base) for l in links), links
for l in links:
    assert os.path.isfile(os.path.join('$SCRATCH/abs', l[len(base):])), l
"
check "--site-url: nothing else changes" diff -r -x feed.xml "$SCRATCH/rel" "$SCRATCH/abs"
expect_error 2 "^kbloat: --site-url ftp://x: not an http:// or https:// URL$" \
	"$KBLOAT" site --db "$db" --out "$SCRATCH/bad1" --site-url ftp://x
expect_error 2 "^kbloat: --site-url https://a\"b: a byte a URL does not hold as it is \(0x22\)$" \
	"$KBLOAT" site --db "$db" --out "$SCRATCH/bad2" --site-url 'https://a"b'
check "neither made a site" test ! -e "$SCRATCH/bad1" -a ! -e "$SCRATCH/bad2"

# hostile text: markup, quotes, an XML end and control bytes in a subject and an author
mkdir "$SCRATCH/evil" && git -C "$SCRATCH/evil" init -q
g() { git -C "$SCRATCH/evil" -c "user.name=$1" -c user.email='x@e' commit -q --allow-empty -m "$2"; }
g base base
g 'Eve </name> & "M" <x>' "$(printf '<script>alert(1)</script> ]]> &amp; \x01\x1b[31m')"
for rev in HEAD~1 HEAD; do
	img=$FIXTURES/vmlinux-fs
	[ "$rev" = HEAD ] && img=$FIXTURES/vmlinux-g5
	"$KBLOAT" record --db "$SCRATCH/evil.db" --repo "$SCRATCH/evil" --commit "$rev" \
		--config '<cfg>&' "$img" >/dev/null
done
"$KBLOAT" site --db "$SCRATCH/evil.db" --out "$SCRATCH/evil-site" --threshold 1 >/dev/null \
	2>"$SCRATCH/e.err" || fail "site of the hostile repository: $(cat "$SCRATCH/e.err")"
"$KBLOAT" history --db "$SCRATCH/evil.db" --json >"$SCRATCH/evil.json"
delta=$(pyjson "$SCRATCH/evil.json" "print(d['builds'][-1]['delta'])")
if [ "$delta" -gt 0 ]; then
	check "the hostile feed parses, its texts as written (controls as \\xNN)" python3 -c "
import json, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
e = ET.parse('$SCRATCH/evil-site/feed.xml').getroot().findall(A + 'entry')
assert len(e) == 1, len(e)
t = e[0].findtext(A + 'title')
assert t == '<cfg>&: +$delta bytes: <script>alert(1)</script> ]]> &amp; \\\\x01\\\\x1b[31m', repr(t)
# git keeps no angle bracket in a name: the author as the store has it, which has the rest
a = json.load(open('$SCRATCH/evil.json'))['builds'][-1]['author']
assert '&' in a and '\"' in a, a
assert e[0].findtext(A + 'author/' + A + 'name') == a, (a, e[0].findtext(A + 'author/' + A + 'name'))
"
else
	fail "the hostile repository's second build does not grow ($delta): no entry to check"
fi
done_testing
