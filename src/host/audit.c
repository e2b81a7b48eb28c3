/*
 * audit.c - deciding the CIS checks from the fetched data (see audit.h).
 */
#include "audit.h"

static const char *const status_names[] = {"PASS", "WARN", "INFO", "NOTE", "SKIP"};

const char *au_status_name(enum au_status s)
{
	return (unsigned)s < DS_ARRAY_SIZE(status_names) ? status_names[s] : "?";
}

static bool id_matches(const char *id, const char *pat)
{
	size_t n = strlen(pat);
	return !strncmp(id, pat, n) && (id[n] == 0 || id[n] == '.' || id[n] == '-');
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
	buf_adds(&e->b, line);
}

/* 5.x decided by the container rules: findings carrying docker-bench:ID. */
static int by_rules(const struct au_data *d, struct arena *a, struct au_result *r, struct au_ev *e)
{
	char ref[32];
	size_t i, k = 0;
	bool mapped = false;

	snprintf(ref, sizeof(ref), "docker-bench:%s", r->def->id);
	for (i = 0; i < rules_count(); i++)
		mapped |= rule_has_ref(rules_at(i), ref) && !strcmp(rules_at(i)->domain, "container");
	if (!mapped)
		return 0;
	for (i = 0; i < d->t->nfindings; i++)
		if (rule_has_ref(d->t->findings[i].rule, ref))
			k++;
	r->findings = k ? arena_array(a, k, sizeof(*r->findings)) : NULL;
	if (k && !r->findings)
		return DS_ENOMEM;
	for (i = 0; i < d->t->nfindings; i++) {
		const struct finding *f = &d->t->findings[i];
		if (!rule_has_ref(f->rule, ref))
			continue;
		r->findings[r->nfindings++] = f;
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

/* 5.7: a process named sshd in a running container's /top. */
static void sshd(const struct au_data *d, struct au_result *r, struct au_ev *e)
{
	size_t i, k, running = 0;
	json_t *row;

	r->status = AU_PASS;
	for (i = 0; i < d->f->n; i++) {
		json_t *top = d->top ? d->top[i] : NULL, *titles;
		size_t col = 0;
		if (!top)
			continue;
		running++;
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
		au_ev_add(e, "%zu running container%s: no sshd", running, running == 1 ? "" : "s");
}

/* 5.23 / 5.24: exec sessions started privileged or as root. */
static void execs(const struct au_data *d, struct au_result *r, struct au_ev *e, bool root)
{
	size_t i, k, n = 0;
	json_t *x;

	r->status = AU_PASS;
	for (i = 0; i < d->f->n; i++) {
		json_array_foreach(d->execs ? d->execs[i] : NULL, k, x) {
			json_t *pc = json_object_get(x, "ProcessConfig");
			const char *user = au_jstr(pc, "user");
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

int au_run(const struct au_data *d, struct arena *a, const char *const *include, size_t ninclude,
	   const char *const *exclude, size_t nexclude, struct au_result **out, size_t *n)
{
	static const struct au_module *const mods[] = {&au_ssh, &au_esc, &au_net, &au_upd, &au_iso, &au_fw};
	struct au_result *res;
	struct au_host local = {0}, *h = d->host ? d->host : &local;
	size_t i, k = 0, m, total = au_cis_n, first = au_cis_n;
	int rc;

	for (m = 0; m < DS_ARRAY_SIZE(mods); m++)
		total += mods[m]->n;
	res = arena_array(a, total, sizeof(*res));
	if (!res)
		return DS_ENOMEM;
	for (i = 0, m = 0; i < total; i++) {
		const struct au_def *def;
		struct au_result *r = &res[k];
		struct au_ev e = {BUF_INIT, 0};

		while (i >= au_cis_n && i - first >= mods[m]->n) /* the module this id belongs to */
			first += mods[m++]->n;
		def = i < au_cis_n ? &au_cis[i] : &mods[m]->defs[i - first];

		if (!au_selected(def->id, include, ninclude, exclude, nexclude))
			continue;
		memset(r, 0, sizeof(*r));
		r->def = def;
		r->status = AU_SKIP;
		if (d->podman && i < au_cis_n && podman_na(def->id)) {
			au_ev_add(&e, "does not apply to Podman: %s", podman_na(def->id));
		} else if (i >= au_cis_n) {
			if (!h->loaded)
				au_host_load(d, a, h);
			if (!mods[m]->check(d, h, a, r, &e))
				au_ev_add(&e, "not decided by this build of docksec audit");
		} else if (!d->info && (def->id[0] == '5' || def->id[0] == '6' || def->id[0] == '7')) {
			au_ev_add(&e, "needs the Engine API (offline audit of %s)", d->root ? d->root : "a root");
		} else if (!strcmp(def->id, "5.1")) {
			swarm(d, r, &e);
		} else if (!strcmp(def->id, "5.25")) {
			size_t j;
			r->status = AU_PASS;
			for (j = 0; j < d->f->n; j++)
				if (d->f->c[j]->cgroup_parent.v) {
					r->status = AU_WARN;
					au_ev_add(&e, "%s: cgroup parent %s (confirm it is intended)", d->f->c[j]->name,
						  d->f->c[j]->cgroup_parent.v);
				}
			if (r->status == AU_PASS)
				au_ev_add(&e, "%zu containers in the default cgroup", d->f->n);
		} else if (!strcmp(def->id, "5.7")) {
			sshd(d, r, &e);
		} else if (!strcmp(def->id, "5.23") || !strcmp(def->id, "5.24")) {
			execs(d, r, &e, !strcmp(def->id, "5.24"));
		} else if (def->id[0] == '5' && (rc = by_rules(d, a, r, &e)) != 0) {
			if (rc < 0) {
				buf_release(&e.b);
				return rc;
			}
		} else if (def->id[0] != '5' && au_host_check(d, a, r, &e)) {
			/* decided in checks.c */
		} else if (!def->automated) {
			r->status = AU_NOTE;
			au_ev_add(&e, "manual check: review by hand");
		} else {
			au_ev_add(&e, "not decided by this build of docksec audit");
		}
		if (!buf_ok(&e.b) || !(r->evidence = arena_strndup(a, buf_str(&e.b), e.b.n))) {
			buf_release(&e.b);
			return DS_ENOMEM;
		}
		buf_release(&e.b);
		k++;
	}
	*out = res;
	*n = k;
	return 0;
}
