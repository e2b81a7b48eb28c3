/*
 * history.c - the Dockerfile an image's history records, rebuilt so the
 * DF-* rules judge a built image as `docksec lint` judges its source (see
 * history.h).
 *
 * created_by comes in the builders' forms:
 *   classic   "/bin/sh -c #(nop)  ENV A=b", "/bin/sh -c #(nop) ADD file:<hash> in / ",
 *             "/bin/sh -c apt-get update", "|2 A=1 B=2 /bin/sh -c make"
 *   BuildKit  "RUN /bin/sh -c apt-get update # buildkit", "ENV A=b", "USER app",
 *             "EXPOSE map[22/tcp:{}]", "HEALTHCHECK &{["CMD-SHELL" "curl x"] "30s" ...}"
 * Each becomes one instruction; a multi-line command keeps its lines,
 * joined by continuations. What is not an instruction becomes a comment,
 * so every line still maps to its history entry. A base image's rootfs
 * (ADD file:<hash> in /) is a comment too: it is how every base is made.
 * The image config has the last word: a User or Healthcheck it holds that
 * the history does not show (docker commit --change) is appended.
 *
 * Both builders record ENV, LABEL and ARG with their values unquoted
 * ("ENV A=hello world B=x" for ENV A="hello world" B=x): each value is
 * quoted again, a value running to the next word that starts NAME=. An
 * instruction the Dockerfile parser would still refuse becomes a comment,
 * so one odd entry never keeps the rules from the rest of the history.
 */
#include "history.h"
#include "../core/buf.h"
#include "../dockerfile/df.h"
#include <ctype.h>

static bool starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* "|2 A=1 B=2 /bin/sh -c cmd" -> "/bin/sh -c cmd". A value may hold
 * spaces ("|1 CFLAGS=-O2 -g /bin/sh -c make": the builders do not quote
 * it): when the words after the args do not start a shell command but
 * one follows, the command is that one. */
static const char *skip_build_args(const char *s)
{
	const char *after, *sh;
	unsigned long n;
	char *end;

	if (*s != '|')
		return s;
	n = strtoul(s + 1, &end, 10);
	s = end;
	while (n-- && *s == ' ') {
		s++;
		while (*s && *s != ' ')
			s++;
	}
	while (*s == ' ')
		s++;
	after = s;
	if (strncmp(after, "/bin/sh -c ", 11) && *after != '[' && (sh = strstr(after, " /bin/sh -c ")))
		return sh + 1;
	return after;
}

/* The Go formatting of a health check, &{["CMD-SHELL" "curl -f x"] "30s" ...},
 * back to HEALTHCHECK CMD ... / NONE. */
static void healthcheck(struct buf *b, const char *s)
{
	const char *p = strchr(s, '['), *end = p ? strchr(p, ']') : NULL;
	bool first = true, shell = false;
	size_t k = 0;

	if (!p || !end) {
		buf_addf(b, "# HEALTHCHECK %s", s);
		return;
	}
	for (p++; p < end;) {
		const char *q;
		if (*p != '"') {
			p++;
			continue;
		}
		q = ++p;
		while (q < end && *q != '"')
			q += *q == '\\' && q + 1 < end ? 2 : 1;
		if (k == 0) {
			if ((size_t)(q - p) == 4 && !strncmp(p, "NONE", 4)) {
				buf_adds(b, "HEALTHCHECK NONE");
				return;
			}
			shell = (size_t)(q - p) == 9 && !strncmp(p, "CMD-SHELL", 9);
			buf_adds(b, shell ? "HEALTHCHECK CMD " : "HEALTHCHECK CMD [");
		} else {
			if (!shell)
				buf_adds(b, first ? "\"" : ", \"");
			buf_add(b, p, (size_t)(q - p));
			if (!shell)
				buf_addc(b, '"');
			first = false;
		}
		k++;
		p = q + 1;
	}
	if (k == 0)
		buf_addf(b, "# HEALTHCHECK %s", s);
	else if (!shell)
		buf_addc(b, ']');
}

/* "map[22/tcp:{} 80/tcp:{}]" -> "22/tcp 80/tcp" */
static void expose(struct buf *b, const char *s)
{
	buf_adds(b, "EXPOSE");
	if (starts(s, "map["))
		s += 4;
	while (*s && *s != ']') {
		const char *e = s + strcspn(s, ": ]");
		if (e > s) {
			buf_addc(b, ' ');
			buf_add(b, s, (size_t)(e - s));
		}
		s = e;
		while (*s && *s != ' ' && *s != ']')
			s++;
		while (*s == ' ')
			s++;
	}
}

/* s[0..n) as a double-quoted Dockerfile word (", backslash and $ escaped; a
 * control character (a newline) a space */
static void quoted(struct buf *b, const char *s, size_t n)
{
	buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\' || s[i] == '$')
			buf_addc(b, '\\');
		buf_addc(b, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i]);
	}
	buf_addc(b, '"');
}

/* The length of the NAME of a NAME=value at p, or 0: letters, digits and
 * _ (a label's also . - / after the first) */
static size_t pair_key(const char *p, bool label)
{
	size_t n = 0;

	while (isalnum((unsigned char)p[n]) || p[n] == '_' || (label && n && p[n] && strchr(".-/", p[n])))
		n++;
	return p[n] == '=' ? n : 0;
}

/* "A=hello world B=x" (after kw) as kw A="hello world" B="x"; false
 * (nothing written) when s is not a list of NAME=value. */
static bool key_values(struct buf *b, const char *kw, const char *s, bool label)
{
	const char *p = s;
	size_t from = b->n;

	if (!pair_key(p, label))
		return false;
	buf_adds(b, kw);
	while (*p) {
		size_t k = pair_key(p, label);
		const char *v, *e;
		if (!k) {
			b->n = from;
			return false;
		}
		v = e = p + k + 1;
		while ((e = strchr(e, ' ')) && !pair_key(e + 1, label))
			e++;
		if (!e)
			e = v + strlen(v);
		buf_addc(b, ' ');
		buf_add(b, p, k + 1);
		quoted(b, v, (size_t)(e - v));
		p = *e ? e + 1 : e;
	}
	return true;
}

/* An instruction written as the builder recorded it (ENV, LABEL and ARG
 * values quoted again). */
static void plain(struct buf *b, const char *s)
{
	if ((starts(s, "ENV ") && key_values(b, "ENV", s + 4, false)) ||
	    (starts(s, "LABEL ") && key_values(b, "LABEL", s + 6, true)) ||
	    (starts(s, "ARG ") && strchr(s, '=') && key_values(b, "ARG", s + 4, false)))
		return;
	buf_adds(b, s);
}

/* "ADD file:<hash> in /" (and trailing spaces): a base image's rootfs */
static bool base_rootfs(const char *s)
{
	const char *sp;
	size_t n = strlen(s);

	while (n && s[n - 1] == ' ')
		n--;
	if (!starts(s, "ADD file:") || n < 14 || strncmp(s + n - 5, " in /", 5))
		return false;
	sp = strchr(s + 4, ' ');
	return sp == s + n - 5; /* one source, then " in /" */
}

/* One created_by as instruction text (may hold newlines). */
static void instruction(struct buf *b, const char *cb)
{
	const char *s = cb;
	size_t n = strlen(s);
	char *tmp;

	/* BuildKit marks its entries */
	if (n >= 11 && !strcmp(s + n - 11, " # buildkit"))
		n -= 11;
	if (!(tmp = ds_strndup(s, n)))
		return;
	s = tmp;
	while (*s == ' ')
		s++;
	s = skip_build_args(s);
	if (starts(s, "/bin/sh -c #(nop) ")) {
		s += 18;
		while (*s == ' ')
			s++;
		if (base_rootfs(s))
			buf_addf(b, "# base image: %s", s); /* the rootfs every base is made of */
		else if (starts(s, "ADD ") || starts(s, "COPY ")) {
			const char *in = strstr(s, " in ");
			if (in) /* "COPY file:<hash> in /dest" */
				buf_addf(b, "%.*s %s", (int)(in - s), s, in + 4);
			else
				buf_adds(b, s);
		} else if (starts(s, "HEALTHCHECK "))
			healthcheck(b, s + 12);
		else if (starts(s, "EXPOSE "))
			expose(b, s + 7);
		else
			plain(b, s);
	} else if (starts(s, "/bin/sh -c ")) {
		buf_addf(b, "RUN %s", s + 11);
	} else if (starts(s, "RUN ")) {
		const char *r = skip_build_args(s + 4);
		buf_addf(b, "RUN %s", starts(r, "/bin/sh -c ") ? r + 11 : r);
	} else if (starts(s, "HEALTHCHECK ")) {
		healthcheck(b, s + 12);
	} else if (starts(s, "EXPOSE ")) {
		expose(b, s + 7);
	} else if (*s >= 'A' && *s <= 'Z' && strchr("RECUWALSVOHM", *s) && strchr(s, ' ') &&
		   strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strcspn(s, " ")) {
		plain(b, s); /* ENV, USER, WORKDIR, COPY, ADD, CMD, ENTRYPOINT, LABEL, ARG... */
	} else {
		buf_addf(b, "# %s", s);
	}
	ds_free(tmp);
}

static bool ref_safe(const char *r)
{
	return r && *r && strspn(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/@-") == strlen(r);
}

/* Record that the next physical lines of b (up to its end) belong to entry. */
static int map_lines(struct arena *a, struct img_history *h, size_t from, int entry, int layer)
{
	const char *p = h->text.p;
	size_t i;

	for (i = from; i < h->text.n; i++) {
		if (p[i] != '\n')
			continue;
		if (arena_grow(a, (void **)&h->lines, &h->cap, h->nlines + 1, sizeof(*h->lines)))
			return DS_ENOMEM;
		h->lines[h->nlines].entry = entry;
		h->lines[h->nlines++].layer = layer;
	}
	return 0;
}

static bool printable(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return s != NULL;
}

/* What the config holds that a history without such entries does not show
 * (an image committed or squashed): its ports and environment. */
static void config_lines(struct img_history *h, json_t *cfg, bool has_expose, bool has_env)
{
	json_t *ports = json_object_get(cfg, "ExposedPorts"), *env = json_object_get(cfg, "Env"), *v;
	const char *k;
	size_t i;

	if (!has_expose && json_object_size(ports)) {
		buf_adds(&h->text, "EXPOSE");
		json_object_foreach(ports, k, v)
			if (printable(k) && !strpbrk(k, " \\"))
				buf_addf(&h->text, " %s", k);
		buf_addc(&h->text, '\n');
	}
	if (!has_env)
		json_array_foreach(env, i, v) {
			const char *e = json_string_value(v), *eq = e ? strchr(e, '=') : NULL;
			if (!eq || eq == e || !printable(e) ||
			    strspn(e, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != (size_t)(eq - e))
				continue;
			buf_addf(&h->text, "ENV %.*s=", (int)(eq - e), e);
			quoted(&h->text, eq + 1, strlen(eq + 1));
			buf_addc(&h->text, '\n');
		}
}

/* Does the Dockerfile parser take text[0..n) as an instruction after a
 * FROM? */
static bool parses(const char *text, size_t n)
{
	struct buf t = BUF_INIT;
	struct arena a;
	struct df_file f;
	struct ds_err err = {0};
	bool ok;

	buf_adds(&t, "FROM image\n");
	buf_add(&t, text, n);
	arena_init(&a, 0);
	ok = !t.oom && !df_parse(&a, "history", t.p, t.n, &f, &err);
	arena_release(&a);
	buf_release(&t);
	return ok;
}

int img_history(struct arena *a, const struct img_image *im, struct img_history *h)
{
	json_t *hist = json_object_get(im->config, "history"), *e, *cfg = json_object_get(im->config, "config");
	const char *user = json_string_value(json_object_get(cfg, "User"));
	json_t *hc = json_object_get(cfg, "Healthcheck");
	const char *last_user = NULL;
	bool has_hc = false, has_expose = false, has_env = false;
	size_t i, from, layer = 0;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	h->text = (struct buf)BUF_INIT;
	buf_addf(&h->text, "FROM %s\n", ref_safe(im->ref) ? im->ref : "image");
	if ((rc = map_lines(a, h, 0, -1, -1)))
		return rc;
	json_array_foreach(hist, i, e) {
		const char *cb = json_string_value(json_object_get(e, "created_by"));
		bool empty = json_is_true(json_object_get(e, "empty_layer"));
		int lay = empty || layer >= im->nlayers ? -1 : (int)layer;
		struct buf one = BUF_INIT;
		size_t k;

		if (!empty)
			layer++;
		if (!cb || !*cb)
			continue;
		if (i > IMG_HISTORY_MAX)
			break;
		instruction(&one, cb);
		from = h->text.n;
		/* one instruction per history entry: its newlines become continuations */
		for (k = 0; k < one.n; k++) {
			if (one.p[k] == '\n') {
				if (k == 0 || one.p[k - 1] != '\\')
					buf_addc(&h->text, '\\');
				buf_addc(&h->text, '\n');
				if (one.p[0] == '#')
					buf_adds(&h->text, "# ");
			} else if (one.p[k] != '\r') {
				buf_addc(&h->text, one.p[k]);
			}
		}
		buf_addc(&h->text, '\n');
		if (one.p && one.p[0] != '#' && !h->text.oom && !parses(h->text.p + from, h->text.n - from)) {
			h->text.n = from; /* as a comment, on one line */
			buf_adds(&h->text, "# ");
			for (k = 0; k < one.n; k++)
				buf_addc(&h->text, one.p[k] == '\n' || one.p[k] == '\r' ? ' ' : one.p[k]);
			buf_addc(&h->text, '\n');
			one.p[0] = '#';
		}
		if (starts(one.p ? one.p : "", "USER "))
			last_user = "set";
		if (starts(one.p ? one.p : "", "HEALTHCHECK "))
			has_hc = true;
		has_expose = has_expose || starts(one.p ? one.p : "", "EXPOSE ");
		has_env = has_env || starts(one.p ? one.p : "", "ENV ");
		buf_release(&one);
		if ((rc = map_lines(a, h, from, (int)i, lay)))
			return rc;
	}
	from = h->text.n;
	config_lines(h, cfg, has_expose, has_env);
	if (user && *user && !last_user && strspn(user, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") == strlen(user))
		buf_addf(&h->text, "USER %s\n", user);
	if (!has_hc && json_is_array(json_object_get(hc, "Test")) && json_array_size(json_object_get(hc, "Test"))) {
		json_t *t = json_object_get(hc, "Test"), *x;
		const char *k0 = json_string_value(json_array_get(t, 0));
		size_t j;
		if (k0 && !strcmp(k0, "NONE")) {
			buf_adds(&h->text, "HEALTHCHECK NONE\n");
		} else if (k0 && !strcmp(k0, "CMD-SHELL") && json_string_value(json_array_get(t, 1)) &&
			   !strpbrk(json_string_value(json_array_get(t, 1)), "\r\n")) {
			buf_addf(&h->text, "HEALTHCHECK CMD %s\n", json_string_value(json_array_get(t, 1)));
		} else {
			buf_adds(&h->text, "HEALTHCHECK CMD [");
			json_array_foreach(t, j, x) {
				if (j == 0)
					continue;
				const char *v = json_string_value(x) ? json_string_value(x) : "";
				buf_adds(&h->text, j > 1 ? ", \"" : "\"");
				buf_add_json_str(&h->text, v, strlen(v));
				buf_addc(&h->text, '"');
			}
			buf_adds(&h->text, "]\n");
		}
	}
	if ((rc = map_lines(a, h, from, IMG_HISTORY_CONFIG, -1)))
		return rc;
	return buf_ok(&h->text) ? 0 : DS_ENOMEM;
}

void img_history_release(struct img_history *h)
{
	buf_release(&h->text);
}
