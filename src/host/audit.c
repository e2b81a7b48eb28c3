/*
 * audit.c - deciding the CIS checks from the fetched data (see audit.h).
 */
#include "audit.h"

const char *au_status_name(enum ds_status s)
{
	return status_name(s);
}

/* A pattern names a check or a group of whole components: "5.2" is 5.2
 * and 5.2.x but not 5.20; "host" and "host-" both name every host-*
 * check (a pattern ending in a separator is a prefix by itself). */
static bool id_matches(const char *id, const char *pat)
{
	size_t n = strlen(pat);
	if (!n || strncmp(id, pat, n))
		return false;
	return id[n] == 0 || id[n] == '.' || id[n] == '-' || pat[n - 1] == '.' || pat[n - 1] == '-';
}

bool au_selected(const char *id, const char *const *inc, size_t ninc, const char *const *exc, size_t nexc)
{
	size_t i;
	bool in = ninc == 0;

	for (i = 0; i < ninc && !in; i++)
		in = id_matches(id, inc[i]);
	for (i = 0; i < nexc && in; i++)
		in = !id_matches(id, exc[i]);
	return in;
}

const char *au_jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

void au_ev_add(struct au_ev *e, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (e->n++)
		buf_addc(&e->b, '\n');
	/* a line break inside an item (a container named "x\n[PASS] 5.4")
	 * would make it two items: shown as \x0a instead */
	for (char *p = line; *p; p++) {
		if (*p == '\n' || *p == '\r')
			buf_addf(&e->b, "\\x%02x", (unsigned char)*p);
		else
			buf_addc(&e->b, *p);
	}
}

/* 5.x decided by the container rules: findings carrying docker-bench:ID. */
static int by_rules(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e)
{
	char ref[32];
	size_t i, k = 0;
	bool mapped = false;

	snprintf(ref, sizeof(ref), "docker-bench:%s", r->rule->id);
	for (i = 0; i < rules_count(); i++)
		mapped |= rule_has_ref(rules_at(i), ref) && !strcmp(rules_at(i)->domain, "container");
	if (!mapped)
		return 0;
	for (i = 0; i < d->t->nfindings; i++)
		if (rule_has_ref(d->t->findings[i].rule, ref))
			k++;
	r->items = k ? arena_array(a, k, sizeof(*r->items)) : NULL;
	if (k && !r->items)
		return DS_ENOMEM;
	for (i = 0; i < d->t->nfindings; i++) {
		const struct finding *f = &d->t->findings[i];
		if (!rule_has_ref(f->rule, ref))
			continue;
		r->items[r->nitems++] = f;
		au_ev_add(e, "%s: %s", f->context ? f->context : "?", f->message);
	}
	r->status = k ? AU_WARN : AU_PASS;
	if (!k)
		au_ev_add(e, "%zu container%s checked", d->f->n, d->f->n == 1 ? "" : "s");
	return 1;
}

static void swarm(const struct au_data *d, struct au_result *r, struct au_ev *e)
{
	const char *state = au_jstr(json_object_get(d->info, "Swarm"), "LocalNodeState");

	r->status = state && !strcmp(state, "active") ? AU_WARN : AU_PASS;
	au_ev_add(e, "Swarm.LocalNodeState = %s", state ? state : "(absent)");
}

/* An answer the snapshot could not get ({"error": ...}), or NULL. */
static const char *unread(json_t *j)
{
	return json_is_object(j) ? au_jstr(j, "error") : NULL;
}

/* A check that found nothing wrong but could not read all it needed is
 * ERROR, not PASS. */
static void pass_unless_unread(struct au_result *r, size_t nunread)
{
	if (r->status == AU_PASS && nunread)
		r->status = AU_ERROR;
}

/* 5.7: a process named sshd in a running container's /top. */
static void sshd(const struct au_data *d, struct au_result *r, struct au_ev *e)
{
	size_t i, k, running = 0, nunread = 0;
	json_t *row;

	r->status = AU_PASS;
	for (i = 0; i < d->f->n; i++) {
		json_t *top = d->top ? d->top[i] : NULL, *titles;
		size_t col = 0;
		if (!top)
			continue;
		running++;
		if (unread(top)) {
			nunread++;
			au_ev_add(e, "%s: processes not read: %s", d->f->c[i]->name, unread(top));
			continue;
		}
		titles = json_object_get(top, "Titles");
		for (k = 0; k < json_array_size(titles); k++) {
			const char *title = json_string_value(json_array_get(titles, k));
			if (title && (!strcmp(title, "CMD") || !strcmp(title, "COMMAND")))
				col = k;
		}
		json_array_foreach(json_object_get(top, "Processes"), k, row) {
			const char *cmd = json_string_value(json_array_get(row, col));
			if (cmd && (strstr(cmd, "sshd ") || !strcmp(cmd, "sshd") || strstr(cmd, "/sshd"))) {
				r->status = AU_WARN;
				au_ev_add(e, "%s: runs %s", d->f->c[i]->name, cmd);
			}
		}
	}
	if (r->status == AU_PASS)
		au_ev_add(e, "%zu running container%s: no sshd", running - nunread, running - nunread == 1 ? "" : "s");
	pass_unless_unread(r, nunread);
}

/* 5.23 / 5.24: exec sessions started privileged or as root. */
static void execs(const struct au_data *d, struct au_result *r, struct au_ev *e, bool root)
{
	size_t i, k, n = 0, nunread = 0;
	json_t *x;

	r->status = AU_PASS;
	for (i = 0; i < d->f->n; i++) {
		json_array_foreach(d->execs ? d->execs[i] : NULL, k, x) {
			json_t *pc = json_object_get(x, "ProcessConfig");
			const char *user = au_jstr(pc, "user");
			if (unread(x)) {
				nunread++;
				au_ev_add(e, "%s: exec session not read: %s", d->f->c[i]->name, unread(x));
				continue;
			}
			n++;
			if (!root && json_is_true(json_object_get(pc, "privileged"))) {
				r->status = AU_WARN;
				au_ev_add(e, "%s: exec %s is privileged", d->f->c[i]->name, au_jstr(x, "ID") ? au_jstr(x, "ID") : "?");
			}
			if (root && user && (!strcmp(user, "root") || !strcmp(user, "0") || !strncmp(user, "0:", 2))) {
				r->status = AU_WARN;
				au_ev_add(e, "%s: exec %s runs as %s", d->f->c[i]->name, au_jstr(x, "ID") ? au_jstr(x, "ID") : "?", user);
			}
		}
	}
	if (r->status == AU_PASS)
		au_ev_add(e, "%zu exec session%s recorded", n, n == 1 ? "" : "s");
	pass_unless_unread(r, nunread);
}

/* Checks about dockerd itself, which Podman does not have: its daemon
 * configuration (section 2), audit rules and files of dockerd's units and
 * binaries (1.1.3-1.1.18, section 3 but the audited socket), swarm (7).
 * The container, image and host checks apply through the compatible API. */
static const char *podman_na(const char *id)
{
	static const char *const socket_checks[] = {"3.15", "3.16"};
	size_t i;

	if (!strncmp(id, "1.1.", 4) && strcmp(id, "1.1.1") && strcmp(id, "1.1.2"))
		return "audit rules for dockerd's files";
	if (id[0] == '2' && id[1] == '.')
		return "dockerd's configuration (Podman reads containers.conf)";
	if (id[0] == '3' && id[1] == '.') {
		for (i = 0; i < DS_ARRAY_SIZE(socket_checks); i++)
			if (!strcmp(id, socket_checks[i]))
				return NULL;
		return "dockerd's files";
	}
	if (id[0] == '7' && id[1] == '.')
		return "Docker swarm mode";
	return NULL;
}

void au_host_prefetch(const struct au_data *d, struct arena *a, struct au_host *h)
{
	au_host_load(d, a, h);
	if (!d->remote) {
		au_fw_prefetch(d, h, a);
		au_net_prefetch(d, h, a);
	}
}

/* Section 5 reads the containers: offline it says so. */
static bool containers(struct au_ctx *c)
{
	c->decided = true;
	if (!c->d->info)
		au_ev_add(c->e, "needs the Engine API (offline audit of %s)", c->d->root ? c->d->root : "a root");
	return c->d->info != NULL;
}

/* Most 5.x checks: the container rules' findings that carry the row's
 * docker-bench id (CT-PRIVILEGED for 5.5). */
void au_c_container_rules(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	int rc;

	(void)rule;
	if (!containers(c))
		return;
	if ((rc = by_rules(c->d, c->a, c->r, c->e)) < 0)
		c->rc = rc;
	else
		c->decided = rc > 0;
}

void au_c_swarm_mode(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;

	(void)rule;
	if (containers(c))
		swarm(c->d, c->r, c->e);
}

void au_c_container_sshd(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;

	(void)rule;
	if (containers(c))
		sshd(c->d, c->r, c->e);
}

void au_c_exec_privileged(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;

	(void)rule;
	if (containers(c))
		execs(c->d, c->r, c->e, false);
}

void au_c_exec_root(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;

	(void)rule;
	if (containers(c))
		execs(c->d, c->r, c->e, true);
}

/* 5.25: a container in a cgroup of its own choosing, to confirm. */
void au_c_cgroup_confirmed(void *ctx, const struct rule *rule)
{
	struct au_ctx *c = ctx;
	const struct au_data *d = c->d;
	size_t j;

	(void)rule;
	if (!containers(c))
		return;
	c->r->status = AU_PASS;
	for (j = 0; j < d->f->n; j++)
		if (d->f->c[j]->cgroup_parent.v) {
			c->r->status = AU_WARN;
			au_ev_add(c->e, "%s: cgroup parent %s (confirm it is intended)", d->f->c[j]->name,
				  d->f->c[j]->cgroup_parent.v);
		}
	if (c->r->status == AU_PASS)
		au_ev_add(c->e, "%zu containers in the default cgroup", d->f->n);
}

static const struct au_module *const mods[] = {&au_ssh, &au_esc, &au_net, &au_upd, &au_iso, &au_fw, &au_vul};

void au_register(void)
{
	size_t m;

	au_esc_make_rows();
	rules_register(au_cis, au_cis_n);
	for (m = 0; m < DS_ARRAY_SIZE(mods); m++)
		rules_register(mods[m]->defs, mods[m]->n);
}

/* CIS checks that read this host's files (audit rules, groups, partitions,
 * dockerd's files): a remote daemon's are on its own host. */
static const char *remote_na(const char *id)
{
	if (!strncmp(id, "1.1.", 4))
		return "this host's audit rules, partitions and groups do not describe it";
	if (id[0] == '3' && id[1] == '.')
		return "its files are on its host, not this one";
	return NULL;
}

/* One check: its row's function decides, unless it cannot apply here. */
static int decide_one(const struct au_data *d, struct au_host *h, struct arena *a, const struct rule *rule,
		      struct au_result *r)
{
	struct au_ev e = {BUF_INIT, 0};
	struct au_ctx c = {d, h, a, r, &e, false, 0};
	bool cis = !strcmp(rule->domain, "cis");

	memset(r, 0, sizeof(*r));
	r->rule = rule;
	r->severity = rule->severity;
	r->status = AU_SKIP;
	r->loc.kind = LOC_NONE;
	if (d->podman && cis && podman_na(rule->id)) {
		au_ev_add(&e, "does not apply to Podman: %s", podman_na(rule->id));
	} else if (d->remote && cis && remote_na(rule->id)) {
		au_ev_add(&e, "the daemon is remote: %s (run docksec audit there, or with --root on its mounted root)",
			  remote_na(rule->id));
	} else {
		if (!cis && !h->loaded)
			au_host_load(d, a, h);
		if (rule->fn)
			rule->fn(&c, rule);
		if (c.rc) {
			buf_release(&e.b);
			return c.rc;
		}
		if (!c.decided && (rule->flags & RULE_MANUAL)) {
			r->status = AU_NOTE;
			au_ev_add(&e, "manual check: review by hand");
		} else if (!c.decided) {
			r->status = AU_SKIP;
			au_ev_add(&e, "not decided by this build of docksec audit");
		}
	}
	if (!buf_ok(&e.b) || !(r->message = arena_strndup(a, buf_str(&e.b), e.b.n))) {
		buf_release(&e.b);
		return DS_ENOMEM;
	}
	buf_release(&e.b);
	return 0;
}

int au_run(const struct au_data *d, struct arena *a, const char *const *include, size_t ninclude,
	   const char *const *exclude, size_t nexclude, struct au_result **out, size_t *n)
{
	struct au_result *res;
	struct au_host local = {0}, *h = d->host ? d->host : &local;
	size_t i, k = 0, m, total = au_cis_n;
	int rc;

	au_esc_make_rows(); /* registered already in docksec; a library caller may not have */
	for (m = 0; m < DS_ARRAY_SIZE(mods); m++)
		total += mods[m]->n;
	res = arena_array(a, total, sizeof(*res));
	if (!res)
		return DS_ENOMEM;
	for (m = 0; m <= DS_ARRAY_SIZE(mods); m++) {
		const struct rule *tbl = m ? mods[m - 1]->defs : au_cis;
		size_t ntbl = m ? mods[m - 1]->n : au_cis_n;
		for (i = 0; i < ntbl; i++) {
			if (!au_selected(tbl[i].id, include, ninclude, exclude, nexclude))
				continue;
			if ((rc = decide_one(d, h, a, &tbl[i], &res[k])))
				return rc;
			k++;
		}
	}
	*out = res;
	*n = k;
	return 0;
}
