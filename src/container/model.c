/*
 * model.c - building the container model: list helpers and the parsers of
 * Docker's own mini-syntaxes (volumes, --mount, ports, ulimits, sizes,
 * restart policies, security options) that every front-end shares.
 *
 * The syntaxes follow the Docker CLI (cli/opts, docker/go-units): a
 * Compose file and a `docker run` line mean the same thing by "8080:80" or
 * "512m", so they are parsed once, here. Every parser refuses what the CLI
 * would refuse and returns false, so the front-end can report the value.
 */
#include "model.h"

struct ct_container *ct_new(struct arena *a, struct ct_file *f, enum ct_origin o,
			    const char *name, int line, int col)
{
	struct ct_container *c = arena_alloc(a, sizeof(*c));

	if (!c || arena_grow(a, (void **)&f->c, &f->cap, f->n + 1, sizeof(*f->c)))
		return NULL;
	c->origin = o;
	c->name = name;
	c->at.line = line;
	c->at.col = col;
	f->c[f->n++] = c;
	return c;
}

int ct_list_add(struct arena *a, struct ct_list *l, const char *v, struct ct_src at)
{
	if (!v || arena_grow(a, (void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)))
		return DS_ENOMEM;
	l->v[l->n].v = v;
	l->v[l->n++].at = at;
	return 0;
}

#define KVS_INDEX_MIN 16 /* below this many keys a scan is cheaper than an index */

static size_t kv_hash(const char *k, size_t n)
{
	size_t h = 1469598103934665603ull; /* FNV-1a */
	while (n--)
		h = (h ^ (unsigned char)*k++) * 1099511628211ull;
	return h;
}

/* Put entry i in the index (which has room). Later entries with the same
 * key replace the slot, so a lookup finds the last one, as a scan from
 * the end would. */
static void kvs_index_put(struct ct_kvs *l, size_t i)
{
	size_t n = strlen(l->v[i].k), h = kv_hash(l->v[i].k, n) & (l->nslot - 1);

	while (l->slot[h]) {
		const char *o = l->v[l->slot[h] - 1].k;
		if (strlen(o) == n && !memcmp(o, l->v[i].k, n))
			break;
		h = (h + 1) & (l->nslot - 1);
	}
	l->slot[h] = i + 1;
}

/* Keep the index at least twice the entries (the old one stays in the
 * arena: doubling makes that linear in all). */
static int kvs_index_grow(struct arena *a, struct ct_kvs *l)
{
	size_t i, want = l->nslot ? l->nslot : 64;

	if (l->n < KVS_INDEX_MIN || 2 * (l->n + 1) <= l->nslot)
		return 0;
	while (want < 2 * (l->n + 1))
		want *= 2;
	if (!(l->slot = arena_array(a, want, sizeof(*l->slot))))
		return DS_ENOMEM;
	memset(l->slot, 0, want * sizeof(*l->slot));
	l->nslot = want;
	for (i = 0; i < l->n; i++)
		kvs_index_put(l, i);
	return 0;
}

int ct_kvs_add(struct arena *a, struct ct_kvs *l, const char *k, const char *v, struct ct_src at)
{
	if (!k || arena_grow(a, (void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)) || kvs_index_grow(a, l))
		return DS_ENOMEM;
	l->v[l->n].k = k;
	l->v[l->n].v = v;
	l->v[l->n++].at = at;
	if (l->nslot)
		kvs_index_put(l, l->n - 1);
	return 0;
}

const struct ct_kv *ct_kvs_getn(const struct ct_kvs *l, const char *k, size_t n)
{
	size_t i, h;

	if (l->nslot) {
		for (h = kv_hash(k, n) & (l->nslot - 1); l->slot[h]; h = (h + 1) & (l->nslot - 1)) {
			const struct ct_kv *e = &l->v[l->slot[h] - 1];
			if (strlen(e->k) == n && !memcmp(e->k, k, n))
				return e;
		}
		return NULL;
	}
	for (i = l->n; i-- > 0;)
		if (strlen(l->v[i].k) == n && !memcmp(l->v[i].k, k, n))
			return &l->v[i];
	return NULL;
}

int ct_kvs_set(struct arena *a, struct ct_kvs *l, const char *k, const char *v, struct ct_src at)
{
	struct ct_kv *e = k ? (struct ct_kv *)ct_kvs_getn(l, k, strlen(k)) : NULL;

	if (e) {
		e->v = v;
		e->at = at;
		return 0;
	}
	return ct_kvs_add(a, l, k, v, at);
}

#define CT_ADD(a, arr, n, cap)                                                                    \
	(arena_grow((a), (void **)&(arr), &(cap), (n) + 1, sizeof(*(arr))) ? NULL : &(arr)[(n)++])

struct ct_mount *ct_mount_add(struct arena *a, struct ct_container *c)
{
	return CT_ADD(a, c->mounts, c->nmounts, c->cmounts);
}

struct ct_port *ct_port_add(struct arena *a, struct ct_container *c)
{
	return CT_ADD(a, c->ports, c->nports, c->cports);
}

struct ct_ulimit *ct_ulimit_add(struct arena *a, struct ct_container *c)
{
	return CT_ADD(a, c->ulimits, c->nulimits, c->culimits);
}

const char *ct_cap_norm(struct arena *a, const char *cap)
{
	char *s;
	size_t i;

	if (!strncasecmp(cap, "CAP_", 4))
		cap += 4;
	s = arena_strdup(a, cap);
	for (i = 0; s && s[i]; i++)
		s[i] = (char)toupper((unsigned char)s[i]);
	return s;
}

bool ct_list_has(const struct ct_list *l, const char *v)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcasecmp(l->v[i].v, v))
			return true;
	return false;
}

bool ct_in(const char *const *set, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(set[i], s))
			return true;
	return false;
}

bool ct_security_opt(struct arena *a, struct ct_container *c, const char *v, struct ct_src at)
{
	const char *eq = strpbrk(v, "=:");
	size_t kn = eq ? (size_t)(eq - v) : strlen(v);
	const char *val = eq ? eq + 1 : "";

	if (ct_list_add(a, &c->security_opt, v, at))
		return true; /* out of memory is noticed by the caller's next add */
	if (kn == 17 && !strncmp(v, "no-new-privileges", 17)) {
		c->no_new_privs.set = true;
		c->no_new_privs.v = !eq || !strcmp(val, "true") || !strcmp(val, "1");
		c->no_new_privs.at = at;
		return !eq || !strcmp(val, "true") || !strcmp(val, "false") || !strcmp(val, "1") ||
		       !strcmp(val, "0");
	}
	if (!eq)
		return false;
	if (kn == 7 && !strncmp(v, "seccomp", 7)) {
		c->seccomp.v = val;
		c->seccomp.at = at;
		return true;
	}
	if (kn == 8 && !strncmp(v, "apparmor", 8)) {
		c->apparmor.v = val;
		c->apparmor.at = at;
		return true;
	}
	if (kn == 5 && !strncmp(v, "label", 5)) {
		if (!strcmp(val, "disable") || !strcmp(val, "type:spc_t")) {
			c->label_disable.set = c->label_disable.v = true;
			c->label_disable.at = at;
		}
		return true;
	}
	if (kn == 11 && !strncmp(v, "systempaths", 11)) {
		/* unconfined: /proc and /sys paths neither masked nor read-only */
		if (!strcmp(val, "unconfined")) {
			c->proc_mount.v = "Unmasked";
			c->proc_mount.at = at;
		}
		return !strcmp(val, "unconfined");
	}
	if (kn == 16 && !strncmp(v, "writable-cgroups", 16)) {
		if (strcmp(val, "false"))
			ct_list_add(a, &c->unknown, arena_printf(a, "security-opt %s (cgroupfs mounted writable)", v), at);
		return !strcmp(val, "true") || !strcmp(val, "false");
	}
	return false;
}

/* Bind sources are host paths; anything else (no slash, not ~ or .) is a
 * named volume, as the CLI decides. */
static bool is_host_path(const char *s)
{
	return s[0] == '/' || s[0] == '.' || s[0] == '~' || s[0] == '$';
}

static void mount_opts(struct ct_mount *m, const char *opts)
{
	static const char *const prop[] = {"shared", "rshared", "slave", "rslave", "private", "rprivate"};
	const char *p = opts;
	size_t i;

	while (p && *p) {
		const char *e = strchr(p, ',');
		struct str o = str_make(p, e ? (size_t)(e - p) : strlen(p));
		if (str_eq(o, "ro"))
			m->read_only = true;
		else if (str_eq(o, "rw"))
			m->read_only = false;
		for (i = 0; i < DS_ARRAY_SIZE(prop); i++)
			if (str_eq(o, prop[i]))
				m->propagation = prop[i];
		p = e ? e + 1 : NULL;
	}
}

bool ct_parse_volume(struct arena *a, struct ct_container *c, const char *v, struct ct_src at)
{
	const char *c1, *c2;
	struct ct_mount *m;

	if (!*v)
		return false;
	m = ct_mount_add(a, c);
	if (!m)
		return true;
	m->at = at;
	c1 = strchr(v, ':');
	if (!c1) { /* anonymous volume: just the container path */
		m->type = CT_MOUNT_VOLUME;
		m->target = v;
		return v[0] == '/';
	}
	c2 = strchr(c1 + 1, ':');
	m->source = arena_strndup(a, v, (size_t)(c1 - v));
	m->target = c2 ? arena_strndup(a, c1 + 1, (size_t)(c2 - c1 - 1)) : c1 + 1;
	m->type = m->source && is_host_path(m->source) ? CT_MOUNT_BIND : CT_MOUNT_VOLUME;
	if (c2)
		mount_opts(m, c2 + 1);
	return m->target && m->target[0] && m->source && m->source[0];
}

bool ct_parse_mount(struct arena *a, struct ct_container *c, const char *v, struct ct_src at)
{
	struct ct_mount *m = ct_mount_add(a, c);
	const char *p = v;
	bool ok = true;

	if (!m)
		return true;
	m->at = at;
	m->type = CT_MOUNT_VOLUME; /* the CLI's default type */
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		size_t kn = eq ? (size_t)(eq - p) : n;
		char *val = eq ? arena_strndup(a, eq + 1, n - kn - 1) : NULL;
		struct str k = str_make(p, kn);

		if (str_eq(k, "type") && val) {
			m->type = !strcmp(val, "bind")	 ? CT_MOUNT_BIND
				  : !strcmp(val, "volume") ? CT_MOUNT_VOLUME
				  : !strcmp(val, "tmpfs")  ? CT_MOUNT_TMPFS
							   : CT_MOUNT_OTHER;
		} else if ((str_eq(k, "source") || str_eq(k, "src")) && val) {
			m->source = val;
		} else if ((str_eq(k, "target") || str_eq(k, "destination") || str_eq(k, "dst")) && val) {
			m->target = val;
		} else if (str_eq(k, "readonly") || str_eq(k, "ro")) {
			m->read_only = !val || !strcmp(val, "true") || !strcmp(val, "1");
		} else if (str_eq(k, "bind-propagation") && val) {
			m->propagation = val;
		} else if (!(str_has_prefix(k, "volume-") || str_has_prefix(k, "tmpfs-") ||
			     str_has_prefix(k, "bind-") || str_eq(k, "consistency") || str_eq(k, "image-path"))) {
			ok = false;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return ok && m->target;
}

static bool port_range(const char *s, size_t n, unsigned *lo, unsigned *hi)
{
	const char *dash = memchr(s, '-', n);
	unsigned long a, b;

	if (!dash) {
		if (!str_to_ulong(str_make(s, n), 65535, &a))
			return false;
		*lo = *hi = (unsigned)a;
		return true;
	}
	if (!str_to_ulong(str_make(s, (size_t)(dash - s)), 65535, &a) ||
	    !str_to_ulong(str_make(dash + 1, n - (size_t)(dash - s) - 1), 65535, &b) || b < a)
		return false;
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return true;
}

bool ct_parse_port(struct arena *a, struct ct_container *c, const char *v, struct ct_src at)
{
	struct ct_port *p = ct_port_add(a, c);
	const char *slash, *end, *last, *ip_end = NULL, *rest = v;
	size_t n;

	if (!p)
		return true;
	p->at = at;
	p->published = true;
	slash = strchr(v, '/');
	end = slash ? slash : v + strlen(v);
	p->proto = slash ? slash + 1 : "tcp";
	if (v[0] == '[') { /* [::1]:8080:80 */
		ip_end = memchr(v, ']', (size_t)(end - v));
		if (!ip_end || ip_end[1] != ':')
			return false;
		p->host_ip = arena_strndup(a, v + 1, (size_t)(ip_end - v - 1));
		rest = ip_end + 2;
	}
	last = NULL;
	for (const char *q = rest; q < end; q++)
		if (*q == ':')
			last = q;
	if (!last) /* "80": container port only, host port chosen by the daemon */
		return port_range(rest, (size_t)(end - rest), &p->ct_lo, &p->ct_hi);
	if (!port_range(last + 1, (size_t)(end - last - 1), &p->ct_lo, &p->ct_hi))
		return false;
	/* rest..last is [ip:]hostport, hostport may be empty ("127.0.0.1::80") */
	{
		const char *hp = rest, *colon = NULL;
		for (const char *q = rest; q < last; q++)
			if (*q == ':')
				colon = q;
		if (colon) {
			if (p->host_ip)
				return false;
			p->host_ip = arena_strndup(a, rest, (size_t)(colon - rest));
			hp = colon + 1;
		}
		n = (size_t)(last - hp);
		if (n && !port_range(hp, n, &p->host_lo, &p->host_hi)) {
			/* "127.0.0.1:80" read as ip:ctport is not how the CLI reads
			 * it, but an IP in the host-port slot is a clear error */
			return false;
		}
	}
	return true;
}

bool ct_parse_ulimit(struct arena *a, struct ct_container *c, const char *v, struct ct_src at)
{
	const char *eq = strchr(v, '='), *colon;
	struct ct_ulimit *u;
	unsigned long s, h;

	if (!eq || eq == v)
		return false;
	u = ct_ulimit_add(a, c);
	if (!u)
		return true;
	u->at = at;
	u->name = arena_strndup(a, v, (size_t)(eq - v));
	colon = strchr(eq + 1, ':');
	if (!str_to_ulong(str_make(eq + 1, colon ? (size_t)(colon - eq - 1) : strlen(eq + 1)),
			  (unsigned long)INT64_MAX, &s))
		return !strcmp(eq + 1, "-1") ? (u->soft = u->hard = -1, true) : false;
	h = s;
	if (colon && !str_to_ulong(str_cstr(colon + 1), (unsigned long)INT64_MAX, &h))
		return false;
	u->soft = (int64_t)s;
	u->hard = (int64_t)h;
	return true;
}

bool ct_parse_bytes(const char *s, int64_t *out)
{
	char *end;
	double v;
	double mul = 1;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0 || v > 9e18)
		return false;
	switch (tolower((unsigned char)*end)) {
	case 0: break;
	case 'b': mul = 1; end++; break;
	case 'k': mul = 1024; end++; break;
	case 'm': mul = 1024.0 * 1024; end++; break;
	case 'g': mul = 1024.0 * 1024 * 1024; end++; break;
	case 't': mul = 1024.0 * 1024 * 1024 * 1024; end++; break;
	case 'e': /* Kubernetes exponent "1e3" is parsed by strtod already */
	default: return false;
	}
	if (*end == 'i' || *end == 'I' || *end == 'b' || *end == 'B')
		end++;
	if (*end)
		return false;
	if (v * mul > 9e18)
		return false;
	*out = (int64_t)(v * mul);
	return true;
}

bool ct_parse_cpus(const char *s, int64_t *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0 || v > 1e6)
		return false;
	if (*end == 'm' && !end[1]) {
		*out = (int64_t)(v * 1e6);
		return true;
	}
	if (*end)
		return false;
	*out = (int64_t)(v * 1e9);
	return true;
}

bool ct_parse_restart(struct arena *a, struct ct_container *c, const char *v, struct ct_src at)
{
	const char *colon = strchr(v, ':');
	unsigned long n;

	c->restart.v = colon ? arena_strndup(a, v, (size_t)(colon - v)) : v;
	c->restart.at = at;
	if (!c->restart.v)
		return true;
	if (colon) {
		if (!str_to_ulong(str_cstr(colon + 1), 1000000, &n))
			return false;
		c->restart_max.set = true;
		c->restart_max.v = (int64_t)n;
		c->restart_max.at = at;
	}
	return !strcmp(c->restart.v, "no") || !strcmp(c->restart.v, "always") ||
	       !strcmp(c->restart.v, "unless-stopped") || !strcmp(c->restart.v, "on-failure");
}
