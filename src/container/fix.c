/*
 * fix.c - the hardened version of a Compose file, Kubernetes manifest or
 * docker run script, as edits of the original bytes (see fix.h).
 *
 * YAML is edited through node positions from libyaml: a scalar or flow
 * value is replaced by its exact span; a block collection value is replaced
 * from just after its key's colon to the end of its last item, so comments
 * after it survive; new keys go after the mapping's last pair at the
 * indentation of its first key, or before the closing brace of a flow
 * mapping. New values are written in flow style (`cap_drop: [ALL]`,
 * `securityContext: {allowPrivilegeEscalation: false, ...}`) so one line
 * is valid at any indentation. libyaml counts marks in characters, so
 * positions are turned into byte offsets through the line table.
 *
 * docker run lines get the missing flags inserted just before the image
 * word: later flags win in the Docker CLI, so `--read-only=false` earlier
 * on the line is overridden rather than edited.
 */
#include "fix.h"
#include "check.h"
#include "yaml.h"

const char *const ct_fixed_rules[] = {
	"CT-CAP-DROP-ALL", "CT-NO-NEW-PRIVILEGES", "CT-ROOTFS-WRITABLE", "CT-USER-UNSET", "CT-USER-ROOT",
	"CT-NO-MEMORY-LIMIT", "CT-NO-CPU-LIMIT", "CT-NO-PIDS-LIMIT", "CT-RESTART-POLICY", "CT-SECCOMP-UNSET",
	NULL,
};

#define FIX_USER "10001:10001"
#define FIX_UID "10001"

/* Safety classes: a safe fix takes nothing a well-behaved service uses. */
static const struct {
	const char *rule;
	bool safe;
} fix_class[] = {
	{"CT-NO-NEW-PRIVILEGES", true}, {"CT-SECCOMP-UNSET", true},   {"CT-CAP-DROP-ALL", false},
	{"CT-ROOTFS-WRITABLE", false},  {"CT-USER-UNSET", false},     {"CT-USER-ROOT", false},
	{"CT-NO-MEMORY-LIMIT", false},  {"CT-NO-CPU-LIMIT", false},   {"CT-NO-PIDS-LIMIT", false},
	{"CT-RESTART-POLICY", false},
};

bool ct_fix_rule_known(const char *id)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(fix_class); i++)
		if (!strcmp(fix_class[i].rule, id))
			return true;
	return false;
}

struct edit {
	size_t start, end;
	const char *text;
	size_t seq; /* insertion order, to keep inserts at one offset in order */
};

struct fixer {
	struct target *t;
	struct arena *a;
	const struct ct_file *f;
	size_t next; /* index of the next container in f */
	struct edit *e;
	size_t n, cap;
	size_t *ls; /* line starts */
	size_t nls;
	size_t skipped;
	struct yd *y;
	bool crlf; /* the file ends its lines with CRLF: inserted lines do too */
	const struct ct_fix_opts *o;
	uint32_t unnamed;  /* fix_class entries needed but not named (bit i) */
	struct buf notes;  /* "left RULE on NAME: why" lines */
};

/* text with every bare LF as CRLF (arena string), for a CRLF file. */
static const char *to_crlf(struct arena *a, const char *text)
{
	struct buf b = BUF_INIT;
	const char *p, *r;

	for (p = text; *p; p++) {
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			buf_addc(&b, '\r');
		buf_addc(&b, *p);
	}
	r = buf_ok(&b) ? arena_strndup(a, buf_str(&b), b.n) : NULL;
	buf_release(&b);
	return r;
}

static int add_edit(struct fixer *fx, size_t start, size_t end, const char *text)
{
	if (text && fx->crlf && strchr(text, '\n'))
		text = to_crlf(fx->a, text);
	if (!text || arena_grow(fx->a, (void **)&fx->e, &fx->cap, fx->n + 1, sizeof(*fx->e)))
		return ds_oom(&fx->t->err);
	fx->e[fx->n].start = start;
	fx->e[fx->n].end = end;
	fx->e[fx->n].text = text;
	fx->e[fx->n].seq = fx->n;
	fx->n++;
	return 0;
}

/* The fixer's lines are \n-separated (a \r before it belongs to the line
 * ending). YAML also breaks lines at a lone \r, NEL, LS and PS, so the
 * parser's positions would not match the fixer's: such a file is left
 * as it is, with the reason. */
static int odd_line_break(struct fixer *fx)
{
	const unsigned char *d = (const unsigned char *)fx->t->data;
	size_t i, n = fx->t->len, line = 1;

	for (i = 0; i < n; i++) {
		if (d[i] == '\n')
			line++;
		else if ((d[i] == '\r' && (i + 1 >= n || d[i + 1] != '\n')) || (d[i] == 0xc2 && i + 1 < n && d[i + 1] == 0x85) ||
			 (d[i] == 0xe2 && i + 2 < n && d[i + 1] == 0x80 && (d[i + 2] == 0xa8 || d[i + 2] == 0xa9)))
			return ds_err_set(&fx->t->err, DS_EPARSE, target_display_path(fx->t), (int)line, 0,
					  "--fix leaves this file as it is: line %zu holds a line break other than \\n "
					  "and \\r\\n (a lone \\r, NEL, LS or PS)", line);
	}
	return 0;
}

static int lines_init(struct fixer *fx)
{
	const char *d = fx->t->data;
	size_t i, n = 1;
	int rc;

	if ((rc = odd_line_break(fx)))
		return rc;
	for (i = 0; i < fx->t->len; i++)
		n += d[i] == '\n';
	fx->ls = arena_array(fx->a, n + 1, sizeof(*fx->ls));
	if (!fx->ls)
		return ds_oom(&fx->t->err);
	fx->nls = 0;
	fx->ls[fx->nls++] = 0;
	for (i = 0; i < fx->t->len; i++)
		if (d[i] == '\n')
			fx->ls[fx->nls++] = i + 1;
	return 0;
}

/* Byte offset of a libyaml mark (line and column count characters). */
static size_t off_of(struct fixer *fx, yaml_mark_t m)
{
	size_t o, col = m.column;
	const char *d = fx->t->data;

	if (m.line >= fx->nls)
		return fx->t->len;
	o = fx->ls[m.line];
	while (col > 0 && o < fx->t->len && d[o] != '\n') {
		uint32_t cp;
		size_t k = utf8_decode(d + o, fx->t->len - o, &cp);
		o += k ? k : 1;
		col--;
	}
	return o;
}

/* Byte offset of a (line, col) source position counted in bytes. */
static size_t off_of_src(struct fixer *fx, struct ct_src at)
{
	size_t o;

	if (at.line <= 0 || (size_t)at.line > fx->nls)
		return fx->t->len;
	o = fx->ls[at.line - 1] + (size_t)(at.col > 0 ? at.col - 1 : 0);
	return o > fx->t->len ? fx->t->len : o;
}

/* ---- YAML helpers ---- */

/* An own (not merged) pair of a mapping. */
static bool own(struct yd *y, yaml_node_t *map, const char *key, yaml_node_t **k, yaml_node_t **v)
{
	yaml_node_pair_t *p;
	size_t kn = strlen(key);

	if (!yd_is_map(map))
		return false;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kk = yaml_document_get_node(&y->doc, p->key);
		if (yd_is_scalar(kk) && kk->data.scalar.length == kn && !memcmp(kk->data.scalar.value, key, kn)) {
			*k = kk;
			*v = yaml_document_get_node(&y->doc, p->value);
			return true;
		}
	}
	return false;
}

static bool is_block(const yaml_node_t *n)
{
	return (n->type == YAML_MAPPING_NODE && n->data.mapping.style == YAML_BLOCK_MAPPING_STYLE) ||
	       (n->type == YAML_SEQUENCE_NODE && n->data.sequence.style == YAML_BLOCK_SEQUENCE_STYLE);
}

/* End of the last content of n (not the start of the next token). */
static size_t content_end(struct fixer *fx, yaml_node_t *n, int depth)
{
	if (depth < 64 && n->type == YAML_SEQUENCE_NODE && is_block(n) &&
	    n->data.sequence.items.top > n->data.sequence.items.start)
		return content_end(fx, yaml_document_get_node(&fx->y->doc, n->data.sequence.items.top[-1]), depth + 1);
	if (depth < 64 && n->type == YAML_MAPPING_NODE && is_block(n) &&
	    n->data.mapping.pairs.top > n->data.mapping.pairs.start)
		return content_end(fx, yaml_document_get_node(&fx->y->doc, n->data.mapping.pairs.top[-1].value),
				   depth + 1);
	if (n->type == YAML_SCALAR_NODE && (n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
					    n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE)) {
		size_t o = off_of(fx, n->end_mark);
		while (o > 0 && (fx->t->data[o - 1] == '\n' || fx->t->data[o - 1] == ' '))
			o--;
		return o;
	}
	return off_of(fx, n->end_mark);
}

/* Just after the colon that follows key k. */
static size_t after_colon(struct fixer *fx, yaml_node_t *k)
{
	size_t o = off_of(fx, k->end_mark);

	while (o < fx->t->len && fx->t->data[o] != ':')
		o++;
	return o < fx->t->len ? o + 1 : o;
}

/* Replace the value v of key k with text (flow style). */
static int replace_value(struct fixer *fx, yaml_node_t *k, yaml_node_t *v, const char *text)
{
	if (is_block(v) || yd_is_null(v)) {
		size_t s = after_colon(fx, k);
		size_t e = is_block(v) ? content_end(fx, v, 0) : s;
		return add_edit(fx, s, e, arena_printf(fx->a, " %s", text));
	}
	return add_edit(fx, off_of(fx, v->start_mark), off_of(fx, v->end_mark), arena_strdup(fx->a, text));
}

/* Add "key: value" pairs (already formatted) to a mapping. */
static int insert_pairs(struct fixer *fx, yaml_node_t *map, const char *const *pairs, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i, at;
	int rc;

	if (!n)
		return 0;
	if (map->data.mapping.style == YAML_FLOW_MAPPING_STYLE) {
		bool empty = map->data.mapping.pairs.top == map->data.mapping.pairs.start;
		at = off_of(fx, map->end_mark);
		while (at > 0 && fx->t->data[at - 1] != '}')
			at--;
		if (at == 0)
			return ++fx->skipped, 0;
		at--; /* before the '}' */
		while (at > 0 && (fx->t->data[at - 1] == ' ' || fx->t->data[at - 1] == '\t'))
			at--;
		for (i = 0; i < n; i++) {
			buf_adds(&b, (i || !empty) ? ", " : "");
			buf_adds(&b, pairs[i]);
		}
	} else {
		yaml_node_t *k0 = yaml_document_get_node(&fx->y->doc, map->data.mapping.pairs.start->key);
		yaml_node_t *last = yaml_document_get_node(&fx->y->doc, map->data.mapping.pairs.top[-1].value);
		size_t e = content_end(fx, last, 0), ls;
		unsigned col = (unsigned)k0->start_mark.column;
		/* the start of the line after the last value */
		at = e;
		while (at < fx->t->len && fx->t->data[at] != '\n')
			at++;
		if (at < fx->t->len)
			at++;
		ls = at;
		if (at == fx->t->len && fx->t->len && fx->t->data[at - 1] != '\n')
			buf_addc(&b, '\n');
		for (i = 0; i < n; i++)
			buf_addf(&b, "%*s%s\n", (int)col, "", pairs[i]);
		at = ls;
	}
	if (!buf_ok(&b)) {
		buf_release(&b);
		return ds_oom(&fx->t->err);
	}
	rc = add_edit(fx, at, at, arena_strndup(fx->a, buf_str(&b), b.n));
	buf_release(&b);
	return rc;
}

/* Set key to value in map: replace an own value, else insert (queued in
 * *ins for one insertion per mapping). */
struct queue {
	const char *v[16];
	size_t n;
};

static int set_key(struct fixer *fx, yaml_node_t *map, const char *key, const char *value, struct queue *q)
{
	yaml_node_t *k, *v;

	if (own(fx->y, map, key, &k, &v))
		return replace_value(fx, k, v, value);
	if (q->n < DS_ARRAY_SIZE(q->v))
		q->v[q->n++] = arena_printf(fx->a, "%s: %s", key, value);
	return 0;
}

static const char *json_list(struct fixer *fx, const struct ct_list *l, const char *skip_prefix, const char *add)
{
	struct buf b = BUF_INIT;
	const char *r;
	size_t i;
	bool first = true;

	buf_addc(&b, '[');
	for (i = 0; i < l->n; i++) {
		if (skip_prefix && !strncmp(l->v[i].v, skip_prefix, strlen(skip_prefix)))
			continue;
		buf_adds(&b, first ? "\"" : ", \"");
		buf_add_json_str(&b, l->v[i].v, strlen(l->v[i].v));
		buf_addc(&b, '"');
		first = false;
	}
	if (add)
		buf_addf(&b, "%s\"%s\"", first ? "" : ", ", add);
	buf_addc(&b, ']');
	r = buf_ok(&b) ? arena_strndup(fx->a, buf_str(&b), b.n) : NULL;
	buf_release(&b);
	return r;
}

static bool has_tmp(const struct ct_container *c)
{
	size_t i;

	for (i = 0; i < c->nmounts; i++)
		if (c->mounts[i].target && !strcmp(c->mounts[i].target, "/tmp"))
			return true;
	return false;
}

static bool priv(const struct ct_container *c)
{
	return c->privileged.set && c->privileged.v;
}

static bool user_root(const struct ct_container *c)
{
	const char *u = c->user.v;
	size_t n = u ? strcspn(u, ":") : 0;
	return u && ((n == 1 && u[0] == '0') || (n == 4 && !strncmp(u, "root", 4)));
}

static bool restart_bad(const struct ct_container *c)
{
	const char *r = c->restart.v;

	if (!r)
		return false;
	if (!strcmp(r, "always") || !strcmp(r, "unless-stopped"))
		return true;
	return !strcmp(r, "on-failure") && (!c->restart_max.set || c->restart_max.v <= 0 || c->restart_max.v > 5);
}

/* The JVM heap option in the service's environment or command, if any. */
static const char *jvm_heap(const struct ct_container *c)
{
	size_t i;

	for (i = 0; i < c->env.n; i++)
		if (c->env.v[i].v && strstr(c->env.v[i].v, "-Xmx"))
			return strstr(c->env.v[i].v, "-Xmx");
	for (i = 0; i < c->cmd.n; i++)
		if (strstr(c->cmd.v[i].v, "-Xmx"))
			return strstr(c->cmd.v[i].v, "-Xmx");
	return NULL;
}

/* A writable volume or bind mount: the service keeps data (not tmpfs). */
static const char *data_mount(const struct ct_container *c)
{
	size_t i;

	for (i = 0; i < c->nmounts; i++)
		if (!c->mounts[i].read_only && c->mounts[i].type != CT_MOUNT_TMPFS && c->mounts[i].target &&
		    strcmp(c->mounts[i].target, "/tmp") && strncmp(c->mounts[i].target, "/run", 4))
			return c->mounts[i].target;
	return NULL;
}

/* Why applying rule's fix would break c, as the file shows; NULL if not. */
static const char *breaks(struct fixer *fx, const struct ct_container *c, const char *rule)
{
	const char *v;
	bool user = !strcmp(rule, "CT-USER-UNSET") || !strcmp(rule, "CT-USER-ROOT");

	if (priv(c) && (user || !strcmp(rule, "CT-ROOTFS-WRITABLE") || !strcmp(rule, "CT-CAP-DROP-ALL")))
		return "privileged: remove privileged first, then harden it";
	if (!strcmp(rule, "CT-NO-MEMORY-LIMIT") && (v = jvm_heap(c)))
		return arena_printf(fx->a, "the JVM heap is set (%.*s): set a limit well above it by hand",
				    (int)strcspn(v, " \t\"'"), v);
	if (!strcmp(rule, "CT-ROOTFS-WRITABLE") && (v = data_mount(c)))
		return arena_printf(fx->a, "it writes data (%s): a read-only root needs every path it writes as a "
					   "volume or tmpfs; review by hand", v);
	if (user && (v = data_mount(c)))
		return arena_printf(fx->a, "its data (%s) belongs to the image's user: uid " FIX_UID " could not write it",
				    v);
	if (user && c->cap_add.n)
		return "it adds capabilities, which a non-root user does not keep";
	if (!strcmp(rule, "CT-CAP-DROP-ALL") && (!c->user.v || user_root(c)) && (v = data_mount(c)))
		return arena_printf(fx->a, "it starts as root with data in %s: an entrypoint that chowns it and "
					   "switches user needs CHOWN, SETUID and SETGID; drop ALL and add those back by hand", v);
	return NULL;
}

/* Is rule's fix applied to c? Safe fixes are, the others when named;
 * none where the file shows it would break c (said in the notes). */
static bool want(struct fixer *fx, const struct ct_container *c, const char *rule)
{
	const char *why;
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(fix_class) && strcmp(fix_class[i].rule, rule); i++)
		;
	if (i < DS_ARRAY_SIZE(fix_class) && !fix_class[i].safe && !(fx->o && fx->o->all)) {
		size_t k;
		bool named = false;
		for (k = 0; fx->o && k < fx->o->nrules && !named; k++)
			named = !strcmp(fx->o->rules[k], rule);
		if (!named) {
			fx->unnamed |= 1u << i;
			return false;
		}
	}
	if ((why = breaks(fx, c, rule))) {
		buf_addf(&fx->notes, "left %s on %s: %s\n", rule, c->name ? c->name : "?", why);
		return false;
	}
	return true;
}

/* ---- Compose ---- */

static int fix_service(struct fixer *fx, yaml_node_t *svc, const struct ct_container *c)
{
	struct queue q = {{0}, 0};
	yaml_node_t *k, *v;
	int rc = 0;

	if (!yd_is_map(svc) || c->incomplete)
		return 0;
	if (!priv(c) && !ct_list_has(&c->cap_drop, "ALL") && want(fx, c, "CT-CAP-DROP-ALL"))
		rc = set_key(fx, svc, "cap_drop", "[ALL]", &q);
	if (!rc && !(c->no_new_privs.set && c->no_new_privs.v) && want(fx, c, "CT-NO-NEW-PRIVILEGES"))
		rc = set_key(fx, svc, "security_opt", json_list(fx, &c->security_opt, "no-new-privileges", "no-new-privileges:true"), &q);
	if (!rc && !(c->read_only.set && c->read_only.v) && want(fx, c, "CT-ROOTFS-WRITABLE")) {
		rc = set_key(fx, svc, "read_only", "true", &q);
		if (!rc && !has_tmp(c) && !own(fx->y, svc, "tmpfs", &k, &v))
			rc = set_key(fx, svc, "tmpfs", "[/tmp]", &q);
	}
	if (!rc && (!c->user.v || user_root(c)) && want(fx, c, c->user.v ? "CT-USER-ROOT" : "CT-USER-UNSET"))
		rc = set_key(fx, svc, "user", "\"" FIX_USER "\"", &q);
	if (!rc && !c->memory.set && want(fx, c, "CT-NO-MEMORY-LIMIT"))
		rc = set_key(fx, svc, "mem_limit", "512m", &q);
	if (!rc && !c->nano_cpus.set && !c->cpu_shares.set && !c->cpu_quota.set && want(fx, c, "CT-NO-CPU-LIMIT"))
		rc = set_key(fx, svc, "cpus", "\"1.0\"", &q);
	if (!rc && (!c->pids_limit.set || c->pids_limit.v <= 0) && want(fx, c, "CT-NO-PIDS-LIMIT")) {
		yaml_node_t *lim = yd_get(fx->y, yd_get(fx->y, yd_get(fx->y, svc, "deploy"), "resources"), "limits");
		if (lim && yd_get(fx->y, lim, "pids")) {
			struct queue lq = {{0}, 0};
			rc = set_key(fx, lim, "pids", "200", &lq);
		} else {
			rc = set_key(fx, svc, "pids_limit", "200", &q);
		}
	}
	if (!rc && restart_bad(c) && want(fx, c, "CT-RESTART-POLICY")) {
		/* both places that set it: swarm's deploy.restart_policy and restart */
		yaml_node_t *rp = yd_get(fx->y, yd_get(fx->y, svc, "deploy"), "restart_policy");
		if (yd_is_map(rp)) {
			struct queue rq = {{0}, 0};
			rc = set_key(fx, rp, "condition", "on-failure", &rq);
			if (!rc)
				rc = set_key(fx, rp, "max_attempts", "5", &rq);
			if (!rc)
				rc = insert_pairs(fx, rp, rq.v, rq.n);
		}
		if (!rc && yd_get(fx->y, svc, "restart")) /* an own key overrides a merged one */
			rc = set_key(fx, svc, "restart", "on-failure:5", &q);
	}
	if (!rc)
		rc = insert_pairs(fx, svc, q.v, q.n);
	return rc;
}

/* The services of the current document: each mapped to its container
 * (included files may have added others, which are not this file's to
 * fix); last[i] is the last document naming container i (pass 1), and a
 * service is fixed in that document (pass 2): a later document merges
 * over the earlier ones, so a fix written in an earlier one could be
 * undone by it. */
static int compose_pass(struct fixer *fx, struct yd *y, int doc, int *last, bool fix)
{
	yaml_node_t *root = yd_root(y), *services = yd_get(y, root, "services");
	yaml_node_pair_t *p;
	int rc = 0;

	if (!services && !yd_get(y, root, "version") && !yd_get(y, root, "include"))
		services = root;
	if (!yd_is_map(services))
		return 0;
	for (p = services->data.mapping.pairs.start; p < services->data.mapping.pairs.top && !rc; p++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
		size_t i;
		if (!yd_is_scalar(k) || (k->data.scalar.length >= 2 && !memcmp(k->data.scalar.value, "x-", 2)))
			continue;
		for (i = 0; i < fx->f->n; i++)
			if (fx->f->c[i]->name && !strcmp(fx->f->c[i]->name, (const char *)k->data.scalar.value))
				break;
		if (i == fx->f->n)
			continue;
		if (!fix)
			last[i] = doc;
		else if (last[i] == doc)
			rc = fix_service(fx, yaml_document_get_node(&y->doc, p->value), fx->f->c[i]);
	}
	return rc;
}

static int fix_compose(struct fixer *fx)
{
	struct yd y;
	int *last = fx->f->n ? arena_alloc(fx->a, fx->f->n * sizeof(*last)) : NULL;
	int pass, doc, rc = 0;

	if (fx->f->n && !last)
		return ds_oom(&fx->t->err);
	for (size_t i = 0; i < fx->f->n; i++)
		last[i] = -1;
	fx->y = &y;
	for (pass = 0; pass < 2 && !rc; pass++) {
		if (yd_open(&y, fx->a, target_display_path(fx->t), fx->t->data, fx->t->len, &fx->t->err))
			return fx->t->err.code ? fx->t->err.code : ds_oom(&fx->t->err);
		for (doc = 0; !rc && (rc = yd_next(&y)) > 0; doc++)
			rc = compose_pass(fx, &y, doc, last, pass == 1);
		if (rc < 0)
			rc = fx->t->err.code ? fx->t->err.code : DS_EPARSE;
		yd_close(&y);
	}
	return rc;
}

/* ---- Kubernetes ---- */

static int fix_container(void *ctx, struct yd *y, yaml_node_t *spec, yaml_node_t *cn, const char *section)
{
	struct fixer *fx = ctx;
	const struct ct_container *c;
	struct queue q = {{0}, 0}, sq = {{0}, 0};
	yaml_node_t *sk, *sc = NULL, *k;
	bool fix_nnp, fix_ro, fix_user, fix_caps, fix_seccomp, fix_mem, fix_cpu;
	int rc = 0;

	(void)spec;
	(void)section;
	fx->y = y;
	if (fx->next >= fx->f->n)
		return 0;
	c = fx->f->c[fx->next++];
	fix_nnp = !priv(c) && !(c->no_new_privs.set && c->no_new_privs.v) && want(fx, c, "CT-NO-NEW-PRIVILEGES");
	fix_ro = !(c->read_only.set && c->read_only.v) && want(fx, c, "CT-ROOTFS-WRITABLE");
	fix_user = ((!c->user.v && !(c->run_as_non_root.set && c->run_as_non_root.v)) || user_root(c)) &&
		   want(fx, c, c->user.v ? "CT-USER-ROOT" : "CT-USER-UNSET");
	fix_caps = !priv(c) && !ct_list_has(&c->cap_drop, "ALL") && want(fx, c, "CT-CAP-DROP-ALL");
	fix_seccomp = !priv(c) && !c->seccomp.v && want(fx, c, "CT-SECCOMP-UNSET");
	fix_mem = !c->memory.set && !c->ephemeral && want(fx, c, "CT-NO-MEMORY-LIMIT");
	fix_cpu = !c->nano_cpus.set && !c->ephemeral && want(fx, c, "CT-NO-CPU-LIMIT");
	/* securityContext of the container */
	if (!own(y, cn, "securityContext", &sk, &sc) || !yd_is_map(sc)) {
		struct buf b = BUF_INIT;
		const char *sep = "";
		if (fix_nnp)
			buf_addf(&b, "%sallowPrivilegeEscalation: false", sep), sep = ", ";
		if (fix_ro)
			buf_addf(&b, "%sreadOnlyRootFilesystem: true", sep), sep = ", ";
		if (fix_user)
			buf_addf(&b, "%srunAsNonRoot: true, runAsUser: " FIX_UID, sep), sep = ", ";
		if (fix_caps)
			buf_addf(&b, "%scapabilities: {drop: [ALL]}", sep), sep = ", ";
		if (fix_seccomp)
			buf_addf(&b, "%sseccompProfile: {type: RuntimeDefault}", sep), sep = ", ";
		if (!buf_ok(&b)) {
			buf_release(&b);
			return ds_oom(&fx->t->err);
		}
		if (b.n) {
			const char *val = arena_printf(fx->a, "{%s}", buf_str(&b));
			rc = sc ? replace_value(fx, sk, sc, val) : set_key(fx, cn, "securityContext", val, &q);
		}
		buf_release(&b);
	} else {
		if (fix_nnp)
			rc = set_key(fx, sc, "allowPrivilegeEscalation", "false", &sq);
		if (!rc && fix_ro)
			rc = set_key(fx, sc, "readOnlyRootFilesystem", "true", &sq);
		if (!rc && fix_user) {
			rc = set_key(fx, sc, "runAsNonRoot", "true", &sq);
			if (!rc)
				rc = set_key(fx, sc, "runAsUser", FIX_UID, &sq);
		}
		if (!rc && fix_caps) {
			yaml_node_t *caps;
			if (own(y, sc, "capabilities", &k, &caps) && yd_is_map(caps)) {
				struct queue cq = {{0}, 0};
				rc = set_key(fx, caps, "drop", "[ALL]", &cq);
				if (!rc)
					rc = insert_pairs(fx, caps, cq.v, cq.n);
			} else {
				rc = set_key(fx, sc, "capabilities", "{drop: [ALL]}", &sq);
			}
		}
		if (!rc && fix_seccomp)
			rc = set_key(fx, sc, "seccompProfile", "{type: RuntimeDefault}", &sq);
		if (!rc)
			rc = insert_pairs(fx, sc, sq.v, sq.n);
	}
	/* resources.limits */
	if (!rc && (fix_mem || fix_cpu)) {
		yaml_node_t *res = NULL, *lim = NULL;
		const char *mem = fix_mem ? "memory: 512Mi" : NULL, *cpu = fix_cpu ? "cpu: 500m" : NULL;
		if (!own(y, cn, "resources", &k, &res) || !yd_is_map(res)) {
			const char *val = arena_printf(fx->a, "{limits: {%s%s%s}}", mem ? mem : "", mem && cpu ? ", " : "",
						       cpu ? cpu : "");
			rc = res ? replace_value(fx, k, res, val) : set_key(fx, cn, "resources", val, &q);
		} else if (!own(y, res, "limits", &k, &lim) || !yd_is_map(lim)) {
			struct queue rq = {{0}, 0};
			const char *val = arena_printf(fx->a, "{%s%s%s}", mem ? mem : "", mem && cpu ? ", " : "", cpu ? cpu : "");
			rc = set_key(fx, res, "limits", val, &rq);
			if (!rc)
				rc = insert_pairs(fx, res, rq.v, rq.n);
		} else {
			struct queue lq = {{0}, 0};
			if (mem)
				rc = set_key(fx, lim, "memory", "512Mi", &lq);
			if (!rc && cpu)
				rc = set_key(fx, lim, "cpu", "500m", &lq);
			if (!rc)
				rc = insert_pairs(fx, lim, lq.v, lq.n);
		}
	}
	if (!rc)
		rc = insert_pairs(fx, cn, q.v, q.n);
	return rc;
}

/* ---- docker run ---- */

static int fix_runs(struct fixer *fx)
{
	size_t i;

	for (i = 0; i < fx->f->n; i++) {
		const struct ct_container *c = fx->f->c[i];
		struct buf b = BUF_INIT;
		size_t at;
		int rc;

		if (c->incomplete || !c->image.v)
			continue;
		at = off_of_src(fx, c->image.at);
		if (at >= fx->t->len || strncmp(fx->t->data + at, c->image.v, strlen(c->image.v))) {
			fx->skipped++; /* the image word is quoted or inside a string: leave it */
			continue;
		}
		if (!priv(c) && !ct_list_has(&c->cap_drop, "ALL") && want(fx, c, "CT-CAP-DROP-ALL"))
			buf_adds(&b, "--cap-drop ALL ");
		if (!(c->no_new_privs.set && c->no_new_privs.v) && want(fx, c, "CT-NO-NEW-PRIVILEGES"))
			buf_adds(&b, "--security-opt no-new-privileges ");
		if (!(c->read_only.set && c->read_only.v) && want(fx, c, "CT-ROOTFS-WRITABLE")) {
			buf_adds(&b, "--read-only ");
			if (!has_tmp(c))
				buf_adds(&b, "--tmpfs /tmp ");
		}
		if ((!c->user.v || user_root(c)) && want(fx, c, c->user.v ? "CT-USER-ROOT" : "CT-USER-UNSET"))
			buf_adds(&b, "--user " FIX_USER " ");
		if (!c->memory.set && want(fx, c, "CT-NO-MEMORY-LIMIT"))
			buf_adds(&b, "--memory 512m ");
		if (!c->nano_cpus.set && !c->cpu_shares.set && !c->cpu_quota.set && want(fx, c, "CT-NO-CPU-LIMIT"))
			buf_adds(&b, "--cpus 1 ");
		if ((!c->pids_limit.set || c->pids_limit.v <= 0) && want(fx, c, "CT-NO-PIDS-LIMIT"))
			buf_adds(&b, "--pids-limit 200 ");
		if (restart_bad(c) && want(fx, c, "CT-RESTART-POLICY"))
			buf_adds(&b, "--restart on-failure:5 ");
		if (!buf_ok(&b)) {
			buf_release(&b);
			return ds_oom(&fx->t->err);
		}
		rc = b.n ? add_edit(fx, at, at, arena_strndup(fx->a, buf_str(&b), b.n)) : 0;
		buf_release(&b);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- applying edits and the diff ---- */

static int edit_cmp(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Apply edits [from, to) to data[s0, s1) into out. */
static void apply(struct buf *out, const char *data, size_t s0, size_t s1, const struct edit *e, size_t from, size_t to)
{
	size_t pos = s0, i;

	for (i = from; i < to; i++) {
		buf_add(out, data + pos, e[i].start - pos);
		buf_adds(out, e[i].text);
		pos = e[i].end;
	}
	buf_add(out, data + pos, s1 - pos);
}

static size_t line_of(const struct fixer *fx, size_t off)
{
	size_t lo = 0, hi = fx->nls;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (fx->ls[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static size_t line_end(const struct fixer *fx, size_t line)
{
	return line + 1 < fx->nls ? fx->ls[line + 1] : fx->t->len;
}

/* Split s[0..n) into lines (each with its newline, the last maybe without). */
static size_t split_lines(struct arena *a, const char *s, size_t n, struct str **out)
{
	size_t i, k = 0, cnt = 0, st = 0;

	for (i = 0; i < n; i++)
		cnt += s[i] == '\n';
	cnt += n && s[n - 1] != '\n';
	*out = arena_array(a, cnt ? cnt : 1, sizeof(**out));
	if (!*out)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '\n') {
			(*out)[k++] = str_make(s + st, i + 1 - st);
			st = i + 1;
		}
	if (st < n)
		(*out)[k++] = str_make(s + st, n - st);
	return k;
}

static void diff_line(struct buf *b, char mark, struct str l)
{
	buf_addc(b, mark);
	buf_add(b, l.p, l.n);
	if (!l.n || l.p[l.n - 1] != '\n')
		buf_adds(b, "\n\\ No newline at end of file\n");
}

static bool line_eq(struct str a, struct str b)
{
	return a.n == b.n && !memcmp(a.p, b.p, a.n);
}

/* The changed middle of a block as ' ', '-' and '+' lines: a longest
 * common subsequence keeps unchanged lines between two edits as context.
 * Blocks are a few lines; past 4M cells it falls back to all - then all +. */
static int diff_middle(struct arena *a, struct buf *d, const struct str *o, size_t no, const struct str *n, size_t nn)
{
	uint32_t *L;
	size_t i, j;

	if ((no + 1) * (nn + 1) > (4u << 20)) {
		for (i = 0; i < no; i++)
			diff_line(d, '-', o[i]);
		for (j = 0; j < nn; j++)
			diff_line(d, '+', n[j]);
		return 0;
	}
	L = arena_array(a, (no + 1) * (nn + 1), sizeof(*L));
	if (!L)
		return DS_ENOMEM;
	for (i = no; i-- > 0;)
		for (j = nn; j-- > 0;)
			L[i * (nn + 1) + j] = line_eq(o[i], n[j]) ? L[(i + 1) * (nn + 1) + j + 1] + 1
				: (L[(i + 1) * (nn + 1) + j] > L[i * (nn + 1) + j + 1] ? L[(i + 1) * (nn + 1) + j]
										     : L[i * (nn + 1) + j + 1]);
	i = j = 0;
	while (i < no || j < nn) {
		if (i < no && j < nn && line_eq(o[i], n[j])) {
			diff_line(d, ' ', o[i++]);
			j++;
		} else if (i < no && (j == nn || L[(i + 1) * (nn + 1) + j] >= L[i * (nn + 1) + j + 1])) {
			diff_line(d, '-', o[i++]);
		} else {
			diff_line(d, '+', n[j++]);
		}
	}
	return 0;
}

static int make_diff(struct fixer *fx, const char *name, struct buf *d)
{
	const size_t ctx = 3;
	size_t i = 0;
	long delta = 0;

	while (name[0] == '/')
		name++;
	buf_addf(d, "--- a/%s\n+++ b/%s\n", name, name);
	while (i < fx->n) {
		/* a block: edits whose lines touch or are within 2*ctx lines */
		size_t j = i + 1, l0 = line_of(fx, fx->e[i].start), l1, k;
		size_t e_end = fx->e[i].end > fx->e[i].start ? fx->e[i].end - 1 : fx->e[i].start;
		struct buf nb = BUF_INIT;
		struct str *ol, *nl;
		size_t no, nn, pre = 0, suf = 0, c0, c1;

		l1 = line_of(fx, e_end);
		while (j < fx->n && line_of(fx, fx->e[j].start) <= l1 + 2 * ctx + 1) {
			size_t ee = fx->e[j].end > fx->e[j].start ? fx->e[j].end - 1 : fx->e[j].start;
			if (line_of(fx, ee) > l1)
				l1 = line_of(fx, ee);
			j++;
		}
		if (l1 >= fx->nls)
			l1 = fx->nls - 1;
		apply(&nb, fx->t->data, fx->ls[l0], line_end(fx, l1), fx->e, i, j);
		if (!buf_ok(&nb)) {
			buf_release(&nb);
			return ds_oom(&fx->t->err);
		}
		no = split_lines(fx->a, fx->t->data + fx->ls[l0], line_end(fx, l1) - fx->ls[l0], &ol);
		nn = split_lines(fx->a, buf_str(&nb), nb.n, &nl);
		if (!ol || !nl) {
			buf_release(&nb);
			return ds_oom(&fx->t->err);
		}
		/* trim lines equal at both ends into context */
		while (pre < no && pre < nn && ol[pre].n == nl[pre].n && !memcmp(ol[pre].p, nl[pre].p, ol[pre].n))
			pre++;
		while (suf < no - pre && suf < nn - pre && ol[no - 1 - suf].n == nl[nn - 1 - suf].n &&
		       !memcmp(ol[no - 1 - suf].p, nl[nn - 1 - suf].p, ol[no - 1 - suf].n))
			suf++;
		/* context lines from the original around [l0+pre, l0+no-suf) */
		c0 = l0 + pre >= ctx ? l0 + pre - ctx : 0;
		c1 = l0 + no - suf + ctx;
		if (c1 > fx->nls)
			c1 = fx->nls;
		if (fx->t->len && fx->t->data[fx->t->len - 1] == '\n' && c1 == fx->nls)
			c1 = fx->nls - 1; /* the empty "line" after the final newline */
		{
			size_t oldn = c1 - c0, newn = c1 - c0 - (no - pre - suf) + (nn - pre - suf);
			buf_addf(d, "@@ -%zu,%zu +%ld,%zu @@\n", oldn ? c0 + 1 : c0, oldn,
				 (long)(newn ? c0 + 1 : c0) + delta, newn);
			for (k = c0; k < l0 + pre; k++)
				diff_line(d, ' ', str_make(fx->t->data + fx->ls[k], line_end(fx, k) - fx->ls[k]));
			if (diff_middle(fx->a, d, ol + pre, no - pre - suf, nl + pre, nn - pre - suf))
				return ds_oom(&fx->t->err);
			for (k = l0 + no - suf; k < c1; k++)
				diff_line(d, ' ', str_make(fx->t->data + fx->ls[k], line_end(fx, k) - fx->ls[k]));
			delta += (long)(nn - pre - suf) - (long)(no - pre - suf);
		}
		buf_release(&nb);
		i = j;
	}
	return buf_ok(d) ? 0 : ds_oom(&fx->t->err);
}

/* The notes: guarded fixes (one line each), then the fixes needed but
 * not named, in one line. */
static int finish_notes(struct fixer *fx, struct ct_fix *out)
{
	size_t i;
	const char *sep = "";

	if (fx->unnamed) {
		buf_adds(&fx->notes, "not applied unless named with --fix-rule (they can change what a service may do): ");
		for (i = 0; i < DS_ARRAY_SIZE(fix_class); i++)
			if (fx->unnamed & (1u << i)) {
				buf_addf(&fx->notes, "%s%s", sep, fix_class[i].rule);
				sep = ",";
			}
		buf_addc(&fx->notes, '\n');
	}
	if (!buf_ok(&fx->notes))
		return ds_oom(&fx->t->err);
	out->notes = fx->notes.n ? buf_detach(&fx->notes, NULL) : NULL;
	buf_release(&fx->notes);
	return 0;
}

int ct_fix(struct target *t, const struct ct_file *f, const struct ct_fix_opts *o, struct ct_fix *out)
{
	struct fixer fx;
	struct buf nb = BUF_INIT, d = BUF_INIT;
	size_t i, k;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&fx, 0, sizeof(fx));
	fx.t = t;
	fx.a = &t->arena;
	fx.f = f;
	fx.o = o;
	buf_init(&fx.notes);
	if ((rc = lines_init(&fx)))
		return rc;
	{
		const char *nl = t->data ? memchr(t->data, '\n', t->len) : NULL;
		fx.crlf = nl && nl > t->data && nl[-1] == '\r';
	}
	out->orig_len = t->len;
	out->orig_hash = ct_fix_fingerprint(t->data, t->len);
	if (!strcmp(f->kind ? f->kind : "", "compose"))
		rc = fix_compose(&fx);
	else if (!strcmp(f->kind ? f->kind : "", "kubernetes"))
		rc = ct_k8s_walk(t, fix_container, &fx);
	else
		rc = fix_runs(&fx);
	if (rc || (rc = finish_notes(&fx, out))) {
		buf_release(&fx.notes);
		return t->err.code ? t->err.code : DS_EINTERNAL;
	}
	out->nskipped = fx.skipped;
	if (!fx.n)
		return 0;
	qsort(fx.e, fx.n, sizeof(*fx.e), edit_cmp);
	/* overlapping edits (a value replaced twice through an anchor): keep the first */
	for (i = 1, k = 1; i < fx.n; i++) {
		if (fx.e[i].start < fx.e[k - 1].end ||
		    (fx.e[i].start == fx.e[k - 1].start && fx.e[i].end == fx.e[k - 1].end && fx.e[i].end > fx.e[i].start))
			continue;
		fx.e[k++] = fx.e[i];
	}
	fx.n = k;
	apply(&nb, t->data, 0, t->len, fx.e, 0, fx.n);
	if ((rc = make_diff(&fx, target_display_path(t), &d)) || !buf_ok(&nb)) {
		buf_release(&nb);
		buf_release(&d);
		return rc ? rc : ds_oom(&t->err);
	}
	out->text = buf_detach(&nb, &out->len);
	out->diff = buf_detach(&d, NULL);
	out->nedits = fx.n;
	if (!out->text || !out->diff) {
		ct_fix_release(out);
		return ds_oom(&t->err);
	}
	return 0;
}

uint64_t ct_fix_fingerprint(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ull; /* FNV-1a: a change check, not a defence */
	while (n--)
		h = (h ^ (unsigned char)*p++) * 1099511628211ull;
	return h;
}

void ct_fix_release(struct ct_fix *x)
{
	ds_free(x->text);
	ds_free(x->diff);
	ds_free(x->notes);
	memset(x, 0, sizeof(*x));
}
