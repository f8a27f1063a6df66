-- kbloat's store, schema 006: the repository the builds came from, and its refs.
--
-- Kernel developers name commits by tag and branch (`show v6.1`, `blame --range
-- v6.0..main`). The store kept shas only, so those names needed the repository at hand.
-- collect and record now write down the repository's path and, each time they run, its
-- tags and branch heads, so that a ref resolves through the repository when it is there and
-- through these rows when it is not (a database copied off the CI machine). A database
-- recorded before 006 has none until collect or record runs with it again.
--
-- Numbered 006: the migration runner keeps a bit per applied file in PRAGMA user_version
-- (src/store/store.c).

-- The repository collect or record read last: one row at most.
CREATE TABLE repository (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	path TEXT NOT NULL                 -- its absolute path on the machine that recorded
);

-- The repository's refs when collect or record last ran: every tag (peeled to its commit),
-- every local branch head, and HEAD. They are replaced as a whole at each run, so a moved
-- branch or a deleted tag follows the repository. The commit need not be in commits: a
-- tag before the first build still names its commit.
CREATE TABLE refs (
	kind TEXT NOT NULL CHECK (kind IN ('tag', 'branch', 'head')),
	name TEXT NOT NULL,                -- "v6.1" (without refs/tags/), "main", "HEAD"
	sha TEXT NOT NULL,                 -- the commit: 40 lowercase hex digits
	PRIMARY KEY (kind, name)
);
