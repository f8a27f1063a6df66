/*
 * derived.h - files for the bytes that no symbol, DWARF or map places, derived from what
 * they serve: a kernel's generated sections (BTF), its unwind table (ORC), the objtool and
 * alternatives tables of code addresses (and the replacement code of each alternative), its
 * export tables, the literals its code references, and the alignment between .bss objects.
 *
 * Each method reads the structure the kernel defines for the bytes (an entry of
 * .orc_unwind_ip is a 32-bit offset to the code it describes; a struct kernel_symbol names
 * the symbol it exports) and gives the bytes the file of the row that structure points at,
 * with a provenance of its own. Promises: only rows without a file are touched; the rows
 * still cover every byte once; an image or section whose layout does not validate entry by
 * entry is left as it was.
 */
#ifndef KB_DERIVED_H
#define KB_DERIVED_H

#include "breakdown.h"

struct kb_derived {
	struct kb_attr generated; /* sections made by the build, not from a file: .BTF */
	struct kb_attr orc; /* .orc_unwind_ip and .orc_unwind entries */
	struct kb_attr sites; /* objtool/alternatives tables of code addresses */
	struct kb_attr exports; /* __ksymtab*, __kcrctab*, their strings */
	struct kb_attr xref; /* bytes that instructions reference */
	const char *xref_machine; /* machine whose code was decoded, or NULL */
	size_t xrefs; /* references to bytes without a file */
	uint64_t bss_padding; /* .bss gap bytes found to be alignment */
};

void kb_derived_init(struct kb_derived *d);
/*
 * Attributes bd's rows without a file by the methods above, in that order; call after the
 * DWARF and map attribution and before kb_breakdown_finish(). The code an entry points at
 * is its compile unit's in cu (spans; may be empty), else its row's file. d must outlive
 * bd's rows (the file names are d's).
 */
void kb_derived_attribute(struct kb_derived *d, struct kb_breakdown *bd, const struct kb_attr *cu);
void kb_derived_release(struct kb_derived *d);

/* The name of the machine whose code kb_derived_attribute decodes, or NULL if it decodes none. */
const char *kb_derived_machine(unsigned machine);

#endif
