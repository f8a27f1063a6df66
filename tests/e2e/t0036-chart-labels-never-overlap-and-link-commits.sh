#!/bin/bash
# The size chart kbloat lays out itself (src/report/chart.h): many regressions and reductions
# close together get label boxes no two of which meet; each plotted commit is in the SVG
# with its sha and subject (escaped: the subjects and authors here are hostile) and, in the
# site, a link to its commit page; x rises with the commit date; y ticks are KiB/MiB and
# agree with the bytes; a release tag and a --label are drawn; Chromium shows a point's
# commit on hover and opens its page on a click.
. "$TESTS_SRC/e2e/lib.sh"
repo=$SCRATCH/repo db=$SCRATCH/k.db
mkdir "$repo" && git -C "$repo" init -q
n=0
# commit NAME SUBJECT DATE: an empty commit by NAME at DATE (seconds since the epoch)
commit() {
	GIT_AUTHOR_DATE="$3 +0000" GIT_COMMITTER_DATE="$3 +0000" git -C "$repo" \
		-c "user.name=$1" -c user.email=a@e commit -q --allow-empty -m "$2"
	n=$((n + 1))
}
# the first commit two days before the others, which land a minute apart: on a date axis the
# twenty are a cluster a few pixels wide, and every label competes for the same place
t=1767225600
commit base "base" $((t - 2 * 86400))
evil='<script>alert(1)</script> ]]> & "q" '"'s'"' \ `x` $(touch '"$SCRATCH/pwned"')'
for i in $(seq 1 20); do
	commit "Dev $i <b>&amp;\"</b> \`id\` '\\" "$i: $evil" $((t + i * 60))
done
git -C "$repo" tag -a v1.0 -m "release" HEAD~10
git -C "$repo" tag v0.9-rc1 HEAD~15
# images of different sizes in turn: regressions and reductions of several sizes
imgs=(vmlinux-fs vmlinux-g5 vmlinux-nog vmlinux-g4 vmlinux-fs vmlinux-v2-g5 vmlinux-nog)
for i in $(seq 0 20); do
	"$KBLOAT" record --db "$db" --repo "$repo" --commit "HEAD~$((20 - i))" --config tiny \
		"$FIXTURES/${imgs[$((i % ${#imgs[@]}))]}" >/dev/null 2>"$SCRATCH/rec.err" ||
		fail "record HEAD~$((20 - i)): $(cat "$SCRATCH/rec.err")"
done
"$KBLOAT" history --db "$db" --config tiny --json >"$SCRATCH/history.json"
git -C "$repo" log --format='%H %ct' >"$SCRATCH/dates"

check "site draws with the repository's tags and a label" "$KBLOAT" site --db "$db" \
	--out "$SCRATCH/site" --repo "$repo" --label "$(git -C "$repo" rev-parse HEAD~3)=my mark"
check "plot draws the same chart as PNG and SVG, 8 culprits each way" "$KBLOAT" plot \
	--db "$db" --out "$SCRATCH/charts" --format both --annotate 8 --repo "$repo" --tags 'v1*'
check "nothing in a subject or a name ran" test ! -e "$SCRATCH/pwned"
check "the PNG is a PNG" python3 -c "
d = open('$SCRATCH/charts/tiny-size.png', 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n' and len(d) > 5000, len(d)"

# the checks of one chart: python3 reads the SVG as XML (a hostile subject that broke it
# would fail the parse), history --json and git log are the independent answers
chart_checks() { # SVG ANNOTATE SITE(0|1)
	python3 - "$1" "$2" "$3" "$SCRATCH/history.json" "$SCRATCH/dates" "$repo" <<'EOF'
import json, os, re, subprocess, sys
import xml.etree.ElementTree as ET
svg, annotate, site, hist, dates, repo = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1', \
    sys.argv[4], sys.argv[5], sys.argv[6]
root = ET.parse(svg).getroot()
S = '{http://www.w3.org/2000/svg}'
builds = json.load(open(hist))['builds']
ct = dict(l.split() for l in open(dates))
subject = {sha: subprocess.check_output(['git', '-C', repo, 'log', '-1', '--format=%s', sha])
           .decode().rstrip('\n') for sha in ct}
problems = []

# 1. the culprit labels: the largest regressions and reductions, ANNOTATE each, by history's
# deltas; each box holds its culprit's sha and change, and no two boxes meet
def key(b): return (-abs(b['delta']), builds.index(b))
moved = [b for b in builds if b.get('delta')]
want = sorted([b for b in moved if b['delta'] > 0], key=key)[:annotate] + \
       sorted([b for b in moved if b['delta'] < 0], key=key)[:annotate]
rects = [e for e in root.iter(S + 'rect') if 'label' in (e.get('class') or '').split()]
texts = [e for e in root.iter(S + 'text') if (e.get('class') or '') in ('regression', 'reduction')]
if len(rects) != len(want) or len(texts) != len(want):
    problems.append('%d boxes and %d texts for %d culprits' % (len(rects), len(texts), len(want)))
for b in want:
    t = [e for e in texts if e.text.startswith(b['commit'][:8] + ' ') and
         e.text.endswith(' %+d' % b['delta'])]
    if len(t) != 1 or t[0].get('class') != ('regression' if b['delta'] > 0 else 'reduction'):
        problems.append('no label of %s %+d' % (b['commit'][:8], b['delta']))
boxes = [tuple(float(r.get(k)) for k in ('x', 'y', 'width', 'height')) for r in rects]
for i, a in enumerate(boxes):
    for c in boxes[i + 1:]:
        if a[0] < c[0] + c[2] and c[0] < a[0] + a[2] and a[1] < c[1] + c[3] and c[1] < a[1] + a[3]:
            problems.append('label boxes %s and %s meet' % (a, c))
for a in boxes:
    if a[0] < 0 or a[1] < 0 or a[0] + a[2] > float(root.get('width')) or \
       a[1] + a[3] > float(root.get('height')):
        problems.append('label box %s leaves the chart' % (a,))

# 2. each plotted commit: its sha, subject and, in the site, a link to a page that exists
pts = [e for e in root.iter() if e.get('class') == 'pt']
if [p.get('data-sha') for p in pts] != [b['commit'] for b in builds]:
    problems.append('the points are not the builds, in order')
for p in pts:
    sha = p.get('data-sha')
    if p.get('data-subject') != subject.get(sha):
        problems.append('%s: subject %r, not %r' % (sha, p.get('data-subject'), subject.get(sha)))
    href = p.get('href')
    if site:
        page = os.path.normpath(os.path.join(os.path.dirname(svg), href or ''))
        if href != '../commit/%s-tiny.html' % sha or not os.path.isfile(page):
            problems.append('%s: link %r, no page there' % (sha, href))
    elif href is not None:
        problems.append('%s: a link %r with no site' % (sha, href))

# 3. x rises with the commit date (git's committer time)
xs = [(int(ct[p.get('data-sha')]), float(p.get('data-x'))) for p in pts]
for (t0, x0), (t1, x1) in zip(xs, xs[1:]):
    if not (t1 > t0 and x1 > x0):
        problems.append('x %.1f -> %.1f for committer time %d -> %d' % (x0, x1, t0, t1))
gaps = [x1 - x0 for (_, x0), (_, x1) in zip(xs, xs[1:])]
if not gaps[0] > 20 * max(gaps[1:]):
    problems.append('two days and a minute drawn alike: %s' % gaps[:3])

# 4. y ticks: KiB or MiB (never kB), and their values (1024-based) put each point's total
# where the point is drawn
unit = {'KiB': 1024, 'MiB': 1024 ** 2, 'GiB': 1024 ** 3}
ticks = []
for e in root.iter(S + 'text'):
    if e.get('text-anchor') == 'end' and e.text:
        m = re.fullmatch(r'([0-9.]+) (KiB|MiB|GiB)|0', e.text)
        if not m:
            problems.append('a y tick %r' % e.text)
        else:
            ticks.append((float(m.group(1)) * unit[m.group(2)] if m.group(1) else 0,
                          float(e.get('y'))))
if len(ticks) < 3 or re.search(r'\bkB\b|\bKB\b', open(svg).read()):
    problems.append('y ticks %s' % ticks)
(v0, y0), (v1, y1) = ticks[0], ticks[-1]
for p, b in zip(pts, builds):
    y = y0 + (b['size'] - v0) * (y1 - y0) / (v1 - v0)
    if abs(y - float(p.get('data-y'))) > 0.6:
        problems.append('%s: %d bytes drawn at y %.1f, the ticks say %.1f'
                        % (b['commit'][:8], b['size'], float(p.get('data-y')), y))

# 5. the hostile text is text: no element but ours, no script but ours
tags = {e.tag for e in root.iter()}
if tags - {S + t for t in ('svg', 'title', 'rect', 'polygon', 'polyline', 'text', 'g', 'a',
                           'circle', 'script')}:
    problems.append('elements %s' % tags)
if len(list(root.iter(S + 'script'))) != 1:
    problems.append('scripts: %d' % len(list(root.iter(S + 'script'))))
for p in problems[:20]:
    print(p)
sys.exit(1 if problems else 0)
EOF
}
check "plot's SVG: labels apart, commits, dates, binary ticks" \
	chart_checks "$SCRATCH/charts/tiny-size.svg" 8 0
check "site's SVG: the same, each point linking its commit page" \
	chart_checks "$SCRATCH/site/charts/tiny-size.svg" 5 1
check "the release tag v1.0 is on plot's chart, v0.9-rc1 not (--tags v1*)" python3 -c "
import xml.etree.ElementTree as ET
t = [e.text for e in ET.parse('$SCRATCH/charts/tiny-size.svg').iter() if e.get('class') == 'release' and e.text]
assert t == ['v1.0'], t"
check "the site's chart marks both tags and the label (texts a pixel apart: one shown)" python3 -c "
import xml.etree.ElementTree as ET
S = '{http://www.w3.org/2000/svg}'
r = ET.parse('$SCRATCH/site/charts/tiny-size.svg').getroot()
lines = [e for e in r.iter(S + 'polyline') if e.get('class') == 'release']
t = [e.text for e in r.iter(S + 'text') if e.get('class') == 'release']
assert len(lines) == 3 and len(t) == 1 and t[0] in ('my mark', 'v0.9-rc1', 'v1.0'), (len(lines), t)"
check "the index embeds the SVG, its PNG inside" grep -q \
	'<object class="chart" type="image/svg+xml" data="charts/tiny-size.svg" [^>]*><img src="charts/tiny-size.png"' \
	"$SCRATCH/site/index.html"
# markers that are not commits: one-line errors
expect_error 2 'label nocommit: not REF=TEXT' "$KBLOAT" plot --db "$db" --out "$SCRATCH/x" \
	--label nocommit
expect_error 2 'label v9=x: v9: unknown revision' "$KBLOAT" plot --db "$db" --out "$SCRATCH/x" \
	--repo "$repo" --label v9=x
# (without --repo, in the repository the database recorded: kbloat(1) "Revisions")
expect_error 2 "label beef=x: beef: unknown revision in $repo" "$KBLOAT" site --db "$db" \
	--out "$SCRATCH/x" --label beef=x

# a browser, its mouse on the chart: hover the point that stands apart (the first: the
# others are a cluster a third of a pixel apart, which no mouse can tell apart) and click
# it; then click the label of the largest regression, in the cluster
if ! command -v chromium >/dev/null; then
	echo "MISSING: chromium (scripts/setup-deps.sh --test installs it): the browser checks FAIL" >&2
	fail "chromium missing"
else
	read -r first big < <(python3 -c "
import json
b = json.load(open('$SCRATCH/history.json'))['builds']
print(b[0]['commit'], max(b, key=lambda x: x.get('delta') or 0)['commit'])")
	check "Chromium: hovering a point shows its commit; a click on it or a label opens its page" \
		timeout 120 python3 "$TESTS_SRC/e2e/chart_browser.py" "$SCRATCH/site/charts/tiny-size.svg" \
		"$first" "$SCRATCH/site/commit/$first-tiny.html" \
		"$big" "$SCRATCH/site/commit/$big-tiny.html"
fi
done_testing
