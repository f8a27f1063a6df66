#!/bin/bash
# collect skips make for a commit that changes none of the build's inputs (collector/inputs.h)
# and records the build directory's image again, marked "not rebuilt": the sample history
# walked with and without skipping gives the same sizes, items and modular sums for every
# build; the commits skipped are exactly those tinyconfig cannot see; a Kconfig-only change
# runs olddefconfig and skips make when .config stays as it was; a header added under an
# include directory builds; merge and db check carry the mark; a skipped commit is recorded
# from the last analysis of the same image, not analyzed again.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
repo=$HISTORY/repo
n=$(wc -l <"$HISTORY/all.txt")
ev() { awk -F'\t' -v k="$1" -v f="$2" '$2 == k && $5 ~ f {print $1}' "$HISTORY/events.tsv"; }

"$KBLOAT" collect --repo "$repo" --range main --db "$SCRATCH/skip.db" -j2 \
	>"$SCRATCH/skip.out" 2>"$SCRATCH/skip.err" || fail "collect: $(tail -n3 "$SCRATCH/skip.err")"
"$KBLOAT" collect --repo "$repo" --range main --db "$SCRATCH/full.db" -j2 --no-skip --cc-wrapper none \
	>"$SCRATCH/full.out" 2>"$SCRATCH/full.err" ||
	fail "collect --no-skip: $(tail -n3 "$SCRATCH/full.err")"
check "both walks build every commit" grep -qx \
	"$n commits x 1 configs: $n built (1 failed), 0 already recorded" "$SCRATCH/skip.out"
check "--no-skip runs make for every commit" test "$(grep -c 'not rebuilt' \
	"$SCRATCH/full.err" "$SCRATCH/full.out" | awk -F: '{s += $2} END {print s}')" = 0

# --cc-wrapper auto, the default, is ccache where it is installed (scripts/setup-deps.sh
# installs it), into lib.sh's CCACHE_DIR; none builds without a wrapper
check "the default builds with ccache" grep -q "running: make .* CC=ccache gcc " \
	"$SCRATCH"/skip.db.work/logs/tinyconfig-*/"$(head -n1 "$HISTORY/all.txt").log"
check "... into the test's own cache" test -d "$CCACHE_DIR"
check "... and says its hit rate" grep -Eqx "ccache: [0-9]+ hits of [1-9][0-9]* \([0-9]+%\)" \
	"$SCRATCH/skip.out"
check "--cc-wrapper none builds without it" bash -c "! grep -q 'CC=' \"\$@\"" - \
	"$SCRATCH"/full.db.work/logs/tinyconfig-*/*.log
check "... and says nothing of ccache" bash -c "! grep -q ccache '$SCRATCH/full.out'"

# each walk checked out only what changed from commit to commit (kb_repo_checkout's paths):
# its work tree is the last commit's tree, file for file
for w in skip full; do
	at=$(cat "$SCRATCH/$w.db.work/src.commit")
	rm -rf "$SCRATCH/want-tree"
	mkdir "$SCRATCH/want-tree"
	git -C "$repo" archive "$at" | tar -x -C "$SCRATCH/want-tree"
	check "$w: the work tree is ${at:0:12}'s tree" diff -r --no-dereference \
		"$SCRATCH/want-tree" "$SCRATCH/$w.db.work/src"
	check "$w: ... its executables and symbolic links" \
		diff <(cd "$SCRATCH/want-tree" && find . \( -perm -u+x -o -type l \) -printf '%y %p\n' | sort) \
		<(cd "$SCRATCH/$w.db.work/src" && find . \( -perm -u+x -o -type l \) -printf '%y %p\n' | sort)
done

# every build's sizes, items (as deltas against its parent build) and modular sums
moddump() {
	python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for r in db.execute("""SELECT c.sha, b.status, b.padding, b.m_tristate, b.m_bool, b.m_core,
		b.m_rest, b.d_core FROM builds b JOIN commits c ON c.id = b.commit_id ORDER BY c.sha"""):
	print(*r)
PY
}
dbdump "$SCRATCH/skip.db" >"$SCRATCH/skip.dump"
dbdump "$SCRATCH/full.db" >"$SCRATCH/full.dump"
check "with and without skipping: the same builds, sizes and items" \
	diff -u "$SCRATCH/full.dump" "$SCRATCH/skip.dump"
check "... and the same modular sums" diff -u <(moddump "$SCRATCH/full.db") \
	<(moddump "$SCRATCH/skip.db")
for sha in $(cat "$HISTORY/all.txt"); do
	"$KBLOAT" show --db "$SCRATCH/full.db" --json "$sha" >"$SCRATCH/a.json" 2>&1 || true
	"$KBLOAT" show --db "$SCRATCH/skip.db" --json "$sha" >"$SCRATCH/b.json" 2>&1 || true
	check "show ${sha:0:12}: the same symbols and subsystems" pyjson "$SCRATCH/a.json" "
b = json.load(open('$SCRATCH/b.json'))
for k in ('bloat_o_meter', 'subsystems', 'config_changes'):
    assert d.get(k) == b.get(k), k"
done

# What tinyconfig cannot see: ext4 (EXT4_FS is off) in super.c and the composite inode.c,
# the dummy driver (DUMMY is off) on the side branch and its merge, and MAINTAINERS. The
# help-text change of fs/ext4/Kconfig leaves .config as it was.
{
	ev small 'fs/ext4/super.c'
	ev composite 'fs/ext4/inode.c'
	ev side 'drivers/net/dummy.c'
	ev merge 'drivers/net/dummy.c'
	ev maintainers 'MAINTAINERS'
} | sort >"$SCRATCH/want-inputs"
ev kconfig 'fs/ext4/Kconfig' >"$SCRATCH/want-config"
check "six commits that tinyconfig cannot see" test "$(wc -l <"$SCRATCH/want-inputs")" = 6
python3 - "$SCRATCH/skip.db" 1 <<'PY' >"$SCRATCH/got-inputs"
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for (sha,) in db.execute("SELECT c.sha FROM builds b JOIN commits c ON c.id = b.commit_id "
		"WHERE b.reused = ? ORDER BY c.sha", (int(sys.argv[2]),)):
	print(sha)
PY
python3 - "$SCRATCH/skip.db" <<'PY' >"$SCRATCH/got-config"
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for (sha,) in db.execute("SELECT c.sha FROM builds b JOIN commits c ON c.id = b.commit_id "
		"WHERE b.reused = 2"):
	print(sha)
PY
check "the commits not rebuilt (no input changed) are exactly those" \
	diff -u "$SCRATCH/want-inputs" "$SCRATCH/got-inputs"
check "the Kconfig help-text change is recorded as .config unchanged, and only it" \
	diff -u "$SCRATCH/want-config" "$SCRATCH/got-config"
check "collect says how many were not rebuilt" grep -qx \
	"7 of the builds recorded without make: no input of theirs changed" "$SCRATCH/skip.out"
kc=$(cat "$SCRATCH/want-config")
log=$(echo "$SCRATCH"/skip.db.work/logs/tinyconfig-*/"$kc.log")
check "the Kconfig-only change ran olddefconfig" grep -q ' olddefconfig$' "$log"
check "... and not make vmlinux" bash -c "! grep -q ' vmlinux$' '$log'"
check "... its log says why" grep -q \
	"^kbloat: not rebuilt: .config unchanged by olddefconfig" "$log"
mt=$(ev maintainers MAINTAINERS)
log=$(echo "$SCRATCH"/skip.db.work/logs/tinyconfig-*/"$mt.log")
check "a skipped commit's log names what decided" grep -q \
	"^kbloat: not rebuilt: 1 changed files, none an input (since " "$log"
check "... and it ran no make" bash -c "! grep -q 'running: make' '$log'"

# configure only when a config input changed: a code change keeps .config as it is
fk=$(ev small 'kernel/fork.c')
log=$(echo "$SCRATCH"/skip.db.work/logs/tinyconfig-*/"$fk.log")
check "a code change keeps .config" grep -qx "kbloat: .config kept: no config input changed" "$log"
check "... runs no config target" bash -c "! grep -Eq ' (tinyconfig|olddefconfig)$' '$log'"
check "... and builds" grep -q ' vmlinux$' "$log"
tc=$(ev tiny 'kernel/configs/tiny.config')
log=$(echo "$SCRATCH"/skip.db.work/logs/tinyconfig-*/"$tc.log")
check "a change to tiny.config configures again" grep -q ' tinyconfig$' "$log"

# the Kconfig model and MAINTAINERS are read once per version of the tree that could read
# differently: a Kconfig file changed; MAINTAINERS changed, or a file came or went
read_in() { grep -l "^kbloat: $1" "$SCRATCH"/skip.db.work/logs/tinyconfig-*/*.log |
	sed 's|.*/||; s|\.log$||' | sort; }
check "the Kconfig model is read for 4 of the 30 analyzed builds" diff -u <({
	ev base ''; ev config-flip 'init/Kconfig'; ev new-driver ''; ev kconfig 'fs/ext4/Kconfig'
} | sort) <(read_in 'Kconfig: model read for this tree$')
check "MAINTAINERS is parsed for 6 of them" diff -u <({
	ev base ''; ev add-table ''; ev big-table ''; ev new-driver ''; ev shrink ''
	ev maintainers ''
} | sort) <(read_in 'MAINTAINERS: parsed for this tree$')
# a commit recorded without make is recorded from the last analysis of the same image, not
# analyzed again, unless MAINTAINERS (or the Kconfig model) was read again since: the
# dumps above are equal, so what it recorded is what an analysis gives
check "the skipped commits but the MAINTAINERS one reuse the image's analysis" diff -u \
	<(grep -vxF "$mt" "$SCRATCH/want-inputs") \
	<(read_in 'analysis: the image.s, recorded for the last commit$')
check "... the MAINTAINERS one is analyzed" bash -c "! grep -q '^kbloat: analysis:' \
	'$SCRATCH'/skip.db.work/logs/tinyconfig-*/'$mt.log'"

# show and history say so, in text and JSON
"$KBLOAT" show --db "$SCRATCH/skip.db" "$mt" >"$SCRATCH/show.txt"
check "show says not rebuilt" grep -qx \
	"not rebuilt: no input changed: the image is the build directory's last one" \
	"$SCRATCH/show.txt"
"$KBLOAT" show --db "$SCRATCH/skip.db" --json "$kc" >"$SCRATCH/show.json"
check "show --json says .config unchanged" pyjson "$SCRATCH/show.json" "
assert d['not_rebuilt'] == 'not rebuilt: .config unchanged', d['not_rebuilt']"
"$KBLOAT" history --db "$SCRATCH/skip.db" >"$SCRATCH/history.txt"
check "history marks the first-parent builds not rebuilt, under their rows" test "$(grep -c \
	'^              not rebuilt: no input changed$' "$SCRATCH/history.txt")" = 4
"$KBLOAT" history --db "$SCRATCH/skip.db" --json >"$SCRATCH/history.json"
check "history --json: not_rebuilt on exactly the marked builds" pyjson "$SCRATCH/history.json" "
marks = {r['commit']: r['not_rebuilt'] for r in d['builds']}
want = set(open('$SCRATCH/got-inputs').read().split())
assert {c for c, m in marks.items() if m == 'not rebuilt: no input changed'} == want & set(marks), marks
assert [c for c, m in marks.items() if m == 'not rebuilt: .config unchanged'] == ['$kc'], marks
assert sum(m is None for m in marks.values()) == len(marks) - 5, marks"

# merge and db check carry the mark
check "db check accepts the marks" "$KBLOAT" db check --db "$SCRATCH/skip.db"
"$KBLOAT" merge "$SCRATCH/merged.db" "$SCRATCH/skip.db" >/dev/null
check "merge carries the marks" diff -u "$SCRATCH/got-inputs" <(python3 - "$SCRATCH/merged.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for (sha,) in db.execute("SELECT c.sha FROM builds b JOIN commits c ON c.id = b.commit_id "
		"WHERE b.reused = 1 ORDER BY c.sha"):
	print(sha)
PY
)
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"PRAGMA ignore_check_constraints = 1\"); c.execute(\"UPDATE builds SET reused = 1 WHERE status = 'failed'\"); c.commit()" "$SCRATCH/merged.db"
"$KBLOAT" db check --db "$SCRATCH/merged.db" >"$SCRATCH/check.out" 2>&1 || true
check "db check names a failed build marked not rebuilt" grep -q \
	"its reused code is not 0, 1 or 2, or marks a build that is not ok" "$SCRATCH/check.out"

# A small history of its own on top of the sample: a header added under an include
# directory builds (it may shadow one on the include path); the same header changed, with
# nothing including it, does not; a documentation file does not either.
git clone -q "$repo" "$SCRATCH/repo"
g() { git -C "$SCRATCH/repo" -c user.name=T -c user.email=t@example.org \
	-c commit.gpgsign=false "$@"; }
mkdir -p "$SCRATCH/repo/include/linux" "$SCRATCH/repo/Documentation"
echo '/* nothing includes this yet */' >"$SCRATCH/repo/include/linux/kb_new.h"
g add -A && g commit -qm "include: add an unused header"
echo '#define KB_NEW 1' >>"$SCRATCH/repo/include/linux/kb_new.h"
g commit -qam "include: define KB_NEW"
echo 'Notes.' >"$SCRATCH/repo/Documentation/kb.rst"
g add -A && g commit -qm "Documentation: notes"
"$KBLOAT" collect --repo "$SCRATCH/repo" --range origin/main..HEAD --db "$SCRATCH/skip.db" -j2 \
	>"$SCRATCH/more.out" 2>"$SCRATCH/more.err" || fail "collect on top: $(tail -n3 "$SCRATCH/more.err")"
h1=$(g rev-parse HEAD~2) h2=$(g rev-parse HEAD~1) h3=$(g rev-parse HEAD)
check "the new header is built" grep -Eq "^\[1/3\] ${h1:0:12} tinyconfig: ok [0-9]+ \(\+0\) [0-9]" \
	"$SCRATCH/more.err"
check "... and its log says why" grep -q \
	"^kbloat: building: include/linux/kb_new.h: a new header (since " \
	"$SCRATCH"/skip.db.work/logs/tinyconfig-*/"$h1.log"
check "the header changed with no includer is not rebuilt" grep -q \
	"^\[2/3\] ${h2:0:12} tinyconfig: ok [0-9]* (+0) \[not rebuilt: no input changed\]" \
	"$SCRATCH/more.err"
check "nor is the documentation" grep -q \
	"^\[3/3\] ${h3:0:12} tinyconfig: ok [0-9]* (+0) \[not rebuilt: no input changed\]" \
	"$SCRATCH/more.err"

# a Makefile of a directory tinyconfig builds nothing in (fs/, EXT4_FS off: no O/fs) is no
# input; one of a directory it builds in (kernel/) is
echo '# a comment' >>"$SCRATCH/repo/fs/ext4/Makefile"
g commit -qam "ext4: a comment in its Makefile"
echo '# a comment' >>"$SCRATCH/repo/kernel/Makefile"
g commit -qam "kernel: a comment in its Makefile"
m1=$(g rev-parse HEAD~1) m2=$(g rev-parse HEAD)
"$KBLOAT" collect --repo "$SCRATCH/repo" --range origin/main..HEAD --db "$SCRATCH/skip.db" -j2 \
	>"$SCRATCH/mk.out" 2>"$SCRATCH/mk.err" || fail "collect: $(tail -n3 "$SCRATCH/mk.err")"
check "an unbuilt directory's Makefile is not rebuilt" grep -q \
	"^\[4/5\] ${m1:0:12} tinyconfig: ok [0-9]* (+0) \[not rebuilt: no input changed\]" \
	"$SCRATCH/mk.err"
check "a built directory's Makefile is" grep -Eq \
	"^\[5/5\] ${m2:0:12} tinyconfig: ok [0-9]+ \(\+0\) [0-9]" "$SCRATCH/mk.err"
check "... and its log says why" grep -q "^kbloat: building: kernel/Makefile: a Makefile" \
	"$SCRATCH"/skip.db.work/logs/tinyconfig-*/"$m2.log"

# after a Kconfig-only change left .config as it was, the next commits compare their
# config inputs with that commit, not with the last build: no config targets again
echo '# a comment' >>"$SCRATCH/repo/fs/ext4/Kconfig"
g commit -qam "ext4: a comment in its Kconfig"
echo 'Even more.' >>"$SCRATCH/repo/Documentation/kb.rst"
g commit -qam "Documentation: even more"
k1=$(g rev-parse HEAD~1) k2=$(g rev-parse HEAD)
"$KBLOAT" collect --repo "$SCRATCH/repo" --range origin/main..HEAD --db "$SCRATCH/skip.db" -j2 \
	>"$SCRATCH/kc.out" 2>"$SCRATCH/kc.err" || fail "collect: $(tail -n3 "$SCRATCH/kc.err")"
check "a Kconfig comment: .config unchanged" grep -q \
	"^\[6/7\] ${k1:0:12} tinyconfig: ok [0-9]* (+0) \[not rebuilt: .config unchanged\]" \
	"$SCRATCH/kc.err"
check "the next commit runs no config target" grep -q \
	"^\[7/7\] ${k2:0:12} tinyconfig: ok [0-9]* (+0) \[not rebuilt: no input changed\]" \
	"$SCRATCH/kc.err"
check "... and its log says why" grep -q \
	"^kbloat: not rebuilt: no input changed since ${m2:0:12}, and no config input since ${k1:0:12}, where .config came out unchanged" \
	"$SCRATCH"/skip.db.work/logs/tinyconfig-*/"$k2.log"

# when in doubt, build: a record that cannot be parsed (make reads only its targets' .cmd
# files, so this one does not break the build) makes the next commit build
printf 'deps_junk := \\\n' >"$(echo "$SCRATCH"/skip.db.work/build/tinyconfig-*)/.junk.cmd"
echo 'More notes.' >>"$SCRATCH/repo/Documentation/kb.rst"
g commit -qam "Documentation: more notes"
h4=$(g rev-parse HEAD)
"$KBLOAT" collect --repo "$SCRATCH/repo" --range origin/main..HEAD --db "$SCRATCH/skip.db" -j2 \
	>"$SCRATCH/doubt.out" 2>"$SCRATCH/doubt.err" || fail "collect: $(tail -n3 "$SCRATCH/doubt.err")"
check "a broken record builds the next commit" grep -Eq \
	"^\[8/8\] ${h4:0:12} tinyconfig: ok [0-9]+ \(\+0\) [0-9]" "$SCRATCH/doubt.err"
check "... and its log names the record" grep -q \
	"^kbloat: building: cannot read the build's records: .*/\.junk\.cmd:2: " \
	"$SCRATCH"/skip.db.work/logs/tinyconfig-*/"$h4.log"
done_testing
