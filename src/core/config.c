/*
 * config.c - load .docksec.yaml with libyaml's document API.
 *
 * The document is loaded whole (configuration files are small; the size is
 * capped at 1 MiB) and walked with explicit type checks so every error can
 * name the line. Matching of excludes uses fnmatch() on the path relative
 * to the configuration file's directory, and on the bare file name.
 */
#include "config.h"
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define CFG_MAX_BYTES (1u << 20)

static const struct ds_config defaults = {.require_digest = true};

const struct ds_config *cfg_default(void)
{
	return &defaults;
}

static void free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ds_free(v[i]);
	ds_free(v);
}

void cfg_free(struct ds_config *c)
{
	size_t i;

	if (!c || c == &defaults)
		return;
	free_list(c->ignore, c->nignore);
	free_list(c->trusted, c->ntrusted);
	free_list(c->exclude, c->nexclude);
	for (i = 0; i < c->nov; i++)
		ds_free(c->ov[i].id);
	ds_free(c->ov);
	ds_free(c->path);
	ds_free(c->dir);
	ds_free(c);
}

struct loader {
	yaml_document_t *doc;
	const char *path;
	struct ds_err *err;
};

static int bad(struct loader *l, yaml_node_t *n, const char *what)
{
	return ds_err_set(l->err, DS_ECONFIG, l->path, (int)n->start_mark.line + 1,
			  (int)n->start_mark.column + 1, "expected %s", what);
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A string list: a sequence of scalars, or one scalar. */
static int load_list(struct loader *l, yaml_node_t *n, char ***out, size_t *nout)
{
	yaml_node_item_t *it;
	size_t cap = 0;

	if (n->type == YAML_SCALAR_NODE) {
		if (ds_grow((void **)out, &cap, 1, sizeof(char *)) ||
		    !((*out)[0] = ds_strdup(scalar(n))))
			return ds_oom(l->err);
		*nout = 1;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return bad(l, n, "a list of strings");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(l->doc, *it);
		if (!e || !scalar(e))
			return bad(l, e ? e : n, "a string in the list");
		if (ds_grow((void **)out, &cap, *nout + 1, sizeof(char *)) ||
		    !((*out)[*nout] = ds_strdup(scalar(e))))
			return ds_oom(l->err);
		(*nout)++;
	}
	return 0;
}

static int load_bool(struct loader *l, yaml_node_t *n, bool *out)
{
	const char *s = scalar(n);

	if (s && (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on")))
		*out = true;
	else if (s && (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off")))
		*out = false;
	else
		return bad(l, n, "true or false");
	return 0;
}

/* Every id in an ignore list names a rule (by id, ref or another tool's
 * id): a typo must not leave a finding in place unnoticed. Checked when
 * the rules are registered (always, but in a bare configuration test). */
static int known_ids(struct loader *l, yaml_node_t *n)
{
	yaml_node_item_t *it;
	size_t k;

	if (!rules_count() || n->type != YAML_SEQUENCE_NODE)
		return 0;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(l->doc, *it);
		const char *id = e ? scalar(e) : NULL;
		bool any = false;
		for (k = 0; id && k < rules_count() && !any; k++)
			any = rule_ignored_by(rules_at(k), id) || rule_named_by(rules_at(k), id);
		if (id && !any)
			return ds_err_set(l->err, DS_ECONFIG, l->path, (int)e->start_mark.line + 1,
					  (int)e->start_mark.column + 1,
					  "ignore: no rule is named '%s' ('docksec rules' lists them)", id);
	}
	return 0;
}

static int load_overrides(struct loader *l, struct ds_config *c, yaml_node_t *n)
{
	yaml_node_pair_t *p;
	size_t cap = 0;

	if (n->type != YAML_MAPPING_NODE)
		return bad(l, n, "a mapping of rule id to severity");
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(l->doc, p->value);
		int sev;

		if (!scalar(k))
			return bad(l, k ? k : n, "a rule id");
		if (!scalar(v) || sev_parse(scalar(v), &sev) || sev > SEV_CRITICAL)
			return bad(l, v ? v : n, "info, low, medium, high or critical");
		if (ds_grow((void **)&c->ov, &cap, c->nov + 1, sizeof(*c->ov)) ||
		    !(c->ov[c->nov].id = ds_strdup(scalar(k))))
			return ds_oom(l->err);
		c->ov[c->nov++].sev = (enum ds_sev)sev;
	}
	return 0;
}

static int load_root(struct loader *l, struct ds_config *c, yaml_node_t *root)
{
	yaml_node_pair_t *p, *q;
	int rc;

	if (!root)
		return 0; /* an empty file is a valid, empty configuration */
	if (root->type != YAML_MAPPING_NODE)
		return bad(l, root, "a mapping at the top level");
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(l->doc, p->value);
		const char *key = scalar(k);

		if (!key || !v)
			return bad(l, k ? k : root, "a key");
		for (q = root->data.mapping.pairs.start; q < p; q++) { /* a key given twice: which one was meant? */
			const char *prev = scalar(yaml_document_get_node(l->doc, q->key));
			if (prev && !strcmp(prev, key))
				return ds_err_set(l->err, DS_ECONFIG, l->path, (int)k->start_mark.line + 1,
						  (int)k->start_mark.column + 1, "key '%s' given twice", key);
		}
		if (!strcmp(key, "ignore")) {
			rc = load_list(l, v, &c->ignore, &c->nignore);
			if (!rc)
				rc = known_ids(l, v);
		}
		else if (!strcmp(key, "severity"))
			rc = load_overrides(l, c, v);
		else if (!strcmp(key, "trusted-registries"))
			rc = load_list(l, v, &c->trusted, &c->ntrusted);
		else if (!strcmp(key, "exclude"))
			rc = load_list(l, v, &c->exclude, &c->nexclude);
		else if (!strcmp(key, "require-digest"))
			rc = load_bool(l, v, &c->require_digest);
		else if (!strcmp(key, "fail-on")) {
			if (!scalar(v) || sev_parse(scalar(v), &c->fail_on))
				return bad(l, v, "info, low, medium, high, critical or none");
			c->has_fail_on = true;
			rc = 0;
		} else {
			return ds_err_set(l->err, DS_ECONFIG, l->path, (int)k->start_mark.line + 1,
					  (int)k->start_mark.column + 1,
					  "unknown key '%s' (expected ignore, severity, "
					  "trusted-registries, exclude, require-digest or fail-on)",
					  key);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* hadolint's levels as docksec severities. */
int cfg_hadolint_level(const char *s, int *out)
{
	static const char *const lv[][2] = {{"error", "high"},	{"warning", "medium"}, {"info", "low"},
					    {"style", "info"},	{"ignore", "none"},    {"none", "none"}};
	size_t i;

	for (i = 0; s && i < DS_ARRAY_SIZE(lv); i++)
		if (!strcmp(s, lv[i][0]))
			return sev_parse(lv[i][1], out);
	return -1;
}

/* A .hadolint.yaml, read when no .docksec.yaml is found: ignored,
 * trustedRegistries, override (error/warning/info/style: ids) and
 * failure-threshold mean what they mean to hadolint; its display keys
 * (format, no-color, no-fail, strict-labels, label-schema,
 * disable-ignore-pragma) are accepted and left to docksec's options. */
static int load_hadolint(struct loader *l, struct ds_config *c, yaml_node_t *root)
{
	static const char *const display[] = {"format", "no-color", "no-fail", "strict-labels", "label-schema",
					      "disable-ignore-pragma", "verbose"};
	yaml_node_pair_t *p, *q;
	size_t cap = 0, i;
	int rc = 0;

	if (!root)
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return bad(l, root, "a mapping at the top level");
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top && !rc; p++) {
		yaml_node_t *k = yaml_document_get_node(l->doc, p->key), *v = yaml_document_get_node(l->doc, p->value);
		const char *key = scalar(k);
		if (!key || !v)
			return bad(l, k ? k : root, "a key");
		if (!strcmp(key, "ignored"))
			rc = load_list(l, v, &c->ignore, &c->nignore);
		else if (!strcmp(key, "trustedRegistries"))
			rc = load_list(l, v, &c->trusted, &c->ntrusted);
		else if (!strcmp(key, "failure-threshold")) {
			if (cfg_hadolint_level(scalar(v), &c->fail_on))
				return bad(l, v, "error, warning, info, style, ignore or none");
			c->has_fail_on = true;
		} else if (!strcmp(key, "override")) {
			if (v->type != YAML_MAPPING_NODE)
				return bad(l, v, "a mapping of error, warning, info or style to rule ids");
			for (q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top && !rc; q++) {
				yaml_node_t *lk = yaml_document_get_node(l->doc, q->key);
				yaml_node_t *ids = yaml_document_get_node(l->doc, q->value);
				char **list = NULL;
				size_t n = 0;
				int sev;
				if (cfg_hadolint_level(scalar(lk), &sev) || sev > SEV_CRITICAL)
					return bad(l, lk ? lk : v, "error, warning, info or style");
				if ((rc = load_list(l, ids, &list, &n)))
					break;
				for (i = 0; i < n && !rc; i++) {
					if (ds_grow((void **)&c->ov, &cap, c->nov + 1, sizeof(*c->ov)))
						rc = ds_oom(l->err);
					else {
						c->ov[c->nov].id = list[i];
						list[i] = NULL;
						c->ov[c->nov++].sev = (enum ds_sev)sev;
					}
				}
				free_list(list, n);
			}
		} else {
			for (i = 0; i < DS_ARRAY_SIZE(display) && strcmp(key, display[i]); i++)
				;
			if (i == DS_ARRAY_SIZE(display))
				return ds_err_set(l->err, DS_ECONFIG, l->path, (int)k->start_mark.line + 1,
						  (int)k->start_mark.column + 1,
						  "unknown key '%s' in a hadolint configuration (expected ignored, "
						  "trustedRegistries, override or failure-threshold)", key);
		}
	}
	return rc;
}

bool cfg_is_hadolint(const char *path)
{
	struct str b = str_basename(str_cstr(path ? path : ""));

	return str_eq(b, ".hadolint.yaml") || str_eq(b, ".hadolint.yml") || str_eq(b, "hadolint.yaml");
}

int cfg_load_mem(const char *path, const char *data, size_t len, struct ds_config **out,
		 struct ds_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct ds_config *c;
	struct loader l = {&doc, path, err};
	int rc;

	*out = NULL;
	if (len > CFG_MAX_BYTES)
		return ds_err_set(err, DS_ELIMIT, path, 0, 0,
				  "configuration file larger than 1 MiB");
	c = ds_calloc(1, sizeof(*c));
	if (!c)
		return ds_oom(err);
	c->require_digest = true;
	if (!(c->path = ds_strdup(path)) || !(c->dir = ds_dirname(path))) {
		cfg_free(c);
		return ds_oom(err);
	}
	if (!yaml_parser_initialize(&parser)) {
		cfg_free(c);
		return ds_oom(err);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = ds_err_set(err, parser.error == YAML_MEMORY_ERROR ? DS_ENOMEM : DS_ECONFIG,
				path, (int)parser.problem_mark.line + 1,
				(int)parser.problem_mark.column + 1, "invalid YAML: %s",
				parser.problem ? parser.problem : "unknown problem");
		yaml_parser_delete(&parser);
		cfg_free(c);
		return rc;
	}
	rc = cfg_is_hadolint(path) ? load_hadolint(&l, c, yaml_document_get_root_node(&doc))
				   : load_root(&l, c, yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc) {
		cfg_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int cfg_load(const char *path, struct ds_config **out, struct ds_err *err)
{
	FILE *f = fopen(path, "rb");
	char *data;
	size_t n;
	int rc;

	*out = NULL;
	if (!f)
		return ds_err_set(err, DS_EIO, path, 0, 0, "cannot open configuration: %s",
				  strerror(errno));
	data = ds_malloc(CFG_MAX_BYTES + 1);
	if (!data) {
		fclose(f);
		return ds_oom(err);
	}
	n = fread(data, 1, CFG_MAX_BYTES + 1, f);
	if (ferror(f)) {
		fclose(f);
		ds_free(data);
		return ds_err_set(err, DS_EIO, path, 0, 0, "cannot read configuration");
	}
	fclose(f);
	rc = cfg_load_mem(path, data, n, out, err);
	ds_free(data);
	return rc;
}

int cfg_find(const char *dir, char *out, size_t outsz)
{
	char cur[PATH_MAX];
	struct stat st;

	if (!realpath(dir, cur))
		return DS_ENOTFOUND;
	for (;;) {
		/* .docksec.yaml first; else hadolint's, so a project set up for
		 * hadolint keeps its ignores and overrides */
		static const char *const names[] = {".docksec.yaml", ".hadolint.yaml", ".hadolint.yml"};
		char *slash;
		size_t i;

		for (i = 0; i < DS_ARRAY_SIZE(names); i++) {
			int n = snprintf(out, outsz, "%s%s%s", cur, strcmp(cur, "/") == 0 ? "" : "/", names[i]);
			if (n > 0 && (size_t)n < outsz && stat(out, &st) == 0 && S_ISREG(st.st_mode))
				return 0;
		}
		if (strcmp(cur, "/") == 0)
			return DS_ENOTFOUND;
		slash = strrchr(cur, '/');
		if (slash == cur)
			cur[1] = 0;
		else
			*slash = 0;
	}
}

bool cfg_is_ignored(const struct ds_config *c, const struct rule *r, const char *path)
{
	size_t i;

	(void)path;
	for (i = 0; i < c->nignore; i++)
		if (rule_ignored_by(r, c->ignore[i]))
			return true;
	if (!c->require_digest && strcmp(r->id, "DF-FROM-DIGEST") == 0)
		return true;
	return false;
}

enum ds_sev cfg_severity(const struct ds_config *c, const struct rule *r)
{
	size_t i;

	for (i = c->nov; i > 0; i--)
		if (rule_ignored_by(r, c->ov[i - 1].id))
			return c->ov[i - 1].sev;
	return r->severity;
}

bool cfg_excluded(const struct ds_config *c, const char *path)
{
	char abs[PATH_MAX];
	const char *rel = path, *base = strrchr(path, '/');
	size_t i, dl;

	if (!c->nexclude)
		return false;
	if (c->dir && realpath(path, abs)) {
		char dirabs[PATH_MAX];
		if (realpath(c->dir, dirabs)) {
			dl = strlen(dirabs);
			if (strncmp(abs, dirabs, dl) == 0 && abs[dl] == '/')
				rel = abs + dl + 1;
		}
	}
	base = base ? base + 1 : path;
	for (i = 0; i < c->nexclude; i++) {
		if (fnmatch(c->exclude[i], rel, 0) == 0 || fnmatch(c->exclude[i], base, 0) == 0 ||
		    cfg_path_in_dir(rel, c->exclude[i]))
			return true;
	}
	return false;
}

bool cfg_path_in_dir(const char *path, const char *pat)
{
	char pre[PATH_MAX], p[PATH_MAX];
	const char *slash;
	size_t pl = strlen(pat);

	/* "vendor", "vendor/" and "third_party/" followed by a star name a directory: every
	 * path below it, at any depth, is in it */
	while (pl > 1 && pat[pl - 1] == '/')
		pl--;
	if (pl >= 2 && pat[pl - 1] == '*' && pat[pl - 2] == '/')
		pl -= 2;
	if (!pl || pl >= sizeof(p))
		return false;
	memcpy(p, pat, pl);
	p[pl] = 0;
	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		size_t n = (size_t)(slash - path);
		const char *comp = path;
		if (n >= sizeof(pre))
			break;
		memcpy(pre, path, n);
		pre[n] = 0;
		for (const char *q = pre; *q; q++) /* the last directory's own name */
			if (*q == '/')
				comp = path + (q - pre) + 1;
		if (fnmatch(p, pre, 0) == 0 || (!strchr(p, '/') && fnmatch(p, pre + (comp - path), 0) == 0))
			return true;
	}
	return false;
}

bool cfg_registry_trusted(const struct ds_config *c, const char *registry)
{
	size_t i;

	if (!c->ntrusted)
		return true;
	for (i = 0; i < c->ntrusted; i++) /* "*.corp.example", "*": shell patterns, as hadolint's */
		if (strcasecmp(c->trusted[i], registry) == 0 || fnmatch(c->trusted[i], registry, FNM_CASEFOLD) == 0)
			return true;
	return false;
}
