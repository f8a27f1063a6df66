#!/usr/bin/env python3
"""tile-store.py IN OUT TIMES - a longer history for the store benchmark, made in a minute.

gen_history records a build through kb_store_record (27 ms a build on a quiet machine, over
80 ms beside kernel builds): 100,000 builds would take hours. This copies IN (a database of
one config's line of builds, as gen_history makes) to OUT and appends TIMES - 1 copies of
its history, each continuing the line where the one before ends: copy k's commit shas
sha1("k:SHA") of the original's (tile_sha below), ids and times shifted, the first build
of each copy a child of the last build of the copy before (its class deltas computed so
that db check holds; it keeps its full set, as a chain start does). Items, paths and
configs are shared. The result has TIMES times the builds, changes and full sets of IN, in the shape
gen_history gives them: what `blame`, `history` and `db check` read at that scale.
"""
import hashlib
import os
import shutil
import sqlite3
import sys

CLASSES = ("total", "text", "rodata", "data", "bss", "init", "percpu", "other")


def tile_sha(k, sha):
    """Copy k's name for commit sha (copy 0 is the original)."""
    if sha is None or k == 0:
        return sha
    return hashlib.sha1(("%d:%s" % (k, sha)).encode()).hexdigest()


def main():
    if len(sys.argv) != 4 or not sys.argv[3].isdigit() or int(sys.argv[3]) < 1:
        sys.exit("usage: tile-store.py IN OUT TIMES")
    src, out, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(out + ext):
            os.unlink(out + ext)
    con = sqlite3.connect(src)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    shutil.copyfile(src, out)
    c = sqlite3.connect(out, isolation_level=None)
    c.execute("PRAGMA journal_mode = DELETE")
    c.execute("PRAGMA foreign_keys = OFF")
    c.create_function("tile_sha", 2, tile_sha, deterministic=True)
    if c.execute("SELECT count(DISTINCT config_id) FROM builds").fetchone()[0] != 1:
        sys.exit("tile-store.py: %s: not one config's line of builds" % src)
    nb = c.execute("SELECT max(id) FROM builds").fetchone()[0]
    nc = c.execute("SELECT max(id) FROM commits").fetchone()[0]
    first = c.execute("SELECT min(id) FROM builds").fetchone()[0]
    last = nb
    c.execute("BEGIN")
    for k in range(1, times):
        ob, oc = k * nb, k * nc
        c.execute(
            "INSERT INTO commits SELECT id + ?1, tile_sha(?2, sha), tile_sha(?2, parent_sha), "
            "author_name, author_email, author_time + ?3, committer_time + ?3, subject FROM "
            "commits WHERE id <= ?4", (oc, k, k * 10000000, nc))
        cols = [r[1] for r in c.execute("PRAGMA table_info(builds)")]
        shifted = {"id": "id + ?1", "commit_id": "commit_id + ?2",
                   "parent_build_id": "parent_build_id + ?1"}
        sel = ", ".join(shifted.get(col, col) for col in cols)
        c.execute("INSERT INTO builds (%s) SELECT %s FROM builds WHERE id <= ?3"
                  % (", ".join(cols), sel), (ob, oc, nb))
        c.execute("INSERT INTO item_delta SELECT build_id + ?1, item_id, size, prev FROM "
                  "item_delta WHERE build_id <= ?2", (ob, nb))
        c.execute("INSERT INTO item_sets SELECT build_id + ?1, sizes FROM item_sets WHERE "
                  "build_id <= ?2", (ob, nb))
        # the copy's first commit follows the last one before it; its build is a child
        head = c.execute("SELECT c.sha FROM builds b JOIN commits c ON c.id = b.commit_id "
                         "WHERE b.id = ?", (last,)).fetchone()[0]
        start = first + ob
        c.execute("UPDATE commits SET parent_sha = ? WHERE id = (SELECT commit_id FROM "
                  "builds WHERE id = ?)", (head, start))
        sets = ", ".join("d_%s = %s - (SELECT %s FROM builds WHERE id = ?1)" % (x, x, x)
                         for x in CLASSES)
        c.execute("UPDATE builds SET parent_build_id = ?1, distance = 1, %s WHERE id = ?2"
                  % sets, (last, start))
        last = nb + ob
    c.execute("COMMIT")
    c.execute("PRAGMA journal_mode = WAL")
    print("%s: %d builds, %d commits" % (
        out, c.execute("SELECT count(*) FROM builds").fetchone()[0],
        c.execute("SELECT count(*) FROM commits").fetchone()[0]))
    c.close()


main()
