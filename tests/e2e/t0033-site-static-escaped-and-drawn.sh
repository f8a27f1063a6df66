#!/bin/bash
# kbloat site: a static site from the store. Every page it links exists, every chart it
# shows was drawn, what came from a repository is HTML-escaped (a commit whose subject and
# author are <script>-laden), and headless Chromium draws the index with its charts.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
db=$SCRATCH/k.db
"$KBLOAT" collect --repo "$HISTORY/repo" --range main~8..main --first-parent --db "$db" -j2 \
	--config tinyconfig --config modular >/dev/null 2>"$SCRATCH/collect.err" ||
	fail "collect: $(tail -n3 "$SCRATCH/collect.err")"
"$KBLOAT" site --db "$db" --out "$SCRATCH/site" >"$SCRATCH/site.out" 2>"$SCRATCH/site.err" ||
	fail "site: $(cat "$SCRATCH/site.err")"
subs=$(find "$SCRATCH/site/charts" -name 'sub-*.svg' | wc -l)
check "site says what it made (per config three PNGs and the size chart as SVG, and compare;
	an SVG per subsystem page, $subs)" grep -q "index.html: 2 configs, [0-9]* pages, \
$((9 + subs)) charts, 0 feed entries" "$SCRATCH/site.out"
check "a subsystem chart per subsystem page" test "$subs" = \
	"$(find "$SCRATCH/site/subsystem" -name '*.html' | wc -l)" -a "$subs" -gt 0
check "every link and image of every page exists" python3 -c "
import glob, os, re
root = '$SCRATCH/site'
pages = glob.glob(root + '/**/*.html', recursive=True)
assert len(pages) > 10, pages
for p in pages:
    html = open(p).read()
    for ref in re.findall(r'(?:href|src)=\"([^\"]+)\"', html):
        if ref.startswith('#'): # an anchor of the page itself
            assert 'id=\"%s\"' % ref[1:] in html, (p, ref)
            continue
        f = os.path.normpath(os.path.join(os.path.dirname(p), ref))
        assert os.path.isfile(f) and os.path.getsize(f) > 0, (p, ref)
"
big=$(git -C "$HISTORY/repo" log --format=%H -1 main~8..main -- kernel/configs/tiny.config)
check "a commit page shows bloat-o-meter's text for it" grep -q "add/remove:" \
	"$SCRATCH/site/commit/$big-tinyconfig.html"
check "the wall of thanks has the tiny.config commit" grep -q "commit/$big-tinyconfig.html" \
	"$SCRATCH/site/index.html"

# markup from a repository
mkdir "$SCRATCH/evil" && git -C "$SCRATCH/evil" init -q
g() { git -C "$SCRATCH/evil" -c "user.name=$1" -c user.email='x@e' commit -q --allow-empty -m "$2"; }
g base base
g 'Eve & "Mallory" onload=alert(2)' '<script>alert(1)</script> <img src=x onerror=alert(3)>'
for rev in HEAD~1 HEAD; do
	img=$FIXTURES/vmlinux-fs
	[ "$rev" = HEAD ] && img=$FIXTURES/vmlinux-g5
	"$KBLOAT" record --db "$SCRATCH/evil.db" --repo "$SCRATCH/evil" --commit "$rev" \
		--config '<b>cfg</b>' "$img" >/dev/null
done
"$KBLOAT" site --db "$SCRATCH/evil.db" --out "$SCRATCH/evil-site" >/dev/null 2>"$SCRATCH/e.err" ||
	fail "site of the hostile repository: $(cat "$SCRATCH/e.err")"
check "no page carries the markup as markup" test -z \
	"$(grep -rl -e '<script>' -e '<img src=x' -e '<b>cfg' "$SCRATCH/evil-site" || true)"
check "the one script of each size chart is kbloat's own (its hover card)" python3 -c "
import glob
svgs = glob.glob('$SCRATCH/evil-site/charts/*.svg')
assert svgs and all(open(f).read().count('<script') == 1 for f in svgs), svgs
assert all('<script type=\"application/ecmascript\"><![CDATA[' in open(f).read() for f in svgs)"
check "the wall shows the subject, escaped" grep -q \
	'&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(3)&gt;' \
	"$SCRATCH/evil-site/index.html"
check "and the author" grep -q 'Eve &amp; &quot;Mallory&quot; onload=alert(2)' \
	"$SCRATCH/evil-site/index.html"
check "the config name too" grep -q '&lt;b&gt;cfg&lt;/b&gt;' "$SCRATCH/evil-site/index.html"

# a browser draws it: the index in headless Chromium, the charts' colours on the screenshot
py=
for p in python3 /usr/bin/python3; do # Debian's python3-pil is in Debian's python
	"$p" -c 'import PIL' 2>/dev/null && py=$p && break
done
if ! command -v chromium >/dev/null || [ -z "$py" ]; then
	echo "MISSING: chromium or python3-pil (scripts/setup-deps.sh --test installs them): the screenshot check FAILS" >&2
	fail "chromium or python3-pil missing"
else
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$SCRATCH/chromium" --window-size=1200,2400 \
		--screenshot="$SCRATCH/shot.png" "file://$SCRATCH/site/index.html" \
		>/dev/null 2>"$SCRATCH/chromium.err" || fail "chromium: $(tail -n2 "$SCRATCH/chromium.err")"
	check "Chromium draws the index with its charts (their class colours are on screen)" \
		"$py" -c "
from PIL import Image
im = Image.open('$SCRATCH/shot.png').convert('RGB')
# plots/size.gp fills bss with #7570b3 and rodata with #66a61e at 85% over white
want = [tuple(round(c * 0.85 + 255 * 0.15) for c in rgb) for rgb in ((117, 112, 179), (102, 166, 30))]
counts = im.getcolors(1 << 24)
n = [sum(k for k, p in counts if all(abs(a - b) <= 3 for a, b in zip(p, w))) for w in want]
assert all(v > 2000 for v in n), (want, n)
"
fi
done_testing
