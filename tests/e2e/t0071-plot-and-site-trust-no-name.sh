#!/bin/bash
# plot and site under hostile names and paths (issue 15, defects 1, 2 and 11): an --out
# path, config names, authors and subjects made of what gnuplot, a shell or HTML would
# read (' " ` ; newline system() @ \) run nothing and still draw; shas from a database
# that are not shas write nothing outside --out and inject no markup; configs whose names
# fold alike (x/y, x_y) keep their own charts and pages; --out's missing parents are made;
# a date no calendar holds prints as unknown; a full disk is an error, said.
. "$TESTS_SRC/e2e/lib.sh"
db=$SCRATCH/h.db
mkdir "$SCRATCH/repo" && git -C "$SCRATCH/repo" init -q
g() { git -C "$SCRATCH/repo" -c user.name=x -c user.email=x@e commit -q --allow-empty -m "$1"; }
g base
g second
g third
for cfg in x/y x_y evil; do
	for rev in HEAD~2 HEAD~1 HEAD; do
		img=$FIXTURES/vmlinux-fs
		[ "$rev" = HEAD~1 ] && img=$FIXTURES/vmlinux-g5
		"$KBLOAT" record --db "$db" --repo "$SCRATCH/repo" --commit "$rev" --config "$cfg" \
			"$img" >/dev/null
	done
done
pw=$SCRATCH/pwned
hostile="a'b\"c\`touch $pw.1\`; system('touch $pw.2') @x \\\\ \$(touch $pw.3)"
sqlite3 "$db" "UPDATE commits SET author_name = '${hostile//\'/\'\'}' || char(10) || 'x',
	subject = '${hostile//\'/\'\'}';
	UPDATE configs SET name = 'c''' || char(10) || 'system(''touch $pw.4'')@\`touch $pw.5\`\"'
	WHERE name = 'evil'"
nopwned() { for i in 1 2 3 4 5 6 7 8; do test ! -e "$pw.$i" || return 1; done; }

# the issue's own: an --out that exists, named to end gnuplot's string
(cd "$SCRATCH" && mkdir "x';system('touch pwned.8');a='" &&
	"$KBLOAT" plot --db "$db" --out "x';system('touch pwned.8');a='" >/dev/null 2>&1) || true
check "plot: an --out that would end a gnuplot string runs nothing" nopwned
out="$SCRATCH/new/x';system('touch $pw.6');a='/charts"
check "plot: a hostile --out, under missing directories, draws" \
	"$KBLOAT" plot --db "$db" --out "$out" --format both
check "plot: nothing ran" nopwned
check "plot: every chart drawn (3 configs x 3 charts + compare, png and svg)" \
	test "$(find "$out" -name '*.png' | wc -l)" = 10 -a "$(find "$out" -name '*.svg' | wc -l)" = 10
check "plot: x/y and x_y have a chart each" \
	test "$(find "$out" -name 'x_y*-size.png' | wc -l)" = 2
check "plot: the labels and titles are there, as data" grep -q "touch" "$out"/*-regressions.dat
check "plot: no work directory left" test -z "$(find "$out" -name '.kbloat*')"

site="$SCRATCH/s/a'b\"\`touch $pw.7\`c/site"
# for the site, markup besides: in the subjects and authors its pages, the author pages and
# the feed show
sqlite3 "$db" "UPDATE commits SET author_name = author_name || ' <i>&amp;</i>',
	subject = subject || ' <i>&amp;</i> ]]>'"
check "site: a hostile --out, under missing directories, builds" \
	"$KBLOAT" site --db "$db" --out "$site" --threshold 1
check "site: nothing ran" nopwned
check "site: x/y and x_y have pages each, every link resolves" python3 -c "
import glob, os, re, sys
root = sys.argv[1]
pages = glob.glob(root + '/**/*.html', recursive=True)
for cfg in (r'-x_y\.html$', r'-x_y~[0-9a-f]{8}\.html$'):
    assert [p for p in pages if re.search('/commit/.*' + cfg, p)], (cfg, pages)
assert [p for p in pages if '/author/' in p], pages
for p in pages:
    html = open(p, encoding='utf-8').read()
    for ref in re.findall(r'(?:href|src)=\"([^\"]+)\"', html):
        if ref.startswith('#'): # an anchor of the page itself
            assert 'id=\"%s\"' % ref[1:] in html, (p, ref)
            continue
        f = os.path.normpath(os.path.join(os.path.dirname(p), ref))
        assert os.path.isfile(f), (p, ref)
        assert f.startswith(os.path.realpath(root) + '/') or f.startswith(root + '/'), f
" "$site"
# (gnuplot's data files in charts/ hold it as data: the pages, SVGs and feed must not)
check "site: no page, SVG or the feed carries the markup as markup" test -z \
	"$(grep -rl --include='*.html' --include='*.svg' --include='*.xml' -e '<i>' "$site" || true)"
check "site: the feed parses, each entry's subject and author as the store has them" python3 -c "
import sqlite3, sys, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
root = ET.parse(sys.argv[1] + '/feed.xml').getroot()
e = root.findall(A + 'entry')
assert e, 'no entry'
row = sqlite3.connect(sys.argv[2]).execute('SELECT subject, author_name FROM commits LIMIT 1').fetchone()
# the feed's text is kb_escape_xml's: a newline stays, the rest as written
for x in e:
    assert x.findtext(A + 'title').endswith(': ' + row[0]), (x.findtext(A + 'title'), row[0])
    assert x.findtext(A + 'author/' + A + 'name') == row[1], x.findtext(A + 'author/' + A + 'name')
" "$site" "$db"
check "site: an author page names the author, escaped" grep -rqF \
	"x &lt;i&gt;&amp;amp;&lt;/i&gt;" "$site/author"

# shas that are not shas (a merged shard's, a damaged database's): the store lets none out,
# so site stops with one line naming the database, and writes nothing outside --out
cp "$db" "$SCRATCH/bad.db"
sqlite3 "$SCRATCH/bad.db" "UPDATE commits SET sha = '../../../../escaped-kbloat-t0071' WHERE id = 3;
	UPDATE commits SET sha = '\"><img src=x onerror=alert(1)>' WHERE id = 2"
find "$SCRATCH" >"$SCRATCH/before"
set +e
"$KBLOAT" site --db "$SCRATCH/bad.db" --out "$SCRATCH/bad/site" >/dev/null 2>"$SCRATCH/bad.err"
rc=$?
set -e
check "site of bad shas: exit 2 ($rc)" test "$rc" = 2
check "site of bad shas: one line, the store's refusal" test "$(wc -l <"$SCRATCH/bad.err")" = 1 -a \
	-n "$(grep -F "bad.db: build" "$SCRATCH/bad.err" | grep -F "not 40 lowercase hex digits")"
# (a read-only reader of a WAL database may leave SQLite's own -wal and -shm beside it)
find "$SCRATCH" | grep -v -e "^$SCRATCH/bad/site" -e "^$SCRATCH/bad\$" -e "^$SCRATCH/bad.err\$" -e "^$SCRATCH/after\$" \
	-e "^$SCRATCH/bad.db-wal\$" -e "^$SCRATCH/bad.db-shm\$" >"$SCRATCH/after"
check "site of bad shas: nothing written outside --out" diff "$SCRATCH/before" "$SCRATCH/after"
check "site of bad shas: no file named from them" test -z "$(find /tmp "$SCRATCH" -maxdepth 4 -name 'escaped-kbloat*' 2>/dev/null)"
check "site of bad shas: no markup from them" test -z \
	"$(grep -rl -e '<img src=x' "$SCRATCH/bad" 2>/dev/null || true)"

# dates from a database that no calendar holds
sqlite3 "$db" "UPDATE commits SET author_time = 9000000000000000000 WHERE id = 3;
	UPDATE commits SET author_time = -9000000000000000000 WHERE id = 2"
"$KBLOAT" history --db "$db" --config x_y >"$SCRATCH/h.txt"
check "an impossible date prints as unknown" test "$(grep -c '????-??-??' "$SCRATCH/h.txt")" = 2

# a full disk
for args in "--json" ""; do
	set +e
	# shellcheck disable=SC2086
	"$KBLOAT" history --db "$db" --config x_y $args >/dev/full 2>"$SCRATCH/full.err"
	rc=$?
	set -e
	check "history $args to a full disk: exit 2" test "$rc" = 2
	check "history $args to a full disk: one line that says so" \
		test "$(grep -c 'standard output: cannot write' "$SCRATCH/full.err")" = 1
done
done_testing
