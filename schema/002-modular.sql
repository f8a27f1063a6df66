-- kbloat's store, schema version 2: what could leave the core, build by build.
--
-- "Code and data" is the kernel proper without alignment padding (the breakdown's
-- "[padding ...]" rows): on x86_64 tinyconfig 73% of the image is the 2 MiB alignment of
-- its sections, which buries the code under it. The modular analysis (analyzer/modular.h)
-- splits code and data by what builds it: the tristate options at y that could be m today
-- (candidates 1), the bool options no built-in code needs (candidates 2), the hard core
-- (obj-y all the way up, and what the linker made), and the rest (options that must stay
-- built in, and objects no Makefile names). The four sum to total - padding.
--
-- The store keeps migrations in order (PRAGMA user_version); this one runs with foreign
-- keys off (kb_store_open migrates before it turns them on), so that items can be rebuilt
-- with a wider CHECK, as SQLite's documented table-rebuild procedure does it.

-- ok builds: bytes of the breakdown's [padding] rows; total - padding is "code and data"
ALTER TABLE builds ADD COLUMN padding INTEGER;
-- the modular analysis of an ok build, in bytes of code and data (NULL: it did not run:
-- no build directory or tree, no map, or the analysis failed and the build's warning says
-- why). m_tristate + m_bool + m_core + m_rest = total - padding.
ALTER TABLE builds ADD COLUMN m_tristate INTEGER;  -- candidates (1): tristates at y
ALTER TABLE builds ADD COLUMN m_bool INTEGER;      -- candidates (2): bools no built-in user needs
ALTER TABLE builds ADD COLUMN m_core INTEGER;      -- the hard core: obj-y, the linker's bytes
ALTER TABLE builds ADD COLUMN m_rest INTEGER;      -- options that stay built in; unknown objects
-- m_core minus the parent build's, when both were analyzed: `blame --core`
ALTER TABLE builds ADD COLUMN d_core INTEGER;
CREATE INDEX builds_by_core ON builds (config_id, d_core);

-- Items gain kind 4: an enabled option of the modular analysis ("EXT4_FS", path ''), its
-- size the code and data of the objects it builds in, its class what it is:
-- 0 tristate candidate, 1 tristate that stays, 2 bool candidate, 3 bool that stays. So an
-- option that does not change costs nothing per build, and one that stops being a
-- candidate shows as a change. Kind 4 sizes sum to m_tristate (class 0), m_bool (class 2)
-- and, with classes 1 and 3, to m_rest's share held by options.
CREATE TABLE items_v2 (
	id INTEGER PRIMARY KEY,
	kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 4),
	name TEXT NOT NULL,
	path_id INTEGER NOT NULL REFERENCES paths (id),
	class INTEGER NOT NULL,
	UNIQUE (kind, name, path_id, class)
);
INSERT INTO items_v2 (id, kind, name, path_id, class)
	SELECT id, kind, name, path_id, class FROM items;
DROP TABLE items;
ALTER TABLE items_v2 RENAME TO items;
