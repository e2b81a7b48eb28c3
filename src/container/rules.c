/*
 * rules.c - the container rule table: one rule, written once, judges a
 * container whether it came from `docker run`, Compose, Kubernetes or the
 * Engine API.
 *
 * Every function reads one struct ct_container and reports with the source
 * position of the offending key (or of the container when the problem is
 * a missing key). Messages say which it is: "read_only: false" and "no
 * read_only" are different facts, and the model keeps them apart.
 *
 * Where an orchestrator changes the meaning, the rule says so: Kubernetes
 * has no pids limit or restart policy per container and runs pods without
 * seccomp unless asked, Compose puts services on a project network rather
 * than docker0. The refs name the same check in CIS Docker Benchmark v1.6.0
 * (as docker-bench-security numbers it), the OWASP Docker Security Cheat
 * Sheet, Trivy's KSV checks and kubesec.
 */
#include "check.h"
#include "../core/config.h"
#include "../core/secret.h"

#define K(ctx) ((struct ct_check *)(ctx))

/* rule.arg of rules that fire on a missing setting: not run on a container
 * whose description could not be read to the end (an unknown flag). */
static const char absent[] = "absent";
#define ABSENT absent

static void rep(struct ct_check *k, const struct rule *r, struct ct_src at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void rep(struct ct_check *k, const struct rule *r, struct ct_src at, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!at.line && !at.jpath)
		at = k->c->at;
	size_t before = k->t->nfindings;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (at.jpath && *at.jpath)
		target_add(k->t, r, at.line, at.col, at.line, 0, k->c->name, "%s (%s)", msg, at.jpath);
	else
		target_add(k->t, r, at.line, at.col, at.line, 0, k->c->name, "%s", msg);
	if (k->t->nfindings > before && at.file) /* another file of a Compose project */
		k->t->findings[k->t->nfindings - 1].loc.file = at.file;
	if (k->t->nfindings > before && at.jpath && *at.jpath) {
		/* from an API body (inspect, later a proxied create): the subject
		 * is a container and a field of it, not a line of a file */
		struct ds_loc *l = &k->t->findings[k->t->nfindings - 1].loc;
		l->kind = LOC_CONTAINER;
		l->file = NULL;
		l->container = k->c->name;
		l->field = at.jpath;
	}
}

static bool is_k8s(const struct ct_container *c)
{
	return c->origin == CT_FROM_K8S;
}

/* ---- privileges ---- */

static void r_privileged(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->privileged.set && c->privileged.v)
		rep(ctx, r, c->privileged.at, "runs privileged: every capability, every device, no seccomp or AppArmor");
}

struct cap_info {
	const char *name, *why;
};

static const struct cap_info dangerous_caps[] = {
	{"SYS_ADMIN", "mount, namespaces, BPF, cgroup release_agent: the classic escape"},
	{"SYS_MODULE", "loads kernel modules"},
	{"SYS_PTRACE", "traces and injects into other processes"},
	{"SYS_RAWIO", "raw I/O ports and /dev/mem"},
	{"SYS_BOOT", "reboots the host"},
	{"SYS_TIME", "sets the host clock"},
	{"DAC_READ_SEARCH", "open_by_handle_at: reads any host file (shocker)"},
	{"NET_ADMIN", "reconfigures networking, firewall rules and routes"},
	{"BPF", "loads BPF programs"},
	{"PERFMON", "kernel performance monitoring"},
	{"MAC_ADMIN", "changes the LSM policy"},
	{"MAC_OVERRIDE", "bypasses the LSM policy"},
	{"SYSLOG", "reads kernel addresses from the log"},
	{"SYS_RESOURCE", "exceeds resource limits"},
	{"LINUX_IMMUTABLE", "changes immutable files"},
};

/* Docker's default set: adding one back after drop ALL is the fix, not a problem. */
static const char *const default_caps[] = {
	"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID",
	"SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
};

static const struct cap_info *cap_danger(const char *cap)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(dangerous_caps); i++)
		if (!strcasecmp(cap, dangerous_caps[i].name))
			return &dangerous_caps[i];
	return NULL;
}

static bool cap_default(const char *cap)
{
	return ct_in(default_caps, DS_ARRAY_SIZE(default_caps), cap);
}

static void r_cap_all(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->cap_add.n; i++)
		if (!strcasecmp(c->cap_add.v[i].v, "ALL"))
			rep(ctx, r, c->cap_add.v[i].at, "adds ALL capabilities: as good as privileged");
}

static void r_cap_dangerous(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	const struct cap_info *ci;
	size_t i;

	for (i = 0; i < c->cap_add.n; i++)
		if ((ci = cap_danger(c->cap_add.v[i].v)))
			rep(ctx, r, c->cap_add.v[i].at, "adds %s: %s", ci->name, ci->why);
}

static void r_cap_other(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	const char *v;
	size_t i;

	for (i = 0; i < c->cap_add.n; i++) {
		v = c->cap_add.v[i].v;
		if (strcasecmp(v, "ALL") && !cap_danger(v) && !cap_default(v))
			rep(ctx, r, c->cap_add.v[i].at, "adds capability %s beyond Docker's default set", v);
	}
}

/* Podman's inspect writes `--cap-drop ALL` as the default set, name by name. */
static bool drops_every_default(const struct ct_container *c)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(default_caps); i++)
		if (!ct_list_has(&c->cap_drop, default_caps[i]))
			return false;
	return true;
}

static void r_cap_drop(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->privileged.set && c->privileged.v)
		return; /* reported as privileged; drops do not apply */
	if (!ct_list_has(&c->cap_drop, "ALL") && !drops_every_default(c))
		rep(ctx, r, c->cap_drop.n ? c->cap_drop.v[0].at : c->at,
		    c->cap_drop.n ? "drops some capabilities but not ALL" : "keeps the default capabilities (no drop ALL)");
}

static void r_no_new_privs(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if ((c->no_new_privs.set && c->no_new_privs.v) || (is_k8s(c) && c->privileged.set && c->privileged.v))
		return; /* Kubernetes refuses allowPrivilegeEscalation false with privileged */
	if (c->no_new_privs.set)
		rep(ctx, r, c->no_new_privs.at, is_k8s(c) ? "allowPrivilegeEscalation is true"
							   : "no-new-privileges is turned off");
	else
		rep(ctx, r, c->at, is_k8s(c) ? "allowPrivilegeEscalation is not set to false"
					     : "no-new-privileges is not set: setuid binaries can raise privileges");
}

/* "0", "00", "root", "0:100": UID 0 (the kernel reads 00 as 0 too). */
static bool user_is_root(const char *u)
{
	size_t n = strcspn(u, ":");
	return (n && strspn(u, "0") == n) || (n == 4 && !strncmp(u, "root", 4));
}

static void r_user_root(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->user.v && user_is_root(c->user.v))
		rep(ctx, r, c->user.at, is_k8s(c) ? "runAsUser is 0" : "runs as user %s", c->user.v);
}

static void r_user_unset(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->user.v)
		return;
	if (is_k8s(c)) {
		if (c->run_as_non_root.set && c->run_as_non_root.v)
			return;
		rep(ctx, r, c->run_as_non_root.set ? c->run_as_non_root.at : c->at,
		    c->run_as_non_root.set ? "runAsNonRoot is false and no runAsUser is set"
					   : "neither runAsNonRoot: true nor a non-zero runAsUser is set");
		return;
	}
	rep(ctx, r, c->at, "no user is set: the image's user applies, root for most images");
}

static void r_group_root(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->group_add.n; i++) {
		const char *g = c->group_add.v[i].v;
		if (!strcmp(g, "0") || !strcmp(g, "root") || !strcmp(g, "docker") || !strcmp(g, "disk") ||
		    !strcmp(g, "shadow"))
			rep(ctx, r, c->group_add.v[i].at, "adds supplementary group %s", g);
	}
	if (c->run_as_group.set && c->run_as_group.v == 0)
		rep(ctx, r, c->run_as_group.at, "runAsGroup is 0 (root group)");
	/* --user 1000:0, user: "app:root": the primary group is root's */
	if (!is_k8s(c) && c->user.v && strchr(c->user.v, ':')) {
		const char *g = strchr(c->user.v, ':') + 1;
		if ((*g && strspn(g, "0") == strlen(g)) || !strcmp(g, "root"))
			rep(ctx, r, c->user.at, "runs with primary group %s (root)", g);
	}
}

static void r_read_only(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->read_only.set && c->read_only.v)
		return;
	rep(ctx, r, c->read_only.set ? c->read_only.at : c->at,
	    c->read_only.set ? "root filesystem explicitly writable" : "root filesystem is writable (not read-only)");
}

/* ---- resources ---- */

static void r_memory(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->ephemeral)
		return; /* Kubernetes allows no resources on ephemeral containers */
	if (!c->memory.set)
		rep(ctx, r, c->at, "no memory limit");
	else if (c->memory.v <= 0)
		rep(ctx, r, c->memory.at, "memory limit is 0 (unlimited)");
}

static void r_cpu(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (is_k8s(c)) {
		if (!c->nano_cpus.set && !c->ephemeral)
			rep(ctx, r, c->at, "no CPU limit (resources.limits.cpu)");
		else if (c->nano_cpus.set && c->nano_cpus.v == 0)
			rep(ctx, r, c->nano_cpus.at, "CPU limit is 0 (unlimited)");
		return;
	}
	if (!c->nano_cpus.set && !c->cpu_shares.set && !c->cpu_quota.set)
		rep(ctx, r, c->at, "no CPU limit or shares");
	else if (c->nano_cpus.set && c->nano_cpus.v == 0 && !c->cpu_shares.set && !c->cpu_quota.set)
		rep(ctx, r, c->nano_cpus.at, "--cpus 0 means no CPU limit");
}

static void r_pids(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (is_k8s(c))
		return; /* set per node by the kubelet (podPidsLimit) */
	if (!c->pids_limit.set)
		rep(ctx, r, c->at, "no pids limit: a fork bomb takes the host down");
	else if (c->pids_limit.v <= 0)
		rep(ctx, r, c->pids_limit.at, "pids limit %lld means unlimited", (long long)c->pids_limit.v);
}

static void r_ulimit(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->nulimits; i++) {
		struct ct_ulimit *u = &c->ulimits[i];
		if ((!strcmp(u->name, "nofile") || !strcmp(u->name, "nproc")) &&
		    (u->soft < 0 || u->hard < 0 || u->hard > 1048576))
			rep(ctx, r, u->at, "ulimit %s is %s", u->name,
			    u->hard < 0 || u->soft < 0 ? "unlimited" : "above 1048576");
	}
}

static void r_restart(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (is_k8s(c) || !c->restart.v)
		return;
	if (!strcmp(c->restart.v, "always") || !strcmp(c->restart.v, "unless-stopped"))
		rep(ctx, r, c->restart.at, "restart policy %s restarts a crashing container forever", c->restart.v);
	else if (!strcmp(c->restart.v, "on-failure") && (!c->restart_max.set || c->restart_max.v <= 0))
		rep(ctx, r, c->restart.at, "on-failure without a maximum retry count");
	else if (!strcmp(c->restart.v, "on-failure") && c->restart_max.v > 5)
		rep(ctx, r, c->restart_max.at, "on-failure:%lld allows more than 5 restarts",
		    (long long)c->restart_max.v);
}

/* ---- namespaces ---- */

static void ns_rule(void *ctx, const struct rule *r, const struct ct_str *s, const char *what)
{
	if (s->v && !strcmp(s->v, "host"))
		rep(ctx, r, s->at, "shares the host's %s namespace", what);
}

static void r_host_net(void *ctx, const struct rule *r)
{
	ns_rule(ctx, r, &K(ctx)->c->network_mode, "network");
}
static void r_host_pid(void *ctx, const struct rule *r)
{
	ns_rule(ctx, r, &K(ctx)->c->pid_mode, "PID");
}
static void r_host_ipc(void *ctx, const struct rule *r)
{
	ns_rule(ctx, r, &K(ctx)->c->ipc_mode, "IPC");
}
static void r_host_uts(void *ctx, const struct rule *r)
{
	ns_rule(ctx, r, &K(ctx)->c->uts_mode, "UTS");
}
static void r_host_userns(void *ctx, const struct rule *r)
{
	ns_rule(ctx, r, &K(ctx)->c->userns_mode, "user");
}
static void r_host_cgroupns(void *ctx, const struct rule *r)
{
	ns_rule(ctx, r, &K(ctx)->c->cgroupns_mode, "cgroup");
}

static void r_devices(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->devices.n; i++)
		rep(ctx, r, c->devices.v[i].at, "host device %s is exposed", c->devices.v[i].v);
}

/* ---- mounts ---- */

static const char *const runtime_sockets[] = {
	"docker.sock", "containerd.sock", "podman.sock", "crio.sock", "cri-dockerd.sock", "dockershim.sock",
};

/* Strip trailing slashes and "/." so "/etc/" and "/etc" compare equal. */
static struct str clean_path(const char *p)
{
	struct str s = str_cstr(p);

	while (s.n > 1 && (s.p[s.n - 1] == '/' || (s.n > 2 && s.p[s.n - 1] == '.' && s.p[s.n - 2] == '/')))
		s.n -= s.p[s.n - 1] == '/' ? 1 : 2;
	return s;
}

static bool is_socket_path(const char *src)
{
	struct str s = clean_path(src);
	struct str b = str_basename(s);
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(runtime_sockets); i++)
		if (str_eq(b, runtime_sockets[i]))
			return true;
	/* Windows: the Engine API's named pipe, \\.\pipe\docker_engine */
	if (s.n >= 13 && !strncasecmp(s.p + s.n - 13, "docker_engine", 13) && memmem(s.p, s.n, "pipe", 4))
		return true;
	return str_eq(s, "/run/containerd") || str_eq(s, "/var/run/containerd") ||
	       str_eq(s, "/run/podman") || str_eq(s, "/var/run/crio");
}

static void r_docker_socket(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->nmounts; i++) {
		struct ct_mount *m = &c->mounts[i];
		if (m->type == CT_MOUNT_BIND && m->source && is_socket_path(m->source))
			rep(ctx, r, m->at, "mounts the container runtime socket %s%s", m->source,
			    m->read_only ? " (read-only does not help: the API is still writable)" : "");
	}
}

/* Exactly these, and anything below those marked deep. */
static const struct {
	const char *path;
	bool deep;
} sensitive[] = {
	{"/", false},	     {"/etc", true},	 {"/proc", true},	   {"/sys", true},
	{"/boot", true},     {"/dev", true},	 {"/var/lib/docker", true}, {"/root", true},
	{"/home", false},    {"/var/run", false}, {"/run", false},	   {"/usr", false},
	{"/lib", true},	     {"/bin", false},	 {"/sbin", false},	   {"/var/lib/kubelet", true},
	{"/var/lib/containerd", true}, {"/var", false}, {"/lib/modules", true}, {"/var/log", false},
};

static bool sensitive_path(const char *src)
{
	struct str s = clean_path(src);
	size_t i, n;

	for (i = 0; i < DS_ARRAY_SIZE(sensitive); i++) {
		n = strlen(sensitive[i].path);
		if (str_eq(s, sensitive[i].path))
			return true;
		if (sensitive[i].deep && s.n > n && !strncmp(s.p, sensitive[i].path, n) && s.p[n] == '/')
			return true;
	}
	return false;
}

static void r_sensitive_mount(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->nmounts; i++) {
		struct ct_mount *m = &c->mounts[i];
		if (m->type == CT_MOUNT_BIND && m->source && !is_socket_path(m->source) &&
		    sensitive_path(m->source))
			rep(ctx, r, m->at, "mounts the host's %s %s", m->source,
			    m->read_only ? "read-only" : "writable");
	}
}

static void r_bind_writable(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->nmounts; i++) {
		struct ct_mount *m = &c->mounts[i];
		if (m->type == CT_MOUNT_BIND && m->source && !m->read_only && !is_socket_path(m->source) &&
		    !sensitive_path(m->source))
			rep(ctx, r, m->at, "host path %s is mounted writable at %s", m->source,
			    m->target ? m->target : "?");
	}
}

static void r_propagation(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->nmounts; i++) {
		const char *p = c->mounts[i].propagation;
		if (p && (!strcmp(p, "shared") || !strcmp(p, "rshared") || !strcmp(p, "Bidirectional")))
			rep(ctx, r, c->mounts[i].at, "mount of %s uses %s propagation",
			    c->mounts[i].target ? c->mounts[i].target : "?", p);
	}
}

/* ---- LSMs ---- */

static void r_seccomp(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->seccomp.v && !strcasecmp(c->seccomp.v, "unconfined"))
		rep(ctx, r, c->seccomp.at, "seccomp is disabled (unconfined)");
}

static void r_seccomp_unset(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (is_k8s(c) && !c->seccomp.v && !(c->privileged.set && c->privileged.v))
		rep(ctx, r, c->at, "no seccompProfile: Kubernetes runs the container unconfined by default");
}

static void r_apparmor(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->apparmor.v && !strcasecmp(c->apparmor.v, "unconfined"))
		rep(ctx, r, c->apparmor.at, "AppArmor is disabled (unconfined)");
}

static void r_selinux(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->label_disable.set && c->label_disable.v)
		rep(ctx, r, c->label_disable.at, "SELinux labelling is disabled");
	else if (c->selinux_custom.v)
		rep(ctx, r, c->selinux_custom.at, "seLinuxOptions sets %s: beyond what the baseline allows",
		    c->selinux_custom.v);
}

/* ---- network and ports ---- */

static void r_publish_all(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->publish_all.set && c->publish_all.v)
		rep(ctx, r, c->publish_all.at, "publishes every exposed port on all interfaces");
}

static bool all_interfaces(const char *ip)
{
	return !ip || !*ip || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::");
}

/* docker run --network host / network_mode: host: published ports are
 * discarded (the container binds the host's interfaces itself, which
 * CT-HOST-NETWORK reports). */
static bool host_network(const struct ct_container *c)
{
	return !is_k8s(c) && c->network_mode.v && !strcmp(c->network_mode.v, "host");
}

static void r_port_any(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	if (is_k8s(c) || host_network(c)) /* with the host's network, -p is discarded */
		return;
	for (i = 0; i < c->nports; i++)
		if (c->ports[i].published && all_interfaces(c->ports[i].host_ip))
			rep(ctx, r, c->ports[i].at, "port %u/%s is published on all interfaces", c->ports[i].ct_lo,
			    c->ports[i].proto);
}

static void r_port_privileged(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	if (host_network(c))
		return;
	for (i = 0; i < c->nports; i++)
		if (c->ports[i].published && c->ports[i].host_lo && c->ports[i].host_lo < 1024)
			rep(ctx, r, c->ports[i].at, "maps privileged host port %u", c->ports[i].host_lo);
}

static void r_host_port(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	if (!is_k8s(c))
		return;
	for (i = 0; i < c->nports; i++)
		if (c->ports[i].published && c->ports[i].host_lo)
			rep(ctx, r, c->ports[i].at, "hostPort %u binds the node's port", c->ports[i].host_lo);
}

static void r_default_bridge(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	const char *m = c->network_mode.v;

	if (is_k8s(c))
		return;
	if (m && (!strcmp(m, "bridge") || !strcmp(m, "default")))
		rep(ctx, r, c->network_mode.at, "uses the default bridge (docker0)%s",
		    c->icc.set && !c->icc.v ? "" : ", where every container can reach every other");
	else if (!m && c->origin == CT_FROM_RUN)
		rep(ctx, r, c->at, "no --network: attached to the default bridge docker0");
}

/* ---- image ---- */

/* Split "reg/repo:tag@digest": tag and digest slices (empty when absent). */
static void image_parts(const char *img, struct str *tag, struct str *digest)
{
	const char *at = strchr(img, '@');
	const char *end = at ? at : img + strlen(img);
	const char *colon = NULL, *p;

	for (p = img; p < end; p++) {
		if (*p == '/')
			colon = NULL; /* a registry port, not a tag */
		else if (*p == ':')
			colon = p;
	}
	*tag = colon ? str_make(colon + 1, (size_t)(end - colon - 1)) : str_make("", 0);
	*digest = at ? str_cstr(at + 1) : str_make("", 0);
}

static bool image_dynamic(const char *img)
{
	return strchr(img, '$') != NULL;
}

static void r_image_latest(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	struct str tag, dig;

	if (!c->image.v || image_dynamic(c->image.v))
		return;
	image_parts(c->image.v, &tag, &dig);
	if (dig.n)
		return;
	if (!tag.n)
		rep(ctx, r, c->image.at, "image %s has no tag (means latest)", c->image.v);
	else if (str_eq(tag, "latest"))
		rep(ctx, r, c->image.at, "image %s uses the latest tag", c->image.v);
}

static void r_image_digest(void *ctx, const struct rule *r)
{
	struct ct_check *k = ctx;
	struct ct_container *c = k->c;
	struct str tag, dig;

	if (!c->image.v || image_dynamic(c->image.v) || (k->t->cfg && !k->t->cfg->require_digest))
		return;
	image_parts(c->image.v, &tag, &dig);
	if (!dig.n && tag.n && !str_eq(tag, "latest"))
		rep(ctx, r, c->image.at, "image %s is not pinned by digest", c->image.v);
}

static void r_pull_policy(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	struct str tag, dig;

	if (!is_k8s(c) || !c->image.v || !c->pull_policy.v || strcmp(c->pull_policy.v, "IfNotPresent"))
		return;
	image_parts(c->image.v, &tag, &dig);
	if (!dig.n && (!tag.n || str_eq(tag, "latest")))
		rep(ctx, r, c->pull_policy.at, "imagePullPolicy IfNotPresent with a moving tag: nodes run whatever they cached");
}

/* ---- environment, health, sysctls ---- */

static void r_env_secret(void *ctx, const struct rule *r)
{
	struct ct_check *k = ctx;
	struct ct_container *c = k->c;
	struct secret_hit hit;
	size_t i;

	for (i = 0; i < c->env.n; i++) {
		struct ct_kv *e = &c->env.v[i];
		size_t vn;
		if (!e->v)
			continue;
		vn = strlen(e->v);
		if (secret_find(e->v, vn, &hit))
			rep(ctx, r, e->at, "%s holds a %s (%s)", e->k, hit.kind,
			    target_secret(k->t, e->v + hit.off, hit.len, hit.plen));
		else if (secret_name_like(e->k, strlen(e->k)) && !secret_value_placeholder(e->v, vn))
			rep(ctx, r, e->at, "%s is set to a literal secret (%s)", e->k,
			    target_secret(k->t, e->v, vn, 0));
	}
}

static void r_healthcheck(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->one_shot)
		return; /* a Job, a CronJob, docker run --rm: it runs to completion, nothing to probe */
	if (c->healthcheck.set && !c->healthcheck.v)
		rep(ctx, r, c->healthcheck.at, "health check is disabled");
	else if (!c->healthcheck.set)
		rep(ctx, r, c->at, is_k8s(c) ? "no liveness or readiness probe"
					     : "no health check (unless the image defines one)");
}

/* Kubernetes' safe set (Pod Security Standards baseline): namespaced and
 * unable to affect other containers. */
static const char *const safe_sysctls[] = {
	"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem", /* safe since 1.32 */
};

bool ct_sysctl_safe(const char *name);
bool ct_sysctl_safe(const char *name)
{
	return ct_in(safe_sysctls, DS_ARRAY_SIZE(safe_sysctls), name);
}

static void r_sysctl(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->sysctls.n; i++)
		if (!ct_sysctl_safe(c->sysctls.v[i].k))
			rep(ctx, r, c->sysctls.v[i].at, "sets sysctl %s=%s outside the safe set", c->sysctls.v[i].k,
			    c->sysctls.v[i].v ? c->sysctls.v[i].v : "");
}

/* ---- Kubernetes only ---- */

static void r_sa_token(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (is_k8s(c) && !(c->automount_token.set && !c->automount_token.v))
		rep(ctx, r, c->automount_token.set ? c->automount_token.at : c->at,
		    "the service account token is mounted (automountServiceAccountToken is not false)");
}

/* Kubernetes schedules by requests; a container without one is
 * BestEffort for that resource and the first evicted. A limit alone is
 * the request too (k8s.c sets the request from it). */
static void request_rule(void *ctx, const struct rule *r, const struct ct_bool *req, const char *what)
{
	struct ct_container *c = K(ctx)->c;

	if (is_k8s(c) && !c->ephemeral && !req->set)
		rep(ctx, r, c->at, "no %s request (resources.requests.%s)", what, what);
}
static void r_cpu_request(void *ctx, const struct rule *r)
{
	request_rule(ctx, r, &K(ctx)->c->cpu_request, "cpu");
}
static void r_mem_request(void *ctx, const struct rule *r)
{
	request_rule(ctx, r, &K(ctx)->c->mem_request, "memory");
}

static void r_volume_type(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->noncore_volume.v)
		rep(ctx, r, c->noncore_volume.at, "pod volume %s is not a type the restricted Pod Security Standard allows",
		    c->noncore_volume.v);
}

static void r_host_aliases(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (is_k8s(c) && c->host_aliases.n)
		rep(ctx, r, c->host_aliases.v[0].at, "hostAliases writes %zu entr%s into the pod's /etc/hosts (first %s)",
		    c->host_aliases.n, c->host_aliases.n == 1 ? "y" : "ies", c->host_aliases.v[0].v);
}

static void r_env_secret_ref(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->secret_env.n; i++)
		rep(ctx, r, c->secret_env.v[i].at, "Secret passed in the environment: %s", c->secret_env.v[i].v);
}

static void r_proc_mount(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (c->proc_mount.v && strcmp(c->proc_mount.v, "Default"))
		rep(ctx, r, c->proc_mount.at, is_k8s(c) ? "procMount %s unmasks /proc"
						      : "systempaths=unconfined unmasks /proc and /sys (%s)", c->proc_mount.v);
}

static void r_pss(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;

	if (is_k8s(c) && c->pss && strcmp(c->pss, "restricted"))
		rep(ctx, r, c->at, "meets the Pod Security Standards '%s' level only (%s)", c->pss,
		    c->pss_why ? c->pss_why : "");
}

static void r_unknown(void *ctx, const struct rule *r)
{
	struct ct_container *c = K(ctx)->c;
	size_t i;

	for (i = 0; i < c->unknown.n; i++)
		rep(ctx, r, c->unknown.v[i].at, "%s was not understood and not judged", c->unknown.v[i].v);
}

const struct rule ct_rules[] = {
	{"CT-PRIVILEGED", SEV_CRITICAL, "container", "Privileged container",
	 "A privileged container has every capability, every host device and no seccomp or AppArmor confinement: "
	 "root in it is root on the host.",
	 "Remove `--privileged` / `privileged: true`; grant the one capability or device the workload needs.",
	 REFS("cis:5.5", "docker-bench:5.5", "owasp:R3", "trivy:KSV017", "kubesec:Privileged"), r_privileged, NULL, 0},
	{"CT-CAP-ALL", SEV_CRITICAL, "container", "All capabilities added",
	 "cap_add ALL restores every capability, including SYS_ADMIN and SYS_MODULE.",
	 "Drop ALL and add back only the capabilities the process needs.",
	 REFS("cis:5.4", "docker-bench:5.4", "owasp:R3", "trivy:KSV022", "kubesec:CapSysAdmin"), r_cap_all, NULL, 0},
	{"CT-CAP-DANGEROUS", SEV_HIGH, "container", "Dangerous capability added",
	 "SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH, NET_ADMIN and friends each open a known path out of the "
	 "container or into other processes.",
	 "Remove the capability; if a tool needs it, run that tool in a separate, short-lived container.",
	 REFS("cis:5.4", "docker-bench:5.4", "owasp:R3", "trivy:KSV005", "trivy:KSV022", "kubesec:CapSysAdmin"),
	 r_cap_dangerous, NULL, 0},
	{"CT-CAP-ADD", SEV_MEDIUM, "container", "Capability added beyond the default set",
	 "Every capability beyond Docker's default set widens what root in the container can do to the kernel.",
	 "Check that the capability is really needed; prefer drop ALL with only NET_BIND_SERVICE added.",
	 REFS("cis:5.4", "docker-bench:5.4", "owasp:R3", "trivy:KSV022"), r_cap_other, NULL, 0},
	{"CT-CAP-DROP-ALL", SEV_MEDIUM, "container", "Capabilities not dropped",
	 "Docker keeps 14 capabilities by default (NET_RAW, SETUID, DAC_OVERRIDE, MKNOD...); most services need none.",
	 "Add `--cap-drop ALL` / `cap_drop: [ALL]` / `capabilities: {drop: [ALL]}` and add back only what is needed.",
	 REFS("cis:5.4", "docker-bench:5.4", "owasp:R3", "trivy:KSV003", "trivy:KSV106", "kubesec:CapDropAll"),
	 r_cap_drop, ABSENT, 0},
	{"CT-NO-NEW-PRIVILEGES", SEV_MEDIUM, "container", "Privilege escalation not blocked",
	 "Without no_new_privs a setuid binary or file capability in the image gives the process more privileges "
	 "than it started with.",
	 "Add `--security-opt no-new-privileges` / `security_opt: [no-new-privileges:true]` / "
	 "`allowPrivilegeEscalation: false`.",
	 REFS("cis:5.26", "docker-bench:5.26", "owasp:R4", "trivy:KSV001", "kubesec:AllowPrivilegeEscalation"),
	 r_no_new_privs, ABSENT, 0},
	{"CT-USER-ROOT", SEV_HIGH, "container", "Runs as root",
	 "The container's user is explicitly root (UID 0); an escape or a writable mount is then a root foothold.",
	 "Run as an unprivileged UID: `--user 10001:10001`, `user: \"10001:10001\"`, `runAsUser: 10001`.",
	 REFS("cis:4.1", "owasp:R2", "trivy:KSV105", "kubesec:RunAsUser"), r_user_root, NULL, 0},
	{"CT-USER-UNSET", SEV_MEDIUM, "container", "User not set",
	 "Without a user (or runAsNonRoot) the image decides, and most images run as root.",
	 "Set a non-root user (`--user`, `user:`), or in Kubernetes `runAsNonRoot: true` with a `runAsUser`.",
	 REFS("cis:4.1", "owasp:R2", "trivy:KSV012", "kubesec:RunAsNonRoot"), r_user_unset, ABSENT, 0},
	{"CT-GROUP-ROOT", SEV_MEDIUM, "container", "Root or privileged group",
	 "Group 0, docker, disk or shadow give access to root-owned files, the Docker socket or raw disks.",
	 "Use an unprivileged group; do not add the container user to docker, disk or root.",
	 REFS("owasp:R2", "trivy:KSV029", "trivy:KSV116"), r_group_root, NULL, 0},
	{"CT-ROOTFS-WRITABLE", SEV_MEDIUM, "container", "Root filesystem is writable",
	 "A writable root filesystem lets an attacker drop tools and persist changes to binaries and configuration.",
	 "Add `--read-only` / `read_only: true` / `readOnlyRootFilesystem: true`, with a tmpfs for /tmp and other "
	 "scratch paths.",
	 REFS("cis:5.13", "docker-bench:5.13", "owasp:R8", "trivy:KSV014", "kubesec:ReadOnlyRootFilesystem"),
	 r_read_only, ABSENT, 0},
	{"CT-NO-MEMORY-LIMIT", SEV_MEDIUM, "container", "No memory limit",
	 "One container can exhaust the host's memory and get other processes OOM-killed.",
	 "Set `--memory 512m` / `mem_limit` or `deploy.resources.limits.memory` / `resources.limits.memory`.",
	 REFS("cis:5.11", "docker-bench:5.11", "owasp:R7", "trivy:KSV018", "kubesec:LimitsMemory"), r_memory, ABSENT, 0},
	{"CT-NO-CPU-LIMIT", SEV_LOW, "container", "No CPU limit",
	 "Without a CPU limit or weight one container can starve the others.",
	 "Set `--cpus 1` / `cpus:` or `deploy.resources.limits.cpus` / `resources.limits.cpu`.",
	 REFS("cis:5.12", "docker-bench:5.12", "owasp:R7", "trivy:KSV011", "kubesec:LimitsCPU"), r_cpu, ABSENT, 0},
	{"CT-NO-PIDS-LIMIT", SEV_MEDIUM, "container", "No PIDs limit",
	 "A fork bomb in a container without a pids limit exhausts the host's process table.",
	 "Set `--pids-limit 200` / `pids_limit: 200` / `deploy.resources.limits.pids`.",
	 REFS("cis:5.29", "docker-bench:5.29", "owasp:R7"), r_pids, ABSENT, 0},
	{"CT-ULIMIT-UNLIMITED", SEV_LOW, "container", "nofile or nproc ulimit unbounded",
	 "An unlimited nofile or nproc ulimit removes a per-container bound on descriptors or processes.",
	 "Set finite values, e.g. `--ulimit nofile=65536:65536 --ulimit nproc=4096`.",
	 REFS("cis:5.19", "docker-bench:5.19", "owasp:R7"), r_ulimit, NULL, 0},
	{"CT-RESTART-POLICY", SEV_LOW, "container", "Restart policy without a bound",
	 "always / unless-stopped restart a crashing or exploited container forever, which can turn a crash into a "
	 "denial of service of the host.",
	 "Use `--restart on-failure:5` / `restart: on-failure:5`.",
	 REFS("cis:5.15", "docker-bench:5.15"), r_restart, NULL, 0},
	{"CT-HOST-NETWORK", SEV_HIGH, "container", "Host network namespace shared",
	 "The container sees and binds the host's interfaces, including services on loopback.",
	 "Remove `--network host` / `network_mode: host` / `hostNetwork: true`; publish the ports needed.",
	 REFS("cis:5.10", "docker-bench:5.10", "owasp:R5", "trivy:KSV009", "kubesec:HostNetwork"), r_host_net, NULL, 0},
	{"CT-HOST-PID", SEV_HIGH, "container", "Host PID namespace shared",
	 "The container sees every host process and, as root, can signal or ptrace them.",
	 "Remove `--pid host` / `pid: host` / `hostPID: true`.",
	 REFS("cis:5.16", "docker-bench:5.16", "trivy:KSV010", "kubesec:HostPID"), r_host_pid, NULL, 0},
	{"CT-HOST-IPC", SEV_HIGH, "container", "Host IPC namespace shared",
	 "Shared memory and semaphores of host processes become readable and writable.",
	 "Remove `--ipc host` / `ipc: host` / `hostIPC: true`.",
	 REFS("cis:5.17", "docker-bench:5.17", "trivy:KSV008", "kubesec:HostIPC"), r_host_ipc, NULL, 0},
	{"CT-HOST-UTS", SEV_MEDIUM, "container", "Host UTS namespace shared",
	 "The container can change the host's hostname.", "Remove `--uts host` / `uts: host`.",
	 REFS("cis:5.21", "docker-bench:5.21"), r_host_uts, NULL, 0},
	{"CT-HOST-USERNS", SEV_MEDIUM, "container", "Host user namespace shared",
	 "--userns host turns off the daemon's user-namespace remapping for this container: its root is the host's root.",
	 "Remove `--userns host` / `userns_mode: host`; in Kubernetes set `hostUsers: false`.",
	 REFS("cis:5.31", "docker-bench:5.31", "kubesec:HostUsers"), r_host_userns, NULL, 0},
	{"CT-HOST-CGROUPNS", SEV_LOW, "container", "Host cgroup namespace shared",
	 "The container sees the host's whole cgroup tree.", "Remove `--cgroupns host` / `cgroup: host`.",
	 REFS("cis:5.25"), r_host_cgroupns, NULL, 0},
	{"CT-DEVICE", SEV_MEDIUM, "container", "Host device exposed",
	 "A host device node in the container gives direct access to hardware or kernel interfaces.",
	 "Remove the device or expose it read-only (`:r`) to a dedicated container.",
	 REFS("cis:5.18", "docker-bench:5.18"), r_devices, NULL, 0},
	{"CT-DOCKER-SOCKET", SEV_CRITICAL, "container", "Container runtime socket mounted",
	 "Whoever can talk to docker.sock (or containerd, Podman, CRI-O sockets) can start a privileged container "
	 "and own the host; mounting it read-only changes nothing, since the API is still reachable.",
	 "Do not mount the socket; if a tool needs the API, give it a filtering proxy that allows only the calls it "
	 "makes (docker-socket-proxy) instead of the socket.",
	 REFS("cis:5.32", "docker-bench:5.32", "owasp:R1", "trivy:KSV006", "kubesec:DockerSock"), r_docker_socket,
	 NULL, 0},
	{"CT-SENSITIVE-MOUNT", SEV_HIGH, "container", "Sensitive host path mounted",
	 "Mounting /, /etc, /proc, /sys, /boot, /dev, /var/lib/docker, /root, /home or /run gives the container the "
	 "host's credentials, kernel interfaces or other containers' data.",
	 "Mount only the application's own directory, read-only where possible.",
	 REFS("cis:5.6", "docker-bench:5.6", "owasp:R8", "trivy:KSV121", "trivy:KSV023"), r_sensitive_mount, NULL, 0},
	{"CT-BIND-WRITABLE", SEV_LOW, "container", "Writable bind mount of a host path",
	 "A writable host directory is a way out for a compromised container: what it writes, the host runs or reads.",
	 "Mount it read-only (`:ro`, `read_only: true`, `readOnly: true`), or use a named volume.",
	 REFS("owasp:R8", "trivy:KSV023"), r_bind_writable, NULL, 0},
	{"CT-MOUNT-PROPAGATION", SEV_MEDIUM, "container", "Shared mount propagation",
	 "With shared propagation, mounts made inside the container appear on the host.",
	 "Use the default (rprivate) propagation.", REFS("cis:5.20", "docker-bench:5.20"), r_propagation, NULL, 0},
	{"CT-SECCOMP-UNCONFINED", SEV_HIGH, "container", "Seccomp disabled",
	 "seccomp=unconfined opens the 40+ system calls Docker's default profile blocks (keyctl, unshare, mount...).",
	 "Remove `seccomp=unconfined`; write a custom profile if a syscall is really needed.",
	 REFS("cis:5.22", "docker-bench:5.22", "owasp:R6", "trivy:KSV104"), r_seccomp, NULL, 0},
	{"CT-SECCOMP-UNSET", SEV_LOW, "container", "No seccomp profile (Kubernetes)",
	 "Kubernetes runs pods unconfined unless the kubelet's SeccompDefault is on or the pod asks for a profile.",
	 "Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod.",
	 REFS("owasp:R6", "trivy:KSV030", "trivy:KSV104", "kubesec:SeccompAny"), r_seccomp_unset, ABSENT, 0},
	{"CT-APPARMOR-UNCONFINED", SEV_HIGH, "container", "AppArmor disabled",
	 "apparmor=unconfined removes the docker-default profile that blocks writes to /proc and /sys and mount.",
	 "Remove it, or name a profile of your own.", REFS("cis:5.2", "docker-bench:5.2", "owasp:R6", "trivy:KSV002"),
	 r_apparmor, NULL, 0},
	{"CT-SELINUX-DISABLED", SEV_HIGH, "container", "SELinux labelling disabled or customised",
	 "label=disable (or type spc_t) runs the container unconfined by SELinux; a custom SELinux user, role or type "
	 "(Kubernetes seLinuxOptions) is beyond what the Pod Security baseline allows.",
	 "Remove the option and relabel volumes with :z/:Z instead; in Kubernetes set at most a level, or one of the "
	 "container types (container_t, container_init_t, container_kvm_t).",
	 REFS("cis:5.3", "docker-bench:5.3", "owasp:R6", "trivy:KSV025"), r_selinux, NULL, 0},
	{"CT-PUBLISH-ALL", SEV_MEDIUM, "container", "All exposed ports published",
	 "-P publishes every EXPOSEd port on all interfaces, on random host ports nobody reviewed.",
	 "Publish the ports you need, bound to one interface: `-p 127.0.0.1:8080:80`.",
	 REFS("cis:5.9", "docker-bench:5.9"), r_publish_all, NULL, 0},
	{"CT-PORT-ALL-INTERFACES", SEV_LOW, "container", "Port published on all interfaces",
	 "Without a host IP a published port listens on every interface, and Docker's iptables rules bypass ufw.",
	 "Bind to one address: `-p 127.0.0.1:8080:80` / `\"127.0.0.1:8080:80\"`.",
	 REFS("cis:5.14", "docker-bench:5.14"), r_port_any, NULL, 0},
	{"CT-PORT-PRIVILEGED", SEV_LOW, "container", "Privileged host port mapped",
	 "Host ports below 1024 are reserved for privileged services.",
	 "Map to a host port of 1024 or above, behind a reverse proxy if it must be 80/443.",
	 REFS("cis:5.8", "docker-bench:5.8", "trivy:KSV117"), r_port_privileged, NULL, 0},
	{"CT-HOST-PORT", SEV_MEDIUM, "container", "hostPort used (Kubernetes)",
	 "A hostPort binds the node's port directly, bypassing Services and NetworkPolicies and limiting scheduling.",
	 "Remove hostPort and expose the pod through a Service.", REFS("trivy:KSV024"), r_host_port, NULL, 0},
	{"CT-DEFAULT-BRIDGE", SEV_LOW, "container", "Default bridge network",
	 "On docker0 inter-container communication is on by default: every container can reach every other one.",
	 "Create a user-defined network per application (`docker network create app`, `--network app`).",
	 REFS("cis:5.30", "docker-bench:5.30", "owasp:R5"), r_default_bridge, ABSENT, 0},
	{"CT-IMAGE-LATEST", SEV_MEDIUM, "container", "Image without a tag or with latest",
	 "'latest' moves: what runs is whatever was pulled last, and a bad upstream push is picked up silently.",
	 "Use a version tag and a digest: `nginx:1.27.2@sha256:...`.",
	 REFS("owasp:R13", "trivy:KSV013"), r_image_latest, NULL, 0},
	{"CT-IMAGE-DIGEST", SEV_LOW, "container", "Image not pinned by digest",
	 "Tags are mutable; only a digest names exactly the image that was reviewed and scanned.",
	 "Append the digest: `image: nginx:1.27.2@sha256:...` (set `require-digest: false` in .docksec.yaml to "
	 "turn this off).",
	 REFS("owasp:R13"), r_image_digest, NULL, 0},
	{"CT-PULL-POLICY", SEV_LOW, "container", "IfNotPresent with a moving tag (Kubernetes)",
	 "With imagePullPolicy IfNotPresent and a latest or missing tag each node runs the image it cached, so "
	 "nodes disagree.",
	 "Pin a version tag or digest, or use imagePullPolicy: Always.", REFS("owasp:R13"), r_pull_policy, NULL, 0},
	{"CT-ENV-SECRET", SEV_HIGH, "container", "Secret in an environment variable",
	 "Environment variables show in `docker inspect`, /proc/PID/environ, logs and crash dumps, and the file is "
	 "usually committed.",
	 "Use Docker/Compose secrets or a Kubernetes Secret (secretKeyRef), mounted as a file.",
	 REFS("owasp:R12"), r_env_secret, NULL, 0},
	{"CT-NO-HEALTHCHECK", SEV_LOW, "container", "No health check",
	 "Without a health check a hung container looks healthy to the runtime and is never replaced.",
	 "Add `--health-cmd` / `healthcheck:` / a livenessProbe and readinessProbe.",
	 REFS("cis:5.27", "docker-bench:5.27", "cis:4.6"), r_healthcheck, ABSENT, 0},
	{"CT-SYSCTL", SEV_MEDIUM, "container", "Unsafe sysctl",
	 "Sysctls outside the safe, namespaced set can change kernel behaviour for the whole node or weaken the "
	 "network stack (route_localnet, ip_forward...).",
	 "Remove the sysctl, or keep to Kubernetes' safe set.", REFS("trivy:KSV026"), r_sysctl, NULL, 0},
	{"CT-SA-TOKEN", SEV_LOW, "container", "Service account token mounted (Kubernetes)",
	 "Every pod gets an API token unless told otherwise; a compromised container can then talk to the API server.",
	 "Set `automountServiceAccountToken: false` where the pod does not call the API.",
	 REFS("trivy:KSV036", "kubesec:AutomountServiceAccountToken"), r_sa_token, ABSENT, 0},
	{"CT-NO-CPU-REQUEST", SEV_LOW, "container", "No CPU request (Kubernetes)",
	 "The scheduler places pods by their requests; a container without a CPU request gets no guaranteed share "
	 "and can be starved by its neighbours.",
	 "Set `resources.requests.cpu` (a limit alone also sets the request).",
	 REFS("trivy:KSV015", "kubesec:RequestsCPU"), r_cpu_request, ABSENT, 0},
	{"CT-NO-MEMORY-REQUEST", SEV_LOW, "container", "No memory request (Kubernetes)",
	 "Without a memory request the pod is BestEffort for memory: scheduled anywhere, evicted first under "
	 "pressure.",
	 "Set `resources.requests.memory` (a limit alone also sets the request).",
	 REFS("trivy:KSV016", "kubesec:RequestsMemory"), r_mem_request, ABSENT, 0},
	{"CT-VOLUME-TYPE", SEV_LOW, "container", "Volume type outside the restricted set (Kubernetes)",
	 "The restricted Pod Security Standard allows only configMap, csi, downwardAPI, emptyDir, ephemeral, "
	 "persistentVolumeClaim, projected and secret volumes; in-tree network and cloud volume types reach the "
	 "node's storage stack directly.",
	 "Use a persistentVolumeClaim (with a CSI driver) instead of the in-tree volume type.",
	 REFS("trivy:KSV028", "pss:restricted"), r_volume_type, NULL, 0},
	{"CT-HOST-ALIASES", SEV_INFO, "container", "hostAliases used (Kubernetes)",
	 "hostAliases rewrites the pod's /etc/hosts, which the kubelet manages: names resolve differently inside the "
	 "pod than in the cluster's DNS, a way to redirect traffic that reviews miss.",
	 "Publish the names in DNS (a Service, an ExternalName) instead of hostAliases.",
	 REFS("kubesec:HostAliases"), r_host_aliases, NULL, 0},
	{"CT-ENV-SECRET-REF", SEV_LOW, "container", "Secret in an environment variable (Kubernetes)",
	 "A Secret given as environment variables is copied into the process environment: child processes inherit "
	 "it, and it shows in /proc/PID/environ, crash dumps and debug output.",
	 "Mount the Secret as a volume and read the file (`volumes: [{secret: {secretName: ...}}]`).",
	 REFS("kubesec:SecretsAsEnvironmentVariables"), r_env_secret_ref, NULL, 0},
	{"CT-PROC-MOUNT", SEV_HIGH, "container", "Unmasked /proc (Kubernetes)",
	 "procMount Unmasked exposes /proc paths the runtime normally masks.",
	 "Remove procMount or set it to Default.", REFS("trivy:KSV027"), r_proc_mount, NULL, 0},
	{"CT-PSS-LEVEL", SEV_INFO, "container", "Below the restricted Pod Security Standard",
	 "The restricted Pod Security Standard is Kubernetes' hardened baseline; the message names the level met and "
	 "the first requirement missed.",
	 "Apply the fixes of the other findings: drop ALL capabilities, allowPrivilegeEscalation false, "
	 "runAsNonRoot true, seccompProfile RuntimeDefault, no host namespaces or hostPath volumes.",
	 REFS("pss:baseline", "pss:restricted"), r_pss, ABSENT, 0},
	{"CT-UNKNOWN", SEV_LOW, "container", "Option not understood",
	 "docksec did not recognise this flag or key, so it could not judge it (and, for a run line, the image).",
	 "Check the spelling; if it is a valid Docker option, report it so docksec learns it.",
	 REFS("docksec:unknown"), r_unknown, NULL, 0},
};
const size_t ct_rules_n = DS_ARRAY_SIZE(ct_rules);

void ct_judge(struct target *t, struct ct_file *f)
{
	struct ct_check k = {t, f, NULL};
	size_t i, j;

	for (i = 0; i < f->n; i++) {
		k.c = f->c[i];
		for (j = 0; j < ct_rules_n; j++)
			if (!(k.c->incomplete && ct_rules[j].arg == ABSENT))
				ct_rules[j].fn(&k, &ct_rules[j]);
	}
}
