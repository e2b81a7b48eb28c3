/*
 * shell.c - a POSIX shell splitter for RUN instructions.
 *
 * One pass over the text with a small state machine: words (with quoting,
 * escapes and substitutions read as a unit), operators, redirections and
 * reserved words. Substitutions and `sh -c` strings are split by a nested
 * lexer with depth+1; a sh -c string is a decoded copy, so its commands
 * are mapped onto the span of the word that held it.
 */
#include "shell.h"

struct lexer {
	struct arena *a;
	const char *s; /* buffer */
	size_t i, end;
	struct sh_script *out;
	uint16_t depth;
	bool in_sub;
	bool from_string;
	bool mapped; /* offsets are map_off/map_len (a decoded sh -c string) */
	uint32_t map_off, map_len;
	int paren; /* open ( subshells */
	int case_depth;
	bool expect_pattern;
	bool in_cond;
	/* heredoc delimiters whose bodies start at the next newline */
	char *pending[8];
	bool pending_chomp[8];
	int npending;
	/* bytes the nested splits (sh -c strings, $(...), `...`) may still lex,
	 * shared by the whole script: each nests in another, so without a bound
	 * a 2 KB RUN of nested sh -c's lexed its text over and over up to
	 * SH_MAX_COMMANDS (1 s and 260 MB) */
	size_t *budget;
};

struct cmdb {
	struct sh_cmd c;
	size_t capv, capa, capr;
};

static int split_range(struct lexer *parent, const char *s, size_t start, size_t end,
		       bool in_sub, bool mapped, uint32_t moff, uint32_t mlen);

static uint32_t off_of(struct lexer *lx, size_t i)
{
	return lx->mapped ? lx->map_off : (uint32_t)i;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_meta(char c)
{
	return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' ||
	       c == ')' || c == '\n' || is_blank(c);
}

/* Skip a balanced $( ... ) or $(( ... )) starting at s[i] == '('; returns
 * the index just past the closing parenthesis (or end). */
static size_t skip_parens(const char *s, size_t i, size_t end)
{
	int depth = 0;
	char q = 0;

	for (; i < end; i++) {
		char c = s[i];
		if (q) {
			if (c == q)
				q = 0;
			else if (c == '\\' && q == '"' && i + 1 < end)
				i++;
			continue;
		}
		if (c == '\\' && i + 1 < end) {
			i++;
		} else if (c == '\'' || c == '"' || c == '`') {
			q = c;
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (--depth == 0)
				return i + 1;
		}
	}
	return end;
}

static size_t skip_braces(const char *s, size_t i, size_t end)
{
	int depth = 0;

	for (; i < end; i++) {
		if (s[i] == '\\' && i + 1 < end)
			i++;
		else if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i + 1;
	}
	return end;
}

/* A $... expansion at s[i] == '$': append it raw, split command
 * substitutions. Returns the new index. */
static size_t read_dollar(struct lexer *lx, size_t i, struct buf *w, int *rc)
{
	const char *s = lx->s;
	size_t j;

	if (i + 1 < lx->end && s[i + 1] == '(') {
		bool arith = i + 2 < lx->end && s[i + 2] == '(';
		j = skip_parens(s, i + 1, lx->end);
		if (!arith) {
			size_t cs = i + 2, ce = j > cs && s[j - 1] == ')' ? j - 1 : j;
			*rc = split_range(lx, s, cs, ce, true, lx->mapped, lx->map_off,
					  lx->map_len);
		}
	} else if (i + 1 < lx->end && s[i + 1] == '{') {
		j = skip_braces(s, i + 1, lx->end);
	} else {
		j = i + 1;
		while (j < lx->end && (isalnum((unsigned char)s[j]) || s[j] == '_'))
			j++;
		if (j == i + 1 && j < lx->end && strchr("@*#?$!-0123456789", s[j]))
			j++;
	}
	buf_add(w, s + i, j - i);
	return j;
}

static size_t read_backtick(struct lexer *lx, size_t i, struct buf *w, int *rc)
{
	const char *s = lx->s;
	size_t j = i + 1;

	while (j < lx->end && s[j] != '`') {
		if (s[j] == '\\' && j + 1 < lx->end)
			j++;
		j++;
	}
	*rc = split_range(lx, s, i + 1, j, true, lx->mapped, lx->map_off, lx->map_len);
	if (j < lx->end)
		j++;
	buf_add(w, s + i, j - i);
	return j;
}

/* Read one word at lx->i. */
static int read_word(struct lexer *lx, struct sh_word *out)
{
	const char *s = lx->s;
	struct buf w = BUF_INIT;
	size_t i = lx->i, start = i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (i < lx->end && !rc) {
		char c = s[i];
		if (is_meta(c))
			break;
		if (c == '\\') {
			if (i + 1 < lx->end && s[i + 1] == '\n') {
				i += 2;
				continue;
			}
			if (i + 1 < lx->end) {
				buf_addc(&w, s[i + 1]);
				out->quoted = true;
				i += 2;
			} else {
				i++;
			}
		} else if (c == '\'') {
			size_t j = i + 1;
			while (j < lx->end && s[j] != '\'')
				j++;
			buf_add(&w, s + i + 1, j - i - 1);
			out->quoted = true;
			i = j < lx->end ? j + 1 : j;
		} else if (c == '"') {
			out->quoted = true;
			i++;
			while (i < lx->end && s[i] != '"' && !rc) {
				if (s[i] == '\\' && i + 1 < lx->end &&
				    strchr("$`\"\\\n", s[i + 1])) {
					if (s[i + 1] != '\n')
						buf_addc(&w, s[i + 1]);
					i += 2;
				} else if (s[i] == '$') {
					out->dynamic = true;
					i = read_dollar(lx, i, &w, &rc);
				} else if (s[i] == '`') {
					out->dynamic = true;
					i = read_backtick(lx, i, &w, &rc);
				} else {
					buf_addc(&w, s[i++]);
				}
			}
			if (i < lx->end)
				i++;
		} else if (c == '$' && i + 1 < lx->end) {
			out->dynamic = true;
			i = read_dollar(lx, i, &w, &rc);
		} else if (c == '`') {
			out->dynamic = true;
			i = read_backtick(lx, i, &w, &rc);
		} else {
			buf_addc(&w, c);
			i++;
		}
	}
	if (!rc && !buf_ok(&w))
		rc = DS_ENOMEM;
	if (!rc) {
		out->s = arena_strndup(lx->a, buf_str(&w), w.n);
		if (!out->s)
			rc = DS_ENOMEM;
	}
	buf_release(&w);
	out->off = off_of(lx, start);
	out->len = lx->mapped ? lx->map_len : (uint32_t)(i - start);
	lx->i = i;
	return rc;
}

static int push_word(struct lexer *lx, struct sh_word **v, size_t *n, size_t *cap,
		     const struct sh_word *w)
{
	if (arena_grow(lx->a, (void **)v, cap, *n + 1, sizeof(**v)))
		return DS_ENOMEM;
	(*v)[(*n)++] = *w;
	return 0;
}

static bool is_assignment(const struct sh_word *w, const char *raw)
{
	const char *p = w->s;

	if (w->quoted && raw[0] != '_' && !isalpha((unsigned char)raw[0]))
		return false;
	if (!isalpha((unsigned char)*p) && *p != '_')
		return false;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '=' || (p[0] == '+' && p[1] == '=');
}

static int finish(struct lexer *lx, struct cmdb *cb, enum sh_op op);
static struct str sh_cmd_name_compute(const struct sh_cmd *c, size_t *argi);

/* After a command is complete: split the script of `sh -c 'script'`. */
static int recurse_sh_c(struct lexer *lx, const struct sh_cmd *c)
{
	size_t argi, k;
	struct str name = sh_cmd_name(c, &argi);
	bool su = str_eq(name, "su");

	if (!sh_is_shell(name) && !su)
		return 0;
	for (k = argi + 1; k + 1 < c->argc; k++) {
		const char *a = c->argv[k].s;
		if (a[0] == '-' && a[1] != '-' && strchr(a, 'c')) {
			const struct sh_word *scr = &c->argv[k + 1];
			return split_range(lx, scr->s, 0, strlen(scr->s), false, true, scr->off,
					   scr->len);
		}
		if (!strcmp(a, "--command") && su) {
			const struct sh_word *scr = &c->argv[k + 1];
			return split_range(lx, scr->s, 0, strlen(scr->s), false, true, scr->off,
					   scr->len);
		}
		if (a[0] != '-' && !su)
			break;
	}
	return 0;
}

static int finish(struct lexer *lx, struct cmdb *cb, enum sh_op op)
{
	struct sh_script *o = lx->out;
	struct sh_cmd *c;
	int rc;

	if (cb->c.argc == 0 && cb->c.nassigns == 0 && cb->c.nredirs == 0) {
		/* an operator after nothing: attach it to the previous command */
		if (o->n && op != SH_END && o->cmds[o->n - 1].op == SH_SEQ && op != SH_SEQ &&
		    !lx->depth)
			o->cmds[o->n - 1].op = op;
		return 0;
	}
	if (o->n >= SH_MAX_COMMANDS) {
		o->truncated = true;
		memset(cb, 0, sizeof(*cb));
		return 0;
	}
	if (arena_grow(lx->a, (void **)&o->cmds, &o->cap, o->n + 1, sizeof(*c)))
		return DS_ENOMEM;
	c = &o->cmds[o->n++];
	*c = cb->c;
	c->op = op;
	c->depth = lx->depth;
	c->in_subshell = lx->in_sub || lx->paren > 0;
	c->in_condition = lx->in_cond || op == SH_OR;
	c->from_string = lx->from_string || lx->mapped;
	if (o->n > 1 && o->cmds[o->n - 2].op == SH_PIPE && o->cmds[o->n - 2].depth == c->depth)
		c->pipeline = o->cmds[o->n - 2].pipeline;
	else
		c->pipeline = o->npipelines++;
	memset(cb, 0, sizeof(*cb));
	c->name = sh_cmd_name_compute(c, &c->name_idx);
	rc = recurse_sh_c(lx, c);
	return rc;
}

static void skip_heredoc_bodies(struct lexer *lx)
{
	int k;

	for (k = 0; k < lx->npending; k++) {
		size_t nl = strlen(lx->pending[k]);
		while (lx->i < lx->end) {
			size_t ls = lx->i, le = ls;
			while (le < lx->end && lx->s[le] != '\n')
				le++;
			lx->i = le < lx->end ? le + 1 : le;
			while (lx->pending_chomp[k] && ls < le && lx->s[ls] == '\t')
				ls++;
			if (le - ls == nl && !memcmp(lx->s + ls, lx->pending[k], nl))
				break;
		}
	}
	lx->npending = 0;
}

static int read_redir(struct lexer *lx, struct cmdb *cb, int fd)
{
	const char *s = lx->s;
	struct sh_redir r;
	size_t i = lx->i, k = 0;
	int rc;

	memset(&r, 0, sizeof(r));
	r.fd = fd;
	while (i < lx->end && k < 3 && strchr("<>&|-", s[i])) {
		/* "<<-" is an operator; "-" alone is a target ("<&-"), keep it out */
		if (s[i] == '-' && !(k == 2 && r.op[0] == '<' && r.op[1] == '<'))
			break;
		if (s[i] == '&' && k > 0 && r.op[k - 1] == '&')
			break;
		r.op[k++] = s[i++];
	}
	lx->i = i;
	while (lx->i < lx->end && is_blank(s[lx->i]))
		lx->i++;
	if ((rc = read_word(lx, &r.target)))
		return rc;
	if ((!strcmp(r.op, "<<") || !strcmp(r.op, "<<-")) && lx->npending < 8) {
		lx->pending[lx->npending] = r.target.s;
		lx->pending_chomp[lx->npending++] = r.op[2] == '-';
	}
	if (arena_grow(lx->a, (void **)&cb->c.redirs, &cb->capr, cb->c.nredirs + 1, sizeof(r)))
		return DS_ENOMEM;
	cb->c.redirs[cb->c.nredirs++] = r;
	return 0;
}

/* Skip a case pattern "(a|b)" or "a|b)" up to and including ')'. */
static void skip_pattern(struct lexer *lx)
{
	char q = 0;

	while (lx->i < lx->end) {
		char c = lx->s[lx->i++];
		if (q) {
			if (c == q)
				q = 0;
		} else if (c == '\'' || c == '"') {
			q = c;
		} else if (c == '\\') {
			lx->i++;
		} else if (c == ')') {
			return;
		}
	}
}

static int lex(struct lexer *lx)
{
	const char *s = lx->s;
	struct cmdb cb;
	int rc = 0;
	bool skip_header = false; /* inside "for x in ...": not a command */

	memset(&cb, 0, sizeof(cb));
	while (!rc) {
		char c;

		while (lx->i < lx->end && (is_blank(s[lx->i]) ||
					   (s[lx->i] == '\\' && lx->i + 1 < lx->end &&
					    s[lx->i + 1] == '\n'))) {
			lx->i += s[lx->i] == '\\' ? 2 : 1;
		}
		if (lx->i >= lx->end)
			break;
		c = s[lx->i];
		if (cb.c.argc == 0 && lx->expect_pattern && c != '\n' && c != ';') {
			struct sh_word w;
			size_t save = lx->i;
			if ((rc = read_word(lx, &w)))
				break;
			if (!w.quoted && !strcmp(w.s, "esac")) {
				lx->expect_pattern = false;
				lx->case_depth--;
				continue;
			}
			lx->i = save;
			skip_pattern(lx);
			lx->expect_pattern = false;
			continue;
		}
		if (c == '#' && (lx->i == 0 || is_meta(s[lx->i - 1]))) {
			while (lx->i < lx->end && s[lx->i] != '\n')
				lx->i++;
			continue;
		}
		if (c == '\n') {
			lx->i++;
			if (lx->npending)
				skip_heredoc_bodies(lx);
			skip_header = false;
			rc = finish(lx, &cb, SH_SEQ);
			continue;
		}
		if (c == ';') {
			lx->i++;
			if (lx->i < lx->end && (s[lx->i] == ';' || s[lx->i] == '&')) {
				lx->i++;
				if (lx->case_depth)
					lx->expect_pattern = true;
			}
			skip_header = false;
			rc = finish(lx, &cb, SH_SEQ);
			continue;
		}
		if (c == '&') {
			if (lx->i + 1 < lx->end && s[lx->i + 1] == '&') {
				lx->i += 2;
				rc = finish(lx, &cb, SH_AND);
			} else if (lx->i + 1 < lx->end && s[lx->i + 1] == '>') {
				rc = read_redir(lx, &cb, -1);
			} else {
				lx->i++;
				rc = finish(lx, &cb, SH_SEQ);
			}
			continue;
		}
		if (c == '|') {
			if (lx->i + 1 < lx->end && s[lx->i + 1] == '|') {
				lx->i += 2;
				rc = finish(lx, &cb, SH_OR);
			} else {
				lx->i += lx->i + 1 < lx->end && s[lx->i + 1] == '&' ? 2 : 1;
				rc = finish(lx, &cb, SH_PIPE);
			}
			continue;
		}
		if (c == '(') {
			lx->i++;
			if (cb.c.argc == 0)
				lx->paren++;
			else if (lx->i < lx->end && s[lx->i] == ')')
				lx->i++; /* function definition name() */
			continue;
		}
		if (c == ')') {
			lx->i++;
			rc = finish(lx, &cb, SH_SEQ);
			if (lx->paren > 0)
				lx->paren--;
			continue;
		}
		if (c == '<' || c == '>') {
			rc = read_redir(lx, &cb, -1);
			continue;
		}
		{
			struct sh_word w;
			size_t save = lx->i;

			if (isdigit((unsigned char)c)) {
				size_t j = lx->i;
				while (j < lx->end && isdigit((unsigned char)s[j]))
					j++;
				if (j < lx->end && (s[j] == '<' || s[j] == '>')) {
					unsigned long fd = 0;
					str_to_ulong(str_make(s + lx->i, j - lx->i), 255, &fd);
					lx->i = j;
					rc = read_redir(lx, &cb, (int)fd);
					continue;
				}
			}
			if ((rc = read_word(lx, &w)))
				break;
			if (lx->i == save) { /* nothing consumed: skip the byte */
				lx->i++;
				continue;
			}
			if (skip_header)
				continue;
			if (cb.c.argc == 0 && !w.quoted) {
				const char *k = w.s;
				if (!strcmp(k, "if") || !strcmp(k, "elif") || !strcmp(k, "while") ||
				    !strcmp(k, "until")) {
					lx->in_cond = true;
					continue;
				}
				if (!strcmp(k, "then") || !strcmp(k, "do") || !strcmp(k, "else")) {
					lx->in_cond = false;
					continue;
				}
				if (!strcmp(k, "fi") || !strcmp(k, "done") || !strcmp(k, "{") ||
				    !strcmp(k, "}") || !strcmp(k, "!"))
					continue;
				if (!strcmp(k, "esac")) {
					if (lx->case_depth)
						lx->case_depth--;
					lx->expect_pattern = false;
					continue;
				}
				if (!strcmp(k, "for") || !strcmp(k, "select")) {
					skip_header = true;
					continue;
				}
				if (!strcmp(k, "case")) {
					struct sh_word t;
					/* case WORD in */
					while (lx->i < lx->end && is_blank(s[lx->i]))
						lx->i++;
					if ((rc = read_word(lx, &t)))
						break;
					while (lx->i < lx->end && (is_blank(s[lx->i]) || s[lx->i] == '\n'))
						lx->i++;
					if ((rc = read_word(lx, &t)))
						break;
					lx->case_depth++;
					lx->expect_pattern = true;
					continue;
				}
			}
			if (cb.c.argc == 0 && is_assignment(&w, s + save)) {
				if (cb.c.nassigns == 0)
					cb.c.off = w.off;
				rc = push_word(lx, &cb.c.assigns, &cb.c.nassigns, &cb.capa, &w);
				continue;
			}
			if (cb.c.argc == 0 && cb.c.nassigns == 0)
				cb.c.off = w.off;
			rc = push_word(lx, &cb.c.argv, &cb.c.argc, &cb.capv, &w);
		}
	}
	if (!rc)
		rc = finish(lx, &cb, SH_END);
	return rc;
}

static int split_range(struct lexer *parent, const char *s, size_t start, size_t end,
		       bool in_sub, bool mapped, uint32_t moff, uint32_t mlen)
{
	struct lexer lx;

	if (parent->depth + 1 >= SH_MAX_DEPTH || end - start > *parent->budget) {
		parent->out->truncated = true;
		return 0;
	}
	*parent->budget -= end - start;
	memset(&lx, 0, sizeof(lx));
	lx.a = parent->a;
	lx.s = s;
	lx.i = start;
	lx.end = end;
	lx.out = parent->out;
	lx.depth = (uint16_t)(parent->depth + 1);
	lx.in_sub = in_sub || parent->in_sub;
	lx.from_string = true;
	lx.mapped = mapped;
	lx.map_off = moff;
	lx.map_len = mlen;
	lx.budget = parent->budget;
	return lex(&lx);
}

int sh_split(struct arena *a, const char *src, size_t len, struct sh_script *s)
{
	struct lexer lx;
	size_t budget = SH_NESTED_PER_BYTE * len + 4096;

	memset(&lx, 0, sizeof(lx));
	lx.a = a;
	lx.s = src;
	lx.end = len;
	lx.out = s;
	lx.budget = &budget;
	return lex(&lx);
}

bool sh_is_shell(struct str n)
{
	static const char *const shells[] = {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"};
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(shells); i++)
		if (str_eq(n, shells[i]))
			return true;
	return false;
}

struct str sh_cmd_name(const struct sh_cmd *c, size_t *argi)
{
	if (argi)
		*argi = c->name_idx;
	return c->name;
}

/* Rules ask for the name of every command many times; the splitter works
 * it out once when the command is complete. */
static struct str sh_cmd_name_compute(const struct sh_cmd *c, size_t *argi)
{
	size_t i = 0;

	while (i < c->argc) {
		struct str w = str_basename(str_cstr(c->argv[i].s));
		if (str_eq(w, "sudo") || str_eq(w, "doas")) {
			i++;
			/* sudo's options; -u/-g take a value */
			while (i < c->argc && c->argv[i].s[0] == '-') {
				const char *o = c->argv[i].s;
				i++;
				if ((!strcmp(o, "-u") || !strcmp(o, "-g") || !strcmp(o, "-C") ||
				     !strcmp(o, "-h") || !strcmp(o, "-p")) &&
				    i < c->argc)
					i++;
			}
		} else if (str_eq(w, "env")) {
			i++;
			while (i < c->argc &&
			       (c->argv[i].s[0] == '-' || strchr(c->argv[i].s, '=')))
				i++;
		} else if (str_eq(w, "command") || str_eq(w, "exec") || str_eq(w, "nohup") ||
			   str_eq(w, "time") || str_eq(w, "builtin")) {
			i++;
			while (i < c->argc && c->argv[i].s[0] == '-')
				i++;
		} else if (str_eq(w, "nice") || str_eq(w, "ionice") || str_eq(w, "stdbuf") ||
			   str_eq(w, "xargs") || str_eq(w, "timeout") || str_eq(w, "gosu") ||
			   str_eq(w, "su-exec") || str_eq(w, "chroot")) {
			bool takes_one = str_eq(w, "timeout") || str_eq(w, "gosu") ||
					 str_eq(w, "su-exec") || str_eq(w, "chroot");
			i++;
			while (i < c->argc && c->argv[i].s[0] == '-')
				i++;
			if (takes_one && i < c->argc)
				i++; /* the duration, user or root directory */
		} else {
			break;
		}
	}
	if (argi)
		*argi = i;
	if (i >= c->argc)
		return str_make("", 0);
	return str_basename(str_cstr(c->argv[i].s));
}

bool sh_cmd_is(const struct sh_cmd *c, const char *name, size_t *argi)
{
	return str_eq(sh_cmd_name(c, argi), name);
}
