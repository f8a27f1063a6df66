/*
 * image.h - an ELF image (vmlinux, a thin hypervisor, any executable or object) as the
 * analyzer sees it: its sections, each allocated one in exactly one size class, and its
 * symbol table as read.
 *
 * An image may come compressed (gzip, xz, zstd: known by magic, decompressed into memory up to
 * KBLOAT_DECOMPRESS_LIMIT) and may be an ar archive (.a): then it has no sections of its own,
 * its members are images, and its sums are theirs.
 *
 * Promises:
 *  - berkeley[] equals what binutils `size` (Berkeley format) prints for the same file.
 *  - every allocated byte is in exactly one class; cls_size[] sums to the allocated total,
 *    which is also berkeley text+data+bss.
 *  - the image owns everything it points to; kb_image_free() releases it all.
 */
#ifndef KB_IMAGE_H
#define KB_IMAGE_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

enum kb_class {
	KB_CLS_TEXT,
	KB_CLS_RODATA,
	KB_CLS_DATA,
	KB_CLS_BSS,
	KB_CLS_INIT, /* freed after boot: .init.*, .exit.*, or inside [__init_begin, __init_end) */
	KB_CLS_PERCPU, /* the per-CPU template: .data..percpu* */
	KB_CLS_OTHER, /* allocated but none of the above (notes, dynamic tables) */
	KB_CLS_NR
};

enum kb_berkeley { KB_BK_TEXT, KB_BK_DATA, KB_BK_BSS, KB_BK_NR };

const char *kb_class_name(enum kb_class c);
/* Returns the class named s, or -1. */
int kb_class_parse(const char *s);

struct kb_section {
	const char *name;
	size_t index; /* ELF section header index */
	uint64_t addr, size, offset, flags, align; /* ET_REL: addr as laid out, see .c */
	uint32_t type;
	int alloc; /* SHF_ALLOC: only these are size */
	enum kb_class cls; /* meaningful if alloc */
	enum kb_berkeley bk; /* meaningful if alloc */
	char nm; /* the lower-case letter nm prints for symbols in it */
	void *plain; /* a zstd-compressed section's contents, inflated by kbloat (owned) */
};

struct kb_sym {
	const char *name;
	uint64_t addr, size;
	size_t shndx; /* ELF section index after SHN_XINDEX; 0 if undefined/special */
	uint16_t raw_shndx; /* st_shndx as stored (SHN_ABS, SHN_COMMON, ...) */
	unsigned char type; /* STT_* */
	unsigned char bind; /* STB_* */
	char nm; /* what `nm` prints as its type, or 0 if nm --size-sort omits it */
};

struct kb_image {
	char *path;
	int fd;
	Elf *elf;
	unsigned char elfclass; /* ELFCLASS32 or ELFCLASS64 */
	unsigned char byteorder; /* ELFDATA2LSB or ELFDATA2MSB */
	uint16_t machine, etype;

	struct kb_section *secs; /* by ELF index; secs[0] is the null section */
	size_t nsecs;
	struct kb_sym *syms; /* .symtab entries 1..n-1, in table order */
	size_t nsyms;

	uint64_t berkeley[KB_BK_NR];
	uint64_t cls_size[KB_CLS_NR];
	uint64_t total; /* allocated bytes: sum of cls_size and of berkeley */
	int has_init_range; /* __init_begin/__init_end: freed after boot */
	uint64_t init_begin, init_end;
	int has_rodata_range; /* __start_rodata/__end_rodata */
	uint64_t rodata_begin, rodata_end;

	int compression; /* enum kb_compression of the file as read (KB_COMP_NONE: plain) */
	void *buf; /* the decompressed file, owned, if it was compressed */
	struct kb_image **members; /* an ar archive's members ("lib.a(foo.o)"), owned */
	size_t nmembers, amembers;
	int is_archive;
	int placed; /* kb_image_place_symbols() ran */
	Elf_Cmd cmd; /* what elf was opened with; an archive's members are opened alike */
};

/*
 * Opens path and reads its sections and symbol table. Errors (not an ELF, truncated,
 * corrupt section or symbol table, a truncated or corrupt compressed stream, one that
 * decompresses past the cap, an archive member that is not a sound ELF) return KB_ERR with
 * kb_error_last() naming the file (and the member: "lib.a(foo.o): not an ELF file").
 * An image without .symtab opens; its nsyms is 0 (callers decide if that is an error).
 */
int kb_image_open(struct kb_image **out, const char *path);
void kb_image_free(struct kb_image *img);

/* Same as kb_image_open, over a buffer the caller keeps alive until kb_image_free(). */
int kb_image_open_mem(struct kb_image **out, const char *name, const void *buf, size_t len);

const struct kb_section *kb_image_section_by_name(const struct kb_image *img, const char *name);

/* Bytes of a section's contents in the file (NULL for NOBITS or out of range). */
const void *kb_image_section_data(const struct kb_image *img, const struct kb_section *s,
				  size_t *len);

/* The whole contents of the allocated section name (*out set to it), or NULL: absent, not
 * allocated, NOBITS, empty or cut short in the file. */
const unsigned char *kb_image_alloc_bytes(const struct kb_image *img, const char *name,
					  const struct kb_section **out);

/* The n-byte (n <= 8) unsigned word at p, in the image's byte order. */
uint64_t kb_image_word(const struct kb_image *img, const unsigned char *p, unsigned n);

/* 1 if addr is in an allocated executable section or just at its end (an unwind table's
 * last entry is the end of the code). */
int kb_image_in_code(const struct kb_image *img, uint64_t addr);

/* The address a PREL32 field at addr holding v points at. */
static inline uint64_t kb_prel32(uint64_t addr, uint32_t v)
{
	return addr + (uint64_t)(int64_t)(int32_t)v;
}

/*
 * For a relocatable object (ET_REL), whose allocated sections the image lays out one after
 * another (secs[].addr), adds each symbol's section address to its value in the ELF symbol
 * table libelf holds, so that relocations applied from it (libdwarf's, to DWARF) give the
 * same addresses as the image. Changes the file's mapping (private, copy on write) or the
 * buffer given to kb_image_open_mem, never the file. Other images: nothing to do.
 */
int kb_image_place_symbols(struct kb_image *img);

/*
 * Decompresses img's SHF_COMPRESSED non-allocated sections (compressed DWARF: gcc -gz, ld
 * --compress-debug-sections) in place, so that their data and size are the plain ones, for
 * kb_image_section_data and for libelf's readers alike: zlib with libelf's elf_compress, zstd
 * (which libelf 0.188 does not know) with libzstd. Allocated sizes do not change. A section that claims more than
 * the decompression cap, or does not decompress, is an error naming the section.
 */
int kb_image_uncompress_sections(struct kb_image *img);

#endif
