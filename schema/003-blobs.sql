-- kbloat's store, schema version 3: full sets as one blob each.
--
-- A snapshot build (one without a parent build, and every 64th along a chain) kept its full
-- set as a row per item in item_snapshot: about 73,000 rows for a 40,000-symbol kernel, 94%
-- of the database. It is now one row per build, its sizes one blob of varints (the format
-- is said in src/store/item_sets.c: the item ids, sorted, as gaps, and their sizes), about
-- a fifth of the bytes. The changes (item_delta) stay one row per item and build, indexed
-- by item, as "which builds changed this symbol" needs.
--
-- SQL cannot write the varints: after this file, kbloat (migrate_sets in src/store/store.c)
-- encodes each build's item_snapshot rows into its item_sets row, in the same transaction,
-- and drops item_snapshot. A kbloat older than this refuses the database ("schema version 3
-- is newer than this kbloat's 2").

-- Full sets, for builds without a parent build and every 64th build along a chain (builds
-- with snapshot = 1): a build's sizes are its nearest snapshot up the parent links plus the
-- deltas since.
CREATE TABLE item_sets (
	build_id INTEGER PRIMARY KEY REFERENCES builds (id),
	sizes BLOB NOT NULL                -- format 1: see src/store/item_sets.c
);
