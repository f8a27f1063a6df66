#!/usr/bin/env bash
# Every listing's --format csv and --format tsv hold the rows its --json holds (tables.py
# parses the CSV with Python's csv module and the TSV by its documented escapes, and compares
# each field with the JSON's), with a header row; on hostile names too: a symbol whose name
# holds a comma, a double quote, a tab, LF, CR, a backslash and a Latin-1 byte, and a commit
# subject and author with the same. Then: the CSV quotes exactly the fields that need it,
# every TSV record is one line, and a command without a listing refuses --format csv.
. "$(dirname "$0")/lib.sh"
tables() { python3 "$TESTS_SRC/e2e/tables.py" "$@"; }

# --- a hostile image: quoted symbol names, then their bytes replaced in .strtab ---
cat >"$SCRATCH/h.s" <<'EOF'
.data
.globl "HOSTILE_NAME_0123"
.type "HOSTILE_NAME_0123", @object
.size "HOSTILE_NAME_0123", 24
"HOSTILE_NAME_0123": .quad 1, 2, 3
.globl "we,ird \"q\""
.type "we,ird \"q\"", @object
.size "we,ird \"q\"", 8
"we,ird \"q\"": .quad 1
.text
.globl _start
_start: ret
EOF
gcc -nostdlib -static -o "$SCRATCH/hostile" "$SCRATCH/h.s"
# 17 bytes: a comma, a quote, a tab, LF, CR, a backslash, é in Latin-1 (not UTF-8)
python3 - "$SCRATCH/hostile" <<'PY'
import sys
p = sys.argv[1]
d = open(p, "rb").read()
new = b'a,"b\tc\nd\re\\f\xe9ghij'
assert len(new) == len(b"HOSTILE_NAME_0123") and d.count(b"HOSTILE_NAME_0123") == 1
open(p, "wb").write(d.replace(b"HOSTILE_NAME_0123", new))
PY
cp "$SCRATCH/hostile" "$SCRATCH/hostile2"

# both formats of cmd, and its JSON: NAME SPEC cmd... (SPEC: where the rows are, tables.py)
both() {
	local name=$1 spec=$2
	shift 2
	"$KBLOAT" "$@" --json >"$SCRATCH/$name.json" 2>/dev/null || fail "$name: $* --json failed"
	for fmt in csv tsv; do
		"$KBLOAT" "$@" --format "$fmt" >"$SCRATCH/$name.$fmt" 2>"$SCRATCH/$name.$fmt.err" ||
			fail "$name: $* --format $fmt failed: $(cat "$SCRATCH/$name.$fmt.err")"
		check "$name: --format $fmt holds the rows of --json" \
			tables "$SCRATCH/$name.json" "$SCRATCH/$name.$fmt" "$fmt" "$spec"
	done
}

fx=$FIXTURES
both syms-hostile rows syms "$SCRATCH/hostile"
both syms-rows rows syms "$fx/vmlinux-g5" --top 30
both syms-file rows syms "$fx/vmlinux-g5" --by file
both syms-symbol rows syms "$fx/vmlinux-g5" --by symbol --top 10 --percent
both diff-by-file rows diff --by file "$fx/vmlinux-g5" "$fx/vmlinux-v2-g5"
both diff-c "blocks[].rows" diff -c "$fx/vmlinux-g5" "$fx/vmlinux-v2-g5"
both diff-hostile "blocks[].rows" diff "$fx/vmlinux-g5" "$SCRATCH/hostile"
both size images size "$fx/vmlinux-g5" "$SCRATCH/hostile"
# budget check: a row per image and limit
both budget "images[].limits<image+target" budget check "$TESTS_SRC/../kernels/budgets/sample.json" \
	--target sample-modular "$fx/vmlinux-g5" "$fx/vmlinux-g4"

# the hostile symbol's own record: its bytes are there, and it is quoted as RFC 4180 says
check "the hostile name's CSV field is quoted, its quote doubled" \
	grep -qF '"a,""b' "$SCRATCH/syms-hostile.csv"
check "the CSV's plain fields are not quoted" grep -q '^name,bytes,size,addr,' "$SCRATCH/syms-hostile.csv"
check "the hostile name's TSV field is escaped on one line" \
	grep -qF 'a,"b\tc\nd\re\\f' "$SCRATCH/syms-hostile.tsv"
check "every TSV record of the hostile image is one line: the header's field count on each" \
	awk -F'\t' 'NR == 1 { n = NF } NF != n { exit 1 }' "$SCRATCH/syms-hostile.tsv"

# --- a database: a commit whose subject and author are hostile ---
db=$SCRATCH/h.db
mkdir "$SCRATCH/repo" && git -C "$SCRATCH/repo" init -q
g() { git -C "$SCRATCH/repo" -c user.name=x -c user.email=x@e commit -q --allow-empty -m "$1"; }
g base
g second
"$KBLOAT" record --db "$db" --repo "$SCRATCH/repo" --commit HEAD~1 --config tiny \
	"$fx/vmlinux-fs" >/dev/null
"$KBLOAT" record --db "$db" --repo "$SCRATCH/repo" --commit HEAD --config tiny \
	"$fx/vmlinux-g5" >/dev/null
head=$(git -C "$SCRATCH/repo" rev-parse HEAD)
# subject: 'fix, "quoted"<TAB>a<LF>b<CR>c\d' and a Latin-1 é; author: 'Ren<é>, "x"'
sqlite3 "$db" "UPDATE commits SET author_name = CAST(X'52656ee92c20227822' AS TEXT),
	subject = CAST(X'6669782c202271756f74656422096120620a630d5c64e9' AS TEXT)
	WHERE sha = '$head'"
both history builds history --db "$db" --config tiny
both blame "grew=rows,shrank=shrank" blame --db "$db" --config tiny --min 1
both top rows top --db "$db" --config tiny
both top-file rows top --db "$db" --config tiny --by file
both show "symbols=bloat_o_meter.rows,subsystems=subsystems,config=config_changes" \
	show --db "$db" --config tiny "$head"
check "the hostile subject's CSV field holds its bytes, quoted" python3 -c "
import csv, io, sys
recs = list(csv.reader(io.StringIO(open(sys.argv[1], 'rb').read().decode('utf-8', 'surrogateescape'), newline='')))
i = recs[0].index('subject')
want = bytes.fromhex('6669782c202271756f74656422096120620a630d5c64e9')
sys.exit(0 if any(r[i].encode('utf-8', 'surrogateescape') == want for r in recs[1:]) else 1)
" "$SCRATCH/history.csv"

# --- the options of a collected build, and modular's objects (the collected sample) ---
col=$KB_BUILD/tests/collected
both options options options --db "$col/col.db" --config tinyconfig
check "options' table has rows" test "$(wc -l <"$SCRATCH/options.csv")" -gt 1
both modular objects modular --db "$col/col.db" --config defconfig --arch x86_64
check "modular's table has rows" test "$(wc -l <"$SCRATCH/modular.csv")" -gt 1

# --- commands that print no listing say so ---
rc=0
"$KBLOAT" db check --db "$db" --format csv >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
check "db check --format csv is a usage error" test "$rc" = 2
check "db check --format csv names the option" grep -q "unknown option '--format'" "$SCRATCH/err"
check "db check --format csv prints nothing on stdout" test ! -s "$SCRATCH/out"
expect_error 2 "--format xml: not text, json, csv or tsv" "$KBLOAT" syms "$fx/vmlinux-g5" --format xml
done_testing
