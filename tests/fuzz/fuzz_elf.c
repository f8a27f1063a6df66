/*
 * fuzz_elf.c - libFuzzer target for the ELF reader: any bytes opened as an image, then
 * broken down (with the files derived from what its tables and code point at) and diffed
 * against themselves. Must never crash, leak or read out of bounds, and a breakdown that
 * builds must sum to the image total. The bytes are also written to a
 * file and opened the way `kbloat size` opens an image (kb_image_open: a descriptor,
 * elf_begin with ELF_C_READ_MMAP_PRIVATE): both paths must agree. Seeds in tests/fuzz/seeds/elf
 * add gzip/xz/zstd files, relocatable objects, an ar archive and a bzImage; the file is also
 * read as a boot image, whose payload must lie within it. An image whose kallsyms table
 * decodes (kb_ksyms_decode, as `kbloat modular` reads it) gives entries within its names,
 * and learning its tokens again (the self-check and a relearn) keeps every name.
 */
#include "bloatometer.h"
#include "bootimage.h"
#include "breakdown.h"
#include "derived.h"
#include "image.h"
#include "kallsyms.h"
#include "error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* gzip/xz/zstd inputs: one that inflates past this is an error, as a bomb must be */
	setenv("KBLOAT_DECOMPRESS_LIMIT", "16M", 1);
	return 0;
}

/* An image's breakdown sums to its total; an archive's members each do, and they sum to it. */
static uint64_t check_breakdown(const struct kb_image *img)
{
	struct kb_breakdown *bd;
	uint64_t sum = 0;
	size_t i;

	if (img->is_archive) {
		for (i = 0; i < img->nmembers; i++)
			sum += check_breakdown(img->members[i]);
		if (sum != img->total)
			abort();
		return sum;
	}
	if (kb_breakdown_build(&bd, img) == 0) {
		/* with the files derived from what its tables and code point at */
		struct kb_derived d;
		struct kb_attr cu;

		kb_derived_init(&d);
		kb_attr_init(&cu, KB_PROV_NONE, KB_PROV_DWARF_CU);
		kb_derived_attribute(&d, bd, &cu);
		kb_breakdown_finish(bd);
		for (i = 0; i < bd->nrows; i++)
			sum += bd->rows[i].bytes;
		if (bd->total != img->total || sum != img->total)
			abort();
		kb_breakdown_free(bd);
		kb_derived_release(&d);
		kb_attr_release(&cu);
	}
	return img->total;
}

/* A kallsyms table that decodes holds its entries within its names; learning it again keeps
 * every name, whether it gives the same table back or not. */
static void check_kallsyms(const struct kb_image *img)
{
	struct kb_ksyms *k;
	struct kb_ksyms_learnt lt;
	uint64_t sum;
	size_t i;
	int absolute_percpu;

	for (absolute_percpu = 0; absolute_percpu < 2; absolute_percpu++) {
		if (img->is_archive || kb_ksyms_decode(&k, img, absolute_percpu)) {
			kb_error_clear();
			return;
		}
		for (sum = 0, i = 0; i < k->n; i++) {
			if (!k->v[i].bytes || !k->v[i].len ||
			    k->v[i].name + k->v[i].len >= k->names_len || k->v[i].off != sum)
				abort();
			sum += k->v[i].bytes;
		}
		if (sum != k->names_bytes)
			abort();
		if (!absolute_percpu) { /* the learning does not read the addresses */
			kb_ksyms_check(k);
			kb_error_clear();
			kb_ksyms_learn(k, NULL, &lt);
			if (lt.n != k->n || (k->n && !lt.token_bytes))
				abort();
		}
		kb_ksyms_free(k);
	}
}

/* The image's total through the file path, or -1 if it is refused there. */
static int64_t total_from_file(const unsigned char *data, size_t size)
{
	char path[] = "/tmp/fuzz_elf.XXXXXX";
	struct kb_image *img;
	int64_t total = -1;
	int fd = mkstemp(path);

	if (fd < 0)
		abort();
	if (write(fd, data, size) == (ssize_t)size && !kb_image_open(&img, path)) {
		total = (int64_t)img->total;
		kb_image_free(img);
	}
	if (lseek(fd, 0, SEEK_SET) == 0) {
		/* the same bytes as a boot image (collect --boot-image reads it from a file) */
		struct kb_boot_image bi;

		if (!kb_boot_image_read(&bi, path) &&
		    (bi.bytes != size || (bi.has_payload && bi.payload > bi.bytes)))
			abort();
	}
	close(fd);
	unlink(path);
	return total;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	int64_t from_file = total_from_file(data, size);
	struct kb_image *img;
	struct kb_bom b;
	void *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	if (kb_image_open_mem(&img, "fuzz", copy, size) != 0) {
		if (from_file != -1)
			abort(); /* the file path took what memory refused */
	} else {
		if (from_file != (int64_t)img->total)
			abort(); /* both paths read the same image */
		check_breakdown(img);
		check_kallsyms(img);
		kb_bom_compute(&b, img, img, KB_BOM_ALL);
		if (b.up || b.down)
			abort();
		kb_bom_release(&b);
		kb_image_free(img);
	}
	free(copy);
	return 0;
}
