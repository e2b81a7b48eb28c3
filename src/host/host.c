/*
 * host.c - reading the host: files under a root, the dockerd process and
 * its effective configuration (see host.h).
 */
#include "audit.h"
#include "../image/pkgdb.h"
#include "../image/rpmdb.h"
#include "../image/version/version.h"
#include <ctype.h>
#include "../shell/shell.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

const char *host_path(struct arena *a, const char *root, const char *path)
{
	if (!root || !strcmp(root, "/"))
		return arena_strdup(a, path);
	return arena_printf(a, "%s%s%s", root, root[strlen(root) - 1] == '/' ? "" : "/", path[0] == '/' ? path + 1 : path);
}

/* openat2 of path under root with every component, symlinks included,
 * resolved inside root: an absolute link or ../ in a mounted host's files
 * cannot reach the auditing host's own. Live (root "/"), a plain open. */
static int open_in_root(const char *root, const char *path, unsigned long long flags)
{
	struct open_how how = {0};
	int dfd, fd, e;

	if (!root || !strcmp(root, "/"))
		return open(path, (int)flags);
	if ((dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	how.flags = flags;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	while (*path == '/')
		path++;
	fd = (int)syscall(SYS_openat2, dfd, *path ? path : ".", &how, sizeof(how));
	e = errno;
	close(dfd);
	errno = e;
	return fd;
}

int host_open(const char *root, const char *path)
{
	struct stat st;
	int fd, e;

	fd = open_in_root(root, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	/* only regular files are read: a FIFO or a device would block or
	 * never end (O_NONBLOCK kept the open itself from blocking) */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	if (fcntl(fd, F_SETFL, 0) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int host_stat(const char *root, const char *path, struct stat *st, bool follow)
{
	int fd, rc, e;

	if (!root || !strcmp(root, "/"))
		return follow ? stat(path, st) : lstat(path, st);
	if ((fd = open_in_root(root, path, O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW))) < 0)
		return -1;
	rc = fstat(fd, st);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

int host_access(const char *root, const char *path, int mode)
{
	int fd, rc, e;

	if (!root || !strcmp(root, "/"))
		return access(path, mode);
	if ((fd = open_in_root(root, path, O_PATH | O_CLOEXEC)) < 0)
		return -1;
	rc = mode == F_OK ? 0 : faccessat(fd, "", mode, AT_EMPTY_PATH);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

ssize_t host_readlink(const char *root, const char *path, char *buf, size_t n)
{
	ssize_t rc;
	int fd, e;

	if (!root || !strcmp(root, "/"))
		return readlink(path, buf, n);
	if ((fd = open_in_root(root, path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	rc = readlinkat(fd, "", buf, n);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

struct hglob {
	struct arena *a;
	const char *root;
	const char **v;
	size_t n, cap, scanned;
	bool cut;
	int rc;
};

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void hg_add(struct hglob *g, const char *path)
{
	if (g->n >= HOST_MAX_GLOB) {
		g->cut = true;
		return;
	}
	if (!path || arena_grow(g->a, (void **)&g->v, &g->cap, g->n + 1, sizeof(*g->v))) {
		g->rc = DS_ENOMEM;
		return;
	}
	g->v[g->n++] = path;
}

/* dir: the absolute path matched so far ("" for the root); rest: the
 * pattern's remaining components. */
static void hg_walk(struct hglob *g, const char *dir, const char *rest)
{
	const char *slash, **names = NULL;
	size_t len, nn = 0, cap = 0, i;
	char comp[NAME_MAX + 1];
	struct dirent *de;
	struct stat st;
	DIR *dp;
	int fd;

	while (*rest == '/')
		rest++;
	if (!*rest) {
		hg_add(g, *dir ? dir : "/");
		return;
	}
	slash = strchr(rest, '/');
	len = slash ? (size_t)(slash - rest) : strlen(rest);
	if (len >= sizeof(comp))
		return; /* no name is that long */
	memcpy(comp, rest, len);
	comp[len] = 0;
	if (!strpbrk(comp, "*?[")) {
		const char *p = arena_printf(g->a, "%s/%s", dir, comp);
		if (!p)
			g->rc = DS_ENOMEM;
		else if (slash)
			hg_walk(g, p, slash + 1);
		else if (!host_stat(g->root, p, &st, false))
			hg_add(g, p);
		return;
	}
	fd = open_in_root(g->root, *dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || !(dp = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(dp)) && !g->rc) {
		if (++g->scanned > HOST_MAX_GLOB_SCAN) {
			g->cut = true;
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || fnmatch(comp, de->d_name, FNM_PERIOD))
			continue;
		if (arena_grow(g->a, (void **)&names, &cap, nn + 1, sizeof(*names)) ||
		    !(names[nn++] = arena_strdup(g->a, de->d_name)))
			g->rc = DS_ENOMEM;
	}
	closedir(dp);
	if (nn)
		qsort(names, nn, sizeof(*names), cmp_str);
	for (i = 0; i < nn && !g->rc && !g->cut; i++) {
		const char *p = arena_printf(g->a, "%s/%s", dir, names[i]);
		if (!p)
			g->rc = DS_ENOMEM;
		else if (slash)
			hg_walk(g, p, slash + 1);
		else
			hg_add(g, p);
	}
}

int host_glob(struct arena *a, const char *root, const char *pattern, const char ***paths, size_t *n, bool *cut)
{
	struct hglob g = {a, root, NULL, 0, 0, 0, false, 0};

	hg_walk(&g, "", pattern);
	*paths = g.v;
	*n = g.rc ? 0 : g.n;
	if (cut)
		*cut = g.cut;
	return g.rc;
}

char *host_read(struct arena *a, const char *root, const char *path, size_t *len)
{
	char *buf;
	ssize_t r;
	size_t n = 0, cap = 65536;
	int fd;

	fd = host_open(root, path);
	if (fd < 0)
		return NULL;
	buf = ds_malloc(cap + 1);
	while (buf) {
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			char *nb;
			if (cap >= HOST_MAX_FILE) {
				ds_free(buf);
				buf = NULL;
				errno = EFBIG;
				break;
			}
			nb = ds_realloc(buf, cap * 2 + 1);
			if (!nb) {
				ds_free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	if (!buf)
		return NULL;
	{
		char *s = arena_strndup(a, buf, n);
		ds_free(buf);
		if (len)
			*len = n;
		return s;
	}
}

/* ---- flags ---- */

struct flagmap {
	const char *flag;   /* long name without dashes */
	const char *json;   /* daemon.json key */
	size_t off;         /* offset of the struct dsetting in struct dcfg */
	bool boolean;
};

#define F(flag, json, field, b) {flag, json, offsetof(struct dcfg, field), b}
static const struct flagmap fmap[] = {
	F("icc", "icc", icc, true),
	F("log-level", "log-level", log_level, false),
	F("iptables", "iptables", iptables, true),
	F("tls", "tls", tls, true),
	F("tlsverify", "tlsverify", tlsverify, true),
	F("tlscert", "tlscert", tlscert, false),
	F("tlskey", "tlskey", tlskey, false),
	F("tlscacert", "tlscacert", tlscacert, false),
	F("userns-remap", "userns-remap", userns_remap, false),
	F("cgroup-parent", "cgroup-parent", cgroup_parent, false),
	F("authorization-plugin", "authorization-plugins", authz, false),
	F("log-driver", "log-driver", log_driver, false),
	F("live-restore", "live-restore", live_restore, true),
	F("userland-proxy", "userland-proxy", userland_proxy, true),
	F("seccomp-profile", "seccomp-profile", seccomp, false),
	F("experimental", "experimental", experimental, true),
	F("no-new-privileges", "no-new-privileges", nnp, true),
	F("default-ulimit", "default-ulimits", default_ulimits, false),
	F("storage-driver", "storage-driver", storage_driver, false),
	F("storage-opt", "storage-opts", storage_opts, false),
	F("insecure-registry", "insecure-registries", insecure, false),
};
#undef F

static struct dsetting *field(struct dcfg *c, const struct flagmap *m)
{
	return (struct dsetting *)((char *)c + m->off);
}

static const struct flagmap *flag_of(struct str name)
{
	size_t i;

	if (str_eq(name, "l"))
		name = STR_LIT("log-level");
	if (str_eq(name, "s"))
		name = STR_LIT("storage-driver");
	for (i = 0; i < DS_ARRAY_SIZE(fmap); i++)
		if (str_eq(name, fmap[i].flag))
			return &fmap[i];
	return NULL;
}

/* Apply dockerd arguments (argv words) from source `from`; settings already
 * set by a stronger source are kept. */
static void apply_args(struct arena *a, struct dcfg *c, char **av, size_t ac, const char *from, bool weak)
{
	size_t i;

	for (i = 0; i < ac; i++) {
		const char *w = av[i], *eq;
		struct str name;
		const struct flagmap *m;
		const char *v = NULL;

		if (w[0] != '-')
			continue;
		w += w[1] == '-' ? 2 : 1;
		eq = strchr(w, '=');
		name = str_make(w, eq ? (size_t)(eq - w) : strlen(w));
		if (eq)
			v = eq + 1;
		if (str_eq(name, "H") || str_eq(name, "host")) {
			if (!v && i + 1 < ac)
				v = av[++i];
			if (v && c->nhosts < DS_ARRAY_SIZE(c->hosts)) {
				c->hosts_from[c->nhosts] = from;
				c->hosts[c->nhosts++] = arena_strdup(a, v);
			}
			continue;
		}
		if (str_eq(name, "config-file")) {
			if (!v && i + 1 < ac)
				v = av[++i];
			if (v)
				c->json_path = arena_strdup(a, v);
			continue;
		}
		if (!(m = flag_of(name)))
			continue;
		if (!v && !m->boolean && i + 1 < ac)
			v = av[++i];
		if (!v)
			v = "true";
		if (weak && field(c, m)->v)
			continue;
		if (field(c, m)->v && field(c, m)->from == from && !m->boolean) {
			/* repeatable flags (insecure-registry, default-ulimit...) accumulate */
			field(c, m)->v = arena_printf(a, "%s,%s", field(c, m)->v, v);
			continue;
		}
		field(c, m)->v = arena_strdup(a, v);
		field(c, m)->from = from;
	}
}

/* The dockerd process serving sock. */
static int find_dockerd(struct arena *a, const char *sock, char ***argv, size_t *argc)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0, fallback = 0;
	char **fav = NULL;
	size_t fac = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && !found) {
		char path[64], *cmd;
		size_t n, i, k, nargs = 0;
		char **av;
		bool any_host = false, match = false;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/comm", e->d_name);
		cmd = host_read(a, "/", path, &n);
		if (!cmd || strncmp(cmd, "dockerd\n", 8))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/cmdline", e->d_name);
		cmd = host_read(a, "/", path, &n);
		if (!cmd || !n)
			continue;
		for (i = 0; i < n; i++)
			nargs += cmd[i] == 0;
		av = arena_array(a, nargs + 1, sizeof(*av));
		if (!av)
			break;
		for (i = 0, k = 0; i < n && k < nargs; k++) {
			av[k] = cmd + i;
			i += strlen(cmd + i) + 1;
		}
		for (i = 1; i < k; i++) {
			const char *h = NULL;
			if (!strcmp(av[i], "-H") || !strcmp(av[i], "--host"))
				h = i + 1 < k ? av[i + 1] : NULL;
			else if (!strncmp(av[i], "-H=", 3) || !strncmp(av[i], "--host=", 7))
				h = strchr(av[i], '=') + 1;
			if (!h)
				continue;
			any_host = true;
			if (sock && (!strcmp(h, sock) || (!strncmp(h, "unix://", 7) && !strcmp(h + 7, sock))))
				match = true;
			if (!sock && (!strcmp(h, "fd://") || !strcmp(h, "unix:///var/run/docker.sock") ||
				      !strcmp(h, "unix:///run/docker.sock")))
				match = true;
		}
		if (!any_host && (!sock || !strcmp(sock, "/var/run/docker.sock") || !strcmp(sock, "/run/docker.sock")))
			match = true;
		if (match) {
			*argv = av;
			*argc = k;
			found = (int)strtol(e->d_name, NULL, 10);
		} else if (!fallback && !sock) {
			fav = av;
			fac = k;
			fallback = (int)strtol(e->d_name, NULL, 10);
		}
	}
	closedir(d);
	if (!found && fallback) {
		*argv = fav;
		*argc = fac;
		found = fallback;
	}
	return found;
}

static const char *json_text(struct arena *a, json_t *v)
{
	if (json_is_true(v))
		return "true";
	if (json_is_false(v))
		return "false";
	if (json_is_string(v))
		return arena_strdup(a, json_string_value(v));
	if (json_is_integer(v))
		return arena_printf(a, "%lld", (long long)json_integer_value(v));
	if (json_is_array(v)) {
		struct buf b = BUF_INIT;
		size_t i;
		json_t *x;
		const char *r;
		json_array_foreach(v, i, x) {
			const char *s = json_text(a, x);
			if (i)
				buf_addc(&b, ',');
			buf_adds(&b, s ? s : "?");
		}
		r = arena_strndup(a, buf_str(&b), b.n);
		buf_release(&b);
		return r && *r ? r : NULL;
	}
	if (json_is_object(v)) {
		struct buf b = BUF_INIT;
		const char *k, *r;
		json_t *x;
		bool first = true;
		json_object_foreach(v, k, x) {
			if (!first)
				buf_addc(&b, ',');
			buf_adds(&b, k);
			first = false;
		}
		r = arena_strndup(a, buf_str(&b), b.n);
		buf_release(&b);
		return r && *r ? r : NULL;
	}
	return NULL;
}

int host_daemon_config(struct arena *a, const char *root, const char *sock, struct dcfg *c)
{
	char **av = NULL;
	size_t ac = 0, len, i;
	char *txt;

	memset(c, 0, sizeof(*c));
	c->root = root ? root : "/";
	if (!strcmp(c->root, "/") && (c->pid = find_dockerd(a, sock, &av, &ac))) {
		struct buf b = BUF_INIT;
		for (i = 0; i < ac; i++) {
			if (i)
				buf_addc(&b, ' ');
			buf_adds(&b, av[i]);
		}
		c->cmdline = arena_strndup(a, buf_str(&b), b.n);
		buf_release(&b);
		apply_args(a, c, av, ac, "dockerd command line", false);
	}
	/* /etc/default/docker: DOCKER_OPTS="..." (sysvinit and some units) */
	if ((txt = host_read(a, c->root, "/etc/default/docker", &len))) {
		char *p = strstr(txt, "DOCKER_OPTS=");
		while (p && p != txt && p[-1] != '\n')
			p = strstr(p + 1, "DOCKER_OPTS=");
		if (p) {
			struct sh_script s = {0};
			char *end = strchr(p, '\n');
			if (end)
				*end = 0;
			p += 12;
			if (!sh_split(a, p, strlen(p), &s) && s.n && s.cmds[0].argc) {
				/* DOCKER_OPTS="a b" splits as one word: split its value again */
				struct sh_script s2 = {0};
				const char *w = s.cmds[0].argv[0].s;
				if (!sh_split(a, w, strlen(w), &s2) && s2.n) {
					char **v = arena_array(a, s2.cmds[0].argc + 1, sizeof(*v));
					for (i = 0; v && i < s2.cmds[0].argc; i++)
						v[i] = s2.cmds[0].argv[i].s;
					if (v)
						apply_args(a, c, v, s2.cmds[0].argc, "/etc/default/docker DOCKER_OPTS", true);
				}
			}
		}
	}
	if (!c->json_path)
		c->json_path = "/etc/docker/daemon.json";
	if ((txt = host_read(a, c->root, c->json_path, &len))) {
		json_error_t je;
		json_t *j = json_loadb(txt, len, JSON_REJECT_DUPLICATES, &je), *v;
		if (!j) {
			c->json_error = arena_printf(a, "%s:%d: %s", c->json_path, je.line, je.text);
		} else {
			for (i = 0; i < DS_ARRAY_SIZE(fmap); i++) {
				v = json_object_get(j, fmap[i].json);
				if (v && !field(c, &fmap[i])->v) {
					field(c, &fmap[i])->v = json_text(a, v);
					field(c, &fmap[i])->from = arena_printf(a, "%s \"%s\"", c->json_path, fmap[i].json);
				}
			}
			json_array_foreach(json_object_get(j, "hosts"), i, v)
				if (json_is_string(v) && c->nhosts < DS_ARRAY_SIZE(c->hosts)) {
					c->hosts_from[c->nhosts] = c->json_path;
					c->hosts[c->nhosts++] = arena_strdup(a, json_string_value(v));
				}
			json_decref(j);
		}
	}
	return a->failed ? DS_ENOMEM : 0;
}

/* /etc/os-release (or /usr/lib/os-release): KEY=value, value maybe quoted. */
static const char *os_field(struct arena *a, const char *txt, const char *key)
{
	size_t n = strlen(key);
	const char *p = txt;

	while (p && *p) {
		if (!strncmp(p, key, n) && p[n] == '=') {
			const char *v = p + n + 1;
			size_t len = strcspn(v, "\n");
			if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0])
				v++, len -= 2;
			return arena_strndup(a, v, len);
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

static void index_dpkg(struct arena *a, struct au_host *h);
static void index_rpm(struct arena *a, const char *root, struct au_host *h);

void au_host_load(const struct au_data *d, struct arena *a, struct au_host *h)
{
	const char *root = d->root ? d->root : "/";
	const char *os = host_read(a, root, "/etc/os-release", NULL);

	if (!os)
		os = host_read(a, root, "/usr/lib/os-release", NULL);
	h->loaded = true;
	h->dpkg = host_read(a, root, "/var/lib/dpkg/status", NULL);
	index_dpkg(a, h);
	if (!h->dpkg)
		index_rpm(a, root, h);
	h->os_id = os ? os_field(a, os, "ID") : NULL;
	h->os_version = os ? os_field(a, os, "VERSION_ID") : NULL;
}

/* dpkg's installed packages (image/pkgdb.c, the reader scan uses too).
 * A database that cannot be indexed is treated as absent: the checks
 * that need it say SKIP with "no dpkg database", never PASS. */
static void index_dpkg(struct arena *a, struct au_host *h)
{
	struct ds_err err = {0};

	if (h->dpkg && img_dpkg_status(a, h->dpkg, &h->pkgs, &h->npkgs, &err)) {
		h->dpkg = NULL;
		h->pkgs = NULL;
		h->npkgs = 0;
	}
}

/* An rpm host's packages, from the first rpm database found (SQLite,
 * NDB, Berkeley DB: image/rpmdb.c); one that cannot be read is left out
 * (the --vulns check then says there is no package database). */
static void index_rpm(struct arena *a, const char *root, struct au_host *h)
{
	size_t i, len, cap = 0;
	struct ds_err err = {0};

	for (i = 0; i < IMG_RPM_NPATHS; i++) {
		char *data = host_read(a, root, img_rpm_paths[i], &len);
		if (!data)
			continue;
		h->nrpms = 0;
		if (img_rpm_db(a, data, len, img_rpm_paths[i], &h->rpms, &h->nrpms, &cap, &err)) {
			h->rpms = NULL;
			h->nrpms = 0;
			return;
		}
		img_pkg_sort(h->rpms, h->nrpms);
		h->rpmdb = img_rpm_paths[i];
		return;
	}
}

const char *au_dpkg_version(const struct au_host *h, const char *pkg)
{
	const struct img_pkg *hit;

	hit = img_pkg_find(h->pkgs, h->npkgs, pkg);
	return hit ? hit->version : NULL;
}

const char *au_dpkg_newest(const struct au_host *h, const char *prefix, const char **pkg)
{
	size_t i, n = strlen(prefix);
	const char *best = NULL;

	for (i = 0; i < h->npkgs; i++)
		if (!strncmp(h->pkgs[i].name, prefix, n) && isdigit((unsigned char)h->pkgs[i].name[n]) &&
		    (!best || ver_dpkg_cmp(h->pkgs[i].version, best) > 0)) {
			best = h->pkgs[i].version;
			*pkg = h->pkgs[i].name;
		}
	return best;
}

gid_t host_group_id(struct arena *a, const char *root, const char *name, bool *found)
{
	char *grp = host_read(a, root, "/etc/group", NULL), *line, *save = NULL;
	size_t n = strlen(name);

	*found = false;
	for (line = grp ? strtok_r(grp, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, name, n) && line[n] == ':') {
			const char *p = strchr(line + n + 1, ':');
			*found = p != NULL;
			return p ? (gid_t)strtoul(p + 1, NULL, 10) : 0;
		}
	return 0;
}

int host_run(struct arena *a, const char *const argv[], char **out, size_t max, int timeout_ms)
{
	static char *const env[] = {"LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	struct buf b = BUF_INIT;
	int fds[2], status = 0, waited = 0;
	bool eof = false, reaped = false;
	pid_t pid;

	*out = NULL;
	if (access(argv[0], X_OK))
		return DS_ENOTFOUND;
	if (pipe2(fds, O_CLOEXEC))
		return DS_EIO;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return DS_EIO;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(fds[1], 1);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 2);
		}
		execve(argv[0], (char *const *)argv, env);
		_exit(127);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd p = {fds[0], POLLIN, 0};
		char chunk[16384];
		ssize_t n;
		if (poll(&p, 1, 100) <= 0) {
			if ((waited += 100) >= timeout_ms)
				break;
			continue;
		}
		n = read(fds[0], chunk, sizeof(chunk));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			eof = n == 0;
			break;
		}
		if (b.n + (size_t)n > max)
			break;
		buf_add(&b, chunk, (size_t)n);
	}
	close(fds[0]);
	/* after EOF the tool is exiting: give it the rest of the time */
	while (eof && !reaped) {
		reaped = waitpid(pid, &status, WNOHANG) == pid;
		if (reaped || (waited += 10) >= timeout_ms)
			break;
		poll(NULL, 0, 10);
	}
	if (!reaped) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		buf_release(&b);
		return DS_ELIMIT; /* killed at its timeout */
	}
	if (buf_ok(&b))
		*out = arena_strndup(a, b.n ? buf_str(&b) : "", b.n);
	buf_release(&b);
	return WIFEXITED(status) ? WEXITSTATUS(status) : DS_EIO;
}
