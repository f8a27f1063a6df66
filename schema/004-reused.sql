-- kbloat's store, schema 004: builds the collector did not rebuild.
--
-- Before building a commit, the collector compares the files it changed (against the commit
-- last built in the same build directory) with that build's inputs (kbuild's .cmd records,
-- Kconfig and Makefiles, scripts/, linker scripts; collector/inputs.h). When none changed,
-- make would link the same image: the collector records the build directory's vmlinux again
-- without running make. Its sizes, items and modular sums are then those of the build it
-- reused, and its parent links and deltas are computed as for any build.
--
-- Numbered 004 beside a 003 written at the same time: the migration runner keeps a bit per
-- applied file in PRAGMA user_version (src/store/store.c), so either may land first.

-- 0: built by make (or recorded by `kbloat record`); 1: not rebuilt, no input changed;
-- 2: not rebuilt, only config inputs changed and olddefconfig left .config as it was
ALTER TABLE builds ADD COLUMN reused INTEGER NOT NULL DEFAULT 0 CHECK (reused BETWEEN 0 AND 2);
