/*
 * fuzz_dwarf.c - libFuzzer target for the DWARF reader: an image (seeded with the fixtures,
 * which carry DWARF 4 and 5, and with tests/fuzz/seeds/elf: relocatable objects whose DWARF
 * libdwarf relocates, compressed debug sections, gzip/xz/zstd files, an archive of objects)
 * whose debug sections libdwarf reads, an archive's member by member. Errors are fine;
 * crashes, leaks and out-of-bounds reads are not.
 */
#include "dwarf_attr.h"
#include "image.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* a stream that inflates past this is an error, which is what a bomb must give */
	setenv("KBLOAT_DECOMPRESS_LIMIT", "16M", 1);
	return 0;
}

static void read_dwarf(struct kb_image *img)
{
	struct kb_attr decl, cu;
	struct kb_dwarf_stats st;
	size_t i;

	for (i = 0; i < img->nmembers; i++)
		read_dwarf(img->members[i]);
	kb_attr_init(&decl, KB_PROV_DWARF_DECL, KB_PROV_NONE);
	kb_attr_init(&cu, KB_PROV_NONE, KB_PROV_DWARF_CU);
	kb_dwarf_read(img, NULL, &decl, &cu, &st);
	kb_attr_release(&decl);
	kb_attr_release(&cu);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct kb_image *img;
	void *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	if (kb_image_open_mem(&img, "fuzz", copy, size) == 0) {
		read_dwarf(img);
		kb_image_free(img);
	}
	free(copy);
	return 0;
}
