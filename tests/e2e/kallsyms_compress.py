# SPDX-License-Identifier: GPL-2.0
"""kallsyms_compress.py: the token learning of Linux's scripts/kallsyms, written for t0129
from its description (not from kbloat's code), as an oracle and as a build step.

  python3 kallsyms_compress.py PLAIN.S   the sample's uncompressed table (scripts/kallsyms.sh
                                         of tests/fixtures/kbuild-kallsyms.patch) rewritten
                                         on stdout with its names compressed, and the
                                         markers, token table and token index Linux writes

The learning: every byte value the names use is a token of itself; then for each value
no name uses, from 255 down, the pair of adjacent bytes that occurs most often in the names
as they are by then (the lowest first + 256 * second among equals; none left: stop) becomes
that value, and each name is rewritten replacing the pair left to right. A token's text is
its two halves' texts. A name's entry: its length (one byte; from 128 on two, the first with
bit 7 set) and its bytes.

The rewritten table keeps the plain one's layout but for one thing: only its first table is
aligned (Linux aligns each to 8), so that its size is its entries' and tables' bytes exactly
and a build's table can be compared with a prediction to the byte."""
import sys


def learn(names):
    """names: list of bytes. Returns (compressed names, tokens: 256 expanded bytes)."""
    syms = [bytearray(n) for n in names]
    tab = {}
    for s in syms:
        for c in s:
            tab[c] = bytes([c])
    for slot in range(255, -1, -1):
        if slot in tab:
            continue
        count = {}
        for s in syms:
            for a, b in zip(s, s[1:]):
                count[a | b << 8] = count.get(a | b << 8, 0) + 1
        if not count:
            break
        best = min(count, key=lambda k: (-count[k], k))
        a, b = best & 0xFF, best >> 8
        tab[slot] = bytes([a, b])
        for j, s in enumerate(syms):
            out, i = bytearray(), 0
            while i < len(s):
                if i + 1 < len(s) and s[i] == a and s[i + 1] == b:
                    out.append(slot)
                    i += 2
                else:
                    out.append(s[i])
                    i += 1
            syms[j] = out

    def text(c):
        t = tab.get(c, b"")
        return t if t == bytes([c]) else b"".join(text(x) for x in t)
    return [bytes(s) for s in syms], [text(c) for c in range(256)]


def entry(s):
    """A name's bytes in kallsyms_names: its length prefix and compressed bytes."""
    n = len(s)
    return (bytes([n]) if n < 128 else bytes([n & 0x7F | 0x80, n >> 7])) + s


def table_bytes(names):
    """What the names and the token table take when learnt from names (a list of bytes)."""
    syms, tokens = learn(names)
    return sum(len(entry(s)) for s in syms), sum(len(t) + 1 for t in tokens)


def rewrite(path):
    lines = open(path).read().split("\n")
    out, names, i, aligned = [], [], 0, False
    while i < len(lines):
        line = lines[i]
        if line == "\t.balign 8":
            if not aligned:
                out.append(line)
            aligned = True
            i += 1
            continue
        out.append(line)
        i += 1
        if line != "kallsyms_names:":
            continue
        while lines[i].startswith("\t.byte") and lines[i + 1].startswith("\t.ascii \""):
            names.append(lines[i + 1][len("\t.ascii \""):-1].encode())
            i += 2
        syms, tokens = learn(names)
        off, markers = 0, []
        for k, s in enumerate(syms):
            if k % 256 == 0:
                markers.append(off)
            e = entry(s)
            out.append("\t.byte %s\t/* %s */" % (", ".join("0x%02x" % c for c in e), names[k].decode()))
            off += len(e)
        out += ["\t.globl kallsyms_markers", "kallsyms_markers:"]
        out += ["\t.long %d" % m for m in markers]
        out += ["\t.globl kallsyms_token_table", "kallsyms_token_table:"]
        idx, off = [], 0
        for t in tokens:
            idx.append(off)
            out.append("\t.asciz \"%s\"" % t.decode())
            off += len(t) + 1
        out += ["\t.globl kallsyms_token_index", "kallsyms_token_index:"]
        out += ["\t.short %d" % x for x in idx]
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    rewrite(sys.argv[1])
