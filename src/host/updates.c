/*
 * updates.c - host-upd-*: automatic security updates on Debian and
 * Ubuntu hosts, from the effective APT configuration.
 *
 * APT reads the files of /etc/apt/apt.conf.d in lexical order and then
 * /etc/apt/apt.conf (apt.conf(5); checked with apt-config: the main file
 * wins), and the last value of a scalar wins. Names are case-insensitive
 * and nest with `::` or braces (`APT { Periodic { Enable "1"; }; };`); a
 * value-only item inside braces appends to a list (Origins-Pattern);
 * `#clear NAME;` empties a name; comments are //, # and C-style. The
 * parser below implements that grammar with the nesting bounded; files
 * apt ignores (*.bak, *.dpkg-old, names with other characters) are
 * skipped as apt skips them.
 */
#include "audit.h"
#include "../image/version/version.h"
#include <ctype.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#define APT_MAX_DEPTH 32
#define APT_MAX_ITEMS 100000

struct aitem {
	const char *key, *value, *file;
	int line;
	bool list, clear;
};

struct aptcfg {
	struct aitem *v;
	size_t n, cap;
	struct arena *a;
	int cut; /* DS_ELIMIT or DS_ENOMEM: the configuration was not read whole */
};

static int add(struct aptcfg *c, const char *key, const char *value, const char *file, int line, bool list, bool clear)
{
	if (c->n >= APT_MAX_ITEMS)
		return c->cut = DS_ELIMIT;
	if (arena_grow(c->a, (void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v)))
		return c->cut = DS_ENOMEM;
	c->v[c->n++] = (struct aitem){key, value, file, line, list, clear};
	return 0;
}

/* One token: a word, a "string", or one of { } ; - comments skipped. */
static const char *token(const char **p, int *line, size_t *len, bool *quoted)
{
	const char *s = *p, *t;

	for (;;) {
		while (isspace((unsigned char)*s))
			*line += *s++ == '\n';
		if ((s[0] == '/' && s[1] == '/') || (s[0] == '#' && strncmp(s, "#clear", 6) && strncmp(s, "#include", 8))) {
			s += strcspn(s, "\n");
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");
			for (t = s; t < (e ? e : s + strlen(s)); t++)
				*line += *t == '\n';
			s = e ? e + 2 : s + strlen(s);
		} else {
			break;
		}
	}
	*quoted = false;
	if (!*s) {
		*p = s;
		return NULL;
	}
	if (*s == '"') {
		t = strchr(s + 1, '"');
		*len = t ? (size_t)(t - s - 1) : strlen(s + 1);
		*p = t ? t + 1 : s + 1 + *len;
		*quoted = true;
		return s + 1;
	}
	if (strchr("{};", *s)) {
		*len = 1;
		*p = s + 1;
		return s;
	}
	for (t = s; *t && !isspace((unsigned char)*t) && !strchr("{};\"", *t); t++)
		;
	*len = (size_t)(t - s);
	*p = t;
	return s;
}

static void parse(struct aptcfg *c, const char *file, const char *txt)
{
	const char *scope[APT_MAX_DEPTH], *p = txt, *tok, *name = NULL;
	size_t depth = 0, len;
	int line = 1, nline = 0;
	bool quoted, clear = false;

	while ((tok = token(&p, &line, &len, &quoted))) {
		if (!quoted && len == 1 && *tok == '{') {
			if (depth == APT_MAX_DEPTH)
				return;
			scope[depth++] = name ? name : "";
			name = NULL;
		} else if (!quoted && len == 1 && *tok == '}') {
			if (depth)
				depth--;
			name = NULL;
		} else if (!quoted && len == 1 && *tok == ';') {
			if (name && clear) {
				add(c, name, NULL, file, nline, false, true);
			} else if (name && depth) { /* a bare word inside a block: a list element */
				add(c, arena_printf(c->a, "%s", scope[depth - 1]), name, file, nline, true, false);
			}
			name = NULL;
			clear = false;
		} else if (!quoted && !strncmp(tok, "#clear", len) && len == 6) {
			clear = true;
		} else if (!quoted && !strncmp(tok, "#include", len) && len == 8) {
			clear = false; /* includes are not followed: noted in the docs */
		} else if (!name && !quoted) {
			name = depth && *scope[depth - 1]
				       ? arena_printf(c->a, "%s::%.*s", scope[depth - 1], (int)len, tok)
				       : arena_strndup(c->a, tok, len);
			nline = line;
			if (!name)
				return;
		} else if (!name && quoted) { /* "value"; inside a block: a list element */
			add(c, depth ? scope[depth - 1] : "", arena_strndup(c->a, tok, len), file, line, true, false);
			/* the element's ';' follows */
		} else {
			size_t n = strlen(name);
			bool list = n > 2 && !strcmp(name + n - 2, "::"); /* `Name:: "value";` appends */
			add(c, list ? arena_strndup(c->a, name, n - 2) : name, arena_strndup(c->a, tok, len), file, nline, list,
			    false);
			name = NULL;
		}
	}
}

/* Files apt reads from a parts directory. */
static bool apt_reads(const char *n)
{
	static const char *const ignored[] = {"~", ".disabled", ".bak", ".save", ".orig", ".distUpgrade"};
	size_t i, len = strlen(n);

	if (n[0] == '.' || strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") != len)
		return false;
	for (i = 0; i < DS_ARRAY_SIZE(ignored); i++) {
		size_t k = strlen(ignored[i]);
		if (len >= k && !strcmp(n + len - k, ignored[i]))
			return false;
	}
	return !strstr(n, ".dpkg-") && !strstr(n, ".ucf-");
}

static int by_name(const struct dirent **x, const struct dirent **y)
{
	return strcmp((*x)->d_name, (*y)->d_name);
}

static void load(struct aptcfg *c, const char *root)
{
	struct dirent **ents;
	int i, n = scandir(host_path(c->a, root, "/etc/apt/apt.conf.d"), &ents, NULL, by_name);
	const char *txt;

	for (i = 0; i < n; i++) {
		const char *path = arena_printf(c->a, "/etc/apt/apt.conf.d/%s", ents[i]->d_name);
		if (apt_reads(ents[i]->d_name) && path && (txt = host_read(c->a, root, path, NULL)))
			parse(c, path, txt);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	if ((txt = host_read(c->a, root, "/etc/apt/apt.conf", NULL)))
		parse(c, "/etc/apt/apt.conf", txt);
}

static const struct aitem *scalar(const struct aptcfg *c, const char *key)
{
	size_t i = c->n;

	while (i--)
		if (!c->v[i].list && !c->v[i].clear && !strcasecmp(c->v[i].key, key))
			return &c->v[i];
	return NULL;
}

static bool on(const struct aitem *it)
{
	return it && it->value && strcmp(it->value, "0") && strcasecmp(it->value, "false") && strcasecmp(it->value, "no") &&
	       *it->value;
}

static void auto_updates(void *ctx, const struct rule *r);
static void security_origins(void *ctx, const struct rule *r);
static void apt_timers(void *ctx, const struct rule *r);
static void reboot_pending(void *ctx, const struct rule *r);

static const struct rule defs[] = {
	{"host-upd-01", SEV_MEDIUM, "host", "automatic updates are enabled (unattended-upgrades installed, APT::Periodic on)",
	 "Security fixes that wait for someone to install them by hand are installed late.",
	 "`apt-get install unattended-upgrades` and set APT::Periodic::Update-Package-Lists and Unattended-Upgrade to \"1\".",
	 REFS("owasp:R0", "lynis:PKGS-7420"), auto_updates, NULL, 0},
	{"host-upd-02", SEV_MEDIUM, "host", "unattended-upgrades takes updates from the security archive",
	 "unattended-upgrades installs only from the origins it is given.",
	 "Add the security archive (\"origin=Debian,codename=${distro_codename},label=Debian-Security\") to Unattended-Upgrade::Origins-Pattern.",
	 REFS("owasp:R0", "lynis:PKGS-7420"), security_origins, NULL, 0},
	{"host-upd-03", SEV_MEDIUM, "host", "the APT timers that run unattended-upgrades are enabled",
	 "The apt-daily timers are what run unattended-upgrades.",
	 "`systemctl unmask --now apt-daily.timer apt-daily-upgrade.timer`.",
	 REFS("owasp:R0", "lynis:PKGS-7420"), apt_timers, NULL, 0},
	{"host-upd-04", SEV_MEDIUM, "host", "no reboot is pending and the running kernel is the newest installed",
	 "A fixed kernel or library protects only after the reboot that loads it.",
	 "Reboot the host into the newest installed kernel (drain containers first).",
	 REFS("owasp:R0", "lynis:KRNL-5830"), reboot_pending, NULL, 0},
};

static void periodic(const struct aptcfg *c, struct au_result *r, struct au_ev *e, const char *key)
{
	const struct aitem *it = scalar(c, key);

	if (!on(it))
		r->status = AU_WARN;
	if (it)
		au_ev_add(e, "%s \"%s\" (%s:%d)", key, it->value ? it->value : "", it->file, it->line);
	else
		au_ev_add(e, "%s not set (off)", key);
}

static bool enabled_unit(struct arena *a, const char *root, const char *unit, const char **why)
{
	static const char *const wants[] = {"/etc/systemd/system/timers.target.wants/%s",
					    "/lib/systemd/system/timers.target.wants/%s",
					    "/usr/lib/systemd/system/timers.target.wants/%s"};
	struct stat st;
	char target[PATH_MAX];
	ssize_t n;
	size_t i;
	const char *mask = arena_printf(a, "/etc/systemd/system/%s", unit);

	if (mask && (n = host_readlink(root, mask, target, sizeof(target) - 1)) > 0) {
		target[n] = 0;
		if (!strcmp(target, "/dev/null")) {
			*why = arena_printf(a, "%s is masked (/etc/systemd/system/%s -> /dev/null)", unit, unit);
			return false;
		}
	}
	for (i = 0; i < DS_ARRAY_SIZE(wants); i++) {
		const char *p = arena_printf(a, wants[i], unit);
		if (p && !host_stat(root, p, &st, false)) {
			*why = arena_printf(a, "%s enabled (%s)", unit, p);
			return true;
		}
	}
	*why = arena_printf(a, "%s not enabled (no link in timers.target.wants)", unit);
	return false;
}

/* Every host-upd check needs a dpkg host and its whole APT
 * configuration: true when it has them, else the result says why. */
static bool prepare(struct au_ctx *x, struct aptcfg *c)
{
	x->decided = true;
	if (!x->h->dpkg) {
		x->r->status = AU_SKIP;
		au_ev_add(x->e, "not a dpkg-based host (no /var/lib/dpkg/status): unattended-upgrades does not apply");
		return false;
	}
	memset(c, 0, sizeof(*c));
	c->a = x->a;
	load(c, x->d->root);
	if (c->cut) { /* a value past the cut could turn updates off: not judged */
		x->r->status = AU_ERROR;
		au_ev_add(x->e, "the APT configuration was not read whole: %s",
			  c->cut == DS_ELIMIT ? "more than 100000 items" : "out of memory");
		return false;
	}
	x->r->status = AU_PASS;
	return true;
}

/* host-upd-01 */
static void auto_updates(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;
	struct aptcfg c;
	const char *uu;

	(void)rule;
	if (!prepare(x, &c))
		return;
	if (!(uu = au_dpkg_version(x->h, "unattended-upgrades"))) {
		x->r->status = AU_WARN;
		au_ev_add(x->e, "unattended-upgrades is not installed");
	} else {
		au_ev_add(x->e, "unattended-upgrades %s installed", uu);
	}
	if (scalar(&c, "APT::Periodic::Enable") && !on(scalar(&c, "APT::Periodic::Enable")))
		periodic(&c, x->r, x->e, "APT::Periodic::Enable");
	periodic(&c, x->r, x->e, "APT::Periodic::Update-Package-Lists");
	periodic(&c, x->r, x->e, "APT::Periodic::Unattended-Upgrade");
}

/* host-upd-02: the origins unattended-upgrades takes include security. */
static void security_origins(void *ctx, const struct rule *rule)
{
	static const char *const lists[] = {"Unattended-Upgrade::Origins-Pattern", "Unattended-Upgrade::Allowed-Origins"};
	struct au_ctx *x = ctx;
	struct aptcfg c;
	size_t i, k, n = 0;
	bool security = false;

	(void)rule;
	if (!prepare(x, &c))
		return;
	if (!au_dpkg_version(x->h, "unattended-upgrades")) {
		x->r->status = AU_INFO;
		au_ev_add(x->e, "unattended-upgrades is not installed");
		return;
	}
	for (k = 0; k < DS_ARRAY_SIZE(lists); k++) {
		size_t from = 0;
		for (i = 0; i < c.n; i++) /* a #clear drops what came before */
			if (c.v[i].clear && !strcasecmp(c.v[i].key, lists[k]))
				from = i + 1;
		for (i = from; i < c.n; i++)
			if (c.v[i].list && !strcasecmp(c.v[i].key, lists[k])) {
				n++;
				if (strcasestr(c.v[i].value, "security")) {
					security = true;
					au_ev_add(x->e, "%s \"%s\" (%s:%d)", lists[k], c.v[i].value, c.v[i].file, c.v[i].line);
				}
			}
	}
	if (!security) {
		x->r->status = AU_WARN;
		au_ev_add(x->e, "%zu origin%s configured, none of them the security archive", n, n == 1 ? "" : "s");
	}
}

/* host-upd-03 */
static void apt_timers(void *ctx, const struct rule *rule)
{
	static const char *const timers[] = {"apt-daily.timer", "apt-daily-upgrade.timer"};
	struct au_ctx *x = ctx;
	struct aptcfg c;
	const char *why;
	size_t i;

	(void)rule;
	if (!prepare(x, &c))
		return;
	for (i = 0; i < DS_ARRAY_SIZE(timers); i++) {
		if (!enabled_unit(x->a, x->d->root, timers[i], &why))
			x->r->status = AU_WARN;
		au_ev_add(x->e, "%s", why);
	}
}

/* host-upd-04: a reboot is pending, or the running kernel is older than
 * the newest installed one. */
static void reboot_pending(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;
	const struct au_data *d = x->d;
	struct arena *a = x->a;
	struct au_result *r = x->r;
	struct au_ev *e = x->e;
	struct aptcfg c;
	char *pkgs, *nl;

	(void)rule;
	if (!prepare(x, &c))
		return;
	pkgs = host_read(a, d->root, "/var/run/reboot-required.pkgs", NULL);
	while (pkgs && (nl = strchr(pkgs, '\n')))
		*nl = nl[1] ? ' ' : 0;
	if (host_read(a, d->root, "/var/run/reboot-required", NULL) || host_read(a, d->root, "/run/reboot-required", NULL)) {
		r->status = AU_WARN;
		au_ev_add(e, "a reboot is required (/run/reboot-required)%s%s", pkgs ? " for: " : "", pkgs ? pkgs : "");
	}
	if (!strcmp(d->root, "/") && !d->remote) {
		char *rel = host_read(a, "/", "/proc/sys/kernel/osrelease", NULL), *pv = host_read(a, "/", "/proc/version", NULL), *p;
		const char *running = NULL, *newest = NULL, *newest_pkg = NULL;
		if (rel)
			rel[strcspn(rel, "\n")] = 0;
		if (pv && (p = strstr(pv, " Debian ")))
			running = arena_strndup(a, p + 8, strcspn(p + 8, " \n"));
		if (!running && rel)
			running = au_dpkg_version(x->h, arena_printf(a, "linux-image-%s", rel));
		newest = au_dpkg_newest(x->h, "linux-image-", &newest_pkg);
		if (running && newest && ver_dpkg_cmp(running, newest) < 0) {
			r->status = AU_WARN;
			au_ev_add(e, "running kernel %s (%s) is older than the installed %s %s: reboot into it",
				  rel ? rel : "?", running, newest_pkg, newest);
		} else if (running) {
			au_ev_add(e, "running kernel %s (%s) is the newest installed", rel ? rel : "?", running);
		} else {
			au_ev_add(e, "running kernel %s is not from a package (not compared)", rel ? rel : "?");
		}
	}
	if (r->status == AU_PASS && !e->n)
		au_ev_add(e, "no /run/reboot-required");
}

const struct au_module au_upd = {defs, DS_ARRAY_SIZE(defs)};
