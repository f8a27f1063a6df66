-- kbloat's store, schema version 1.
--
-- Every measured build of a kernel: which commit, which configuration, how it went, how big
-- the image is per size class, and how big each symbol is. Symbol sizes are stored as
-- changes against the build's parent build (the nearest built first-parent ancestor of the
-- same configuration) with a full snapshot now and then, so a symbol that does not change
-- costs nothing per build, and "which commit added 40 KB" is an index lookup on the delta
-- kept in each build row. The store applies the files of schema/ in order and keeps their
-- count in PRAGMA user_version.

-- Commits kbloat has seen: the builds' commits and the first-parent commits between them,
-- so that the chain from a build back to its parent build can be followed without the
-- repository (kbloat merge needs that).
CREATE TABLE commits (
	id INTEGER PRIMARY KEY,
	sha TEXT NOT NULL UNIQUE,          -- full hexadecimal object name
	parent_sha TEXT,                   -- first parent; NULL for a root commit
	author_name TEXT NOT NULL,
	author_email TEXT NOT NULL,
	author_time INTEGER NOT NULL,      -- seconds since the epoch
	committer_time INTEGER NOT NULL,
	subject TEXT NOT NULL              -- first line of the message
);
CREATE INDEX commits_parent ON commits (parent_sha);

-- A configuration as kbloat names it: a spec and the architecture it was built for.
CREATE TABLE configs (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,                -- "tinyconfig", "tinyconfig+kvm-guest", "modular"
	arch TEXT NOT NULL,                -- kbuild's ARCH: x86_64, riscv, arm64
	base TEXT,                         -- base target (tinyconfig, allnoconfig, defconfig)
	fragments TEXT,                    -- fragments merged on top, space separated
	UNIQUE (name, arch)
);

-- A resulting .config, shared by every build that produced the same one.
CREATE TABLE dotconfigs (
	id INTEGER PRIMARY KEY,
	hash TEXT NOT NULL UNIQUE,         -- hash of options, as kbloat computes it
	options TEXT NOT NULL              -- "CONFIG_X=y" lines, sorted: every set option
);

-- The compiler and linker a build used (their --version first lines).
CREATE TABLE toolchains (
	id INTEGER PRIMARY KEY,
	compiler TEXT NOT NULL,
	linker TEXT NOT NULL,
	UNIQUE (compiler, linker)
);

-- MAINTAINERS sections (or directories, without a tree) that files belong to.
CREATE TABLE subsystems (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

-- Source files, tree-relative. The row with path '' stands for "no file".
CREATE TABLE paths (
	id INTEGER PRIMARY KEY,
	path TEXT NOT NULL UNIQUE,
	subsystem_id INTEGER REFERENCES subsystems (id)  -- as of the latest build that named it
);

-- What sizes are kept of: an item is either a row of the analyzer's breakdown (kind 0: a
-- symbol or a labelled gap, in one size class, of one file; these sum to the image total),
-- or an entry of scripts/bloat-o-meter's view (kind 1 functions "tT", 2 data "dDbB",
-- 3 read-only data "rR": names with ".N" removed and equal names summed), which is what
-- `kbloat show` prints exactly as bloat-o-meter would.
CREATE TABLE items (
	id INTEGER PRIMARY KEY,
	kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),
	name TEXT NOT NULL,
	path_id INTEGER NOT NULL REFERENCES paths (id),  -- '' for bloat-o-meter entries
	class INTEGER NOT NULL,            -- size class (0 text .. 6 other); 0 for kind > 0
	UNIQUE (kind, name, path_id, class)
);

-- One build of one commit in one configuration.
CREATE TABLE builds (
	id INTEGER PRIMARY KEY,
	commit_id INTEGER NOT NULL REFERENCES commits (id),
	config_id INTEGER NOT NULL REFERENCES configs (id),
	status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
	log_tail TEXT,                     -- the end of the build log, for failed builds
	dotconfig_id INTEGER REFERENCES dotconfigs (id),
	toolchain_id INTEGER REFERENCES toolchains (id),
	build_seconds REAL,
	analysis_seconds REAL,
	recorded_at INTEGER NOT NULL,      -- seconds since the epoch
	-- sizes, for ok builds: the kernel classes (summing to total) and binutils size's split
	total INTEGER, text INTEGER, rodata INTEGER, data INTEGER, bss INTEGER,
	init INTEGER, percpu INTEGER, other INTEGER,
	bk_text INTEGER, bk_data INTEGER, bk_bss INTEGER,
	-- totals of bloat-o-meter's three views (kinds 1, 2, 3), for its "Total:" lines
	bom_t INTEGER, bom_d INTEGER, bom_r INTEGER,
	-- the parent build: nearest ok build of this configuration on the first-parent line
	parent_build_id INTEGER REFERENCES builds (id),
	distance INTEGER,                  -- first-parent steps from the parent build's commit
	-- this build minus its parent build, per class; NULL without a parent build
	d_total INTEGER, d_text INTEGER, d_rodata INTEGER, d_data INTEGER, d_bss INTEGER,
	d_init INTEGER, d_percpu INTEGER, d_other INTEGER,
	snapshot INTEGER NOT NULL DEFAULT 0, -- 1: item_snapshot holds this build's full set
	UNIQUE (commit_id, config_id)
);
CREATE INDEX builds_by_delta ON builds (config_id, d_total);
CREATE INDEX builds_by_parent ON builds (parent_build_id);

-- Items whose size differs from the parent build's (size 0: gone; prev 0: new). An ok
-- build without a parent build has none; its snapshot says everything.
CREATE TABLE item_delta (
	build_id INTEGER NOT NULL REFERENCES builds (id),
	item_id INTEGER NOT NULL REFERENCES items (id),
	size INTEGER NOT NULL,
	prev INTEGER NOT NULL,
	PRIMARY KEY (build_id, item_id)
) WITHOUT ROWID;
CREATE INDEX item_delta_by_item ON item_delta (item_id);

-- Full sets, for builds without a parent build and every 64th build along a chain: a
-- build's sizes are its nearest snapshot up the parent links plus the deltas since.
CREATE TABLE item_snapshot (
	build_id INTEGER NOT NULL REFERENCES builds (id),
	item_id INTEGER NOT NULL REFERENCES items (id),
	size INTEGER NOT NULL,
	PRIMARY KEY (build_id, item_id)
) WITHOUT ROWID;

INSERT INTO paths (id, path) VALUES (0, '');
