/*
 * inspect.c - the Engine API front-end: `docker inspect` output (and the
 * Config + HostConfig of a create request) into the container model.
 *
 * Every value's origin is its JSON path ("HostConfig.CapAdd[1]"). The
 * daemon fills defaults, so "unset" is read from the default value: Memory
 * 0, PidsLimit 0/-1/null, NanoCpus 0, ReadonlyRootfs false, Privileged
 * false, an empty RestartPolicy all mean the setting was not asked for,
 * which is what the rules' messages need. HostConfig keys this front-end
 * does not know are kept as unknown, so a newer daemon's new security knob
 * shows up instead of disappearing.
 */
#include "check.h"
#include <jansson.h>

struct ip {
	struct arena *a;
	struct ct_container *c;
};

static struct ct_src jp(struct ip *p, const char *path)
{
	struct ct_src s = {0, 0, arena_strdup(p->a, path), NULL};
	return s;
}

static const char *jstr(struct ip *p, json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? arena_strdup(p->a, s) : NULL;
}

static int64_t jint(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static void str_field(struct ip *p, struct ct_str *f, json_t *o, const char *k, const char *path)
{
	const char *s = jstr(p, o, k);

	if (s && *s) {
		f->v = s;
		f->at = jp(p, path);
	}
}

static void bool_field(struct ip *p, struct ct_bool *f, json_t *o, const char *k, const char *path)
{
	if (json_is_true(json_object_get(o, k))) {
		f->set = f->v = true;
		f->at = jp(p, path);
	}
}

static void num_field(struct ip *p, struct ct_num *f, json_t *o, const char *k, const char *path)
{
	int64_t v = jint(o, k);

	if (v > 0) {
		f->set = true;
		f->v = v;
		f->at = jp(p, path);
	}
}

static void list_field(struct ip *p, struct ct_list *l, json_t *o, const char *k, const char *path, bool caps)
{
	json_t *arr = json_object_get(o, k), *v;
	size_t i;
	char at[128];

	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		if (!s)
			continue;
		snprintf(at, sizeof(at), "%s[%zu]", path, i);
		ct_list_add(p->a, l, caps ? ct_cap_norm(p->a, s) : arena_strdup(p->a, s), jp(p, at));
	}
}

static const char *const known_host[] = {
	"AutoRemove", "Binds", "BlkioDeviceReadBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteBps",
	"BlkioDeviceWriteIOps", "BlkioWeight", "BlkioWeightDevice", "CapAdd", "CapDrop", "Cgroup", "CgroupParent",
	"CgroupnsMode", "ConsoleSize", "ContainerIDFile", "CpuCount", "CpuPercent", "CpuPeriod", "CpuQuota",
	"CpuRealtimePeriod", "CpuRealtimeRuntime", "CpuShares", "CpusetCpus", "CpusetMems", "DeviceCgroupRules",
	"DeviceRequests", "Devices", "Dns", "DnsOptions", "DnsSearch", "ExtraHosts", "GroupAdd",
	"IOMaximumBandwidth", "IOMaximumIOps", "IpcMode", "Isolation", "KernelMemory", "KernelMemoryTCP", "Links",
	"LogConfig", "MaskedPaths", "Memory", "MemoryReservation", "MemorySwap", "MemorySwappiness", "Mounts",
	"NanoCpus", "NetworkMode", "OomKillDisable", "OomScoreAdj", "PidMode", "PidsLimit", "PortBindings",
	"Privileged", "PublishAllPorts", "ReadonlyPaths", "ReadonlyRootfs", "RestartPolicy", "Runtime",
	"SecurityOpt", "ShmSize", "StorageOpt", "Sysctls", "Tmpfs", "UTSMode", "Ulimits", "UsernsMode",
	"VolumeDriver", "VolumesFrom", "Annotations", "Init",
};

static void host_config(struct ip *p, json_t *h)
{
	struct ct_container *c = p->c;
	const char *key;
	json_t *v, *x;
	size_t i;
	char at[160];

	bool_field(p, &c->privileged, h, "Privileged", "HostConfig.Privileged");
	bool_field(p, &c->read_only, h, "ReadonlyRootfs", "HostConfig.ReadonlyRootfs");
	bool_field(p, &c->publish_all, h, "PublishAllPorts", "HostConfig.PublishAllPorts");
	list_field(p, &c->cap_add, h, "CapAdd", "HostConfig.CapAdd", true);
	list_field(p, &c->cap_drop, h, "CapDrop", "HostConfig.CapDrop", true);
	json_array_foreach(json_object_get(h, "SecurityOpt"), i, v) {
		if (!json_string_value(v))
			continue;
		snprintf(at, sizeof(at), "HostConfig.SecurityOpt[%zu]", i);
		if (!ct_security_opt(p->a, c, arena_strdup(p->a, json_string_value(v)), jp(p, at)))
			ct_list_add(p->a, &c->unknown, arena_printf(p->a, "security option %s", json_string_value(v)),
				    jp(p, at));
	}
	str_field(p, &c->network_mode, h, "NetworkMode", "HostConfig.NetworkMode");
	str_field(p, &c->pid_mode, h, "PidMode", "HostConfig.PidMode");
	str_field(p, &c->ipc_mode, h, "IpcMode", "HostConfig.IpcMode");
	str_field(p, &c->uts_mode, h, "UTSMode", "HostConfig.UTSMode");
	str_field(p, &c->userns_mode, h, "UsernsMode", "HostConfig.UsernsMode");
	str_field(p, &c->cgroupns_mode, h, "CgroupnsMode", "HostConfig.CgroupnsMode");
	str_field(p, &c->cgroup_parent, h, "CgroupParent", "HostConfig.CgroupParent");
	if (c->ipc_mode.v && (!strcmp(c->ipc_mode.v, "private") || !strcmp(c->ipc_mode.v, "shareable")))
		c->ipc_mode.v = NULL; /* the daemon's defaults, not a choice */
	if (c->cgroupns_mode.v && !strcmp(c->cgroupns_mode.v, "private"))
		c->cgroupns_mode.v = NULL;
	json_array_foreach(json_object_get(h, "Devices"), i, v) {
		const char *d = jstr(p, v, "PathOnHost");
		snprintf(at, sizeof(at), "HostConfig.Devices[%zu]", i);
		if (d)
			ct_list_add(p->a, &c->devices, d, jp(p, at));
	}
	json_array_foreach(json_object_get(h, "DeviceRequests"), i, v) {
		snprintf(at, sizeof(at), "HostConfig.DeviceRequests[%zu]", i);
		ct_list_add(p->a, &c->devices, arena_printf(p->a, "device request %s", jstr(p, v, "Driver") ? jstr(p, v, "Driver") : "gpu"),
			    jp(p, at));
	}
	list_field(p, &c->group_add, h, "GroupAdd", "HostConfig.GroupAdd", false);
	list_field(p, &c->volumes_from, h, "VolumesFrom", "HostConfig.VolumesFrom", false);
	x = json_object_get(h, "RestartPolicy");
	if (jstr(p, x, "Name") && *jstr(p, x, "Name") && strcmp(jstr(p, x, "Name"), "no")) {
		c->restart.v = jstr(p, x, "Name");
		c->restart.at = jp(p, "HostConfig.RestartPolicy.Name");
		if (!strcmp(c->restart.v, "on-failure")) {
			c->restart_max.set = true;
			c->restart_max.v = jint(x, "MaximumRetryCount");
			c->restart_max.at = jp(p, "HostConfig.RestartPolicy.MaximumRetryCount");
		}
	}
	num_field(p, &c->memory, h, "Memory", "HostConfig.Memory");
	num_field(p, &c->nano_cpus, h, "NanoCpus", "HostConfig.NanoCpus");
	num_field(p, &c->cpu_shares, h, "CpuShares", "HostConfig.CpuShares");
	num_field(p, &c->cpu_quota, h, "CpuQuota", "HostConfig.CpuQuota");
	num_field(p, &c->pids_limit, h, "PidsLimit", "HostConfig.PidsLimit");
	json_object_foreach(json_object_get(h, "Sysctls"), key, v) {
		snprintf(at, sizeof(at), "HostConfig.Sysctls.%s", key);
		ct_kvs_add(p->a, &c->sysctls, arena_strdup(p->a, key), jstr(p, json_object_get(h, "Sysctls"), key), jp(p, at));
	}
	json_array_foreach(json_object_get(h, "Ulimits"), i, v) {
		struct ct_ulimit *u = ct_ulimit_add(p->a, c);
		snprintf(at, sizeof(at), "HostConfig.Ulimits[%zu]", i);
		if (u) {
			u->name = jstr(p, v, "Name");
			u->soft = jint(v, "Soft");
			u->hard = jint(v, "Hard");
			u->at = jp(p, at);
			if (!u->name)
				c->nulimits--;
		}
	}
	json_object_foreach(json_object_get(h, "PortBindings"), key, v) {
		json_t *b;
		size_t k;
		unsigned long ct = strtoul(key, NULL, 10);
		const char *slash = strchr(key, '/');
		json_array_foreach(v, k, b) {
			struct ct_port *pt = ct_port_add(p->a, c);
			if (!pt)
				break;
			snprintf(at, sizeof(at), "HostConfig.PortBindings.%s[%zu]", key, k);
			pt->at = jp(p, at);
			pt->published = true;
			pt->ct_lo = pt->ct_hi = (unsigned)(ct > 65535 ? 0 : ct);
			pt->proto = slash ? arena_strdup(p->a, slash + 1) : "tcp";
			pt->host_ip = jstr(p, b, "HostIp");
			pt->host_lo = pt->host_hi = (unsigned)strtoul(jstr(p, b, "HostPort") ? jstr(p, b, "HostPort") : "0", NULL, 10);
		}
	}
	json_object_foreach(json_object_get(h, "Tmpfs"), key, v) {
		struct ct_mount *m = ct_mount_add(p->a, c);
		if (m) {
			m->type = CT_MOUNT_TMPFS;
			m->target = arena_strdup(p->a, key);
			snprintf(at, sizeof(at), "HostConfig.Tmpfs.%s", key);
			m->at = jp(p, at);
		}
	}
	json_object_foreach(h, key, v) {
		size_t k;
		for (k = 0; k < DS_ARRAY_SIZE(known_host); k++)
			if (!strcmp(key, known_host[k]))
				break;
		if (k == DS_ARRAY_SIZE(known_host)) {
			snprintf(at, sizeof(at), "HostConfig.%s", key);
			ct_list_add(p->a, &c->unknown, arena_printf(p->a, "HostConfig key %s", key), jp(p, at));
		}
	}
}

/* Mounts as inspect reports them (top-level "Mounts": Type, Source,
 * Destination, RW, Propagation). */
static void mounts(struct ip *p, json_t *arr)
{
	json_t *v;
	size_t i;
	char at[64];

	json_array_foreach(arr, i, v) {
		struct ct_mount *m = ct_mount_add(p->a, p->c);
		const char *type = jstr(p, v, "Type");
		if (!m)
			return;
		m->type = !type || !strcmp(type, "volume") ? CT_MOUNT_VOLUME
			  : !strcmp(type, "bind")	  ? CT_MOUNT_BIND
			  : !strcmp(type, "tmpfs")	  ? CT_MOUNT_TMPFS
							  : CT_MOUNT_OTHER;
		m->source = jstr(p, v, "Source");
		m->target = jstr(p, v, "Destination");
		m->read_only = json_is_false(json_object_get(v, "RW"));
		m->propagation = jstr(p, v, "Propagation");
		if (m->propagation && !*m->propagation)
			m->propagation = NULL;
		snprintf(at, sizeof(at), "Mounts[%zu]", i);
		m->at = jp(p, at);
	}
}

static void config(struct ip *p, json_t *cfg)
{
	struct ct_container *c = p->c;
	json_t *v, *hc;
	size_t i;
	char at[64];

	str_field(p, &c->image, cfg, "Image", "Config.Image");
	str_field(p, &c->user, cfg, "User", "Config.User");
	json_array_foreach(json_object_get(cfg, "Env"), i, v) {
		const char *s = json_string_value(v), *eq;
		if (!s)
			continue;
		eq = strchr(s, '=');
		snprintf(at, sizeof(at), "Config.Env[%zu]", i);
		ct_kvs_add(p->a, &c->env, arena_strndup(p->a, s, eq ? (size_t)(eq - s) : strlen(s)),
			   eq ? arena_strdup(p->a, eq + 1) : NULL, jp(p, at));
	}
	hc = json_object_get(cfg, "Healthcheck");
	if (json_is_object(hc)) {
		json_t *test = json_object_get(hc, "Test");
		const char *t0 = json_string_value(json_array_get(test, 0));
		c->healthcheck.set = true;
		c->healthcheck.v = !(t0 && !strcmp(t0, "NONE"));
		c->healthcheck.at = jp(p, "Config.Healthcheck");
	}
}

int ct_from_inspect(struct target *t, struct ct_file *f, json_t *j)
{
	struct ip p = {&t->arena, NULL};
	const char *name = json_string_value(json_object_get(j, "Name"));
	const char *state = json_string_value(json_object_get(json_object_get(j, "State"), "Status"));

	if (!json_is_object(j))
		return ds_err_set(&t->err, DS_EPARSE, target_display_path(t), 0, 0, "expected a container object");
	if (f->n >= CT_MAX_CONTAINERS)
		return ds_err_set(&t->err, DS_ELIMIT, target_display_path(t), 0, 0, "more than %d containers",
				  CT_MAX_CONTAINERS);
	p.c = ct_new(p.a, f, CT_FROM_API,
		     arena_printf(p.a, "%s (%s)", name ? (name[0] == '/' ? name + 1 : name) : "?", state ? state : "?"), 0, 0);
	if (!p.c)
		return ds_oom(&t->err);
	p.c->at.jpath = "";
	p.c->workload = name ? arena_strdup(p.a, name[0] == '/' ? name + 1 : name) : NULL;
	config(&p, json_object_get(j, "Config"));
	host_config(&p, json_object_get(j, "HostConfig"));
	mounts(&p, json_object_get(j, "Mounts"));
	/* the image as the daemon resolved it, when Config.Image was an id */
	return t->arena.failed ? ds_oom(&t->err) : 0;
}
