/*
 * model.h - the ONE container-configuration model.
 *
 * Every way of describing a container - a `docker run` line, a Compose
 * service, a Kubernetes container, `docker inspect` JSON, a proxied
 * `POST /containers/create` body - is turned into a struct ct_container and
 * judged by the one rule table in rules.c. The fields follow the Engine
 * API's Config and HostConfig (the comment on each names the API field), so
 * the inspect and create-request front-ends are a 1:1 mapping.
 *
 * Three promises the rules rely on:
 *  - every value records where it came from (struct ct_src: line and
 *    column in the file, or the JSON path of an API body);
 *  - "unset" is distinct from "false"/"0": a ct_bool has set=false until a
 *    front-end saw the key, so "no read_only key" and "read_only: false"
 *    are different facts (the rule message can say which);
 *  - keys or flags a front-end does not understand are kept in unknown[],
 *    never silently dropped (the proxy refuses requests that have any).
 *
 * All strings and arrays live in the target's arena.
 */
#ifndef DS_CT_MODEL_H
#define DS_CT_MODEL_H

#include "../core/finding.h"

struct ct_src {
	int line, col;       /* 1-based; 0 when not from a text file */
	const char *jpath;   /* JSON path ("HostConfig.Privileged") for API bodies */
	const char *file;    /* another file of a Compose project (override, include,
			      * extends.file); NULL: the target's own file */
};

struct ct_bool {
	bool set, v;
	struct ct_src at;
};

struct ct_str {
	const char *v; /* NULL: unset */
	struct ct_src at;
};

struct ct_num {
	bool set;
	int64_t v;
	struct ct_src at;
};

struct ct_item {
	const char *v;
	struct ct_src at;
};

struct ct_list {
	struct ct_item *v;
	size_t n, cap;
};

struct ct_kv {
	const char *k, *v; /* v NULL: no value given (taken from the environment) */
	struct ct_src at;
};

struct ct_kvs {
	struct ct_kv *v;
	size_t n, cap;
	size_t *slot;  /* past a few keys, a hash index: v index + 1, 0 empty */
	size_t nslot;  /* a power of two, at least twice n; 0: no index yet */
};

enum ct_mount_type { CT_MOUNT_BIND, CT_MOUNT_VOLUME, CT_MOUNT_TMPFS, CT_MOUNT_OTHER };

struct ct_mount { /* HostConfig.Mounts / Binds / Tmpfs; k8s volumeMounts */
	enum ct_mount_type type;
	const char *source; /* host path for binds, volume name, NULL for tmpfs */
	const char *target;
	const char *propagation; /* "shared", "rshared", "Bidirectional" ... or NULL */
	bool read_only;
	struct ct_src at;
};

struct ct_port { /* HostConfig.PortBindings */
	const char *host_ip;     /* NULL or "": all interfaces */
	unsigned host_lo, host_hi; /* 0: a port chosen by the daemon */
	unsigned ct_lo, ct_hi;
	const char *proto;
	bool published;          /* false: only exposed (k8s containerPort) */
	struct ct_src at;
};

struct ct_ulimit { /* HostConfig.Ulimits */
	const char *name;
	int64_t soft, hard;
	struct ct_src at;
};

enum ct_origin { CT_FROM_RUN, CT_FROM_COMPOSE, CT_FROM_K8S, CT_FROM_API };

struct ct_container {
	const char *name;     /* service, "Deployment/web container app", ... */
	enum ct_origin origin;
	const char *workload; /* k8s: "Kind/name"; compose: project-less service name */
	struct ct_src at;     /* where the container is defined */
	bool incomplete;      /* a run line with an unknown flag: image not known */
	bool ephemeral;       /* a Kubernetes ephemeral container: no resources allowed */
	bool one_shot;        /* runs to completion: a Job or CronJob, docker run --rm */

	/* Config */
	struct ct_str image;         /* Config.Image */
	struct ct_str user;          /* Config.User ("uid[:gid]" or name) */
	struct ct_kvs env;           /* Config.Env */
	struct ct_bool healthcheck;  /* Config.Healthcheck: true set, false disabled */
	struct ct_list cmd;          /* Config.Cmd (argv after the image) */

	/* HostConfig */
	struct ct_bool privileged;    /* HostConfig.Privileged */
	struct ct_bool read_only;     /* HostConfig.ReadonlyRootfs */
	struct ct_bool publish_all;   /* HostConfig.PublishAllPorts */
	struct ct_list cap_add;       /* HostConfig.CapAdd (normalised: no CAP_, upper case) */
	struct ct_list cap_drop;      /* HostConfig.CapDrop */
	struct ct_list security_opt;  /* HostConfig.SecurityOpt, as written */
	struct ct_bool no_new_privs;  /* "no-new-privileges" / !allowPrivilegeEscalation */
	struct ct_str seccomp;        /* "seccomp=..." : "unconfined" or a profile */
	struct ct_str apparmor;       /* "apparmor=..." */
	struct ct_bool label_disable; /* "label=disable" / SELinux type spc_t */
	struct ct_str selinux_custom;  /* Kubernetes seLinuxOptions outside the PSS baseline:
					* a type other than container_t/container_init_t/
					* container_kvm_t, or a user or role ("type x") */
	struct ct_str pod_host_path;   /* a hostPath volume of the pod, mounted or not
					* (PSS baseline forbids them all): its name */
	struct ct_str network_mode;   /* HostConfig.NetworkMode */
	struct ct_str pid_mode, ipc_mode, uts_mode, userns_mode, cgroupns_mode;
	struct ct_list devices;       /* HostConfig.Devices (host path[:ct[:perm]]) */
	struct ct_list group_add;     /* HostConfig.GroupAdd */
	struct ct_list volumes_from;  /* HostConfig.VolumesFrom */
	struct ct_str cgroup_parent;  /* HostConfig.CgroupParent */
	struct ct_str restart;        /* HostConfig.RestartPolicy.Name */
	struct ct_num restart_max;    /* HostConfig.RestartPolicy.MaximumRetryCount */
	struct ct_num memory;         /* HostConfig.Memory, bytes */
	struct ct_num nano_cpus;      /* HostConfig.NanoCpus */
	struct ct_num cpu_shares;     /* HostConfig.CpuShares */
	struct ct_num cpu_quota;      /* HostConfig.CpuQuota */
	struct ct_num pids_limit;     /* HostConfig.PidsLimit */
	struct ct_kvs sysctls;        /* HostConfig.Sysctls */
	struct ct_mount *mounts;
	size_t nmounts, cmounts;
	struct ct_port *ports;
	size_t nports, cports;
	struct ct_ulimit *ulimits;
	size_t nulimits, culimits;

	/* Kubernetes facts with no Engine API field */
	struct ct_bool run_as_non_root;
	struct ct_bool automount_token;
	struct ct_str pull_policy;
	struct ct_str proc_mount;
	struct ct_num run_as_group;
	bool cpu_limit_k8s, mem_limit_k8s; /* resources.limits seen (values in memory/nano_cpus) */
	struct ct_bool cpu_request, mem_request; /* resources.requests (or a limit, which is the default request) */
	struct ct_str noncore_volume;      /* a pod volume of a type outside PSS restricted's list: "name (type)" */
	struct ct_list host_aliases;       /* hostAliases / --add-host / extra_hosts: "ip name..." */
	struct ct_list secret_env;         /* env from a Secret (secretKeyRef, envFrom secretRef): the names */
	const char *pss;                   /* Pod Security Standards level met, k8s only */
	const char *pss_why;               /* the first reason it is not higher */

	/* Network facts (Compose networks, docker run --network) */
	struct ct_bool icc;           /* com.docker.network.bridge.enable_icc of its network */

	/* Keys or flags the front-end did not understand */
	struct ct_list unknown;
};

/* One input file's containers. */
struct ct_file {
	struct ct_container **c;
	size_t n, cap;
	const char *kind; /* "docker-run", "compose", "kubernetes" */
};

struct ct_container *ct_new(struct arena *a, struct ct_file *f, enum ct_origin o,
			    const char *name, int line, int col);

int ct_list_add(struct arena *a, struct ct_list *l, const char *v, struct ct_src at);
int ct_kvs_add(struct arena *a, struct ct_kvs *l, const char *k, const char *v, struct ct_src at);
/* Replace the value of key k if present (Compose overrides), else add. */
int ct_kvs_set(struct arena *a, struct ct_kvs *l, const char *k, const char *v, struct ct_src at);
/* The last entry with key k (n bytes, not NUL-terminated), or NULL;
 * constant time on average, like ct_kvs_set, so a Compose file with
 * 100,000 environment entries is linear. */
const struct ct_kv *ct_kvs_getn(const struct ct_kvs *l, const char *k, size_t n);
struct ct_mount *ct_mount_add(struct arena *a, struct ct_container *c);
struct ct_port *ct_port_add(struct arena *a, struct ct_container *c);
struct ct_ulimit *ct_ulimit_add(struct arena *a, struct ct_container *c);

/* Capability name as the rules compare it: "cap_sys_admin" -> "SYS_ADMIN". */
const char *ct_cap_norm(struct arena *a, const char *cap);
bool ct_list_has(const struct ct_list *l, const char *v);
/* Is s (case-insensitively) one of set[0..n)? */
bool ct_in(const char *const *set, size_t n, const char *s);

/* Apply one --security-opt / security_opt value (also kept in security_opt).
 * Returns false when the option is not one Docker knows. */
bool ct_security_opt(struct arena *a, struct ct_container *c, const char *v, struct ct_src at);

/* Parse "-v SRC:DST[:OPTS]" (also Compose short syntax). Returns false when
 * it is not of that form. */
bool ct_parse_volume(struct arena *a, struct ct_container *c, const char *v, struct ct_src at);
/* Parse "--mount type=bind,source=...,target=...,readonly". */
bool ct_parse_mount(struct arena *a, struct ct_container *c, const char *v, struct ct_src at);
/* Parse "-p [ip:][hostport[-hi]:]ctport[-hi][/proto]", IPv6 hosts in []. */
bool ct_parse_port(struct arena *a, struct ct_container *c, const char *v, struct ct_src at);
/* "--ulimit nofile=1024:2048". */
bool ct_parse_ulimit(struct arena *a, struct ct_container *c, const char *v, struct ct_src at);
/* "512m", "1g", "1024" (bytes) -> bytes; Kubernetes "512Mi", "1G" too. */
bool ct_parse_bytes(const char *s, int64_t *out);
/* "1.5" CPUs or Kubernetes "500m" -> nano CPUs. */
bool ct_parse_cpus(const char *s, int64_t *out);
/* "on-failure:5" / "always" into restart and restart_max. */
bool ct_parse_restart(struct arena *a, struct ct_container *c, const char *v, struct ct_src at);

#endif
