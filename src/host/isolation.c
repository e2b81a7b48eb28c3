/*
 * isolation.c - host-iso-*: what stands between a container and the host:
 * the Docker socket itself, user namespaces (rootless or userns-remap),
 * a Linux security module really enforcing, and the daemon's seccomp
 * profile.
 *
 * "Really active" means read from the kernel, not from configuration:
 * /sys/kernel/security/lsm lists the LSMs the kernel runs, AppArmor's
 * module parameter and SELinux's enforce file say whether they enforce,
 * and /info SecurityOptions says what the daemon applies. A daemon.json
 * naming userns-remap counts only with a subordinate id range in
 * /etc/subuid and /etc/subgid for the remap user.
 */
#include "audit.h"
#include <sys/stat.h>

static void socket_access(void *ctx, const struct rule *r);
static void userns_remap(void *ctx, const struct rule *r);
static void lsm_enabled(void *ctx, const struct rule *r);
static void seccomp_on(void *ctx, const struct rule *r);

static const struct rule defs[] = {
	{"host-iso-01", SEV_HIGH, "host", "the Docker socket is a socket owned root:docker, mode 0660 or stricter",
	 "Whoever can write to the Docker socket is root on the host.",
	 "Let dockerd create the socket (root:docker, 0660) and keep the docker group to administrators.",
	 REFS("cis:3.15", "cis:3.16", "owasp:R1"), socket_access, NULL, 0},
	{"host-iso-02", SEV_MEDIUM, "host", "containers run in a user namespace (rootless or userns-remap)",
	 "Without a user namespace, root in a container is UID 0 on the host.",
	 "Run rootless Docker or set userns-remap with /etc/subuid and /etc/subgid ranges.",
	 REFS("cis:2.9", "owasp:R2"), userns_remap, NULL, 0},
	{"host-iso-03", SEV_MEDIUM, "host", "AppArmor or SELinux is enforcing and applied by the daemon",
	 "An enforcing LSM confines container processes even after a capability or mount mistake.",
	 "Enable AppArmor (or SELinux in enforcing mode) and let the daemon apply its default profile.",
	 REFS("cis:5.2", "cis:5.3", "owasp:R6"), lsm_enabled, NULL, 0},
	{"host-iso-04", SEV_HIGH, "host", "the daemon applies a seccomp profile",
	 "seccomp removes the syscalls most kernel escapes need.",
	 "Build dockerd with seccomp and do not set seccomp-profile to unconfined.",
	 REFS("cis:5.22", "owasp:R6"), seccomp_on, NULL, 0},
};

/* Does /info SecurityOptions contain "name=NAME"? *opt gets the entry. */
static bool secopt(const struct au_data *d, const char *name, const char **opt)
{
	size_t i, n = strlen(name);
	json_t *x;

	json_array_foreach(json_object_get(d->info, "SecurityOptions"), i, x) {
		const char *s = json_string_value(x);
		if (s && !strncmp(s, "name=", 5) && !strncmp(s + 5, name, n) && (s[5 + n] == 0 || s[5 + n] == ',')) {
			*opt = s;
			return true;
		}
	}
	return false;
}

static char *first_line(struct arena *a, const char *root, const char *path)
{
	char *s = host_read(a, root, path, NULL);
	if (s)
		s[strcspn(s, "\n")] = 0;
	return s;
}

/* The subordinate range of user in /etc/subuid or /etc/subgid. */
static const char *subid(struct arena *a, const char *root, const char *file, const char *user)
{
	char *txt = host_read(a, root, file, NULL), *line, *save = NULL;
	size_t n = strlen(user);

	for (line = txt ? strtok_r(txt, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, user, n) && line[n] == ':')
			return line;
	return NULL;
}

static void sock(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e)
{
	const char *path = d->sock && !strcmp(d->root, "/") ? d->sock : "/var/run/docker.sock";
	char *grp = host_read(a, d->root, "/etc/group", NULL), *line, *save = NULL;
	struct stat st;
	bool found;
	gid_t gid = host_group_id(a, d->root, "docker", &found);

	if (host_stat(d->root, path, &st, false)) {
		r->status = AU_INFO;
		au_ev_add(e, "%s is not present", path);
		return;
	}
	r->status = AU_PASS;
	if (S_ISLNK(st.st_mode)) {
		r->status = AU_WARN;
		au_ev_add(e, "%s is a symbolic link: whoever controls its target controls the daemon's clients", path);
	} else if (!S_ISSOCK(st.st_mode)) {
		r->status = AU_WARN;
		au_ev_add(e, "%s is a %s, not a socket (left behind by a stopped daemon or a failed bind mount)", path,
			  S_ISDIR(st.st_mode) ? "directory" : "file");
	} else if (st.st_uid != 0 || (found ? st.st_gid != gid : st.st_gid != 0)) {
		r->status = AU_WARN;
		au_ev_add(e, "%s owned by %u:%u, root:docker wanted", path, (unsigned)st.st_uid, (unsigned)st.st_gid);
	}
	if (S_ISSOCK(st.st_mode) && (st.st_mode & 0117)) {
		r->status = AU_WARN;
		au_ev_add(e, "%s mode %04o: %s", path, (unsigned)(st.st_mode & 07777),
			  st.st_mode & 07 ? "every local user is root on this host" : "0660 or stricter wanted");
	}
	if (r->status == AU_PASS)
		au_ev_add(e, "%s: socket, %u:%u, mode %04o", path, (unsigned)st.st_uid, (unsigned)st.st_gid,
			  (unsigned)(st.st_mode & 07777));
	for (line = grp ? strtok_r(grp, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "docker:", 7)) {
			const char *m = strrchr(line, ':') + 1;
			au_ev_add(e, "docker group members, root-equivalent through the socket: %s", *m ? m : "(none)");
		}
}

static void userns(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e)
{
	const char *opt, *remap = d->dcfg ? d->dcfg->userns_remap.v : NULL, *user;

	if (d->info && secopt(d, "rootless", &opt)) {
		r->status = AU_PASS;
		au_ev_add(e, "the daemon runs rootless (/info SecurityOptions %s)", opt);
		return;
	}
	if (d->info && secopt(d, "userns", &opt)) {
		r->status = AU_PASS;
		au_ev_add(e, "user namespace remapping is on (/info SecurityOptions %s)", opt);
		return;
	}
	if (d->info || !remap) {
		r->status = AU_WARN;
		au_ev_add(e, "neither rootless nor userns-remap%s: root in a container is root on the host",
			  d->info ? " (/info SecurityOptions)" : "");
		if (remap)
			au_ev_add(e, "userns-remap \"%s\" is configured (%s) but the daemon does not apply it: restart it",
				  remap, d->dcfg->userns_remap.from);
		return;
	}
	/* offline: the configuration, and the ids it needs */
	user = strcmp(remap, "default") ? arena_strndup(a, remap, strcspn(remap, ":")) : "dockremap";
	au_ev_add(e, "userns-remap \"%s\" (%s)", remap, d->dcfg->userns_remap.from);
	if (!subid(a, d->root, "/etc/subuid", user) || !subid(a, d->root, "/etc/subgid", user)) {
		r->status = AU_WARN;
		au_ev_add(e, "no range for %s in /etc/subuid and /etc/subgid: dockerd will not start with it", user);
	} else {
		r->status = AU_PASS;
		au_ev_add(e, "%s", subid(a, d->root, "/etc/subuid", user));
	}
}

static void lsm(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e)
{
	const char *list = first_line(a, d->root, "/sys/kernel/security/lsm"), *opt;
	const char *aa = first_line(a, d->root, "/sys/module/apparmor/parameters/enabled");
	const char *se = first_line(a, d->root, "/sys/fs/selinux/enforce");
	bool aa_on = aa && aa[0] == 'Y', se_on = se && se[0] == '1';

	if (!list && !aa && !se) {
		r->status = AU_SKIP;
		au_ev_add(e, "/sys/kernel/security/lsm is not readable%s", strcmp(d->root, "/") ? " (offline root)" : "");
		return;
	}
	au_ev_add(e, "kernel LSMs: %s", list ? list : "(unknown)");
	if (aa)
		au_ev_add(e, "AppArmor %s (/sys/module/apparmor/parameters/enabled %s)", aa_on ? "enabled" : "disabled", aa);
	if (se)
		au_ev_add(e, "SELinux %s (/sys/fs/selinux/enforce %s)", se_on ? "enforcing" : "permissive", se);
	r->status = aa_on || se_on ? AU_PASS : AU_WARN;
	if (!aa_on && !se_on)
		au_ev_add(e, "neither AppArmor nor SELinux enforces: containers run without a mandatory access policy");
	if (d->info) {
		bool applied = secopt(d, "apparmor", &opt) || secopt(d, "selinux", &opt);
		if (applied)
			au_ev_add(e, "the daemon applies it (/info SecurityOptions %s)", opt);
		else if (r->status == AU_PASS) {
			r->status = AU_WARN;
			au_ev_add(e, "the daemon applies neither (/info SecurityOptions; SELinux needs \"selinux-enabled\": true)");
		}
	}
}

static void seccomp(const struct au_data *d, struct au_result *r, struct au_ev *e)
{
	const char *opt = NULL, *cfg = d->dcfg ? d->dcfg->seccomp.v : NULL;

	if (d->info) {
		if (!secopt(d, "seccomp", &opt)) {
			r->status = AU_WARN;
			au_ev_add(e, "no seccomp in /info SecurityOptions: the kernel or the daemon lacks seccomp support");
		} else if (strstr(opt, "profile=unconfined")) {
			r->status = AU_WARN;
			au_ev_add(e, "%s: containers get every system call", opt);
		} else {
			r->status = AU_PASS;
			au_ev_add(e, "%s", opt);
		}
		return;
	}
	r->status = cfg && !strcmp(cfg, "unconfined") ? AU_WARN : AU_PASS;
	au_ev_add(e, "seccomp-profile %s (%s)", cfg ? cfg : "Docker's default", cfg ? d->dcfg->seccomp.from : "not set");
}

/* host-iso-01 and -03 read this host's files: a remote daemon is not
 * described by them. */
static bool local(struct au_ctx *x)
{
	x->decided = true;
	if (x->d->remote)
		au_ev_add(x->e, "the daemon is remote: this host's files do not describe it");
	return !x->d->remote;
}

static void socket_access(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;

	(void)rule;
	if (local(x))
		sock(x->d, x->a, x->r, x->e);
}

static void userns_remap(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;

	(void)rule;
	x->decided = true;
	userns(x->d, x->a, x->r, x->e);
}

static void lsm_enabled(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;

	(void)rule;
	if (local(x))
		lsm(x->d, x->a, x->r, x->e);
}

static void seccomp_on(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;

	(void)rule;
	x->decided = true;
	seccomp(x->d, x->r, x->e);
}

const struct au_module au_iso = {defs, DS_ARRAY_SIZE(defs)};
