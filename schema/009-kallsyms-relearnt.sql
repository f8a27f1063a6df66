-- kbloat's store, schema 009: the kallsyms term of the "everything modularized" estimate.
--
-- When the modular analysis decodes a build's kallsyms table and its self-check gives the
-- image's table back exactly (analyzer/modular.h, ks_relearnt), its prediction relearns
-- scripts/kallsyms' tokens from the names that stay: the table then changes by more than
-- the shares of the names that leave (the staying names compressed anew, the token table,
-- the markers). `kbloat modular` adds that term to its predictions; with it stored, the
-- history's "everything modularized" is the same number (code - m_tristate - m_bool +
-- m_kallsyms: kb_series_modular in src/store/store_options.h), not about 23 KB apart on a
-- defconfig.
--
-- Only the term of (1) and (2) together is kept: no history, chart or page shows the (1)
-- alone estimate. Numbered 009: it needs 002 (the m_* sums) and 007 (the index it widens),
-- both of which apply before it on any database that lacks them.

-- ok builds with the modular analysis: bytes the kallsyms table changes by beyond the
-- leaving names' shares with every candidate (1) and (2) a module (kbloat modular's
-- kallsyms_relearnt_tristate_and_bool), signed; NULL: the table was not relearnt (no
-- kallsyms, not decoded, the self-check failed, no analysis, or recorded before 009), and
-- the estimate is code - m_tristate - m_bool alone. |m_kallsyms| <= total - padding.
ALTER TABLE builds ADD COLUMN m_kallsyms INTEGER;

-- history reads the line from schema/007's covering index, which must hold every column of
-- builds the walk reads (007 says so): it gains m_kallsyms, last, as the walk reads it.
DROP INDEX builds_line;
CREATE INDEX builds_line ON builds (config_id, id, parent_build_id, status, commit_id, distance,
	reused, total, padding, m_tristate, m_bool, m_core, m_rest, m_kallsyms);
