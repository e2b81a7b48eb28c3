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
#include <errno.h>
#include <glob.h>

#define SSH_MAX_DEPTH 16
#define SSH_MAX_LINES 100000

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
	int lines;
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
	const char *full = pattern[0] == '/' ? pattern : arena_printf(c->a, "/etc/ssh/%s", pattern);
	glob_t g;
	size_t i, skip = strcmp(c->root, "/") ? strlen(c->root) : 0;
	int rc = 0;

	if (!full || glob(host_path(c->a, c->root, full), 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc && !rc; i++) /* glob sorts: lexical order, as sshd */
		rc = parse_file(c, arena_strdup(c->a, g.gl_pathv[i] + skip), depth + 1);
	globfree(&g);
	return rc;
}

static int parse_file(struct sshcfg *c, const char *path, int depth)
{
	char *txt, *line, *save = NULL;
	int ln = 0, rc = 0;

	if (depth > SSH_MAX_DEPTH || !path)
		return 0;
	if (!(txt = host_read(c->a, c->root, path, NULL))) {
		if (errno == EACCES && !c->unreadable)
			c->unreadable = path;
		return 0;
	}
	for (line = strtok_r(txt, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
		char *k = line, *v, *e;
		ln++;
		if (++c->lines > SSH_MAX_LINES)
			break;
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

static const struct au_def ssh_defs[] = {
	{"host-ssh-01", "sshd does not permit root login with a password", true},
	{"host-ssh-02", "sshd password authentication is disabled", true},
	{"host-ssh-03", "sshd keyboard-interactive (PAM) authentication is disabled", true},
	{"host-ssh-04", "sshd does not permit empty passwords", true},
	{"host-ssh-05", "no sshd Match block turns passwords or root login back on", true},
	{"host-ssh-06", "sshd offers no DSA host keys or SHA-1 algorithms", true},
};


static const char *const sha1_algs[] = {
	"ssh-rsa",	 "ssh-dss", "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
	"diffie-hellman-group-exchange-sha1", "hmac-sha1", "hmac-sha1-96", "hmac-sha1-etm@openssh.com",
};

static bool check(const struct au_data *d, struct au_host *h, struct arena *a, struct au_result *r, struct au_ev *e)
{
	struct sshcfg c = {0};
	const char *id = r->def->id, *v;
	size_t i, k;

	(void)h;
	if (strncmp(id, "host-ssh-", 9))
		return false;
	c.a = a;
	c.root = d->root ? d->root : "/";
	if (!host_read(a, c.root, "/etc/ssh/sshd_config", NULL) && errno == EACCES) {
		au_ev_add(e, "needs root: /etc/ssh/sshd_config is not readable by this user");
		return true;
	}
	if (!host_read(a, c.root, "/etc/ssh/sshd_config", NULL)) {
		r->status = AU_INFO;
		au_ev_add(e, "no /etc/ssh/sshd_config: sshd is not installed");
		return true;
	}
	if (parse_file(&c, "/etc/ssh/sshd_config", 0)) {
		r->status = AU_SKIP;
		au_ev_add(e, "out of memory reading the sshd configuration");
		return true;
	}
	if (c.unreadable) { /* a partial configuration would give a wrong answer */
		au_ev_add(e, "needs root: %s is not readable by this user", c.unreadable);
		return true;
	}
	r->status = AU_PASS;
	if (!strcmp(id, "host-ssh-01")) {
		v = val(&c, "PermitRootLogin", "prohibit-password", e);
		if (yes(v))
			r->status = AU_WARN;
	} else if (!strcmp(id, "host-ssh-02")) {
		if (yes(val(&c, "PasswordAuthentication", "yes", e)))
			r->status = AU_WARN;
	} else if (!strcmp(id, "host-ssh-03")) {
		const struct skw *kb = global(&c, "KbdInteractiveAuthentication");
		if (!kb)
			kb = global(&c, "ChallengeResponseAuthentication");
		v = kb ? kb->value : "yes";
		au_ev_add(e, "KbdInteractiveAuthentication %s (%s)", v,
			  kb ? arena_printf(a, "%s:%d", kb->file, kb->line) : "OpenSSH's default");
		if (yes(v) && yes(val(&c, "UsePAM", "no", e)))
			r->status = AU_WARN;
	} else if (!strcmp(id, "host-ssh-04")) {
		if (yes(val(&c, "PermitEmptyPasswords", "no", e)))
			r->status = AU_WARN;
	} else if (!strcmp(id, "host-ssh-05")) {
		for (i = 0; i < c.n; i++)
			if (c.v[i].match &&
			    ((yes(c.v[i].value) && (!strcasecmp(c.v[i].key, "PasswordAuthentication") ||
						     !strcasecmp(c.v[i].key, "KbdInteractiveAuthentication") ||
						     !strcasecmp(c.v[i].key, "PermitEmptyPasswords"))) ||
			     (!strcasecmp(c.v[i].key, "PermitRootLogin") && yes(c.v[i].value)))) {
				r->status = AU_WARN;
				au_ev_add(e, "%s sets %s %s (%s:%d)", c.v[i].match, c.v[i].key, c.v[i].value, c.v[i].file,
					  c.v[i].line);
			}
		if (r->status == AU_PASS)
			au_ev_add(e, "no Match block re-enables passwords or root login");
	} else {
		for (i = 0; i < c.n; i++) {
			if (!strcasecmp(c.v[i].key, "HostKey") && strstr(c.v[i].value, "dsa")) {
				r->status = AU_WARN;
				au_ev_add(e, "DSA host key %s (%s:%d)", c.v[i].value, c.v[i].file, c.v[i].line);
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
						r->status = AU_WARN;
						au_ev_add(e, "%s enables %s (%s:%d)", c.v[i].key, sha1_algs[k], c.v[i].file,
							  c.v[i].line);
					}
					p += n;
				}
			}
		}
		if (r->status == AU_PASS)
			au_ev_add(e, "no DSA host key or SHA-1 algorithm configured (OpenSSH's defaults exclude them)");
	}
	return true;
}

const struct au_module au_ssh = {ssh_defs, DS_ARRAY_SIZE(ssh_defs), check};
