/*
 * sshd.c - the effective sshd configuration, read the way sshd reads it,
 * for the host hardening checks host-ssh-01..06.
 *
 * sshd keeps the FIRST value it sees for a keyword; `Include` pulls in
 * files (globs expanded in lexical order, relative paths from /etc/ssh) at
 * the place it appears; `Match` starts a conditional block that lasts until
 * the next Match or the end of the top-level file. The global value of a
 * keyword is the first one outside any Match block; a Match block that
 * sets a keyword again is reported with its condition, since it turns the
 * setting back on for the users or addresses it matches. Defaults are
 * OpenSSH's (PermitRootLogin prohibit-password, PasswordAuthentication yes,
 * KbdInteractiveAuthentication yes, UsePAM no).
 */
#include "audit.h"
#include <unistd.h>
#include <errno.h>

#define SSH_MAX_DEPTH 16
#define SSH_MAX_LINES 100000 /* lines of all files read, comments included */
#define SSH_MAX_FILES 256    /* files read through Include, all told */

struct skw {
	const char *key, *value, *file, *match; /* match: NULL when global */
	int line;
};

struct sshcfg {
	struct skw *v;
	size_t n, cap;
	struct arena *a;
	const char *root;
	const char *cur_match;
	const char *unreadable; /* the first file that exists but could not be read */
	const char *cut;        /* why the configuration could not be read whole: the checks are ERROR */
	int lines, files;
};

static int add_kw(struct sshcfg *c, const char *k, const char *v, const char *file, int line)
{
	if (arena_grow(c->a, (void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v)))
		return DS_ENOMEM;
	c->v[c->n].key = k;
	c->v[c->n].value = v;
	c->v[c->n].file = file;
	c->v[c->n].match = c->cur_match;
	c->v[c->n++].line = line;
	return 0;
}

static int parse_file(struct sshcfg *c, const char *path, int depth);

static int include(struct sshcfg *c, const char *pattern, int depth)
{
	const char *full = pattern[0] == '/' ? pattern : arena_printf(c->a, "/etc/ssh/%s", pattern), **v;
	size_t i, n;
	bool cut;
	int rc;

	if (!full)
		return DS_ENOMEM;
	if ((rc = host_glob(c->a, c->root, full, &v, &n, &cut)))
		return rc;
	if (cut && !c->cut)
		c->cut = arena_printf(c->a, "Include %s: more files than docksec lists", pattern);
	for (i = 0; i < n && !rc; i++) /* sorted: lexical order, as sshd */
		rc = parse_file(c, v[i], depth + 1);
	return rc;
}

static int parse_file(struct sshcfg *c, const char *path, int depth)
{
	char *txt, *line, *save = NULL;
	int ln = 0, rc = 0;

	if (c->cut)
		return 0;
	if (!path)
		return DS_ENOMEM;
	if (depth > SSH_MAX_DEPTH) {
		c->cut = arena_printf(c->a, "%s: Include nested deeper than %d levels", path, SSH_MAX_DEPTH);
		return 0;
	}
	if (++c->files > SSH_MAX_FILES) {
		c->cut = arena_printf(c->a, "more than %d files through Include (%s)", SSH_MAX_FILES, path);
		return 0;
	}
	if (!(txt = host_read(c->a, c->root, path, NULL))) {
		if (errno == EACCES && !c->unreadable)
			c->unreadable = path;
		else if (errno != ENOENT && errno != EACCES) /* sshd would read it: we cannot judge without it */
			c->cut = arena_printf(c->a, "%s: %s", path,
					      errno == EFBIG ? "larger than docksec reads" :
					      errno == EINVAL ? "not a regular file" : strerror(errno));
		return 0;
	}
	for (line = strtok_r(txt, "\n", &save); line && !rc && !c->cut; line = strtok_r(NULL, "\n", &save)) {
		char *k = line, *v, *e;
		ln++;
		if (++c->lines > SSH_MAX_LINES) {
			c->cut = arena_printf(c->a, "%s:%d: more than %d lines in all", path, ln, SSH_MAX_LINES);
			break;
		}
		while (*k == ' ' || *k == '\t')
			k++;
		if (!*k || *k == '#')
			continue;
		v = k + strcspn(k, " \t=");
		if (*v) {
			*v++ = 0;
			v += strspn(v, " \t=");
		}
		for (e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'); e--)
			*--e = 0;
		if (!strcasecmp(k, "Include")) {
			char *tok, *s2 = NULL;
			for (tok = strtok_r(v, " \t", &s2); tok && !rc; tok = strtok_r(NULL, " \t", &s2))
				rc = include(c, tok, depth);
			continue;
		}
		if (!strcasecmp(k, "Match")) {
			c->cur_match = strcasecmp(v, "all") ? arena_printf(c->a, "Match %s (%s:%d)", v, path, ln) : NULL;
			continue;
		}
		rc = add_kw(c, arena_strdup(c->a, k), arena_strdup(c->a, v), path, ln);
	}
	if (depth == 0)
		c->cur_match = NULL; /* a Match block ends with the main file */
	return rc;
}

/* The global (first, outside Match) value of key, or NULL. */
static const struct skw *global(const struct sshcfg *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!c->v[i].match && !strcasecmp(c->v[i].key, key))
			return &c->v[i];
	return NULL;
}

static const char *val(const struct sshcfg *c, const char *key, const char *def, struct au_ev *e)
{
	const struct skw *k = global(c, key);

	if (k) {
		au_ev_add(e, "%s %s (%s:%d)", key, k->value, k->file, k->line);
		return k->value;
	}
	au_ev_add(e, "%s %s (OpenSSH's default)", key, def);
	return def;
}

static bool yes(const char *v)
{
	return v && !strcasecmp(v, "yes");
}

static void root_login(void *ctx, const struct rule *r);
static void password_auth(void *ctx, const struct rule *r);
static void kbd_interactive(void *ctx, const struct rule *r);
static void empty_passwords(void *ctx, const struct rule *r);
static void match_blocks(void *ctx, const struct rule *r);
static void weak_algorithms(void *ctx, const struct rule *r);

static const struct rule ssh_defs[] = {
	{"host-ssh-01", SEV_HIGH, "host", "sshd does not permit root login with a password",
	 "A root password is the one account every attacker tries; guessed, it is the host.",
	 "Set `PermitRootLogin prohibit-password` (or `no`) in /etc/ssh/sshd_config and reload sshd.",
	 REFS("lynis:SSH-7408"), root_login, NULL, 0},
	{"host-ssh-02", SEV_MEDIUM, "host", "sshd password authentication is disabled",
	 "Passwords can be guessed and phished; keys cannot be brute-forced.",
	 "Set `PasswordAuthentication no` once every administrator has a key.",
	 REFS("lynis:SSH-7408"), password_auth, NULL, 0},
	{"host-ssh-03", SEV_MEDIUM, "host", "sshd keyboard-interactive (PAM) authentication is disabled",
	 "Keyboard-interactive (PAM) authentication asks for a password even when PasswordAuthentication is off.",
	 "Set `KbdInteractiveAuthentication no` (ChallengeResponseAuthentication on older OpenSSH).",
	 REFS("lynis:SSH-7408"), kbd_interactive, NULL, 0},
	{"host-ssh-04", SEV_CRITICAL, "host", "sshd does not permit empty passwords",
	 "An account with an empty password logs in with nothing.",
	 "Set `PermitEmptyPasswords no`.",
	 REFS("lynis:SSH-7408"), empty_passwords, NULL, 0},
	{"host-ssh-05", SEV_HIGH, "host", "no sshd Match block turns passwords or root login back on",
	 "A Match block overrides the global settings for the users, groups or addresses it names.",
	 "Remove PasswordAuthentication yes / PermitRootLogin yes from Match blocks, or narrow them to trusted addresses.",
	 REFS("lynis:SSH-7408"), match_blocks, NULL, 0},
	{"host-ssh-06", SEV_LOW, "host", "sshd offers no DSA host keys or SHA-1 algorithms",
	 "DSA keys and SHA-1 signatures are broken or deprecated by OpenSSH.",
	 "Remove DSA HostKey lines and ssh-rsa/ssh-dss/SHA-1 entries from HostKeyAlgorithms, KexAlgorithms and MACs.",
	 REFS("lynis:SSH-7408"), weak_algorithms, NULL, 0},
};


static const char *const sha1_algs[] = {
	"ssh-rsa",	 "ssh-dss", "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
	"diffie-hellman-group-exchange-sha1", "hmac-sha1", "hmac-sha1-96", "hmac-sha1-etm@openssh.com",
};

/* Every host-ssh check reads the effective configuration: true when it
 * could, else the result says why (not installed, unreadable, cut). */
static bool load(struct au_ctx *x, struct sshcfg *c)
{
	struct au_result *r = x->r;
	struct au_ev *e = x->e;
	int fd, why;

	x->decided = true;
	memset(c, 0, sizeof(*c));
	c->a = x->a;
	c->root = x->d->root ? x->d->root : "/";
	fd = host_open(c->root, "/etc/ssh/sshd_config");
	why = errno;
	if (fd >= 0) {
		close(fd);
	} else if (why == EACCES) {
		au_ev_add(e, "needs root: /etc/ssh/sshd_config is not readable by this user");
		return false;
	} else if (why == ENOENT) {
		r->status = AU_INFO;
		au_ev_add(e, "no /etc/ssh/sshd_config: sshd is not installed");
		return false;
	} /* otherwise parse_file says why it cannot be read */
	if (parse_file(c, "/etc/ssh/sshd_config", 0)) {
		r->status = AU_ERROR;
		au_ev_add(e, "out of memory reading the sshd configuration");
		return false;
	}
	if (c->cut) {
		r->status = AU_ERROR;
		au_ev_add(e, "cannot judge the sshd configuration: %s", c->cut);
		return false;
	}
	if (c->unreadable) { /* a partial configuration would give a wrong answer */
		au_ev_add(e, "needs root: %s is not readable by this user", c->unreadable);
		return false;
	}
	r->status = AU_PASS;
	return true;
}

/* The global value of key (its default when unset) is yes: WARN. */
static void warn_if_yes(void *ctx, const char *key, const char *def)
{
	struct au_ctx *x = ctx;
	struct sshcfg c;

	if (load(x, &c) && yes(val(&c, key, def, x->e)))
		x->r->status = AU_WARN;
}

static void root_login(void *ctx, const struct rule *rule)
{
	(void)rule;
	warn_if_yes(ctx, "PermitRootLogin", "prohibit-password");
}

static void password_auth(void *ctx, const struct rule *rule)
{
	(void)rule;
	warn_if_yes(ctx, "PasswordAuthentication", "yes");
}

static void empty_passwords(void *ctx, const struct rule *rule)
{
	(void)rule;
	warn_if_yes(ctx, "PermitEmptyPasswords", "no");
}

/* Keyboard-interactive asks for a password only through PAM. */
static void kbd_interactive(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;
	const struct skw *kb;
	struct sshcfg c;
	const char *v;

	(void)rule;
	if (!load(x, &c))
		return;
	if (!(kb = global(&c, "KbdInteractiveAuthentication")))
		kb = global(&c, "ChallengeResponseAuthentication");
	v = kb ? kb->value : "yes";
	au_ev_add(x->e, "KbdInteractiveAuthentication %s (%s)", v,
		  kb ? arena_printf(x->a, "%s:%d", kb->file, kb->line) : "OpenSSH's default");
	if (yes(v) && yes(val(&c, "UsePAM", "no", x->e)))
		x->r->status = AU_WARN;
}

static void match_blocks(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;
	struct sshcfg c;
	size_t i;

	(void)rule;
	if (!load(x, &c))
		return;
	for (i = 0; i < c.n; i++)
		if (c.v[i].match &&
		    ((yes(c.v[i].value) && (!strcasecmp(c.v[i].key, "PasswordAuthentication") ||
					     !strcasecmp(c.v[i].key, "KbdInteractiveAuthentication") ||
					     !strcasecmp(c.v[i].key, "PermitEmptyPasswords"))) ||
		     (!strcasecmp(c.v[i].key, "PermitRootLogin") && yes(c.v[i].value)))) {
			x->r->status = AU_WARN;
			au_ev_add(x->e, "%s sets %s %s (%s:%d)", c.v[i].match, c.v[i].key, c.v[i].value, c.v[i].file,
				  c.v[i].line);
		}
	if (x->r->status == AU_PASS)
		au_ev_add(x->e, "no Match block re-enables passwords or root login");
}

static void weak_algorithms(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;
	struct sshcfg c;
	size_t i, k;

	(void)rule;
	if (!load(x, &c))
		return;
	for (i = 0; i < c.n; i++) {
		if (!strcasecmp(c.v[i].key, "HostKey") && strstr(c.v[i].value, "dsa")) {
			x->r->status = AU_WARN;
			au_ev_add(x->e, "DSA host key %s (%s:%d)", c.v[i].value, c.v[i].file, c.v[i].line);
		}
		if (strcasecmp(c.v[i].key, "KexAlgorithms") && strcasecmp(c.v[i].key, "MACs") &&
		    strcasecmp(c.v[i].key, "HostKeyAlgorithms") && strcasecmp(c.v[i].key, "PubkeyAcceptedAlgorithms") &&
		    strcasecmp(c.v[i].key, "PubkeyAcceptedKeyTypes"))
			continue;
		for (k = 0; k < DS_ARRAY_SIZE(sha1_algs); k++) {
			const char *p = c.v[i].value;
			size_t n = strlen(sha1_algs[k]);
			while ((p = strstr(p, sha1_algs[k]))) {
				bool start = p == c.v[i].value || p[-1] == ',' || p[-1] == '+' || p[-1] == '^';
				if (start && (p[n] == 0 || p[n] == ',') && c.v[i].value[0] != '-') {
					x->r->status = AU_WARN;
					au_ev_add(x->e, "%s enables %s (%s:%d)", c.v[i].key, sha1_algs[k], c.v[i].file,
						  c.v[i].line);
				}
				p += n;
			}
		}
	}
	if (x->r->status == AU_PASS)
		au_ev_add(x->e, "no DSA host key or SHA-1 algorithm configured (OpenSSH's defaults exclude them)");
}

const struct au_module au_ssh = {ssh_defs, DS_ARRAY_SIZE(ssh_defs)};
