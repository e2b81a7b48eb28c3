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

/* Ignore pragmas, as hadolint writes them and docksec's own:
 * "TOOL ignore=A,B" (the next instruction), "TOOL stage ignore=A,B" (the
 * stage whose FROM it precedes), "TOOL global ignore=A,B" (the file);
 * spaces are allowed around '=' and between the ids. */
enum pragma { P_NONE, P_LINE, P_STAGE, P_GLOBAL };

static bool take_word(struct str *s, const char *w)
{
	size_t n = strlen(w);

	if (s->n < n || strncasecmp(s->p, w, n) || (s->n > n && !isspace((unsigned char)s->p[n]) && s->p[n] != '='))
		return false;
	*s = str_trim(str_make(s->p + n, s->n - n));
	return true;
}

static enum pragma pragma_parse(struct str c, bool *hadolint, struct str *list)
{
	enum pragma kind = P_LINE;

	c = str_trim(c);
	if (take_word(&c, "hadolint"))
		*hadolint = true;
	else if (take_word(&c, "docksec"))
		*hadolint = false;
	else
		return P_NONE;
	if (take_word(&c, "global"))
		kind = P_GLOBAL;
	else if (take_word(&c, "stage"))
		kind = P_STAGE;
	if (!take_word(&c, "ignore") || !c.n || c.p[0] != '=')
		return P_NONE;
	*list = str_trim(str_make(c.p + 1, c.n - 1));
	return kind;
}

/* The next id of a pragma list ("DL3023 , DL3021"), as a ref when the
 * pragma is hadolint's; false at the end. */
static bool pragma_next(struct str *list, bool hadolint, char *tok, size_t cap)
{
	const char *s = list->p, *e = list->p + list->n, *t;

	while (s < e && (*s == ',' || isspace((unsigned char)*s)))
		s++;
	for (t = s; t < e && *t != ',' && !isspace((unsigned char)*t); t++)
		;
	*list = str_make(t, (size_t)(e - t));
	if (t == s)
		return false;
	if ((size_t)(t - s) >= cap - 10)
		tok[0] = 0; /* no id is that long */
	else
		snprintf(tok, cap, "%s%.*s", hadolint ? "hadolint:" : "", (int)(t - s), s);
	return true;
}

static int collect_global_ignores(struct df_lint *l)
{
	const char *p = l->f->data, *end = p + l->f->len;
	size_t cap = 0;
	char tok[96];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct str line = str_trim(str_make(p, nl ? (size_t)(nl - p) : (size_t)(end - p))), list;
		bool hadolint = false;
		p = nl ? nl + 1 : end;
		if (!line.n || line.p[0] != '#' ||
		    pragma_parse(str_make(line.p + 1, line.n - 1), &hadolint, &list) != P_GLOBAL)
			continue;
		while (pragma_next(&list, hadolint, tok, sizeof(tok))) {
			char *t = tok[0] ? arena_strdup(l->a, tok) : NULL;
			if (!tok[0])
				continue;
			if (!t || arena_grow(l->a, (void **)&l->global_ignores, &cap, l->nglobal_ignores + 1,
					     sizeof(char *)))
				return DS_ENOMEM;
			l->global_ignores[l->nglobal_ignores++] = t;
		}
	}
	return 0;
}

/* Does a pragma of kind `want` in the comments before `in` ignore r? */
static bool comments_ignore(const struct df_instr *in, const struct rule *r, enum pragma want)
{
	size_t i;
	char tok[96];

	for (i = 0; i < in->ncomments; i++) {
		struct str list;
		bool hadolint = false;
		if (pragma_parse(str_make(in->comments[i].text, in->comments[i].len), &hadolint, &list) != want)
			continue;
		while (pragma_next(&list, hadolint, tok, sizeof(tok)))
			if (tok[0] && rule_matches(r, tok))
				return true;
	}
	return false;
}

/* Does an inline pragma before `in`, or a stage pragma before its
 * stage's FROM, ignore rule r? */
static bool pragma_ignores(const struct df_lint *l, const struct df_instr *in, const struct rule *r)
{
	if (comments_ignore(in, r, P_LINE))
		return true;
	return in->stage >= 0 && (size_t)in->stage < l->f->nstages &&
	       comments_ignore(&l->f->ins[l->f->stages[in->stage].from], r, P_STAGE);
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

	if (in && pragma_ignores(l, in, r)) {
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

/* BuildKit removes the quotes of ADD and COPY operands before it uses
 * them (word processing, as a shell would: '...' literal, "..." with \\
 * escaping " \\ $; a backslash outside quotes is kept, as the escape
 * character may be ` and Windows paths use it):
 * `COPY a "/usr/local/bin/b"` copies to an absolute path. df_lint
 * replaces the operands with their unquoted words before any rule runs,
 * so every rule sees them as BuildKit uses them (`lint --dump-ast` does not
 * lint, and shows them as written). Variables are left for the rules to
 * see as variables. */
static char *unquote(struct arena *a, const char *w)
{
	size_t n = strlen(w), k = 0;
	char *o, q = 0;

	if (!strpbrk(w, "\"'\\"))
		return (char *)w;
	if (!(o = arena_alloc(a, n + 1)))
		return NULL;
	for (const char *p = w; *p; p++) {
		if (q == '\'') {
			if (*p == '\'')
				q = 0;
			else
				o[k++] = *p;
		} else if (q == '"') {
			if (*p == '"')
				q = 0;
			else if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$'))
				o[k++] = *++p;
			else
				o[k++] = *p;
		} else if (*p == '"' || *p == '\'') {
			q = *p;
		} else {
			o[k++] = *p;
		}
	}
	o[k] = 0;
	return o;
}

static int unquote_words(struct df_lint *l, struct df_instr *in)
{
	size_t k;

	for (; in; in = in->sub) {
		if ((in->cmd != DF_ADD && in->cmd != DF_COPY) || in->json)
			continue;
		for (k = 0; k < in->nargs; k++)
			if (!(in->args[k] = unquote(l->a, in->args[k])))
				return DS_ENOMEM;
	}
	return 0;
}

static int by_stage_name(const void *x, const void *y)
{
	const struct df_stage_name *a = x, *b = y;
	int c = strcasecmp(a->name, b->name);

	return c ? c : a->s < b->s ? -1 : a->s > b->s;
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
	l.names = arena_array(l.a, f->nstages ? f->nstages : 1, sizeof(*l.names));
	if (!l.runs || !l.in_final || !l.names)
		return DS_ENOMEM;
	for (size_t s = 0; s < f->nstages; s++)
		if (f->stages[s].name)
			l.names[l.nnames++] = (struct df_stage_name){f->stages[s].name, s};
	qsort(l.names, l.nnames, sizeof(*l.names), by_stage_name);
	for (int s = l.final_stage, guard = 0; s >= 0 && guard < 1000; guard++) {
		if (l.in_final[s])
			break;
		l.in_final[s] = true;
		s = f->stages[s].base_stage;
	}
	for (i = 0; i < f->nins; i++)
		if ((rc = prepare_run(&l, i)) || (rc = unquote_words(&l, &f->ins[i])))
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
