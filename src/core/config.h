/*
 * config.h - .docksec.yaml: ignores, severity overrides, trusted
 * registries, path excludes and the default gate.
 *
 * The file is found by walking up from the target's directory (or given
 * with --config). Unknown keys and wrong types are errors that name the
 * file and line: a typo in a security tool's configuration must not
 * silently switch a check off.
 *
 *     ignore: [DF-HEALTHCHECK-MISSING, hadolint:DL3008]
 *     severity: {DF-APT-PIN: info}
 *     trusted-registries: [docker.io, registry.example.com]
 *     exclude: ["vendor", "*.test.Dockerfile"]
 *     require-digest: false
 *     fail-on: high
 *
 * Where a directory has no .docksec.yaml but a .hadolint.yaml, that one
 * is read with hadolint's keys, and the command says so once.
 */
#ifndef DS_CONFIG_H
#define DS_CONFIG_H

#include "finding.h"

struct cfg_override {
	char *id;
	enum ds_sev sev;
};

struct ds_config {
	char *path; /* NULL for the built-in defaults */
	char *dir;
	char **ignore;
	size_t nignore;
	struct cfg_override *ov;
	size_t nov;
	char **trusted;
	size_t ntrusted;
	char **exclude;
	size_t nexclude;
	bool require_digest;
	bool has_fail_on;
	int fail_on;
};

/* The built-in defaults (static, never freed). */
const struct ds_config *cfg_default(void);
int cfg_load(const char *path, struct ds_config **out, struct ds_err *err);
/* Same, from a buffer (tests and fuzzing); path names it in errors. */
int cfg_load_mem(const char *path, const char *data, size_t len, struct ds_config **out,
		 struct ds_err *err);
void cfg_free(struct ds_config *c);
/* Find .docksec.yaml in dir or its parents (in each directory, else a
 * .hadolint.yaml or .hadolint.yml there); 0 and the path, or DS_ENOTFOUND. */
int cfg_find(const char *dir, char *out, size_t outsz);
/* Is path a hadolint configuration? Loaded with hadolint's keys (ignored,
 * trustedRegistries, override, failure-threshold). */
bool cfg_is_hadolint(const char *path);
/* hadolint's levels (error, warning, info, style, ignore, none) as a
 * severity threshold: 0, or -1 for another word. */
int cfg_hadolint_level(const char *s, int *out);

bool cfg_is_ignored(const struct ds_config *c, const struct rule *r, const char *path);
enum ds_sev cfg_severity(const struct ds_config *c, const struct rule *r);
bool cfg_excluded(const struct ds_config *c, const char *path);
/* Is path below a directory pat names ("vendor", "vendor/", "a/b/" and a star, a
 * glob), at any depth? (exclude entries, --skip-dirs) */
bool cfg_path_in_dir(const char *path, const char *pat);
bool cfg_registry_trusted(const struct ds_config *c, const char *registry);

#endif
