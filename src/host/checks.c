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
#include <glob.h>
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

static void separate_partition(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e)
{
	const char *dir = au_jstr(d->info, "DockerRootDir"), *m1, *m2;
	unsigned a1, b1, a2, b2;

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

static void docker_group(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e)
{
	char *grp = host_read(a, d->root, "/etc/group", NULL), *line, *save = NULL;

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

static const char *audit_paths[][2] = {
	{"1.1.3", "/usr/bin/dockerd"},
	{"1.1.4", "/run/containerd"},
	{"1.1.5", "/var/lib/docker"},
	{"1.1.6", "/etc/docker"},
	{"1.1.7", "docker.service"},
	{"1.1.8", "/run/containerd/containerd.sock"},
	{"1.1.9", "docker.socket"},
	{"1.1.10", "/etc/default/docker"},
	{"1.1.11", "/etc/docker/daemon.json"},
	{"1.1.12", "/etc/containerd/config.toml"},
	{"1.1.13", "/etc/sysconfig/docker"},
	{"1.1.14", "/usr/bin/containerd"},
	{"1.1.15", "/usr/bin/containerd-shim"},
	{"1.1.16", "/usr/bin/containerd-shim-runc-v1"},
	{"1.1.17", "/usr/bin/containerd-shim-runc-v2"},
	{"1.1.18", "/usr/bin/runc"},
};

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
	glob_t g;
	const char *r;
	char *s;
	size_t i;

	if ((s = host_read(a, root, "/etc/audit/audit.rules", NULL)))
		buf_adds(&b, s);
	if (!glob(host_path(a, root, "/etc/audit/rules.d/*.rules"), 0, NULL, &g)) {
		for (i = 0; i < g.gl_pathc; i++) {
			const char *p = g.gl_pathv[i] + (strcmp(root, "/") ? strlen(root) : 0);
			if ((s = host_read(a, root, p, NULL))) {
				buf_addc(&b, '\n');
				buf_adds(&b, s);
			}
		}
		globfree(&g);
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

static void audit_rule(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e, const char *what)
{
	const char *path = locate(a, d->root, what), *rules;

	if (!path) {
		r->status = AU_INFO;
		EV(e, "%s is not present on this host", what);
		return;
	}
	rules = audit_rules(a, d->root);
	if (!rules && access(host_path(a, d->root, "/etc/audit"), F_OK) == 0 &&
	    access(host_path(a, d->root, "/etc/audit"), R_OK | X_OK) != 0) {
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

static bool tcp_hosts(const struct au_data *d, struct au_ev *e, bool *plain)
{
	size_t i;
	bool any = false;

	*plain = false;
	for (i = 0; i < d->dcfg->nhosts; i++)
		if (!strncmp(d->dcfg->hosts[i], "tcp://", 6)) {
			any = true;
			if (!is_true(d->dcfg->tlsverify.v)) {
				*plain = true;
				EV(e, "listens on %s (%s) without --tlsverify%s", d->dcfg->hosts[i], d->dcfg->hosts_from[i],
				   is_true(d->dcfg->tls.v) ? " (TLS without client verification: anyone can connect)" : "");
			} else {
				EV(e, "listens on %s with --tlsverify", d->dcfg->hosts[i]);
			}
		}
	return any;
}

static bool daemon_check(const struct au_data *d, struct au_result *r, struct au_ev *e)
{
	const struct dcfg *c = d->dcfg;
	const char *id = r->rule->id, *v;
	bool plain;

	if (!strcmp(id, "2.1")) {
		r->status = secopt(d, "rootless") ? AU_PASS : AU_INFO;
		EV(e, secopt(d, "rootless") ? "the daemon runs rootless" : "the daemon runs as root (rootless mode not in SecurityOptions)");
	} else if (!strcmp(id, "2.2")) {
		if (d->networks && !default_bridge_icc(d, &v)) {
			r->status = AU_PASS;
			EV(e, "no default bridge network (dockerd --bridge=none)");
		} else if (d->networks && default_bridge_icc(d, &v) && v) {
			r->status = is_false(v) ? AU_PASS : AU_WARN;
			EV(e, "network bridge: com.docker.network.bridge.enable_icc = %s", v);
		} else {
			r->status = is_false(c->icc.v) ? AU_PASS : AU_WARN;
			EV(e, "icc = %s (%s)", c->icc.v ? c->icc.v : "true", src(&c->icc));
		}
	} else if (!strcmp(id, "2.3")) {
		v = c->log_level.v;
		r->status = !v || !strcmp(v, "info") ? AU_PASS : AU_WARN;
		EV(e, "log-level = %s (%s)", v ? v : "info", src(&c->log_level));
	} else if (!strcmp(id, "2.4")) {
		r->status = is_false(c->iptables.v) ? AU_WARN : AU_PASS;
		EV(e, "iptables = %s (%s)", c->iptables.v ? c->iptables.v : "true", src(&c->iptables));
	} else if (!strcmp(id, "2.5")) {
		json_t *cidrs = json_object_get(json_object_get(d->info, "RegistryConfig"), "InsecureRegistryCIDRs"), *x;
		json_t *idx = json_object_get(json_object_get(d->info, "RegistryConfig"), "IndexConfigs");
		const char *k;
		size_t i;
		r->status = AU_PASS;
		json_array_foreach(cidrs, i, x) {
			const char *s = json_string_value(x);
			if (s && strcmp(s, "127.0.0.0/8") && strcmp(s, "::1/128")) {
				r->status = AU_WARN;
				EV(e, "insecure registry range %s", s);
			}
		}
		json_object_foreach(idx, k, x)
			if (json_is_false(json_object_get(x, "Secure"))) {
				r->status = AU_WARN;
				EV(e, "insecure registry %s", k);
			}
		if (!d->info && c->insecure.v) {
			r->status = AU_WARN;
			EV(e, "insecure-registries = %s (%s)", c->insecure.v, src(&c->insecure));
		}
		if (r->status == AU_PASS)
			EV(e, "no insecure registries");
	} else if (!strcmp(id, "2.6")) {
		v = d->info ? au_jstr(d->info, "Driver") : c->storage_driver.v;
		r->status = v && !strcmp(v, "aufs") ? AU_WARN : AU_PASS;
		EV(e, "storage driver = %s", v ? v : "(default)");
	} else if (!strcmp(id, "2.7")) {
		if (!tcp_hosts(d, e, &plain)) {
			r->status = AU_PASS;
			EV(e, "the daemon listens on no TCP socket");
		} else {
			r->status = plain ? AU_WARN : AU_PASS;
		}
	} else if (!strcmp(id, "2.8")) {
		r->status = c->default_ulimits.v ? AU_PASS : AU_INFO;
		EV(e, "default-ulimits = %s (%s)", c->default_ulimits.v ? c->default_ulimits.v : "(none)", src(&c->default_ulimits));
	} else if (!strcmp(id, "2.9")) {
		bool on = secopt(d, "userns") || c->userns_remap.v;
		r->status = on ? AU_PASS : AU_WARN;
		EV(e, on ? "user namespace remapping is on" : "userns-remap is not set");
	} else if (!strcmp(id, "2.10")) {
		r->status = c->cgroup_parent.v ? AU_INFO : AU_PASS;
		EV(e, "cgroup-parent = %s (%s)", c->cgroup_parent.v ? c->cgroup_parent.v : "(default)", src(&c->cgroup_parent));
	} else if (!strcmp(id, "2.11")) {
		v = c->storage_opts.v;
		r->status = v && strstr(v, "dm.basesize") ? AU_WARN : AU_PASS;
		EV(e, "storage-opts = %s", v ? v : "(none)");
	} else if (!strcmp(id, "2.12")) {
		json_t *az = json_object_get(json_object_get(d->info, "Plugins"), "Authorization");
		bool on = json_array_size(az) > 0 || c->authz.v;
		r->status = on ? AU_PASS : AU_WARN;
		EV(e, on ? "an authorization plugin is configured" : "no authorization plugin");
	} else if (!strcmp(id, "2.13")) {
		v = d->info ? au_jstr(d->info, "LoggingDriver") : c->log_driver.v;
		if (!v)
			v = "json-file";
		r->status = !strcmp(v, "json-file") || !strcmp(v, "local") || !strcmp(v, "none") ? AU_WARN : AU_PASS;
		EV(e, "log driver = %s", v);
	} else if (!strcmp(id, "2.14")) {
		r->status = is_true(c->nnp.v) ? AU_PASS : AU_WARN;
		EV(e, "no-new-privileges = %s (%s)", c->nnp.v ? c->nnp.v : "false", src(&c->nnp));
	} else if (!strcmp(id, "2.15")) {
		bool on = d->info ? json_is_true(json_object_get(d->info, "LiveRestoreEnabled")) : is_true(c->live_restore.v);
		r->status = on ? AU_PASS : AU_WARN;
		EV(e, "live-restore = %s", on ? "true" : "false");
	} else if (!strcmp(id, "2.16")) {
		r->status = is_false(c->userland_proxy.v) ? AU_PASS : AU_WARN;
		EV(e, "userland-proxy = %s (%s)", c->userland_proxy.v ? c->userland_proxy.v : "true", src(&c->userland_proxy));
	} else if (!strcmp(id, "2.17")) {
		v = c->seccomp.v;
		if (v && !strcmp(v, "unconfined")) {
			r->status = AU_WARN;
			EV(e, "seccomp-profile = unconfined (%s): containers run without seccomp", src(&c->seccomp));
		} else {
			r->status = v ? AU_PASS : AU_INFO;
			EV(e, "seccomp-profile = %s", v ? v : "(Docker's default profile)");
		}
	} else if (!strcmp(id, "2.18")) {
		bool on = d->info ? json_is_true(json_object_get(d->info, "ExperimentalBuild")) : is_true(c->experimental.v);
		r->status = on ? AU_WARN : AU_PASS;
		EV(e, "experimental = %s", on ? "true" : "false");
	} else {
		return false;
	}
	if (c->json_error) {
		EV(e, "note: daemon.json could not be read: %s", c->json_error);
		if (r->status == AU_PASS) /* a setting in it may say otherwise */
			r->status = AU_ERROR;
	}
	return true;
}

/* ---- section 3 ---- */

/* Ownership and mode of path (located under root). group: "root" or "docker". */
static void file_check(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e, const char *path,
		       const char *group, mode_t max, bool mode_check, bool want_dir)
{
	struct stat st;
	const char *hp;
	bool gfound = true;
	gid_t gid = strcmp(group, "root") ? host_group_id(a, d->root, group, &gfound) : 0;

	if (!path || !(hp = host_path(a, d->root, path)) || host_stat(d->root, path, &st, false)) {
		r->status = AU_INFO;
		EV(e, "%s is not present", path ? path : "the file");
		return;
	}
	if (want_dir && !S_ISDIR(st.st_mode)) {
		r->status = AU_WARN;
		EV(e, "%s is not a directory", path);
		return;
	}
	if (mode_check) {
		mode_t m = st.st_mode & 07777;
		r->status = (m & ~max) ? AU_WARN : AU_PASS;
		EV(e, "%s mode %04o (%04o or stricter wanted)", path, (unsigned)m, (unsigned)max);
	} else {
		bool ok = st.st_uid == 0 && (st.st_gid == gid || (!gfound && st.st_gid == 0));
		r->status = ok ? AU_PASS : AU_WARN;
		EV(e, "%s owned by %u:%u (root:%s wanted%s)", path, (unsigned)st.st_uid, (unsigned)st.st_gid, group,
		   gfound ? "" : "; no such group, root accepted");
	}
}

static const char *socket_path(const struct au_data *d)
{
	return d->sock && strcmp(d->root, "/") == 0 ? d->sock : "/var/run/docker.sock";
}

static bool file_checks(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e)
{
	static const struct {
		const char *own, *mode, *path;
		mode_t max;
		const char *group;
		bool dir;
	} t[] = {
		{"3.1", "3.2", "docker.service", 0644, "root", false},
		{"3.3", "3.4", "docker.socket", 0644, "root", false},
		{"3.5", "3.6", "/etc/docker", 0755, "root", true},
		{"3.9", "3.10", "tlscacert", 0444, "root", false},
		{"3.11", "3.12", "tlscert", 0444, "root", false},
		{"3.13", "3.14", "tlskey", 0400, "root", false},
		{"3.15", "3.16", "sock", 0660, "docker", false},
		{"3.17", "3.18", "daemon.json", 0644, "root", false},
		{"3.19", "3.20", "/etc/default/docker", 0644, "root", false},
		{"3.22", "3.21", "/etc/sysconfig/docker", 0644, "root", false},
		{"3.23", "3.24", "/run/containerd/containerd.sock", 0660, "root", false},
	};
	const char *id = r->rule->id, *path;
	size_t i;

	if (!strcmp(id, "3.7") || !strcmp(id, "3.8")) {
		glob_t g;
		size_t k;
		bool mode = !strcmp(id, "3.8");
		if (glob(host_path(a, d->root, "/etc/docker/certs.d/*/*"), 0, NULL, &g)) {
			r->status = AU_INFO;
			EV(e, "no registry certificates in /etc/docker/certs.d");
			return true;
		}
		r->status = AU_PASS;
		for (k = 0; k < g.gl_pathc; k++) {
			struct au_result one = *r;
			const char *p = g.gl_pathv[k] + (strcmp(d->root, "/") ? strlen(d->root) : 0);
			file_check(d, a, &one, e, p, "root", 0444, mode, false);
			if (one.status == AU_WARN)
				r->status = AU_WARN;
		}
		globfree(&g);
		return true;
	}
	for (i = 0; i < DS_ARRAY_SIZE(t); i++) {
		bool mode = !strcmp(id, t[i].mode);
		if (strcmp(id, t[i].own) && !mode)
			continue;
		path = t[i].path;
		if (!strcmp(path, "docker.service") || !strcmp(path, "docker.socket"))
			path = locate(a, d->root, path);
		else if (!strcmp(path, "tlscacert"))
			path = d->dcfg->tlscacert.v;
		else if (!strcmp(path, "tlscert"))
			path = d->dcfg->tlscert.v;
		else if (!strcmp(path, "tlskey"))
			path = d->dcfg->tlskey.v;
		else if (!strcmp(path, "sock"))
			path = socket_path(d);
		else if (!strcmp(path, "daemon.json"))
			path = d->dcfg->json_path;
		if (!path && !strncmp(t[i].path, "tls", 3)) {
			r->status = AU_INFO;
			EV(e, "TLS is not configured");
			return true;
		}
		file_check(d, a, r, e, path ? path : t[i].path, t[i].group, t[i].max, mode, t[i].dir);
		return true;
	}
	return false;
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
static void setid_files(const struct au_data *d, struct au_result *r, struct au_ev *e)
{
	size_t i, k, n = json_array_size(d->images), listed = 0, skipped = 0, failed = 0;
	json_t *f;

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

static bool image_check(const struct au_data *d, struct au_result *r, struct au_ev *e)
{
	const char *id = r->rule->id;
	size_t i, k, n = json_array_size(d->images), nunread = 0;
	json_t *h;

	if (!strcmp(id, "4.5")) {
		const char *v = getenv("DOCKER_CONTENT_TRUST");
		r->status = v && !strcmp(v, "1") ? AU_PASS : AU_WARN;
		EV(e, "DOCKER_CONTENT_TRUST = %s", v ? v : "(unset)");
		return true;
	}
	if (strcmp(id, "4.1") && strcmp(id, "4.6") && strcmp(id, "4.7") && strcmp(id, "4.8") && strcmp(id, "4.9"))
		return false;
	if (!d->images) {
		r->status = AU_SKIP;
		EV(e, "no Engine API (offline audit)");
		return true;
	}
	if (!strcmp(id, "4.8")) {
		setid_files(d, r, e);
		return true;
	}
	r->status = AU_PASS;
	for (i = 0; i < n; i++) {
		json_t *img = json_array_get(d->images, i), *ins = d->image_inspect ? d->image_inspect[i] : NULL;
		json_t *hist = d->image_history ? d->image_history[i] : NULL;
		json_t *cfg = json_object_get(ins, "Config");
		const char *name = image_name(img);
		json_t *need = !strcmp(id, "4.1") || !strcmp(id, "4.6") ? ins : hist;
		if (!ins)
			continue; /* removed while the audit ran */
		if (json_is_object(need) && au_jstr(need, "error")) { /* judged on what was not read: ERROR */
			nunread++;
			EV(e, "%s: not read: %s", name, au_jstr(need, "error"));
			continue;
		}
		if (!strcmp(id, "4.1")) {
			const char *u = au_jstr(cfg, "User");
			if (!u || !*u || !strcmp(u, "root") || !strcmp(u, "0") || !strncmp(u, "0:", 2)) {
				r->status = AU_WARN;
				EV(e, "%s: runs as %s", name, u && *u ? u : "root (no USER)");
			}
		} else if (!strcmp(id, "4.6")) {
			if (!json_object_get(cfg, "Healthcheck")) {
				r->status = AU_WARN;
				EV(e, "%s: no HEALTHCHECK", name);
			}
		} else {
			json_array_foreach(hist, k, h) {
				const char *cb = au_jstr(h, "CreatedBy");
				if (!cb)
					continue;
				if (!strcmp(id, "4.9") && (strstr(cb, "ADD ") == cb || strstr(cb, "#(nop) ADD "))) {
					r->status = AU_INFO;
					EV(e, "%s: %.120s", name, cb);
				}
				if (!strcmp(id, "4.7") && strstr(cb, "update") &&
				    (strstr(cb, "apt-get update") || strstr(cb, "apk update") || strstr(cb, "yum update") ||
				     strstr(cb, "dnf update")) &&
				    !strstr(cb, "install") && !strstr(cb, "upgrade") && !strstr(cb, " add ")) {
					r->status = AU_INFO;
					EV(e, "%s: update alone: %.120s", name, cb);
				}
			}
		}
	}
	if (r->status == AU_PASS)
		EV(e, "%zu image%s checked", n - nunread, n - nunread == 1 ? "" : "s");
	if (r->status == AU_PASS && nunread)
		r->status = AU_ERROR;
	return true;
}

/* ---- sections 6 and 7 ---- */

static bool ops_check(const struct au_data *d, struct au_result *r, struct au_ev *e)
{
	const char *id = r->rule->id;

	if (!strcmp(id, "6.1")) {
		size_t n = json_array_size(d->images), used = 0, i;
		for (i = 0; i < n; i++) {
			if (json_integer_value(json_object_get(json_array_get(d->images, i), "Containers")) > 0)
				used++;
		}
		r->status = AU_INFO;
		EV(e, "%zu images, %zu used by a container", n, used);
		return true;
	}
	if (!strcmp(id, "6.2")) {
		size_t i, running = 0;
		for (i = 0; d->f && i < d->f->n; i++)
			running += d->top && d->top[i];
		r->status = AU_INFO;
		EV(e, "%zu containers, %zu running", d->f ? d->f->n : 0, running);
		return true;
	}
	if (id[0] == '7') {
		const char *state = au_jstr(json_object_get(d->info, "Swarm"), "LocalNodeState");
		if (!state || strcmp(state, "active")) {
			r->status = AU_PASS; /* nothing to check */
			EV(e, "swarm mode is not active");
			return true;
		}
		if (!strcmp(id, "7.1")) {
			json_t *mgr = json_object_get(json_object_get(d->info, "Swarm"), "Managers");
			long m = json_is_integer(mgr) ? (long)json_integer_value(mgr) : 0;
			r->status = m == 1 || m % 2 == 1 ? AU_PASS : AU_WARN;
			EV(e, "%ld manager node%s", m, m == 1 ? "" : "s");
			return true;
		}
		return false;
	}
	return false;
}

static bool host_check(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e)
{
	const char *id = r->rule->id;
	size_t i;

	if (!strcmp(id, "1.1.1")) {
		separate_partition(d, a, r, e);
		return true;
	}
	if (!strcmp(id, "1.1.2")) {
		docker_group(d, a, r, e);
		return true;
	}
	for (i = 0; i < DS_ARRAY_SIZE(audit_paths); i++)
		if (!strcmp(id, audit_paths[i][0])) {
			audit_rule(d, a, r, e, audit_paths[i][1]);
			return true;
		}
	if (!strcmp(id, "1.2.2")) {
		const char *v = au_jstr(d->version, "Version");
		r->status = AU_INFO;
		EV(e, "Docker Engine %s (compare with the distribution's current release)", v ? v : "?");
		return true;
	}
	if (id[0] == '2')
		return d->dcfg && daemon_check(d, r, e);
	if (id[0] == '3')
		return d->dcfg && file_checks(d, a, r, e);
	if (id[0] == '4')
		return image_check(d, r, e);
	return ops_check(d, r, e);
}

/* The row function of the CIS checks of sections 1-4, 6 and 7. Without
 * the Engine API (--root) the sections about the daemon's live state
 * cannot be decided and say so. */
void au_decide_host(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;

	if (!c->d->info && (rule->id[0] == '6' || rule->id[0] == '7')) {
		au_ev_add(c->e, "needs the Engine API (offline audit of %s)", c->d->root ? c->d->root : "a root");
		c->decided = true;
		return;
	}
	c->decided = host_check(c->d, c->a, c->r, c->e);
}
