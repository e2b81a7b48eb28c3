/*
 * check.c - recognise a deployment file by content and run the right
 * front-end, then the rules.
 *
 * Detection reads the top-level keys of the first YAML documents without
 * parsing them (a line starting in column 0 with `services:`, or
 * `apiVersion:` together with `kind:`), so it costs one pass over the
 * bytes; a file with neither is searched for `docker run|create` lines
 * if a shell runs it (runsrc.c): prose that mentions a command is not one.
 * Version 1 Compose files (services at the top level) are told by a
 * top-level key with an `image:` or `build:` child. The file name only
 * breaks ties: a YAML file with "compose" in its name is Compose even when
 * its services are empty.
 */
#include "check.h"
#include <ctype.h>
#include <unistd.h>

bool ct_has_run(const char *s, size_t len);

static bool line_key(const char *p, size_t n, const char *key)
{
	size_t k = strlen(key);
	return n > k && !memcmp(p, key, k) && p[k] == ':';
}

static bool compose_top(const char *p, size_t n)
{
	static const char *const keys[] = {"version", "name", "networks", "volumes", "secrets", "configs", "models"};
	size_t i;

	if (n > 2 && !memcmp(p, "x-", 2))
		return true;
	if (n >= 3 && (!memcmp(p, "---", 3) || !memcmp(p, "...", 3)))
		return true;
	for (i = 0; i < DS_ARRAY_SIZE(keys); i++)
		if (line_key(p, n, keys[i]))
			return true;
	return false;
}

enum ct_kind ct_detect(const char *path, const char *data, size_t len)
{
	bool services = false, api = false, kind = false;
	const char *p = data, *end = data + len;
	struct str base = str_basename(str_cstr(path ? path : ""));
	bool compose_name = str_ifind(base, "compose") >= 0 &&
			    (str_has_suffix(base, ".yml") || str_has_suffix(base, ".yaml"));
	bool v1 = false; /* version 1 Compose: services at the top level, with image: or build: */
	bool include = false, other_top = false; /* top-level include:, keys Compose does not have */
	enum ct_runsrc src = ct_runsrc_kind(path, data, len);

	/* a script, Makefile, Jenkinsfile or CI file is one whatever YAML it
	 * carries (GitLab CI has a top-level services:, a script a heredoc) */
	if (src == CT_SRC_MAKE || src == CT_SRC_JENKINS || src == CT_SRC_CI ||
	    (src == CT_SRC_SHELL && path && strcmp(path, "-")))
		return ct_has_run(data, len) ? CT_KIND_RUN : CT_KIND_UNKNOWN;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (line_key(p, n, "services"))
			services = true;
		else if (line_key(p, n, "apiVersion") || (n > 13 && !memcmp(p, "- apiVersion:", 13)))
			api = true;
		else if (line_key(p, n, "kind"))
			kind = true;
		else if (n > 2 && p[0] == ' ' && p[1] == ' ' && (line_key(p + 2, n - 2, "image") || line_key(p + 2, n - 2, "build")))
			v1 = true;
		else if (line_key(p, n, "include"))
			include = true;
		else if (n && !isspace((unsigned char)p[0]) && p[0] != '#' && p[0] != '-' && !compose_top(p, n))
			other_top = true;
		p = nl ? nl + 1 : end;
	}
	{ /* a JSON manifest (kubectl get -o json, the API's own form): YAML reads it */
		const char *q = data;
		while (q < end && isspace((unsigned char)*q))
			q++;
		if (q < end && *q == '{' && memmem(data, len, "\"apiVersion\"", 12) && memmem(data, len, "\"kind\"", 6))
			return CT_KIND_K8S;
	}
	if ((services || (include && !other_top)) && !(api && kind))
		return CT_KIND_COMPOSE; /* an include-only file is a project too */
	if (api && kind)
		return CT_KIND_K8S;
	if (compose_name || (v1 && !api))
		return CT_KIND_COMPOSE;
	if (src != CT_SRC_NONE && ct_has_run(data, len))
		return CT_KIND_RUN;
	return CT_KIND_UNKNOWN;
}

int ct_check_target(struct target *t, const char *const *env, struct ct_file *f)
{
	int rc;

	memset(f, 0, sizeof(*f));
	switch (ct_detect(t->path, t->data, t->len)) {
	case CT_KIND_COMPOSE:
		t->kind = "compose";
		rc = ct_from_compose(t, f, env);
		break;
	case CT_KIND_K8S:
		t->kind = "kubernetes";
		rc = ct_from_k8s(t, f);
		break;
	case CT_KIND_RUN:
		t->kind = "docker-run";
		rc = ct_from_runfile(t, f);
		break;
	default:
		return ds_err_set(&t->err, DS_EPARSE, target_display_path(t), 0, 0,
				  "not a Compose file, a Kubernetes manifest, or a shell script, Makefile, "
				  "Jenkinsfile or CI file with docker run commands");
	}
	if (!rc && t->arena.failed)
		rc = ds_oom(&t->err);
	if (rc)
		return rc;
	ct_judge(t, f);
	return t->nomem || t->arena.failed ? ds_oom(&t->err) : 0;
}

char *ct_helm_chart(const char *path)
{
	char *p, *slash;

	if (!path || !strcmp(path, "-") || !strcmp(path, "--cmd") || !(p = ds_strdup(path)))
		return NULL;
	/* <chart>/templates/[...]/file: look for Chart.yaml beside each
	 * templates directory on the way up */
	while ((slash = strrchr(p, '/'))) {
		*slash = 0;
		struct str base = str_basename(str_cstr(p));
		if (str_eq(base, "templates")) {
			char chart[PATH_MAX];
			size_t n = (size_t)(base.p - p);
			int w = n ? snprintf(chart, sizeof(chart), "%.*sChart.yaml", (int)n, p)
				  : snprintf(chart, sizeof(chart), "Chart.yaml");
			if (w > 0 && (size_t)w < sizeof(chart) && !access(chart, F_OK)) {
				if (n > 1) {
					p[n - 1] = 0; /* the chart directory */
					return p;
				}
				ds_free(p);
				return ds_strdup(n ? "/" : ".");
			}
		}
	}
	ds_free(p);
	return NULL;
}
