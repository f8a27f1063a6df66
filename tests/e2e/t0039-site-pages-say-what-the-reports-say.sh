#!/bin/bash
# The site's pages against the reports and git (issue 18), on the collected sample (its
# 40K commit, its broken build, its v6.1 tags): the index's latest size and its changes over
# a day, a week and since the release are history's sizes at git's commit times; the walls
# have no empty cell; a commit page's bloat-o-meter and roll-up tables are show --json's
# rows, its previous and next are the line's neighbours and its upstream link is
# --commit-url's; the failed build's page is linked from the index, ends with its log, and
# has for previous and next the line's builds around it on git's first parents; a
# subsystem page has its own chart and its history's largest commits with whole subjects;
# an author page lists exactly their commits that grew or shrank the line. A bad
# --commit-url or SOURCE_DATE_EPOCH is one line and exit 2.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}" "${KB_BUILD:?}"
db=$KB_BUILD/tests/collected/col.db
[ -f "$db" ] || { fail "no collected sample ($db): the fixtures-collected test makes it"; exit 1; }
"$KBLOAT" site --db "$db" --out "$SCRATCH/site" --repo "$HISTORY/repo" --tags 'v*' \
	--commit-url 'https://git.kernel.org/torvalds/c/%H' >/dev/null 2>"$SCRATCH/site.err" ||
	fail "site: $(cat "$SCRATCH/site.err")"
for cfg in tinyconfig defconfig; do
	"$KBLOAT" history --db "$db" --config "$cfg" --json >"$SCRATCH/$cfg.json"
done
git -C "$HISTORY/repo" log --format='%H %ct' main >"$SCRATCH/times"
git -C "$HISTORY/repo" log --first-parent --reverse --format=%H main >"$SCRATCH/first-parents"
git -C "$HISTORY/repo" tag --sort=-creatordate --format='%(refname:short) %(objectname) %(*objectname)' >"$SCRATCH/tags"

cat >"$SCRATCH/pages.py" <<'PY'
import html.parser, json, os, re, subprocess, sys

site, scratch, kbloat, db = sys.argv[1:5]

class Tables(html.parser.HTMLParser):
    """The tables of a page, each a list of rows of (text, [hrefs]) cells, with the last
    heading before each."""
    def __init__(self):
        super().__init__()
        self.tables, self.heading, self.h, self.cell, self.row = [], '', None, None, None
    def handle_starttag(self, tag, attrs):
        if tag in ('h1', 'h2', 'h3'):
            self.h = ''
        elif tag == 'table':
            self.tables.append((self.heading, []))
        elif tag == 'tr':
            self.row = []
            self.tables[-1][1].append(self.row)
        elif tag in ('td', 'th'):
            self.cell = ['', []]
            self.row.append(self.cell)
        elif tag == 'a' and self.cell is not None:
            self.cell[1].append(dict(attrs)['href'])
    def handle_endtag(self, tag):
        if tag in ('h1', 'h2', 'h3'):
            self.heading, self.h = self.h, None
        elif tag in ('td', 'th'):
            self.cell = None
    def handle_data(self, d):
        if self.h is not None:
            self.h += d
        if self.cell is not None:
            self.cell[0] += d

def tables(page):
    p = Tables()
    p.feed(open(os.path.join(site, page), encoding='utf-8').read())
    return p.tables

def num(s):
    return int(s.replace(',', '').replace('+', '').split()[0])

hist = {c: json.load(open('%s/%s.json' % (scratch, c)))['builds'] for c in ('tinyconfig', 'defconfig')}
times = dict(l.split() for l in open(scratch + '/times'))
idx = tables('index.html')

# the latest sizes: history's newest size, and its changes since git's times
latest = next(rows for h, rows in idx if h == 'Latest sizes')
tagged = {}
for l in open(scratch + '/tags'):
    name, obj, peeled = (l.split() + [''])[:3]
    tagged.setdefault(peeled or obj, name)
for row in latest[1:]:
    cfg = row[0][0]
    b = hist[cfg]
    assert num(row[2][0]) == b[-1]['size'], (cfg, row[2][0], b[-1]['size'])
    t = int(times[b[-1]['commit']])
    for col, back in ((3, 86400), (4, 7 * 86400)):
        old = [x for x in b if int(times[x['commit']]) <= t - back]
        if old:
            assert num(row[col][0]) == b[-1]['size'] - old[-1]['size'], (cfg, col, row[col][0])
            assert old[-1]['commit'] in row[col][1][0], (row[col][1], old[-1]['commit'])
        else:
            assert row[col][0].startswith('no build'), row[col][0]
    # the newest release before the newest build (which may be one itself)
    rel = [x for x in b[:-1] if x['commit'] in tagged]
    assert rel, 'no tagged build on the line: the sample has v6.1'
    assert num(row[5][0]) == b[-1]['size'] - rel[-1]['size'], (cfg, row[5][0])
    assert tagged[rel[-1]['commit']] in row[5][0] and rel[-1]['commit'] in row[5][1][0], row[5]

# the walls: no empty cell
walls = [(h, rows) for h, rows in idx if h.startswith('Wall of')]
assert len(walls) == 4, [h for h, _ in walls]
for h, rows in walls:
    for r in rows[1:]:
        assert all(c[0].strip() for c in r), (h, r)
        # and no stand-in: each row's build has a subsystem and symbols that changed its way
        assert not any('(no symbol' in c[0] for c in r), (h, r)
        sign = 1 if 'regressions' in h else -1
        assert sign * num(r[5][0]) > 0 and all(sign * num(x.split()[-1]) > 0
                                               for x in r[6][0].split(', ')), (h, r)

# the 40K commit's page in tinyconfig
b = hist['tinyconfig']
i = max(range(len(b)), key=lambda k: b[k]['delta'])
sha = b[i]['commit']
page = 'commit/%s-tinyconfig.html' % sha
show = json.loads(subprocess.check_output([kbloat, 'show', '--db', db, '--config', 'tinyconfig',
                                           sha, '--json']))
t = dict((h, rows) for h, rows in tables(page))
bom = [(r[0][0], num(r[3][0])) for r in t['bloat-o-meter'][1:]]
assert bom == [(r['name'], r['delta']) for r in show['bloat_o_meter']['rows'] if r['delta']], bom
subs = [(r[0][0], num(r[3][0])) for r in t['By subsystem'][1:]]
assert subs == [(r['key'], r['delta']) for r in show['subsystems'] if r['delta']], subs
assert t['By file'][1:], 'no file roll-up'
html = open(os.path.join(site, page), encoding='utf-8').read()
assert 'href="https://git.kernel.org/torvalds/c/%s">upstream' % sha in html
prev = re.search(r'previous: <a href="\.\./commit/([0-9a-f]{40})-tinyconfig', html).group(1)
nxt = re.search(r'next: <a href="\.\./commit/([0-9a-f]{40})-tinyconfig', html).group(1)
assert (prev, nxt) == (b[i - 1]['commit'], b[i + 1]['commit']), (prev, nxt)

# the failed build: listed on the index, its page ends with its log
fail = next(rows for h, rows in idx if h == 'Builds that failed')
fsha = re.search(r'commit/([0-9a-f]{40})-', fail[1][0][1][0]).group(1)
fshow = json.loads(subprocess.check_output([kbloat, 'show', '--db', db, '--config', 'tinyconfig',
                                            fsha, '--json']))
assert fshow['status'] == 'failed', fshow['status']
last = [l for l in fshow['log'].splitlines() if l.strip() and 'Waiting for' not in l][-1]
fpage = open(os.path.join(site, 'commit/%s-tinyconfig.html' % fsha), encoding='utf-8').read()
from html import escape
assert escape(last, quote=True) in fpage, last
# off the line, its previous and next are the line's builds around it on git's first parents
order = open(scratch + '/first-parents').read().split()  # oldest first
on_line = set(x['commit'] for x in b)
at = order.index(fsha)
want = ([c for c in order[:at] if c in on_line][-1], [c for c in order[at + 1:] if c in on_line][0])
fprev = re.search(r'previous: <a href="\.\./commit/([0-9a-f]{40})-tinyconfig', fpage)
fnext = re.search(r'next: <a href="\.\./commit/([0-9a-f]{40})-tinyconfig', fpage)
assert fprev and fnext and (fprev.group(1), fnext.group(1)) == want, (fprev, fnext, want)

# a subsystem page: its chart, its history's largest regression, whole subjects
m = re.search(r'href="(subsystem/([^"]+)-tinyconfig\.html)">([^<]+)<', open(os.path.join(site, 'index.html'), encoding='utf-8').read())
spage, sslug, sname = m.group(1), m.group(2), m.group(3)
import html as H
sname = H.unescape(sname)
sh = json.loads(subprocess.check_output([kbloat, 'history', '--db', db, '--config', 'tinyconfig',
                                         '--subsystem', sname, '--json']))['builds']
st = dict((h, rows) for h, rows in tables(spage))
top = st['Its largest regressions'][1]
big = max(sh, key=lambda x: x['delta'])
assert big['commit'] in top[0][1][0] and num(top[3][0]) == big['delta'], (top, big)
every = st['Every build, newest first'][1:]
assert [r[5][0] for r in every] == [x['subject'] for x in reversed(sh)], 'subjects cut or out of order'
assert any(len(x['subject']) > 32 for x in sh), 'no subject longer than 32 to check'
svg = os.path.join(site, 'charts/sub-%s-tinyconfig.svg' % sslug)
import xml.etree.ElementTree as ET
pts = [e for e in ET.parse(svg).getroot().iter() if e.get('class') == 'pt']
assert len(pts) == len(sh), (len(pts), len(sh))

# an author page: their commits on the line that grew or shrank it, per config
a = next(r for r in walls[0][1][1:])
apage = a[1][1][0]
name = a[1][0]
at = tables(apage)
got = sorted(re.search(r'[0-9a-f]{40}', r[0][1][0]).group(0) + h for h, rows in at for r in rows[1:])
want = sorted(x['commit'] + ('Regressions' if x['delta'] > 0 else 'Reductions')
              for c in ('tinyconfig', 'defconfig') for x in hist[c]
              if x['author'] == name and x['commits'] and x['delta'])
assert got == want, (name, got, want)
print('ok: index, walls, commit', sha[:12], 'failed', fsha[:12], 'subsystem', sname, 'author', name)
PY
check "the pages say what history, show and git say" python3 "$SCRATCH/pages.py" \
	"$SCRATCH/site" "$SCRATCH" "$KBLOAT" "$db"

# bad input: one line naming it, exit 2, no site
expect_error 2 "^kbloat: --commit-url x%z: %z: not %H, %h or %%$" \
	"$KBLOAT" site --db "$db" --out "$SCRATCH/bad1" --commit-url 'x%z'
expect_error 2 "^kbloat: SOURCE_DATE_EPOCH=abc: not a number of seconds$" \
	env SOURCE_DATE_EPOCH=abc "$KBLOAT" site --db "$db" --out "$SCRATCH/bad2"
check "neither made a site" test ! -e "$SCRATCH/bad1" -a ! -e "$SCRATCH/bad2"
SOURCE_DATE_EPOCH=1767225600 "$KBLOAT" site --db "$db" --out "$SCRATCH/when" >/dev/null
check "SOURCE_DATE_EPOCH is the time the index says" grep -q \
	"<dt>generated</dt><dd>2026-01-01 00:00 UTC</dd>" "$SCRATCH/when/index.html"
done_testing
