/*
 * secrets.c - credentials in image files (see secrets.h).
 *
 * One pass of secret_find() over the text for the formats that identify
 * themselves, then, for files whose name says what they are, their own
 * syntax: a key in ~/.aws/credentials has no prefix to recognise (Trivy
 * misses it), an .npmrc token is whatever follows _authToken=. Generic
 * "password = ..." in arbitrary files is not matched: in source code it
 * is mostly a variable, and a scanner that cries wolf is turned off.
 */
#include "secrets.h"
#include "../core/secret.h"

static const char *base_of(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static bool ends(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcmp(s + n - k, suf);
}

bool img_secret_candidate(const char *path, unsigned long long size)
{
	static const char *const skip_dirs[] = {"/usr/share/doc/", "/usr/share/man/", "/usr/share/locale/",
						"/usr/share/zoneinfo/", "/usr/share/i18n/", "/proc/", "/sys/"};
	static const char *const skip_ext[] = {".so", ".a", ".o", ".pyc", ".gz", ".xz", ".bz2", ".zst", ".zip",
					       ".jar", ".png", ".jpg", ".gif", ".ico", ".mo", ".woff", ".woff2",
					       ".ttf", ".svg", ".wasm", ".deb", ".rpm", ".whl", ".egg"};
	size_t i;

	if (size == 0 || size > IMG_SECRET_MAX_FILE)
		return false;
	for (i = 0; i < DS_ARRAY_SIZE(skip_dirs); i++)
		if (!strncmp(path, skip_dirs[i], strlen(skip_dirs[i])))
			return false;
	for (i = 0; i < DS_ARRAY_SIZE(skip_ext); i++)
		if (ends(path, skip_ext[i]))
			return false;
	return true;
}

static void redact(char out[64], const char *v, size_t n, size_t plen)
{
	if (plen && plen < n)
		snprintf(out, 64, "%.*s**** (%zu characters)", (int)(plen > 20 ? 20 : plen), v, n);
	else if (n >= 8)
		snprintf(out, 64, "%c****%c (%zu characters)", v[0], v[n - 1], n);
	else
		snprintf(out, 64, "**** (%zu characters)", n);
	for (char *p = out; *p; p++) /* the shown characters are data: keep them printable */
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
}

struct scan {
	const char *path, *data;
	size_t n, hits;
	unsigned line;
	size_t line_off; /* offset where line `line` starts */
	void (*fn)(void *, const struct img_secret *);
	void *ud;
};

static unsigned line_at(struct scan *sc, size_t off)
{
	while (sc->line_off < off) { /* offsets only grow within a pass */
		const char *nl = memchr(sc->data + sc->line_off, '\n', off - sc->line_off);
		if (!nl)
			break;
		sc->line++;
		sc->line_off = (size_t)(nl - sc->data) + 1;
	}
	return sc->line;
}

static void report(struct scan *sc, const char *kind, size_t off, size_t len, size_t plen)
{
	struct img_secret s;

	if (sc->hits++ >= IMG_SECRET_MAX_HITS)
		return;
	memset(&s, 0, sizeof(s));
	s.path = sc->path;
	s.kind = kind;
	s.line = line_at(sc, off);
	redact(s.shown, sc->data + off, len, plen);
	sc->fn(sc->ud, &s);
}

/* header.payload.signature, base64url, the header starting {"alg or {"typ */
static size_t jwt_len(const char *p, size_t n)
{
	size_t i = 0, dots = 0;

	if (n < 40 || memcmp(p, "eyJ", 3))
		return 0;
	for (i = 0; i < n; i++) {
		char c = p[i];
		if (c == '.')
			dots++;
		else if (!(isalnum((unsigned char)c) || c == '-' || c == '_'))
			break;
	}
	return dots == 2 && i >= 40 && p[i - 1] != '.' ? i : 0;
}

/* "name = value" lines of a credential file whose name part matches */
static void assignments(struct scan *sc, const char *const *names, size_t nnames, const char *kind)
{
	const char *p = sc->data, *end = sc->data + sc->n;

	sc->line = 1;
	sc->line_off = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *q = p, *eq;
		size_t k;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if (!strncmp(q, "export ", 7))
			q += 7;
		{ /* "k = v" or "k: v", whichever separator comes first (base64 values end in '=') */
			const char *e1 = memchr(q, '=', (size_t)(le - q)), *e2 = memchr(q, ':', (size_t)(le - q));
			eq = e1 && (!e2 || e1 < e2) ? e1 : e2;
		}
		if (eq && *q != '#' && *q != ';') {
			const char *ne = eq, *v = eq + 1, *ve = le;
			while (ne > q && (ne[-1] == ' ' || ne[-1] == '\t'))
				ne--;
			while (v < ve && (*v == ' ' || *v == '\t' || *v == '"' || *v == '\''))
				v++;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\r' || ve[-1] == '"' || ve[-1] == '\'' || ve[-1] == ','))
				ve--;
			for (k = 0; k < nnames; k++) {
				size_t nl2 = strlen(names[k]);
				bool match = names[k][0] == '*' ? secret_name_like(q, (size_t)(ne - q))
								: ((size_t)(ne - q) >= nl2 && !strncasecmp(ne - nl2, names[k], nl2));
				if (match && ve - v >= 4 && !secret_value_placeholder(v, (size_t)(ve - v))) {
					report(sc, kind, (size_t)(v - sc->data), (size_t)(ve - v), 0);
					break;
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
}

void img_secret_scan(const char *path, const char *data, size_t n, void (*fn)(void *ud, const struct img_secret *s),
		     void *ud)
{
	/* data[n] is NUL (the caller's buffer): the line scanners may look one past */
	struct scan sc = {path, data, n, 0, 1, 0, fn, ud};
	const char *base = base_of(path);
	struct secret_hit h;
	size_t off = 0, i;
	bool aws;

	if (memchr(data, 0, n < 8192 ? n : 8192))
		return; /* a binary */
	aws = ends(path, "/.aws/credentials") || ends(path, "/.aws/config");
	while (off < n && secret_find(data + off, n - off, &h)) {
		/* in AWS's own files the key's assignment is read below, whatever its length */
		if (!(aws && !strcmp(h.kind, "AWS secret access key")))
			report(&sc, h.kind, off + h.off, h.len, h.plen);
		off += h.off + (h.len ? h.len : 1);
	}
	sc.line = 1;
	sc.line_off = 0;
	for (i = 0; i + 40 < n;) { /* JSON Web Tokens: "eyJ" found by memmem */
		const char *e = memmem(data + i, n - i, "eyJ", 3);
		size_t l, at;
		if (!e)
			break;
		at = (size_t)(e - data);
		if ((at && (isalnum((unsigned char)data[at - 1]) || data[at - 1] == '_')) || !(l = jwt_len(e, n - at))) {
			i = at + 3;
			continue;
		}
		report(&sc, "JSON Web Token", at, l, 0);
		i = at + l;
	}
	if (aws) {
		static const char *const k[] = {"aws_secret_access_key", "aws_session_token"};
		assignments(&sc, k, 2, "AWS secret access key");
	} else if (!strcmp(base, ".env") || !strncmp(base, ".env.", 5) || ends(base, ".env")) {
		static const char *const k[] = {"*"};
		assignments(&sc, k, 1, "secret in a .env file");
	} else if (!strcmp(base, ".npmrc") || !strcmp(base, ".yarnrc") || !strcmp(base, ".yarnrc.yml")) {
		static const char *const k[] = {"_authToken", "_auth", "_password", "npmAuthToken"};
		assignments(&sc, k, 4, "npm registry token");
	} else if (!strcmp(base, ".pypirc") || !strcmp(base, "pip.conf")) {
		static const char *const k[] = {"password"};
		assignments(&sc, k, 1, "Python package index password");
	} else if (ends(path, "/.docker/config.json") || ends(path, "/.dockercfg")) {
		static const char *const k[] = {"\"auth\"", "\"identitytoken\""};
		assignments(&sc, k, 2, "Docker registry credentials");
	} else if (!strcmp(base, ".netrc") || !strcmp(base, "_netrc")) {
		const char *p = data;
		sc.line = 1;
		sc.line_off = 0;
		while ((p = memmem(p, (size_t)(data + n - p), "password ", 9))) {
			const char *v = p + 9, *ve = v;
			while (ve < data + n && !isspace((unsigned char)*ve))
				ve++;
			if (ve - v >= 4)
				report(&sc, "password in .netrc", (size_t)(v - data), (size_t)(ve - v), 0);
			p = ve;
		}
	}
}
