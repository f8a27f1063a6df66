#!/bin/bash
# The site in a browser (issue 18): headless Chromium renders the index, a commit page, a
# subsystem page and an author page of the collected sample at 1400 and 390 px
# (tests/e2e/site_browser.py). From the DOM: nothing overflows sideways; each page says its
# language, has a viewport, one h1 and no heading level skipped, alt text on every image and
# text contrast of at least 4.5:1 (computed from the styles); every href, src and object
# resolves to a file of the site, or upstream through --commit-url; hovering a chart's point
# shows its commit and clicking it opens that commit's page. The checker must also catch a
# page spoiled on purpose, so that it is known to look.
# With KB_SCREENSHOTS=DIR the screenshots it made are copied to DIR (scripts/screenshots
# makes the README's doc/images with it).
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}" "${KB_BUILD:?}"
db=$KB_BUILD/tests/collected/col.db
[ -f "$db" ] || { fail "no collected sample ($db): the fixtures-collected test makes it"; exit 1; }
require_tools chromium
url='https://git.kernel.org/torvalds/c/%H'
# the site says it was made when the sample's newest commit was: the screenshots stay the same
SOURCE_DATE_EPOCH=$(git -C "$HISTORY/repo" log -1 --format=%ct main) \
	"$KBLOAT" site --db "$db" --out "$SCRATCH/site" --repo "$HISTORY/repo" \
	--commit-url "$url" >/dev/null 2>"$SCRATCH/site.err" ||
	fail "site: $(cat "$SCRATCH/site.err")"

# the pages: the index's first regression on the wall (the 40K commit), its first subsystem,
# and the author of that regression, each found from the index's links
pages=$(python3 - "$SCRATCH/site/index.html" <<'PY'
import re, sys
html = open(sys.argv[1], encoding='utf-8').read()
wall = html[html.index('Wall of regressions'):]
commit = re.search(r'href="(commit/[0-9a-f]{40}-[^"]+\.html)"', wall).group(1)
author = re.search(r'href="(author/[^"]+\.html)"', wall).group(1)
sub = re.search(r'href="(subsystem/[^"]+\.html)"', html).group(1)
print('index.html', commit, sub, author)
PY
)
read -r -a pages <<<"$pages"
check "four pages to render (${pages[*]})" test "${#pages[@]}" = 4
mkdir "$SCRATCH/shots"
check "Chromium: no overflow at 1400 and 390 px, accessible, every link in the site, charts hover and click" \
	timeout 300 python3 "$TESTS_SRC/e2e/site_browser.py" "$SCRATCH/site" "$SCRATCH/shots" \
	"${url%%%H}" "${pages[@]}"
check "the screenshots are PNGs of the pages' widths" python3 -c "
import struct, sys
for name, w in (('index', 1400), ('commit', 1400), ('commit-phone', 390)):
    d = open('$SCRATCH/shots/%s.png' % name, 'rb').read()
    assert d[:8] == b'\x89PNG\r\n\x1a\n', name
    assert struct.unpack('>I', d[16:20])[0] == w, (name, struct.unpack('>I', d[16:20]))
"

# the checker catches each fault put in a copy of the index
cp -r "$SCRATCH/site" "$SCRATCH/bad"
python3 - "$SCRATCH/bad/index.html" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
s = s.replace('<meta name="viewport" content="width=device-width, initial-scale=1">', '')
s = s.replace('<h1>', '<h3>pre-title</h3><h1>', 1)
s = s.replace('</h1>', '</h1><p style="color:#aaaaaa">pale</p><div style="width:2000px">wide</div>'
              '<img src="charts/compare.png"><a href="../../elsewhere.html">out</a>', 1)
open(p, 'w', encoding='utf-8').write(s)
PY
set +e
timeout 300 python3 "$TESTS_SRC/e2e/site_browser.py" "$SCRATCH/bad" - "${url%%%H}" index.html \
	>"$SCRATCH/bad.out" 2>&1
rc=$?
set -e
check "a spoiled index fails the checker" test "$rc" = 1 || cat "$SCRATCH/bad.out" >&2
for what in "viewport ''" "headings out of order" "contrast below 4.5:1" "scrollWidth" \
	"images without alt" "elsewhere.html is not a file of the site"; do
	check "the checker names it: $what" grep -qF "$what" "$SCRATCH/bad.out" ||
		cat "$SCRATCH/bad.out" >&2
done

if [ -n "${KB_SCREENSHOTS:-}" ]; then
	mkdir -p "$KB_SCREENSHOTS"
	cp "$SCRATCH/shots/"*.png "$KB_SCREENSHOTS/"
	echo "screenshots in $KB_SCREENSHOTS" >&2
fi
done_testing
