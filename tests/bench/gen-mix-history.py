#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""gen-mix-history.py SRC OUT [--commits N] [--seed S]: a kernel git history whose commits
touch paths in the real kernel's mix, on top of an unpacked kernel tree.

OUT becomes a git repository (branch main) whose first commit is the tree SRC as it is (its
files hard-linked, never written through the link) and whose next N commits (default 200)
each change one file, chosen by where real kernel commits land (MIX below): most in
drivers/, then arch/ (mostly architectures other than x86), net/, fs/, Documentation/,
tools/, sound/, include/, kernel/ and mm/, a few in Kconfig files. Each change is one of:
  - a comment line appended (C, assembly, Kconfig, Makefile, text): the file changes, the
    image does not, though make recompiles it if the config compiles it;
  - for a C file, a new used array appended (one time in two in core code: kernel/, mm/,
    lib/, init/, fs/, arch/x86/; one in eight elsewhere): the image grows by its bytes where
    the config compiles the file, and nothing changes where it does not;
  - for a Kconfig file, now and then a new bool option without a prompt (default n): the
    Kconfig model changes, .config does not.
The same SRC, N and seed give the same commits (and the same commit ids: author, committer
and dates are fixed). It runs git, never a shell; paths come from the tree, not from users.

MIX is an approximation of where a release's commits land (the top-level directories of
the files they touch, one directory per commit): drivers/ about half, arch/ a tenth, then
net/, fs/, Documentation/ and tools/ around 6% each. Change it to model another tree.
"""
import argparse
import os
import random
import subprocess
import sys

MIX = [  # (weight, top-level directory, or a pattern handled below)
    (50, "drivers"),
    (9, "arch-other"),  # arch/ but not x86
    (2, "arch-x86"),
    (6, "net"),
    (6, "fs"),
    (6, "Documentation"),
    (6, "tools"),
    (3, "sound"),
    (4, "include"),
    (3, "kernel"),
    (2, "mm"),
    (3, "Kconfig"),  # a Kconfig file anywhere
]

EDITABLE = (".c", ".h", ".S", ".rst", ".txt", ".py", ".sh", ".yaml", ".json")


def git(repo, *args, env=None):
    e = dict(os.environ)
    e.update({
        "GIT_AUTHOR_NAME": "kbloat mix", "GIT_AUTHOR_EMAIL": "mix@kbloat.invalid",
        "GIT_COMMITTER_NAME": "kbloat mix", "GIT_COMMITTER_EMAIL": "mix@kbloat.invalid",
    })
    if env:
        e.update(env)
    r = subprocess.run(["git", "-C", repo] + list(args), env=e,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode:
        sys.exit("gen-mix-history.py: git %s: %s" % (args[0], r.stderr.decode(errors="replace").strip()
                                                    or r.stdout.decode(errors="replace").strip()))
    return r.stdout


def candidates(root):
    """Files of the tree by MIX bucket."""
    buckets = {name: [] for _, name in MIX}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        rel = os.path.relpath(dirpath, root)
        top = rel.split(os.sep)[0] if rel != "." else ""
        for f in filenames:
            path = os.path.join(rel, f) if rel != "." else f
            if f.startswith("Kconfig"):
                buckets["Kconfig"].append(path)
                continue
            if not f.endswith(EDITABLE) or os.path.islink(os.path.join(root, path)):
                continue
            if top == "arch":
                parts = rel.split(os.sep)
                key = "arch-x86" if len(parts) > 1 and parts[1] == "x86" else "arch-other"
            else:
                key = top
            if key in buckets:
                buckets[key].append(path)
    for v in buckets.values():
        v.sort()
    return buckets


def rewrite(path, text):
    """Replaces path's content without writing through a hard link to the source tree."""
    tmp = path + ".kbmix"
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)
    os.rename(tmp, path)


def change(repo, path, i, rnd):
    full = os.path.join(repo, path)
    with open(full, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    if text and not text.endswith("\n"):
        text += "\n"
    base = os.path.basename(path)
    if base.startswith("Kconfig"):
        if rnd.random() < 0.3:
            text += "\nconfig KBLOAT_MIX_%d\n\tbool\n\tdefault n\n" % i
            return text, "a new option without a prompt"
        return text + "# kbloat mix %d\n" % i, "a comment"
    # core code (what even tinyconfig builds) changes the image more often than not; a
    # driver's change mostly fixes or reworks what is there
    core = path.startswith(("kernel/", "mm/", "lib/", "init/", "fs/", "arch/x86/"))
    if path.endswith(".c") and rnd.random() < (0.5 if core else 0.125):
        n = rnd.choice([64, 256, 1024, 4096])
        text += ("\nstatic const char kbloat_mix_%d[%d] __attribute__((used)) = \"%d\";\n"
                 % (i, n, i))
        return text, "%d bytes of rodata" % n
    if path.endswith((".c", ".h", ".S")):
        return text + "/* kbloat mix %d */\n" % i, "a comment"
    return text + "\nkbloat mix %d\n" % i if path.endswith((".rst", ".txt")) \
        else text + "# kbloat mix %d\n" % i, "a line"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if os.path.exists(a.out):
        sys.exit("gen-mix-history.py: %s: exists (remove it first)" % a.out)
    # the tree, hard-linked: every change below replaces a file instead of writing it
    subprocess.run(["cp", "-al", "--", os.path.abspath(a.src), a.out], check=True)
    git(a.out, "init", "-q", "-b", "main")
    # -f: Debian's linux-source .gitignore ignores every top-level path (its packaging's)
    git(a.out, "add", "-A", "-f")
    date = 1700000000
    git(a.out, "commit", "-q", "-m", "the tree as unpacked",
        env={"GIT_AUTHOR_DATE": "@%d +0000" % date, "GIT_COMMITTER_DATE": "@%d +0000" % date})
    buckets = candidates(a.out)
    rnd = random.Random(a.seed)
    weights = [w for w, name in MIX if buckets[name]]
    names = [name for w, name in MIX if buckets[name]]
    counts = {}
    for i in range(1, a.commits + 1):
        name = rnd.choices(names, weights)[0]
        path = rnd.choice(buckets[name])
        text, what = change(a.out, path, i, rnd)
        rewrite(os.path.join(a.out, path), text)
        git(a.out, "add", "-f", "--", path)
        date += 600
        git(a.out, "commit", "-q", "-m", "mix %d: %s: %s" % (i, path, what),
            env={"GIT_AUTHOR_DATE": "@%d +0000" % date, "GIT_COMMITTER_DATE": "@%d +0000" % date})
        counts[name] = counts.get(name, 0) + 1
    head = git(a.out, "rev-parse", "HEAD").decode().strip()
    print("%s: %d commits on the tree, HEAD %s" % (a.out, a.commits, head))
    for name in names:
        print("  %-14s %4d" % (name, counts.get(name, 0)))


if __name__ == "__main__":
    main()
