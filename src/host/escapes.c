/*
 * escapes.c - host-cve-*: the kernel, runc, containerd, the Engine and
 * sshd checked against known container-escape CVEs, distribution-aware.
 *
 * Comparing upstream version numbers is wrong on distribution packages:
 * Debian 12's runc reports 1.1.5, below upstream's 1.1.12, yet its
 * 1.1.5+ds1-1+deb12u1 carries the CVE-2024-21626 fix. So each verdict is
 * reached in this order, and says how sure it is:
 *   1. the installed package's changelog names the CVE -> fixed by backport
 *      (high);
 *   2. the distribution's fixed version for this release is known -> dpkg
 *      ordering of the installed version against it (high);
 *   3. the upstream version is outside the affected ranges -> not affected
 *      (high);
 *   4. otherwise the upstream version is affected: high for an upstream
 *      build (docker-ce, containerd.io, a static binary), medium for a
 *      distribution package (a backport not named in its changelog would
 *      not show) or a kernel of unknown vendor.
 * Versions come from dpkg's status file (the package really installed),
 * /proc/version and /proc/version_signature for the running kernel, and
 * the Engine's /version Components when no package owns the binary or the
 * daemon is remote. Nothing is executed.
 *
 * The table holds facts (CVE ids, affected ranges, fixed versions) from
 * the vendors' advisories; ../shared/reference/escape-cves.tsv lists the
 * sources. Upstream fixes are per release series: a version is affected
 * when it is at or above `intro` and below the fix of its own major.minor
 * series, or below the newest fix when its series has none (an
 * end-of-life series never got one).
 */
#include "audit.h"
#include <unistd.h>
#include "../image/version/version.h"
#include <ctype.h>
#include <zlib.h>

#define ESC_MAX_CHANGELOG (64u << 20) /* decompressed bytes read from one changelog */

enum comp { K_KERNEL, K_RUNC, K_CONTAINERD, K_ENGINE, K_SSHD };
static const char *const comp_name[] = {"kernel", "runc", "containerd", "Docker Engine", "openssh-server"};

enum { ESC_UBUNTU_ONLY = 1, ESC_AUTHZ = 2 };

struct esc_fix {
	const char *distro, *release, *version;
};

struct esc_cve {
	const char *cve, *title;
	enum comp comp;
	const char *intro;      /* first affected upstream version; NULL: all before the fixes */
	const char *fixes[10];  /* upstream fixed versions, one per series */
	struct esc_fix distro[6];
	const char *note;       /* what exploitation needs */
	unsigned flags;
};

static const struct esc_cve cves[] = {
	{"CVE-2016-5195", "Dirty COW (kernel copy-on-write race)", K_KERNEL, "2.6.22",
	 {"4.8.3", "4.7.9", "4.4.26", "4.1.35", "3.18.44", "3.16.38", "3.12.66", "4.9"},
	 {{"debian", "8", "3.16.36-1+deb8u2"}, {"ubuntu", "16.04", "4.4.0-45.66"}}, NULL, 0},
	{"CVE-2022-0847", "Dirty Pipe (kernel pipe buffer flags)", K_KERNEL, "5.8",
	 {"5.16.11", "5.15.25", "5.10.102", "5.17"},
	 {{"debian", "11", "5.10.92-2"}, {"ubuntu", "21.10", "5.13.0-35.40"}, {"ubuntu", "20.04", "5.13.0-35.40~20.04.1"}},
	 NULL, 0},
	{"CVE-2022-0492", "cgroup v1 release_agent escape", K_KERNEL, "2.6.24",
	 {"5.16.6", "5.15.20", "5.10.97", "5.4.177", "4.19.229", "4.14.266", "4.9.301", "5.17"},
	 {{NULL, NULL, NULL}}, "exploitable from a container without seccomp, AppArmor or SELinux, or with CAP_SYS_ADMIN", 0},
	{"CVE-2022-0185", "fsconfig heap overflow (legacy_parse_param)", K_KERNEL, "5.1",
	 {"5.16.2", "5.15.16", "5.10.93", "5.4.173", "5.17"}, {{NULL, NULL, NULL}},
	 "needs CAP_SYS_ADMIN in a user namespace (unprivileged user namespaces enabled)", 0},
	{"CVE-2023-0386", "OverlayFS setuid copy-up", K_KERNEL, "5.11", {"6.1.9", "5.15.91", "6.2"}, {{NULL, NULL, NULL}},
	 NULL, 0},
	{"CVE-2024-1086", "nf_tables use-after-free (Flipping Pages)", K_KERNEL, "3.15",
	 {"6.7.3", "6.6.15", "6.1.76", "5.15.149", "5.10.210", "5.4.269", "4.19.307", "6.8"},
	 {{"debian", "12", "6.1.76-1"}}, "needs CAP_NET_ADMIN in a user namespace", 0},
	{"CVE-2023-32233", "nf_tables anonymous set use-after-free", K_KERNEL, NULL,
	 {"6.3.2", "6.2.15", "6.1.28", "5.15.111", "5.10.180", "5.4.243", "4.19.283", "4.14.315", "6.4"},
	 {{"debian", "12", "6.1.27-1"}}, "needs CAP_NET_ADMIN in a user namespace", 0},
	{"CVE-2021-22555", "x_tables heap out-of-bounds write", K_KERNEL, "2.6.19",
	 {"5.11.15", "5.10.31", "5.4.113", "4.19.188", "4.14.231", "4.9.267", "4.4.267", "5.12"}, {{NULL, NULL, NULL}},
	 NULL, 0},
	{"CVE-2020-14386", "AF_PACKET memory corruption (CAP_NET_RAW, a Docker default)", K_KERNEL, "4.6",
	 {"5.8.8", "5.4.64", "4.19.150", "4.14.201", "4.9.239", "5.9"}, {{NULL, NULL, NULL}},
	 "needs CAP_NET_RAW, which Docker grants by default", 0},
	{"CVE-2023-2640", "GameOver(lay): Ubuntu overlayfs patches", K_KERNEL, NULL, {NULL},
	 /* release: the kernel series, for this Ubuntu-only flaw (USN-6250-1) */
	 {{"ubuntu", "6.2", "6.2.0-26.26"}, {"ubuntu", "6.0", "6.0.0-1020.20"}, {"ubuntu", "5.4", "5.4.0-155.172"}},
	 NULL, ESC_UBUNTU_ONLY},
	{"CVE-2019-5736", "runc /proc/self/exe overwrite", K_RUNC, NULL, {"1.0.0-rc7"}, {{NULL, NULL, NULL}}, NULL, 0},
	{"CVE-2021-30465", "runc mount symlink-exchange race", K_RUNC, NULL, {"1.0.0-rc95"}, {{NULL, NULL, NULL}}, NULL,
	 0}, /* Debian's backport is found in the package changelog */
	{"CVE-2024-21626", "Leaky Vessels: runc leaked fd and process.cwd", K_RUNC, "1.0.0-rc93", {"1.1.12"},
	 {{"debian", "11", "1.0.0~rc93+ds1-5+deb11u3"}, {"debian", "12", "1.1.5+ds1-1+deb12u1"},
	  {"ubuntu", "20.04", "1.1.7-0ubuntu1~20.04.2"}, {"ubuntu", "22.04", "1.1.7-0ubuntu1~22.04.2"},
	  {"ubuntu", "23.10", "1.1.7-0ubuntu2.2"}},
	 NULL, 0},
	{"CVE-2025-31133", "runc maskedPaths /dev/null race", K_RUNC, NULL, {"1.2.8", "1.3.3", "1.4.0-rc.3"},
	 {{NULL, NULL, NULL}}, NULL, 0},
	{"CVE-2025-52565", "runc /dev/console bind-mount race", K_RUNC, "1.0.0-rc3", {"1.2.8", "1.3.3", "1.4.0-rc.3"},
	 {{NULL, NULL, NULL}}, NULL, 0},
	{"CVE-2025-52881", "runc LSM label write redirected through procfs", K_RUNC, NULL,
	 {"1.2.8", "1.3.3", "1.4.0-rc.3"}, {{NULL, NULL, NULL}}, NULL, 0},
	{"CVE-2024-23651", "BuildKit cache mount race (Engine's bundled BuildKit)", K_ENGINE, NULL, {"25.0.2"},
	 {{NULL, NULL, NULL}}, "needs a malicious Dockerfile or frontend to be built", 0},
	{"CVE-2024-23652", "BuildKit mount stub cleaner removes host files", K_ENGINE, NULL, {"25.0.2"},
	 {{NULL, NULL, NULL}}, "needs a malicious Dockerfile or frontend to be built", 0},
	{"CVE-2024-23653", "BuildKit interactive containers skip the entitlement check", K_ENGINE, NULL, {"25.0.2"},
	 {{NULL, NULL, NULL}}, "needs a malicious frontend or API client to build", 0},
	{"CVE-2024-24557", "Engine classic builder cache poisoning", K_ENGINE, NULL, {"24.0.9", "25.0.2"},
	 {{NULL, NULL, NULL}}, "on 23.0 and later only with BuildKit disabled or the /build API", 0},
	{"CVE-2024-41110", "Engine AuthZ plugin bypass (zero-length body)", K_ENGINE, "19.03.0",
	 {"23.0.15", "25.0.6", "26.1.5", "27.1.1"}, {{"debian", "12", "20.10.24+dfsg1-1+deb12u1"}},
	 "matters only with an authorization plugin", ESC_AUTHZ},
	{"CVE-2021-41091", "Engine data directory traversable by unprivileged users", K_ENGINE, NULL, {"20.10.9"},
	 {{NULL, NULL, NULL}}, "containers started before the upgrade keep the old permissions until restarted", 0},
	{"CVE-2020-15257", "containerd-shim abstract socket reachable from host-network containers", K_CONTAINERD, NULL,
	 {"1.3.9", "1.4.3"}, {{NULL, NULL, NULL}}, "containers started before the upgrade keep the old shim until restarted",
	 0},
	{"CVE-2024-25621", "containerd directory permissions", K_CONTAINERD, NULL, {"1.7.29", "2.0.7", "2.1.5", "2.2.0"},
	 {{"debian", "12", "1.6.20~ds1-1+deb12u2"}}, NULL, 0},
	{"CVE-2024-6387", "regreSSHion: sshd signal handler race", K_SSHD, "8.5p1", {"9.8p1"},
	 {{"debian", "12", "1:9.2p1-2+deb12u3"}, {"ubuntu", "22.04", "1:8.9p1-3ubuntu0.10"},
	  {"ubuntu", "24.04", "1:9.6p1-3ubuntu13.3"}},
	 NULL, 0},
};

#define NCVE DS_ARRAY_SIZE(cves)

static struct rule defs[NCVE];
static char ids[NCVE][32], titles[NCVE][160], refs[NCVE][32], whys[NCVE][320];
static void exposed(void *ctx, const struct rule *rule);

/* The registry rows are derived from the CVE table once, at registration
 * (before threads): id host-cve-YYYY-N, the CVE as a ref, the CVE's
 * entry as the row's arg. */
void au_esc_make_rows(void)
{
	static bool made;
	size_t i, k;

	if (made)
		return;
	made = true;
	for (i = 0; i < NCVE; i++) {
		snprintf(ids[i], sizeof(ids[i]), "host-cve-");
		for (k = 4; cves[i].cve[k] && 9 + k - 4 < sizeof(ids[i]) - 1; k++)
			ids[i][9 + k - 4] = cves[i].cve[k];
		/* neutral, so it reads right whether the host is exposed (WARN)
		 * or not (PASS): the status and the evidence say which */
		snprintf(titles[i], sizeof(titles[i]), "%s in %s: %s", cves[i].cve, comp_name[cves[i].comp], cves[i].title);
		snprintf(refs[i], sizeof(refs[i]), "cve:%s", cves[i].cve);
		snprintf(whys[i], sizeof(whys[i]), "%s lets a process in a container reach the host%s%s.", cves[i].title,
			 cves[i].note ? "; exploitation " : "", cves[i].note ? cves[i].note : "");
		defs[i] = (struct rule){ids[i], cves[i].comp == K_SSHD ? SEV_HIGH : SEV_CRITICAL, "host", titles[i], whys[i],
					"Upgrade the component to the distribution's fixed version (or the upstream fix of "
					"its series); reboot for a kernel, restart running containers for runc and containerd.",
					{refs[i], NULL}, exposed, &cves[i], 0};
	}
}

/* A component's version and where it was read. */
struct ver {
	const char *shown;    /* as installed: "1.1.5+ds1-1+deb12u1" */
	const char *upstream; /* "1.1.5" */
	const char *pkg;      /* dpkg package (its changelog), or NULL */
	const char *from;     /* "dpkg runc", "/proc/version", "Engine /version" */
	bool distro;          /* a distribution build: backports possible */
	bool dpkg;            /* shown is a dpkg version of this distribution */
	bool ubuntu_kernel;
};

/* The upstream part of a package version: no epoch, no revision, no
 * repack suffix (+ds1, ~ds1, +dfsg1). */
static const char *upstream_of(struct arena *a, const char *v)
{
	const char *colon = strchr(v, ':'), *dash, *p;
	size_t n;

	if (colon && colon - v < 6)
		v = colon + 1;
	dash = strrchr(v, '-');
	n = dash ? (size_t)(dash - v) : strlen(v);
	for (p = v; p < v + n; p++)
		if (*p == '+' || (*p == '~' && (!strncmp(p + 1, "ds", 2) || !strncmp(p + 1, "dfsg", 4)))) {
			n = (size_t)(p - v);
			break;
		}
	return arena_strndup(a, v, n);
}

static bool looks_distro(const char *v)
{
	return strstr(v, "+ds") || strstr(v, "~ds") || strstr(v, "dfsg") || strstr(v, "ubuntu") || strstr(v, "deb") ||
	       strstr(v, ".el") || strstr(v, ".fc");
}

static char *trim(char *s)
{
	size_t n = s ? strlen(s) : 0;
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

/* The newest installed linux-image-<digit>... package (offline: the
 * running kernel cannot be known, the newest installed one is reported). */
static bool newest_kernel_pkg(const struct au_host *h, struct arena *a, struct ver *v)
{
	if (!(v->shown = au_dpkg_newest(h, "linux-image-", &v->pkg)))
		return false;
	v->upstream = upstream_of(a, v->shown);
	v->from = arena_printf(a, "dpkg %s (newest installed kernel; the running one is unknown offline)", v->pkg);
	v->distro = v->dpkg = true;
	return true;
}

static bool kernel(const struct au_data *d, const struct au_host *h, struct arena *a, struct ver *v)
{
	char *rel, *pv, *sig, *p;

	if (d->remote) {
		const char *kv = json_string_value(json_object_get(d->version, "KernelVersion"));
		if (!kv)
			return false;
		v->shown = kv;
		v->upstream = upstream_of(a, kv);
		v->from = "Engine /version KernelVersion (remote daemon)";
		return true;
	}
	if (strcmp(d->root, "/"))
		return newest_kernel_pkg(h, a, v);
	rel = trim(host_read(a, "/", "/proc/sys/kernel/osrelease", NULL));
	pv = host_read(a, "/", "/proc/version", NULL);
	sig = trim(host_read(a, "/", "/proc/version_signature", NULL));
	if (!rel)
		return false;
	v->shown = rel;
	v->upstream = arena_strndup(a, rel, strcspn(rel, "-+"));
	v->from = "/proc/sys/kernel/osrelease";
	if (sig && !strncmp(sig, "Ubuntu ", 7)) { /* "Ubuntu 5.15.0-91.101-generic 5.15.131" */
		char *ver = sig + 7, *sp = strchr(ver, ' '), *flavour;
		if (sp) {
			*sp = 0;
			v->upstream = arena_strdup(a, sp + 1);
		}
		if ((flavour = strrchr(ver, '-')) && isalpha((unsigned char)flavour[1]))
			*flavour = 0;
		v->shown = ver;
		v->from = "/proc/version_signature";
		v->distro = v->dpkg = v->ubuntu_kernel = true;
	} else if (pv && (p = strstr(pv, " Debian ")) && isdigit((unsigned char)p[8])) {
		v->shown = arena_strndup(a, p + 8, strcspn(p + 8, " \n"));
		v->upstream = upstream_of(a, v->shown);
		v->from = "/proc/version";
		v->distro = v->dpkg = true;
	}
	if (v->distro && v->shown)
		v->pkg = arena_printf(a, "linux-image-%s", rel);
	return v->shown && v->upstream;
}

/* runc, containerd, the Engine, sshd: the dpkg package when one is
 * installed (distro packages first, then the vendors' upstream builds),
 * else the Engine's /version component. */
static bool component(const struct au_data *d, const struct au_host *h, struct arena *a, enum comp c, struct ver *v)
{
	static const char *const distro_pkgs[][2] = {
		[K_RUNC] = {"runc", NULL},
		[K_CONTAINERD] = {"containerd", NULL},
		[K_ENGINE] = {"docker.io", "moby-engine"},
		[K_SSHD] = {"openssh-server", NULL},
	};
	static const char *const upstream_pkgs[K_SSHD + 1][2] = {
		[K_CONTAINERD] = {"containerd.io", NULL},
		[K_ENGINE] = {"docker-ce", NULL},
	};
	static const char *const api_name[K_SSHD + 1] = {[K_RUNC] = "runc", [K_CONTAINERD] = "containerd", [K_ENGINE] = "Engine"};
	size_t i;
	json_t *x;

	if (!d->remote) {
		for (i = 0; i < 2; i++) {
			const char *pkg = distro_pkgs[c][i], *ver;
			if (pkg && (ver = au_dpkg_version(h, pkg))) {
				*v = (struct ver){ver, upstream_of(a, ver), pkg, arena_printf(a, "dpkg %s", pkg), true, true, false};
				return true;
			}
		}
		for (i = 0; i < 2; i++) {
			const char *pkg = upstream_pkgs[c][i], *ver;
			if (pkg && (ver = au_dpkg_version(h, pkg))) {
				*v = (struct ver){ver, upstream_of(a, ver), NULL,
						  arena_printf(a, "dpkg %s (an upstream build)", pkg), false, false, false};
				/* containerd.io bundles its own runc: take runc from the Engine */
				return true;
			}
		}
	}
	if (c == K_SSHD || !d->version)
		return false;
	json_array_foreach(json_object_get(d->version, "Components"), i, x) {
		const char *name = json_string_value(json_object_get(x, "Name"));
		const char *ver = json_string_value(json_object_get(x, "Version"));
		if (!name || !ver || strcasecmp(name, api_name[c]))
			continue;
		v->shown = ver;
		v->upstream = upstream_of(a, *ver == 'v' ? ver + 1 : ver);
		v->from = arena_printf(a, "Engine /version component %s%s", name, d->remote ? " (remote daemon)" : "");
		v->distro = looks_distro(ver);
		return true;
	}
	return false;
}

/* major.minor of an upstream version. */
static bool series(const char *v, unsigned long *maj, unsigned long *min)
{
	char *end;

	if (*v == 'v')
		v++;
	if (!isdigit((unsigned char)*v))
		return false;
	*maj = strtoul(v, &end, 10);
	*min = *end == '.' && isdigit((unsigned char)end[1]) ? strtoul(end + 1, NULL, 10) : 0;
	return true;
}

/* Affected by upstream ranges; *why says which fix applies. */
static bool affected(const struct esc_cve *c, const char *up, const char **why, struct arena *a)
{
	unsigned long vm, vn, fm, fn;
	const char *newest = NULL;
	size_t i;

	if (c->intro && ver_upstream_cmp(up, c->intro) < 0) {
		*why = arena_printf(a, "before %s, where the flaw was introduced", c->intro);
		return false;
	}
	if (!series(up, &vm, &vn)) {
		*why = "version not understood";
		return false;
	}
	for (i = 0; i < DS_ARRAY_SIZE(c->fixes) && c->fixes[i]; i++) {
		if (series(c->fixes[i], &fm, &fn) && fm == vm && fn == vn) {
			bool vuln = ver_upstream_cmp(up, c->fixes[i]) < 0;
			*why = arena_printf(a, "%s is %s %s, the fix in the %lu.%lu series", up, vuln ? "below" : "at or above",
					    c->fixes[i], vm, vn);
			return vuln;
		}
		if (!newest || ver_upstream_cmp(c->fixes[i], newest) > 0)
			newest = c->fixes[i];
	}
	if (!newest) {
		*why = "no upstream fix applies";
		return false;
	}
	if (ver_upstream_cmp(up, newest) < 0) {
		struct buf b = BUF_INIT;
		for (i = 0; i < DS_ARRAY_SIZE(c->fixes) && c->fixes[i]; i++)
			buf_addf(&b, "%s%s", i ? ", " : "", c->fixes[i]);
		*why = arena_printf(a, "%s: the %lu.%lu series got no fix (fixed upstream in %s)", up, vm, vn, buf_str(&b));
		buf_release(&b);
		return true;
	}
	*why = arena_printf(a, "%s is at or above %s, where the fix landed", up, newest);
	return false;
}

/* Is id (k bytes) one of the escape CVEs of the table? */
static bool escape_cve(const char *id, size_t k)
{
	for (size_t i = 0; i < NCVE; i++)
		if (strlen(cves[i].cve) == k && !memcmp(cves[i].cve, id, k))
			return true;
	return false;
}

/* The escape CVEs (the table's) a package's Debian changelog names, read
 * once per package. Only those are kept: a changelog of a million ids
 * (64 MiB may be read) was deduplicated against all the ids before it,
 * 80 000 of them in 4 s. */
static const char *changelog_cves(struct au_host *h, struct arena *a, const char *root, const char *pkg)
{
	struct buf b = BUF_INIT;
	char chunk[65536], tail[32] = "";
	size_t i, total = 0;
	gzFile gz;
	int n;

	for (i = 0; i < h->ncl; i++)
		if (!strcmp(h->cl[i].pkg, pkg))
			return h->cl[i].cves;
	if (h->ncl == DS_ARRAY_SIZE(h->cl))
		return NULL;
	h->cl[h->ncl].pkg = pkg;
	h->cl[h->ncl].cves = NULL;
	{
		const char *cl = arena_printf(a, "/usr/share/doc/%s/changelog.Debian.gz", pkg);
		int fd = cl ? host_open(root, cl) : -1;
		gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
		if (fd >= 0 && !gz)
			close(fd);
	}
	if (!gz) {
		h->ncl++;
		return NULL;
	}
	buf_adds(&b, " ");
	while (total < ESC_MAX_CHANGELOG && (n = gzread(gz, chunk, sizeof(chunk) - 1)) > 0) {
		/* a CVE id split between chunks: scan the last bytes again */
		char scan[sizeof(tail) + sizeof(chunk)];
		const char *p;
		size_t tl = strlen(tail);
		memcpy(scan, tail, tl);
		memcpy(scan + tl, chunk, (size_t)n);
		scan[tl + (size_t)n] = 0;
		for (p = scan; (p = memmem(p, (size_t)(scan + tl + (size_t)n - p), "CVE-", 4)); p += 4) {
			size_t k = 4;
			while (isdigit((unsigned char)p[k]) || (k == 8 && p[k] == '-'))
				k++;
			if (k >= 13 && p + k < scan + tl + (size_t)n && escape_cve(p, k)) {
				char id[24];
				snprintf(id, sizeof(id), " %.*s ", (int)k, p);
				if (!strstr(buf_str(&b), id))
					buf_addf(&b, "%.*s ", (int)k, p);
			}
		}
		tl = (size_t)n < sizeof(tail) - 1 ? (size_t)n : sizeof(tail) - 1;
		memcpy(tail, chunk + n - tl, tl);
		tail[tl] = 0;
		total += (size_t)n;
	}
	gzclose(gz);
	if (buf_ok(&b))
		h->cl[h->ncl].cves = arena_strndup(a, buf_str(&b), b.n);
	buf_release(&b);
	return h->cl[h->ncl++].cves;
}

static const char *distro_name(const char *id)
{
	return !strcmp(id, "debian") ? "Debian" : !strcmp(id, "ubuntu") ? "Ubuntu" : id;
}

static bool authz_configured(const struct au_data *d)
{
	json_t *p = json_object_get(json_object_get(d->info, "Plugins"), "Authorization");
	return json_array_size(p) || (d->dcfg && d->dcfg->authz.v);
}

static bool check(const struct au_data *d, struct au_host *h, struct arena *a, struct au_result *r, struct au_ev *e,
		  const struct esc_cve *c);

/* Every host-cve row: is the installed component older than the fix of
 * the CVE its arg names? */
static void exposed(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;
	x->decided = check(x->d, x->h, x->a, x->r, x->e, rule->arg);
}

static bool check(const struct au_data *d, struct au_host *h, struct arena *a, struct au_result *r, struct au_ev *e,
		  const struct esc_cve *c)
{
	const struct esc_fix *fix = NULL;
	struct ver v = {0};
	const char *why = "", *cl = NULL, *conf;
	char needle[32];
	size_t i;
	bool vuln, have;

	if (!c)
		return false;
	have = c->comp == K_KERNEL ? kernel(d, h, a, &v) : component(d, h, a, c->comp, &v);
	if (!have) {
		r->status = c->comp == K_KERNEL ? AU_SKIP : AU_INFO;
		if (c->comp == K_KERNEL)
			au_ev_add(e, "the kernel version could not be read");
		else
			au_ev_add(e, "%s not found (no dpkg package%s)", comp_name[c->comp],
				  c->comp == K_SSHD ? "" : ", no Engine /version component");
		return true;
	}
	au_ev_add(e, "%s %s (%s)", comp_name[c->comp], v.shown, v.from);
	if (c->flags & ESC_UBUNTU_ONLY) {
		if (!v.ubuntu_kernel && !(v.dpkg && h->os_id && !strcmp(h->os_id, "ubuntu"))) {
			r->status = AU_PASS;
			au_ev_add(e, "not an Ubuntu kernel: the flaw is in Ubuntu's own overlayfs patches; confidence: high");
			return true;
		}
	}
	/* 1. the changelog names it */
	if (v.pkg && v.dpkg)
		cl = changelog_cves(h, a, d->root, v.pkg);
	snprintf(needle, sizeof(needle), " %s ", c->cve);
	if (cl && strstr(cl, needle)) {
		r->status = AU_PASS;
		au_ev_add(e, "the changelog of %s %s names %s: fixed by backport; confidence: high", v.pkg, v.shown, c->cve);
		return true;
	}
	/* 2. the distribution's fixed version for this release (for the
	 * Ubuntu-only flaw: for this kernel series) */
	if (c->flags & ESC_UBUNTU_ONLY) {
		unsigned long maj, min;
		char ser[32] = "";
		if (series(v.shown, &maj, &min))
			snprintf(ser, sizeof(ser), "%lu.%lu", maj, min);
		for (i = 0; i < DS_ARRAY_SIZE(c->distro) && c->distro[i].distro; i++)
			if (!strcmp(c->distro[i].release, ser))
				fix = &c->distro[i];
		if (!fix) {
			r->status = AU_INFO;
			au_ev_add(e, "no fixed version is recorded for the %s Ubuntu kernel series: see USN-6250-1; confidence: low", ser);
			return true;
		}
	}
	for (i = 0; !fix && v.dpkg && h->os_id && h->os_version && i < DS_ARRAY_SIZE(c->distro) && c->distro[i].distro; i++)
		if (!strcmp(c->distro[i].distro, h->os_id) && !strcmp(c->distro[i].release, h->os_version))
			fix = &c->distro[i];
	if (fix) {
		vuln = ver_dpkg_cmp(v.shown, fix->version) < 0;
		au_ev_add(e, "%s %s%s fixed it in %s: installed %s %s it (dpkg ordering); confidence: high",
			  distro_name(fix->distro), c->flags & ESC_UBUNTU_ONLY ? "kernel series " : "", fix->release,
			  fix->version, v.shown, vuln ? "is older than" : "includes");
	} else {
		/* 3 and 4: upstream ranges */
		vuln = affected(c, v.upstream, &why, a);
		if (!vuln)
			conf = "high";
		else if (v.distro)
			conf = cl ? "medium (a distribution package: its changelog does not name the CVE, and no distribution fix is recorded for this release)"
				  : "medium (a distribution package: a backport would not show in the upstream version, and no changelog was readable)";
		else if (c->comp == K_KERNEL)
			conf = "medium (a kernel of unknown vendor: backports would not show in its version)";
		else
			conf = "high (an upstream build)";
		au_ev_add(e, "upstream %s: %s; confidence: %s", vuln ? "affected" : "not affected", why, conf);
	}
	r->status = vuln ? AU_WARN : AU_PASS;
	if (vuln && (c->flags & ESC_AUTHZ) && !authz_configured(d)) {
		r->status = AU_INFO;
		au_ev_add(e, "no authorization plugin is configured, so the bypass has nothing to bypass");
	} else if (vuln && c->note) {
		au_ev_add(e, "exploitation %s", c->note);
	}
	if (vuln)
		au_ev_add(e, "remedy: upgrade %s%s%s", v.pkg ? v.pkg : comp_name[c->comp],
			  c->comp == K_KERNEL ? " and reboot" : "",
			  c->comp == K_RUNC || c->comp == K_CONTAINERD ? ", then restart running containers" : "");
	return true;
}

const struct au_module au_esc = {defs, NCVE};
