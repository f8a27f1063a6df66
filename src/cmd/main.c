/*
 * main.c - the kbloat program: the table of commands, as git's git.c, and what every
 * command gets before it runs (its options parsed, its arguments counted, its database
 * opened).
 */
#include "kbloat.h"

#include "error.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The order `kbloat help` lists them in: one image, the store, collection, reports. */
const struct kb_command *const kb_commands[] = {
	&kb_cmd_size,	    &kb_cmd_syms,   &kb_cmd_diff,    &kb_cmd_collect, &kb_cmd_bisect,
	&kb_cmd_bisect_run, &kb_cmd_record, &kb_cmd_blame,   &kb_cmd_history, &kb_cmd_options,
	&kb_cmd_show,	    &kb_cmd_top,    &kb_cmd_merge,   &kb_cmd_budget,  &kb_cmd_ci,
	&kb_cmd_plot,	    &kb_cmd_site,   &kb_cmd_modular, &kb_cmd_db,      NULL,
};

static void general_usage(FILE *f)
{
	size_t i;

	fputs("usage: kbloat <command> [<args>]\n\n", f);
	for (i = 0; kb_commands[i]; i++)
		fprintf(f, "  %-12s %s\n", kb_commands[i]->name, kb_commands[i]->summary);
	fputs("\nkbloat help <command> or kbloat <command> --help shows a command's options;\n"
	      "man kbloat has them all.\n",
	      f);
}

static const struct kb_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; kb_commands[i]; i++)
		if (!strcmp(kb_commands[i]->name, name))
			return kb_commands[i];
	return NULL;
}

/* kbloat help [COMMAND] */
static int help(int argc, const char **argv)
{
	const struct kb_command *cmd;

	if (argc < 2) {
		general_usage(stdout);
		return KB_EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		kb_errorf("'%s' is not a kbloat command; see 'kbloat help'", argv[1]);
		return KB_EXIT_USAGE;
	}
	kb_usage_print(cmd, stdout);
	return KB_EXIT_OK;
}

/* The database of a command that has one: read-only for the commands that only read. */
static int open_store(const struct kb_command *cmd, struct kb_ctx *ctx)
{
	if (cmd->setup & KB_SETUP_STORE_READ)
		return kb_store_open_read(&ctx->store, *cmd->db);
	return kb_store_open(&ctx->store, *cmd->db, !!(cmd->setup & KB_SETUP_STORE_CREATE));
}

/* Parses cmd's options, checks its arguments, does its setup, runs it. */
static int run_command(const struct kb_command *cmd, int argc, const char **argv)
{
	struct kb_ctx ctx = { NULL };
	int n, rc, usage;

	usage = cmd->usage_status ? cmd->usage_status : KB_EXIT_USAGE;
	n = kb_parse_options(cmd, argc, argv);
	if (n == KB_PARSE_HELP)
		return KB_EXIT_OK;
	if (n < 0)
		return usage;
	if (n < cmd->min_args || (cmd->max_args >= 0 && n > cmd->max_args)) {
		if (n < cmd->min_args)
			kb_errorf("%s: too few arguments", cmd->name);
		else
			kb_errorf("%s: unexpected argument '%s'", cmd->name, argv[cmd->max_args]);
		kb_usage_print(cmd, stderr);
		return usage;
	}
	if (cmd->check) {
		rc = cmd->check(n, argv);
		if (rc)
			return rc;
	}
	if ((cmd->setup & KB_SETUP_STORE) && open_store(cmd, &ctx)) {
		kb_report_error();
		return usage;
	}
	rc = cmd->run(&ctx, n, argv);
	kb_store_close(ctx.store);
	return rc;
}

int main(int argc, char **argv)
{
	const char **args = (const char **)argv;
	const struct kb_command *cmd;
	int rc;

	if (argc < 2) {
		general_usage(stderr);
		return KB_EXIT_USAGE;
	}
	if (!strcmp(args[1], "--help") || !strcmp(args[1], "-h") || !strcmp(args[1], "help"))
		return help(argc - 1, args + 1);
	if (!strcmp(args[1], "--version")) {
		printf("kbloat %s\n", KB_VERSION);
		return KB_EXIT_OK;
	}
	cmd = find_command(args[1]);
	if (!cmd) {
		kb_errorf("'%s' is not a kbloat command; see 'kbloat help'", args[1]);
		return KB_EXIT_USAGE;
	}
	rc = run_command(cmd, argc - 1, args + 1);
	/* what a command printed must have reached its file: a full disk is an error, said */
	if ((fflush(stdout) | ferror(stdout)) && (rc == KB_EXIT_OK || rc == KB_EXIT_THRESHOLD)) {
		kb_errorf("standard output: cannot write: %s", errno ? strerror(errno) : "error");
		rc = KB_EXIT_USAGE;
	}
	return rc;
}
