#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bool2tri.py MODULAR.json SRC: make each bool candidate (2) of `kbloat modular --json` a tristate.

The analysis predicts the kernel proper with the bool candidates as modules too ((1)+(2)). A
bool cannot be `=m`, so to build that kernel its Kconfig type has to change: at every definition
of each candidate (`config X` in any Kconfig file of SRC) `bool` becomes `tristate` and
`def_bool` becomes `def_tristate`. SRC must be a scratch copy: the files are rewritten (a
hard link is broken first, so a `cp -al` copy leaves the original tree alone).

Prints the fragment that puts the converted candidates at `=m` on stdout (and the tristates the
analysis found only they keep at y: "tristate_freed"); on stderr, each
candidate it could not convert and why (a choice member, a definition without a type line).
"""
import json
import os
import re
import sys

TYPE = re.compile(r"^(\s+)(def_bool|bool)\b(.*)$")
CONFIG = re.compile(r"^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*$")
# a line that ends a config entry's attribute block
END = re.compile(r"^\s*(config|menuconfig|choice|endchoice|menu|endmenu|if|endif|source|rsource"
                 r"|osource|orsource|comment|mainmenu)\b")


def kconfig_files(src):
    for root, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if f.startswith("Kconfig"):
                yield os.path.join(root, f)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bool2tri.py MODULAR.json SRC")
    report = json.load(open(sys.argv[1]))
    src = sys.argv[2]
    want = {r["key"] for r in report["bool_candidates"]["rows"] if r.get("type") == "bool"}
    # the tristates only those bools keep at y go with them (a prompt keeps a value at y)
    freed = sorted(r["key"] for r in report.get("tristate_freed", {"rows": []})["rows"])
    done, refused = set(), {}
    for path in kconfig_files(src):
        try:
            lines = open(path, encoding="utf-8", errors="surrogateescape").read().split("\n")
        except OSError as e:
            sys.exit("bool2tri.py: %s: %s" % (path, e.strerror))
        changed = False
        depth = 0  # choice nesting: a choice's members stay bool
        name = None
        for i, line in enumerate(lines):
            s = line.strip()
            if s.startswith("choice") and (len(s) == 6 or s[6] in " \t#"):
                depth += 1
            elif s == "endchoice":
                depth -= 1
            m = CONFIG.match(line)
            if m:
                name = m.group(1) if m.group(1) in want else None
                if name and depth > 0:
                    refused[name] = "a member of a choice (%s:%d)" % (path, i + 1)
                    name = None
                continue
            if name is None:
                continue
            if END.match(line):
                name = None
                continue
            t = TYPE.match(line)
            if t:
                new = "tristate" if t.group(2) == "bool" else "def_tristate"
                lines[i] = t.group(1) + new + t.group(3)
                changed = True
                done.add(name)
                name = None
        if changed:
            text = "\n".join(lines)
            os.unlink(path)  # break a hard link to the original tree
            with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
    for n in sorted(want - done):
        print("bool2tri.py: CONFIG_%s not converted: %s" % (n, refused.get(n, "no bool type line found")),
              file=sys.stderr)
    done -= set(refused)
    print("# bool2tri.py: %d of %d bool candidates (2) made tristate, at =m" % (len(done), len(want)))
    for n in sorted(done):
        print("CONFIG_%s=m" % n)
    if freed:
        print("# and the %d tristates only they keep built in" % len(freed))
    for n in freed:
        print("CONFIG_%s=m" % n)


if __name__ == "__main__":
    main()
