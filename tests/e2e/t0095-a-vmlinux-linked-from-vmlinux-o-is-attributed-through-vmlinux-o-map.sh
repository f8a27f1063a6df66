#!/usr/bin/env bash
# A vmlinux linked from vmlinux.o (kbuild with CONFIG_X86_KERNEL_IBT or LTO_CLANG) has a map
# that names vmlinux.o as the input of every byte. With vmlinux.o.map beside it (the map of
# the `ld -r` that made vmlinux.o), kbloat composes the two: by file, by symbol and in JSON
# the result is what the map of a direct link of the same objects gives, and each object's
# bytes are the sizes readelf gives its sections. A vmlinux.o.map whose section size does not
# match is refused for that section with one warning; a missing one gives the hint. vmlinux.o
# is never a file: bytes no vmlinux.o.map resolves go to DWARF, as where there is no map.
. "$(dirname "$0")/lib.sh"

for tool in gcc ld ar readelf; do
	command -v $tool >/dev/null || {
		echo "t0095: $tool is not installed (a test dependency)" >&2
		exit 1
	}
done
cd "$SCRATCH"
mkdir -p kernel lib drivers via direct
cat >kernel/fork.c <<'EOF'
int nr_threads[10] = { 1 };
static const char banner[] = "fork";
int copy_process(int x) { return x * 3 + nr_threads[x]; }
const char *fork_banner(void) { return banner; }
EOF
cat >lib/sort.c <<'EOF'
long sort_keys[7] = { 2 };
int sort_scratch[33];
int sort(int n) { for (int i = 0; i < n; i++) sort_scratch[i] += n; return sort_scratch[2]; }
EOF
cat >drivers/tty.c <<'EOF'
double tty_rates[5] = { 1.5 };
int tty_open(int x) { return x + 1; }
int tty_close(int x) { return x * x + 7; }
EOF
objs="kernel/fork.o lib/sort.o drivers/tty.o"
for o in $objs; do
	gcc -O2 -g -fno-pic -mcmodel=kernel -fno-asynchronous-unwind-tables -fno-stack-protector \
		-c "${o%.o}.c" -o "$o"
done
# as tests/fixtures/minikernel/vmlinux.lds lays a kernel out, in four output sections
cat >vmlinux.lds <<'EOF'
ENTRY(copy_process)
SECTIONS
{
	. = 0xffffffff81000000;
	.text : { *(.text .text.*) }
	. = ALIGN(4096);
	.rodata : { *(.rodata .rodata.*) }
	. = ALIGN(4096);
	.data : { *(.data .data.*) }
	. = ALIGN(4096);
	.bss : { *(.bss .bss.*) *(COMMON) }
	/DISCARD/ : { *(.comment) *(.note.*) *(.eh_frame) }
}
EOF
# kbuild's thin vmlinux.a, its ld -r into vmlinux.o (scripts/Makefile.vmlinux_o), the final
# link of vmlinux.o run where vmlinux.o is (link-vmlinux.sh); and a direct link of vmlinux.a
ar cDPrST vmlinux.a $objs
ld -r -Map=via/vmlinux.o.map -o via/vmlinux.o --whole-archive vmlinux.a --no-whole-archive
(cd via && ld -Map=vmlinux.map -T ../vmlinux.lds vmlinux.o -o vmlinux)
ld -Map=direct/vmlinux.map -T vmlinux.lds --whole-archive vmlinux.a --no-whole-archive \
	-o direct/vmlinux
check "the final map names vmlinux.o, not the objects" \
	bash -c "grep -q ' vmlinux\.o\$' via/vmlinux.map && ! grep -q 'fork\.o' via/vmlinux.map"

# each object's bytes, from readelf: its .text, .rodata, .data and .bss
expected=$(for o in $objs; do
	readelf -SW "$o" | python3 -c '
import re, sys
n = 0
for line in sys.stdin:
    m = re.match(r"\s*\[\s*\d+\]\s+(\.(text|rodata|data|bss))\s+\S+\s+\S+\s+\S+\s+([0-9a-f]+)", line)
    if m:
        n += int(m.group(3), 16)
print(sys.argv[1], n)' "$o"
done)

# per_file IMAGE: "file bytes" per object, from syms --by file --json
per_file() {
	"$KBLOAT" syms --by file --json --no-dwarf --map "$1.map" "$1" 2>"$SCRATCH/err.$2" >"$SCRATCH/$2.json"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["rows"]:
    if r["key"].endswith(".o"):
        print(r["key"], r["bytes"])' "$SCRATCH/$2.json" | sort
}
check "the direct link's files are readelf's sizes" \
	test "$(per_file direct/vmlinux direct)" = "$(echo "$expected" | sort)" ||
	echo "$(per_file direct/vmlinux direct) vs $expected" >&2
check "the composed map's files are readelf's sizes" \
	test "$(per_file via/vmlinux via)" = "$(echo "$expected" | sort)" ||
	echo "$(per_file via/vmlinux via) vs $expected" >&2
check "composing says nothing" test ! -s "$SCRATCH/err.via" || cat "$SCRATCH/err.via" >&2
check "by file, JSON rows are the direct link's" pyjson "$SCRATCH/via.json" "
e = json.load(open('$SCRATCH/direct.json'))
assert d['rows'] == e['rows'], (d['rows'], e['rows'])"
for by in "" "--by file" "--by dir" "--by section"; do
	"$KBLOAT" syms $by --no-dwarf --map direct/vmlinux.map direct/vmlinux >direct.txt
	"$KBLOAT" syms $by --no-dwarf --map via/vmlinux.map via/vmlinux >via.txt
	check "syms ${by:-by symbol} --map: as the direct link's" diff direct.txt via.txt
done
"$KBLOAT" diff --by file --old-map direct/vmlinux.map --new-map via/vmlinux.map \
	direct/vmlinux via/vmlinux --json >diff.json
check "diff --old-map --new-map: no file moves" pyjson diff.json "
assert d['rows'] == [] and d['total_before'] == d['total_after'], d"

# a section added to vmlinux.o after the ld -r, as objtool adds its ORC and site tables when
# it runs on vmlinux.o: no object's, so syms leaves it to what its bytes serve, not vmlinux.o
mkdir -p o
cp via/vmlinux.o via/vmlinux.o.map o/
head -c 64 /dev/zero >blob
objcopy --add-section .rodata.objtool=blob --set-section-flags .rodata.objtool=alloc,load,readonly,data o/vmlinux.o
(cd o && ld -Map=vmlinux.map -T ../vmlinux.lds vmlinux.o -o vmlinux)
check "the added section is linked from vmlinux.o" \
	bash -c "grep -A1 '^ \.rodata\.objtool' o/vmlinux.map | grep -q 'vmlinux\.o\$'"
check "with a section made after the ld -r, the files are readelf's sizes" \
	test "$(per_file o/vmlinux o)" = "$(echo "$expected" | sort)"
check "and no row is vmlinux.o's, and nothing is said" pyjson "$SCRATCH/o.json" "
assert d['total'] == $(python3 -c "import json; print(json.load(open('$SCRATCH/direct.json'))['total'])") + 64, d['total']
assert 'vmlinux.o' not in [r['key'] for r in d['rows']], d['rows']
assert open('$SCRATCH/err.o').read() == ''"

# merged strings: the final link merges the duplicates of kernel/str.o and lib/dup.o, so
# vmlinux.map places fewer bytes of vmlinux.o's .rodata.str1.1 than vmlinux.o.map lists; the
# inputs are placed one after another, the last cut at the section's end, as the direct
# link's map places them
mkdir -p m/via m/direct
printf 'const char *s1(void) { return "shared string one"; }\nconst char *s2(void) { return "only in str"; }\n' >kernel/str.c
printf 'const char *t1(void) { return "shared string one"; }\nconst char *t2(void) { return "only in dup, longer"; }\n' >lib/dup.c
for o in kernel/str.o lib/dup.o; do
	gcc -O2 -fno-pic -mcmodel=kernel -fno-asynchronous-unwind-tables -c "${o%.o}.c" -o "$o"
done
ar cDPrST m.a kernel/fork.o kernel/str.o lib/dup.o
ld -r -Map=m/via/vmlinux.o.map -o m/via/vmlinux.o --whole-archive m.a --no-whole-archive
(cd m/via && ld -Map=vmlinux.map -T ../../vmlinux.lds vmlinux.o -o vmlinux)
ld -Map=m/direct/vmlinux.map -T vmlinux.lds --whole-archive m.a --no-whole-archive -o m/direct/vmlinux
strsize() { readelf -SW "$1" | awk '{ for (i = 1; i < NF; i++) if ($i == ".rodata.str1.1") { print $(i + 4); exit } }'; }
placed=$(awk '/^ \.rodata\.str1\.1/ { getline; print $2; exit }' m/via/vmlinux.map)
check "the final link merged vmlinux.o's strings" test $((placed)) -lt $((0x$(strsize m/via/vmlinux.o)))
for by in "" "--by file"; do
	"$KBLOAT" syms $by --no-dwarf --map m/direct/vmlinux.map m/direct/vmlinux >direct.txt
	"$KBLOAT" syms $by --no-dwarf --map m/via/vmlinux.map m/via/vmlinux >via.txt 2>via.err
	check "merged strings, syms ${by:-by symbol}: as the direct link's" diff direct.txt via.txt
	check "merged strings need no warning" test ! -s via.err
done

# a vmlinux.o.map of another vmlinux.o: its .text is a byte longer
text=$(awk '$1 == ".text" && NF == 3 { print $3; exit }' via/vmlinux.o.map)
sed -i "s/^\(\.text  *0x0*  *\)$text\$/\1$(printf '0x%x' $((text + 1)))/" via/vmlinux.o.map
check "the stale map differs" bash -c "! grep -q '^\.text  *0x0*  *$text\$' via/vmlinux.o.map"
"$KBLOAT" syms --by file --json --no-dwarf --map via/vmlinux.map via/vmlinux >stale.json 2>stale.err
check "one warning names the section and the stale map" \
	grep -Eq '^kbloat: warning: .*\.text of vmlinux\.o is 0x[0-9a-f]+ bytes.*vmlinux\.o\.map.*1 section of vmlinux\.o not composed' stale.err ||
	cat stale.err >&2
check "only one line said" test "$(grep -c . stale.err)" = 1
tbytes=$(readelf -SW via/vmlinux.o |
	awk '{ for (i = 1; i < NF; i++) if ($i == ".text") { print $(i + 4); exit } }')
tbytes=$((0x$tbytes))
# vmlinux.o is a link of the whole build, no source: its .text has no file (without DWARF)
check "its .text has no file, the rest is composed" pyjson stale.json "
rows = {r['key']: r for r in d['rows']}
assert 'vmlinux.o' not in rows, rows['vmlinux.o']
assert sum(r['classes']['text'] for k, r in rows.items() if k.startswith('[')) == $tbytes, rows
assert all(r['classes']['text'] == 0 for k, r in rows.items() if k.endswith('.o')), rows
assert rows['lib/sort.o']['classes']['data'] > 0, rows"
"$KBLOAT" syms --by file --json --map via/vmlinux.map via/vmlinux >stale-dwarf.json 2>/dev/null
check "and with DWARF, each function's bytes are its file's again" pyjson stale-dwarf.json "
rows = {r['key']: r for r in d['rows']}
assert 'vmlinux.o' not in rows, rows
for f in ('kernel/fork.c', 'lib/sort.c', 'drivers/tty.c'):
    assert rows[f]['classes']['text'] > 0, (f, rows)"

# no vmlinux.o.map: the hint, and no byte is vmlinux.o's: none has a file without DWARF
rm via/vmlinux.o.map
"$KBLOAT" syms --by file --json --no-dwarf --map via/vmlinux.map via/vmlinux >none.json 2>none.err
check "the hint names the option" \
	grep -Eq '^kbloat: warning: .*linked from vmlinux\.o.*CONFIG_BUILTIN_MODULE_RANGES=y' none.err ||
	cat none.err >&2
check "the hint is said once" test "$(grep -c . none.err)" = 1
check "without it, no byte is an object's" pyjson none.json "
keys = [r['key'] for r in d['rows'] if r['key'].endswith('.o')]
assert keys == [], keys
assert d['attribution']['bytes']['map'] == 0, d['attribution']"
"$KBLOAT" syms --by file --json --map via/vmlinux.map via/vmlinux >none-dwarf.json 2>/dev/null
check "without it, DWARF gives each symbol its file" pyjson none-dwarf.json "
keys = [r['key'] for r in d['rows']]
assert 'vmlinux.o' not in keys, keys
assert {'kernel/fork.c', 'lib/sort.c', 'drivers/tty.c'} <= set(keys), keys"
done_testing
