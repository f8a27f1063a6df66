/*
 * fuzz_dwarf.c - libFuzzer target for the DWARF reader: an image (seeded with the fixtures,
 * which carry DWARF 4 and 5) whose debug sections libdwarf reads through kbloat's object
 * access interface. Errors are fine; crashes, leaks and out-of-bounds reads are not.
 */
#include "dwarf_attr.h"
#include "image.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct kb_image *img;
	struct kb_attr decl, cu;
	struct kb_dwarf_stats st;
	void *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	if (kb_image_open_mem(&img, "fuzz", copy, size) == 0) {
		kb_attr_init(&decl, KB_PROV_DWARF_DECL, KB_PROV_NONE);
		kb_attr_init(&cu, KB_PROV_NONE, KB_PROV_DWARF_CU);
		kb_dwarf_read(img, NULL, &decl, &cu, &st);
		kb_attr_release(&decl);
		kb_attr_release(&cu);
		kb_image_free(img);
	}
	free(copy);
	return 0;
}
