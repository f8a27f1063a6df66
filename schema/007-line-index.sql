-- kbloat's store, schema 007: the line of builds read from an index, not from the builds.
--
-- history (and the site's subsystem pages, the plots' trends) walks a config's builds by
-- their parent links and reads, for each one on the line, its commit and the few columns it
-- prints. A builds row is wide (40 columns: sizes, deltas, timings), so that walk read the
-- whole table: at 100,000 builds 3,000 pages, and the columns it wants are the row's last.
-- This index holds exactly what the walk reads, in id order within a config: it is read in
-- their place (SQLite's "covering index"), 34 bytes a build. history at 100,000 builds: 5-7%
-- of its time (tests/bench/README.md).
--
-- It must keep covering: a query of the line that reads another column of builds reads the
-- table again (no wrong answer, only the old cost); add the column here in a new file then.
-- Numbered 007: the migration runner keeps a bit per applied file in PRAGMA user_version
-- (src/store/store.c), so that files written side by side apply in either order.
CREATE INDEX builds_line ON builds (config_id, id, parent_build_id, status, commit_id, distance,
	reused, total, padding, m_tristate, m_bool, m_core, m_rest);
