/*
 * runcmd.c - the `docker run` / `docker create` front-end.
 *
 * Command lines are found in any text file (shell scripts, Makefiles, CI
 * YAML, READMEs given explicitly): at each word "docker" or "podman" the
 * logical line (backslash-newline continuations followed) is handed to the
 * shell splitter of the Dockerfile linter, so quoting, escapes, `$(...)`,
 * `&&` chains and `sudo` work as a shell would read them. Offsets map back
 * to the file, so every flag is reported at its own line and column.
 *
 * Flags are decided by one table of the Docker CLI's run/create flags
 * (docker 28): whether each takes a value, and what it sets in the model.
 * An unknown flag is recorded in unknown[] and ends the parse of that line
 * without guessing whether it takes a value: the image is then unknown,
 * and the container is marked incomplete.
 */
#include "check.h"
#include "../shell/shell.h"

enum fl {
	F_IGNORE,
	F_ADD_HOST, F_CAP_ADD, F_CAP_DROP, F_CGROUPNS, F_CPU_SHARES, F_CPUS, F_CPU_QUOTA, F_DEVICE,
	F_ENV, F_ENV_FILE, F_GROUP_ADD, F_HEALTH, F_NO_HEALTH, F_IPC, F_MEMORY, F_MOUNT, F_NAME,
	F_NETWORK, F_PID, F_PIDS, F_PRIVILEGED, F_PUBLISH, F_PUBLISH_ALL, F_READ_ONLY, F_RESTART,
	F_SECOPT, F_SYSCTL, F_TMPFS, F_ULIMIT, F_USER, F_USERNS, F_UTS, F_VOLUME, F_VOLUMES_FROM,
	F_GPUS, F_API_SOCKET, F_ENTRYPOINT, F_CGROUP_PARENT,
};

struct flag {
	const char *long_name;
	char short_name;
	bool value;
	enum fl what;
};

static const struct flag flags[] = {
	{"add-host", 0, true, F_IGNORE},
	{"annotation", 0, true, F_IGNORE},
	{"attach", 'a', true, F_IGNORE},
	{"blkio-weight", 0, true, F_IGNORE},
	{"blkio-weight-device", 0, true, F_IGNORE},
	{"cap-add", 0, true, F_CAP_ADD},
	{"cap-drop", 0, true, F_CAP_DROP},
	{"cgroup-parent", 0, true, F_CGROUP_PARENT},
	{"cgroupns", 0, true, F_CGROUPNS},
	{"cidfile", 0, true, F_IGNORE},
	{"cpu-count", 0, true, F_IGNORE},
	{"cpu-percent", 0, true, F_IGNORE},
	{"cpu-period", 0, true, F_IGNORE},
	{"cpu-quota", 0, true, F_CPU_QUOTA},
	{"cpu-rt-period", 0, true, F_IGNORE},
	{"cpu-rt-runtime", 0, true, F_IGNORE},
	{"cpu-shares", 'c', true, F_CPU_SHARES},
	{"cpus", 0, true, F_CPUS},
	{"cpuset-cpus", 0, true, F_IGNORE},
	{"cpuset-mems", 0, true, F_IGNORE},
	{"detach", 'd', false, F_IGNORE},
	{"detach-keys", 0, true, F_IGNORE},
	{"device", 0, true, F_DEVICE},
	{"device-cgroup-rule", 0, true, F_DEVICE},
	{"device-read-bps", 0, true, F_IGNORE},
	{"device-read-iops", 0, true, F_IGNORE},
	{"device-write-bps", 0, true, F_IGNORE},
	{"device-write-iops", 0, true, F_IGNORE},
	{"disable-content-trust", 0, false, F_IGNORE},
	{"dns", 0, true, F_IGNORE},
	{"dns-opt", 0, true, F_IGNORE},
	{"dns-option", 0, true, F_IGNORE},
	{"dns-search", 0, true, F_IGNORE},
	{"domainname", 0, true, F_IGNORE},
	{"entrypoint", 0, true, F_ENTRYPOINT},
	{"env", 'e', true, F_ENV},
	{"env-file", 0, true, F_ENV_FILE},
	{"expose", 0, true, F_IGNORE},
	{"gpus", 0, true, F_GPUS},
	{"group-add", 0, true, F_GROUP_ADD},
	{"health-cmd", 0, true, F_HEALTH},
	{"health-interval", 0, true, F_IGNORE},
	{"health-retries", 0, true, F_IGNORE},
	{"health-start-interval", 0, true, F_IGNORE},
	{"health-start-period", 0, true, F_IGNORE},
	{"health-timeout", 0, true, F_IGNORE},
	{"help", 0, false, F_IGNORE},
	{"hostname", 'h', true, F_IGNORE},
	{"init", 0, false, F_IGNORE},
	{"interactive", 'i', false, F_IGNORE},
	{"io-maxbandwidth", 0, true, F_IGNORE},
	{"io-maxiops", 0, true, F_IGNORE},
	{"ip", 0, true, F_IGNORE},
	{"ip6", 0, true, F_IGNORE},
	{"ipc", 0, true, F_IPC},
	{"isolation", 0, true, F_IGNORE},
	{"kernel-memory", 0, true, F_IGNORE},
	{"label", 'l', true, F_IGNORE},
	{"label-file", 0, true, F_IGNORE},
	{"link", 0, true, F_IGNORE},
	{"link-local-ip", 0, true, F_IGNORE},
	{"log-driver", 0, true, F_IGNORE},
	{"log-opt", 0, true, F_IGNORE},
	{"mac-address", 0, true, F_IGNORE},
	{"memory", 'm', true, F_MEMORY},
	{"memory-reservation", 0, true, F_IGNORE},
	{"memory-swap", 0, true, F_IGNORE},
	{"memory-swappiness", 0, true, F_IGNORE},
	{"mount", 0, true, F_MOUNT},
	{"name", 0, true, F_NAME},
	{"net", 0, true, F_NETWORK},
	{"net-alias", 0, true, F_IGNORE},
	{"network", 0, true, F_NETWORK},
	{"network-alias", 0, true, F_IGNORE},
	{"no-healthcheck", 0, false, F_NO_HEALTH},
	{"oom-kill-disable", 0, false, F_IGNORE},
	{"oom-score-adj", 0, true, F_IGNORE},
	{"pid", 0, true, F_PID},
	{"pids-limit", 0, true, F_PIDS},
	{"platform", 0, true, F_IGNORE},
	{"privileged", 0, false, F_PRIVILEGED},
	{"publish", 'p', true, F_PUBLISH},
	{"publish-all", 'P', false, F_PUBLISH_ALL},
	{"pull", 0, true, F_IGNORE},
	{"quiet", 'q', false, F_IGNORE},
	{"read-only", 0, false, F_READ_ONLY},
	{"restart", 0, true, F_RESTART},
	{"rm", 0, false, F_IGNORE},
	{"runtime", 0, true, F_IGNORE},
	{"security-opt", 0, true, F_SECOPT},
	{"shm-size", 0, true, F_IGNORE},
	{"sig-proxy", 0, false, F_IGNORE},
	{"stop-signal", 0, true, F_IGNORE},
	{"stop-timeout", 0, true, F_IGNORE},
	{"storage-opt", 0, true, F_IGNORE},
	{"sysctl", 0, true, F_SYSCTL},
	{"tmpfs", 0, true, F_TMPFS},
	{"tty", 't', false, F_IGNORE},
	{"ulimit", 0, true, F_ULIMIT},
	{"use-api-socket", 0, false, F_API_SOCKET},
	{"user", 'u', true, F_USER},
	{"userns", 0, true, F_USERNS},
	{"uts", 0, true, F_UTS},
	{"volume", 'v', true, F_VOLUME},
	{"volume-driver", 0, true, F_IGNORE},
	{"volumes-from", 0, true, F_VOLUMES_FROM},
	{"workdir", 'w', true, F_IGNORE},
};

static const struct flag *find_long(struct str name)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(flags); i++)
		if (str_eq(name, flags[i].long_name))
			return &flags[i];
	return NULL;
}

static const struct flag *find_short(char c)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(flags); i++)
		if (flags[i].short_name == c)
			return &flags[i];
	return NULL;
}

/* Line starts of the file, for offset -> line/column. */
struct lines {
	const char *base;
	uint32_t *start;
	size_t n;
};

static int lines_init(struct arena *a, struct lines *l, const char *s, size_t len)
{
	size_t i, n = 1;

	for (i = 0; i < len; i++)
		n += s[i] == '\n';
	l->start = arena_array(a, n, sizeof(*l->start));
	if (!l->start)
		return DS_ENOMEM;
	l->base = s;
	l->n = 0;
	l->start[l->n++] = 0;
	for (i = 0; i < len; i++)
		if (s[i] == '\n')
			l->start[l->n++] = (uint32_t)(i + 1);
	return 0;
}

static struct ct_src pos(const struct lines *l, size_t off)
{
	size_t lo = 0, hi = l->n;
	struct ct_src s = {0, 0, NULL, NULL};

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (l->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	s.line = (int)lo + 1;
	s.col = (int)(off - l->start[lo]) + 1;
	return s;
}

struct rp {
	struct target *t;
	struct ct_file *f;
	struct arena *a;
	const struct lines *ln;
	size_t base; /* offset of the split text in the file */
};

static struct ct_src wpos(struct rp *p, const struct sh_word *w)
{
	return pos(p->ln, p->base + w->off);
}

/* A boolean as the CLI's flag library reads it (Go's ParseBool). */
static int bool_value(const char *v, bool *out)
{
	static const char *const yes[] = {"1", "t", "T", "true", "TRUE", "True"};
	static const char *const no[] = {"0", "f", "F", "false", "FALSE", "False"};
	size_t i;

	*out = true;
	if (!v)
		return 0;
	for (i = 0; i < DS_ARRAY_SIZE(yes); i++) {
		if (!strcmp(v, yes[i]))
			return 0;
		if (!strcmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* The Linux capabilities dockerd knows (CAP_ prefix removed). */
static const char *const linux_caps[] = {
	"ALL", "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE",
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL",
	"LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE",
	"NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG",
	"SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE",
	"SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM",
};

static const char *const ulimit_names[] = {
	"core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc",
	"rss", "rtprio", "rttime", "sigpending", "stack",
};

static bool mac_ok(const char *v)
{
	size_t i;

	if (strlen(v) != 17)
		return false;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? v[i] != ':' : !isxdigit((unsigned char)v[i]))
			return false;
	return true;
}

/* "80", "80-90", "80/tcp": what --expose takes. */
static bool expose_ok(const char *v)
{
	size_t n = strcspn(v, "/"), d = strspn(v, "0123456789");
	const char *proto = v[n] ? v + n + 1 : "tcp";

	if (!d || (d < n && (v[d] != '-' || strspn(v + d + 1, "0123456789") != n - d - 1 || d + 1 == n)))
		return false;
	return !strcmp(proto, "tcp") || !strcmp(proto, "udp") || !strcmp(proto, "sctp");
}

/* A namespace mode with an optional "container:NAME" (the name must be there). */
static bool ns_ok(const char *v, const char *const *modes, size_t n)
{
	if (!strncmp(v, "container:", 10))
		return v[10] != 0;
	return !*v || ct_in(modes, n, v);
}

/* What the Docker CLI or dockerd refuses in one flag's value, as the reason
 * (the run would fail, so docksec reports it instead of judging it); NULL
 * when the value is accepted. Values with variables are left alone. */
static const char *cli_refuses(const struct flag *fl, const char *v)
{
	static const char *const ipc[] = {"none", "private", "shareable", "host"};
	static const char *const pid[] = {"host"};
	static const char *const uts[] = {"host"};
	int64_t n;

	if (!v || strchr(v, '$'))
		return NULL;
	switch (fl->what) {
	case F_CAP_ADD:
	case F_CAP_DROP: {
		char cap[64];
		size_t k = strspn(v, " \t"), e = strlen(v);
		while (e > k && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (memchr(v, ',', strlen(v)))
			return "one capability per flag (a comma is not a separator)";
		snprintf(cap, sizeof(cap), "%.*s", (int)(e - k), v + k);
		if (!strncasecmp(cap, "CAP_", 4))
			memmove(cap, cap + 4, strlen(cap + 4) + 1);
		return ct_in(linux_caps, DS_ARRAY_SIZE(linux_caps), cap) ? NULL : "not a Linux capability";
	}
	case F_IPC: return ns_ok(v, ipc, DS_ARRAY_SIZE(ipc)) ? NULL : "expected none, private, shareable, host or container:NAME";
	case F_PID: return ns_ok(v, pid, DS_ARRAY_SIZE(pid)) ? NULL : "expected host or container:NAME";
	case F_UTS: return ns_ok(v, uts, DS_ARRAY_SIZE(uts)) ? NULL : "expected host";
	case F_MEMORY:
		return ct_parse_bytes(v, &n) && n && n < 6 * 1024 * 1024 ? "the minimum memory limit is 6MB" : NULL;
	case F_DEVICE: {
		const char *c1, *c2;
		if (strcmp(fl->long_name, "device"))
			return NULL; /* --device-cgroup-rule */
		if (strchr(v, '=') || !strncmp(v, "gpus", 4))
			return NULL; /* CDI names */
		c1 = strchr(v, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (v[0] != '/')
			return "the host device must be an absolute path";
		if (c1 && (!c1[1] || c1[1] == ':'))
			return "empty container path";
		if (c1 && !c2 && c1[1] != '/' && strspn(c1 + 1, "rwm") != strlen(c1 + 1))
			return "the container path must be absolute";
		if (c2 && (!c2[1] || strspn(c2 + 1, "rwm") != strlen(c2 + 1)))
			return "the mode is a combination of r, w and m";
		return NULL;
	}
	case F_VOLUME: {
		static const char *const modes[] = {"ro", "rw", "z", "Z", "nocopy", "shared", "rshared", "slave",
						    "rslave", "private", "rprivate", "consistent", "cached", "delegated"};
		const char *c1 = strchr(v, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL, *o;
		if (c1 && c1[1] != '/' && !(isalpha((unsigned char)c1[1]) && c1[2] == ':'))
			return "the container path must be absolute";
		for (o = c2 ? c2 + 1 : NULL; o && *o;) {
			size_t k = strcspn(o, ",");
			char m[32];
			snprintf(m, sizeof(m), "%.*s", (int)(k < 31 ? k : 31), o);
			if (!ct_in(modes, DS_ARRAY_SIZE(modes), m))
				return "unknown mode (ro, rw, z, Z, nocopy or a propagation)";
			o += k + (o[k] == ',');
		}
		return NULL;
	}
	case F_MOUNT: {
		const char *p = v;
		bool volume = strstr(v, "type=volume") || !strstr(v, "type=");
		while (*p) {
			size_t k = strcspn(p, ",");
			if (!strncmp(p, "readonly=", 9) || !strncmp(p, "ro=", 3)) {
				static const char *const bools[] = {"1", "true", "0", "false"};
				size_t o = p[1] == 'o' ? 3 : 9;
				char b[8];
				snprintf(b, sizeof(b), "%.*s", (int)(k - o < 7 ? k - o : 7), p + o);
				if (k - o > 5 || !ct_in(bools, DS_ARRAY_SIZE(bools), b))
					return "readonly takes true or false";
			}
			if ((!strncmp(p, "src=", 4) && k == 4) || (!strncmp(p, "source=", 7) && k == 7))
				return "an empty source";
			if (volume && !strncmp(p, "bind-", 5))
				return "bind options on a volume mount";
			p += k + (p[k] == ',');
		}
		return NULL;
	}
	case F_SECOPT:
		return !strcmp(v, "apparmor=") || !strcmp(v, "apparmor:") ? "an empty AppArmor profile" : NULL;
	case F_RESTART:
		return strchr(v, ':') && strncmp(v, "on-failure:", 11) ? "a retry count is only for on-failure" : NULL;
	case F_ULIMIT: {
		const char *eq = strchr(v, '='), *colon;
		char name[32];
		long long so, ha;
		if (!eq)
			return NULL;
		snprintf(name, sizeof(name), "%.*s", (int)((size_t)(eq - v) < 31 ? (size_t)(eq - v) : 31), v);
		if (!ct_in(ulimit_names, DS_ARRAY_SIZE(ulimit_names), name))
			return "not a ulimit name";
		colon = strchr(eq + 1, ':');
		if (colon && sscanf(eq + 1, "%lld", &so) == 1 && sscanf(colon + 1, "%lld", &ha) == 1 && so > ha && ha >= 0)
			return "the soft limit is above the hard limit";
		return NULL;
	}
	default:
		break;
	}
	if (!strcmp(fl->long_name, "attach"))
		return strcasecmp(v, "stdin") && strcasecmp(v, "stdout") && strcasecmp(v, "stderr")
			       ? "expected stdin, stdout or stderr" : NULL;
	if (!strcmp(fl->long_name, "expose"))
		return expose_ok(v) ? NULL : "expected a port or range, optionally /tcp, /udp or /sctp";
	if (!strcmp(fl->long_name, "mac-address"))
		return mac_ok(v) ? NULL : "expected a MAC address (02:42:ac:11:00:02)";
	if (!strcmp(fl->long_name, "shm-size") || !strcmp(fl->long_name, "memory-swap"))
		return ct_parse_bytes(v, &n) || !strcmp(v, "-1") ? NULL : "expected a size (128m, 1g)";
	return NULL;
}

static void set_str(struct ct_str *s, const char *v, struct ct_src at)
{
	s->v = v;
	s->at = at;
}

static void set_num(struct ct_num *n, int64_t v, struct ct_src at)
{
	n->set = true;
	n->v = v;
	n->at = at;
}

static void set_bool(struct ct_bool *b, bool v, struct ct_src at)
{
	b->set = true;
	b->v = v;
	b->at = at;
}

/* --publish published=8080,target=80[,host_ip=IP][,protocol=udp][,mode=]:
 * the CLI turns it into [IP:]8080:80/udp. */
static bool publish_long(struct arena *a, struct ct_container *c, const char *v, struct ct_src at)
{
	const char *pub = "", *tgt = NULL, *ip = NULL, *proto = "tcp", *p = v;
	const char *s;

	while (*p) {
		size_t k = strcspn(p, ","), kn = strcspn(p, "=,");
		char *val = p[kn] == '=' ? arena_strndup(a, p + kn + 1, k - kn - 1) : NULL;
		if (!val)
			return false;
		if (kn == 9 && !strncmp(p, "published", 9))
			pub = val;
		else if (kn == 6 && !strncmp(p, "target", 6))
			tgt = val;
		else if (kn == 7 && !strncmp(p, "host_ip", 7))
			ip = val;
		else if (kn == 8 && !strncmp(p, "protocol", 8))
			proto = val;
		else if (!(kn == 4 && !strncmp(p, "mode", 4)))
			return false;
		p += k + (p[k] == ',');
	}
	if (!tgt || !(s = ip ? arena_printf(a, "%s%s%s:%s:%s/%s", strchr(ip, ':') ? "[" : "", ip, strchr(ip, ':') ? "]" : "",
					       pub, tgt, proto)
			       : arena_printf(a, "%s:%s/%s", pub, tgt, proto)))
		return false;
	return ct_parse_port(a, c, s, at);
}

/* Apply one flag. v is the value (NULL for a boolean without =value).
 * Returns false when the value is not valid for the flag. */
static bool apply(struct rp *p, struct ct_container *c, const struct flag *fl, const char *v, struct ct_src at)
{
	struct arena *a = p->a;
	int64_t n;
	bool b;

	switch (fl->what) {
	case F_IGNORE:
	case F_ADD_HOST:
	case F_ENTRYPOINT:
		return true;
	case F_CAP_ADD:
	case F_CAP_DROP: {
		const char *s = v;
		while (*s) {
			size_t k;
			char *one;
			s += strspn(s, " \t"); /* the CLI trims the name */
			k = strcspn(s, ",");
			while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
				k--;
			one = arena_strndup(a, s, k);
			s += strcspn(s, ",");
			if (*s)
				s++;
			if (one && *one)
				ct_list_add(a, fl->what == F_CAP_ADD ? &c->cap_add : &c->cap_drop, ct_cap_norm(a, one), at);
		}
		return true;
	}
	case F_CGROUPNS: set_str(&c->cgroupns_mode, v, at); return true;
	case F_CGROUP_PARENT: set_str(&c->cgroup_parent, v, at); return true;
	case F_IPC: set_str(&c->ipc_mode, v, at); return true;
	case F_PID: set_str(&c->pid_mode, v, at); return true;
	case F_UTS: set_str(&c->uts_mode, v, at); return true;
	case F_USERNS: set_str(&c->userns_mode, v, at); return true;
	case F_NETWORK: set_str(&c->network_mode, v, at); return true;
	case F_USER: set_str(&c->user, v, at); return true;
	case F_NAME: c->workload = v; return true;
	case F_CPU_SHARES:
		if (!ct_parse_bytes(v, &n))
			return strchr(v, '$') != NULL;
		set_num(&c->cpu_shares, n, at);
		return true;
	case F_CPU_QUOTA:
		if (!ct_parse_bytes(v, &n))
			return strchr(v, '$') != NULL;
		set_num(&c->cpu_quota, n, at);
		return true;
	case F_CPUS:
		if (!ct_parse_cpus(v, &n))
			return strchr(v, '$') != NULL;
		set_num(&c->nano_cpus, n, at);
		return true;
	case F_MEMORY:
		if (!ct_parse_bytes(v, &n))
			return strchr(v, '$') != NULL;
		set_num(&c->memory, n, at);
		return true;
	case F_PIDS: {
		char *end;
		long long x = strtoll(v, &end, 10);
		if (*end || end == v)
			return strchr(v, '$') != NULL;
		set_num(&c->pids_limit, x, at);
		return true;
	}
	case F_DEVICE:
	case F_GPUS:
		ct_list_add(a, &c->devices, fl->what == F_GPUS ? arena_printf(a, "gpus=%s", v) : v, at);
		return true;
	case F_ENV: {
		const char *eq = strchr(v, '=');
		ct_kvs_add(a, &c->env, eq ? arena_strndup(a, v, (size_t)(eq - v)) : v, eq ? eq + 1 : NULL, at);
		return true;
	}
	case F_ENV_FILE:
		return true;
	case F_GROUP_ADD: ct_list_add(a, &c->group_add, v, at); return true;
	case F_VOLUMES_FROM: ct_list_add(a, &c->volumes_from, v, at); return true;
	case F_HEALTH: set_bool(&c->healthcheck, strcasecmp(v, "none") != 0, at); return true;
	case F_NO_HEALTH:
		if (bool_value(v, &b))
			return false;
		if (b)
			set_bool(&c->healthcheck, false, at);
		return true;
	case F_PRIVILEGED:
		if (bool_value(v, &b))
			return false;
		set_bool(&c->privileged, b, at);
		return true;
	case F_READ_ONLY:
		if (bool_value(v, &b))
			return false;
		set_bool(&c->read_only, b, at);
		return true;
	case F_PUBLISH_ALL:
		if (bool_value(v, &b))
			return false;
		set_bool(&c->publish_all, b, at);
		return true;
	case F_API_SOCKET: {
		struct ct_mount *m;
		if (bool_value(v, &b))
			return false;
		if (b && (m = ct_mount_add(a, c))) {
			m->type = CT_MOUNT_BIND;
			m->source = "/var/run/docker.sock";
			m->target = "/var/run/docker.sock";
			m->at = at;
		}
		return true;
	}
	case F_PUBLISH: return (strchr(v, '=') ? publish_long(a, c, v, at) : ct_parse_port(a, c, v, at)) || strchr(v, '$');
	case F_MOUNT: return ct_parse_mount(a, c, v, at) || strchr(v, '$');
	case F_VOLUME: return ct_parse_volume(a, c, v, at) || strchr(v, '$');
	case F_TMPFS: {
		struct ct_mount *m = ct_mount_add(a, c);
		if (m) {
			const char *colon = strchr(v, ':');
			m->type = CT_MOUNT_TMPFS;
			m->target = colon ? arena_strndup(a, v, (size_t)(colon - v)) : v;
			m->at = at;
		}
		return true;
	}
	case F_ULIMIT: return ct_parse_ulimit(a, c, v, at);
	case F_RESTART: return ct_parse_restart(a, c, v, at) || strchr(v, '$');
	case F_SECOPT: return ct_security_opt(a, c, v, at) || strchr(v, '$');
	case F_SYSCTL: {
		const char *eq = strchr(v, '=');
		if (!eq)
			return false;
		ct_kvs_add(a, &c->sysctls, arena_strndup(a, v, (size_t)(eq - v)), eq + 1, at);
		return true;
	}
	}
	return true;
}

/* docker's global options that take a value, before the subcommand. */
static bool global_takes_value(struct str w)
{
	return str_eq(w, "-H") || str_eq(w, "--host") || str_eq(w, "-c") || str_eq(w, "--context") ||
	       str_eq(w, "--config") || str_eq(w, "-l") || str_eq(w, "--log-level") || str_eq(w, "--tlscacert") ||
	       str_eq(w, "--tlscert") || str_eq(w, "--tlskey") || str_eq(w, "--url") || str_eq(w, "--connection") ||
	       str_eq(w, "--identity") || str_eq(w, "--root") || str_eq(w, "--runroot");
}

/* Index of the first run/create argument after "docker [globals] [container] run", or 0. */
static size_t run_start(const struct sh_cmd *cmd, size_t i)
{
	bool container = false;

	for (i++; i < cmd->argc; i++) {
		struct str w = str_cstr(cmd->argv[i].s);
		if (!container && w.n > 1 && w.p[0] == '-') {
			if (!memchr(w.p, '=', w.n) && global_takes_value(w))
				i++;
			continue;
		}
		if (!container && str_eq(w, "container")) {
			container = true;
			continue;
		}
		if (str_eq(w, "run") || str_eq(w, "create"))
			return i + 1;
		return 0;
	}
	return 0;
}

static int bad_value(struct rp *p, struct ct_src at, const char *flag, const char *v)
{
	return ds_err_set(&p->t->err, DS_EPARSE, target_display_path(p->t), at.line, at.col,
			  "invalid value '%s' for %s", v, flag);
}

static int refused(struct rp *p, struct ct_src at, const char *flag, const char *v, const char *why)
{
	return ds_err_set(&p->t->err, DS_EPARSE, target_display_path(p->t), at.line, at.col,
			  "invalid value '%s' for %s: %s (Docker refuses it)", v, flag, why);
}

/* What the flags of one command line said, for the combinations Docker
 * refuses (each flag alone being valid). */
struct run_state {
	bool rm, no_health, health_cmd, log_none, log_opt, memory, memory_swap, publish;
	bool restart; /* a policy other than no */
	bool net_container;
	struct ct_src at;
};

static void note_flag(struct run_state *st, const struct flag *fl, const char *v)
{
	bool b = true;

	if (v && !fl->value && bool_value(v, &b))
		return;
	if (!strcmp(fl->long_name, "rm"))
		st->rm = b;
	else if (fl->what == F_NO_HEALTH)
		st->no_health = b;
	else if (fl->what == F_HEALTH)
		st->health_cmd = true;
	else if (!strcmp(fl->long_name, "log-driver"))
		st->log_none = v && !strcmp(v, "none");
	else if (!strcmp(fl->long_name, "log-opt"))
		st->log_opt = true;
	else if (fl->what == F_MEMORY)
		st->memory = true;
	else if (!strcmp(fl->long_name, "memory-swap"))
		st->memory_swap = v && strcmp(v, "-1") && strcmp(v, "0");
	else if (fl->what == F_PUBLISH || fl->what == F_PUBLISH_ALL)
		st->publish = st->publish || fl->what == F_PUBLISH || b;
	else if (fl->what == F_RESTART)
		st->restart = v && strcmp(v, "no");
	else if (fl->what == F_NETWORK)
		st->net_container = v && !strncmp(v, "container:", 10);
}

/* The combinations of flags the CLI or dockerd refuses: the reason, or NULL. */
static const char *combination_refused(const struct run_state *st)
{
	if (st->rm && st->restart)
		return "--rm and --restart cannot be combined";
	if (st->no_health && st->health_cmd)
		return "--no-healthcheck conflicts with --health-cmd";
	if (st->log_none && st->log_opt)
		return "--log-driver none takes no --log-opt";
	if (st->memory_swap && !st->memory)
		return "--memory-swap needs --memory";
	if (st->net_container && st->publish)
		return "a container that joins another's network (container:NAME) cannot publish ports";
	return NULL;
}

static int parse_run(struct rp *p, const struct sh_cmd *cmd, size_t dockeri, size_t i)
{
	struct ct_src at0 = wpos(p, &cmd->argv[dockeri]);
	struct ct_container *c = ct_new(p->a, p->f, CT_FROM_RUN, NULL, at0.line, at0.col);
	struct run_state st = {0};
	const char *why;

	if (!c || !(c->name = arena_printf(p->a, "docker run (line %d)", at0.line)))
		return DS_ENOMEM;
	for (; i < cmd->argc; i++) {
		const struct sh_word *w = &cmd->argv[i];
		const char *s = w->s;
		struct ct_src at = wpos(p, w);
		const struct flag *fl;

		if (!strcmp(s, "--")) {
			i++;
			break;
		}
		if (s[0] != '-' || !s[1])
			break; /* the image */
		if (s[1] == '-') {
			const char *eq = strchr(s + 2, '=');
			struct str name = str_make(s + 2, eq ? (size_t)(eq - s - 2) : strlen(s + 2));
			const char *v = eq ? eq + 1 : NULL;
			fl = find_long(name);
			if (!fl) {
				ct_list_add(p->a, &c->unknown, arena_printf(p->a, "flag %s", s), at);
				if (!eq) {
					c->incomplete = true;
					return 0;
				}
				continue;
			}
			if (fl->value && !v) {
				if (i + 1 >= cmd->argc)
					return ds_err_set(&p->t->err, DS_EPARSE, target_display_path(p->t), at.line,
							  at.col, "%s needs a value", s);
				v = cmd->argv[++i].s;
			}
			if ((why = cli_refuses(fl, v)))
				return refused(p, at, s, v, why);
			if (!apply(p, c, fl, v, at))
				return bad_value(p, at, s, v ? v : "");
			note_flag(&st, fl, v);
			continue;
		}
		/* short flags, possibly clustered: -it, -dp 80:80, -p80:80, -eA=b */
		for (size_t j = 1; s[j]; j++) {
			fl = find_short(s[j]);
			if (!fl) {
				ct_list_add(p->a, &c->unknown, arena_printf(p->a, "flag -%c", s[j]), at);
				c->incomplete = true;
				return 0;
			}
			if (!fl->value) {
				const char *v = NULL;
				if (s[j + 1] == '=') { /* -P=false */
					v = s + j + 2;
					if (!apply(p, c, fl, v, at))
						return bad_value(p, at, s, v);
					note_flag(&st, fl, v);
					break;
				}
				apply(p, c, fl, NULL, at);
				note_flag(&st, fl, NULL);
				continue;
			}
			{
				const char *v = s + j + 1;
				char flagname[3] = {'-', s[j], 0};
				if (*v == '=')
					v++;
				if (!*v) {
					if (i + 1 >= cmd->argc)
						return ds_err_set(&p->t->err, DS_EPARSE, target_display_path(p->t),
								  at.line, at.col, "%s needs a value", flagname);
					v = cmd->argv[++i].s;
				}
				if ((why = cli_refuses(fl, v)))
					return refused(p, at, flagname, v, why);
				if (!apply(p, c, fl, v, at))
					return bad_value(p, at, flagname, v);
				note_flag(&st, fl, v);
				break;
			}
		}
	}
	if ((why = combination_refused(&st)))
		return ds_err_set(&p->t->err, DS_EPARSE, target_display_path(p->t), at0.line, at0.col,
				  "%s (Docker refuses this command line)", why);
	c->one_shot = st.rm; /* removed when it exits: a one-shot run */
	if (i < cmd->argc) {
		set_str(&c->image, cmd->argv[i].s, wpos(p, &cmd->argv[i]));
		for (i++; i < cmd->argc; i++)
			ct_list_add(p->a, &c->cmd, cmd->argv[i].s, wpos(p, &cmd->argv[i]));
	} else {
		return ds_err_set(&p->t->err, DS_EPARSE, target_display_path(p->t), at0.line, at0.col,
				  "docker run without an image");
	}
	c->name = c->workload ? c->workload : arena_printf(p->a, "docker run %s (line %d)", c->image.v, at0.line);
	return 0;
}

/* Split text[base..end) and parse each docker run/create command in it. */
static int split_and_parse(struct rp *p, size_t end)
{
	struct sh_script sh = {0};
	size_t k;
	int rc;

	if (sh_split(p->a, p->ln->base + p->base, end - p->base, &sh))
		return DS_ENOMEM;
	for (k = 0; k < sh.n; k++) {
		const struct sh_cmd *cmd = &sh.cmds[k];
		size_t di = 0, start;
		for (di = 0; di < cmd->argc; di++) {
			struct str b = str_basename(str_cstr(cmd->argv[di].s));
			if (str_eq(b, "docker") || str_eq(b, "podman"))
				break;
			if (!(str_eq(b, "sudo") || str_eq(b, "exec") || str_eq(b, "command") || str_eq(b, "time") ||
			      str_eq(b, "-E") || str_eq(b, "nohup")))
				break;
		}
		if (di >= cmd->argc)
			continue;
		{
			struct str b = str_basename(str_cstr(cmd->argv[di].s));
			if (!str_eq(b, "docker") && !str_eq(b, "podman"))
				continue;
		}
		start = run_start(cmd, di);
		if (!start)
			continue;
		if (p->f->n >= CT_MAX_CONTAINERS)
			return ds_err_set(&p->t->err, DS_ELIMIT, target_display_path(p->t), 0, 0,
					  "more than %d containers", CT_MAX_CONTAINERS);
		if ((rc = parse_run(p, cmd, di, start)))
			return rc;
	}
	return 0;
}

static bool word_start(const char *s, size_t i)
{
	return i == 0 || strchr(" \t\n\r;|&(`'\"{$=", s[i - 1]) != NULL;
}

static bool match_at(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);
	return i + n < len && !memcmp(s + i, w, n) && (s[i + n] == ' ' || s[i + n] == '\t' || s[i + n] == '\\');
}

/* Next "docker"/"podman" at a word start and followed by a blank, from i. */
static const char *next_engine(const char *s, size_t len, size_t i)
{
	while (i + 6 < len) {
		const char *d = memmem(s + i, len - i, "docker", 6);
		const char *pm = memmem(s + i, len - i, "podman", 6);
		const char *hit = d && (!pm || d < pm) ? d : pm;
		if (!hit)
			return NULL;
		i = (size_t)(hit - s);
		if (word_start(s, i) && i + 6 < len && (s[i + 6] == ' ' || s[i + 6] == '\t'))
			return hit;
		i += 6;
	}
	return NULL;
}

bool ct_has_run(const char *s, size_t len);
bool ct_has_run(const char *s, size_t len)
{
	const char *p;
	size_t i = 0;

	while ((p = next_engine(s, len, i))) {
		i = (size_t)(p - s) + 6;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (match_at(s, len, i, "run") || match_at(s, len, i, "create") || match_at(s, len, i, "container") ||
		    (i < len && s[i] == '-'))
			return true;
	}
	return false;
}

/* Split the text a shell runs (runsrc.c) at once and parse its docker
 * run/create commands: a comment, an echo string or a heredoc body is not
 * a command. Offsets into the masked copy are offsets into the file. */
static int scan(struct target *t, struct ct_file *f)
{
	struct lines ln;
	struct rp p = {t, f, &t->arena, &ln, 0};
	const char *text;
	int rc;

	if (lines_init(&t->arena, &ln, t->data, t->len))
		return DS_ENOMEM;
	if ((rc = ct_runsrc_text(t, ct_runsrc_kind(t->path, t->data, t->len), ln.start, ln.n, &text)))
		return rc;
	ln.base = text;
	return split_and_parse(&p, t->len);
}

int ct_from_runfile(struct target *t, struct ct_file *f)
{
	int rc;

	f->kind = "docker-run";
	rc = scan(t, f);
	if (rc && !t->err.code)
		ds_err_set(&t->err, rc, target_display_path(t), 0, 0, "%s", ds_rc_message(rc));
	return rc ? -1 : 0;
}

int ct_from_cmdline(struct target *t, struct ct_file *f)
{
	struct lines ln;
	struct rp p = {t, f, &t->arena, &ln, 0};
	int rc;

	f->kind = "docker-run";
	if (lines_init(&t->arena, &ln, t->data, t->len))
		return ds_oom(&t->err);
	rc = split_and_parse(&p, t->len);
	if (!rc && t->arena.failed)
		rc = ds_oom(&t->err);
	if (!rc && f->n == 0)
		return ds_err_set(&t->err, DS_EPARSE, target_display_path(t), 1, 1,
				  "expected a 'docker run' or 'docker create' command line");
	if (rc && !t->err.code)
		ds_err_set(&t->err, rc, target_display_path(t), 0, 0, "%s", ds_rc_message(rc));
	return rc ? -1 : 0;
}
