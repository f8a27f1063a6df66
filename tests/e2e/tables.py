#!/usr/bin/env python3
"""tables.py JSON TABLE FORMAT PATH[,PATH...] - a listing's CSV or TSV holds what its JSON holds.

Reads the command's --json output (JSON) and its --format csv|tsv output (TABLE), and checks,
independently of kbloat's writer, that:
  - CSV parses with Python's csv module as RFC 4180 says (records end in CRLF, quoted fields
    may hold commas, quotes and newlines); TSV is one record per line, fields split at tabs,
    with \\\\, \\t, \\n and \\r unescaped;
  - the header is the union of the rows' columns in order of first appearance, a nested
    object's members named "key.sub";
  - each record is the JSON row at the same place: strings byte for byte (json.h's escape of
    non-UTF-8 bytes undone), integers as decimal, reals equal, true/false, null empty, a list
    as JSON that parses to the same list.
PATH says where the rows are in the JSON: "rows", "bloat_o_meter.rows", "blocks[].rows"
(each block's rows under its "type" in a first column "table"), "images[].limits<image+target"
(each image's limits, each led by the image's "image" and "target"); with several,
comma-separated as NAME=PATH, the table's first column "table" says NAME.
Prints what differs and exits 1, or exits 0.
"""
import csv
import io
import json
import sys


def raw(s):
    """The bytes a kbloat JSON string holds (src/report/json.h)."""
    return b"".join(bytes([ord(c) - 0xF700]) if 0xF780 <= ord(c) <= 0xF7FF else c.encode()
                    for c in s)


def flatten(row, prefix=""):
    out = {}
    for k, v in row.items():
        name = prefix + "." + k if prefix else k
        if isinstance(v, dict):
            out.update(flatten(v, name))
        else:
            out[name] = v
    return out


def rows_at(doc, path):
    """The rows at path; "a[].b" takes b of every element of a, with a's "type"; "a[].b<x+y"
    leads each row of b by the element's x and y instead."""
    if "[]." in path:
        outer, inner = path.split("[].", 1)
        inner, _, lead = inner.partition("<")
        got = []
        for el in doc[outer]:
            if lead:
                got += [(None, {**{k: el[k] for k in lead.split("+")}, **r}) for r in el[inner]]
            else:
                got += [(el.get("type"), r) for r in el[inner]]
        return got
    v = doc
    for part in path.split("."):
        v = v.get(part) if isinstance(v, dict) else None
        if v is None:
            return []
    return [(None, r) for r in v]


def expected(doc, spec):
    rows = []
    parts = spec.split(",")
    for part in parts:
        name, _, path = part.rpartition("=")
        for typ, r in rows_at(doc, path):
            flat = flatten(r)
            if name or typ is not None:
                flat = {"table": name or typ, **flat}
            rows.append(flat)
    return rows


def read_table(path, fmt):
    data = open(path, "rb").read()
    if fmt == "csv":
        text = data.decode("utf-8", "surrogateescape")
        recs = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        # every record ends in CRLF: the unquoted line ends are all CRLF
        if data and not data.endswith(b"\r\n"):
            raise ValueError("the CSV does not end in CRLF")
        return [[f.encode("utf-8", "surrogateescape") for f in r] for r in recs]
    recs = []
    if not data.endswith(b"\n"):
        raise ValueError("the TSV does not end in LF")
    for line in data[:-1].split(b"\n"):
        fields = []
        for f in line.split(b"\t"):
            out, i = bytearray(), 0
            while i < len(f):
                if f[i:i + 1] == b"\\":
                    esc = {b"\\": b"\\", b"t": b"\t", b"n": b"\n", b"r": b"\r"}[f[i + 1:i + 2]]
                    out += esc
                    i += 2
                else:
                    out += f[i:i + 1]
                    i += 1
            fields.append(bytes(out))
        recs.append(fields)
    return recs


def same(want, got):
    if want is None:
        return got == b""
    if isinstance(want, bool):
        return got == (b"true" if want else b"false")
    if isinstance(want, int):
        return got == str(want).encode()
    if isinstance(want, float):
        return abs(float(got) - want) <= 1e-9 * max(1.0, abs(want))
    if isinstance(want, str):
        return got == raw(want)
    return json.loads(got.decode("utf-8", "surrogateescape")) == want


def main():
    doc = json.load(open(sys.argv[1]))
    table, fmt, spec = sys.argv[2], sys.argv[3], sys.argv[4]
    want = expected(doc, spec)
    recs = read_table(table, fmt)
    bad = []
    columns = []
    for r in want:
        columns += [k for k in r if k not in columns]
    if not recs or [c.decode() for c in recs[0]] != columns:
        bad.append(f"header {recs[:1]} is not {columns}")
    body = recs[1:]
    if len(body) != len(want):
        bad.append(f"{len(body)} records, the JSON has {len(want)} rows")
    for n, (w, g) in enumerate(zip(want, body)):
        if len(g) != len(columns):
            bad.append(f"record {n}: {len(g)} fields, not {len(columns)}")
            continue
        for c, field in zip(columns, g):
            if not same(w.get(c), field):
                bad.append(f"record {n} column {c}: {field!r}, the JSON has {w.get(c)!r}")
    for b in bad[:20]:
        print(b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
