/*
 * host.h - facts about the Docker host read from files and /proc, under a
 * root directory ("/" live, or a mounted host with `audit --root DIR`).
 *
 * The daemon's effective configuration is what dockerd really runs with:
 * its command line (/proc/PID/cmdline of the dockerd serving the audited
 * socket), /etc/default/docker's DOCKER_OPTS, and daemon.json (the
 * --config-file it was given, else /etc/docker/daemon.json). Each setting
 * keeps where it came from, so evidence reads `daemon.json "icc": true` or
 * `dockerd --iptables=false`. The command line wins over DOCKER_OPTS, and
 * both are reported with daemon.json when they disagree (dockerd itself
 * refuses to start then, so a conflict means a stale file).
 */
#ifndef DS_HOST_H
#define DS_HOST_H

#include "../core/ds.h"
#include <sys/stat.h>
#include <jansson.h>
#include <sys/types.h>

#define HOST_MAX_FILE (4u << 20)

/* One daemon setting: value as text, and where it came from. */
struct dsetting {
	const char *v;    /* NULL: not set anywhere (the daemon's default applies) */
	const char *from; /* "daemon.json", "dockerd command line", "/etc/default/docker" */
};

struct dcfg {
	const char *root;          /* "/" or the --root directory */
	int pid;                   /* dockerd's pid, 0 when not found (or offline) */
	const char *cmdline;       /* dockerd's command line, space-joined */
	const char *json_path;     /* the daemon.json that applies */
	const char *json_error;    /* why it could not be read, or NULL */
	struct dsetting icc, log_level, iptables, tls, tlsverify, tlscert, tlskey, tlscacert, userns_remap,
		cgroup_parent, authz, log_driver, live_restore, userland_proxy, seccomp, experimental, nnp,
		default_ulimits, storage_driver, storage_opts, insecure;
	const char *hosts[16];      /* -H / "hosts" */
	const char *hosts_from[16];
	size_t nhosts;
};

/* Path under the root (arena string). */
const char *host_path(struct arena *a, const char *root, const char *path);
/* Open the regular file path under root for reading, every symlink
 * resolved inside root (openat2 RESOLVE_IN_ROOT), never blocking on a
 * FIFO; -1 with errno (EINVAL: not a regular file). */
int host_open(const char *root, const char *path);
/* stat (follow) or lstat of path under root, every component resolved
 * inside root as host_open does: the mode and owner of the root's own
 * file, never of the auditing host's. 0, or -1 with errno. */
int host_stat(const char *root, const char *path, struct stat *st, bool follow);
/* Read a whole file under root into an arena string (host_open's rules);
 * NULL with errno set when absent, not a regular file (EINVAL) or larger
 * than HOST_MAX_FILE (EFBIG). */
char *host_read(struct arena *a, const char *root, const char *path, size_t *len);

/* The paths under root that match pattern (absolute; wildcards * ? [..]
 * in any component, "/etc/docker/certs.d/x/y" style), each directory
 * listed through an fd opened inside root as host_open does, so a link
 * cannot lead the listing out of a mounted root. Sorted per directory as
 * glob(3) sorts; a wildcard does not match a leading dot. At most
 * HOST_MAX_GLOB paths and HOST_MAX_GLOB_SCAN directory entries read in
 * all: *cut is set when a limit stopped the listing. 0, or DS_ENOMEM. */
#define HOST_MAX_GLOB 4096
#define HOST_MAX_GLOB_SCAN 100000
int host_glob(struct arena *a, const char *root, const char *pattern, const char ***paths, size_t *n, bool *cut);

/* access(2) of path under root, resolved inside root as host_open does
 * (the root's own file, never the auditing host's). 0, or -1 with errno. */
int host_access(const char *root, const char *path, int mode);

/* readlink(2) of path under root (its last component not followed, the
 * others resolved inside root): the length, or -1 with errno. */
ssize_t host_readlink(const char *root, const char *path, char *buf, size_t n);

/* The id of group name in root's /etc/group; *found false when absent. */
gid_t host_group_id(struct arena *a, const char *root, const char *name, bool *found);

/* Run argv[0] (an absolute path; no shell, a clean environment, stdin
 * and stderr on /dev/null) and collect up to max bytes of its stdout into
 * *out. Returns the exit status (0-255), or a negative DS_E* code: it
 * is not there (DS_ENOTFOUND), cannot run or died of a signal (DS_EIO),
 * was killed at timeout_ms (DS_ELIMIT); output past max is cut. */
int host_run(struct arena *a, const char *const argv[], char **out, size_t max, int timeout_ms);

/* The dockerd serving sock (unix socket path, or NULL for the default):
 * fills cfg from its command line, DOCKER_OPTS and daemon.json. Offline
 * (root != "/"), only the files are read. */
int host_daemon_config(struct arena *a, const char *root, const char *sock, struct dcfg *cfg);

#endif
