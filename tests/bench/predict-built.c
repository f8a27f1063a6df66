/*
 * predict-built SRC BASE BUILT-CONFIG - the modular analysis' prediction of the code and data
 * of a kernel built from BASE (a build directory of the tree SRC) with the (1) candidates that
 * BUILT-CONFIG (the .config of that build) has at =m, and only those: the README's "prediction
 * checked" rows whose build has fewer candidates at =m than the analysis of today (a fragment
 * of before a rule was added). Prints the code and data now, the candidates' objects' code and
 * data, the kallsyms table's relearnt term for exactly those objects leaving (0 when the table
 * cannot be relearnt) and the prediction. Not a test: run by hand against real builds.
 */
#include "analysis.h"
#include "dotconfig.h"
#include "error.h"
#include "modular.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct strbuf image = STRBUF_INIT, map = STRBUF_INIT;
	struct kb_analysis_opts ao = { 0 };
	struct kb_modular_opts mo = { 0 };
	struct kb_analysis *a = NULL;
	struct kb_modular *m = NULL;
	struct kb_kconfig built = { 0 };
	unsigned char *leaves;
	uint64_t code, gone = 0;
	int64_t relearnt = 0;
	size_t i, nopts = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: predict-built SRC BASE BUILT-CONFIG\n");
		return 2;
	}
	strbuf_addf(&image, "%s/vmlinux", argv[2]);
	strbuf_addf(&map, "%s/vmlinux.map", argv[2]);
	ao.map = map.buf;
	ao.src = argv[1];
	ao.obj = argv[2];
	ao.no_dwarf = 1;
	mo.src = argv[1];
	mo.build = argv[2];
	if (kb_kconfig_read_dotconfig(&built, argv[3]) || kb_analysis_run(&a, image.buf, &ao) ||
	    !(mo.bd = a->bd) || kb_modular_run(&m, &mo) || !m->have_code) {
		fprintf(stderr, "predict-built: %s\n", kb_error_last());
		return 2;
	}
	leaves = xcalloc(m->nobjs, 1);
	for (i = 0; i < m->nopts; i++) {
		const char *v = kb_kconfig_get(&built, m->opts[i].name);

		nopts += m->opts[i].candidate == 1 && m->opts[i].cat == KB_MOD_TRISTATE && v &&
			 !strcmp(v, "m");
	}
	for (i = 0; i < m->nobjs; i++) {
		const struct kb_mod_obj *o = &m->objs[i];
		const struct kb_mod_opt *p = o->owner >= 0 ? &m->opts[o->owner] : NULL;
		const char *v = p ? kb_kconfig_get(&built, p->name) : NULL;

		if (p && p->candidate == 1 && o->cat == KB_MOD_TRISTATE && v && !strcmp(v, "m")) {
			leaves[i] = 1;
			gone += o->bytes - o->pad + (uint64_t)o->kshare + (uint64_t)o->tshare;
		}
	}
	if (m->ks_relearnt && kb_modular_kallsyms_relearn(m, leaves, &relearnt))
		fprintf(stderr, "predict-built: %s\n", kb_error_last());
	code = m->total - m->pad_total;
	printf("candidates at =m in the build: %zu; kallsyms shares %s%s%s\n", nopts,
	       m->ks_decoded ? "decoded" : "at the average rate",
	       m->ks_relearnt ? ", relearnt" : "; not relearnt: ", m->ks_note);
	printf("code and data now %llu, leaving %llu, kallsyms relearnt %lld, predicted %llu\n",
	       (unsigned long long)code, (unsigned long long)gone, (long long)relearnt,
	       (unsigned long long)(code - gone + (uint64_t)relearnt));
	free(leaves);
	kb_modular_free(m);
	kb_analysis_free(a);
	kb_kconfig_release(&built);
	strbuf_release(&image);
	strbuf_release(&map);
	return 0;
}
