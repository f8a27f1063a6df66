/*
 * image.c - open an ELF image with libelf, classify its sections, read its symbol table.
 *
 * The Berkeley split follows binutils size(1) exactly: an allocated section is text if it is
 * executable or read-only, else data if it has contents, else bss. The nm letters follow
 * bfd_decode_symclass() (binutils syms.c), so that the diff engine can reproduce
 * scripts/bloat-o-meter, which reads `nm --size-sort`.
 */
#include "image.h"

#include "decompress.h"
#include "error.h"
#include "files.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ar.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const class_names[KB_CLS_NR] = {
	[KB_CLS_TEXT] = "text",	  [KB_CLS_RODATA] = "rodata", [KB_CLS_DATA] = "data",
	[KB_CLS_BSS] = "bss",	  [KB_CLS_INIT] = "init",     [KB_CLS_PERCPU] = "percpu",
	[KB_CLS_OTHER] = "other",
};

const char *kb_class_name(enum kb_class c)
{
	return (unsigned)c < KB_CLS_NR ? class_names[c] : "?";
}

int kb_class_parse(const char *s)
{
	int i;

	for (i = 0; i < KB_CLS_NR; i++)
		if (!strcmp(s, class_names[i]))
			return i;
	return -1;
}

static int has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/*
 * binutils syms.c coff_section_type() (2.40): the PE names it still maps, as a name prefix
 * ended by '.', '$', a digit or NUL. Older binutils mapped ".init" and ".data" here too,
 * which made nm print 't' for .init.data; 2.40 goes by the section flags.
 */
static char coff_section_type(const char *name)
{
	static const struct {
		const char *name;
		char type;
	} stt[] = {
		{ ".drectve", 'i' },
		{ ".edata", 'e' },
		{ ".idata", 'i' },
		{ ".pdata", 'p' },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stt); i++) {
		size_t len = strlen(stt[i].name);

		if (!strncmp(name, stt[i].name, len) && memchr(".$0123456789", name[len], 13))
			return stt[i].type;
	}
	return '?';
}

/* binutils syms.c decode_section_type(), with BFD's ELF section flags. */
static char section_nm_letter(const struct kb_section *s)
{
	char c = coff_section_type(s->name);
	int has_contents = s->type != SHT_NOBITS;
	int readonly = !(s->flags & SHF_WRITE);

	if (c != '?')
		return c;
	if (s->flags & SHF_EXECINSTR)
		return 't';
	if (s->alloc && has_contents) /* SEC_DATA: loaded and not code */
		return readonly ? 'r' : 'd';
	if (!has_contents)
		return 'b';
	if (has_prefix(s->name, ".debug") || has_prefix(s->name, ".zdebug") ||
	    has_prefix(s->name, ".gnu.linkonce.wi.") || has_prefix(s->name, ".line") ||
	    has_prefix(s->name, ".stab") || !strcmp(s->name, ".gdb_index"))
		return 'N';
	if (readonly)
		return 'n';
	return '?';
}

static enum kb_class section_class(const struct kb_image *img, const struct kb_section *s)
{
	if (has_prefix(s->name, ".data..percpu"))
		return KB_CLS_PERCPU;
	if (has_prefix(s->name, ".init.") || has_prefix(s->name, ".exit."))
		return KB_CLS_INIT;
	if (img->has_init_range && s->size && s->addr >= img->init_begin &&
	    s->addr + s->size <= img->init_end)
		return KB_CLS_INIT;
	if (s->flags & SHF_EXECINSTR)
		return KB_CLS_TEXT;
	if (s->type == SHT_NOBITS)
		return KB_CLS_BSS;
	/*
	 * A kernel's read-only data is writable until mark_rodata_ro() (x86 links .rodata WA):
	 * go by name and by the [__start_rodata, __end_rodata) range rather than by flags.
	 */
	if (has_prefix(s->name, ".rodata"))
		return KB_CLS_RODATA;
	if (img->has_rodata_range && s->addr >= img->rodata_begin &&
	    s->addr + s->size <= img->rodata_end)
		return KB_CLS_RODATA;
	switch (s->type) {
	case SHT_PROGBITS:
		return (s->flags & SHF_WRITE) ? KB_CLS_DATA : KB_CLS_RODATA;
	case SHT_INIT_ARRAY:
	case SHT_FINI_ARRAY:
	case SHT_PREINIT_ARRAY:
		return KB_CLS_DATA;
	default:
		return KB_CLS_OTHER;
	}
}

static enum kb_berkeley section_berkeley(const struct kb_section *s)
{
	if ((s->flags & SHF_EXECINSTR) || !(s->flags & SHF_WRITE))
		return KB_BK_TEXT;
	if (s->type != SHT_NOBITS)
		return KB_BK_DATA;
	return KB_BK_BSS;
}

/* bfd_decode_symclass() for an ELF symbol; 0 where nm --size-sort would not list it. */
static char sym_nm_letter(const struct kb_image *img, const GElf_Sym *es, size_t shndx)
{
	unsigned type = GELF_ST_TYPE(es->st_info), bind = GELF_ST_BIND(es->st_info);
	char c;

	if (type == STT_SECTION || type == STT_FILE)
		return 0; /* BSF_DEBUGGING */
	if (es->st_shndx == SHN_UNDEF)
		return 0;
	if (es->st_shndx == SHN_COMMON)
		return 'C';
	if (!shndx || shndx >= img->nsecs)
		return 0; /* bfd_abs_section: omitted by --size-sort */
	if (img->secs[shndx].type == SHT_NULL)
		return 0;
	if (type == STT_GNU_IFUNC)
		return 'i';
	if (bind == STB_WEAK)
		return (type == STT_OBJECT || type == STT_COMMON) ? 'V' : 'W';
	if (bind == STB_GNU_UNIQUE)
		return 'u';
	if (bind != STB_LOCAL && bind != STB_GLOBAL)
		return '?';
	c = img->secs[shndx].nm;
	if (bind == STB_GLOBAL && c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	return c;
}

static int read_sections(struct kb_image *img, uint64_t file_size)
{
	size_t shnum, shstrndx, i;
	Elf_Scn *scn = NULL;

	if (elf_getshdrnum(img->elf, &shnum) || elf_getshdrstrndx(img->elf, &shstrndx))
		return kb_error_set("%s: corrupt section header table: %s", img->path,
				    elf_errmsg(-1));
	if (shnum == 0)
		return kb_error_set("%s: no section headers", img->path);
	img->secs = xcalloc(shnum, sizeof(*img->secs));
	img->nsecs = shnum;
	img->secs[0].name = "";
	while ((scn = elf_nextscn(img->elf, scn))) {
		struct kb_section *s;
		GElf_Shdr sh;
		const char *name;

		i = elf_ndxscn(scn);
		if (i >= shnum || !gelf_getshdr(scn, &sh))
			return kb_error_set("%s: corrupt section header %zu: %s", img->path, i,
					    elf_errmsg(-1));
		name = elf_strptr(img->elf, shstrndx, sh.sh_name);
		if (!name)
			return kb_error_set(
				"%s: section %zu: name outside the section string table", img->path,
				i);
		s = &img->secs[i];
		s->name = name;
		s->index = i;
		s->addr = sh.sh_addr;
		s->size = sh.sh_size;
		s->offset = sh.sh_offset;
		s->flags = sh.sh_flags;
		s->align = sh.sh_addralign;
		s->type = sh.sh_type;
		s->alloc = !!(sh.sh_flags & SHF_ALLOC);
		if (s->alloc && s->addr + s->size < s->addr)
			return kb_error_set(
				"%s: corrupt section header: section %s wraps around the "
				"address space",
				img->path, name);
		if (s->type != SHT_NOBITS && s->type != SHT_NULL &&
		    (s->offset > file_size || s->size > file_size - s->offset))
			return kb_error_set(
				"%s: truncated or corrupt: section %s ends past the end "
				"of the file",
				img->path, name);
	}
	return 0;
}

static int read_symbols(struct kb_image *img)
{
	Elf_Scn *scn = NULL, *symscn = NULL, *xscn = NULL;
	Elf_Data *data, *xdata = NULL;
	GElf_Shdr sh;
	size_t n, i, link = 0;

	while ((scn = elf_nextscn(img->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB && !symscn) {
			symscn = scn;
			link = sh.sh_link;
		} else if (sh.sh_type == SHT_SYMTAB_SHNDX && !xscn) {
			xscn = scn;
		}
	}
	if (!symscn)
		return 0;
	gelf_getshdr(symscn, &sh);
	if (!sh.sh_entsize || sh.sh_entsize != gelf_fsize(img->elf, ELF_T_SYM, 1, EV_CURRENT) ||
	    link == 0 || link >= img->nsecs || img->secs[link].type != SHT_STRTAB)
		return kb_error_set("%s: corrupt symbol table header", img->path);
	data = elf_getdata(symscn, NULL);
	if (!data)
		return kb_error_set("%s: cannot read the symbol table: %s", img->path,
				    elf_errmsg(-1));
	if (xscn)
		xdata = elf_getdata(xscn, NULL);
	n = sh.sh_size / sh.sh_entsize;
	if (n < 2)
		return 0;
	img->syms = xcalloc(n - 1, sizeof(*img->syms));
	for (i = 1; i < n; i++) {
		struct kb_sym *ks = &img->syms[img->nsyms];
		Elf32_Word xndx = 0;
		GElf_Sym es;
		size_t shndx;

		if (!gelf_getsymshndx(data, xdata, (int)i, &es, &xndx))
			return kb_error_set("%s: corrupt symbol table entry %zu", img->path, i);
		ks->name = elf_strptr(img->elf, link, es.st_name);
		if (!ks->name)
			return kb_error_set("%s: symbol %zu: name outside the string table",
					    img->path, i);
		shndx = es.st_shndx == SHN_XINDEX ? xndx : es.st_shndx;
		if (es.st_shndx >= SHN_LORESERVE && es.st_shndx != SHN_XINDEX)
			shndx = 0;
		ks->addr = es.st_value;
		ks->size = es.st_size;
		ks->shndx = shndx < img->nsecs ? shndx : 0;
		ks->raw_shndx = es.st_shndx;
		ks->type = GELF_ST_TYPE(es.st_info);
		ks->bind = GELF_ST_BIND(es.st_info);
		ks->nm = sym_nm_letter(img, &es, shndx);
		img->nsyms++;
	}
	return 0;
}

/* The kernel's linker-script markers that delimit the init and read-only data regions. */
static void find_kernel_ranges(struct kb_image *img)
{
	static const char *const names[] = { "__init_begin", "__init_end", "__start_rodata",
					     "__end_rodata" };
	uint64_t val[4] = { 0 };
	int have[4] = { 0 };
	size_t i, k;

	for (i = 0; i < img->nsyms; i++) {
		const struct kb_sym *s = &img->syms[i];

		if (s->name[0] != '_' || s->name[1] != '_')
			continue;
		for (k = 0; k < ARRAY_SIZE(names); k++) {
			if (!strcmp(s->name, names[k])) {
				val[k] = s->addr;
				have[k] = 1;
			}
		}
	}
	img->has_init_range = have[0] && have[1] && val[0] < val[1];
	img->init_begin = val[0];
	img->init_end = val[1];
	img->has_rodata_range = have[2] && have[3] && val[2] < val[3];
	img->rodata_begin = val[2];
	img->rodata_end = val[3];
}

/*
 * Sums the sections by class. Every sum is kept below 2^63, so that it reads the same as the
 * int64 the store and JSON hold: a bss of 2^63 bytes is a corrupt header, not a total.
 */
static int classify(struct kb_image *img)
{
	const uint64_t max = INT64_MAX;
	size_t i;

	for (i = 1; i < img->nsecs; i++) {
		struct kb_section *s = &img->secs[i];

		if (!s->alloc)
			continue;
		s->cls = section_class(img, s);
		s->bk = section_berkeley(s);
		if (s->size > max - img->total)
			return kb_error_set("%s: corrupt section header: section %s (%llu bytes) "
					    "takes the image's size past 2^63 bytes",
					    img->path, s->name, (unsigned long long)s->size);
		/* each class and Berkeley sum is at most the total */
		img->cls_size[s->cls] += s->size;
		img->berkeley[s->bk] += s->size;
		img->total += s->size;
	}
	return 0;
}

/*
 * A relocatable object's (.o, .ko) allocated sections all start at address 0: they are laid
 * out one after another in section-table order, each at its alignment, as a linker without
 * a script would place them, so that every allocated byte has an address of its own (a
 * symbol's address is its section's plus its value, as breakdown.c computes it).
 */
static int layout_relocatable(struct kb_image *img)
{
	uint64_t at = 0;
	size_t i;

	for (i = 1; i < img->nsecs; i++) {
		struct kb_section *s = &img->secs[i];
		uint64_t align = s->align > 1 ? s->align : 1;

		if (!s->alloc)
			continue;
		if (align & (align - 1) || at > UINT64_MAX - align ||
		    ((at + align - 1) & ~(align - 1)) > UINT64_MAX - s->size)
			return kb_error_set("%s: corrupt section header: section %s cannot be "
					    "placed (alignment %llu, %llu bytes)",
					    img->path, s->name, (unsigned long long)s->align,
					    (unsigned long long)s->size);
		at = (at + align - 1) & ~(align - 1);
		s->addr = at;
		at += s->size;
	}
	return 0;
}

int kb_image_place_symbols(struct kb_image *img)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t i, n;

	if (img->etype != ET_REL || img->placed)
		return 0;
	while ((scn = elf_nextscn(img->elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			break;
	if (!scn || !sh.sh_entsize)
		return 0;
	img->placed = 1;
	n = sh.sh_size / sh.sh_entsize;
	for (i = 1; i < n; i++) {
		Elf_Data *d = elf_getdata(scn, NULL);
		GElf_Sym es;

		if (!d || !gelf_getsym(d, (int)i, &es))
			return kb_error_set("%s: corrupt symbol table entry %zu", img->path, i);
		/* a symbol of a section past SHN_LORESERVE (SHN_XINDEX, an object of 65,280
		 * sections or more) keeps its value: its DWARF addresses stay section-relative */
		if (es.st_shndx == SHN_UNDEF || es.st_shndx >= SHN_LORESERVE ||
		    es.st_shndx >= img->nsecs || !img->secs[es.st_shndx].alloc)
			continue;
		es.st_value += img->secs[es.st_shndx].addr;
		if (!gelf_update_sym(d, (int)i, &es))
			return kb_error_set("%s: cannot update symbol %zu: %s", img->path, i,
					    elf_errmsg(-1));
	}
	return 0;
}

static int image_load(struct kb_image *img, uint64_t file_size)
{
	GElf_Ehdr eh;
	size_t i;

	if (!img->elf || elf_kind(img->elf) != ELF_K_ELF)
		return kb_error_set("%s: not an ELF file", img->path);
	if (!gelf_getehdr(img->elf, &eh))
		return kb_error_set("%s: corrupt ELF header: %s", img->path, elf_errmsg(-1));
	img->elfclass = eh.e_ident[EI_CLASS];
	img->byteorder = eh.e_ident[EI_DATA];
	img->machine = eh.e_machine;
	img->etype = eh.e_type;
	if (eh.e_shoff > file_size ||
	    (uint64_t)eh.e_shnum * eh.e_shentsize > file_size - eh.e_shoff)
		return kb_error_set("%s: truncated or corrupt: the section header table ends past "
				    "the end of the file (%llu bytes)",
				    img->path, (unsigned long long)file_size);
	if (read_sections(img, file_size))
		return KB_ERR;
	if (img->etype == ET_REL && layout_relocatable(img))
		return KB_ERR;
	for (i = 1; i < img->nsecs; i++)
		img->secs[i].nm = section_nm_letter(&img->secs[i]);
	if (read_symbols(img))
		return KB_ERR;
	find_kernel_ranges(img);
	return classify(img);
}

static struct kb_image *image_new(const char *path)
{
	struct kb_image *img = xcalloc(1, sizeof(*img));

	img->path = xstrdup(path);
	img->fd = -1;
	img->cmd = ELF_C_READ_MMAP; /* what elf_memory() opens with */
	return img;
}

/* Adds a member's sums to its archive's, every sum kept below 2^63 as classify() keeps it. */
static int archive_add(struct kb_image *ar, const struct kb_image *m)
{
	int i;

	if (m->total > (uint64_t)INT64_MAX - ar->total)
		return kb_error_set("%s: its members' sizes sum past 2^63 bytes", ar->path);
	for (i = 0; i < KB_CLS_NR; i++)
		ar->cls_size[i] += m->cls_size[i];
	for (i = 0; i < KB_BK_NR; i++)
		ar->berkeley[i] += m->berkeley[i];
	ar->total += m->total;
	return 0;
}

/*
 * An ar archive: libelf's elf_begin on the archive walks its members (the symbol index and
 * the long-name table are not members); each is read as an image of its own.
 */
static int archive_load(struct kb_image *img, uint64_t size)
{
	struct strbuf name = STRBUF_INIT;
	Elf_Cmd cmd = img->cmd;
	Elf *m;
	int rc = KB_ERR;

	img->is_archive = 1;
	if (size <= SARMAG) /* "!<arch>\n" and nothing else: no members */
		return 0;
	while ((m = elf_begin(img->fd, cmd, img->elf))) {
		/* the archive's header of this member: elf_next() moves it on to the next */
		Elf_Arhdr *h = elf_getarhdr(m);
		struct kb_image *mi;

		if (!h || !h->ar_name) {
			elf_end(m);
			kb_error_set("%s: corrupt archive member header: %s", img->path,
				     elf_errmsg(-1));
			goto out;
		}
		/* the symbol index ("/", "/SYM64/") is not a member that holds code */
		if (h->ar_name[0] == '/') {
			cmd = elf_next(m);
			elf_end(m);
		} else {
			strbuf_reset(&name);
			strbuf_addf(&name, "%s(%s)", img->path, h->ar_name);
			mi = image_new(name.buf);
			mi->elf = m;
			mi->cmd = img->cmd;
			ALLOC_GROW(img->members, img->nmembers + 1, img->amembers);
			img->members[img->nmembers++] = mi;
			if (image_load(mi, (uint64_t)h->ar_size) || archive_add(img, mi))
				goto out;
			cmd = elf_next(m);
		}
		if (cmd == ELF_C_NULL) { /* that was the last member */
			rc = 0;
			goto out;
		}
	}
	/* elf_begin found no member where elf_next said one would be */
	kb_error_set("%s: truncated or corrupt archive after %zu member%s: %s", img->path,
		     img->nmembers, img->nmembers == 1 ? "" : "s", elf_errmsg(-1));
out:
	strbuf_release(&name);
	return rc;
}

/* The file or buffer as libelf sees it: an ELF image or an archive of them. */
static int image_begin(struct kb_image *img, uint64_t size)
{
	if (img->elf && elf_kind(img->elf) == ELF_K_AR)
		return archive_load(img, size);
	return image_load(img, size);
}

/*
 * Decompresses a compressed file into img->buf and opens that from memory; KB_ENOTFOUND if
 * [p, p + len) is not compressed.
 */
static int image_uncompress(struct kb_image *img, const void *p, size_t len, size_t *outlen)
{
	enum kb_compression c = kb_compression_sniff(p, len);
	uint64_t limit;

	if (c == KB_COMP_NONE)
		return KB_ENOTFOUND;
	if (kb_decompress_limit(&limit) ||
	    kb_decompress(&img->buf, outlen, p, len, c, limit, img->path))
		return KB_ERR;
	img->compression = c;
	img->elf = elf_memory(img->buf, *outlen);
	return 0;
}

int kb_image_open(struct kb_image **out, const char *path)
{
	struct kb_image *img;
	struct stat st;
	size_t len = 0;
	void *map;
	int rc;

	*out = NULL;
	elf_version(EV_CURRENT);
	img = image_new(path);
	img->fd = kb_open_regular(path);
	if (img->fd < 0) {
		kb_error_set("%s: %s", path, kb_strerror(errno));
		goto fail;
	}
	if (fstat(img->fd, &st)) { /* kb_open_regular refused all but a regular file */
		kb_error_set("%s: %s", path, strerror(errno));
		goto fail;
	}
	map = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, img->fd, 0) :
			   MAP_FAILED;
	rc = KB_ENOTFOUND;
	if (map != MAP_FAILED) {
		rc = image_uncompress(img, map, (size_t)st.st_size, &len);
		munmap(map, (size_t)st.st_size);
	}
	if (rc == KB_ERR)
		goto fail;
	if (rc == 0) { /* read from memory: the descriptor is not the image's */
		close(img->fd);
		img->fd = -1;
	} else {
		/* private: kb_image_place_symbols may write symbol values (copy on write) */
		img->cmd = ELF_C_READ_MMAP_PRIVATE;
		img->elf = elf_begin(img->fd, img->cmd, NULL);
		len = (size_t)st.st_size;
	}
	if (image_begin(img, len))
		goto fail;
	*out = img;
	return 0;
fail:
	kb_image_free(img);
	return KB_ERR;
}

int kb_image_open_mem(struct kb_image **out, const char *name, const void *buf, size_t len)
{
	struct kb_image *img;
	int rc;

	*out = NULL;
	elf_version(EV_CURRENT);
	img = image_new(name);
	rc = image_uncompress(img, buf, len, &len);
	if (rc == KB_ENOTFOUND)
		img->elf = elf_memory((char *)buf, len);
	if (rc == KB_ERR || image_begin(img, len)) {
		kb_image_free(img);
		return KB_ERR;
	}
	*out = img;
	return 0;
}

void kb_image_free(struct kb_image *img)
{
	size_t i;

	if (!img)
		return;
	for (i = 0; i < img->nmembers; i++) /* before the archive: they hold on to it */
		kb_image_free(img->members[i]);
	free(img->members);
	if (img->elf)
		elf_end(img->elf);
	if (img->fd >= 0)
		close(img->fd);
	free(img->buf);
	for (i = 0; img->secs && i < img->nsecs; i++)
		free(img->secs[i].plain);
	free(img->secs);
	free(img->syms);
	free(img->path);
	free(img);
}

#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD 2 /* the gABI's; elfutils 0.189 and later know it, Debian 12's 0.188 not */
#endif

/*
 * A zstd-compressed section (ld --compress-debug-sections=zstd, the kernel's
 * CONFIG_DEBUG_INFO_COMPRESSED_ZSTD), which libelf 0.188 cannot inflate: kbloat inflates it
 * with libzstd and hands the contents to libelf's Elf_Data and section header (so libdwarf's
 * libelf reader sees them) and keeps them in s->plain (for the object access interface).
 */
static int uncompress_zstd(struct kb_image *img, struct kb_section *s, Elf_Scn *scn,
			   const GElf_Chdr *ch)
{
	size_t hdr = gelf_fsize(img->elf, ELF_T_CHDR, 1, EV_CURRENT), len;
	Elf_Data *raw = elf_rawdata(scn, NULL), *d;
	struct strbuf name = STRBUF_INIT;
	GElf_Shdr sh;
	void *buf;
	int rc;

	if (!raw || !raw->d_buf || raw->d_size < hdr)
		return kb_error_set("%s: section %s: truncated compression header", img->path,
				    s->name);
	strbuf_addf(&name, "%s: section %s", img->path, s->name);
	rc = kb_decompress(&buf, &len, (const char *)raw->d_buf + hdr, raw->d_size - hdr,
			   KB_COMP_ZSTD, ch->ch_size, name.buf);
	strbuf_release(&name);
	if (rc)
		return KB_ERR;
	if (len != ch->ch_size) {
		free(buf);
		return kb_error_set("%s: section %s: %zu bytes inflated, its header says %llu",
				    img->path, s->name, len, (unsigned long long)ch->ch_size);
	}
	d = elf_getdata(scn, NULL);
	if (!d || !gelf_getshdr(scn, &sh)) {
		free(buf);
		return kb_error_set("%s: section %s: %s", img->path, s->name, elf_errmsg(-1));
	}
	d->d_buf = buf;
	d->d_size = len;
	d->d_type = ELF_T_BYTE;
	d->d_align = ch->ch_addralign ? ch->ch_addralign : 1;
	sh.sh_flags &= ~(uint64_t)SHF_COMPRESSED;
	sh.sh_size = len;
	sh.sh_addralign = ch->ch_addralign;
	s->plain = buf;
	s->size = len;
	s->flags = sh.sh_flags;
	if (!gelf_update_shdr(scn, &sh))
		return kb_error_set("%s: section %s: %s", img->path, s->name, elf_errmsg(-1));
	return 0;
}

int kb_image_uncompress_sections(struct kb_image *img)
{
	uint64_t limit;
	size_t i;

	for (i = 1; i < img->nsecs; i++) {
		struct kb_section *s = &img->secs[i];
		Elf_Scn *scn;
		GElf_Chdr ch;
		GElf_Shdr sh;

		if (s->alloc || !(s->flags & SHF_COMPRESSED) || s->type == SHT_NOBITS)
			continue;
		if (kb_decompress_limit(&limit))
			return KB_ERR;
		scn = elf_getscn(img->elf, s->index);
		if (!scn || !gelf_getchdr(scn, &ch))
			return kb_error_set("%s: section %s: corrupt compression header: %s",
					    img->path, s->name, elf_errmsg(-1));
		if (ch.ch_size > limit)
			return kb_error_set("%s: section %s decompresses to %llu bytes, more "
					    "than %llu (KBLOAT_DECOMPRESS_LIMIT)",
					    img->path, s->name, (unsigned long long)ch.ch_size,
					    (unsigned long long)limit);
		if (ch.ch_type == ELFCOMPRESS_ZSTD) {
			if (uncompress_zstd(img, s, scn, &ch))
				return KB_ERR;
			continue;
		}
		if (elf_compress(scn, 0, 0) < 0 || !gelf_getshdr(scn, &sh))
			return kb_error_set("%s: section %s: cannot decompress: %s", img->path,
					    s->name, elf_errmsg(-1));
		s->size = sh.sh_size;
		s->flags = sh.sh_flags;
	}
	return 0;
}

const struct kb_section *kb_image_section_by_name(const struct kb_image *img, const char *name)
{
	size_t i;

	for (i = 1; i < img->nsecs; i++)
		if (!strcmp(img->secs[i].name, name))
			return &img->secs[i];
	return NULL;
}

const void *kb_image_section_data(const struct kb_image *img, const struct kb_section *s,
				  size_t *len)
{
	Elf_Scn *scn;
	Elf_Data *d;

	*len = 0;
	if (s->plain) {
		*len = s->size;
		return s->plain;
	}
	if (s->type == SHT_NOBITS || !(scn = elf_getscn(img->elf, s->index)))
		return NULL;
	d = elf_rawdata(scn, NULL);
	if (!d || !d->d_buf)
		return NULL;
	*len = d->d_size;
	return d->d_buf;
}

const unsigned char *kb_image_alloc_bytes(const struct kb_image *img, const char *name,
					  const struct kb_section **out)
{
	const struct kb_section *s = kb_image_section_by_name(img, name);
	const unsigned char *p;
	size_t len = 0;

	if (!s || !s->alloc || s->type == SHT_NOBITS || !s->size)
		return NULL;
	p = kb_image_section_data(img, s, &len);
	if (!p || len < s->size)
		return NULL;
	*out = s;
	return p;
}

uint64_t kb_image_word(const struct kb_image *img, const unsigned char *p, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[img->byteorder == ELFDATA2MSB ? n - 1 - i : i] << (8 * i);
	return v;
}

int kb_image_in_code(const struct kb_image *img, uint64_t addr)
{
	size_t i;

	for (i = 1; i < img->nsecs; i++) {
		const struct kb_section *s = &img->secs[i];

		if (s->alloc && (s->flags & SHF_EXECINSTR) && addr - s->addr <= s->size)
			return 1;
	}
	return 0;
}
