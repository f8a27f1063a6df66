/*
 * objsyms.h - files for an image's bytes from the symbol tables of the objects it was linked
 * from, read in its build directory.
 *
 * An LTO kernel's map names vmlinux.o for every byte, and its C objects are LLVM bitcode;
 * but its assembler objects (head_64.S's page tables, entry code, the .S files of lib/) are
 * still ELF, and the thin archives kbuild links (vmlinux.a, lib/lib.a, arch/ARCH/lib/lib.a)
 * list them. An input section of such an object is placed whole, so where its symbols are in
 * the image says where the section is: a symbol at offset off of section S that the image
 * has once, at address A, puts S at A - off (not a weak one: it may have lost to another). Promises: a section is placed only when at least
 * one of its symbols is found and all that are found agree, and when it lies inside one
 * allocated section of the image; merged sections (SHF_MERGE) are never placed; objects
 * that are not ELF (bitcode) or cannot be read are passed over.
 */
#ifndef KB_OBJSYMS_H
#define KB_OBJSYMS_H

#include "breakdown.h"
#include "image.h"

/* The file of an object, given its path in the build directory ("O/lib/memcpy_64.o"). */
typedef const char *kb_objsyms_source_fn(void *ctx, const char *object);

struct kb_objsyms_stats {
	size_t members; /* objects the archives list */
	size_t elf; /* of them, ELF objects read */
	size_t sections; /* sections placed */
};

/*
 * Adds to out a span per input section placed, its file source(ctx, object). build is the
 * O= directory. Never an error: without archives, nothing is added.
 */
void kb_objsyms_spans(struct kb_attr *out, const struct kb_image *img, const char *build,
		      kb_objsyms_source_fn *source, void *ctx, struct kb_objsyms_stats *st);

#endif
