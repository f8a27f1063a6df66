-- kbloat's store, schema 005: whom to mail about a subsystem.
--
-- `kbloat ci --format mail` writes a mail per size regression, as Intel's 0-day robot does,
-- to the commit's author with the maintainers and lists of the subsystems that grew Cc'd:
-- the M: and L: lines of their MAINTAINERS sections, as scripts/get_maintainer.pl picks
-- them. subsystems kept only the sections' titles; the lines are stored here when a build
-- is recorded with the tree's MAINTAINERS (analyzer/maintainers.h), so that the report,
-- which reads only the store, can address its mails. A build recorded again replaces the
-- lines of each section its items name: they follow the latest MAINTAINERS recorded, as
-- paths.subsystem_id does. A database recorded before 005 has none until a build is
-- recorded with a MAINTAINERS.
--
-- Numbered 005: the migration runner keeps a bit per applied file in PRAGMA user_version
-- (src/store/store.c).

-- The M: (a maintainer, "Name <address>") and L: (a mailing list, "list@host", maybe
-- followed by a remark such as "(moderated for non-subscribers)") lines of a section, as
-- the file has them: text from a repository, which whoever writes a mail header checks.
CREATE TABLE subsystem_contacts (
	subsystem_id INTEGER NOT NULL REFERENCES subsystems (id),
	seq INTEGER NOT NULL,              -- the line's place among the section's M: and L: lines
	role TEXT NOT NULL CHECK (role IN ('M', 'L')),
	address TEXT NOT NULL,             -- the line after its tag, blanks trimmed
	PRIMARY KEY (subsystem_id, seq)
);
