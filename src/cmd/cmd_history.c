/*
 * cmd_history.c - `kbloat history`: size per commit along the first-parent line, with each
 * build's change against its parent build; optionally of one subsystem, path or symbol.
 * A scoped history reads one build's full sizes and then only the changes: it costs the
 * number of changed items, not builds times symbols. With --option, one enabled option's
 * bytes along the same line (the modular analysis's items: schema/002-modular.sql).
 */
#include "kbloat.h"

#include "history.h"
#include "query.h"
#include "store.h"
#include "error.h"

#include <stdio.h>

static const char *db = KB_DEFAULT_DB, *config, *option;
static struct kb_scope sc = { NULL, NULL, NULL, -1 };
static int json;

static const struct kb_option options[] = {
	KB_OPT_DB(&db),
	KB_OPT_CONFIG(&config),
	KB_OPT_SCOPE(&sc),
	KB_OPT_STRING(0, "option", &option, "CONFIG_X",
		      "one option's bytes per build (CONFIG_ optional), 0 where not enabled"),
	KB_OPT_FORMAT(&json),
	KB_OPT_JSON(&json),
	KB_OPT_END(),
};

static json_t *history_row(void *h, size_t i)
{
	return kb_history_json_row(h, i);
}

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_history *h;
	int64_t config_id;
	int rc;

	(void)argc;
	(void)argv;
	if (kb_scope_check(&sc))
		return KB_EXIT_USAGE;
	if (option && (kb_scope_narrows(&sc) || sc.cls >= 0)) {
		kb_errorf("--option: not with --class, --subsystem, --path or --symbol");
		return KB_EXIT_USAGE;
	}
	if (kb_store_find_config(ctx->store, config, &config_id))
		return kb_report_error();
	if (option ? kb_history_build_option(&h, ctx->store, config_id, option) :
		     kb_history_build(&h, ctx->store, config_id, &sc))
		return kb_report_error();
	if (json == KB_FMT_JSON) {
		/* a row at a time: 100,000 rows as one tree took 150 MB */
		rc = kb_json_print_rows("builds", h->n, history_row, h, kb_history_json_tail(h));
	} else if (json) {
		rc = kb_table_print(kb_history_table(h), json);
	} else {
		kb_history_write_text(stdout, h);
		rc = KB_EXIT_OK;
	}
	kb_history_free(h);
	return rc;
}

const struct kb_command kb_cmd_history = {
	.name = "history",
	.summary = "size per commit along the first-parent line",
	.usage =
		(const char *const[]){
			"history [--db DB] [--config C] [--class CLASS]\n"
			"                      [--subsystem S | --path P | "
			"--symbol NAME]\n"
			"                      [--option CONFIG_X] [--json] [--format FMT]",
			NULL },
	.options = options,
	.max_args = 0,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_READ,
	.db = &db,
	.run = run,
};
