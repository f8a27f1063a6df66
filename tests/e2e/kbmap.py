# SPDX-License-Identifier: GPL-2.0
"""kbmap.py: the end-to-end tests' own readings of a GNU ld map and of a store snapshot (the
oracles kbloat's readers are checked against, so they share no code with them). t0050,
t0051 and t0052 import it with sys.path set to $TESTS_SRC/e2e."""
import re


def map_spans(path):
    """The map's input sections and *fill* lines in placed, allocated output sections (with
    an address; the per-CPU template sits at 0), " .insec ADDR SIZE OBJECT" (the name may sit
    alone on the line before): (spans [(lo, hi, object)], fills [(lo, hi)]), both sorted,
    empty ones left out."""
    spans, fills, on, out, pend = [], [], False, None, None
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("Linker script and memory map"):
            on = True
            continue
        if not on or not line:
            continue
        if not line.startswith(" "):
            out = line.split()[0]
            continue
        f = line.split()
        if len(f) == 1 and f[0].startswith("."):
            pend = f[0]
            continue
        if pend:
            f, pend = [pend] + f, None
        if len(f) < 3 or not f[1].startswith("0x") or not f[2].startswith("0x"):
            continue
        a, n = int(f[1], 16), int(f[2], 16)
        if re.match(r"\.(debug|comment)", out) or (a == 0 and not out.startswith(".data..percpu")) or not n:
            continue
        if f[0] == "*fill*":
            fills.append((a, a + n))
        elif len(f) == 4 and not f[0].startswith("*"):
            spans.append((a, a + n, f[3]))
    spans.sort()
    fills.sort()
    return spans, fills


def full_set(blob):
    """A snapshot's sizes from its item_sets blob (schema/003-blobs.sql: a format byte 1, the
    count, then each item's id gap and size, as LEB128 varints): {item id: size}."""
    pos, z, item = 1, {}, -1

    def varint():
        nonlocal pos
        v = shift = 0
        while True:
            byte = blob[pos]
            pos += 1
            v |= (byte & 0x7f) << shift
            shift += 7
            if not byte & 0x80:
                return v
    assert blob[0] == 1
    for _ in range(varint()):
        item += varint() + 1
        z[item] = varint()
    assert pos == len(blob)
    return z
