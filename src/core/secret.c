/*
 * secret.c - credential formats (AWS, GitHub, GitLab, Slack, Stripe,
 * Google, npm, PyPI, private keys, credentials in URLs) and name heuristics.
 */
#include "secret.h"
#include <pthread.h>

static bool in_set(char c, const char *extra)
{
	return isalnum((unsigned char)c) || (extra && c && strchr(extra, c));
}

/* Count characters of the alphabet starting at s[i]. */
static size_t run_len(const char *s, size_t n, size_t i, const char *extra, bool upper_digits)
{
	size_t j = i;

	while (j < n) {
		char c = s[j];
		if (upper_digits ? !(isupper((unsigned char)c) || isdigit((unsigned char)c))
				 : !in_set(c, extra))
			break;
		j++;
	}
	return j - i;
}

struct fmt {
	const char *prefix;
	size_t plen;
	const char *kind;
	const char *extra; /* extra alphabet beyond [A-Za-z0-9] */
	size_t min, max;   /* length of the part after the prefix */
	bool upper_digits;
};

static const struct fmt fmts[] = {
	{"AKIA", sizeof("AKIA") - 1, "AWS access key id", NULL, 16, 16, true},
	{"ASIA", sizeof("ASIA") - 1, "AWS temporary access key id", NULL, 16, 16, true},
	{"ghp_", sizeof("ghp_") - 1, "GitHub personal access token", NULL, 36, 36, false},
	{"gho_", sizeof("gho_") - 1, "GitHub OAuth token", NULL, 36, 36, false},
	{"ghu_", sizeof("ghu_") - 1, "GitHub user-to-server token", NULL, 36, 36, false},
	{"ghs_", sizeof("ghs_") - 1, "GitHub server-to-server token", NULL, 36, 36, false},
	{"ghr_", sizeof("ghr_") - 1, "GitHub refresh token", NULL, 36, 36, false},
	{"github_pat_", sizeof("github_pat_") - 1, "GitHub fine-grained token", "_", 60, 255, false},
	{"glpat-", sizeof("glpat-") - 1, "GitLab personal access token", "_-", 20, 64, false},
	{"gldt-", sizeof("gldt-") - 1, "GitLab deploy token", "_-", 20, 64, false},
	{"xoxb-", sizeof("xoxb-") - 1, "Slack bot token", "-", 20, 255, false},
	{"xoxp-", sizeof("xoxp-") - 1, "Slack user token", "-", 20, 255, false},
	{"xoxa-", sizeof("xoxa-") - 1, "Slack app token", "-", 20, 255, false},
	{"xoxr-", sizeof("xoxr-") - 1, "Slack refresh token", "-", 20, 255, false},
	{"xoxs-", sizeof("xoxs-") - 1, "Slack session token", "-", 20, 255, false},
	{"sk_live_", sizeof("sk_live_") - 1, "Stripe secret key", NULL, 20, 255, false},
	{"rk_live_", sizeof("rk_live_") - 1, "Stripe restricted key", NULL, 20, 255, false},
	{"AIza", sizeof("AIza") - 1, "Google API key", "_-", 35, 35, false},
	{"npm_", sizeof("npm_") - 1, "npm access token", NULL, 36, 36, false},
	{"pypi-AgEIcHlwaS5vcmc", sizeof("pypi-AgEIcHlwaS5vcmc") - 1, "PyPI upload token", "_-", 50, 255, false},
	{"sk-ant-", sizeof("sk-ant-") - 1, "Anthropic API key", "_-", 40, 255, false},
	{"hooks.slack.com/services/T", sizeof("hooks.slack.com/services/T") - 1, "Slack webhook URL", "/", 20, 255, false},
	{"dop_v1_", sizeof("dop_v1_") - 1, "DigitalOcean token", NULL, 64, 64, false},
	{"SG.", sizeof("SG.") - 1, "SendGrid API key", "_-.", 60, 80, false},
};

_Static_assert(sizeof(fmts) / sizeof(fmts[0]) <= 32, "by_first holds a bit per format");

/* per first byte, the formats starting with it (a bit per row of fmts) */
static uint32_t by_first[256];
static pthread_once_t by_first_once = PTHREAD_ONCE_INIT;

static void by_first_init(void)
{
	size_t k;

	for (k = 0; k < DS_ARRAY_SIZE(fmts); k++)
		by_first[(unsigned char)fmts[k].prefix[0]] |= 1u << k;
}

static const unsigned char alnum[256] = {['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1};

static bool boundary_before(const char *s, size_t i)
{
	return i == 0 || !alnum[(unsigned char)s[i - 1]];
}

/* "aws_secret_access_key" (any case: the credentials file's key, the
 * environment variable), a separator (= or :, with quotes and blanks), and
 * 40 characters of base64's alphabet standing alone: AWS's secret keys have
 * no prefix of their own, the name before them is what identifies them. */
static bool aws_secret(const char *s, size_t n, size_t i, struct secret_hit *hit)
{
	static const char key[] = "aws_secret_access_key";
	size_t k = sizeof(key) - 1, j = i + k, v, r;
	bool sep = false;

	if (n - i < k + 41 || strncasecmp(s + i, key, k))
		return false;
	for (; j < n && j - (i + k) < 6 && s[j] && strchr(" \t\"':=", s[j]); j++)
		sep |= s[j] == '=' || s[j] == ':';
	if (!sep)
		return false;
	for (v = j, r = 0; v + r < n && r <= 40 && (alnum[(unsigned char)s[v + r]] || s[v + r] == '/' || s[v + r] == '+');)
		r++;
	if (r != 40 || (v + r < n && s[v + r] == '='))
		return false;
	hit->kind = "AWS secret access key";
	hit->off = v;
	hit->len = 40;
	hit->plen = 0;
	return true;
}

/* every format starts at a word boundary with one of these bytes (or is
 * the ':' of "://"): one table lookup skips most bytes */
static const unsigned char start[256] = {['-'] = 1, ['A'] = 1, ['G'] = 1, ['g'] = 1, ['h'] = 1, ['x'] = 1,
					 ['s'] = 1, ['r'] = 1, ['n'] = 1, ['p'] = 1, ['S'] = 1, ['d'] = 1,
					 ['a'] = 1, [':'] = 2};

size_t secret_start_literals(const char **out, bool *caseless, size_t max)
{
	static const char *const special[] = {"-----BEGIN ", "://", "aws_secret_access_key"};
	size_t n = 0, k;

	for (k = 0; k < DS_ARRAY_SIZE(special) && n < max; k++, n++) {
		out[n] = special[k];
		caseless[n] = !strcmp(special[k], "aws_secret_access_key");
	}
	for (k = 0; k < DS_ARRAY_SIZE(fmts) && n < max; k++, n++) {
		out[n] = fmts[k].prefix;
		caseless[n] = false;
	}
	return n;
}

bool secret_at(const char *s, size_t n, size_t i, struct secret_hit *hit)
{
	unsigned char k0;
	size_t k;

	if (i >= n || !(k0 = start[(unsigned char)s[i]]) || (k0 == 1 && !boundary_before(s, i)))
		return false;
	pthread_once(&by_first_once, by_first_init);
	memset(hit, 0, sizeof(*hit)); /* a reused hit keeps no field of the last one */
	if (s[i] == '-' && n - i >= 11 && !memcmp(s + i, "-----BEGIN ", 11)) {
		size_t e = i + 11;
		while (e < n && e - i < 64 && s[e] != '-' && s[e] != '\n')
			e++;
		if (e - i >= 22 && !memcmp(s + e - 11, "PRIVATE KEY", 11)) {
			hit->kind = "private key";
			hit->off = i;
			hit->len = e - i;
			return true;
		}
	}
	if ((s[i] | 0x20) == 'a' && (i + 1 < n && (s[i + 1] | 0x20) == 'w') && aws_secret(s, n, i, hit))
		return true;
	if (s[i] == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/') {
		/* scheme://user:password@host */
		size_t u = i + 3, colon = 0, j;
		for (j = u; j < n && j - u < 256; j++) {
			char c = s[j];
			if (c == ':' && !colon)
				colon = j;
			else if (c == '@' && colon && colon > u && j > colon + 1) {
				struct str pw = str_make(s + colon + 1, j - colon - 1);
				if (!secret_value_placeholder(pw.p, pw.n)) {
					hit->kind = "password in URL";
					hit->off = colon + 1;
					hit->len = pw.n;
					return true;
				}
				break;
			} else if (c == '/' || c == ' ' || c == '"' || c == '\'' ||
				   c == '\n' || c == '@')
				break;
		}
	}
	for (uint32_t m = by_first[(unsigned char)s[i]]; m; m &= m - 1) {
		const struct fmt *f = &fmts[k = (size_t)__builtin_ctz(m)];
		size_t pl = f->plen, r;
		if (n - i < pl || memcmp(s + i, f->prefix, pl))
			continue;
		r = run_len(s, n, i + pl, f->extra, f->upper_digits);
		if (r < f->min || (f->max == f->min && r != f->min))
			continue;
		if (r > f->max)
			continue;
		hit->kind = f->kind;
		hit->off = i;
		hit->len = pl + r;
		hit->plen = pl;
		return true;
	}
	return false;
}

bool secret_find(const char *s, size_t n, struct secret_hit *hit)
{
	size_t i;

	memset(hit, 0, sizeof(*hit));
	for (i = 0; i < n; i++)
		if (start[(unsigned char)s[i]] && secret_at(s, n, i, hit))
			return true;
	return false;
}

static bool word_in(const char *name, size_t n, const char *w)
{
	size_t wl = strlen(w), i;

	for (i = 0; i + wl <= n; i++)
		if (strncasecmp(name + i, w, wl) == 0)
			return true;
	return false;
}

static bool ends_with(const char *name, size_t n, const char *suf)
{
	size_t sl = strlen(suf);
	return n >= sl && strncasecmp(name + n - sl, suf, sl) == 0;
}

bool secret_name_like(const char *name, size_t n)
{
	static const char *const hints[] = {"password", "passwd",     "secret",	 "token",
					    "api_key",	"apikey",     "api-key",	 "private_key",
					    "privatekey", "access_key", "accesskey", "credential",
					    "auth_key", "client_secret", "_pass", "pass_", "pwd",
					    "psw" /* Jenkins credentials binding: X_USR, X_PSW */};
	static const char *const not_secret[] = {"_file", "_path", "_dir", "_url", "_host",
						 "_port", "_user", "_username", "_name",
						 "_length", "_len", "_type", "_id", "_endpoint",
						 "_expiry", "_ttl", "_timeout", "_enabled",
						 "_version", "_header", "_field", "_policy"};
	size_t i;
	bool hit = false;

	for (i = 0; i < DS_ARRAY_SIZE(hints) && !hit; i++)
		hit = word_in(name, n, hints[i]);
	if (!hit && (strncasecmp(name, "pass", 4) == 0 && (n == 4 || name[4] == '_')))
		hit = true;
	if (!hit)
		return false;
	/* a public token or key is public by name (PUBLIC_KEY, public_token) */
	if (word_in(name, n, "public") || strncasecmp(name, "public", 6) == 0)
		return false;
	for (i = 0; i < DS_ARRAY_SIZE(not_secret); i++)
		if (ends_with(name, n, not_secret[i]))
			return false;
	return true;
}

bool secret_value_placeholder(const char *v, size_t n)
{
	static const char *const ph[] = {"true",  "false", "yes",	   "no",   "null", "none",
					 "0",	  "1",	   "changeme", "xxx",  "***",  "<", "{{"};
	size_t i;

	while (n && (*v == '"' || *v == '\'' || *v == ' ')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == '"' || v[n - 1] == '\'' || v[n - 1] == ' '))
		n--;
	if (n == 0)
		return true;
	if (v[0] == '$' || (n >= 2 && v[0] == '%' && v[n - 1] == '%'))
		return true;
	if (v[0] == '/' || (n > 2 && v[0] == '.' && v[1] == '/'))
		return true; /* a path to a secret, not a secret */
	for (i = 0; i < DS_ARRAY_SIZE(ph); i++) {
		size_t l = strlen(ph[i]);
		if ((ph[i][0] == '<' || ph[i][0] == '{') ? (n >= l && !memcmp(v, ph[i], l))
							  : (n == l && !strncasecmp(v, ph[i], l)))
			return true;
	}
	return false;
}

