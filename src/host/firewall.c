/*
 * firewall.c - host-fw-*: is a host firewall active, and do published
 * container ports bypass it?
 *
 * Docker publishes a port with a DNAT rule in the nat table's DOCKER chain
 * and an ACCEPT in the filter table's DOCKER chain, both reached from
 * FORWARD. ufw filters INPUT (and its own FORWARD chains, appended after
 * Docker's jumps), so a port ufw "denies" is still open: the packet is
 * forwarded, never input. The only place an administrator can filter it
 * is DOCKER-USER. So the question is answered by walking the filter
 * table the way the kernel does, for a NEW packet from a public address
 * arriving on an external interface and forwarded to the container's
 * address and port: FORWARD -> DOCKER-USER -> ... -> DOCKER, jumps,
 * RETURN and the chain policy, first terminal verdict wins.
 *
 * Rule sets come from iptables-save's text (the format is stable and
 * complete): live, `iptables-legacy-save` and `iptables-nft-save` are
 * both run (root needed), because the kernel runs both back-ends and a
 * packet must pass each populated one; offline (--root), the saved rules
 * of iptables-persistent (/etc/iptables/rules.v4). Matches docksec does
 * not model (-m set, -m recent, ...) make a rule "maybe": a maybe-ACCEPT
 * does not open the port to everyone and a maybe-DROP does not close it;
 * both are named in the evidence. A source restricted to a public range
 * makes the port "restricted", one restricted to private ranges does not
 * match a packet from the internet. Native nftables rule sets (`nft list
 * ruleset`, /etc/nftables.conf offline) are read only to tell whether a
 * firewall is active: an input hook with a drop policy, or firewalld's
 * own table; Docker's rules, which the walk follows, are iptables rules.
 */
#include "audit.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <unistd.h>

#define FW_MAX_RULES 100000
#define FW_MAX_DEPTH 64
/* Rule visits for all the walks of one check together: a chain that jumps
 * to another several times, nested, would otherwise cost rules^depth. */
#define FW_MAX_STEPS 2000000
#define FW_MAX_PORTS 4096 /* published ports walked */
#define FW_MAX_OUTPUT (16u << 20)

enum { M_NO, M_YES, M_MAYBE };

struct fw_rule {
	const char *table, *chain, *target, *text;
	const char *in, *out, *src, *dst, *proto, *dports, *ctstate, *dsttype, *tcpflags, *dnat_to;
	bool nin, nout, nsrc, ndst, nproto, ndport, nstate, ndsttype, go;
	const char *unknown; /* a match not modelled */
	int line;
};

struct fw_chain {
	const char *table, *name, *policy;
};

struct fw_set {
	const char *name; /* "iptables-legacy", "iptables-nft", "/etc/iptables/rules.v4" */
	struct fw_rule *r;
	struct fw_chain *c;
	size_t nr, nc, capr, capc;
};

/* iptables-save tokens: words and "quoted strings" (backslash escapes). */
static size_t split(struct arena *a, char *line, char **tok, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p == '"') {
			char *w = ++p, *o = p;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				*o++ = *p++;
			}
			if (*p)
				p++;
			*o = 0;
			tok[n++] = arena_strdup(a, w);
		} else {
			char *w = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			if (*p)
				*p++ = 0;
			tok[n++] = w;
		}
	}
	return n;
}

static void parse(struct arena *a, struct fw_set *s, char *txt)
{
	char *line, *save = NULL, *tok[256];
	const char *table = "";
	int ln = 0;

	for (line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n, i;
		struct fw_rule r = {0};
		bool neg = false;
		ln++;
		if (line[0] == '*') {
			table = arena_strdup(a, line + 1);
			continue;
		}
		if (line[0] == ':') {
			char *sp = strchr(line, ' ');
			if (!sp || arena_grow(a, (void **)&s->c, &s->capc, s->nc + 1, sizeof(*s->c)))
				continue;
			s->c[s->nc++] = (struct fw_chain){table, arena_strndup(a, line + 1, (size_t)(sp - line - 1)),
							  arena_strndup(a, sp + 1, strcspn(sp + 1, " "))};
			continue;
		}
		if (strncmp(line, "-A ", 3) || s->nr >= FW_MAX_RULES)
			continue;
		r.text = arena_strdup(a, line);
		r.line = ln;
		r.table = table;
		n = split(a, line, tok, DS_ARRAY_SIZE(tok));
		for (i = 0; i < n; i++) {
			const char *o = tok[i], *v = i + 1 < n ? tok[i + 1] : NULL;
			if (!strcmp(o, "!")) {
				neg = true;
				continue;
			}
#define OPT(name, field, negf)                                                                                         \
	if (!strcmp(o, name) && v) {                                                                                   \
		r.field = v;                                                                                           \
		negf = neg;                                                                                            \
		i++;                                                                                                   \
		neg = false;                                                                                           \
		continue;                                                                                              \
	}
			bool dummy;
			OPT("-A", chain, dummy)
			OPT("-i", in, r.nin)
			OPT("-o", out, r.nout)
			OPT("-s", src, r.nsrc)
			OPT("-d", dst, r.ndst)
			OPT("-p", proto, r.nproto)
			OPT("--dport", dports, r.ndport)
			OPT("--dports", dports, r.ndport)
			OPT("--destination-port", dports, r.ndport)
			OPT("--ctstate", ctstate, r.nstate)
			OPT("--state", ctstate, r.nstate)
			OPT("--dst-type", dsttype, r.ndsttype)
			OPT("-j", target, dummy)
			OPT("--to-destination", dnat_to, dummy)
#undef OPT
			(void)dummy;
			neg = false;
			if (!strcmp(o, "-g") && v) {
				r.target = v;
				r.go = true;
				i++;
			} else if (!strcmp(o, "--tcp-flags") && i + 2 < n) {
				r.tcpflags = arena_printf(a, "%s %s", tok[i + 1], tok[i + 2]);
				i += 2;
			} else if (!strcmp(o, "--syn")) {
				r.tcpflags = "FIN,SYN,RST,ACK SYN";
			} else if (!strcmp(o, "-m") && v) {
				static const char *const known[] = {"tcp", "udp", "multiport", "conntrack", "state", "comment",
								    "addrtype"};
				size_t k;
				for (k = 0; k < DS_ARRAY_SIZE(known) && strcmp(v, known[k]); k++)
					;
				if (k == DS_ARRAY_SIZE(known) && !r.unknown)
					r.unknown = arena_printf(a, "-m %s", v);
				i++;
			} else if (!strcmp(o, "--comment") || !strcmp(o, "--reject-with") || !strcmp(o, "--log-prefix") ||
				   !strcmp(o, "--log-level")) {
				i++;
			} else if (o[0] == '-' && o[1] == '-' && r.target == NULL) {
				/* an option of a match we do not model: the rule is a maybe */
				if (!r.unknown)
					r.unknown = arena_strdup(a, o);
				while (i + 1 < n && tok[i + 1][0] != '-' && strcmp(tok[i + 1], "!"))
					i++;
			} else if (o[0] == '-' && o[1] == '-') {
				while (i + 1 < n && tok[i + 1][0] != '-' && strcmp(tok[i + 1], "!"))
					i++; /* a target's options */
			}
		}
		if (!r.chain || arena_grow(a, (void **)&s->r, &s->capr, s->nr + 1, sizeof(*s->r)))
			continue;
		s->r[s->nr++] = r;
	}
}

static const struct fw_chain *chain(const struct fw_set *s, const char *table, const char *name)
{
	size_t i;
	for (i = 0; i < s->nc; i++)
		if (!strcmp(s->c[i].table, table) && !strcmp(s->c[i].name, name))
			return &s->c[i];
	return NULL;
}

/* ---- matching one packet ---- */

struct pkt {
	const char *out;  /* the bridge it leaves on */
	struct in_addr dst;
	const char *proto;
	unsigned dport;
};

static bool docker_iface(const char *n)
{
	return !strncmp(n, "docker", 6) || !strncmp(n, "br-", 3) || !strncmp(n, "veth", 4) || !strcmp(n, "lo");
}

static bool iface_eq(const char *pat, const char *name)
{
	size_t n = strlen(pat);
	if (n && pat[n - 1] == '+')
		return !strncmp(pat, name, n - 1);
	return !strcmp(pat, name);
}

static bool cidr(const char *c, struct in_addr ip, bool *ok)
{
	char buf[64];
	const char *slash = strchr(c, '/');
	unsigned bits = slash ? (unsigned)strtoul(slash + 1, NULL, 10) : 32;
	struct in_addr net;
	uint32_t mask;

	snprintf(buf, sizeof(buf), "%.*s", (int)(slash ? slash - c : (long)strlen(c)), c);
	*ok = inet_pton(AF_INET, buf, &net) == 1 && bits <= 32;
	if (!*ok)
		return false;
	mask = bits ? htonl(~0u << (32 - bits)) : 0;
	return (ip.s_addr & mask) == (net.s_addr & mask);
}

/* Is the whole source network c ("172.20.0.0/16", "10.1.2.3") inside a
 * private, loopback or link-local range? Compared as numbers: a text
 * prefix would call 172.200.0.0/16, a public network, private. */
static bool private_range(const char *c)
{
	static const struct {
		uint32_t net;
		unsigned bits;
	} priv[] = {{0x0a000000u, 8}, {0xac100000u, 12}, {0xc0a80000u, 16}, {0x7f000000u, 8}, {0xa9fe0000u, 16}};
	const char *slash = strchr(c, '/');
	char buf[64], *end;
	unsigned long bits = 32;
	struct in_addr a;
	uint32_t ip;
	size_t i;

	snprintf(buf, sizeof(buf), "%.*s", (int)(slash ? slash - c : (long)strlen(c)), c);
	if (inet_pton(AF_INET, buf, &a) != 1)
		return false;
	if (slash && ((bits = strtoul(slash + 1, &end, 10)) > 32 || *end || end == slash + 1))
		return false;
	ip = ntohl(a.s_addr);
	for (i = 0; i < DS_ARRAY_SIZE(priv); i++)
		if (bits >= priv[i].bits && (ip >> (32 - priv[i].bits)) == (priv[i].net >> (32 - priv[i].bits)))
			return true;
	return false;
}

static bool port_in(const char *spec, unsigned port)
{
	const char *p = spec;
	while (*p) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;
		if (*end == ':')
			hi = strtoul(end + 1, &end, 10);
		if (port >= lo && port <= hi)
			return true;
		p = *end == ',' ? end + 1 : end + strlen(end);
	}
	return false;
}

static bool syn_matches(const char *flags)
{
	char mask[128], comp[128];
	if (sscanf(flags, "%127s %127s", mask, comp) != 2)
		return true;
	/* a SYN carries SYN only: every flag in the mask must be set in comp iff it is SYN */
	char *save = NULL;
	for (char *f = strtok_r(mask, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		bool want = strstr(comp, f) != NULL || !strcmp(comp, "ALL");
		if (want != (!strcmp(f, "SYN") || !strcmp(f, "ALL")))
			return false;
	}
	return true;
}

static int match(const struct fw_rule *r, const struct pkt *p, const char **why)
{
	bool ok;
	int m = M_YES;

	*why = NULL;
	/* the packet arrives on the external interface the rules name: -i eth0
	 * matches it, -i docker0 does not, ! -i docker0 does */
	if (r->in && docker_iface(r->in) != r->nin)
		return M_NO;
	if (r->out && iface_eq(r->out, p->out) == r->nout)
		return M_NO;
	if (r->dst && (cidr(r->dst, p->dst, &ok) == r->ndst || !ok))
		return M_NO;
	if (r->proto && strcmp(r->proto, "all") && (!strcmp(r->proto, p->proto) == r->nproto))
		return M_NO;
	if (r->dports && port_in(r->dports, p->dport) == r->ndport)
		return M_NO;
	if (r->ctstate && (strstr(r->ctstate, "NEW") != NULL) == r->nstate)
		return M_NO;
	if (r->dsttype && (!strcmp(r->dsttype, "LOCAL") != r->ndsttype))
		return M_NO; /* the container's address is not local */
	if (r->tcpflags && (strcmp(p->proto, "tcp") || !syn_matches(r->tcpflags)))
		return M_NO;
	if (r->src && !r->nsrc) {
		if (private_range(r->src))
			return M_NO; /* a packet from the internet */
		if (strcmp(r->src, "0.0.0.0/0"))
			m = M_MAYBE, *why = r->src;
	}
	if (r->unknown)
		m = M_MAYBE, *why = r->unknown;
	return m;
}

/* ---- walking the filter table ---- */

enum verdict { V_NONE, V_ACCEPT, V_DROP, V_RETURN };

struct walk {
	const struct fw_set *s;
	const struct pkt *p;
	struct arena *a;
	struct buf path;   /* chain:rule steps taken */
	struct buf maybe;  /* maybe-rules passed over */
	const struct fw_rule *decided;
	size_t *steps;     /* rule visits of the whole check, against FW_MAX_STEPS */
	bool cut;          /* the walk stopped at FW_MAX_STEPS: no verdict */
};

static bool builtin(const char *t)
{
	return !strcmp(t, "ACCEPT") || !strcmp(t, "DROP") || !strcmp(t, "REJECT") || !strcmp(t, "RETURN");
}

static enum verdict walk_chain(struct walk *w, const char *name, int depth)
{
	size_t i, k = 0;

	if (depth > FW_MAX_DEPTH)
		return V_NONE;
	for (i = 0; i < w->s->nr; i++) {
		const struct fw_rule *r = &w->s->r[i];
		const char *why;
		int m;
		if (w->cut || ++*w->steps > FW_MAX_STEPS) {
			w->cut = true;
			return V_NONE;
		}
		if (strcmp(r->table, "filter") || strcmp(r->chain, name))
			continue;
		k++;
		if (!r->target || (m = match(r, w->p, &why)) == M_NO)
			continue;
		if (m == M_MAYBE && builtin(r->target)) { /* cannot be relied on either way */
			buf_addf(&w->maybe, "%s%s rule %zu (%s %s)", w->maybe.n ? "; " : "", name, k, r->target, why);
			continue;
		}
		if (!strcmp(r->target, "ACCEPT") || !strcmp(r->target, "DROP") || !strcmp(r->target, "REJECT")) {
			buf_addf(&w->path, "%s%s rule %zu %s", w->path.n ? " -> " : "", name, k, r->target);
			w->decided = r;
			return !strcmp(r->target, "ACCEPT") ? V_ACCEPT : V_DROP;
		}
		if (!strcmp(r->target, "RETURN"))
			return V_RETURN;
		if (chain(w->s, "filter", r->target)) {
			size_t mark = w->path.n;
			enum verdict v;
			buf_addf(&w->path, "%s%s rule %zu", w->path.n ? " -> " : "", name, k);
			v = walk_chain(w, r->target, depth + 1);
			if (v == V_ACCEPT || v == V_DROP)
				return v;
			if (r->go)
				return V_RETURN;
			w->path.n = mark; /* returned: not on the deciding path */
			if (w->path.p)
				w->path.p[mark] = 0;
		}
		/* LOG, MARK and other non-terminal targets: go on */
	}
	return V_NONE;
}

/* FORWARD for one packet: ACCEPT or DROP, with the deciding path. */
static enum verdict forward(struct walk *w)
{
	const struct fw_chain *fwd = chain(w->s, "filter", "FORWARD");
	enum verdict v = walk_chain(w, "FORWARD", 0);

	if (w->cut)
		return V_NONE;
	if (v == V_ACCEPT || v == V_DROP)
		return v;
	buf_addf(&w->path, "%sFORWARD policy %s", w->path.n ? " -> " : "", fwd ? fwd->policy : "ACCEPT");
	return fwd && !strcmp(fwd->policy, "DROP") ? V_DROP : V_ACCEPT;
}

/* ---- the rule sets of this host ---- */

struct fwctx {
	struct fw_set sets[2];
	size_t n;
	const char *why; /* why there are none */
	bool live;
	const char *nft;      /* `nft list ruleset` (live) or /etc/nftables.conf (offline), or NULL */
	const char *nft_from;
};

static void load(const struct au_data *d, struct arena *a, struct fwctx *x)
{
	static const char *const tools[][2] = {{"/usr/sbin/iptables-legacy-save", "iptables-legacy"},
					       {"/usr/sbin/iptables-nft-save", "iptables-nft"}};
	size_t i;
	char *out;

	x->live = !strcmp(d->root, "/");
	if (!x->live) {
		char *txt = host_read(a, d->root, "/etc/iptables/rules.v4", NULL);
		if ((x->nft = host_read(a, d->root, "/etc/nftables.conf", NULL)))
			x->nft_from = "/etc/nftables.conf";
		if (!txt) {
			x->why = "no /etc/iptables/rules.v4 (offline, only saved rules can be read)";
			return;
		}
		x->sets[0].name = "/etc/iptables/rules.v4";
		parse(a, &x->sets[0], txt);
		x->n = 1;
		return;
	}
	if (geteuid()) {
		x->why = "needs root (reading the rule sets needs CAP_NET_ADMIN)";
		return;
	}
	{ /* native nftables rule sets (nftables.service, firewalld's nftables back-end) */
		const char *argv[] = {"/usr/sbin/nft", "list", "ruleset", NULL};
		if (host_run(a, argv, &out, FW_MAX_OUTPUT, 5000) == 0 && out) {
			x->nft = out;
			x->nft_from = "nft list ruleset";
		}
	}
	for (i = 0; i < DS_ARRAY_SIZE(tools); i++) {
		const char *argv[] = {tools[i][0], NULL};
		if (host_run(a, argv, &out, FW_MAX_OUTPUT, 5000) != 0 || !out)
			continue;
		x->sets[x->n].name = tools[i][1];
		parse(a, &x->sets[x->n], out);
		if (x->sets[x->n].nr || x->sets[x->n].nc)
			x->n++;
	}
	if (!x->n)
		x->why = "no iptables rule set could be read (iptables-legacy-save and iptables-nft-save)";
}

/* A native nftables chain hooked on input whose policy drops, or
 * firewalld's own table: "table inet filter input policy drop". */
static const char *nft_active(struct arena *a, const char *nft)
{
	const char *p = nft, *table = NULL, *chain = NULL;
	size_t tn = 0, cn = 0;

	while (p && *p) {
		const char *line = p, *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		while (n && (*line == ' ' || *line == '\t'))
			line++, n--;
		if (n > 6 && !strncmp(line, "table ", 6)) {
			table = line + 6;
			tn = strcspn(table, "{\n") - (table[strcspn(table, "{\n") - 1] == ' ');
			if (tn == 14 && !strncmp(table, "inet firewalld", 14))
				return "firewalld (its nftables table inet firewalld is loaded)";
		} else if (n > 6 && !strncmp(line, "chain ", 6)) {
			chain = line + 6;
			cn = strcspn(chain, " {\n");
		} else if (memmem(line, n, "hook input", 10) && (memmem(line, n, "policy drop", 11) || memmem(line, n, "policy reject", 13))) {
			return arena_printf(a, "nftables: table %.*s chain %.*s hooks input with policy drop", (int)tn,
					    table ? table : "?", (int)cn, chain ? chain : "?");
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

static size_t rules_in(const struct fw_set *s, const char *table)
{
	size_t i, n = 0;
	for (i = 0; i < s->nr; i++)
		n += !strcmp(s->r[i].table, table);
	return n;
}

static bool has_chain_prefix(const struct fwctx *x, const char *prefix)
{
	size_t i, k;
	for (k = 0; k < x->n; k++)
		for (i = 0; i < x->sets[k].nc; i++)
			if (!strncmp(x->sets[k].c[i].name, prefix, strlen(prefix)))
				return true;
	return false;
}

/* ufw or firewalld really active, or an INPUT policy that drops. */
static const char *firewall_active(const struct au_data *d, struct arena *a, const struct fwctx *x)
{
	const char *conf = host_read(a, d->root, "/etc/ufw/ufw.conf", NULL);
	size_t k;

	if (x->live ? has_chain_prefix(x, "ufw-user-") : conf && strstr(conf, "\nENABLED=yes"))
		return x->live ? "ufw (its chains are loaded)" : "ufw (/etc/ufw/ufw.conf ENABLED=yes)";
	if (has_chain_prefix(x, "FWD_") || has_chain_prefix(x, "INPUT_ZONES"))
		return "firewalld (its chains are loaded)";
	if (x->nft) {
		const char *n = nft_active(a, x->nft);
		if (n)
			return x->live ? n : arena_printf(a, "%s (%s)", n, x->nft_from);
	}
	for (k = 0; k < x->n; k++) {
		const struct fw_chain *in = chain(&x->sets[k], "filter", "INPUT");
		if (in && strcmp(in->policy, "ACCEPT"))
			return arena_printf(a, "%s INPUT policy %s", x->sets[k].name, in->policy);
	}
	return NULL;
}

struct published {
	const char *host, *proto, *out;
	struct in_addr cip;
	unsigned cport, hport;
};

/* Published ports: the nat DOCKER chain's DNAT rules (host address and
 * port -> container address and port); the filter DOCKER chain's ACCEPTs
 * give the bridge, and stand in when the nat table is absent. */
static size_t published(struct arena *a, const struct fw_set *s, struct published **out)
{
	struct published *v = NULL;
	size_t i, k, n = 0, cap = 0;

	for (i = 0; i < s->nr; i++) {
		const struct fw_rule *r = &s->r[i];
		struct published p = {0};
		char ip[64];
		const char *colon;
		if (strcmp(r->table, "nat") || strcmp(r->chain, "DOCKER") || !r->target || strcmp(r->target, "DNAT") ||
		    !r->dnat_to || !r->dports || !(colon = strrchr(r->dnat_to, ':')))
			continue;
		snprintf(ip, sizeof(ip), "%.*s", (int)(colon - r->dnat_to), r->dnat_to);
		if (inet_pton(AF_INET, ip, &p.cip) != 1)
			continue;
		p.cport = (unsigned)strtoul(colon + 1, NULL, 10);
		p.hport = (unsigned)strtoul(r->dports, NULL, 10);
		p.proto = r->proto ? r->proto : "tcp";
		p.host = r->dst && !r->ndst ? arena_strndup(a, r->dst, strcspn(r->dst, "/")) : "0.0.0.0";
		p.out = "docker0";
		for (k = 0; k < s->nr; k++) {
			const struct fw_rule *f = &s->r[k];
			bool ok;
			if (!strcmp(f->table, "filter") && !strcmp(f->chain, "DOCKER") && f->out && f->dst &&
			    cidr(f->dst, p.cip, &ok) && ok)
				p.out = f->out;
		}
		if (n < FW_MAX_PORTS && !arena_grow(a, (void **)&v, &cap, n + 1, sizeof(*v)))
			v[n++] = p;
	}
	if (!rules_in(s, "nat"))
		for (i = 0; i < s->nr; i++) {
			const struct fw_rule *r = &s->r[i];
			struct published p = {0};
			char ip[64];
			if (strcmp(r->table, "filter") || strcmp(r->chain, "DOCKER") || !r->target ||
			    strcmp(r->target, "ACCEPT") || !r->dst || !r->dports || !r->out)
				continue;
			snprintf(ip, sizeof(ip), "%.*s", (int)strcspn(r->dst, "/"), r->dst);
			if (inet_pton(AF_INET, ip, &p.cip) != 1)
				continue;
			p.cport = p.hport = (unsigned)strtoul(r->dports, NULL, 10);
			p.proto = r->proto ? r->proto : "tcp";
			p.host = "?";
			p.out = r->out;
			if (!arena_grow(a, (void **)&v, &cap, n + 1, sizeof(*v)))
				v[n++] = p;
		}
	*out = v;
	return n;
}

static void fw_active(void *ctx, const struct rule *r);
static void published_ports(void *ctx, const struct rule *r);
static void iptables_off(void *ctx, const struct rule *r);
static void two_backends(void *ctx, const struct rule *r);

static const struct rule defs[] = {
	{"host-fw-01", SEV_MEDIUM, "host", "a host firewall is active (ufw, firewalld or an INPUT policy that drops)",
	 "Without a firewall every listening service is reachable from the network.",
	 "Enable ufw, firewalld or an nftables/iptables INPUT policy that drops.",
	 REFS("lynis:FIRE-4512"), fw_active, NULL, 0},
	{"host-fw-02", SEV_HIGH, "host", "published container ports do not bypass the host firewall",
	 "Docker's FORWARD rules accept published ports before ufw or firewalld see them.",
	 "Filter in the DOCKER-USER chain (ufw-docker does this), or publish on 127.0.0.1 only.",
	 REFS("cis:5.14"), published_ports, NULL, 0},
	{"host-fw-03", SEV_MEDIUM, "host", "with Docker's iptables management off, forwarding to containers is not open",
	 "With --iptables=false and forwarding open, containers are reachable by routing.",
	 "Set the FORWARD policy to DROP, or let Docker manage iptables.",
	 REFS("cis:2.4"), iptables_off, NULL, 0},
	{"host-fw-04", SEV_LOW, "host", "one iptables back-end holds the rules (not both legacy and nft)",
	 "Rules split across iptables-legacy and iptables-nft are each only half of the firewall.",
	 "Keep all rules in one back-end (update-alternatives --set iptables ...) and flush the other.",
	 REFS("lynis:FIRE-4512"), two_backends, NULL, 0},
};

/* The rule sets of this run, read once. */
static struct fwctx *rulesets(const struct au_data *d, struct au_host *h, struct arena *a)
{
	struct fwctx *x = h->fw;

	if (!x && (x = arena_alloc(a, sizeof(*x)))) {
		load(d, a, x);
		h->fw = x;
	}
	return x;
}

void au_fw_prefetch(const struct au_data *d, struct au_host *h, struct arena *a)
{
	rulesets(d, h, a);
}

/* This host's firewall does not describe a remote daemon. */
static bool local(struct au_ctx *c)
{
	c->decided = true;
	if (c->d->remote)
		au_ev_add(c->e, "the daemon is remote: this host's firewall does not describe it");
	return !c->d->remote;
}

/* The rule sets, read once for all the checks; NULL when there are none
 * to judge (the result says why). nft_ok: native nftables alone is
 * enough for this check. */
static const struct fwctx *sets(struct au_ctx *c, bool nft_ok)
{
	const struct fwctx *x;

	if (!local(c) || !(x = rulesets(c->d, c->h, c->a)))
		return NULL;
	if (!x->n && !(x->nft && nft_ok)) {
		au_ev_add(c->e, "%s", x->why);
		return NULL;
	}
	return x;
}

/* host-fw-01: a host firewall drops incoming traffic by default. */
static void fw_active(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct au_data *d = c->d;
	struct arena *a = c->a;
	struct au_result *r = c->r;
	struct au_ev *e = c->e;
	const struct fwctx *xp = sets(c, true);
	struct fwctx x;
	const char *active;

	(void)rule;
	if (!xp)
		return;
	x = *xp;
	active = firewall_active(d, a, &x);
	r->status = active ? AU_PASS : AU_WARN;
	au_ev_add(e, "%s", active ? active : "no ufw, no firewalld, no input chain that drops by default (Docker's own chains do not count)");
	if (!active)
		au_ev_add(e, "%s", x.nft ? arena_printf(a, "native nftables read from %s", x.nft_from)
				   : "no native nftables rule set (nft is not installed or nothing is loaded)");
}

/* host-fw-02: every published port, walked through every populated
 * back-end: open past an active firewall is the bypass. */
static void published_ports(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct au_data *d = c->d;
	struct arena *a = c->a;
	struct au_result *r = c->r;
	struct au_ev *e = c->e;
	const struct fwctx *xp = sets(c, false);
	struct fwctx x;
	const char *active;
	struct published *pp = NULL;
	size_t i, k, np = 0, steps = 0;
	bool cut = false;

	(void)rule;
	if (!xp)
		return;
	x = *xp;
	active = firewall_active(d, a, &x);
	r->status = AU_PASS;
	for (k = 0; k < x.n && !np; k++) /* Docker writes to one back-end */
		np = published(a, &x.sets[k], &pp);
	if (!np) {
		au_ev_add(e, "no published port in the DOCKER chains");
		return;
	}
	for (i = 0; i < np; i++) {
		struct pkt p = {pp[i].out, pp[i].cip, pp[i].proto, pp[i].cport};
		char cip[INET_ADDRSTRLEN];
		bool open = true, restricted = false, docker = true, pcut = false;
		struct buf how = BUF_INIT;
		inet_ntop(AF_INET, &pp[i].cip, cip, sizeof(cip));
		if (pp[i].host && !strncmp(pp[i].host, "127.", 4)) {
			au_ev_add(e, "%s %s:%u -> %s:%u: bound to loopback, not reachable from outside", pp[i].proto,
				  pp[i].host, pp[i].hport, cip, pp[i].cport);
			continue;
		}
		for (k = 0; k < x.n; k++) {
			struct walk w = {&x.sets[k], &p, a, BUF_INIT, BUF_INIT, NULL, &steps, false};
			enum verdict v = forward(&w);
			pcut |= w.cut;
			buf_addf(&how, "%s%s: %s", k ? "; " : "", x.sets[k].name, buf_str(&w.path));
			if (w.maybe.n) {
				buf_addf(&how, " (not relied on: %s)", buf_str(&w.maybe));
				restricted = true;
			}
			if (v != V_ACCEPT)
				open = false;
			else if (w.decided && (!strncmp(w.decided->chain, "ufw", 3) || !strcmp(w.decided->chain, "DOCKER-USER") ||
					       !strncmp(w.decided->chain, "FWD_", 4)))
				docker = false; /* the administrator's own allow rule */
			buf_release(&w.path);
			buf_release(&w.maybe);
		}
		if (pcut) {
			cut = true;
			au_ev_add(e, "%s %s:%u -> %s:%u: not judged (walk limit)", pp[i].proto, pp[i].host, pp[i].hport,
				  cip, pp[i].cport);
		} else if (open && !docker) {
			au_ev_add(e, "%s %s:%u -> %s:%u is allowed by the firewall's own rule: %s", pp[i].proto, pp[i].host,
				  pp[i].hport, cip, pp[i].cport, buf_str(&how));
		} else if (open && !restricted && active) {
			r->status = AU_WARN;
			au_ev_add(e, "%s %s:%u -> %s:%u is open to any address although %s is active: %s", pp[i].proto,
				  pp[i].host, pp[i].hport, cip, pp[i].cport, active, buf_str(&how));
		} else if (open) {
			if (r->status == AU_PASS)
				r->status = AU_INFO;
			au_ev_add(e, "%s %s:%u -> %s:%u is reachable from outside%s: %s", pp[i].proto, pp[i].host,
				  pp[i].hport, cip, pp[i].cport,
				  restricted ? " (some rules could not be evaluated)" : " (no host firewall to bypass)",
				  buf_str(&how));
		} else {
			au_ev_add(e, "%s %s:%u -> %s:%u is filtered: %s", pp[i].proto, pp[i].host, pp[i].hport, cip,
				  pp[i].cport, buf_str(&how));
		}
		buf_release(&how);
	}
	if (cut && r->status != AU_WARN) { /* what was not walked is not known to be filtered */
		r->status = AU_ERROR;
		au_ev_add(e, "the rule sets are too large or too nested to walk (more than %d rule visits): "
			     "not every port was judged", FW_MAX_STEPS);
	}

	if (r->status == AU_WARN)
		au_ev_add(e, "remedy: filter forwarded traffic in the DOCKER-USER chain (ufw-docker does this), or publish "
			     "on 127.0.0.1");
}

/* host-fw-03: with --iptables=false, forwarding must not be open. */
static void iptables_off(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct au_data *d = c->d;
	struct au_host *h = c->h;
	struct arena *a = c->a;
	struct au_result *r = c->r;
	struct au_ev *e = c->e;
	const struct fwctx *xp;
	struct fwctx x;

	(void)rule;
	if (!local(c))
		return;
	const char *ipt = d->dcfg ? d->dcfg->iptables.v : NULL;
	char *fwd = host_read(a, d->root, "/proc/sys/net/ipv4/ip_forward", NULL);
	r->status = AU_PASS;
	if (!ipt || strcmp(ipt, "false")) {
		au_ev_add(e, "dockerd manages iptables (%s)", ipt ? d->dcfg->iptables.from : "the default");
		return;
	}
	au_ev_add(e, "dockerd --iptables=false (%s): no NAT, no DOCKER chains, containers are reached by routing",
		  d->dcfg->iptables.from);
	if (!(xp = rulesets(d, h, a)))
		return;
	x = *xp;
	if (fwd && fwd[0] == '1') {
		const struct fw_chain *fc = x.n ? chain(&x.sets[0], "filter", "FORWARD") : NULL;
		if (!fc || !strcmp(fc->policy, "ACCEPT")) {
			r->status = AU_WARN;
			au_ev_add(e, "ip_forward is 1 and the FORWARD policy is %s: every container port is reachable "
				     "by routing to its bridge address",
				  fc ? "ACCEPT" : "unknown (no rule set read)");
		} else {
			au_ev_add(e, "ip_forward is 1, FORWARD policy %s", fc->policy);
		}
	} else {
		au_ev_add(e, "ip_forward is %s", fwd ? "0" : "not readable");
	}
}

/* host-fw-04: iptables-legacy and nftables both hold rules. */
static void two_backends(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct fwctx *xp = sets(c, false);
	struct au_result *r = c->r;
	struct au_ev *e = c->e;
	struct fwctx x;
	size_t k;

	(void)rule;
	if (!xp)
		return;
	x = *xp;
	size_t populated = 0;
	if (!x.live) {
		au_ev_add(e, "offline: only the saved IPv4 rules are read");
		return;
	}
	for (k = 0; k < x.n; k++) {
		size_t nr = x.sets[k].nr;
		populated += nr > 0;
		au_ev_add(e, "%s: %zu rules", x.sets[k].name, nr);
	}
	r->status = populated > 1 ? AU_WARN : AU_PASS;
	if (populated > 1)
		au_ev_add(e, "both back-ends hold rules and the kernel runs both: a packet must pass each, and "
			     "`iptables` shows only one of them");
}

const struct au_module au_fw = {defs, DS_ARRAY_SIZE(defs)};
