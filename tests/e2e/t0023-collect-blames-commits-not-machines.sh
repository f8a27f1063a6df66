#!/bin/bash
# collect tells "the commit does not build" from "this machine could not build it". A
# commit whose data cannot be analyzed (MAINTAINERS without sections) is that commit's
# failure: recorded as failed with the reason, the walk goes on, a rerun leaves it be. A make
# killed by a signal kbloat did not send, a program that cannot be run (exit 127), a build
# directory out of room, a compiler that cannot be run: one line, a non-zero exit, nothing
# recorded for the commit, so that a rerun builds it. A stale make.pid never ends a process
# that is not a make kbloat started, and --dry-run ends none. modular takes only a .config
# that record would.
. "$TESTS_SRC/e2e/lib.sh"
: "${HISTORY:?}"
repo=$SCRATCH/repo
git clone -q "$HISTORY/repo" "$repo"
gc() { git -C "$repo" -c user.name=t -c user.email=t@example.org "$@"; }
# builds: DB SHA: the status of SHA's builds recorded in DB, one word each ("" if none)
builds() {
	python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(" ".join(r[0] for r in db.execute("SELECT b.status FROM builds b JOIN commits c"
	" ON c.id = b.commit_id WHERE c.sha = ?", (sys.argv[2],))))
PY
}
# run_collect NAME ARGS...: collect into $SCRATCH/NAME.{out,err,rc}
run_collect() {
	local name=$1 rc=0
	shift
	"$KBLOAT" collect --repo "$repo" --first-parent -j2 "$@" >"$SCRATCH/$name.out" \
		2>"$SCRATCH/$name.err" || rc=$?
	echo "$rc" >"$SCRATCH/$name.rc"
}

# --- defect 8: a commit's broken MAINTAINERS is that commit's failure ---------------------
base=$(gc rev-parse HEAD)
cp "$repo/MAINTAINERS" "$SCRATCH/MAINTAINERS.good"
echo "no sections in here" >"$repo/MAINTAINERS"
gc commit -qam "MAINTAINERS: broken"
broken=$(gc rev-parse HEAD)
cp "$SCRATCH/MAINTAINERS.good" "$repo/MAINTAINERS"
gc commit -qam "MAINTAINERS: fixed"
fixed=$(gc rev-parse HEAD)
db=$SCRATCH/k.db
run_collect m1 --range "$base..$fixed" --db "$db"
check "broken MAINTAINERS: the walk ends normally ($(tail -n2 "$SCRATCH/m1.err"))" \
	test "$(cat "$SCRATCH/m1.rc")" = 0
check "broken MAINTAINERS: both commits built, one failed" grep -qx \
	"2 commits x 1 configs: 2 built (1 failed), 0 already recorded" "$SCRATCH/m1.out"
check "broken MAINTAINERS: the line says why" grep -q \
	"^\[1/2\] ${broken:0:12} tinyconfig: failed (cannot be analyzed: .*MAINTAINERS" \
	"$SCRATCH/m1.err"
check "broken MAINTAINERS: recorded as failed" test "$(builds "$db" "$broken")" = failed
check "the next commit is built and recorded" test "$(builds "$db" "$fixed")" = ok
check "show prints the reason" bash -c "'$KBLOAT' show --db '$db' $broken | grep -q \
	'MAINTAINERS sections'"
run_collect m2 --range "$base..$fixed" --db "$db"
check "a rerun goes past it: nothing to build" grep -qx \
	"2 commits x 1 configs: 0 built (0 failed), 2 already recorded" "$SCRATCH/m2.out"
check "a rerun exits 0" test "$(cat "$SCRATCH/m2.rc")" = 0

# --- modular wants a .config that record would take --------------------------------------
obj=$db.work/build/tinyconfig-x86_64
cp -R "$obj" "$SCRATCH/obj-bad"
head -c 3000 /dev/urandom | tr -d 'C' >"$SCRATCH/obj-bad/.config"
rc=0
"$KBLOAT" modular --src "$db.work/src" --build "$SCRATCH/obj-bad" >/dev/null 2>"$SCRATCH/mod.err" ||
	rc=$?
check "modular refuses a random .config (exit $rc)" test "$rc" = 2
check "modular: one line naming the .config" test "$(wc -l <"$SCRATCH/mod.err")" = 1 -a \
	-n "$(grep -F "obj-bad/.config: not a kernel .config" "$SCRATCH/mod.err")"

# --- defect 9: this machine's failures record nothing --------------------------------------
realmake=$(command -v make)
mkdir -p "$SCRATCH/bin"
# fake_make BODY: a make that runs BODY when asked for vmlinux, the real make otherwise
fake_make() {
	printf '#!/bin/bash\ncase "$*" in *vmlinux*) %s ;; esac\nexec %s "$@"\n' "$1" "$realmake" \
		>"$SCRATCH/bin/make"
	chmod +x "$SCRATCH/bin/make"
}
one=$(gc rev-parse "$fixed~1")
# env_failure NAME PATTERN [ENV=V...]: the walk of $fixed stops with one line matching
# PATTERN, exit 2, and records nothing of the commit
env_failure() {
	local name=$1 pattern=$2
	shift 2
	rm -rf "$SCRATCH/e.db" "$SCRATCH/e.db.work"
	env PATH="$SCRATCH/bin:$PATH" "$@" "$KBLOAT" collect --repo "$repo" --range "$one..$fixed" \
		--db "$SCRATCH/e.db" -j2 >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" &&
		echo 0 >"$SCRATCH/$name.rc" || echo $? >"$SCRATCH/$name.rc"
	check "$name: exit 2 ($(cat "$SCRATCH/$name.err"))" test "$(cat "$SCRATCH/$name.rc")" = 2
	check "$name: one line" test "$(wc -l <"$SCRATCH/$name.err")" = 1
	check "$name: it says why" grep -Eq "$pattern" "$SCRATCH/$name.err"
	check "$name: nothing recorded for the commit" test -z "$(builds "$SCRATCH/e.db" "$fixed")"
}
fake_make 'kill -KILL $$'
env_failure "make killed by SIGKILL" "make vmlinux was killed by signal 9 .*not the commit's"
fake_make 'kill -SEGV $$'
env_failure "make crashed (SIGSEGV)" "make vmlinux was killed by signal 11"
fake_make 'exit 127'
env_failure "make exits 127" "make vmlinux exited with 127: a program could not be run"
# the build directory out of room: statvfs of O= after the failed step (a real ENOSPC needs
# a small file system, which needs root; KBLOAT_MIN_FREE_MB moves the line instead)
fake_make 'echo "No space left on device" >&2; exit 2'
env_failure "out of room" "MiB free \(under 999999999999\): make vmlinux may have failed" \
	KBLOAT_MIN_FREE_MB=999999999999
rm -rf "$SCRATCH/e.db" "$SCRATCH/e.db.work"
rc=0
"$KBLOAT" collect --repo "$repo" --range "$one..$fixed" --db "$SCRATCH/e.db" --cross nosuch- \
	>/dev/null 2>"$SCRATCH/cc.err" || rc=$?
check "a compiler that cannot be run: exit 2, one line naming it" test "$rc" = 2 -a \
	"$(wc -l <"$SCRATCH/cc.err")" = 1 -a -n "$(grep -F "nosuch-gcc: cannot be run" "$SCRATCH/cc.err")"
check "--dry-run builds nothing, so it needs no compiler" "$KBLOAT" collect --repo "$repo" \
	--range "$one..$fixed" --db "$SCRATCH/e.db" --cross nosuch- --dry-run
# the same failing make with room to spare: the commit's failure, recorded
env PATH="$SCRATCH/bin:$PATH" "$KBLOAT" collect --repo "$repo" --range "$one..$fixed" \
	--db "$SCRATCH/e.db" -j2 >"$SCRATCH/f.out" 2>"$SCRATCH/f.err" ||
	fail "a failing make: $(cat "$SCRATCH/f.err")"
check "make exiting 2 with room to spare: the commit's failure" test \
	"$(builds "$SCRATCH/e.db" "$fixed")" = failed
# after a machine failure, a plain rerun builds the commit
rm -rf "$SCRATCH/e.db" "$SCRATCH/e.db.work"
fake_make 'kill -KILL $$'
env PATH="$SCRATCH/bin:$PATH" "$KBLOAT" collect --repo "$repo" --range "$one..$fixed" \
	--db "$SCRATCH/e.db" -j2 >/dev/null 2>&1 || true
"$KBLOAT" collect --repo "$repo" --range "$one..$fixed" --db "$SCRATCH/e.db" -j2 \
	>"$SCRATCH/r.out" 2>"$SCRATCH/r.err" || fail "the rerun: $(cat "$SCRATCH/r.err")"
check "after SIGKILL of make, a plain rerun builds the commit" test \
	"$(builds "$SCRATCH/e.db" "$fixed")" = ok

# --- a stale make.pid ends only a make kbloat started --------------------------------------
# a process group leader whose argv[0] is make: O= names this work directory or not
work=$(cd "$db.work" && pwd)
start_make() { # O=...: starts a "make" in its own session; its pid on stdout
	setsid bash -c 'exec -a make perl -e "sleep 300" "$0"' "$1" \
		</dev/null >/dev/null 2>&1 &
	echo $!
}
alive() { # PID: running (a zombie is not)
	[ -e "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat")" != Z ]
}
wait_cmdline() { # PID: until its cmdline is make's
	local i
	for i in $(seq 100); do
		[ "$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | cut -d' ' -f1)" = make ] && return
		sleep 0.05
	done
}
other=$(start_make "O=/somewhere/else/build/x")
wait_cmdline "$other"
echo "$other $(awk '{print $22}' "/proc/$other/stat")" >"$work/make.pid"
run_collect p1 --range "$base..$fixed" --db "$db"
check "a make of another tree is not ended" alive "$other"
check "and collect does not say it ended one" test -z "$(grep 'ended a make' "$SCRATCH/p1.err")"
ours=$(start_make "O=$work/build/tinyconfig-x86_64")
wait_cmdline "$ours"
started=$(awk '{print $22}' "/proc/$ours/stat")
echo "$ours $((started + 1))" >"$work/make.pid"
run_collect p2 --range "$base..$fixed" --db "$db"
check "a make with another start time than the file's (a reused pid) is not ended" alive "$ours"
echo "$ours" >"$work/make.pid"
run_collect p2b --range "$base..$fixed" --db "$db"
check "a pid file without a start time proves nothing: not ended" alive "$ours"
echo "$ours $started" >"$work/make.pid"
run_collect p3 --range "$base..$fixed" --db "$db" --dry-run
check "--dry-run ends no make" alive "$ours"
check "--dry-run leaves the pid file" test -e "$work/make.pid"
run_collect p4 --range "$base..$fixed" --db "$db"
check "our own make, left behind, is ended" test -z "$(alive "$ours" && echo alive)"
check "and collect says so" grep -q "ended a make" "$SCRATCH/p4.err"
kill "$other" "$ours" 2>/dev/null || true
done_testing
