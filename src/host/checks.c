/*
 * checks.c - CIS sections 1 (host), 2 (daemon), 3 (files), 4 (images),
 * 6 (operations) and 7 (swarm), decided from /info, the daemon's effective
 * configuration (host.c), stat() of the files under the audited root,
 * /proc/self/mountinfo and the audit rules.
 *
 * Where the Engine API reports what the daemon really does (/info:
 * SecurityOptions, LiveRestoreEnabled, LoggingDriver, Driver,
 * RegistryConfig, ExperimentalBuild, Plugins.Authorization) it is
 * preferred to configuration files; settings /info does not expose (icc,
 * log level, iptables, userland proxy, TLS, ulimits, cgroup parent,
 * no-new-privileges) come from the configuration with its source named.
 * A file that is not there is INFO "not present", as docker-bench reports.
 */
#include "audit.h"
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define EV au_ev_add

static bool is_true(const char *v)
{
	return v && (!strcmp(v, "true") || !strcmp(v, "1"));
}

static bool is_false(const char *v)
{
	return v && (!strcmp(v, "false") || !strcmp(v, "0"));
}

static bool secopt(const struct au_data *d, const char *name)
{
	json_t *v;
	size_t i;
	char want[64];

	snprintf(want, sizeof(want), "name=%s", name);
	json_array_foreach(json_object_get(d->info, "SecurityOptions"), i, v) {
		const char *s = json_string_value(v);
		if (s && !strncmp(s, want, strlen(want)) && (s[strlen(want)] == 0 || s[strlen(want)] == ','))
			return true;
	}
	return false;
}

static const char *src(const struct dsetting *s)
{
	return s->from ? s->from : "default";
}

/* ---- section 1 ---- */

/* The mount covering path: its major:minor and mount point. */
static bool covering_mount(struct arena *a, const struct au_data *d, const char *path, unsigned *maj, unsigned *min,
			   const char **mnt)
{
	char *mi = host_read(a, d->root, "/proc/self/mountinfo", NULL), *line, *save = NULL;
	size_t best = 0;
	bool found = false;

	if (!mi)
		return false;
	for (line = strtok_r(mi, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned id, parent, ma, mn;
		char root[1024], mp[1024];
		size_t n;
		if (sscanf(line, "%u %u %u:%u %1023s %1023s", &id, &parent, &ma, &mn, root, mp) != 6)
			continue;
		n = strlen(mp);
		if (!strncmp(path, mp, n) && (path[n] == '/' || path[n] == 0 || !strcmp(mp, "/")) && n >= best) {
			best = n;
			*maj = ma;
			*min = mn;
			*mnt = arena_strdup(a, mp);
			found = true;
		}
	}
	return found;
}


/* 1.1.1: the data root on a device of its own. */
void au_c_partition(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct au_data *d = c->d;
	struct arena *a = c->a;
	struct au_result *r = c->r;
	struct au_ev *e = c->e;
	const char *dir = au_jstr(d->info, "DockerRootDir"), *m1, *m2;
	unsigned a1, b1, a2, b2;

	(void)rule;
	c->decided = true;
	if (!dir)
		dir = "/var/lib/docker";
	if (!covering_mount(a, d, dir, &a1, &b1, &m1) || !covering_mount(a, d, "/", &a2, &b2, &m2)) {
		r->status = AU_SKIP;
		EV(e, "no /proc/self/mountinfo under %s", d->root);
		return;
	}
	if (a1 != a2 || b1 != b2) {
		r->status = AU_PASS;
		EV(e, "%s is on %s (device %u:%u), / is on %u:%u", dir, m1, a1, b1, a2, b2);
	} else {
		r->status = AU_WARN;
		EV(e, "%s is on the root filesystem's device %u:%u (mount %s)%s", dir, a1, b1, m1,
		   strcmp(m1, "/") ? ": a bind mount is not a separate partition" : "");
	}
}

/* 1.1.2: the docker group's members are root-equivalent. */
void au_c_docker_group(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	struct au_result *r = c->r;
	struct au_ev *e = c->e;
	char *grp = host_read(c->a, c->d->root, "/etc/group", NULL), *line, *save = NULL;

	(void)rule;
	c->decided = true;
	r->status = AU_INFO;
	if (!grp) {
		EV(e, "no /etc/group");
		return;
	}
	for (line = strtok_r(grp, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "docker:", 7))
			continue;
		{
			const char *members = strrchr(line, ':');
			members = members ? members + 1 : "";
			EV(e, "docker group members (root-equivalent): %s", *members ? members : "(none)");
			if (*members)
				r->status = AU_WARN;
			return;
		}
	}
	EV(e, "no docker group");
}

/* Where a systemd unit or a binary really is on this host. */
static const char *locate(struct arena *a, const char *root, const char *what)
{
	static const char *const unit_dirs[] = {"/lib/systemd/system/", "/usr/lib/systemd/system/", "/etc/systemd/system/"};
	static const char *const bin_dirs[] = {"/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/bin/", "/sbin/"};
	struct stat st;
	size_t i;

	if (what[0] != '/') {
		for (i = 0; i < DS_ARRAY_SIZE(unit_dirs); i++) {
			const char *p = arena_printf(a, "%s%s", unit_dirs[i], what);
			if (p && !host_stat(root, p, &st, true))
				return p;
		}
		return NULL;
	}
	if (!strncmp(what, "/usr/bin/", 9)) {
		for (i = 0; i < DS_ARRAY_SIZE(bin_dirs); i++) {
			const char *p = arena_printf(a, "%s%s", bin_dirs[i], what + 9);
			if (p && !host_stat(root, p, &st, true))
				return p;
		}
		return NULL;
	}
	return host_stat(root, what, &st, true) ? NULL : what;
}

/* All audit rules (audit.rules, then each rules.d file) as one string. */
static const char *audit_rules(struct arena *a, const char *root)
{
	struct buf b = BUF_INIT;
	const char *r, **v;
	char *s;
	size_t i, n;

	if ((s = host_read(a, root, "/etc/audit/audit.rules", NULL)))
		buf_adds(&b, s);
	if (!host_glob(a, root, "/etc/audit/rules.d/*.rules", &v, &n, NULL)) {
		for (i = 0; i < n; i++)
			if ((s = host_read(a, root, v[i], NULL))) {
				buf_addc(&b, '\n');
				buf_adds(&b, s);
			}
	}
	r = b.n ? arena_strndup(a, buf_str(&b), b.n) : NULL;
	buf_release(&b);
	return r;
}

static bool audited(const char *rules, const char *path)
{
	const char *p = rules;
	size_t n = strlen(path);

	while (p && (p = strstr(p, path))) {
		/* "-w PATH" or "path=PATH" / "dir=PATH", whole word */
		bool start = p >= rules + 3 && (!strncmp(p - 3, "-w ", 3) || (p >= rules + 5 && !strncmp(p - 5, "path=", 5)) ||
						(p >= rules + 4 && !strncmp(p - 4, "dir=", 4)));
		bool end = p[n] == 0 || p[n] == ' ' || p[n] == '\n' || p[n] == '\t';
		if (start && end) {
			const char *ls = p;
			while (ls > rules && ls[-1] != '\n')
				ls--;
			if (*ls != '#')
				return true;
		}
		p += n;
	}
	return false;
}

/* 1.1.3-1.1.18: an audit rule watches the row's file (its arg). */
void au_c_audit_rule(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct au_data *d = c->d;
	struct arena *a = c->a;
	struct au_result *r = c->r;
	struct au_ev *e = c->e;
	const char *what = rule->arg, *path = locate(a, d->root, what), *rules;

	c->decided = true;
	if (!path) {
		r->status = AU_INFO;
		EV(e, "%s is not present on this host", what);
		return;
	}
	rules = audit_rules(a, d->root);
	if (!rules && host_access(d->root, "/etc/audit", F_OK) == 0 && host_access(d->root, "/etc/audit", R_OK | X_OK) != 0) {
		r->status = AU_SKIP;
		EV(e, "needs root: /etc/audit is not readable by this user");
		return;
	}
	if (rules && audited(rules, path)) {
		r->status = AU_PASS;
		EV(e, "audit rule for %s found", path);
	} else {
		r->status = AU_WARN;
		EV(e, "no audit rule watches %s (%s)", path, rules ? "checked /etc/audit/audit.rules and rules.d" : "no audit rules on this host");
	}
}

/* 1.2.2 (manual): the engine's version, for the review. */
void au_c_engine_version(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const char *v = au_jstr(c->d->version, "Version");

	(void)rule;
	c->decided = true;
	c->r->status = AU_INFO;
	EV(c->e, "Docker Engine %s (compare with the distribution's current release)", v ? v : "?");
}

/* ---- section 2 ---- */

static bool default_bridge_icc(const struct au_data *d, const char **value)
{
	json_t *n;
	size_t i;

	json_array_foreach(d->networks, i, n) {
		const char *name = au_jstr(n, "Name");
		if (name && !strcmp(name, "bridge")) {
			*value = au_jstr(json_object_get(n, "Options"), "com.docker.network.bridge.enable_icc");
			return true;
		}
	}
	return false;
}

/* Sections 2 and 3 read the daemon's configuration: a remote daemon's is
 * on its host (SKIP, saying so); without one (a unit test's data) the
 * check stays undecided. */
static const struct dcfg *daemon_cfg(struct au_ctx *c)
{
	if (c->d->remote) {
		c->decided = true;
		au_ev_add(c->e, "the daemon is remote: its daemon.json and command line are on its host, not this one");
		return NULL;
	}
	c->decided = c->d->dcfg != NULL;
	return c->d->dcfg;
}

/* For the section-2 checks /info or /networks decide as well: a remote
 * daemon is judged by its answers alone (an empty configuration). */
static const struct dcfg *daemon_cfg_api(struct au_ctx *c)
{
	static const struct dcfg none;

	if (c->d->remote) {
		c->decided = true;
		return &none;
	}
	return daemon_cfg(c);
}

/* A section-2 check that would PASS while daemon.json could not be read
 * is ERROR: a setting in it may say otherwise. */
static void daemon_done(struct au_ctx *c)
{
	const struct dcfg *cfg = c->d->dcfg;

	if (cfg && cfg->json_error) {
		EV(c->e, "note: daemon.json could not be read: %s", cfg->json_error);
		if (c->r->status == AU_PASS)
			c->r->status = AU_ERROR;
	}
}

/* 2.1 */
void au_c_rootless(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	bool on;

	(void)rule;
	if (!daemon_cfg_api(c))
		return;
	on = secopt(c->d, "rootless");
	c->r->status = on ? AU_PASS : AU_INFO;
	EV(c->e, on ? "the daemon runs rootless" : "the daemon runs as root (rootless mode not in SecurityOptions)");
	daemon_done(c);
}

/* 2.2: the default bridge's own option wins over the configuration. */
void au_c_icc(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg_api(c);
	const char *v = NULL;
	bool bridge;

	(void)rule;
	if (!cfg)
		return;
	bridge = default_bridge_icc(c->d, &v);
	if (c->d->networks && !bridge) {
		c->r->status = AU_PASS;
		EV(c->e, "no default bridge network (dockerd --bridge=none)");
	} else if (c->d->networks && v) {
		c->r->status = is_false(v) ? AU_PASS : AU_WARN;
		EV(c->e, "network bridge: com.docker.network.bridge.enable_icc = %s", v);
	} else {
		c->r->status = is_false(cfg->icc.v) ? AU_PASS : AU_WARN;
		EV(c->e, "icc = %s (%s)", cfg->icc.v ? cfg->icc.v : "true", src(&cfg->icc));
	}
	daemon_done(c);
}

/* 2.3, 2.4, 2.8, 2.10, 2.14, 2.16: one daemon setting (the row's arg)
 * against the value the benchmark wants. */
void au_c_setting(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg(c);
	const struct au_setting *w = rule->arg;
	const struct dsetting *s;
	bool ok = false;

	if (!cfg)
		return;
	s = (const struct dsetting *)((const char *)cfg + w->off);
	switch (w->want) {
	case AS_TRUE:
		ok = is_true(s->v);
		break;
	case AS_FALSE:
		ok = is_false(s->v);
		break;
	case AS_NOT_FALSE:
		ok = !is_false(s->v);
		break;
	case AS_SET:
		ok = s->v != NULL;
		break;
	case AS_UNSET:
		ok = s->v == NULL;
		break;
	case AS_DEFAULT:
		ok = !s->v || !strcmp(s->v, w->def);
		break;
	}
	c->r->status = ok ? AU_PASS : w->otherwise;
	EV(c->e, "%s = %s (%s)", w->key, s->v ? s->v : w->def, src(s));
	daemon_done(c);
}

/* 2.5: /info's registry configuration is what the daemon applies. */
void au_c_insecure_registries(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg_api(c);
	json_t *rc = json_object_get(c->d->info, "RegistryConfig"), *x;
	const char *k;
	size_t i;

	(void)rule;
	if (!cfg)
		return;
	c->r->status = AU_PASS;
	json_array_foreach(json_object_get(rc, "InsecureRegistryCIDRs"), i, x) {
		const char *s = json_string_value(x);
		if (s && strcmp(s, "127.0.0.0/8") && strcmp(s, "::1/128")) {
			c->r->status = AU_WARN;
			EV(c->e, "insecure registry range %s", s);
		}
	}
	json_object_foreach(json_object_get(rc, "IndexConfigs"), k, x)
		if (json_is_false(json_object_get(x, "Secure"))) {
			c->r->status = AU_WARN;
			EV(c->e, "insecure registry %s", k);
		}
	if (!c->d->info && cfg->insecure.v) {
		c->r->status = AU_WARN;
		EV(c->e, "insecure-registries = %s (%s)", cfg->insecure.v, src(&cfg->insecure));
	}
	if (c->r->status == AU_PASS)
		EV(c->e, "no insecure registries");
	daemon_done(c);
}

/* 2.6 */
void au_c_aufs(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg_api(c);
	const char *v;

	(void)rule;
	if (!cfg)
		return;
	v = c->d->info ? au_jstr(c->d->info, "Driver") : cfg->storage_driver.v;
	c->r->status = v && !strcmp(v, "aufs") ? AU_WARN : AU_PASS;
	EV(c->e, "storage driver = %s", v ? v : "(default)");
	daemon_done(c);
}

/* 2.7: every TCP listener needs --tlsverify. */
void au_c_tcp_tls(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg(c);
	size_t i;
	bool any = false;

	(void)rule;
	if (!cfg)
		return;
	c->r->status = AU_PASS;
	for (i = 0; i < cfg->nhosts; i++) {
		if (strncmp(cfg->hosts[i], "tcp://", 6))
			continue;
		any = true;
		if (!is_true(cfg->tlsverify.v)) {
			c->r->status = AU_WARN;
			EV(c->e, "listens on %s (%s) without --tlsverify%s", cfg->hosts[i], cfg->hosts_from[i],
			   is_true(cfg->tls.v) ? " (TLS without client verification: anyone can connect)" : "");
		} else {
			EV(c->e, "listens on %s with --tlsverify", cfg->hosts[i]);
		}
	}
	if (!any)
		EV(c->e, "the daemon listens on no TCP socket");
	daemon_done(c);
}

/* 2.9 */
void au_c_userns(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg_api(c);
	bool on;

	(void)rule;
	if (!cfg)
		return;
	on = secopt(c->d, "userns") || cfg->userns_remap.v;
	c->r->status = on ? AU_PASS : AU_WARN;
	EV(c->e, on ? "user namespace remapping is on" : "userns-remap is not set");
	daemon_done(c);
}

/* 2.11 */
void au_c_basesize(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg(c);
	const char *v;

	(void)rule;
	if (!cfg)
		return;
	v = cfg->storage_opts.v;
	c->r->status = v && strstr(v, "dm.basesize") ? AU_WARN : AU_PASS;
	EV(c->e, "storage-opts = %s", v ? v : "(none)");
	daemon_done(c);
}

/* 2.12 */
void au_c_authz(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg_api(c);
	bool on;

	(void)rule;
	if (!cfg)
		return;
	on = json_array_size(json_object_get(json_object_get(c->d->info, "Plugins"), "Authorization")) > 0 || cfg->authz.v;
	c->r->status = on ? AU_PASS : AU_WARN;
	EV(c->e, on ? "an authorization plugin is configured" : "no authorization plugin");
	daemon_done(c);
}

/* 2.13: a local log driver keeps the logs where an intruder can edit them. */
void au_c_log_driver(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg_api(c);
	const char *v;

	(void)rule;
	if (!cfg)
		return;
	v = c->d->info ? au_jstr(c->d->info, "LoggingDriver") : cfg->log_driver.v;
	if (!v)
		v = "json-file";
	c->r->status = !strcmp(v, "json-file") || !strcmp(v, "local") || !strcmp(v, "none") ? AU_WARN : AU_PASS;
	EV(c->e, "log driver = %s", v);
	daemon_done(c);
}

/* 2.15 */
void au_c_live_restore(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg_api(c);
	bool on;

	(void)rule;
	if (!cfg)
		return;
	on = c->d->info ? json_is_true(json_object_get(c->d->info, "LiveRestoreEnabled")) : is_true(cfg->live_restore.v);
	c->r->status = on ? AU_PASS : AU_WARN;
	EV(c->e, "live-restore = %s", on ? "true" : "false");
	daemon_done(c);
}

/* 2.17 */
void au_c_seccomp_profile(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg(c);
	const char *v;

	(void)rule;
	if (!cfg)
		return;
	v = cfg->seccomp.v;
	if (v && !strcmp(v, "unconfined")) {
		c->r->status = AU_WARN;
		EV(c->e, "seccomp-profile = unconfined (%s): containers run without seccomp", src(&cfg->seccomp));
	} else {
		c->r->status = v ? AU_PASS : AU_INFO;
		EV(c->e, "seccomp-profile = %s", v ? v : "(Docker's default profile)");
	}
	daemon_done(c);
}

/* 2.18 */
void au_c_experimental(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct dcfg *cfg = daemon_cfg_api(c);
	bool on;

	(void)rule;
	if (!cfg)
		return;
	on = c->d->info ? json_is_true(json_object_get(c->d->info, "ExperimentalBuild")) : is_true(cfg->experimental.v);
	c->r->status = on ? AU_WARN : AU_PASS;
	EV(c->e, "experimental = %s", on ? "true" : "false");
	daemon_done(c);
}

/* ---- section 3 ---- */

/* Ownership (want_mode false) or mode of path (located under root),
 * decided into r; the result points at the host file. */
static void file_check(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e, const char *path,
		       const struct au_file *f, bool want_mode)
{
	struct stat st;
	bool gfound = true;
	gid_t gid = strcmp(f->group, "root") ? host_group_id(a, d->root, f->group, &gfound) : 0;

	if (host_stat(d->root, path, &st, false)) {
		r->status = AU_INFO;
		EV(e, "%s is not present", path);
		return;
	}
	r->loc.kind = LOC_HOSTFILE;
	r->loc.file = path;
	if (f->dir && !S_ISDIR(st.st_mode)) {
		r->status = AU_WARN;
		EV(e, "%s is not a directory", path);
		return;
	}
	if (want_mode) {
		mode_t m = st.st_mode & 07777;
		r->status = (m & ~f->max) ? AU_WARN : AU_PASS;
		EV(e, "%s mode %04o (%04o or stricter wanted)", path, (unsigned)m, (unsigned)f->max);
	} else {
		bool ok = st.st_uid == 0 && (st.st_gid == gid || (!gfound && st.st_gid == 0));
		r->status = ok ? AU_PASS : AU_WARN;
		EV(e, "%s owned by %u:%u (root:%s wanted%s)", path, (unsigned)st.st_uid, (unsigned)st.st_gid, f->group,
		   gfound ? "" : "; no such group, root accepted");
	}
}

static const char *socket_path(const struct au_data *d)
{
	return d->sock && strcmp(d->root, "/") == 0 ? d->sock : "/var/run/docker.sock";
}

/* The file a section-3 row names, as this host has it; NULL when absent
 * (*why says why). */
static const char *file_path(struct au_ctx *c, const struct au_file *f, const char **why)
{
	const struct dcfg *cfg = c->d->dcfg;
	const char *p = f->path;

	*why = NULL;
	switch (f->what) {
	case AF_PATH:
		return f->path;
	case AF_UNIT:
		return locate(c->a, c->d->root, f->path);
	case AF_TLSCACERT:
		p = cfg->tlscacert.v;
		break;
	case AF_TLSCERT:
		p = cfg->tlscert.v;
		break;
	case AF_TLSKEY:
		p = cfg->tlskey.v;
		break;
	case AF_SOCKET:
		return socket_path(c->d);
	case AF_DAEMON_JSON:
		return cfg->json_path ? cfg->json_path : f->path;
	case AF_GLOB:
		return NULL;
	}
	if (!p)
		*why = "TLS is not configured";
	return p;
}

/* Every file a glob row names ("/etc/docker/certs.d/x/y"): WARN when any
 * is wrong, ERROR when the listing was cut before all were seen. */
static void glob_check(struct au_ctx *c, const struct au_file *f, bool want_mode)
{
	const char **v;
	size_t k, n;
	bool cut;

	if (host_glob(c->a, c->d->root, f->path, &v, &n, &cut)) {
		c->rc = DS_ENOMEM;
		return;
	}
	if (!n) {
		c->r->status = AU_INFO;
		EV(c->e, "%s", f->absent ? f->absent : "no file matches the pattern");
		return;
	}
	c->r->status = AU_PASS;
	for (k = 0; k < n; k++) {
		struct au_result one = *c->r;
		file_check(c->d, c->a, &one, c->e, v[k], f, want_mode);
		if (one.status == AU_WARN)
			c->r->status = AU_WARN;
	}
	if (cut) {
		EV(c->e, "more files match %s than docksec lists", f->path);
		if (c->r->status == AU_PASS)
			c->r->status = AU_ERROR;
	}
}

static void file_row(struct au_ctx *c, const struct rule *rule, bool want_mode)
{
	const struct au_file *f = rule->arg;
	const char *path, *why;

	if (!daemon_cfg(c))
		return;
	if (f->what == AF_GLOB) {
		glob_check(c, f, want_mode);
		return;
	}
	if (!(path = file_path(c, f, &why))) {
		c->r->status = AU_INFO;
		if (why)
			EV(c->e, "%s", why);
		else
			EV(c->e, "%s is not present", f->path);
		return;
	}
	file_check(c->d, c->a, c->r, c->e, path, f, want_mode);
}

/* 3.1, 3.3, 3.5...: the row's file (its arg) owned by root:group. */
void au_c_file_owner(void *ctx, const struct rule *rule)
{
	file_row(ctx, rule, false);
}

/* 3.2, 3.4, 3.6...: the row's file no more open than its mode. */
void au_c_file_mode(void *ctx, const struct rule *rule)
{
	file_row(ctx, rule, true);
}

/* ---- section 4 ---- */

static const char *image_name(json_t *img)
{
	const char *tag = json_string_value(json_array_get(json_object_get(img, "RepoTags"), 0));
	const char *id = json_string_value(json_object_get(img, "Id"));
	return tag && strcmp(tag, "<none>:<none>") ? tag : id ? id : "?";
}

/* 4.8 (a manual recommendation): the setuid and setgid files of each
 * image's final view, listed from its layers (whiteouts applied), so the
 * review has the facts. INFO when there are some, PASS when none. */
void au_c_image_setid(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct au_data *d = c->d;
	struct au_result *r = c->r;
	struct au_ev *e = c->e;
	size_t i, k, n = json_array_size(d->images), listed = 0, skipped = 0, failed = 0;
	json_t *f;

	(void)rule;
	c->decided = true;
	if (!d->images) {
		EV(e, "no Engine API (offline audit)");
		return;
	}
	r->status = AU_PASS;
	for (i = 0; i < n; i++) {
		json_t *s = d->image_setid ? d->image_setid[i] : NULL;
		const char *name = image_name(json_array_get(d->images, i));
		if (!s) {
			skipped++;
			continue;
		}
		if (!json_is_array(s)) {
			failed++;
			EV(e, "%s: layers not listed: %s", name, au_jstr(s, "error") ? au_jstr(s, "error") : "?");
			continue;
		}
		listed++;
		if (!json_array_size(s))
			continue;
		r->status = AU_INFO;
		EV(e, "%s: %zu setuid/setgid file%s", name, json_array_size(s), json_array_size(s) == 1 ? "" : "s");
		json_array_foreach(s, k, f) {
			if (k == 20) {
				EV(e, "  ... and %zu more", json_array_size(s) - 20);
				break;
			}
			EV(e, "  %s %04llo (layer %lld)", au_jstr(f, "path") ? au_jstr(f, "path") : "?",
			   (unsigned long long)json_integer_value(json_object_get(f, "mode")),
			   (long long)json_integer_value(json_object_get(f, "layer")) + 1);
		}
	}
	if (r->status == AU_PASS)
		EV(e, "%zu image%s listed: no setuid or setgid file", listed, listed == 1 ? "" : "s");
	if (skipped)
		EV(e, "%zu image%s not listed (over --image-files-max)", skipped, skipped == 1 ? "" : "s");
	if (r->status == AU_PASS && failed) /* not seen is not clean */
		r->status = AU_ERROR;
}

/* 4.5 */
void au_c_content_trust(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const char *v = getenv("DOCKER_CONTENT_TRUST");

	(void)rule;
	c->decided = true;
	c->r->status = v && !strcmp(v, "1") ? AU_PASS : AU_WARN;
	EV(c->e, "DOCKER_CONTENT_TRUST = %s", v ? v : "(unset)");
}

/* What a per-image judgement reads: the image's inspect or its history. */
enum img_input { IMG_INSPECT, IMG_HISTORY };

/* Judge every image with one(): it returns true when the image is wrong
 * (and has said why): the check is `wrong` (WARN, or INFO for a manual
 * review) when some are, PASS when none is, ERROR when some could not be
 * read and the rest are right. The result points at the one wrong image
 * when there is exactly one. */
static void each_image(struct au_ctx *c, enum img_input in, enum ds_status wrong,
		       bool (*one)(struct au_ev *e, const char *name, json_t *x))
{
	const struct au_data *d = c->d;
	size_t i, n = json_array_size(d->images), nunread = 0, nbad = 0;
	const char *bad = NULL;

	c->decided = true;
	if (!d->images) {
		EV(c->e, "no Engine API (offline audit)");
		return;
	}
	c->r->status = AU_PASS;
	for (i = 0; i < n; i++) {
		json_t *ins = d->image_inspect ? d->image_inspect[i] : NULL;
		json_t *x = in == IMG_INSPECT ? ins : d->image_history ? d->image_history[i] : NULL;
		const char *name = image_name(json_array_get(d->images, i));
		if (!ins)
			continue; /* removed while the audit ran */
		if (json_is_object(x) && au_jstr(x, "error")) { /* judged on what was not read: ERROR */
			nunread++;
			EV(c->e, "%s: not read: %s", name, au_jstr(x, "error"));
			continue;
		}
		if (one(c->e, name, x)) {
			nbad++;
			bad = name;
		}
	}
	if (nbad)
		c->r->status = wrong;
	if (nbad == 1) {
		c->r->loc.kind = LOC_IMAGE;
		c->r->loc.image = arena_strdup(c->a, bad);
	}
	if (c->r->status == AU_PASS)
		EV(c->e, "%zu image%s checked", n - nunread, n - nunread == 1 ? "" : "s");
	if (c->r->status == AU_PASS && nunread)
		c->r->status = AU_ERROR;
}

static bool runs_as_root(struct au_ev *e, const char *name, json_t *ins)
{
	const char *u = au_jstr(json_object_get(ins, "Config"), "User");

	if (u && *u && strcmp(u, "root") && strcmp(u, "0") && strncmp(u, "0:", 2))
		return false;
	EV(e, "%s: runs as %s", name, u && *u ? u : "root (no USER)");
	return true;
}

/* 4.1 */
void au_c_image_user(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;

	(void)rule;
	each_image(c, IMG_INSPECT, AU_WARN, runs_as_root);
}

static bool no_healthcheck(struct au_ev *e, const char *name, json_t *ins)
{
	if (json_object_get(json_object_get(ins, "Config"), "Healthcheck"))
		return false;
	EV(e, "%s: no HEALTHCHECK", name);
	return true;
}

/* 4.6 */
void au_c_image_healthcheck(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;

	(void)rule;
	each_image(c, IMG_INSPECT, AU_WARN, no_healthcheck);
}

static bool update_alone(struct au_ev *e, const char *name, json_t *hist)
{
	json_t *h;
	size_t k;
	bool hit = false;

	json_array_foreach(hist, k, h) {
		const char *cb = au_jstr(h, "CreatedBy");
		if (cb && strstr(cb, "update") &&
		    (strstr(cb, "apt-get update") || strstr(cb, "apk update") || strstr(cb, "yum update") ||
		     strstr(cb, "dnf update")) &&
		    !strstr(cb, "install") && !strstr(cb, "upgrade") && !strstr(cb, " add ")) {
			hit = true;
			EV(e, "%s: update alone: %.120s", name, cb);
		}
	}
	return hit;
}

/* 4.7 (manual): a layer that updates the package index and installs
 * nothing: a later layer built from the cache installs stale packages. */
void au_c_image_update_alone(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;

	(void)rule;
	each_image(c, IMG_HISTORY, AU_INFO, update_alone);
}

static bool add_layers(struct au_ev *e, const char *name, json_t *hist)
{
	json_t *h;
	size_t k;
	bool hit = false;

	json_array_foreach(hist, k, h) {
		const char *cb = au_jstr(h, "CreatedBy");
		if (cb && (strstr(cb, "ADD ") == cb || strstr(cb, "#(nop) ADD "))) {
			hit = true;
			EV(e, "%s: %.120s", name, cb);
		}
	}
	return hit;
}

/* 4.9 (manual): the ADD instructions in image histories, to review. */
void au_c_image_add(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;

	(void)rule;
	each_image(c, IMG_HISTORY, AU_INFO, add_layers);
}

/* ---- sections 6 and 7 ---- */

/* Sections 6 and 7 read the daemon's live state: offline they say so. */
static bool live(struct au_ctx *c)
{
	c->decided = true;
	if (!c->d->info)
		EV(c->e, "needs the Engine API (offline audit of %s)", c->d->root ? c->d->root : "a root");
	return c->d->info != NULL;
}

/* 6.1 (manual): how many images no container uses, to review. */
void au_c_images_used(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	size_t n = json_array_size(c->d->images), used = 0, i;

	(void)rule;
	if (!live(c))
		return;
	for (i = 0; i < n; i++)
		if (json_integer_value(json_object_get(json_array_get(c->d->images, i), "Containers")) > 0)
			used++;
	c->r->status = AU_INFO;
	EV(c->e, "%zu images, %zu used by a container", n, used);
}

/* 6.2 (manual): how many containers, to review. */
void au_c_containers_running(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	size_t i, running = 0;

	(void)rule;
	if (!live(c))
		return;
	for (i = 0; c->d->f && i < c->d->f->n; i++)
		running += c->d->top && c->d->top[i];
	c->r->status = AU_INFO;
	EV(c->e, "%zu containers, %zu running", c->d->f ? c->d->f->n : 0, running);
}

/* Section 7 applies to a swarm: without one every check passes. */
static bool swarm_active(struct au_ctx *c)
{
	const char *state = au_jstr(json_object_get(c->d->info, "Swarm"), "LocalNodeState");

	if (state && !strcmp(state, "active"))
		return true;
	c->r->status = AU_PASS; /* nothing to check */
	EV(c->e, "swarm mode is not active");
	return false;
}

/* 7.1: an odd number of managers keeps a quorum. */
void au_c_swarm_managers(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	json_t *mgr;
	long m;

	(void)rule;
	if (!live(c) || !swarm_active(c))
		return;
	mgr = json_object_get(json_object_get(c->d->info, "Swarm"), "Managers");
	m = json_is_integer(mgr) ? (long)json_integer_value(mgr) : 0;
	c->r->status = m % 2 == 1 ? AU_PASS : AU_WARN;
	EV(c->e, "%ld manager node%s", m, m == 1 ? "" : "s");
}

/* 7.2-7.9: PASS without a swarm; with one, a review this build does not
 * decide (NOTE for the manual ones, SKIP for the others). */
void au_c_swarm_only(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;

	(void)rule;
	if (!live(c))
		return;
	c->decided = !swarm_active(c);
}
