#!/bin/bash
# kbloat ci --format mail, as the 0-day robot mails a size regression: an mbox that Python's
# mailbox and email packages read, a message per commit over the threshold in a config, to
# its author, Cc the M: and L: lines of the MAINTAINERS sections that grew most (checked
# against the sample history's own MAINTAINERS, parsed here), with bloat-o-meter's view, the
# roll-up by subsystem and a Link; a thank-you per commit that removed as much. Then names,
# subjects, addresses and section titles bent into header injections, non-ASCII and mbox
# "From " lines: no header is added, every header line is ASCII, names decode intact.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
db=$SCRATCH/k.db
ev() { awk -F'\t' -v k="$1" '$2 == k {print $1}' "$HISTORY/events.tsv"; }
first=$(head -n1 "$HISTORY/first-parent.txt")
url='https://git.kernel.org/torvalds/c/%H'

"$KBLOAT" collect --repo "$HISTORY/repo" --range main --db "$db" -j2 --config tinyconfig \
	--config modular >/dev/null 2>"$SCRATCH/collect.err" ||
	fail "collect: $(tail -n3 "$SCRATCH/collect.err")"
git -C "$HISTORY/repo" show main:MAINTAINERS >"$SCRATCH/MAINTAINERS"

set +e
"$KBLOAT" ci --db "$db" --baseline "$first" --format json >"$SCRATCH/ci.json"
"$KBLOAT" ci --db "$db" --baseline "$first" --format mail --commit-url "$url" \
	--mail-from 'Size Bot <bot@kbloat.example>' --mbox "$SCRATCH/ci.mbox" >"$SCRATCH/out"
echo $? >"$SCRATCH/rc"
"$KBLOAT" ci --db "$db" --baseline "$first" --format mail >"$SCRATCH/stdout.mbox"
set -e
check "mail: exit 1 over the threshold, as the other formats" test "$(cat "$SCRATCH/rc")" = 1
check "mail: --mbox writes the file and nothing on stdout" test -s "$SCRATCH/ci.mbox" -a \
	! -s "$SCRATCH/out"
check "mail: without --mbox the same messages go to stdout" test \
	"$(grep -c '^From ' "$SCRATCH/stdout.mbox")" = "$(grep -c '^From ' "$SCRATCH/ci.mbox")"

check "mail: a message per regression and per reduction, addressed as MAINTAINERS says" \
	python3 - "$SCRATCH/ci.mbox" "$SCRATCH/ci.json" "$SCRATCH/MAINTAINERS" "$url" \
	"$(ev big-table)" "$(ev add-table)" "$(ev shrink)" <<'PY'
import email.policy, email.utils, json, mailbox, re, sys
box, report, maint, tmpl, big, font, shrink = sys.argv[1:]
d = json.load(open(report))

# MAINTAINERS as get_maintainer.pl reads it: a title line, then its tag lines
sections, title = {}, None
for line in open(maint).read().split('\n'):
    m = re.match(r'^([A-Z]):\s*(.*)$', line)
    if m and title:
        sections.setdefault(title, []).append((m.group(1), m.group(2).strip()))
    elif line.strip() and not line.startswith((' ', '\t')) and not m:
        title = line.strip()
def contacts(sub):
    out = []
    for tag, v in sections.get(sub, []):
        if tag == 'M':
            out.append(email.utils.parseaddr(v)[1].lower())
        elif tag == 'L':
            out.append(v.split()[0].lower())
    return out

msgs = [email.message_from_bytes(m.as_bytes(), policy=email.policy.default)
        for m in mailbox.mbox(box, create=False)]
want = {}
for c in d['configs']:
    for x in c['commits']:
        if x['status'] == 'ok' and x['delta'] is not None and abs(x['delta']) >= d['threshold']:
            want[(x['commit'][:12], c['config'])] = (x, c['config'])
assert len(msgs) == len(want) == 12, (len(msgs), len(want))
ids = set()
for m in msgs:
    subj = str(m['Subject'])
    g = re.match(r'^\[kbloat\] ([0-9a-f]{12}): ([+-]\d+) bytes in (\S+)(, thank you)? \((.*)\)$', subj)
    assert g, subj
    x, config = want.pop((g.group(1), g.group(3)))
    assert int(g.group(2)) == x['delta'] and g.group(5) == x['subject'], subj
    assert bool(g.group(4)) == (x['delta'] < 0), subj
    assert str(m['From']) == 'Size Bot <bot@kbloat.example>', m['From']
    to = m['To'].addresses
    assert len(to) == 1 and to[0].display_name == x['author'] and to[0].addr_spec == x['email'], to
    assert email.utils.parsedate_to_datetime(str(m['Date'])).timestamp() > 0
    assert m['Message-ID'] not in ids
    ids.add(m['Message-ID'])
    body = m.get_content()
    assert 'Link: ' + tmpl.replace('%H', x['commit']) in body, body
    assert 'add/remove: ' in body and 'Total: Before=' in body and 'by subsystem:' in body, body
    cc = [a.addr_spec.lower() for a in m['Cc'].addresses] if m['Cc'] else []
    assert len(cc) == len(set(cc)), cc
    if x['delta'] > 0:
        # the three subsystems that grew most, as the report ranks them
        expect = []
        for s in x['top_subsystems'][:3]:
            expect += [a for a in contacts(s['name']) if a not in expect]
        assert cc == expect, (subj, cc, expect)
        assert 'Reported-by: Size Bot <bot@kbloat.example>' in body
    else:
        assert 'Thank you' in body and cc, (subj, cc)
        assert all(any(a in contacts(s) for s in sections) for a in cc), cc
# the sample's regressions, by name: CRC LIBRARY's maintainer (an M: line alone), LIBRARY
# CODE's maintainer and list (M: and L:)
byid = {re.match(r'^\[kbloat\] (\w+): \S+ bytes in ([^ ,]+)', str(m['Subject'])).groups(): m
        for m in msgs}
assert [a.addr_spec for a in byid[(big[:12], 'tinyconfig')]['Cc'].addresses] == ['crc@example.org']
assert [a.addr_spec for a in byid[(font[:12], 'modular')]['Cc'].addresses] == \
    ['lib@example.org', 'linux-kernel@vger.kernel.org']
assert (shrink[:12], 'tinyconfig') in byid
PY

# hostile text where the store keeps it: an author name and subject with CR/LF and a Bcc
# header in them, non-ASCII names and subjects, an address that is a list, a section title
# that starts a line with "From " and a maintainer line with a header in it
cp "$db" "$SCRATCH/evil.db"
big=$(ev big-table)
font=$(ev add-table)
page=$(ev bss-grow)
python3 - "$SCRATCH/evil.db" "$big" "$font" "$page" <<'PY'
import sqlite3, sys
db, big, font, page = sys.argv[1:]
h = sqlite3.connect(db)
h.execute("UPDATE commits SET author_name = ?, subject = ? WHERE sha = ?",
          ('Mallory\r\nBcc: victim@evil.example', 'crc\nBcc: v2@evil.example\r\nX-Evil: 1', big))
h.execute("UPDATE commits SET author_name = ?, subject = ? WHERE sha = ?",
          ('Jörg Ünïcödé "the font guy"', 'lib: a föñt for 日本語 consoles =?utf-8?q?x?=', font))
h.execute("UPDATE commits SET author_email = ? WHERE sha = ?",
          ('bea@example.org>, all@evil.example', page))
h.execute("UPDATE subsystems SET name = 'From the start' WHERE name = 'CRC LIBRARY'")
h.execute("UPDATE subsystem_contacts SET address = ? WHERE address LIKE '%crc@example.org%'",
          ('Crc\nBcc: m@evil.example <crc@example.org>',))
h.commit()
PY
set +e
"$KBLOAT" ci --db "$SCRATCH/evil.db" --baseline "$first" --format mail \
	--mbox "$SCRATCH/evil.mbox"
set -e
check "hostile text: no header added, every header line ASCII, names and subjects intact" \
	python3 - "$SCRATCH/evil.mbox" "$big" "$font" "$page" <<'PY'
import email.policy, mailbox, sys
box, big, font, page = sys.argv[1:]
raw = open(box, 'rb').read()
msgs = list(mailbox.mbox(box, create=False))
assert len(msgs) == 12, len(msgs)
for m in msgs:
    head = m.as_bytes().split(b'\n\n', 1)[0]
    head.decode('ascii')  # RFC 2047 where it is not ASCII
    names = [l.split(b':', 1)[0] for l in head.split(b'\n') if l and l[:1] not in b' \t']
    assert names == [b'From', b'To'] + ([b'Cc'] if b'\nCc:' in head else []) + [
        b'Subject', b'Date', b'Message-ID', b'MIME-Version', b'Content-Type',
        b'Content-Transfer-Encoding', b'X-Kbloat-Config'], names
    p = email.message_from_bytes(m.as_bytes(), policy=email.policy.default)
    assert 'Bcc' not in p and 'X-Evil' not in p, p.keys()
    subj = str(p['Subject'])
    sha = subj[9:21]
    if sha == big[:12]:
        to = p['To'].addresses
        assert to[0].display_name == 'Mallory  Bcc: victim@evil.example', to
        assert subj.endswith('(crc Bcc: v2@evil.example  X-Evil: 1)'), subj
        # the maintainer line's name had a line end: a blank now, the address kept
        assert [a.addr_spec for a in p['Cc'].addresses] == ['crc@example.org'], p['Cc']
        assert p['Cc'].addresses[0].display_name == 'Crc Bcc: m@evil.example'
        # a body line that starts with "From " is quoted, as mboxrd does
        assert b'\n>From the start ' in m.as_bytes(), m.as_bytes()
    elif sha == font[:12]:
        assert p['To'].addresses[0].display_name == 'Jörg Ünïcödé "the font guy"', p['To']
        assert subj.endswith('(lib: a föñt for 日本語 consoles =?utf-8?q?x?=)'), subj
    elif sha == page[:12]:
        # an address that is not one plain address goes nowhere
        assert str(p['To']) == 'undisclosed-recipients:;', p['To']
        assert 'evil' not in str(p['Cc'] or ''), p['Cc']
    for line in head.split(b'\n'):
        assert len(line) <= 998, line
assert raw.count(b'\nFrom ') + raw.startswith(b'From ') == 12
PY

expect_error 2 "--mail-from nobody: not a mailbox" \
	"$KBLOAT" ci --db "$db" --baseline "$first" --format mail --mail-from nobody
expect_error 2 "--mbox x.mbox: only with --format mail" \
	"$KBLOAT" ci --db "$db" --baseline "$first" --mbox x.mbox
expect_error 2 "--commit-url https://x/%s: %s: not %H, %h or %%" \
	"$KBLOAT" ci --db "$db" --baseline "$first" --commit-url 'https://x/%s'
expect_error 2 "--mbox $SCRATCH/no/such/dir/x.mbox: No such file" \
	"$KBLOAT" ci --db "$db" --baseline "$first" --format mail --mbox "$SCRATCH/no/such/dir/x.mbox"
done_testing
