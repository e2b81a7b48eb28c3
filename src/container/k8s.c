/*
 * k8s.c - the Kubernetes front-end and the Pod Security Standards level.
 *
 * A manifest stream may hold many documents, each a workload, a List of
 * them, or something without containers (Service, ConfigMap...), which is
 * skipped. The pod spec is found where each kind keeps it (Pod: spec;
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
 * Job, PodTemplate and custom kinds with a pod template:
 * spec.template.spec; CronJob: spec.jobTemplate.spec.template.spec).
 *
 * Every container (initContainers and ephemeralContainers too) becomes a
 * struct ct_container: the pod's securityContext is applied first and the
 * container's on top, which is how the kubelet merges them; hostPath
 * volumes become bind mounts where a volumeMount uses them; the AppArmor
 * annotation counts as the field that replaced it, the seccomp ones
 * (ignored by Kubernetes since 1.27) as nothing.
 *
 * ct_pss() then decides the Pod Security Standards level each container
 * meets (privileged < baseline < restricted, as in the upstream policy
 * definitions of v1.30) and names the first control it misses.
 */
#include "check.h"
#include "yaml.h"

struct kp {
	struct target *t;
	struct ct_file *f;
	struct yd y;
	struct arena *a;
	/* called for every container node: container() builds the model,
	 * the fixer (ct_k8s_walk) edits the text */
	int (*each)(struct kp *k, const char *workload, yaml_node_t *spec, yaml_node_t *meta, yaml_node_t *cn,
		    const char *section);
	ct_k8s_fn fn;
	void *ctx;
};

static const char *sval(struct kp *k, yaml_node_t *n)
{
	return yd_is_scalar(n) ? yd_str(&k->y, n) : NULL;
}

static yaml_node_t *get(struct kp *k, yaml_node_t *m, const char *key)
{
	return yd_get(&k->y, m, key);
}

static yaml_node_t *path(struct kp *k, yaml_node_t *m, const char *const *keys)
{
	for (; *keys && m; keys++)
		m = get(k, m, *keys);
	return m;
}

static void bool_field(struct ct_bool *b, yaml_node_t *n)
{
	bool v;

	if (n && yd_bool(n, &v)) {
		b->set = true;
		b->v = v;
		b->at = yd_src(n);
	}
}

static const char *const sc_keys[] = {
	"runAsUser", "runAsGroup", "runAsNonRoot", "seccompProfile", "appArmorProfile", "seLinuxOptions",
	"sysctls", "privileged", "readOnlyRootFilesystem", "allowPrivilegeEscalation", "procMount",
	"capabilities", "windowsOptions", "fsGroup", "fsGroupChangePolicy", "supplementalGroups",
	"supplementalGroupsPolicy", "seLinuxChangePolicy",
};

/* securityContext fields shared by pod and container levels. Keys the
 * API does not define are kept as unknown: a typo such as
 * `readOnlyRootFileSystem` silently leaves the root filesystem writable. */
static int sec_context(struct kp *k, struct ct_container *c, yaml_node_t *sc, bool container)
{
	struct yd_pair *ps;
	size_t np, i;
	yaml_node_t *x;
	const char *s;
	int rc;

	if (!sc || yd_is_null(sc))
		return 0;
	if (!yd_is_map(sc))
		return yd_bad(&k->y, sc, "expected a mapping for securityContext");
	if ((rc = yd_pairs(&k->y, sc, &ps, &np)))
		return rc;
	for (i = 0; i < np; i++) {
		size_t j = 0;
		while (j < DS_ARRAY_SIZE(sc_keys) && strcmp(sc_keys[j], ps[i].key)) /* case matters to the API */
			j++;
		if (j == DS_ARRAY_SIZE(sc_keys) &&
		    ct_list_add(k->a, &c->unknown, arena_printf(k->a, "securityContext key %s", ps[i].key),
				yd_src(ps[i].k)))
			return ds_oom(&k->t->err);
	}
	if ((x = get(k, sc, "runAsUser")) && (s = sval(k, x))) {
		c->user.v = s;
		c->user.at = yd_src(x);
	}
	if ((x = get(k, sc, "runAsGroup")) && (s = sval(k, x))) {
		char *end;
		long long g = strtoll(s, &end, 10);
		if (!*end && end != s) {
			c->run_as_group.set = true;
			c->run_as_group.v = g;
			c->run_as_group.at = yd_src(x);
		}
	}
	bool_field(&c->run_as_non_root, get(k, sc, "runAsNonRoot"));
	if ((x = get(k, get(k, sc, "seccompProfile"), "type")) && (s = sval(k, x))) {
		/* the API takes these three, case and all; any other value is
		 * refused, so it is no profile: reported, not counted */
		if (!strcmp(s, "RuntimeDefault") || !strcmp(s, "Localhost") || !strcmp(s, "Unconfined")) {
			c->seccomp.v = !strcmp(s, "Unconfined") ? "unconfined" : s;
			c->seccomp.at = yd_src(x);
		} else if (ct_list_add(k->a, &c->unknown,
				       arena_printf(k->a, "seccompProfile.type %s (the API takes RuntimeDefault, Localhost "
							  "or Unconfined)", s), yd_src(x))) {
			return ds_oom(&k->t->err);
		}
	}
	if ((x = get(k, get(k, sc, "appArmorProfile"), "type")) && (s = sval(k, x))) {
		c->apparmor.v = !strcmp(s, "Unconfined") ? "unconfined" : s;
		c->apparmor.at = yd_src(x);
	}
	if ((x = get(k, get(k, sc, "seLinuxOptions"), "type")) && (s = sval(k, x)) && !strcmp(s, "spc_t")) {
		c->label_disable.set = c->label_disable.v = true;
		c->label_disable.at = yd_src(x);
	} else if (x && s && strcmp(s, "container_t") && strcmp(s, "container_init_t") && strcmp(s, "container_kvm_t")) {
		c->selinux_custom.v = arena_printf(k->a, "type %s", s);
		c->selinux_custom.at = yd_src(x);
	}
	{
		static const char *const who[] = {"user", "role"};
		for (i = 0; i < DS_ARRAY_SIZE(who); i++)
			if ((x = get(k, get(k, sc, "seLinuxOptions"), who[i])) && (s = sval(k, x)) && *s) {
				c->selinux_custom.v = arena_printf(k->a, "%s %s", who[i], s);
				c->selinux_custom.at = yd_src(x);
			}
	}
	if (!container) {
		yaml_node_t *sys = get(k, sc, "sysctls"), *sg = get(k, sc, "supplementalGroups");
		/* GID 0 as a supplementary group of every process (fsGroup is one too) */
		for (i = 0; i < yd_len(sg); i++) {
			yaml_node_t *it = yd_item(&k->y, sg, i);
			if ((s = sval(k, it)) && !strcmp(s, "0") && ct_list_add(k->a, &c->group_add, "0", yd_src(it)))
				return ds_oom(&k->t->err);
		}
		if ((x = get(k, sc, "fsGroup")) && (s = sval(k, x)) && !strcmp(s, "0") &&
		    ct_list_add(k->a, &c->group_add, "0", yd_src(x)))
			return ds_oom(&k->t->err);
		for (i = 0; i < yd_len(sys); i++) {
			yaml_node_t *it = yd_item(&k->y, sys, i);
			const char *name = sval(k, get(k, it, "name"));
			if (name && ct_kvs_set(k->a, &c->sysctls, name, sval(k, get(k, it, "value")), yd_src(it)))
				return ds_oom(&k->t->err);
		}
		return 0;
	}
	bool_field(&c->privileged, get(k, sc, "privileged"));
	bool_field(&c->read_only, get(k, sc, "readOnlyRootFilesystem"));
	if ((x = get(k, sc, "allowPrivilegeEscalation"))) {
		bool v;
		if (yd_bool(x, &v)) {
			c->no_new_privs.set = true;
			c->no_new_privs.v = !v;
			c->no_new_privs.at = yd_src(x);
		}
	}
	if ((x = get(k, sc, "procMount")) && (s = sval(k, x))) {
		c->proc_mount.v = s;
		c->proc_mount.at = yd_src(x);
	}
	{
		yaml_node_t *caps = get(k, sc, "capabilities");
		const char *const which[] = {"add", "drop"};
		size_t w;
		for (w = 0; w < 2; w++) {
			yaml_node_t *l = get(k, caps, which[w]);
			for (i = 0; i < yd_len(l); i++) {
				yaml_node_t *it = yd_item(&k->y, l, i);
				if ((s = sval(k, it)) &&
				    ct_list_add(k->a, w ? &c->cap_drop : &c->cap_add, ct_cap_norm(k->a, s), yd_src(it)))
					return ds_oom(&k->t->err);
			}
		}
	}
	return 0;
}

static yaml_node_t *find_volume(struct kp *k, yaml_node_t *vols, const char *name)
{
	size_t i;

	for (i = 0; i < yd_len(vols); i++) {
		yaml_node_t *v = yd_item(&k->y, vols, i);
		const char *n = sval(k, get(k, v, "name"));
		if (n && !strcmp(n, name))
			return v;
	}
	return NULL;
}

/* The volume source types PSS restricted allows (hostPath is judged on
 * its own); NULL for those, else the type of v. */
static const char *volume_type(struct kp *k, yaml_node_t *v)
{
	static const char *const core[] = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
					   "persistentVolumeClaim", "projected", "secret", "hostPath"};
	struct yd_pair *pr;
	size_t n, i;

	if (!yd_is_map(v) || yd_pairs(&k->y, v, &pr, &n))
		return NULL;
	for (i = 0; i < n; i++)
		if (pr[i].key && strcmp(pr[i].key, "name") && !ct_in(core, DS_ARRAY_SIZE(core), pr[i].key))
			return pr[i].key;
	return NULL;
}

static int container(struct kp *k, const char *workload, yaml_node_t *spec, yaml_node_t *meta, yaml_node_t *cn,
		     const char *section)
{
	struct ct_container *c;
	const char *name = sval(k, get(k, cn, "name")), *s;
	yaml_node_t *x, *psc = get(k, spec, "securityContext"), *vols = get(k, spec, "volumes");
	size_t i;
	int rc;

	if (!yd_is_map(cn))
		return yd_bad(&k->y, cn, "expected a mapping for a container in %s", section);
	if (k->f->n >= CT_MAX_CONTAINERS)
		return ds_err_set(&k->t->err, DS_ELIMIT, target_display_path(k->t), 0, 0, "more than %d containers",
				  CT_MAX_CONTAINERS);
	c = ct_new(k->a, k->f, CT_FROM_K8S,
		   !strcmp(section, "containers")
			   ? arena_printf(k->a, "%s: %s", workload, name ? name : "?")
			   : arena_printf(k->a, "%s: %s (%.*s)", workload, name ? name : "?",
					  (int)strlen(section) - 1, section),
		   (int)cn->start_mark.line + 1, (int)cn->start_mark.column + 1);
	if (!c || !c->name)
		return ds_oom(&k->t->err);
	c->workload = workload;
	c->ephemeral = !strcmp(section, "ephemeralContainers");
	if ((x = get(k, cn, "image")) && (s = sval(k, x))) {
		c->image.v = s;
		c->image.at = yd_src(x);
	}
	if ((x = get(k, cn, "imagePullPolicy")) && (s = sval(k, x))) {
		c->pull_policy.v = s;
		c->pull_policy.at = yd_src(x);
	}
	/* pod level */
	{
		const char *const ns[] = {"hostNetwork", "hostPID", "hostIPC"};
		struct ct_str *f[] = {&c->network_mode, &c->pid_mode, &c->ipc_mode};
		bool b;
		for (i = 0; i < 3; i++) {
			if (!(x = get(k, spec, ns[i])))
				continue;
			if (!yd_bool(x, &b) || !yd_is_scalar(x) || x->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
				/* "true" quoted is a string: the API refuses the pod */
				if (ct_list_add(k->a, &c->unknown, arena_printf(k->a, "%s is not a boolean", ns[i]), yd_src(x)))
					return ds_oom(&k->t->err);
			} else if (b) {
				f[i]->v = "host";
				f[i]->at = yd_src(x);
			}
		}
		for (i = 0; i < yd_len(vols); i++) {
			yaml_node_t *v = yd_item(&k->y, vols, i);
			const char *type = volume_type(k, v);
			if (get(k, v, "hostPath")) {
				c->pod_host_path.v = sval(k, get(k, v, "name")) ? sval(k, get(k, v, "name")) : "?";
				c->pod_host_path.at = yd_src(v);
			} else if (type && !c->noncore_volume.v) {
				const char *vn = sval(k, get(k, v, "name"));
				c->noncore_volume.v = arena_printf(k->a, "%s (%s)", vn ? vn : "?", type);
				c->noncore_volume.at = yd_src(v);
			}
		}
		/* hostUsers: false gives the pod its own user namespace; true
		 * (the default) written out is the host's, as --userns=host */
		if ((x = get(k, spec, "hostUsers"))) {
			if (!yd_bool(x, &b) || x->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
				if (ct_list_add(k->a, &c->unknown, "hostUsers is not a boolean", yd_src(x)))
					return ds_oom(&k->t->err);
			} else if (b) {
				c->userns_mode.v = "host";
				c->userns_mode.at = yd_src(x);
			}
		}
		x = get(k, spec, "hostAliases");
		for (i = 0; i < yd_len(x); i++) {
			yaml_node_t *it = yd_item(&k->y, x, i);
			const char *ip = sval(k, get(k, it, "ip"));
			if (ct_list_add(k->a, &c->host_aliases, ip ? ip : "?", yd_src(it)))
				return ds_oom(&k->t->err);
		}
	}
	bool_field(&c->automount_token, get(k, spec, "automountServiceAccountToken"));
	if ((rc = sec_context(k, c, psc, false)))
		return rc;
	/* annotations (pod template metadata) */
	{
		yaml_node_t *ann = get(k, meta, "annotations");
		char key[300];
		if (name) {
			snprintf(key, sizeof(key), "container.apparmor.security.beta.kubernetes.io/%s", name);
			if ((x = get(k, ann, key)) && (s = sval(k, x))) {
				/* runtime/default, localhost/NAME, unconfined: anything else
				 * is refused by the API, reported and not counted */
				if (!strcmp(s, "runtime/default") || !strncmp(s, "localhost/", 10) || !strcmp(s, "unconfined")) {
					c->apparmor.v = s;
					c->apparmor.at = yd_src(x);
				} else if (ct_list_add(k->a, &c->unknown,
						       arena_printf(k->a, "AppArmor annotation %s (the API takes runtime/default, "
									  "localhost/NAME or unconfined)", s), yd_src(x))) {
					return ds_oom(&k->t->err);
				}
			}
		}
		/* the seccomp annotations are ignored since Kubernetes 1.27
		 * (seccompProfile replaced them): they set no profile */
	}
	if ((rc = sec_context(k, c, get(k, cn, "securityContext"), true)))
		return rc;
	/* resources */
	{
		yaml_node_t *lim = get(k, get(k, cn, "resources"), "limits");
		yaml_node_t *req = get(k, get(k, cn, "resources"), "requests");
		int64_t v;
		/* a limit without a request is the request too (the API defaults it) */
		if ((x = get(k, req, "cpu")) || (x = get(k, lim, "cpu"))) {
			c->cpu_request.set = c->cpu_request.v = true;
			c->cpu_request.at = yd_src(x);
		}
		if ((x = get(k, req, "memory")) || (x = get(k, lim, "memory"))) {
			c->mem_request.set = c->mem_request.v = true;
			c->mem_request.at = yd_src(x);
		}
		if ((x = get(k, lim, "memory")) && (s = sval(k, x)) && ct_parse_bytes(s, &v)) {
			c->memory.set = true;
			c->memory.v = v;
			c->memory.at = yd_src(x);
		}
		if ((x = get(k, lim, "cpu")) && (s = sval(k, x)) && ct_parse_cpus(s, &v)) {
			c->nano_cpus.set = true;
			c->nano_cpus.v = v;
			c->nano_cpus.at = yd_src(x);
		}
	}
	/* probes */
	{
		const char *const probes[] = {"livenessProbe", "readinessProbe", "startupProbe"};
		for (i = 0; i < 3; i++)
			if ((x = get(k, cn, probes[i]))) {
				c->healthcheck.set = c->healthcheck.v = true;
				c->healthcheck.at = yd_src(x);
			}
		if (strcmp(section, "containers")) { /* init containers run to completion */
			c->healthcheck.set = c->healthcheck.v = true;
		}
	}
	/* ports */
	x = get(k, cn, "ports");
	for (i = 0; i < yd_len(x); i++) {
		yaml_node_t *it = yd_item(&k->y, x, i), *hp = get(k, it, "hostPort"), *cp = get(k, it, "containerPort");
		struct ct_port *p;
		unsigned long u;
		if (!hp)
			continue;
		if (!(p = ct_port_add(k->a, c)))
			return ds_oom(&k->t->err);
		p->at = yd_src(hp);
		p->proto = "TCP";
		p->published = true;
		if ((s = sval(k, hp)) && str_to_ulong(str_cstr(s), 65535, &u))
			p->host_lo = p->host_hi = (unsigned)u;
		if ((s = sval(k, cp)) && str_to_ulong(str_cstr(s), 65535, &u))
			p->ct_lo = p->ct_hi = (unsigned)u;
		if ((s = sval(k, get(k, it, "hostIP"))))
			p->host_ip = s;
		if (!p->host_lo)
			p->published = false;
	}
	/* env */
	x = get(k, cn, "env");
	for (i = 0; i < yd_len(x); i++) {
		yaml_node_t *it = yd_item(&k->y, x, i), *v = get(k, it, "value");
		const char *n = sval(k, get(k, it, "name"));
		if (n && v && ct_kvs_add(k->a, &c->env, n, sval(k, v), yd_src(v)))
			return ds_oom(&k->t->err);
		if (n && (v = get(k, get(k, it, "valueFrom"), "secretKeyRef")) &&
		    ct_list_add(k->a, &c->secret_env, n, yd_src(v)))
			return ds_oom(&k->t->err);
	}
	x = get(k, cn, "envFrom");
	for (i = 0; i < yd_len(x); i++) {
		yaml_node_t *it = yd_item(&k->y, x, i), *ref = get(k, it, "secretRef");
		const char *n = sval(k, get(k, ref, "name"));
		if (ref && ct_list_add(k->a, &c->secret_env, arena_printf(k->a, "all of Secret %s", n ? n : "?"),
				       yd_src(ref)))
			return ds_oom(&k->t->err);
	}
	/* volume mounts */
	x = get(k, cn, "volumeMounts");
	for (i = 0; i < yd_len(x); i++) {
		yaml_node_t *it = yd_item(&k->y, x, i), *vol, *hp;
		const char *vn = sval(k, get(k, it, "name"));
		struct ct_mount *m;
		bool b;
		if (!vn || !(vol = find_volume(k, vols, vn)))
			continue;
		if (!(m = ct_mount_add(k->a, c)))
			return ds_oom(&k->t->err);
		m->at = yd_src(it);
		m->target = sval(k, get(k, it, "mountPath"));
		m->propagation = sval(k, get(k, it, "mountPropagation"));
		if (yd_bool(get(k, it, "readOnly"), &b))
			m->read_only = b;
		if ((hp = get(k, vol, "hostPath"))) {
			m->type = CT_MOUNT_BIND;
			m->source = sval(k, get(k, hp, "path"));
		} else if (get(k, vol, "emptyDir") && yd_is_map(get(k, vol, "emptyDir")) &&
			   (s = sval(k, get(k, get(k, vol, "emptyDir"), "medium"))) && !strcmp(s, "Memory")) {
			m->type = CT_MOUNT_TMPFS;
		} else {
			m->type = CT_MOUNT_VOLUME;
			m->source = vn;
		}
	}
	ct_pss(c);
	return 0;
}

static int pod_spec(struct kp *k, const char *workload, yaml_node_t *spec, yaml_node_t *meta)
{
	const char *const sections[] = {"initContainers", "containers", "ephemeralContainers"};
	size_t s, i;
	int rc;

	if (!yd_is_map(spec))
		return yd_bad(&k->y, spec, "expected a mapping for the pod spec of %s", workload);
	for (s = 0; s < DS_ARRAY_SIZE(sections); s++) {
		yaml_node_t *l = get(k, spec, sections[s]);
		if (l && !yd_is_seq(l) && !yd_is_null(l))
			return yd_bad(&k->y, l, "expected a list for %s", sections[s]);
		for (i = 0; i < yd_len(l); i++)
			if ((rc = k->each(k, workload, spec, meta, yd_item(&k->y, l, i), sections[s])))
				return rc;
	}
	return 0;
}

static int object(struct kp *k, yaml_node_t *obj, int depth)
{
	static const char *const tmpl_spec[] = {"spec", "template", "spec", NULL};
	static const char *const tmpl_meta[] = {"spec", "template", "metadata", NULL};
	static const char *const cron_spec[] = {"spec", "jobTemplate", "spec", "template", "spec", NULL};
	static const char *const cron_meta[] = {"spec", "jobTemplate", "spec", "template", "metadata", NULL};
	static const char *const podt_spec[] = {"template", "spec", NULL};
	static const char *const podt_meta[] = {"template", "metadata", NULL};
	const char *kind, *name, *workload;
	yaml_node_t *spec = NULL, *meta = NULL;
	size_t i;

	if (!yd_is_map(obj))
		return yd_bad(&k->y, obj, "expected a Kubernetes object (a mapping with apiVersion and kind)");
	kind = sval(k, get(k, obj, "kind"));
	if (!kind)
		return yd_bad(&k->y, obj, "expected a kind");
	if (!strcmp(kind, "List") || str_has_suffix(str_cstr(kind), "List")) {
		yaml_node_t *items = get(k, obj, "items");
		int rc;
		if (depth > 4)
			return yd_bad(&k->y, obj, "Lists nested too deep");
		for (i = 0; i < yd_len(items); i++)
			if ((rc = object(k, yd_item(&k->y, items, i), depth + 1)))
				return rc;
		return 0;
	}
	name = sval(k, get(k, get(k, obj, "metadata"), "name"));
	workload = arena_printf(k->a, "%s/%s", kind, name ? name : "?");
	if (!workload)
		return ds_oom(&k->t->err);
	if (!strcmp(kind, "Pod")) {
		spec = get(k, obj, "spec");
		meta = get(k, obj, "metadata");
	} else if (!strcmp(kind, "CronJob")) {
		spec = path(k, obj, cron_spec);
		meta = path(k, obj, cron_meta);
	} else if (!strcmp(kind, "PodTemplate")) {
		spec = path(k, obj, podt_spec);
		meta = path(k, obj, podt_meta);
	} else {
		spec = path(k, obj, tmpl_spec);
		meta = path(k, obj, tmpl_meta);
	}
	if (!spec)
		return 0; /* Service, ConfigMap, ... */
	{ /* a Job or CronJob runs to completion: its containers are one-shots
	   * (k->f is NULL when the fixer walks) */
		size_t before = k->f ? k->f->n : 0;
		int rc = pod_spec(k, workload, spec, meta);
		if (k->f && (!strcmp(kind, "Job") || !strcmp(kind, "CronJob")))
			for (i = before; i < k->f->n; i++)
				k->f->c[i]->one_shot = true;
		return rc;
	}
}

static int walk(struct kp *k)
{
	int rc;

	if (yd_open(&k->y, k->a, target_display_path(k->t), k->t->data, k->t->len, &k->t->err))
		return k->t->err.code ? k->t->err.code : ds_oom(&k->t->err);
	while ((rc = yd_next(&k->y)) > 0) {
		yaml_node_t *root = yd_root(&k->y);
		if (yd_is_null(root))
			continue;
		if ((rc = object(k, root, 0)))
			break;
	}
	yd_close(&k->y);
	if (rc && !k->t->err.code)
		ds_err_set(&k->t->err, DS_EPARSE, target_display_path(k->t), 0, 0, "%s", ds_rc_message(rc));
	return rc || k->t->err.code ? -1 : 0;
}

int ct_from_k8s(struct target *t, struct ct_file *f)
{
	struct kp k = {0};

	k.t = t;
	k.f = f;
	k.a = &t->arena;
	k.each = container;
	f->kind = "kubernetes";
	return walk(&k);
}

static int trampoline(struct kp *k, const char *workload, yaml_node_t *spec, yaml_node_t *meta, yaml_node_t *cn,
		      const char *section)
{
	(void)workload;
	(void)meta;
	if (!yd_is_map(cn))
		return yd_bad(&k->y, cn, "expected a mapping for a container in %s", section);
	return k->fn(k->ctx, &k->y, spec, cn, section);
}

int ct_k8s_walk(struct target *t, ct_k8s_fn fn, void *ctx)
{
	struct kp k = {0};

	k.t = t;
	k.a = &t->arena;
	k.each = trampoline;
	k.fn = fn;
	k.ctx = ctx;
	return walk(&k);
}

/* ---- Pod Security Standards ---- */

static const char *const baseline_caps[] = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
					    "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID",
					    "SYS_CHROOT"};

bool ct_sysctl_safe(const char *name);

static const char *baseline_miss(const struct ct_container *c)
{
	size_t i;

	if (c->privileged.set && c->privileged.v)
		return "privileged";
	if (c->network_mode.v && !strcmp(c->network_mode.v, "host"))
		return "hostNetwork";
	if (c->pid_mode.v && !strcmp(c->pid_mode.v, "host"))
		return "hostPID";
	if (c->ipc_mode.v && !strcmp(c->ipc_mode.v, "host"))
		return "hostIPC";
	for (i = 0; i < c->cap_add.n; i++)
		if (!ct_in(baseline_caps, DS_ARRAY_SIZE(baseline_caps), c->cap_add.v[i].v))
			return "capabilities beyond the baseline set";
	for (i = 0; i < c->nmounts; i++)
		if (c->mounts[i].type == CT_MOUNT_BIND)
			return "hostPath volume";
	if (c->pod_host_path.v)
		return "hostPath volume (in the pod, mounted or not)";
	if (c->selinux_custom.v)
		return "SELinux options outside the baseline";
	for (i = 0; i < c->nports; i++)
		if (c->ports[i].host_lo)
			return "hostPort";
	if (c->apparmor.v && strcmp(c->apparmor.v, "runtime/default") && strcmp(c->apparmor.v, "RuntimeDefault") &&
	    strncmp(c->apparmor.v, "localhost/", 10) && strcmp(c->apparmor.v, "Localhost"))
		return "AppArmor profile not RuntimeDefault or Localhost";
	if (c->label_disable.set && c->label_disable.v)
		return "SELinux type spc_t";
	if (c->proc_mount.v && strcmp(c->proc_mount.v, "Default"))
		return "procMount";
	if (c->seccomp.v && !strcasecmp(c->seccomp.v, "unconfined"))
		return "seccomp Unconfined";
	for (i = 0; i < c->sysctls.n; i++)
		if (!ct_sysctl_safe(c->sysctls.v[i].k))
			return "unsafe sysctl";
	return NULL;
}

static const char *restricted_miss(const struct ct_container *c)
{
	size_t i;

	if (!(c->no_new_privs.set && c->no_new_privs.v))
		return "allowPrivilegeEscalation is not false";
	if (c->user.v && !strcmp(c->user.v, "0"))
		return "runAsUser is 0";
	if (!(c->run_as_non_root.set && c->run_as_non_root.v))
		return "runAsNonRoot is not true";
	if (!c->seccomp.v || (strcmp(c->seccomp.v, "RuntimeDefault") && strcmp(c->seccomp.v, "Localhost") &&
			      strcmp(c->seccomp.v, "runtime/default") && strncmp(c->seccomp.v, "localhost/", 10)))
		return "seccompProfile is not RuntimeDefault or Localhost";
	if (!ct_list_has(&c->cap_drop, "ALL"))
		return "capabilities do not drop ALL";
	for (i = 0; i < c->cap_add.n; i++)
		if (strcmp(c->cap_add.v[i].v, "NET_BIND_SERVICE"))
			return "capabilities add more than NET_BIND_SERVICE";
	if (c->noncore_volume.v)
		return "a volume type outside the restricted list";
	return NULL;
}

void ct_pss(struct ct_container *c)
{
	const char *why = baseline_miss(c);

	if (why) {
		c->pss = "privileged";
		c->pss_why = why;
		return;
	}
	why = restricted_miss(c);
	c->pss = why ? "baseline" : "restricted";
	c->pss_why = why;
}
