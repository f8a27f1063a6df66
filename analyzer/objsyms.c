/*
 * objsyms.c - files for an image's bytes from its build directory's ELF objects; see
 * objsyms.h.
 *
 * kbuild's archives are thin (ar T): "!<thin>\n", then 60-byte member headers whose bodies
 * are not stored, except the symbol index ("/") and the long-name table ("//"); a member
 * named "/N" has its name at offset N of that table, ended by "/\n", relative to the
 * archive's directory.
 */
#include "objsyms.h"

#include "strbuf.h"
#include "strtab.h"
#include "xalloc.h"

#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AR_THIN "!<thin>\n"
#define AR_HDR 60

/* The image's defined symbols by name: the address of each name defined at one address. */
struct names {
	struct kb_strtab ids;
	uint64_t *addr;
	unsigned char *ambiguous;
	size_t n, alloc;
};

static void names_build(struct names *nm, const struct kb_image *img)
{
	size_t i;

	memset(nm, 0, sizeof(*nm));
	for (i = 0; i < img->nsyms; i++) {
		const struct kb_sym *s = &img->syms[i];
		uint32_t id;

		if (!s->shndx || !s->name[0])
			continue;
		id = kb_strtab_intern(&nm->ids, s->name, strlen(s->name), NULL);
		if (id >= nm->n) { /* a new name: ids are dense, id == nm->n */
			size_t old = nm->alloc;

			ALLOC_GROW(nm->addr, (size_t)id + 1, nm->alloc);
			if (nm->alloc > old)
				nm->ambiguous = xrealloc(nm->ambiguous, nm->alloc);
			nm->ambiguous[id] = 0;
			nm->addr[id] = s->addr;
			nm->n = (size_t)id + 1;
		} else if (nm->addr[id] != s->addr) {
			nm->ambiguous[id] = 1;
		}
	}
}

static int names_find(const struct names *nm, const char *name, uint64_t *addr)
{
	long id = kb_strtab_find(&nm->ids, name, strlen(name));

	if (id < 0 || nm->ambiguous[id])
		return 0;
	*addr = nm->addr[id];
	return 1;
}

static void names_release(struct names *nm)
{
	kb_strtab_release(&nm->ids);
	free(nm->addr);
	free(nm->ambiguous);
}

/* Whether [lo, hi) lies inside one allocated section of img. */
static int inside_one_section(const struct kb_image *img, uint64_t lo, uint64_t hi)
{
	size_t i;

	for (i = 1; i < img->nsecs; i++) {
		const struct kb_section *s = &img->secs[i];

		if (s->alloc && s->size && lo >= s->addr && hi <= s->addr + s->size && lo < hi)
			return 1;
	}
	return 0;
}

struct placing {
	struct kb_attr *out;
	const struct kb_image *img;
	const struct names *names;
	kb_objsyms_source_fn *source;
	void *ctx;
	struct kb_objsyms_stats *st;
};

/* Each input section of the ELF object at path that its symbols place in the image. */
static void place_object(struct placing *pl, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *elf;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Ehdr eh;
	uint64_t *base = NULL;
	unsigned char *state = NULL; /* 0 no anchor, 1 placed, 2 anchors disagree */
	size_t nsecs = 0, i;
	const char *file = NULL;

	if (fd < 0)
		return;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) || eh.e_type != ET_REL ||
	    elf_getshdrnum(elf, &nsecs) || !nsecs)
		goto out;
	pl->st->elf++;
	base = xcalloc(nsecs, sizeof(*base));
	state = xcalloc(nsecs, 1);
	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d;
		size_t n, k;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		n = d ? d->d_size / sh.sh_entsize : 0;
		for (k = 1; k < n; k++) {
			GElf_Sym sym;
			GElf_Shdr ts;
			Elf_Scn *tscn;
			const char *name;
			uint64_t addr;
			unsigned t;

			if (!gelf_getsym(d, (int)k, &sym))
				break;
			t = GELF_ST_TYPE(sym.st_info);
			/* a weak definition may have lost to another's: its name is not its place */
			if (GELF_ST_BIND(sym.st_info) == STB_WEAK || sym.st_shndx == SHN_UNDEF ||
			    sym.st_shndx >= SHN_LORESERVE || sym.st_shndx >= nsecs ||
			    (t != STT_NOTYPE && t != STT_OBJECT && t != STT_FUNC))
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !name[0] || !strncmp(name, ".L", 2) ||
			    !names_find(pl->names, name, &addr) || addr < sym.st_value)
				continue;
			tscn = elf_getscn(elf, sym.st_shndx);
			if (!tscn || !gelf_getshdr(tscn, &ts) || !(ts.sh_flags & SHF_ALLOC) ||
			    (ts.sh_flags & SHF_MERGE) || !ts.sh_size)
				continue;
			if (!state[sym.st_shndx]) {
				state[sym.st_shndx] = 1;
				base[sym.st_shndx] = addr - sym.st_value;
			} else if (base[sym.st_shndx] != addr - sym.st_value) {
				state[sym.st_shndx] = 2;
			}
		}
	}
	for (i = 1; i < nsecs; i++) {
		Elf_Scn *s = elf_getscn(elf, i);

		if (state[i] != 1 || !s || !gelf_getshdr(s, &sh) ||
		    base[i] + sh.sh_size < base[i] ||
		    !inside_one_section(pl->img, base[i], base[i] + sh.sh_size))
			continue;
		if (!file)
			file = pl->source(pl->ctx, path);
		kb_attr_add_span(pl->out, base[i], base[i] + sh.sh_size, file);
		pl->st->sections++;
	}
out:
	free(base);
	free(state);
	elf_end(elf);
	close(fd);
}

/* Calls place_object on each member of the thin archive at path. */
static void read_thin_archive(struct placing *pl, const char *path)
{
	struct strbuf ar = STRBUF_INIT, member = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	const char *ext = NULL;
	size_t ext_len = 0, pos = strlen(AR_THIN);

	if (strbuf_read_file(&ar, path) < 0 || ar.len < pos || memcmp(ar.buf, AR_THIN, pos))
		goto out;
	while (pos + AR_HDR <= ar.len) {
		const char *h = ar.buf + pos, *name = h, *end;
		char num[11];
		size_t size;

		memcpy(num, h + 48, 10);
		num[10] = 0;
		size = strtoul(num, NULL, 10);
		if (h[0] == '/' && (h[1] == ' ' || h[1] == '/' || !strncmp(h, "/SYM64/", 7))) {
			/* the symbol index or the long-name table: stored in the archive */
			if (h[1] == '/') {
				ext = h + AR_HDR;
				ext_len = size <= ar.len - pos - AR_HDR ? size : 0;
			}
			pos += AR_HDR + size + (size & 1);
			continue;
		}
		pos += AR_HDR; /* a thin archive stores no member's body */
		if (h[0] == '/') {
			size_t off = strtoul(h + 1, NULL, 10);

			if (!ext || off >= ext_len)
				continue;
			name = ext + off;
			end = memchr(name, '\n', ext_len - off);
			if (!end)
				continue;
		} else {
			end = memchr(name, '/', 16);
			if (!end)
				continue;
		}
		while (end > name && (end[-1] == '/' || end[-1] == '\n'))
			end--;
		pl->st->members++;
		strbuf_reset(&member);
		if (name[0] != '/' && slash)
			strbuf_add(&member, path, (size_t)(slash + 1 - path));
		strbuf_add(&member, name, (size_t)(end - name));
		place_object(pl, member.buf);
	}
out:
	strbuf_release(&ar);
	strbuf_release(&member);
}

void kb_objsyms_spans(struct kb_attr *out, const struct kb_image *img, const char *build,
		      kb_objsyms_source_fn *source, void *ctx, struct kb_objsyms_stats *st)
{
	/* what link-vmlinux.sh links: vmlinux.a, then KBUILD_VMLINUX_LIBS */
	static const char *const archives[] = { "vmlinux.a", "lib/lib.a", "arch/*/lib/lib.a" };
	struct strbuf sb = STRBUF_INIT;
	struct names nm;
	struct placing pl = { out, img, &nm, source, ctx, st };
	size_t i, k;

	memset(st, 0, sizeof(*st));
	names_build(&nm, img);
	for (i = 0; i < sizeof(archives) / sizeof(archives[0]); i++) {
		glob_t g;
		const char *c;

		strbuf_reset(&sb);
		/* the build directory's own path matched as it is: its *, ?, [ and \ escaped */
		for (c = build; *c; c++) {
			if (strchr("*?[\\", *c))
				strbuf_addch(&sb, '\\');
			strbuf_addch(&sb, *c);
		}
		strbuf_addf(&sb, "/%s", archives[i]);
		if (glob(sb.buf, 0, NULL, &g))
			continue;
		for (k = 0; k < g.gl_pathc; k++)
			read_thin_archive(&pl, g.gl_pathv[k]);
		globfree(&g);
	}
	kb_attr_sort(out);
	names_release(&nm);
	strbuf_release(&sb);
}
