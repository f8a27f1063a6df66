#!/bin/bash
# kbloat modular reads the kallsyms table of the image (each symbol its entry's exact bytes)
# and, where learning the tokens again gives the image's table back, predicts the table of
# the kernel with the candidates as modules by learning it from the names that stay (issue
# 16). The sample's kallsyms step (tests/fixtures/kbuild-kallsyms.patch) writes names
# uncompressed and no token table, so this test builds the sample with a compressing step of
# its own: tests/e2e/kallsyms_compress.py, scripts/kallsyms' learning written in python from
# its description, rewrites the plain table (and aligns only its first table, so that the
# table's size is its bytes exactly). With the candidate lib/ks_demo.o (KS_DEMO, long
# names) and t0052's lib/ks_names.o (and a function of it whose name compresses to over 127
# bytes), built twice: as is, and with `kbloat modular --fragment` (every (1) candidate at
# m). Checked:
#  - the table decodes: kallsyms_model "decoded", one entry per name of the .S the link
#    assembled (one with a two-byte length), and every object's kallsyms_share is what the
#    oracle reads off that .S (per entry 4 bytes of offset, 3 of name index, its length
#    prefix and compressed name, given to the object whose bytes hold its address in the
#    map);
#  - the self-check passes (kallsyms_relearnt), and the relearnt term of (1) is the oracle's
#    learning from the names of the objects that stay, which is what the built kernel's
#    table holds (its names are exactly those, compressed as the oracle says);
#  - the built kernel's code and data is the prediction, to the byte; the old model (the
#    average rate, which a copy with a broken token index falls back to) misses it by the
#    amount printed;
#  - a copy with a corrupt table (a token index past the token table, a zero length in
#    kallsyms_names, a num_syms beyond the names, a name byte changed) falls back to the
#    average model or predicts without relearning, says why, and never fails or crashes.
. "$TESTS_SRC/e2e/lib.sh"
. "$TESTS_SRC/e2e/kallsyms_tree.sh"
base=$SCRATCH/base mod=$SCRATCH/mod
: >"$SCRATCH/none"
build "$base" "$SCRATCH/none" || { cat "$base.log" >&2; fail "the sample builds with the compressed table"; done_testing; }
"$KBLOAT" modular --src "$tree" --build "$base" --json >"$base.json" 2>"$SCRATCH/err" ||
	fail "modular --json: $(cat "$SCRATCH/err")"
"$KBLOAT" modular --src "$tree" --build "$base" --top 0 >"$base.txt" 2>"$SCRATCH/err" ||
	fail "modular: $(cat "$SCRATCH/err")"
"$KBLOAT" modular --src "$tree" --build "$base" --fragment >"$SCRATCH/frag" 2>"$SCRATCH/err" ||
	fail "modular --fragment: $(cat "$SCRATCH/err")"
check "KS_DEMO is a (1) candidate, in the fragment" grep -qx CONFIG_KS_DEMO=m "$SCRATCH/frag"
build "$mod" "$SCRATCH/frag" || { cat "$mod.log" >&2; fail "the sample builds with the fragment"; done_testing; }
check "the fragment's candidates are modules in the build" bash -c \
	'for k in $(grep -o "^CONFIG_[A-Z0-9_]*=m" "$1" | sed "s/=m//"); do grep -qx "$k=m" "$2" || exit 1; done' - \
	"$SCRATCH/frag" "$mod/.config"
check "KS_DEMO=m: lib/ks_demo.o is not linked" sh -c "! grep -q 'lib/ks_demo.o' '$mod/vmlinux.map'"
"$KBLOAT" modular --src "$tree" --build "$mod" --json >"$mod.json" 2>"$SCRATCH/err" ||
	fail "modular --json of the fragment's build: $(cat "$SCRATCH/err")"

# oracle.py BUILD: the table the link assembled (the last .tmp_vmlinux.kallsymsN.S) read
# back: each entry's address, bytes and name, and the object each goes to (the map's)
cat >"$SCRATCH/oracle.py" <<'PY'
import bisect, glob, json, os, re, sys
sys.path.insert(0, os.environ["TESTS_SRC"] + "/e2e")
from kbmap import map_spans
b = sys.argv[1]
S = sorted(glob.glob(b + "/.tmp_vmlinux.kallsyms[0-9].S"))[-1]
lab, offs, ents, toks, base = None, [], [], [], None
for line in open(S):
	line = line.rstrip("\n")
	if line.endswith(":") and not line.startswith("\t"):
		lab = line[:-1]
	elif lab == "kallsyms_offsets" and line.startswith("\t.long"):
		offs.append(int(line.split()[1], 16))
	elif lab == "kallsyms_relative_base" and line.startswith("\t.quad"):
		base = int(line.split()[1], 16)
	elif lab == "kallsyms_names" and line.startswith("\t.byte"):
		data, name = line.split("\t/* ")
		ents.append((bytes(int(x, 16) for x in data.split(None, 1)[1].split(", ")), name[:-3]))
	elif lab == "kallsyms_token_table" and line.startswith("\t.asciz"):
		toks.append(line.split('"')[1])
assert len(offs) == len(ents) > 0 and len(toks) == 256 and base is not None, S
spans, fills = map_spans(b + "/vmlinux.map")
starts = [lo for lo, hi, o in spans]
table = [o for lo, hi, o in spans if os.path.basename(o).startswith(".tmp_") and "kallsyms" in o]
out = []
for off, (e, name) in zip(offs, ents):
	addr = (base + off) % (1 << 64)
	k = bisect.bisect_right(starts, addr) - 1
	obj = spans[k][2] if k >= 0 and spans[k][0] <= addr < spans[k][1] and spans[k][2] not in table else None
	out.append({"name": name, "bytes": len(e), "obj": obj})
json.dump({"S": S, "entries": out, "token_bytes": sum(len(t) + 1 for t in toks)}, sys.stdout)
PY
python3 "$SCRATCH/oracle.py" "$base" >"$base.oracle" || fail "the oracle reads the base build's table"
python3 "$SCRATCH/oracle.py" "$mod" >"$mod.oracle" || fail "the oracle reads the fragment build's table"

check "the table decodes: model decoded, relearnt, one entry per name of the .S ($(pyjson "$base.oracle" 'print(len(d["entries"]))'))" \
	pyjson "$base.json" '
o = json.load(open("'"$base.oracle"'"))
assert d["kallsyms_model"] == "decoded" and d["kallsyms_relearnt"] is True and d["kallsyms_note"] is None, d
assert d["kallsyms_entries"] == len(o["entries"]) > 20, (d["kallsyms_entries"], len(o["entries"]))'
check "the long name's entry has a two-byte length ($(pyjson "$base.oracle" 'print(max(e["bytes"] for e in d["entries"]))') bytes)" \
	pyjson "$base.oracle" '
e = [e for e in d["entries"] if e["name"] == "T'"$long"'"]
assert len(e) == 1 and e[0]["bytes"] >= 2 + 128, e'
check "every object's kallsyms_share is its entries' bytes (4 + 3 + prefix and name each)" pyjson "$base.json" '
o = json.load(open("'"$base.oracle"'"))
want = {}
for e in o["entries"]:
	if e["obj"]:
		want[e["obj"]] = want.get(e["obj"], 0) + 4 + 3 + e["bytes"]
got = {x["object"]: x["kallsyms_share"] for x in d["objects"] if x.get("kallsyms_share", 0) > 0}
assert got == want, (got, want)
assert d["kallsyms_shared"] == sum(want.values()) and want["lib/ks_demo.o"] > 0'
check "the text says the shares were read from the table and relearnt" grep -q \
	"^note: kallsyms relearnt: scripts/kallsyms' tokens, learnt again from every name, give the image's table back" "$base.txt"

# relearn.py: the names that stay (the entries of no object that (1) takes away), learnt
# again by the oracle: the table's change beyond the shares that leave
cat >"$SCRATCH/relearn.py" <<'PY'
import json, os, sys
sys.path.insert(0, os.environ["TESTS_SRC"] + "/e2e")
from kallsyms_compress import learn, table_bytes
o, m = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
cand = {r["key"] for r in m["tristate_candidates"]["rows"]}
gone = {x["object"] for x in m["objects"] if x["category"] == "tristate" and x["owner"] in cand}
stay = [e for e in o["entries"] if e["obj"] not in gone]
names, tokens = table_bytes([e["name"].encode() for e in stay])
n, n0 = len(stay), len(o["entries"])
markers = 4 * ((n + 255) // 256 - (n0 + 255) // 256)
delta = names + tokens - sum(e["bytes"] for e in stay) - o["token_bytes"] + markers
json.dump({"gone": sorted(gone), "stay": [e["name"] for e in stay], "names": names,
	   "tokens": tokens, "delta": delta}, sys.stdout)
PY
python3 "$SCRATCH/relearn.py" "$base.oracle" "$base.json" >"$SCRATCH/relearn.json" || fail "the oracle relearns"
delta=$(pyjson "$SCRATCH/relearn.json" 'print(d["delta"])')
check "lib/ks_demo.o leaves with (1)" pyjson "$SCRATCH/relearn.json" 'assert "lib/ks_demo.o" in d["gone"], d["gone"]'
check "the relearnt term of (1) is the oracle's ($delta), and non-zero" pyjson "$base.json" "
c = d['code_and_data']
assert c['kallsyms_relearnt_tristate'] == $delta != 0, (c['kallsyms_relearnt_tristate'], $delta)
assert c['tristate_as_modules'] == c['now'] - c['tristate_savings'] + $delta, c"
check "the built kernel's table holds exactly the names that stay, as the oracle learns them" \
	pyjson "$SCRATCH/relearn.json" '
m = json.load(open("'"$mod.oracle"'"))
assert sorted(e["name"] for e in m["entries"]) == sorted(d["stay"]), "another set of names"
assert sum(e["bytes"] for e in m["entries"]) == d["names"] and m["token_bytes"] == d["tokens"], \
	(sum(e["bytes"] for e in m["entries"]), d["names"], m["token_bytes"], d["tokens"])'
built=$(pyjson "$mod.json" 'print(d["code_and_data"]["now"])')
pred=$(pyjson "$base.json" 'print(d["code_and_data"]["tristate_as_modules"])')
check "the fragment's build has the predicted code and data, to the byte (built $built, predicted $pred)" \
	test "$built" -eq "$pred"
check "the fragment's build relearns too, with no candidate left" pyjson "$mod.json" '
assert d["kallsyms_relearnt"] and not d["tristate_candidates"]["rows"], d["tristate_candidates"]["rows"]
assert d["code_and_data"]["kallsyms_relearnt_tristate"] == 0'

# corrupt copies of the base build: patch.py VMLINUX SYMBOL OFFSET BYTES-HEX writes the bytes
# at the symbol's address + OFFSET in the file
cat >"$SCRATCH/patch.py" <<'PY'
import struct, sys
path, sym, off, hexbytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), bytes.fromhex(sys.argv[4])
d = bytearray(open(path, "rb").read())
shoff, = struct.unpack_from("<Q", d, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3A)
secs = [struct.unpack_from("<IIQQQQI", d, shoff + i * shentsize) for i in range(shnum)]
def cstr(o):
	return d[o:d.index(b"\0", o)].decode()
for name, typ, flags, addr, fo, size, link in secs:
	if typ != 2:
		continue
	for k in range(size // 24):
		nm, info, _, shndx, value, _ = struct.unpack_from("<IBBHQQ", d, fo + k * 24)
		if cstr(secs[link][4] + nm) == sym:
			s = secs[shndx]
			at = s[4] + value - s[3] + off
			d[at:at + len(hexbytes)] = hexbytes
			open(path, "wb").write(d)
			sys.exit(0)
sys.exit("no symbol " + sym)
PY
corrupt() { # corrupt NAME SYMBOL OFFSET HEX: a copy of the base build so patched, analysed
	rm -rf "$SCRATCH/$1"
	cp -a "$base" "$SCRATCH/$1"
	python3 "$SCRATCH/patch.py" "$SCRATCH/$1/vmlinux" "$2" "$3" "$4" || fail "$1: patched"
	"$KBLOAT" modular --src "$tree" --build "$SCRATCH/$1" --json >"$SCRATCH/$1.json" 2>"$SCRATCH/err" ||
		fail "$1: modular exits 0 on a corrupt table: $(cat "$SCRATCH/err")"
	"$KBLOAT" modular --src "$tree" --build "$SCRATCH/$1" --top 0 >"$SCRATCH/$1.txt" 2>"$SCRATCH/err" ||
		fail "$1: modular (text) exits 0 on a corrupt table: $(cat "$SCRATCH/err")"
}
falls_back() { # falls_back NAME NOTE-PATTERN: the average model, the note saying why
	check "$1: the average model, and why ($(pyjson "$SCRATCH/$1.json" 'print(d["kallsyms_note"])'))" env PAT="$2" \
		python3 -c '
import json, os, re, sys
d = json.load(open(sys.argv[1]))
assert d["kallsyms_model"] == "average" and not d["kallsyms_relearnt"], d["kallsyms_model"]
assert re.search(os.environ["PAT"], d["kallsyms_note"] or ""), d["kallsyms_note"]
assert d["code_and_data"]["kallsyms_relearnt_tristate"] == 0' "$SCRATCH/$1.json"
	check "$1: the text says so" grep -Eq "^note: kallsyms shares at the table's average rate per name byte: .*$2" "$SCRATCH/$1.txt"
}
corrupt bad-index kallsyms_token_index 10 ffff
falls_back bad-index "a token past kallsyms_token_table's end"
old=$(pyjson "$SCRATCH/bad-index.json" 'print(d["code_and_data"]["tristate_as_modules"])')
echo "the old model (average rate, no relearning) predicts $old: off by $((built - old)) bytes; now $((built - pred))"
check "the old model misses the built kernel (by $((built - old)) bytes), the new one does not" \
	test "$old" -ne "$built"
corrupt zero-length kallsyms_names 0 00
falls_back zero-length "a name in kallsyms_names that does not decode"
corrupt many-syms kallsyms_num_syms 0 ffffff7f
falls_back many-syms "kallsyms_num_syms larger than kallsyms_names can hold"
# a name's first compressed byte changed to another token: it decodes, but the learning no
# longer gives this table back: exact shares, no relearning
corrupt other-name kallsyms_names 1 "$(pyjson "$base.oracle" 'print("%02x" % 0x41)')"
check "other-name: decoded, not relearnt, and why ($(pyjson "$SCRATCH/other-name.json" 'print(d["kallsyms_note"])'))" \
	pyjson "$SCRATCH/other-name.json" '
assert d["kallsyms_model"] == "decoded" and not d["kallsyms_relearnt"], (d["kallsyms_model"], d["kallsyms_relearnt"])
assert "learnt again" in d["kallsyms_note"] and "predicted without relearning" in d["kallsyms_note"], d["kallsyms_note"]
assert d["code_and_data"]["kallsyms_relearnt_tristate"] == 0'
check "other-name: the text says so" grep -q "^note: kallsyms table: learnt again" "$SCRATCH/other-name.txt"
done_testing
