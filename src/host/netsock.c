/*
 * netsock.c - host-net-*: listening sockets read from /proc/net and
 * mapped to the processes that own them.
 *
 * /proc/net/{tcp,tcp6,udp,udp6} list every socket with its inode;
 * /proc/PID/fd/N links read "socket:[INODE]", which names the owner. Both
 * come from the audited root, so `--root DIR` works on a saved /proc
 * (fixtures) and a live audit reads the host's own. The sockets are those
 * of docksec's network namespace: run it on the host, not in a container.
 * Reading other users' fds needs root; sockets whose owner could not be
 * read are reported as such, never guessed.
 *
 * Addresses are kernel-formatted hex: IPv4 as one 32-bit word, IPv6 as
 * four, each in host byte order (little-endian on every Docker platform
 * we target; big-endian hosts would print reversed bytes in evidence only,
 * loopback detection reads the words the same way).
 */
#include "audit.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <unistd.h>

#define NET_MAX_SOCKETS 65536
#define NET_MAX_FDS (1u << 20)

struct lsock {
	char proto[5];        /* tcp, tcp6, udp, udp6 */
	char addr[INET6_ADDRSTRLEN];
	unsigned port;
	unsigned long inode;
	bool loopback, any;
	const char *owner;    /* "dockerd[812]", or NULL when unknown */
};

struct owner {
	unsigned long inode;
	const char *who;
};

static int by_inode(const void *x, const void *y)
{
	const struct owner *a = x, *b = y;
	return a->inode < b->inode ? -1 : a->inode > b->inode;
}

/* inode -> "comm[pid]" for every socket fd under root/proc. */
static struct owner *owners(const struct au_data *d, struct arena *a, size_t *n, bool *partial)
{
	const char *proc = host_path(a, d->root, "/proc");
	struct owner *o = NULL;
	size_t cap = 0;
	DIR *pd = proc ? opendir(proc) : NULL;
	struct dirent *pe;

	*n = 0;
	*partial = false;
	while (pd && (pe = readdir(pd))) {
		char *fdp, *comm;
		DIR *fd;
		struct dirent *fe;
		if (!isdigit((unsigned char)pe->d_name[0]))
			continue;
		fdp = arena_printf(a, "%s/%s/fd", proc, pe->d_name);
		if (!fdp || !(fd = opendir(fdp))) {
			if (errno == EACCES || errno == EPERM)
				*partial = true; /* not root; a process that just exited is no gap */
			continue;
		}
		comm = host_read(a, d->root, arena_printf(a, "/proc/%s/comm", pe->d_name), NULL);
		if (comm)
			comm[strcspn(comm, "\n")] = 0;
		while ((fe = readdir(fd)) && *n < NET_MAX_FDS) {
			char link[64];
			ssize_t len;
			unsigned long ino;
			if (fe->d_name[0] == '.')
				continue;
			len = readlinkat(dirfd(fd), fe->d_name, link, sizeof(link) - 1);
			if (len <= 0)
				continue;
			link[len] = 0;
			if (sscanf(link, "socket:[%lu]", &ino) != 1)
				continue;
			if (arena_grow(a, (void **)&o, &cap, *n + 1, sizeof(*o)))
				break;
			o[*n].inode = ino;
			o[(*n)++].who = arena_printf(a, "%s[%s]", comm ? comm : "?", pe->d_name);
		}
		closedir(fd);
	}
	if (pd)
		closedir(pd);
	if (o)
		qsort(o, *n, sizeof(*o), by_inode);
	return o;
}

static bool hexaddr(const char *h, bool v6, struct lsock *s)
{
	uint32_t w[4];
	size_t i, nw = v6 ? 4 : 1;

	for (i = 0; i < nw; i++) {
		char part[9];
		memcpy(part, h + 8 * i, 8);
		part[8] = 0;
		if (strspn(part, "0123456789abcdefABCDEF") != 8)
			return false;
		w[i] = (uint32_t)strtoul(part, NULL, 16); /* host order as the kernel printed it */
	}
	if (!v6) {
		struct in_addr in = {w[0]};
		inet_ntop(AF_INET, &in, s->addr, sizeof(s->addr));
		s->loopback = (ntohl(in.s_addr) >> 24) == 127;
		s->any = in.s_addr == 0;
	} else {
		struct in6_addr in6;
		memcpy(&in6, w, sizeof(w));
		inet_ntop(AF_INET6, &in6, s->addr, sizeof(s->addr));
		s->loopback = IN6_IS_ADDR_LOOPBACK(&in6) ||
			      (IN6_IS_ADDR_V4MAPPED(&in6) && in6.s6_addr[12] == 127);
		s->any = IN6_IS_ADDR_UNSPECIFIED(&in6);
	}
	return true;
}

/* Listening sockets (TCP LISTEN, UDP unconnected) of all four tables. */
static struct lsock *listeners(const struct au_data *d, struct arena *a, size_t *n, bool *readable, bool *partial)
{
	static const char *const tables[] = {"tcp", "tcp6", "udp", "udp6"};
	struct lsock *v = NULL;
	struct owner *o;
	size_t i, cap = 0, no;

	*n = 0;
	*readable = false;
	o = owners(d, a, &no, partial);
	for (i = 0; i < DS_ARRAY_SIZE(tables); i++) {
		char *txt = host_read(a, d->root, arena_printf(a, "/proc/net/%s", tables[i]), NULL), *line, *save = NULL;
		bool v6 = strchr(tables[i], '6'), udp = tables[i][0] == 'u';
		if (!txt)
			continue;
		*readable = true;
		strtok_r(txt, "\n", &save); /* header */
		while ((line = strtok_r(NULL, "\n", &save)) && *n < NET_MAX_SOCKETS) {
			char local[40], st[3];
			unsigned port;
			unsigned long inode;
			struct lsock s = {0};
			struct owner key, *hit;
			char *colon;
			if (sscanf(line, " %*s %39s %*s %2s %*s %*s %*s %*s %*s %lu", local, st, &inode) != 3)
				continue;
			if (strcmp(st, udp ? "07" : "0A") || !(colon = strchr(local, ':')) ||
			    (size_t)(colon - local) != (v6 ? 32u : 8u) || sscanf(colon + 1, "%x", &port) != 1)
				continue;
			if (!hexaddr(local, v6, &s))
				continue;
			snprintf(s.proto, sizeof(s.proto), "%s", tables[i]);
			s.port = port;
			s.inode = inode;
			key.inode = inode;
			hit = o && inode ? bsearch(&key, o, no, sizeof(*o), by_inode) : NULL;
			s.owner = hit ? hit->who : NULL;
			if (arena_grow(a, (void **)&v, &cap, *n + 1, sizeof(*v)))
				return v;
			v[(*n)++] = s;
		}
	}
	return v;
}

static bool is(const char *owner, const char *comm)
{
	size_t n = strlen(comm);
	return owner && !strncmp(owner, comm, n) && owner[n] == '[';
}

static const char *where(struct arena *a, const struct lsock *s)
{
	return arena_printf(a, "%s %s%s%s:%u", s->proto, strchr(s->addr, ':') ? "[" : "", s->addr,
			    strchr(s->addr, ':') ? "]" : "", s->port);
}

static void dockerd_tcp(void *ctx, const struct rule *r);
static void proxy_ports(void *ctx, const struct rule *r);
static void exposed(void *ctx, const struct rule *r);
static void shim_sockets(void *ctx, const struct rule *r);

static const struct rule defs[] = {
	{"host-net-01", SEV_CRITICAL, "host", "the Docker API does not listen on TCP without TLS",
	 "The Engine API on TCP without TLS gives root on the host to anyone who reaches the port.",
	 "Remove -H tcp://... or add --tlsverify with a CA; reach remote daemons over SSH (DOCKER_HOST=ssh://).",
	 REFS("cis:2.7", "owasp:R1"), dockerd_tcp, NULL, 0},
	{"host-net-02", SEV_INFO, "host", "published container ports served by docker-proxy are listed",
	 "Each published port is served by a root docker-proxy process and reachable past the firewall.",
	 "Publish only what clients need, on one address (`-p 127.0.0.1:8080:80`); consider userland-proxy false.",
	 REFS("cis:5.14"), proxy_ports, NULL, 0},
	{"host-net-03", SEV_INFO, "host", "listening services reachable from the network are listed",
	 "Every service listening on a public address is attack surface of the container host.",
	 "Stop services the host does not need; bind the rest to loopback or a management interface.",
	 REFS("lynis:NETW-3012"), exposed, NULL, 0},
	{"host-net-04", SEV_HIGH, "host", "no containerd-shim abstract sockets remain (CVE-2020-15257)",
	 "containerd-shim's abstract sockets are reachable from containers on the host network (CVE-2020-15257).",
	 "Upgrade containerd to 1.3.9/1.4.3 or later and restart the containers that run with --network host.",
	 REFS("cve:CVE-2020-15257"), shim_sockets, NULL, 0},
};

struct netcache {
	struct lsock *s;
	size_t n;
	bool readable, partial;
};

void au_net_prefetch(const struct au_data *d, struct au_host *h, struct arena *a)
{
	struct netcache *nc;

	if (h->net || !(nc = arena_alloc(a, sizeof(*nc))))
		return;
	nc->s = listeners(d, a, &nc->n, &nc->readable, &nc->partial);
	h->net = nc;
}

/* A remote daemon is not described by this host's sockets. */
static bool local(struct au_ctx *x)
{
	x->decided = true;
	if (x->d->remote)
		au_ev_add(x->e, "the daemon is remote: the sockets of the host docksec runs on do not describe it");
	return !x->d->remote;
}

/* The listening sockets, read in one pass over /proc for all the checks;
 * NULL when unreadable (the result says so). */
static struct netcache *sockets(struct au_ctx *x)
{
	struct netcache *nc;

	if (!local(x))
		return NULL;
	au_net_prefetch(x->d, x->h, x->a);
	if (!(nc = x->h->net))
		return NULL;
	if (!nc->readable) {
		au_ev_add(x->e, "/proc/net/tcp is not readable");
		return NULL;
	}
	return nc;
}

static void partial_note(struct au_ctx *x, const struct netcache *nc)
{
	if (nc->partial)
		au_ev_add(x->e, "some processes' fds were not readable%s: their sockets show no owner",
			  geteuid() ? " (run as root)" : "");
}

/* host-net-01: dockerd's TCP listeners, each with or without TLS. */
static void dockerd_tcp(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;
	const struct dcfg *cfg = x->d->dcfg;
	const struct dsetting *tv = cfg ? &cfg->tlsverify : NULL, *tls = cfg ? &cfg->tls : NULL;
	struct netcache *nc = sockets(x);
	size_t i, hits = 0, unknown = 0;

	(void)rule;
	if (!nc)
		return;
	x->r->status = AU_PASS;
	for (i = 0; i < nc->n; i++) {
		const struct lsock *s = &nc->s[i];
		bool on = (tv && tv->v) || (tls && tls->v && strcmp(tls->v, "false"));
		if (!is(s->owner, "dockerd") || s->proto[0] != 't')
			continue;
		hits++;
		/* "tlsverify": false still serves TLS when tls or the cert files are set */
		if (!on && cfg && cfg->tlscert.v && cfg->tlskey.v && !(tls && tls->v && !strcmp(tls->v, "false")))
			on = true;
		if (!on) {
			x->r->status = AU_WARN;
			au_ev_add(x->e, "%s by %s without TLS: %s", where(x->a, s), s->owner,
				  s->loopback ? "every local user and host-network container is root"
					      : "CRITICAL: anyone who can reach this address is root on the host");
		} else {
			au_ev_add(x->e, "%s by %s with TLS%s", where(x->a, s), s->owner,
				  tv && tv->v && strcmp(tv->v, "false") ? " and client certificates" : " (no client verification)");
		}
	}
	if (nc->partial && x->r->status == AU_PASS) {
		for (i = 0; i < nc->n; i++)
			unknown += nc->s[i].proto[0] == 't' && !nc->s[i].owner;
		if (unknown) { /* one of them could be dockerd */
			x->r->status = AU_SKIP;
			au_ev_add(x->e, "needs root: the owners of %zu TCP listener%s could not be read", unknown,
				  unknown == 1 ? "" : "s");
			return;
		}
	}
	if (!hits)
		au_ev_add(x->e, "dockerd listens on no TCP socket");
	partial_note(x, nc);
}

static bool by_proxy(const struct lsock *s)
{
	return is(s->owner, "docker-proxy");
}

static bool beyond_loopback(const struct lsock *s)
{
	return !s->loopback;
}

/* INFO listing the sockets pick() selects; `none` (with its evidence)
 * when there are none. */
static void list_sockets(struct au_ctx *x, bool (*pick)(const struct lsock *), enum ds_status none,
			 const char *none_why, bool show_any)
{
	struct netcache *nc = sockets(x);
	size_t i, hits = 0;

	if (!nc)
		return;
	x->r->status = AU_INFO;
	for (i = 0; i < nc->n; i++)
		if (pick(&nc->s[i])) {
			hits++;
			au_ev_add(x->e, "%s by %s%s", where(x->a, &nc->s[i]),
				  nc->s[i].owner ? nc->s[i].owner : "an unknown process",
				  show_any && nc->s[i].any ? " (all addresses)" : "");
		}
	if (!hits) {
		x->r->status = none;
		au_ev_add(x->e, "%s", none_why);
	}
	partial_note(x, nc);
}

/* host-net-02: the ports docker-proxy serves, listed. */
static void proxy_ports(void *ctx, const struct rule *rule)
{
	(void)rule;
	list_sockets(ctx, by_proxy, AU_PASS, "no docker-proxy listener", true);
}

/* host-net-03: everything that listens beyond loopback, listed. */
static void exposed(void *ctx, const struct rule *rule)
{
	(void)rule;
	list_sockets(ctx, beyond_loopback, AU_INFO, "nothing listens beyond loopback", false);
}

/* host-net-04: containerd-shim's abstract sockets (CVE-2020-15257). */
static void shim_sockets(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;
	char *txt, *line, *save = NULL;
	size_t hits = 0;

	(void)rule;
	if (!local(x))
		return;
	if (!(txt = host_read(x->a, x->d->root, "/proc/net/unix", NULL))) {
		au_ev_add(x->e, "/proc/net/unix is not readable");
		return;
	}
	x->r->status = AU_PASS;
	for (line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *path = strchr(line, '@');
		if (path && strstr(path, "containerd-shim") && ++hits <= 20) {
			x->r->status = AU_WARN;
			au_ev_add(x->e, "abstract socket %.*s: a shim older than containerd 1.4.3/1.3.9, reachable from "
					"host-network containers; restart the containers it serves",
				  (int)strcspn(path, " \n"), path);
		}
	}
	if (x->r->status == AU_PASS)
		au_ev_add(x->e, "no abstract containerd-shim socket in /proc/net/unix");
}

const struct au_module au_net = {defs, DS_ARRAY_SIZE(defs)};
