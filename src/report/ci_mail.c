/*
 * ci_mail.c - the nightly report as mails, the way Intel's 0-day robot reports a size
 * regression: one message per commit over the threshold in a config, to the commit's
 * author, Cc the maintainers and lists (MAINTAINERS M: and L:) of the subsystems that grew
 * most; its body bloat-o-meter's view of the change and the roll-up by subsystem, with a
 * link to the commit. A commit that removed as much gets a thank-you, Cc the subsystems
 * that shrank. Written to an mbox, never sent.
 *
 * Names, subjects and MAINTAINERS lines come from a repository: headers are rebuilt from
 * them by mail.c, which lets no line end through and encodes what is not ASCII.
 */
#include "ci.h"

#include "bom.h"
#include "error.h"
#include "escape.h"
#include "mail.h"
#include "rollup.h"
#include "strbuf.h"
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

int kb_ci_check_from(const char *from)
{
	struct strbuf name = STRBUF_INIT, addr = STRBUF_INIT;
	int rc = kb_mail_mailbox(from, &name, &addr);

	strbuf_release(&name);
	strbuf_release(&addr);
	if (rc)
		return kb_error_set("--mail-from %s: not a mailbox (\"Name <user@host>\" or "
				    "user@host)",
				    from);
	return 0;
}

/* The From: mailbox and its address. */
struct sender {
	struct strbuf name, addr, mailbox;
	const char *domain; /* in addr */
};

/* A message id's part: [A-Za-z0-9-] kept (and '.' between two of them with dots), anything
 * else as '-'. */
static void id_part(struct strbuf *sb, const char *s, int dots)
{
	const char *p;

	for (p = s; *p; p++) {
		int alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9');
		int dot = dots && *p == '.' && p > s && p[1] && p[1] != '.';

		strbuf_addch(sb, alnum || dot ? *p : '-');
	}
}

/* <kbloat.SHA.CONFIG.HASH@DOMAIN>: the same commit, config and sender give the same id,
 * so a report written twice can be told apart from two reports. */
static void message_id(struct strbuf *sb, const struct sender *s, const struct kb_ci_commit *c,
		       const char *config)
{
	strbuf_addstr(sb, "<kbloat.");
	id_part(sb, c->c.sha, 0);
	strbuf_addch(sb, '.');
	id_part(sb, config, 0);
	strbuf_addf(sb, ".%08x@", kb_strhash(config, strlen(config)));
	id_part(sb, s->domain, 1);
	strbuf_addch(sb, '>');
}

/* Adds addr to the recipients unless it is there already (addresses compared without case). */
static void add_recipient(struct strbuf *list, struct kb_strtab *seen, const char *name,
			  const char *addr)
{
	struct strbuf key = STRBUF_INIT;
	size_t n = seen->nr;
	const char *p;

	for (p = addr; *p; p++)
		strbuf_addch(&key, (*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
	kb_strtab_intern(seen, key.buf, key.len, NULL);
	if (seen->nr != n) {
		if (list->len)
			strbuf_addch(list, '\n');
		kb_mail_add_mailbox(list, name, addr);
	}
	strbuf_release(&key);
}

/* The commit's author, and the Cc's: the M: and L: lines the report loaded, in order. */
static void recipients(const struct kb_ci_commit *c, const struct sender *s, struct strbuf *to,
		       struct strbuf *cc)
{
	struct strbuf name = STRBUF_INIT, addr = STRBUF_INIT;
	struct kb_strtab seen = KB_STRTAB_INIT;
	size_t i;

	kb_strtab_intern(&seen, s->addr.buf, s->addr.len, NULL); /* not to ourselves */
	if (kb_mail_addr_ok(c->c.email))
		add_recipient(to, &seen, c->c.author, c->c.email);
	for (i = 0; i < c->ncc; i++)
		if (!kb_mail_mailbox(c->cc[i].address, &name, &addr))
			add_recipient(cc, &seen, name.buf, addr.buf);
	kb_strtab_release(&seen);
	strbuf_release(&name);
	strbuf_release(&addr);
}

/* The subsystems whose maintainers are Cc'd, "A, B and C". */
static void cc_subsystems(struct strbuf *sb, const struct kb_ci_commit *c)
{
	struct kb_strtab seen = KB_STRTAB_INIT;
	struct strbuf t = STRBUF_INIT;
	size_t i, n;

	for (i = 0; i < c->ncc; i++)
		kb_strtab_intern(&seen, c->cc[i].subsystem, strlen(c->cc[i].subsystem), NULL);
	n = seen.nr;
	for (i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i ? (i + 1 == n ? " and " : ", ") : "",
			    kb_text(&t, seen.strs[i]));
	kb_strtab_release(&seen);
	strbuf_release(&t);
}

static void write_body(FILE *f, const struct kb_ci *r, const char *config,
		       const struct kb_ci_commit *c, const struct sender *s)
{
	const struct kb_build_head *h = &c->show->head;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, url = STRBUF_INIT;
	int64_t bytes = c->delta < 0 ? -c->delta : c->delta;

	fprintf(f, "Hi %s,\n\n", kb_text(&a, c->c.author));
	fprintf(f,
		"kbloat measured the %s kernel at your commit\n\n  %.12s (\"%s\")\n\n"
		"and found it %lld bytes %s than at %.12s",
		kb_text(&b, config), c->c.sha, kb_text(&a, c->c.subject), (long long)bytes,
		c->over_threshold ? "larger" : "smaller", h->parent_sha ? h->parent_sha : "");
	if (h->distance > 1)
		fprintf(f, ", %lld commits back (the ones between were not built)",
			(long long)h->distance);
	if (c->over_threshold)
		fprintf(f,
			":\nat least the %lld bytes a commit may add before kbloat reports it.\n",
			(long long)r->threshold);
	else
		fprintf(f, ".\nThank you for making the kernel smaller!\n");
	if (!kb_ci_commit_url(&url, r->commit_url, c->c.sha))
		fprintf(f, "\nLink: %s\n", url.buf);
	fprintf(f, "\nbloat-o-meter, %s:\n", kb_text(&a, config));
	kb_bom_write_text(f, &c->show->bom, "Function");
	fputs("\nby subsystem:\n", f);
	kb_rollup_write_text(f, &c->show->subsystems, "subsystem");
	if (c->ncc) {
		strbuf_reset(&a);
		cc_subsystems(&a, c);
		fprintf(f, "\nCc: the maintainers and lists of %s, as MAINTAINERS names them.\n",
			a.buf);
	}
	if (c->over_threshold)
		fprintf(f,
			"\nIf the growth is what the commit is for, nothing needs doing. If it is "
			"not,\nplease consider a fix; if you send one, kindly add\n\n"
			"  Reported-by: %s\n",
			s->mailbox.buf);
	fprintf(f, "\n-- \nkbloat %s, the kernel size tracker\n", KB_VERSION);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&url);
}

static void write_message(FILE *f, const struct kb_ci *r, const char *config,
			  const struct kb_ci_commit *c, const struct sender *s)
{
	struct strbuf to = STRBUF_INIT, cc = STRBUF_INIT, subject = STRBUF_INIT, id = STRBUF_INIT;
	char *body = NULL, date[40];
	size_t len = 0;
	FILE *mem;

	recipients(c, s, &to, &cc);
	strbuf_addf(&subject, "[kbloat] %.12s: %+lld bytes in %s", c->c.sha, (long long)c->delta,
		    config);
	strbuf_addf(&subject, c->over_threshold ? " (%s)" : ", thank you (%s)", c->c.subject);
	message_id(&id, s, c, config);
	kb_mail_date(c->run.recorded_at, date);

	kb_mbox_from_line(f, s->addr.buf, c->run.recorded_at);
	kb_mail_address_header(f, "From", s->mailbox.buf);
	kb_mail_address_header(f, "To", to.len ? to.buf : "undisclosed-recipients:;");
	if (cc.len)
		kb_mail_address_header(f, "Cc", cc.buf);
	kb_mail_header(f, "Subject", subject.buf);
	fprintf(f, "Date: %s\nMessage-ID: %s\n", date, id.buf);
	fputs("MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
	      "Content-Transfer-Encoding: 8bit\n",
	      f);
	kb_mail_header(f, "X-Kbloat-Config", config);
	fputc('\n', f);

	mem = open_memstream(&body, &len);
	if (mem) {
		write_body(mem, r, config, c, s);
		fclose(mem);
		kb_mbox_body(f, body, len);
	}
	free(body);
	strbuf_release(&to);
	strbuf_release(&cc);
	strbuf_release(&subject);
	strbuf_release(&id);
}

void kb_ci_write_mail(FILE *f, const struct kb_ci *r, const struct kb_ci_mail_opts *mo)
{
	struct sender s = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, NULL };
	size_t i, k;

	if (kb_mail_mailbox(mo->from, &s.name, &s.addr))
		kb_mail_mailbox("kbloat <kbloat@localhost>", &s.name, &s.addr);
	kb_mail_add_mailbox(&s.mailbox, s.name.buf, s.addr.buf);
	s.domain = strchr(s.addr.buf, '@') + 1;
	for (i = 0; i < r->n; i++) {
		const struct kb_ci_config *cfg = &r->configs[i];

		for (k = 0; k < cfg->ncommits; k++) {
			const struct kb_ci_commit *c = &cfg->commits[k];

			if ((c->over_threshold || c->under_threshold) && c->show)
				write_message(f, r, cfg->name, c, &s);
		}
	}
	strbuf_release(&s.name);
	strbuf_release(&s.addr);
	strbuf_release(&s.mailbox);
}
