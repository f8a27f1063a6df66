#!/bin/bash
# Commits named as git names them (tags, branches, HEAD~N, a sha prefix) wherever a command
# of the store takes one: show, top --commit, options, ci --baseline/--head, blame --range.
# They resolve through the repository collect recorded, through --repo, and, with the
# repository gone, through the tags and branch heads collect stored. The oracle is git
# rev-parse in the repository, asked before it goes; an unknown ref is one line naming it.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
repo=$SCRATCH/repo db=$SCRATCH/k.db
git clone -q "$HISTORY/repo" "$repo"
git -C "$repo" branch topic main~2
"$KBLOAT" collect --repo "$repo" --range main~5..main --first-parent --db "$db" -j2 \
	--config defconfig >/dev/null 2>"$SCRATCH/err" || fail "collect: $(tail -n2 "$SCRATCH/err")"

revs=(v6.1.1 main HEAD HEAD~3 topic topic~1 'v6.1.1^' 'main^1' "$(git -C "$repo" rev-parse --short=8 main~1)")
declare -A want
for r in "${revs[@]}"; do
	want[$r]=$(git -C "$repo" rev-parse "$r^{commit}")
done
check "the sample history has its tags" test "${want[v6.1.1]}" = "${want[main]}" -a \
	"$(git -C "$repo" cat-file -t v6.1.1)" = tag

k() { "$KBLOAT" "$@" --db "$db"; }
resolves() { # resolves MODE: every command names the commit git names
	local mode=$1 r sha
	for r in "${revs[@]}"; do
		sha=${want[$r]}
		k show --json "$r" >"$SCRATCH/show.json" 2>"$SCRATCH/err" ||
			{ fail "$mode: show $r: $(cat "$SCRATCH/err")"; continue; }
		check "$mode: show $r is commit ${sha:0:12}" pyjson "$SCRATCH/show.json" "assert d['commit'] == '$sha', d['commit']"
		k options --json "$r" >"$SCRATCH/opt.json" 2>"$SCRATCH/err" || fail "$mode: options $r: $(cat "$SCRATCH/err")"
		check "$mode: options $r is of ${sha:0:12}" pyjson "$SCRATCH/opt.json" "assert d['commit'] == '$sha', d['commit']"
		k top --json --commit "$r" >"$SCRATCH/top-ref.json" 2>"$SCRATCH/err" || fail "$mode: top $r"
		k top --json --commit "$sha" >"$SCRATCH/top-sha.json" || fail "$mode: top $sha"
		check "$mode: top --commit $r is top --commit ${sha:0:12}" cmp -s "$SCRATCH/top-ref.json" "$SCRATCH/top-sha.json"
	done
	k ci --format json --baseline HEAD~3 --head topic >"$SCRATCH/ci-ref.json" 2>"$SCRATCH/err" ||
		fail "$mode: ci --baseline HEAD~3: $(cat "$SCRATCH/err")"
	k ci --format json --baseline "${want[HEAD~3]}" --head "${want[topic]}" >"$SCRATCH/ci-sha.json" || fail "$mode: ci by sha"
	check "$mode: ci --baseline HEAD~3 --head topic is ci by shas" cmp -s "$SCRATCH/ci-ref.json" "$SCRATCH/ci-sha.json"
	check "$mode: ci's baseline is HEAD~3's commit" pyjson "$SCRATCH/ci-ref.json" "assert d['baseline'] == '${want[HEAD~3]}'"
	k blame --json --range HEAD~3..v6.1.1 >"$SCRATCH/blame-ref.json" 2>"$SCRATCH/err" ||
		fail "$mode: blame --range HEAD~3..v6.1.1: $(cat "$SCRATCH/err")"
	k blame --json --range "${want[HEAD~3]}..${want[v6.1.1]}" >"$SCRATCH/blame-sha.json" || fail "$mode: blame by sha"
	check "$mode: blame --range HEAD~3..v6.1.1 is blame of the shas" cmp -s "$SCRATCH/blame-ref.json" "$SCRATCH/blame-sha.json"
	check "$mode: and has rows" pyjson "$SCRATCH/blame-ref.json" "assert d['rows'], d"
	expect_error 2 "^kbloat: v9\.9: " "$KBLOAT" show --db "$db" v9.9
	expect_error 2 "^kbloat: no-such-branch: " "$KBLOAT" blame --db "$db" --range no-such-branch..main
	expect_error 2 "^kbloat: HEAD~99: " "$KBLOAT" ci --db "$db" --baseline HEAD~99
}

resolves "with the repository"
check "collect stored the repository's path" python3 -c "
import sqlite3, sys
db = sqlite3.connect('file:$db?mode=ro', uri=True)
assert db.execute('select path from repository').fetchall() == [('$repo',)]
refs = dict(((k, n), s) for k, n, s in db.execute('select kind, name, sha from refs'))
assert refs[('tag', 'v6.1.1')] == '${want[v6.1.1]}' and refs[('branch', 'topic')] == '${want[topic]}', refs
assert refs[('head', 'HEAD')] == '${want[HEAD]}', refs"

# a branch moved and collected again: the stored head follows it
git -C "$repo" branch -f topic main~1
want[topic]=$(git -C "$repo" rev-parse topic) want[topic~1]=$(git -C "$repo" rev-parse topic~1)
"$KBLOAT" collect --repo "$repo" --range main~5..main --first-parent --db "$db" -j2 \
	--config defconfig >/dev/null 2>&1 || fail "collect again"

mv "$repo" "$SCRATCH/elsewhere"
resolves "without the repository"
expect_error 2 "^kbloat: main\^2: only ~N and \^ .*--repo" "$KBLOAT" show --db "$db" 'main^2'
expect_error 2 "^kbloat: $SCRATCH/gone: not a git repository" "$KBLOAT" show --db "$db" --repo "$SCRATCH/gone" main

# --repo: the repository where it is now
k show --json --repo "$SCRATCH/elsewhere" topic >"$SCRATCH/show.json" || fail "show --repo"
check "--repo resolves in that repository" pyjson "$SCRATCH/show.json" "assert d['commit'] == '${want[topic]}'"
git -C "$SCRATCH/elsewhere" tag only-here main~1
k show --json --repo "$SCRATCH/elsewhere" only-here >"$SCRATCH/show.json" || fail "show --repo only-here"
check "--repo knows a tag made after collect" pyjson "$SCRATCH/show.json" "assert d['commit'] == '${want[main~1]:-$(git -C "$SCRATCH/elsewhere" rev-parse main~1)}'"
expect_error 2 "^kbloat: only-here: no such tag, branch or commit in .*k\.db" "$KBLOAT" show --db "$db" only-here
done_testing
