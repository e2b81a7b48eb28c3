/*
 * lint.c - prepare a parsed Dockerfile for the rules, report findings.
 *
 * Preparation happens once per file so rules stay cheap: RUN scripts are
 * split (each RUN may hold several scripts: the line itself, and heredoc
 * bodies fed to a shell), the stages that make up the final image are
 * marked, and global ignore pragmas are collected.
 */
#include "lint.h"

extern const struct rule df_rules[];
extern const size_t df_rules_n;

static int add_script(struct df_lint *l, struct df_run *run, size_t *cap,
		      enum df_script_kind kind, const char *src, size_t len, size_t base,
		      const struct df_heredoc *h)
{
	struct df_script *sc;

	if (arena_grow(l->a, (void **)&run->scripts, cap, run->n + 1, sizeof(*sc)))
		return DS_ENOMEM;
	sc = &run->scripts[run->n++];
	memset(sc, 0, sizeof(*sc));
	sc->kind = kind;
	sc->base = base;
	sc->h = h;
	return sh_split(l->a, src, len, &sc->sh);
}

/* Is the heredoc body of h a script for a shell? True for `RUN <<EOF`
 * (no command), `RUN <<EOF bash` / `RUN bash <<EOF`, unless the body has a
 * shebang for something that is not a shell. */
static bool heredoc_is_shell(const struct df_script *line, const struct df_heredoc *h)
{
	size_t i, k;

	if (h->body_len > 2 && h->body[0] == '#' && h->body[1] == '!') {
		const char *nl = memchr(h->body, '\n', h->body_len);
		struct str sb = str_make(h->body + 2, nl ? (size_t)(nl - h->body - 2) : 0);
		struct str last = str_basename(str_trim(sb));
		long sp = -1;
		for (i = 0; i < last.n; i++)
			if (last.p[i] == ' ')
				sp = (long)i;
		if (sp >= 0) /* "#!/usr/bin/env bash" */
			last = str_make(last.p + sp + 1, last.n - (size_t)sp - 1);
		return sh_is_shell(str_trim(last));
	}
	for (i = 0; i < line->sh.n; i++) {
		const struct sh_cmd *c = &line->sh.cmds[i];
		for (k = 0; k < c->nredirs; k++) {
			const struct sh_redir *r = &c->redirs[k];
			if ((!strcmp(r->op, "<<") || !strcmp(r->op, "<<-")) &&
			    !strcmp(r->target.s, h->name))
				return c->argc == 0 || sh_is_shell(sh_cmd_name(c, NULL));
		}
	}
	return true;
}

static int prepare_run(struct df_lint *l, size_t ii)
{
	struct df_instr *in = &l->f->ins[ii];
	struct df_run *run = &l->runs[ii];
	size_t cap = 0, k;
	int rc;

	if (in->cmd == DF_ONBUILD && in->sub && in->sub->cmd == DF_RUN)
		in = in->sub;
	else if (in->cmd != DF_RUN)
		return 0;
	if (in->json) {
		/* ["sh", "-c", "script"] is a script; other exec forms are one
		 * command, split as such so rules still see its argv. */
		struct buf b = BUF_INIT;
		if (in->nargs >= 3 && sh_is_shell(str_basename(str_cstr(in->args[0]))) &&
		    in->args[1][0] == '-' && strchr(in->args[1], 'c'))
			return add_script(l, run, &cap, DF_SCRIPT_FLAT, in->args[2],
					  in->arg_lens[2], (size_t)(in->rest - in->text), NULL);
		for (k = 0; k < in->nargs; k++) {
			/* quote each element so the splitter keeps it one word */
			buf_adds(&b, k ? " '" : "'");
			for (const char *p = in->args[k]; *p; p++) {
				if (*p == '\'')
					buf_adds(&b, "'\\''");
				else
					buf_addc(&b, *p);
			}
			buf_addc(&b, '\'');
		}
		if (!buf_ok(&b)) {
			buf_release(&b);
			return DS_ENOMEM;
		}
		{
			char *s = arena_strndup(l->a, buf_str(&b), b.n);
			buf_release(&b);
			if (!s)
				return DS_ENOMEM;
			return add_script(l, run, &cap, DF_SCRIPT_FLAT, s, strlen(s),
					  (size_t)(in->rest - in->text), NULL);
		}
	}
	if ((rc = add_script(l, run, &cap, DF_SCRIPT_TEXT, in->rest, in->rest_len,
			     (size_t)(in->rest - in->text), NULL)))
		return rc;
	for (k = 0; k < in->nheredocs; k++) {
		const struct df_heredoc *h = &in->heredocs[k];
		if (heredoc_is_shell(&run->scripts[0], h) &&
		    (rc = add_script(l, run, &cap, DF_SCRIPT_HEREDOC, h->body, h->body_len, 0,
				     h)))
			return rc;
	}
	return 0;
}

static int collect_global_ignores(struct df_lint *l)
{
	const char *p = l->f->data, *end = p + l->f->len;
	size_t cap = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct str line = str_trim(str_make(p, nl ? (size_t)(nl - p) : (size_t)(end - p)));
		p = nl ? nl + 1 : end;
		if (!line.n || line.p[0] != '#')
			continue;
		line = str_trim(str_make(line.p + 1, line.n - 1));
		bool hadolint = str_has_prefix(line, "hadolint global ignore=");
		bool docksec = str_has_prefix(line, "docksec global ignore=");
		if (!hadolint && !docksec)
			continue;
		{
			size_t skip = strlen(hadolint ? "hadolint global ignore=" : "docksec global ignore=");
			const char *s = line.p + skip, *e = line.p + line.n;
			while (s < e) {
				const char *c = s;
				while (c < e && *c != ',' && *c != ' ')
					c++;
				if (c > s) {
					char *tok = hadolint ? arena_printf(l->a, "hadolint:%.*s",
									    (int)(c - s), s)
							     : arena_strndup(l->a, s, (size_t)(c - s));
					if (!tok || arena_grow(l->a, (void **)&l->global_ignores, &cap,
							       l->nglobal_ignores + 1, sizeof(char *)))
						return DS_ENOMEM;
					l->global_ignores[l->nglobal_ignores++] = tok;
				}
				s = c + 1;
			}
		}
	}
	return 0;
}

/* Does an inline pragma in the comments before `in` ignore rule r? */
static bool pragma_ignores(const struct df_instr *in, const struct rule *r)
{
	size_t i;

	for (i = 0; i < in->ncomments; i++) {
		struct str c = str_make(in->comments[i].text, in->comments[i].len);
		const char *pfx = NULL;
		bool hadolint = false;

		if (str_has_prefix(c, "docksec ignore="))
			pfx = "docksec ignore=";
		else if (str_has_prefix(c, "hadolint ignore=")) {
			pfx = "hadolint ignore=";
			hadolint = true;
		}
		if (!pfx)
			continue;
		{
			const char *s = c.p + strlen(pfx), *e = c.p + c.n;
			while (s < e) {
				const char *t = s;
				char tok[96];
				while (t < e && *t != ',' && *t != ' ')
					t++;
				if (t > s && (size_t)(t - s) < sizeof(tok) - 10) {
					snprintf(tok, sizeof(tok), "%s%.*s", hadolint ? "hadolint:" : "",
						 (int)(t - s), s);
					if (rule_matches(r, tok))
						return true;
				}
				if (t < e && *t == ' ')
					break;
				s = t + 1;
			}
		}
	}
	return false;
}

void df_report_at(struct df_lint *l, const struct rule *r, const struct df_instr *in, int line,
		  int col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

void df_report_at(struct df_lint *l, const struct rule *r, const struct df_instr *in, int line,
		  int col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	size_t i;
	const char *ctx = NULL;

	if (in && pragma_ignores(in, r)) {
		l->t->nsuppressed++;
		return;
	}
	for (i = 0; i < l->nglobal_ignores; i++)
		if (rule_matches(r, l->global_ignores[i])) {
			l->t->nsuppressed++;
			return;
		}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (in && in->stage >= 0 && (size_t)in->stage < l->f->nstages)
		ctx = l->f->stages[in->stage].name;
	target_add(l->t, r, line, col, in ? in->end_line : line, 0, ctx, "%s", msg);
}

int df_lint(struct target *t, struct df_file *f)
{
	struct df_lint l;
	size_t i;
	int rc;

	memset(&l, 0, sizeof(l));
	l.t = t;
	l.f = f;
	l.a = f->arena;
	l.final_stage = (int)f->nstages - 1;
	l.runs = arena_array(l.a, f->nins, sizeof(*l.runs));
	l.in_final = arena_array(l.a, f->nstages ? f->nstages : 1, sizeof(bool));
	if (!l.runs || !l.in_final)
		return DS_ENOMEM;
	for (int s = l.final_stage, guard = 0; s >= 0 && guard < 1000; guard++) {
		if (l.in_final[s])
			break;
		l.in_final[s] = true;
		s = f->stages[s].base_stage;
	}
	for (i = 0; i < f->nins; i++)
		if ((rc = prepare_run(&l, i)))
			return rc;
	if ((rc = collect_global_ignores(&l)))
		return rc;
	for (i = 0; i < df_rules_n; i++) {
		df_rules[i].fn(&l, &df_rules[i]);
		if (t->nomem)
			return DS_ENOMEM;
	}
	return 0;
}
