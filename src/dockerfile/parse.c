/*
 * parse.c - the Dockerfile parser, following BuildKit's algorithm.
 *
 * Structure mirrors the reference so differences can be reasoned about one
 * function at a time: physical lines -> parser directives -> logical lines
 * (continuations, comments and blank lines inside them) -> the instruction
 * word and builder flags -> per-instruction argument parsing (the dispatch
 * table) -> heredoc bodies after the logical line. The differences from
 * BuildKit are deliberate and listed in docs/conformance.md.
 *
 * Hostile input: the file, a line, the instruction count and heredocs per
 * instruction are bounded (df.h); NUL bytes and invalid UTF-8 are refused
 * with the line and column; nothing recurses except ONBUILD, which BuildKit
 * allows one level deep and so do we.
 */
#include "df.h"
#include <jansson.h>

struct line {
	const char *p; /* start of the line, after a BOM on line 1 */
	size_t n;      /* without the trailing \r\n characters */
	size_t full;   /* bytes consumed including the newline */
};

struct parser {
	struct arena *a;
	const char *path;
	const char *data;
	size_t len, pos;
	int lineno;
	struct ds_err *err;
	struct df_file *f;
	bool dir_done;
	size_t cap_ins;
	struct df_comment *comments;
	size_t ncomments, cap_comments;
	int last_comment_line;
};

static const struct {
	const char *name;
	enum df_cmd cmd;
} cmd_names[] = {
	{"add", DF_ADD},		 {"arg", DF_ARG},		{"cmd", DF_CMD},
	{"copy", DF_COPY},		 {"entrypoint", DF_ENTRYPOINT}, {"env", DF_ENV},
	{"expose", DF_EXPOSE},		 {"from", DF_FROM},		{"healthcheck", DF_HEALTHCHECK},
	{"label", DF_LABEL},		 {"maintainer", DF_MAINTAINER}, {"onbuild", DF_ONBUILD},
	{"run", DF_RUN},		 {"shell", DF_SHELL},		{"stopsignal", DF_STOPSIGNAL},
	{"user", DF_USER},		 {"volume", DF_VOLUME},		{"workdir", DF_WORKDIR},
};

const char *df_cmd_name(enum df_cmd c)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(cmd_names); i++)
		if (cmd_names[i].cmd == c)
			return cmd_names[i].name;
	return "unknown";
}

static enum df_cmd lookup_cmd(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(cmd_names); i++)
		if (strlen(cmd_names[i].name) == n && strncasecmp(cmd_names[i].name, s, n) == 0)
			return cmd_names[i].cmd;
	return DF_UNKNOWN;
}

/* Go's unicode.IsSpace for the ASCII range (all BuildKit ever meets in the
 * places it uses it for splitting). */
static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* BuildKit's reWhitespace: [\t\v\f\r ]+ (no newline). */
static bool is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static int next_line(struct parser *p, struct line *l)
{
	const char *s = p->data + p->pos, *nl;
	size_t avail = p->len - p->pos, n;

	if (p->pos >= p->len)
		return 0;
	nl = memchr(s, '\n', avail);
	n = nl ? (size_t)(nl - s) + 1 : avail;
	l->p = s;
	l->full = n;
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	l->n = n;
	p->pos += l->full;
	p->lineno++;
	if (p->lineno == 1 && l->n >= 3 && memcmp(l->p, "\xef\xbb\xbf", 3) == 0) {
		l->p += 3;
		l->n -= 3;
	}
	if (l->n > DF_MAX_LINE)
		return ds_err_set(p->err, DS_ELIMIT, p->path, p->lineno, 1,
				  "line is %zu bytes long; the limit is %u bytes", l->n,
				  DF_MAX_LINE);
	return 1;
}

static struct str trim_left(struct str s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.n--;
	}
	return s;
}

static bool is_comment(struct str s)
{
	s = trim_left(s);
	return s.n && s.p[0] == '#';
}

/* BuildKit's parser directive regex: ^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ */
static int directive(struct parser *p, struct str s)
{
	size_t i = 0, ks, ke, vs, ve;
	struct df_file *f = p->f;
	struct df_directive *d;
	char *name;

	if (p->dir_done)
		return 0;
	if (!s.n || s.p[0] != '#')
		goto done;
	i = 1;
	while (i < s.n && is_space(s.p[i]))
		i++;
	ks = i;
	if (i >= s.n || !isalpha((unsigned char)s.p[i]))
		goto done;
	while (i < s.n && isalnum((unsigned char)s.p[i]))
		i++;
	ke = i;
	while (i < s.n && is_space(s.p[i]))
		i++;
	if (i >= s.n || s.p[i] != '=')
		goto done;
	i++;
	while (i < s.n && is_space(s.p[i]))
		i++;
	vs = i;
	ve = s.n;
	while (ve > vs && is_space(s.p[ve - 1]))
		ve--;
	if (ve == vs)
		goto done;
	name = arena_strndup(p->a, s.p + ks, ke - ks);
	if (!name)
		return ds_oom(p->err);
	for (i = 0; name[i]; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	if (strcmp(name, "escape") && strcmp(name, "syntax") && strcmp(name, "check"))
		goto done;
	for (i = 0; i < f->ndirs; i++)
		if (!strcmp(f->dirs[i].name, name))
			return ds_err_set(p->err, DS_EPARSE, p->path, p->lineno, 1,
					  "only one %s parser directive can be used", name);
	d = &f->dirs[f->ndirs++];
	d->name = name;
	d->value = arena_strndup(p->a, s.p + vs, ve - vs);
	d->line = p->lineno;
	if (!d->value)
		return ds_oom(p->err);
	if (!strcmp(name, "escape")) {
		if (strcmp(d->value, "`") && strcmp(d->value, "\\"))
			return ds_err_set(p->err, DS_EPARSE, p->path, p->lineno, 1,
					  "invalid escape token '%s' does not match ` or \\",
					  d->value);
		f->escape = d->value[0];
	}
	return 0;
done:
	p->dir_done = true;
	return 0;
}

/* Strip a trailing escape token followed by blanks; false when the line
 * continues. As in BuildKit, an escape preceded by another escape is an
 * escaped escape, not a continuation ("a\\\\" ends the line). */
static bool trim_continuation(struct str *s, char esc)
{
	size_t n = s->n;

	while (n && (s->p[n - 1] == ' ' || s->p[n - 1] == '\t'))
		n--;
	if (n && s->p[n - 1] == esc && (n == 1 || s->p[n - 2] != esc)) {
		s->n = n - 1;
		return false;
	}
	return true;
}

static int check_bytes(struct parser *p, struct line *l)
{
	size_t bad;

	if (memchr(l->p, 0, l->n))
		return ds_err_set(p->err, DS_EBINARY, p->path, p->lineno,
				  (int)((const char *)memchr(l->p, 0, l->n) - l->p) + 1,
				  "NUL byte: this is a binary file, not a Dockerfile");
	bad = utf8_first_invalid(l->p, l->n);
	if (bad < l->n) {
		/* a comment in Latin-1 is not a reason to refuse the file:
		 * BuildKit skips comments; reports show such bytes as \xNN */
		size_t k = 0;
		while (k < l->n && (l->p[k] == ' ' || l->p[k] == '\t'))
			k++;
		if (k < l->n && l->p[k] == '#' && k < bad)
			return 0;
	}
	if (bad < l->n)
		return ds_err_set(p->err, DS_EUTF8, p->path, p->lineno, (int)bad + 1,
				  "invalid UTF-8 byte 0x%02x (Dockerfiles must be UTF-8)",
				  (unsigned char)l->p[bad]);
	return 0;
}

struct logical {
	struct buf text;
	struct df_seg *segs;
	size_t nsegs, cap;
};

static int add_seg(struct parser *p, struct logical *lg, int line, int col)
{
	if (arena_grow(p->a, (void **)&lg->segs, &lg->cap, lg->nsegs + 1, sizeof(*lg->segs)))
		return ds_oom(p->err);
	lg->segs[lg->nsegs].off = (uint32_t)lg->text.n;
	lg->segs[lg->nsegs].line = (uint32_t)line;
	lg->segs[lg->nsegs].col = (uint32_t)col;
	lg->nsegs++;
	return 0;
}

void df_pos(const struct df_instr *in, size_t off, int *line, int *col)
{
	size_t lo = 0, hi = in->nsegs;

	if (!in->nsegs) {
		*line = in->line;
		*col = 1;
		return;
	}
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (in->segs[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (int)in->segs[lo].line;
	*col = (int)(in->segs[lo].col + (off - in->segs[lo].off));
}

/* ---- argument parsers (BuildKit's dispatch table) ---- */

struct strlist {
	char **v;
	size_t *lens;
	size_t n, cap, lcap;
};

static int sl_push(struct parser *p, struct strlist *l, const char *s, size_t n)
{
	if (arena_grow(p->a, (void **)&l->v, &l->cap, l->n + 1, sizeof(char *)) ||
	    arena_grow(p->a, (void **)&l->lens, &l->lcap, l->n + 1, sizeof(size_t)))
		return ds_oom(p->err);
	if (!(l->v[l->n] = arena_strndup(p->a, s, n)))
		return ds_oom(p->err);
	l->lens[l->n] = n;
	l->n++;
	return 0;
}

/* extractBuilderFlags: leading --words, quotes removed, backslash escapes. */
static int extract_flags(struct parser *p, const char *s, size_t n, struct strlist *flags,
			 size_t *rest_at)
{
	enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
	struct buf w = BUF_INIT;
	bool blank_ok = false;
	char quote = 0;
	size_t pos;
	int rc = 0;

	*rest_at = n;
	for (pos = 0; pos <= n; pos++) {
		char ch = pos < n ? s[pos] : 0;

		if (phase == IN_SPACES) {
			if (pos == n)
				break;
			if (is_space(ch))
				continue;
			if (ch != '-' || pos + 1 == n || s[pos + 1] != '-') {
				*rest_at = pos;
				goto out;
			}
			phase = IN_WORD;
		}
		if (pos == n) {
			if (!(w.n == 2 && !memcmp(w.p, "--", 2)) && (blank_ok || w.n))
				rc = sl_push(p, flags, buf_str(&w), w.n);
			break;
		}
		if (phase == IN_WORD) {
			if (is_space(ch)) {
				phase = IN_SPACES;
				if (w.n == 2 && !memcmp(w.p, "--", 2)) {
					*rest_at = pos;
					goto out;
				}
				if (blank_ok || w.n)
					if ((rc = sl_push(p, flags, buf_str(&w), w.n)))
						goto out;
				buf_clear(&w);
				blank_ok = false;
				continue;
			}
			if (ch == '\'' || ch == '"') {
				quote = ch;
				blank_ok = true;
				phase = IN_QUOTE;
				continue;
			}
			if (ch == '\\') {
				if (pos + 1 == n)
					continue;
				ch = s[++pos];
			}
			buf_addc(&w, ch);
			continue;
		}
		/* IN_QUOTE */
		if (ch == quote) {
			phase = IN_WORD;
			continue;
		}
		if (ch == '\\') {
			if (pos + 1 == n) {
				phase = IN_WORD;
				continue;
			}
			ch = s[++pos];
		}
		buf_addc(&w, ch);
	}
out:
	if (!buf_ok(&w) && !rc)
		rc = ds_oom(p->err);
	buf_release(&w);
	return rc;
}

/* parseWords: split on blanks, quotes and escapes kept in the words. */
static int parse_words(struct parser *p, const char *s, size_t n, char esc, struct strlist *out)
{
	enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
	struct buf w = BUF_INIT;
	bool blank_ok = false;
	char quote = 0;
	size_t pos = 0;
	int rc = 0;

	for (;;) {
		char ch = pos < n ? s[pos] : 0;

		if (phase == IN_SPACES) {
			if (pos == n)
				break;
			if (is_space(ch)) {
				pos++;
				continue;
			}
			phase = IN_WORD;
		}
		if (pos == n) {
			if (blank_ok || w.n)
				rc = sl_push(p, out, buf_str(&w), w.n);
			break;
		}
		if (phase == IN_WORD) {
			if (is_space(ch)) {
				phase = IN_SPACES;
				if (blank_ok || w.n)
					if ((rc = sl_push(p, out, buf_str(&w), w.n)))
						break;
				buf_clear(&w);
				blank_ok = false;
				pos++;
				continue;
			}
			if (ch == '\'' || ch == '"') {
				quote = ch;
				blank_ok = true;
				phase = IN_QUOTE;
			}
			if (ch == esc) {
				if (pos + 1 == n) {
					pos++;
					continue;
				}
				buf_addc(&w, ch);
				ch = s[++pos];
			}
			buf_addc(&w, ch);
			pos++;
			continue;
		}
		/* IN_QUOTE */
		if (ch == quote)
			phase = IN_WORD;
		if (ch == esc && quote != '\'') {
			if (pos + 1 == n) {
				phase = IN_WORD;
				pos++;
				continue;
			}
			buf_addc(&w, ch);
			ch = s[++pos];
		}
		buf_addc(&w, ch);
		pos++;
	}
	if (!buf_ok(&w) && !rc)
		rc = ds_oom(p->err);
	buf_release(&w);
	return rc;
}

static int split_ws(struct parser *p, const char *s, size_t n, struct strlist *out)
{
	size_t i = 0, start;

	if (n == 0)
		return 0;
	for (;;) {
		start = i;
		while (i < n && !is_ws(s[i]))
			i++;
		if (sl_push(p, out, s + start, i - start))
			return DS_ENOMEM;
		if (i >= n)
			return 0;
		while (i < n && is_ws(s[i]))
			i++;
		if (i >= n) /* a trailing separator yields a final empty word */
			return sl_push(p, out, "", 0);
	}
}

/* 1: JSON array of strings, 0: not JSON (use the shell form), <0: error. */
static int parse_json(struct parser *p, const char *s, size_t n, struct strlist *out)
{
	json_error_t jerr;
	json_t *j;
	size_t i;

	while (n && is_space(*s)) {
		s++;
		n--;
	}
	if (!n || *s != '[')
		return 0;
	j = json_loadb(s, n, JSON_ALLOW_NUL, &jerr);
	if (!j)
		return 0;
	if (!json_is_array(j)) {
		json_decref(j);
		return 0;
	}
	for (i = 0; i < json_array_size(j); i++) {
		json_t *e = json_array_get(j, i);
		if (!json_is_string(e)) {
			json_decref(j);
			return ds_err_set(p->err, DS_EPARSE, p->path, p->lineno, 1,
					  "exec form must be a JSON array of strings");
		}
		if (sl_push(p, out, json_string_value(e), json_string_length(e))) {
			json_decref(j);
			return DS_ENOMEM;
		}
	}
	json_decref(j);
	return 1;
}

static int parse_name_val(struct parser *p, struct df_instr *in, struct strlist *out)
{
	struct strlist words = {0};
	size_t i;
	int rc;

	if ((rc = parse_words(p, in->rest, in->rest_len, p->f->escape, &words)))
		return rc;
	if (words.n == 0) {
		if (in->cmd == DF_ENV)
			return ds_err_set(p->err, DS_EPARSE, p->path, in->line, 1,
					  "ENV requires at least one argument");
		return 0;
	}
	if (!strchr(words.v[0], '=')) {
		const char *s = in->rest, *e = s + in->rest_len, *q = s;
		while (q < e && !is_ws(*q))
			q++;
		if (q == e)
			return ds_err_set(p->err, DS_EPARSE, p->path, in->line, 1,
					  "%s must have two arguments (%s NAME VALUE or NAME=VALUE)",
					  in->cmd == DF_ENV ? "ENV" : "LABEL",
					  in->cmd == DF_ENV ? "ENV" : "LABEL");
		if (sl_push(p, out, s, (size_t)(q - s)))
			return DS_ENOMEM;
		while (q < e && is_ws(*q))
			q++;
		if (sl_push(p, out, q, (size_t)(e - q)) || sl_push(p, out, "", 0))
			return DS_ENOMEM;
		return 0;
	}
	for (i = 0; i < words.n; i++) {
		char *eq = strchr(words.v[i], '=');
		if (!eq)
			return ds_err_set(p->err, DS_EPARSE, p->path, in->line, 1,
					  "can't find = in \"%s\"; must be of the form name=value",
					  words.v[i]);
		if (sl_push(p, out, words.v[i], (size_t)(eq - words.v[i])) ||
		    sl_push(p, out, eq + 1, strlen(eq + 1)) || sl_push(p, out, "=", 1))
			return DS_ENOMEM;
	}
	return 0;
}

static int new_node(struct parser *p, const char *line, size_t n, struct df_instr *in,
		    int depth);

static int dispatch(struct parser *p, struct df_instr *in, int depth)
{
	struct strlist out = {0};
	const char *r = in->rest;
	size_t rn = in->rest_len;
	int rc = 0;

	switch (in->cmd) {
	case DF_ADD:
	case DF_COPY:
	case DF_VOLUME:
		rc = parse_json(p, r, rn, &out);
		if (rc < 0)
			return rc;
		in->json = rc == 1;
		rc = in->json ? 0 : split_ws(p, r, rn, &out);
		break;
	case DF_CMD:
	case DF_ENTRYPOINT:
	case DF_RUN:
	case DF_SHELL:
		if (rn == 0)
			break;
		rc = parse_json(p, r, rn, &out);
		if (rc < 0)
			return rc;
		in->json = rc == 1;
		rc = in->json ? 0 : sl_push(p, &out, r, rn);
		break;
	case DF_ARG:
		rc = parse_words(p, r, rn, p->f->escape, &out);
		break;
	case DF_ENV:
	case DF_LABEL:
		rc = parse_name_val(p, in, &out);
		break;
	case DF_EXPOSE:
	case DF_FROM:
		rc = split_ws(p, r, rn, &out);
		break;
	case DF_HEALTHCHECK: {
		size_t sep = 0, next;
		if (!rn)
			break;
		while (sep < rn && !is_space(r[sep]))
			sep++;
		next = sep;
		while (next < rn && is_space(r[next]))
			next++;
		if ((rc = sl_push(p, &out, r, sep)))
			break;
		if (next < rn) {
			rc = parse_json(p, r + next, rn - next, &out);
			if (rc < 0)
				return rc;
			in->json = rc == 1;
			rc = in->json ? 0 : sl_push(p, &out, r + next, rn - next);
		}
		break;
	}
	case DF_ONBUILD:
		if (!rn)
			break;
		if (depth > 0) /* ONBUILD ONBUILD: a finding (DF-ONBUILD-INVALID), the rest is linted */
			break;
		in->sub = arena_alloc(p->a, sizeof(*in->sub));
		if (!in->sub)
			return ds_oom(p->err);
		in->sub->line = in->line;
		in->sub->end_line = in->end_line;
		in->sub->segs = in->segs;
		in->sub->nsegs = in->nsegs;
		in->sub->stage = in->stage;
		/* same text as the parent, so offsets map to the same lines */
		in->sub->text = in->text;
		in->sub->len = in->len;
		rc = new_node(p, r, rn, in->sub, depth + 1);
		break;
	case DF_MAINTAINER:
	case DF_STOPSIGNAL:
	case DF_USER:
	case DF_WORKDIR:
	case DF_UNKNOWN:
		if (rn && in->cmd != DF_UNKNOWN)
			rc = sl_push(p, &out, r, rn);
		break;
	}
	if (rc)
		return rc;
	in->args = out.v;
	in->arg_lens = out.lens;
	in->nargs = out.n;
	return 0;
}

static int parse_flag_words(struct parser *p, struct df_instr *in, struct strlist *fl)
{
	size_t i;

	in->flag_words = fl->v;
	in->nflags = fl->n;
	if (!fl->n)
		return 0;
	in->flags = arena_array(p->a, fl->n, sizeof(*in->flags));
	if (!in->flags)
		return ds_oom(p->err);
	for (i = 0; i < fl->n; i++) {
		const char *w = fl->v[i], *eq;
		if (w[0] == '-' && w[1] == '-')
			w += 2;
		eq = strchr(w, '=');
		in->flags[i].has_value = eq != NULL;
		in->flags[i].name = arena_strndup(p->a, w, eq ? (size_t)(eq - w) : strlen(w));
		in->flags[i].value = arena_strdup(p->a, eq ? eq + 1 : "");
		if (!in->flags[i].name || !in->flags[i].value)
			return ds_oom(p->err);
	}
	return 0;
}

/* splitCommand + dispatch. line is inside in->text (or the ONBUILD rest). */
static int new_node(struct parser *p, const char *line, size_t n, struct df_instr *in, int depth)
{
	struct strlist fl = {0};
	const char *s = line, *e = line + n, *kw;
	size_t rest_at;
	int rc;

	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	kw = s;
	while (s < e && !is_ws(*s))
		s++;
	in->keyword = arena_strndup(p->a, kw, (size_t)(s - kw));
	if (!in->keyword)
		return ds_oom(p->err);
	in->cmd = lookup_cmd(kw, (size_t)(s - kw));
	if (!in->text) {
		in->text = (char *)line;
		in->len = n;
	}
	{
		int l, c;
		df_pos(in, (size_t)(kw - in->text), &l, &c);
		in->col = c;
	}
	while (s < e && is_ws(*s))
		s++;
	if ((rc = extract_flags(p, s, (size_t)(e - s), &fl, &rest_at)))
		return rc;
	if ((rc = parse_flag_words(p, in, &fl)))
		return rc;
	s += rest_at;
	while (s < e && is_space(*s))
		s++;
	in->rest = s;
	in->rest_len = (size_t)(e - s);
	return dispatch(p, in, depth);
}

static bool can_heredoc(const struct df_instr *in)
{
	if (in->cmd == DF_ONBUILD && in->sub)
		in = in->sub;
	return (in->cmd == DF_RUN || in->cmd == DF_COPY || in->cmd == DF_ADD) && !in->json;
}

/* Find heredoc markers among the shell words of the line: a word matching
 * ^[0-9]*<<(-?)([^<]+)$ with quotes and escapes still raw, as BuildKit's
 * lexer with RawQuotes and RawEscapes sees it. */
static int find_heredocs(struct parser *p, struct df_instr *in, const char *s, size_t n)
{
	size_t i = 0, cap = 0;

	while (i < n) {
		size_t ws, j;
		char q = 0;

		while (i < n && is_space(s[i]))
			i++;
		ws = i;
		while (i < n && (q || !is_space(s[i]))) {
			if (q) {
				if (s[i] == q)
					q = 0;
				else if (s[i] == '\\' && q == '"' && i + 1 < n)
					i++;
			} else if (s[i] == '\'' || s[i] == '"') {
				q = s[i];
			} else if (s[i] == '\\' && i + 1 < n) {
				i++;
			}
			i++;
		}
		/* word is s[ws, i) */
		j = ws;
		while (j < i && isdigit((unsigned char)s[j]))
			j++;
		if (i - j > 2 && s[j] == '<' && s[j + 1] == '<') {
			struct df_heredoc *h;
			struct buf name = BUF_INIT;
			bool chomp = false, quoted = false, bad = false;
			size_t k = j + 2;
			unsigned long fd = 0;

			if (s[k] == '-') {
				chomp = true;
				k++;
			}
			for (size_t t = k; t < i; t++)
				if (s[t] == '<')
					bad = true;
			if (bad || k >= i)
				continue;
			str_to_ulong(str_make(s + ws, j - ws), 1024, &fd);
			q = 0;
			for (; k < i; k++) {
				char c = s[k];
				if (q) {
					if (c == q) {
						q = 0;
						continue;
					}
					if (c == '\\' && q == '"' && k + 1 < i) {
						c = s[++k];
					}
					buf_addc(&name, c);
				} else if (c == '\'' || c == '"') {
					q = c;
					quoted = true;
				} else if (c == '\\' && k + 1 < i) {
					quoted = true;
					buf_addc(&name, s[++k]);
				} else {
					buf_addc(&name, c);
				}
			}
			if (!buf_ok(&name)) {
				buf_release(&name);
				return ds_oom(p->err);
			}
			if (name.n == 0) {
				buf_release(&name);
				continue;
			}
			if (in->nheredocs >= DF_MAX_HEREDOCS) {
				buf_release(&name);
				return ds_err_set(p->err, DS_ELIMIT, p->path, in->line, 1,
						  "more than %d heredocs in one instruction",
						  DF_MAX_HEREDOCS);
			}
			if (arena_grow(p->a, (void **)&in->heredocs, &cap, in->nheredocs + 1,
				       sizeof(*h))) {
				buf_release(&name);
				return ds_oom(p->err);
			}
			h = &in->heredocs[in->nheredocs++];
			h->name = arena_strndup(p->a, buf_str(&name), name.n);
			buf_release(&name);
			if (!h->name)
				return ds_oom(p->err);
			h->chomp = chomp;
			h->expand = !quoted;
			h->fd = (unsigned)fd;
		}
	}
	return 0;
}

static int read_heredoc_bodies(struct parser *p, struct df_instr *in)
{
	size_t k;

	for (k = 0; k < in->nheredocs; k++) {
		struct df_heredoc *h = &in->heredocs[k];
		size_t start = p->pos;
		struct line l;
		int rc;

		h->line = p->lineno + 1;
		for (;;) {
			struct str t;
			size_t before = p->pos;
			rc = next_line(p, &l);
			if (rc < 0)
				return rc;
			if (rc == 0)
				return ds_err_set(p->err, DS_EPARSE, p->path, in->line, 1,
						  "unterminated heredoc: no line '%s' after line %d",
						  h->name, in->end_line);
			if ((rc = check_bytes(p, &l)))
				return rc;
			t = str_make(l.p, l.n);
			if (h->chomp)
				while (t.n && t.p[0] == '\t') {
					t.p++;
					t.n--;
				}
			if (str_eq(t, h->name)) {
				h->body = p->data + start;
				h->body_len = before - start;
				h->end_line = p->lineno;
				break;
			}
		}
	}
	return 0;
}

static int push_comment(struct parser *p, struct str s)
{
	struct df_comment *c;

	s = trim_left(s);
	s.p++;
	s.n--;
	s = str_trim(s);
	if (p->last_comment_line != p->lineno - 1)
		p->ncomments = 0; /* only the block right before an instruction */
	p->last_comment_line = p->lineno;
	if (arena_grow(p->a, (void **)&p->comments, &p->cap_comments, p->ncomments + 1,
		       sizeof(*c)))
		return ds_oom(p->err);
	c = &p->comments[p->ncomments++];
	c->text = s.p;
	c->len = s.n;
	c->line = p->lineno;
	return 0;
}

static int parse_logical(struct parser *p, struct line *first)
{
	struct logical lg = {BUF_INIT, NULL, 0, 0};
	struct df_instr *in;
	struct str s = str_make(first->p, first->n);
	int start = p->lineno, rc = 0;
	bool eol, empty_cont = false;
	struct df_comment *pre = NULL;
	size_t npre = 0;
	struct line l;

	s = trim_left(s);
	if (is_comment(s))
		return 0;
	eol = trim_continuation(&s, p->f->escape);
	if (eol && s.n == 0)
		return 0;
	/* The comment block right before this line belongs to it (ignore
	 * pragmas); comments inside its continuation lines start a new one. */
	if (p->ncomments && p->last_comment_line == start - 1) {
		pre = p->comments;
		npre = p->ncomments;
	}
	p->comments = NULL;
	p->ncomments = p->cap_comments = 0;
	if ((rc = add_seg(p, &lg, start, (int)(s.p - first->p) + 1)))
		goto out;
	buf_add(&lg.text, s.p, s.n);
	while (!eol) {
		rc = next_line(p, &l);
		if (rc < 0)
			goto out;
		if (rc == 0)
			break;
		rc = 0;
		if ((rc = check_bytes(p, &l)) || (rc = directive(p, trim_left(str_make(l.p, l.n)))))
			goto out;
		s = str_make(l.p, l.n);
		if (is_comment(s)) {
			if ((rc = push_comment(p, s)))
				goto out;
			continue;
		}
		if (trim_left(s).n == 0) {
			empty_cont = true;
			continue;
		}
		eol = trim_continuation(&s, p->f->escape);
		if ((rc = add_seg(p, &lg, p->lineno, 1)))
			goto out;
		buf_add(&lg.text, s.p, s.n);
		if (lg.text.n > DF_MAX_LINE) {
			rc = ds_err_set(p->err, DS_ELIMIT, p->path, start, 1,
					"instruction is longer than %u bytes", DF_MAX_LINE);
			goto out;
		}
	}
	if (!buf_ok(&lg.text)) {
		rc = ds_oom(p->err);
		goto out;
	}
	if (p->f->nins >= DF_MAX_INSTRUCTIONS) {
		rc = ds_err_set(p->err, DS_ELIMIT, p->path, start, 1,
				"more than %d instructions", DF_MAX_INSTRUCTIONS);
		goto out;
	}
	if (arena_grow(p->a, (void **)&p->f->ins, &p->cap_ins, p->f->nins + 1, sizeof(*in))) {
		rc = ds_oom(p->err);
		goto out;
	}
	in = &p->f->ins[p->f->nins];
	memset(in, 0, sizeof(*in));
	in->text = arena_strndup(p->a, buf_str(&lg.text), lg.text.n);
	if (!in->text) {
		rc = ds_oom(p->err);
		goto out;
	}
	in->len = lg.text.n;
	in->line = start;
	in->end_line = p->lineno;
	in->segs = lg.segs;
	in->nsegs = lg.nsegs;
	in->stage = (int)p->f->nstages - 1;
	in->empty_continuation = empty_cont;
	in->comments = pre;
	in->ncomments = npre;
	if ((rc = new_node(p, in->text, in->len, in, 0)))
		goto out;
	if (in->cmd == DF_FROM)
		in->stage = (int)p->f->nstages++;
	if (can_heredoc(in) && strstr(in->text, "<<")) {
		const struct df_instr *h = in->sub ? in->sub : in;
		if ((rc = find_heredocs(p, in, h->rest, h->rest_len)))
			goto out;
		if ((rc = read_heredoc_bodies(p, in)))
			goto out;
		if (in->sub) {
			in->sub->heredocs = in->heredocs;
			in->sub->nheredocs = in->nheredocs;
		}
	}
	p->f->nins++;
out:
	buf_release(&lg.text);
	return rc;
}

static int resolve_stages(struct parser *p);

int df_parse(struct arena *a, const char *path, const char *data, size_t len, struct df_file *out,
	     struct ds_err *err)
{
	struct parser p;
	struct line l;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	out->path = path;
	out->data = data;
	out->len = len;
	out->escape = '\\';
	out->arena = a;
	p.a = a;
	p.path = path;
	p.data = data;
	p.len = len;
	p.err = err;
	p.f = out;
	p.last_comment_line = -10;
	if (len > DF_MAX_BYTES)
		return ds_err_set(err, DS_ELIMIT, path, 0, 0, "file is larger than %u MiB",
				  DF_MAX_BYTES >> 20);
	if (len >= 2 && (((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe) ||
			 ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff)))
		return ds_err_set(err, DS_EBINARY, path, 1, 1,
				  "file is UTF-16; Dockerfiles must be UTF-8");
	/* Stages: at most one per instruction; sized once instructions are known. */
	while ((rc = next_line(&p, &l)) > 0) {
		struct str t;
		if ((rc = check_bytes(&p, &l)))
			return rc;
		t = trim_left(str_make(l.p, l.n));
		if (is_comment(t) && (rc = push_comment(&p, t)))
			return rc;
		if ((rc = directive(&p, t)))
			return rc;
		if ((rc = parse_logical(&p, &l)))
			return rc;
	}
	if (rc < 0)
		return rc;
	if (out->nins == 0)
		return ds_err_set(err, DS_EPARSE, path, p.lineno ? p.lineno : 1, 1,
				  "file with no instructions");
	return resolve_stages(&p);
}

const struct df_flag *df_flag_get(const struct df_instr *in, const char *name)
{
	size_t i;

	for (i = in->nflags; i > 0; i--)
		if (strcasecmp(in->flags[i - 1].name, name) == 0)
			return &in->flags[i - 1];
	return NULL;
}

/* ---- variables ---- */

static const struct df_var *find_var(const struct df_var *v, size_t n, const char *name,
				     size_t len)
{
	size_t i;

	for (i = n; i > 0; i--)
		if (strlen(v[i - 1].name) == len && !memcmp(v[i - 1].name, name, len))
			return &v[i - 1];
	return NULL;
}

char *df_expand(struct arena *a, const char *s, char escape, const struct df_var *vars,
		size_t nvars, bool *unresolved)
{
	struct buf b = BUF_INIT;
	size_t i = 0, n = strlen(s);
	char *r;

	while (i < n) {
		const char *name, *word = NULL;
		size_t nlen, wlen = 0;
		const struct df_var *v;
		char op = 0;
		bool colon = false;

		if (s[i] == escape && i + 1 < n && s[i + 1] == '$') {
			buf_addc(&b, '$');
			i += 2;
			continue;
		}
		if (s[i] != '$' || i + 1 >= n) {
			buf_addc(&b, s[i++]);
			continue;
		}
		if (s[i + 1] == '{') {
			size_t j = i + 2, depth = 1;
			name = s + j;
			while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
				j++;
			nlen = (size_t)(s + j - name);
			if (j < n && s[j] == ':') {
				colon = true;
				j++;
			}
			if (j < n && (s[j] == '-' || s[j] == '+')) {
				op = s[j++];
				word = s + j;
			}
			while (j < n && depth) {
				if (s[j] == '{')
					depth++;
				else if (s[j] == '}')
					depth--;
				if (depth)
					j++;
			}
			if (j >= n) { /* unterminated: keep literally */
				buf_add(&b, s + i, n - i);
				break;
			}
			if (word)
				wlen = (size_t)(s + j - word);
			i = j + 1;
		} else if (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '_') {
			size_t j = i + 1;
			name = s + j;
			while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
				j++;
			nlen = (size_t)(s + j - name);
			i = j;
		} else {
			buf_addc(&b, s[i++]);
			continue;
		}
		v = find_var(vars, nvars, name, nlen);
		{
			bool set = v && v->has_value;
			bool nonempty = set && v->value[0];
			bool use_word = op == '-' ? !(colon ? nonempty : set)
				      : op == '+' ? (colon ? nonempty : set) : false;
			if (use_word) {
				char *w = ds_strndup(word, wlen);
				char *x = w ? df_expand(a, w, escape, vars, nvars, unresolved)
					    : NULL;
				ds_free(w);
				if (!x) {
					buf_release(&b);
					return NULL;
				}
				buf_adds(&b, x);
			} else if (op == '+') {
				/* empty */
			} else if (set) {
				buf_adds(&b, v->value);
			} else if (unresolved) {
				*unresolved = true;
			}
		}
	}
	if (!buf_ok(&b)) {
		buf_release(&b);
		return NULL;
	}
	r = arena_strndup(a, buf_str(&b), b.n);
	buf_release(&b);
	return r;
}

char *df_unquote(struct arena *a, const char *s, char escape)
{
	struct buf b = BUF_INIT;
	char q = 0, *r;

	for (; *s; s++) {
		if (q) {
			if (*s == q)
				q = 0;
			else if (*s == escape && q == '"' && s[1])
				buf_addc(&b, *++s);
			else
				buf_addc(&b, *s);
		} else if (*s == '\'' || *s == '"') {
			q = *s;
		} else if (*s == escape && s[1]) {
			buf_addc(&b, *++s);
		} else {
			buf_addc(&b, *s);
		}
	}
	if (!buf_ok(&b)) {
		buf_release(&b);
		return NULL;
	}
	r = arena_strndup(a, buf_str(&b), b.n);
	buf_release(&b);
	return r;
}

/* The stages named so far, by lowercased name, each to the latest stage
 * of that name: a FROM looks its image up there instead of in every
 * earlier stage (50 000 stages took 5 s). Open addressing; slot holds a
 * stage index + 1, 0 when empty; mask + 1 is a power of two at least
 * twice the stages. */
struct stage_map {
	int *slot;
	size_t mask;
};

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211u;
	return h;
}

/* The slot of name (compared without case), or the empty slot it would go in. */
static size_t stage_slot(const struct stage_map *m, const struct df_stage *st, const char *name)
{
	size_t i = name_hash(name) & m->mask;

	while (m->slot[i] && strcasecmp(st[m->slot[i] - 1].name, name))
		i = (i + 1) & m->mask;
	return i;
}

static int resolve_stages(struct parser *p)
{
	struct df_file *f = p->f;
	size_t i, s = 0, cap = 0;
	struct stage_map names = {NULL, 0};

	if (f->nstages) {
		size_t n = 2;
		while (n < 2 * f->nstages)
			n *= 2;
		f->stages = arena_array(p->a, f->nstages, sizeof(*f->stages));
		names.slot = arena_array(p->a, n, sizeof(*names.slot));
		if (!f->stages || !names.slot)
			return ds_oom(p->err);
		memset(names.slot, 0, n * sizeof(*names.slot));
		names.mask = n - 1;
	}
	for (i = 0; i < f->nins; i++) {
		struct df_instr *in = &f->ins[i];
		if (in->cmd == DF_ARG && s == 0) {
			size_t k;
			for (k = 0; k < in->nargs; k++) {
				char *w = in->args[k], *eq = strchr(w, '=');
				struct df_var *v;
				if (arena_grow(p->a, (void **)&f->global_args, &cap,
					       f->nglobal_args + 1, sizeof(*v)))
					return ds_oom(p->err);
				v = &f->global_args[f->nglobal_args++];
				v->name = arena_strndup(p->a, w, eq ? (size_t)(eq - w) : strlen(w));
				v->has_value = eq != NULL;
				v->value = eq ? df_unquote(p->a, eq + 1, f->escape)
					      : arena_strdup(p->a, "");
				if (!v->name || !v->value)
					return ds_oom(p->err);
			}
		}
		if (in->cmd == DF_FROM) {
			struct df_stage *st = &f->stages[s];
			const struct df_flag *pf = df_flag_get(in, "platform");
			bool unres = false;
			size_t k;

			st->index = (int)s;
			st->from = i;
			st->first = i;
			st->base_stage = -1;
			st->image = in->nargs ? in->args[0] : arena_strdup(p->a, "");
			if (!st->image)
				return ds_oom(p->err);
			if (in->nargs >= 3 && strcasecmp(in->args[1], "as") == 0) {
				st->name = arena_strdup(p->a, in->args[2]);
				if (!st->name)
					return ds_oom(p->err);
				for (k = 0; st->name[k]; k++)
					st->name[k] = (char)tolower((unsigned char)st->name[k]);
			}
			st->image_expanded = df_expand(p->a, st->image, f->escape, f->global_args,
						       f->nglobal_args, &unres);
			if (!st->image_expanded)
				return ds_oom(p->err);
			st->unresolved = unres;
			st->platform = pf ? pf->value : NULL;
			k = stage_slot(&names, f->stages, st->image_expanded);
			if (names.slot[k])
				st->base_stage = names.slot[k] - 1; /* the latest stage of that name */
			if (st->name)
				names.slot[stage_slot(&names, f->stages, st->name)] = (int)s + 1;
			if (s > 0)
				f->stages[s - 1].last = i - 1;
			s++;
		}
	}
	if (s)
		f->stages[s - 1].last = f->nins - 1;
	return 0;
}
