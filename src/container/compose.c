/*
 * compose.c - the Compose front-end (the Compose Specification; version 2
 * and 3 files are the same grammar with a `version:` key).
 *
 * Each service becomes one container. `extends` within the file is applied
 * first (depth-bounded, cycles refused) and the service's own keys on top:
 * scalars override, lists (cap_add, ports, volumes, devices...) append,
 * mappings (environment, sysctls, ulimits) merge by key - the merge rules
 * of `docker compose config`. YAML anchors are resolved by libyaml, merge
 * keys by yaml.c.
 *
 * Variables are interpolated in every value as Compose does: $VAR,
 * ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error},
 * ${VAR:+alt}, ${VAR+alt}, nested defaults, and $$ for a literal dollar.
 * Values come from the given environment first, then from a `.env` file
 * beside the Compose file. A required variable that is unset is an input
 * error with the line, as `docker compose` reports it.
 *
 * Keys the Compose Specification defines but that do not bear on security
 * are accepted and skipped; any other key (except x-*) is kept as unknown.
 */
#include "check.h"
#include "yaml.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define CP_MAX_INTERP_DEPTH 8
#define CP_MAX_DOTENV (1u << 20)

#define CP_MAX_FILES 64                 /* other files of a project (override, include, extends) */
#define CP_MAX_PROJECT_BYTES (64u << 20) /* their bytes together, env files included */

struct cp {
	struct target *t;
	struct ct_file *f;
	struct yd y;
	struct arena *a;
	const char *const *env; /* NAME=value, NULL-terminated */
	struct ct_kvs dotenv;
	yaml_node_t *services;
	yaml_node_t *networks;
	/* the file being read: NULL for the target, else another file of the
	 * project (its path as shown, its directory for relative paths) */
	const char *file;
	const char *dir;
	const char *roots[2];   /* real paths other files must be inside */
	const char *open[CT_MAX_DEPTH]; /* real paths of the files being read (include cycles) */
	int nopen;
	size_t nfiles, bytes;   /* budget for other files */
	/* Compose refuses a service that a file and a file it includes, or two
	 * included files, define differently: each application of a service is
	 * numbered (seq) and marked on its container (marks[], by its index in
	 * f); an include being read has the numbers after lo[] and, for the
	 * earlier files of the same include list, up to item[] (one level per
	 * nested include). */
	unsigned long seq;
	unsigned long lo[CT_MAX_DEPTH + 1], item[CT_MAX_DEPTH + 1];
	int ninc;
	struct svc_mark *marks;
	size_t capmarks;
};

struct svc_mark {
	unsigned long at;  /* the seq of the last application */
	uint64_t hash;     /* yd_hash of the definition an include gave, 0 if none or merged from several */
	const char *file;  /* where that definition is (NULL: the target) */
};

static struct ct_src cp_at(const struct cp *cp, const yaml_node_t *n)
{
	struct ct_src s = yd_src(n);

	s.file = cp->file;
	return s;
}

/* ---- interpolation ---- */

static const char *lookup(struct cp *cp, const char *name, size_t n, bool *found)
{
	size_t i;

	*found = false;
	for (i = 0; cp->env && cp->env[i]; i++)
		if (!strncmp(cp->env[i], name, n) && cp->env[i][n] == '=') {
			*found = true;
			return cp->env[i] + n + 1;
		}
	{
		const struct ct_kv *kv = ct_kvs_getn(&cp->dotenv, name, n);
		if (kv) {
			*found = true;
			return kv->v ? kv->v : "";
		}
	}
	return "";
}

/* A step failed: its error is in the target (a YAML limit, a bad node),
 * or, when a helper only ran out of memory, this says so. Never -1. */
static int cp_failed(struct cp *cp)
{
	return cp->t->err.code ? cp->t->err.code : ds_oom(&cp->t->err);
}

static int interp_into(struct cp *cp, yaml_node_t *n, const char *s, size_t len, struct buf *out, int depth);

/* Find the } closing a ${ at s[i] (i is after "${"), skipping nested ${...}. */
static size_t close_brace(const char *s, size_t len, size_t i)
{
	int nest = 0;

	for (; i < len; i++) {
		if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
			nest++;
			i++;
		} else if (s[i] == '}') {
			if (!nest)
				return i;
			nest--;
		}
	}
	return len;
}

static int interp_into(struct cp *cp, yaml_node_t *n, const char *s, size_t len, struct buf *out, int depth)
{
	size_t i = 0;

	if (depth > CP_MAX_INTERP_DEPTH)
		return yd_bad(&cp->y, n, "variable defaults nested more than %d deep", CP_MAX_INTERP_DEPTH);
	while (i < len) {
		const char *dollar = memchr(s + i, '$', len - i);
		size_t d;
		if (!dollar) {
			buf_add(out, s + i, len - i);
			break;
		}
		d = (size_t)(dollar - s);
		buf_add(out, s + i, d - i);
		i = d + 1;
		if (i < len && s[i] == '$') {
			buf_addc(out, '$');
			i++;
		} else if (i < len && s[i] == '{') {
			size_t close = close_brace(s, len, i + 1), nstart = i + 1, ne = nstart;
			const char *val;
			bool found, colon = false;
			char op = 0;

			if (close >= len)
				return yd_bad(&cp->y, n, "unterminated ${ in '%.*s'", (int)(len > 80 ? 80 : len), s);
			while (ne < close && (isalnum((unsigned char)s[ne]) || s[ne] == '_'))
				ne++;
			if (ne == nstart)
				return yd_bad(&cp->y, n, "invalid variable name in '%.*s'", (int)(close - d + 1), s + d);
			val = lookup(cp, s + nstart, ne - nstart, &found);
			if (ne < close) {
				size_t o = ne;
				if (s[o] == ':') {
					colon = true;
					o++;
				}
				if (o < close && (s[o] == '-' || s[o] == '?' || s[o] == '+'))
					op = s[o++];
				else
					return yd_bad(&cp->y, n, "invalid interpolation format '%.*s'", (int)(close - d + 1), s + d);
				{
					bool empty = !found || (colon && !*val);
					const char *arg = s + o;
					size_t an = close - o;
					if (op == '-') {
						if (empty) {
							int rc = interp_into(cp, n, arg, an, out, depth + 1);
							if (rc)
								return rc;
						} else {
							buf_adds(out, val);
						}
					} else if (op == '?') {
						if (empty)
							return yd_bad(&cp->y, n, "required variable %.*s is missing a value%s%.*s",
								      (int)(ne - nstart), s + nstart, an ? ": " : "", (int)an, arg);
						buf_adds(out, val);
					} else { /* + */
						if (!empty) {
							int rc = interp_into(cp, n, arg, an, out, depth + 1);
							if (rc)
								return rc;
						}
					}
				}
			} else {
				buf_adds(out, val);
			}
			i = close + 1;
		} else if (i < len && (isalpha((unsigned char)s[i]) || s[i] == '_')) {
			size_t ne = i;
			bool found;
			while (ne < len && (isalnum((unsigned char)s[ne]) || s[ne] == '_'))
				ne++;
			buf_adds(out, lookup(cp, s + i, ne - i, &found));
			i = ne;
		} else {
			buf_addc(out, '$');
		}
	}
	return 0;
}

/* A scalar value, interpolated, as an arena string; NULL with cp->t->err
 * set on error, or NULL for non-scalars (err not set). */
static const char *val(struct cp *cp, yaml_node_t *n)
{
	struct buf b = BUF_INIT;
	const char *s, *r;
	size_t len;

	if (!yd_is_scalar(n))
		return NULL;
	s = (const char *)n->data.scalar.value;
	len = n->data.scalar.length;
	if (!memchr(s, '$', len))
		return yd_str(&cp->y, n);
	if (interp_into(cp, n, s, len, &b, 0)) {
		buf_release(&b);
		return NULL;
	}
	r = arena_strndup(cp->a, buf_str(&b), b.n);
	if (!buf_ok(&b) || !r)
		ds_oom(&cp->t->err);
	buf_release(&b);
	return r;
}

/* ---- .env ---- */

/* Read NAME=value lines (Compose's env-file format: comments, `export`,
 * single or double quotes, " #" comments after unquoted values) from path
 * into kv. A missing file is not an error: returns 1. */
static int read_envfile(struct cp *cp, const char *path, struct ct_kvs *kv, struct ct_src at)
{
	FILE *fp;
	char line[8192];
	int ln = 0, fd;
	struct stat st = {0};
	size_t bytes = 0;

	/* a regular file only, of a bounded size: the file names it, and a FIFO,
	 * /dev/zero or a terminal would hold the check forever (O_NONBLOCK keeps
	 * the open itself from waiting for a FIFO's writer) */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) < 0)
		return 1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size > CT_MAX_BYTES ||
	    cp->bytes + (size_t)st.st_size > CP_MAX_PROJECT_BYTES) {
		close(fd);
		return ds_err_set(&cp->t->err, DS_EPARSE, path, 0, 0, "%s", S_ISREG(st.st_mode) ?
				  "an env file larger than the project's files may be together (64 MiB)" :
				  "an env file that is not a regular file");
	}
	if (!(fp = fdopen(fd, "r"))) {
		close(fd);
		return ds_oom(&cp->t->err);
	}
	while (fgets(line, sizeof(line), fp)) {
		char *s = line, *eq, *v, *e, *name;
		if ((bytes += strlen(line)) > CT_MAX_BYTES || cp->bytes + bytes > CP_MAX_PROJECT_BYTES) {
			fclose(fp);
			return ds_err_set(&cp->t->err, DS_ELIMIT, path, ln, 0,
					  "an env file larger than the project's files may be together (64 MiB)");
		}
		ln++;
		s[strcspn(s, "\r\n")] = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		if (!strncmp(s, "export ", 7))
			s += 7;
		eq = strchr(s, '=');
		if (!eq) {
			fclose(fp);
			return ds_err_set(&cp->t->err, DS_EPARSE, path, ln, 1, "expected NAME=value");
		}
		for (e = eq; e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if ((*v == '"' || *v == '\'') && (e = strrchr(v + 1, *v)) != NULL) {
			*e = 0;
			v++;
		} else if ((e = strstr(v, " #")) != NULL) {
			*e = 0;
		}
		name = arena_strndup(cp->a, s, (size_t)(eq - s));
		if (name)
			name[strcspn(name, " \t")] = 0;
		if (at.line)
			at.jpath = arena_printf(cp->a, "from %s:%d", path, ln);
		else
			at = (struct ct_src){ln, 1, NULL, cp->file};
		if (ct_kvs_set(cp->a, kv, name, arena_strdup(cp->a, v), at)) {
			fclose(fp);
			return ds_oom(&cp->t->err);
		}
	}
	fclose(fp);
	cp->bytes += bytes; /* every env file read counts, each time it is named */
	return 0;
}

/* A path named in the Compose file, relative to the file's directory. */
static const char *beside(struct cp *cp, const char *name)
{
	char *dir;
	const char *p;

	if (name[0] == '/' || !strcmp(cp->t->path, "-"))
		return name;
	dir = ds_dirname(cp->t->path);
	if (!dir) {
		ds_oom(&cp->t->err);
		return NULL;
	}
	p = arena_printf(cp->a, "%s/%s", dir, name);
	ds_free(dir);
	if (!p)
		ds_oom(&cp->t->err);
	return p;
}

static int load_dotenv(struct cp *cp)
{
	const char *path;
	int rc;

	if (!strcmp(cp->t->path, "-") || !strcmp(cp->t->path, "--cmd"))
		return 0;
	if (!(path = beside(cp, ".env")))
		return cp_failed(cp);
	rc = read_envfile(cp, path, &cp->dotenv, (struct ct_src){0, 0, NULL, NULL});
	return rc > 0 ? 0 : rc;
}

/* ---- other files of the project: override, include, extends.file ---- */

/* four each: sibling() relies on it */
static const char *const default_names[] = {"compose.yaml", "compose.yml", "docker-compose.yaml",
					    "docker-compose.yml"};
static const char *const override_names[] = {"compose.override.yml", "compose.override.yaml",
					     "docker-compose.override.yml", "docker-compose.override.yaml"};

static bool under(const char *dir, const char *real)
{
	size_t n = dir ? strlen(dir) : 0;

	if (!n)
		return false;
	if (n == 1 && dir[0] == '/')
		return true;
	return !strncmp(real, dir, n) && (real[n] == '/' || real[n] == 0);
}

/* The directories other files must resolve into: the target's own and the
 * current one. A Compose file from an untrusted change cannot make docksec
 * read /proc/self/environ or ~/.ssh (and quote it in an error). */
static int project_roots(struct cp *cp)
{
	char buf[PATH_MAX], cwd[PATH_MAX];
	char *dir;

	if (strcmp(cp->t->path, "-") && (dir = ds_dirname(cp->t->path))) {
		if (realpath(dir, buf))
			cp->roots[0] = arena_strdup(cp->a, buf);
		if (realpath(cp->t->path, buf)) /* an include of the file itself is a cycle */
			cp->open[cp->nopen++] = arena_strdup(cp->a, buf);
		cp->dir = arena_strdup(cp->a, dir);
		ds_free(dir);
	}
	if (getcwd(cwd, sizeof(cwd)) && realpath(cwd, buf) && strcmp(buf, "/"))
		cp->roots[1] = arena_strdup(cp->a, buf);
	if (!cp->dir)
		cp->dir = ".";
	return 0;
}

/* An error about another file: at the node that names it, or (for the
 * override, which nothing names) on the file itself. */
static int cp_bad(struct cp *cp, yaml_node_t *from, const char *shown, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int cp_bad(struct cp *cp, yaml_node_t *from, const char *shown, const char *fmt, ...)
{
	char msg[PATH_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (from)
		return yd_bad(&cp->y, from, "%s", msg);
	ds_err_set(&cp->t->err, DS_EPARSE, shown, 0, 0, "%s", msg);
	return DS_EPARSE;
}

/* Read rel (relative to the current file's directory) whole: a regular
 * file inside a root, within the per-file and per-project budgets. */
static int project_read(struct cp *cp, yaml_node_t *from, const char *rel, char **data, size_t *len,
			const char **shown, const char **real)
{
	char link[64], buf[PATH_MAX];
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, rc = 0;

	*data = NULL;
	*shown = rel[0] == '/' || !strcmp(cp->dir, ".") ? rel : arena_printf(cp->a, "%s/%s", cp->dir, rel);
	if (!*shown)
		return ds_oom(&cp->t->err);
	if (cp->nfiles >= CP_MAX_FILES)
		return cp_bad(cp, from, *shown, "more than 64 files in the project: %s not read", *shown);
	if ((fd = open(*shown, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) < 0)
		return cp_bad(cp, from, *shown, "cannot read %s: %s", *shown, strerror(errno));
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		rc = cp_bad(cp, from, *shown, "%s is not a regular file", *shown);
	else if ((n = readlink(link, buf, sizeof(buf) - 1)) <= 0 || (buf[n] = 0, !under(cp->roots[0], buf) && !under(cp->roots[1], buf)))
		rc = cp_bad(cp, from, *shown, "%s is outside the project directory and the current one: not read", *shown);
	else if ((size_t)st.st_size > CT_MAX_BYTES || cp->bytes + (size_t)st.st_size > CP_MAX_PROJECT_BYTES)
		rc = cp_bad(cp, from, *shown, "%s is too large (a file may have 32 MiB, a project 64 MiB)", *shown);
	else if (!(*real = arena_strdup(cp->a, buf)) || !(*data = ds_malloc((size_t)st.st_size + 1)))
		rc = ds_oom(&cp->t->err);
	while (!rc && got <= (size_t)st.st_size && (n = read(fd, *data + got, (size_t)st.st_size + 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (!rc && (got > (size_t)st.st_size || memchr(*data, 0, got)))
		rc = cp_bad(cp, from, *shown, "%s changed while read, or is binary", *shown);
	if (rc) {
		ds_free(*data);
		*data = NULL;
		return rc;
	}
	(*data)[got] = 0;
	*len = got;
	cp->nfiles++;
	cp->bytes += got;
	return 0;
}

typedef int (*cp_doc_fn)(struct cp *cp, void *arg);

/* Call fn on each document of another file of the project, with cp reading
 * it: the parser is opened in place in cp->y (libyaml's string reader
 * points back at its own struct, so a parser is never moved while live;
 * the outer one is copied out and back, to the same address). include
 * refuses a file already being read, as Compose does. */
static int with_file(struct cp *cp, yaml_node_t *from, const char *rel, bool include, cp_doc_fn fn, void *arg)
{
	struct yd outer;
	const char *file = cp->file, *dir = cp->dir, *shown, *real = NULL;
	yaml_node_t *services = cp->services, *networks = cp->networks;
	char *data, *d;
	size_t len = 0;
	int i, rc;

	if ((rc = project_read(cp, from, rel, &data, &len, &shown, &real)))
		return rc;
	for (i = 0; include && i < cp->nopen; i++)
		if (!strcmp(cp->open[i], real)) {
			ds_free(data);
			return cp_bad(cp, from, shown, "include cycle: %s is already being read", shown);
		}
	if (cp->nopen >= CT_MAX_DEPTH) {
		ds_free(data);
		return cp_bad(cp, from, shown, "files nested more than 64 deep: %s not read", shown);
	}
	if (!(d = ds_dirname(shown))) {
		ds_free(data);
		return ds_oom(&cp->t->err);
	}
	memcpy(&outer, &cp->y, sizeof(outer));
	cp->open[cp->nopen++] = real;
	cp->file = shown;
	cp->dir = arena_strdup(cp->a, d);
	ds_free(d);
	if (!cp->dir || yd_open(&cp->y, cp->a, shown, data, len, &cp->t->err)) {
		rc = cp_failed(cp);
		memcpy(&cp->y, &outer, sizeof(outer));
	} else {
		while ((rc = yd_next(&cp->y)) > 0)
			if ((rc = fn(cp, arg)))
				break;
		yd_close(&cp->y);
		memcpy(&cp->y, &outer, sizeof(outer));
		if (rc < 0)
			rc = cp_failed(cp);
	}
	cp->nopen--;
	cp->file = file;
	cp->dir = dir;
	cp->services = services;
	cp->networks = networks;
	ds_free(data);
	return rc;
}

_Static_assert(DS_ARRAY_SIZE(default_names) == 4 && DS_ARRAY_SIZE(override_names) == 4, "sibling() takes 4 names");

/* If path's name is one of names[], the first of others[] that exists
 * beside it (a static string), else NULL. */
static const char *sibling(const char *path, const char *const *names, const char *const *others)
{
	struct str base = str_basename(str_cstr(path));
	char *dir;
	const char *o = NULL;
	size_t i;

	for (i = 0; i < 4 && !str_eq(base, names[i]); i++)
		;
	if (i == 4 || !(dir = ds_dirname(path)))
		return NULL;
	for (i = 0; i < 4 && !o; i++) {
		char p[PATH_MAX];
		snprintf(p, sizeof(p), "%s/%s", dir, others[i]);
		if (!access(p, F_OK))
			o = others[i];
	}
	ds_free(dir);
	return o;
}

/* The override file Compose reads with a default-named file, if any. */
static const char *override_of(const char *path)
{
	return sibling(path, default_names, override_names);
}

bool ct_compose_is_override(const char *path)
{
	return sibling(path, override_names, default_names) != NULL;
}

/* ---- service keys ---- */

static const char *const skipped_keys[] = {
	"annotations", "attach", "blkio_config", "build", "command", "configs", "container_name",
	"cpu_count", "cpu_percent", "cpu_period", "cpu_rt_period", "cpu_rt_runtime", "cpuset",
	"credential_spec", "depends_on", "develop", "dns", "dns_opt", "dns_search", "domainname",
	"entrypoint", "expose", "external_links", "extra_hosts", "gpus", "hostname", "init", "isolation",
	"label_file", "labels", "links", "logging", "mac_address", "mem_reservation", "mem_swappiness",
	"memswap_limit", "models", "oom_kill_disable", "oom_score_adj", "platform", "post_start",
	"pre_stop", "profiles", "provider", "pull_policy", "runtime", "scale", "secrets", "shm_size",
	"stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "tty", "volume_driver",
	"working_dir", "extends", "kernel_memory", "driver_opts",
};

static bool skipped(const char *k)
{
	size_t i;

	if (!strncmp(k, "x-", 2))
		return true;
	for (i = 0; i < DS_ARRAY_SIZE(skipped_keys); i++)
		if (!strcmp(k, skipped_keys[i]))
			return true;
	return false;
}

/* err set by val() or here. */
static int need_str(struct cp *cp, yaml_node_t *n, const char *key, const char **out)
{
	*out = NULL;
	if (!yd_is_scalar(n))
		return yd_bad(&cp->y, n, "expected a string for %s", key);
	*out = val(cp, n);
	return *out ? 0 : -1;
}

static int set_str(struct cp *cp, struct ct_str *s, yaml_node_t *n, struct ct_src at, const char *key)
{
	const char *v;
	int rc = need_str(cp, n, key, &v);

	if (rc)
		return rc;
	s->v = v;
	s->at = at;
	return 0;
}

static int set_bool(struct cp *cp, struct ct_bool *b, yaml_node_t *n, struct ct_src at, const char *key)
{
	const char *v;
	bool x;

	if (yd_bool(n, &x)) {
		b->set = true;
		b->v = x;
		b->at = at;
		return 0;
	}
	if (yd_is_scalar(n) && (v = val(cp, n)) && (!strcmp(v, "true") || !strcmp(v, "false"))) {
		b->set = true;
		b->v = v[0] == 't';
		b->at = at;
		return 0;
	}
	return yd_bad(&cp->y, n, "expected true or false for %s", key);
}

static int set_bytes(struct cp *cp, struct ct_num *num, yaml_node_t *n, struct ct_src at, const char *key)
{
	const char *v;
	int64_t x;
	int rc = need_str(cp, n, key, &v);

	if (rc)
		return rc;
	if (!ct_parse_bytes(v, &x))
		return yd_bad(&cp->y, n, "expected a size like 512m or 1g for %s, got '%s'", key, v);
	num->set = true;
	num->v = x;
	num->at = at;
	return 0;
}

static int set_cpus(struct cp *cp, struct ct_num *num, yaml_node_t *n, struct ct_src at, const char *key)
{
	const char *v;
	int64_t x;
	int rc = need_str(cp, n, key, &v);

	if (rc)
		return rc;
	if (!ct_parse_cpus(v, &x))
		return yd_bad(&cp->y, n, "expected a number of CPUs for %s, got '%s'", key, v);
	num->set = true;
	num->v = x;
	num->at = at;
	return 0;
}

static int set_int(struct cp *cp, struct ct_num *num, yaml_node_t *n, struct ct_src at, const char *key)
{
	const char *v;
	char *end;
	long long x;
	int rc = need_str(cp, n, key, &v);

	if (rc)
		return rc;
	errno = 0;
	x = strtoll(v, &end, 10);
	if (end == v || *end || errno)
		return yd_bad(&cp->y, n, "expected an integer for %s, got '%s'", key, v);
	num->set = true;
	num->v = x;
	num->at = at;
	return 0;
}

/* A string or a list of strings; fn is called for each. */
typedef int (*item_fn)(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n);

static int each_str(struct cp *cp, struct ct_container *c, yaml_node_t *n, const char *key, item_fn fn)
{
	size_t i, len;
	const char *v;
	int rc;

	if (yd_is_scalar(n)) {
		if ((rc = need_str(cp, n, key, &v)))
			return rc;
		return fn(cp, c, v, n);
	}
	if (!yd_is_seq(n))
		return yd_bad(&cp->y, n, "expected a list for %s", key);
	len = yd_len(n);
	for (i = 0; i < len; i++) {
		yaml_node_t *it = yd_item(&cp->y, n, i);
		if (!it)
			return cp_failed(cp);
		if ((rc = need_str(cp, it, key, &v)) || (rc = fn(cp, c, v, it)))
			return rc;
	}
	return 0;
}

static int add_cap(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	return ct_list_add(cp->a, &c->cap_add, ct_cap_norm(cp->a, v), cp_at(cp, n)) ? ds_oom(&cp->t->err) : 0;
}

static int drop_cap(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	return ct_list_add(cp->a, &c->cap_drop, ct_cap_norm(cp->a, v), cp_at(cp, n)) ? ds_oom(&cp->t->err) : 0;
}

static int add_secopt(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	if (!ct_security_opt(cp->a, c, v, cp_at(cp, n)))
		return yd_bad(&cp->y, n, "unknown security_opt '%s'", v);
	return 0;
}

static int add_device(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	return ct_list_add(cp->a, &c->devices, v, cp_at(cp, n)) ? ds_oom(&cp->t->err) : 0;
}

static int add_group(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	return ct_list_add(cp->a, &c->group_add, v, cp_at(cp, n)) ? ds_oom(&cp->t->err) : 0;
}

static int add_volfrom(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	return ct_list_add(cp->a, &c->volumes_from, v, cp_at(cp, n)) ? ds_oom(&cp->t->err) : 0;
}

static int add_tmpfs(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	struct ct_mount *m = ct_mount_add(cp->a, c);

	if (!m)
		return ds_oom(&cp->t->err);
	m->type = CT_MOUNT_TMPFS;
	m->target = v;
	m->at = cp_at(cp, n);
	return 0;
}

static int add_env_item(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	const char *eq = strchr(v, '=');

	return ct_kvs_set(cp->a, &c->env, eq ? arena_strndup(cp->a, v, (size_t)(eq - v)) : v, eq ? eq + 1 : NULL,
			  cp_at(cp, n))
		       ? ds_oom(&cp->t->err)
		       : 0;
}

static int add_sysctl_item(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	const char *eq = strchr(v, '=');

	/* `name` alone is accepted by Compose (an empty value) */
	return ct_kvs_set(cp->a, &c->sysctls, eq ? arena_strndup(cp->a, v, (size_t)(eq - v)) : v, eq ? eq + 1 : "",
			  cp_at(cp, n))
		       ? ds_oom(&cp->t->err)
		       : 0;
}

/* environment / sysctls: a list of NAME=value or a mapping. */
static int kv_field(struct cp *cp, struct ct_container *c, yaml_node_t *n, const char *key, struct ct_kvs *kv,
		    item_fn fn)
{
	struct yd_pair *ps;
	size_t np, i;
	int rc;

	if (yd_is_scalar(n) && !yd_is_null(n))
		return yd_bad(&cp->y, n, "expected a list or a mapping for %s (Compose refuses a string)", key);
	if (!yd_is_map(n))
		return each_str(cp, c, n, key, fn);
	if ((rc = yd_pairs(&cp->y, n, &ps, &np)))
		return rc;
	for (i = 0; i < np; i++) {
		const char *v = NULL;
		if (!yd_is_null(ps[i].v) && (rc = need_str(cp, ps[i].v, key, &v)))
			return rc;
		if (ct_kvs_set(cp->a, kv, ps[i].key, v, cp_at(cp, ps[i].k)))
			return ds_oom(&cp->t->err);
	}
	return 0;
}

/* A value that only became invalid through an unset variable is kept as
 * unknown (not judged) rather than failing the file: CI runs rarely have
 * the deployment's environment. */
static int unreadable(struct cp *cp, struct ct_container *c, yaml_node_t *n, const char *what)
{
	struct ct_src at = cp_at(cp, n);

	if (ct_list_add(cp->a, &c->unknown,
			arena_printf(cp->a, "%s '%.*s' (invalid after variable substitution)", what,
				     (int)(n->data.scalar.length > 100 ? 100 : n->data.scalar.length),
				     (const char *)n->data.scalar.value),
			at))
		return ds_oom(&cp->t->err);
	return 0;
}

static bool has_var(const yaml_node_t *n)
{
	return yd_is_scalar(n) && memchr(n->data.scalar.value, '$', n->data.scalar.length);
}

/* The parsers add the entry before they validate it, so a refused value
 * is taken off again. */
static int volume_short(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	if (ct_parse_volume(cp->a, c, v, cp_at(cp, n)))
		return 0;
	c->nmounts--;
	if (has_var(n))
		return unreadable(cp, c, n, "volume");
	return yd_bad(&cp->y, n, "expected [SOURCE:]TARGET[:MODE] for a volume, got '%s'", v);
}

/* What the Compose schema refuses in a long-syntax volume: an unknown
 * key, a bind without a source, a tmpfs size that is not a whole number
 * of bytes or is negative. */
static int volume_long_valid(struct cp *cp, yaml_node_t *it)
{
	static const char *const keys[] = {"type", "source", "target", "read_only", "consistency", "bind", "volume",
					   "tmpfs", "image"};
	yaml_node_t *type = yd_get(&cp->y, it, "type"), *src = yd_get(&cp->y, it, "source"), *t, *sz;
	const char *ts = yd_is_scalar(type) ? (const char *)type->data.scalar.value : "";
	struct yd_pair *ps;
	size_t np, i;
	int rc;

	if ((rc = yd_pairs(&cp->y, it, &ps, &np)))
		return rc;
	for (i = 0; i < np; i++)
		if (ps[i].key && !ct_in(keys, DS_ARRAY_SIZE(keys), ps[i].key) && strncmp(ps[i].key, "x-", 2))
			return yd_bad(&cp->y, ps[i].k, "unknown key '%s' in a volume (Compose refuses it)", ps[i].key);
	if (!strcmp(ts, "bind") && (!src || yd_is_null(src) ||
				    (yd_is_scalar(src) && !src->data.scalar.length)))
		return yd_bad(&cp->y, it, "a bind mount needs a source (Compose refuses it)");
	if ((t = yd_get(&cp->y, it, "tmpfs")) && (sz = yd_get(&cp->y, t, "size")) && yd_is_scalar(sz) &&
	    sz->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		const char *v = (const char *)sz->data.scalar.value;
		if (v[0] == '-' || (strspn(v, "0123456789") != strlen(v) && strpbrk(v, ".eE") && !strpbrk(v, "kmgbKMGB")))
			return yd_bad(&cp->y, sz, "expected a size of 0 or more whole bytes for tmpfs.size, not %s", v);
	}
	return 0;
}

static int volumes(struct cp *cp, struct ct_container *c, yaml_node_t *n)
{
	size_t i, len;
	int rc;

	if (!yd_is_seq(n))
		return yd_bad(&cp->y, n, "expected a list for volumes");
	len = yd_len(n);
	for (i = 0; i < len; i++) {
		yaml_node_t *it = yd_item(&cp->y, n, i), *x;
		struct ct_mount *m;
		const char *s;
		bool b;

		if (!it)
			return cp_failed(cp);
		if (yd_is_scalar(it)) {
			if ((rc = need_str(cp, it, "volumes", &s)) || (rc = volume_short(cp, c, s, it)))
				return rc;
			continue;
		}
		if (!yd_is_map(it))
			return yd_bad(&cp->y, it, "expected a string or a mapping for a volume");
		if ((rc = volume_long_valid(cp, it)))
			return rc;
		if (!(m = ct_mount_add(cp->a, c)))
			return ds_oom(&cp->t->err);
		m->at = cp_at(cp, it);
		m->type = CT_MOUNT_VOLUME;
		if ((x = yd_get(&cp->y, it, "type"))) {
			if ((rc = need_str(cp, x, "type", &s)))
				return rc;
			/* npipe: a host named pipe, bound like a host path */
			m->type = !strcmp(s, "bind") || !strcmp(s, "npipe") ? CT_MOUNT_BIND : !strcmp(s, "volume") ? CT_MOUNT_VOLUME
				  : !strcmp(s, "tmpfs") ? CT_MOUNT_TMPFS : CT_MOUNT_OTHER;
		}
		if ((x = yd_get(&cp->y, it, "source")) && (rc = need_str(cp, x, "source", &m->source)))
			return rc;
		if ((x = yd_get(&cp->y, it, "target")) && (rc = need_str(cp, x, "target", &m->target)))
			return rc;
		if ((x = yd_get(&cp->y, it, "read_only"))) {
			if (!yd_bool(x, &b))
				return yd_bad(&cp->y, x, "expected true or false for read_only");
			m->read_only = b;
		}
		if ((x = yd_get(&cp->y, yd_get(&cp->y, it, "bind"), "propagation")) &&
		    (rc = need_str(cp, x, "propagation", &m->propagation)))
			return rc;
		if (!m->target)
			return yd_bad(&cp->y, it, "expected a target for the volume");
	}
	return 0;
}

static int port_short(struct cp *cp, struct ct_container *c, const char *v, yaml_node_t *n)
{
	if (ct_parse_port(cp->a, c, v, cp_at(cp, n)))
		return 0;
	c->nports--;
	if (has_var(n))
		return unreadable(cp, c, n, "port");
	return yd_bad(&cp->y, n, "expected [[IP:]HOST:]CONTAINER[/PROTO] for a port, got '%s'", v);
}

static int ports(struct cp *cp, struct ct_container *c, yaml_node_t *n)
{
	size_t i, len;
	int rc;

	if (!yd_is_seq(n))
		return yd_bad(&cp->y, n, "expected a list for ports");
	len = yd_len(n);
	for (i = 0; i < len; i++) {
		yaml_node_t *it = yd_item(&cp->y, n, i), *x;
		const char *s;
		struct ct_port *p;
		unsigned long u;

		if (!it)
			return cp_failed(cp);
		if (yd_is_scalar(it)) {
			if ((rc = need_str(cp, it, "ports", &s)) || (rc = port_short(cp, c, s, it)))
				return rc;
			continue;
		}
		if (!yd_is_map(it))
			return yd_bad(&cp->y, it, "expected a string or a mapping for a port");
		if (!(p = ct_port_add(cp->a, c)))
			return ds_oom(&cp->t->err);
		p->at = cp_at(cp, it);
		p->published = true;
		p->proto = "tcp";
		if ((x = yd_get(&cp->y, it, "target"))) {
			if ((rc = need_str(cp, x, "target", &s)))
				return rc;
			if (!str_to_ulong(str_cstr(s), 65535, &u))
				return yd_bad(&cp->y, x, "expected a port number, got '%s'", s);
			p->ct_lo = p->ct_hi = (unsigned)u;
		}
		if ((x = yd_get(&cp->y, it, "published"))) {
			const char *dash;
			if ((rc = need_str(cp, x, "published", &s)))
				return rc;
			dash = strchr(s, '-');
			if (!str_to_ulong(dash ? str_make(s, (size_t)(dash - s)) : str_cstr(s), 65535, &u))
				return yd_bad(&cp->y, x, "expected a port number or range, got '%s'", s);
			p->host_lo = p->host_hi = (unsigned)u;
		}
		if ((x = yd_get(&cp->y, it, "host_ip")) && (rc = need_str(cp, x, "host_ip", &p->host_ip)))
			return rc;
		if ((x = yd_get(&cp->y, it, "protocol")) && (rc = need_str(cp, x, "protocol", &p->proto)))
			return rc;
	}
	return 0;
}

static int ulimits(struct cp *cp, struct ct_container *c, yaml_node_t *n)
{
	struct yd_pair *ps;
	size_t np, i;
	int rc;

	if ((rc = yd_pairs(&cp->y, n, &ps, &np)))
		return rc;
	for (i = 0; i < np; i++) {
		struct ct_ulimit *u = ct_ulimit_add(cp->a, c);
		struct ct_num soft = {0}, hard = {0};
		if (!u)
			return ds_oom(&cp->t->err);
		u->name = ps[i].key;
		u->at = cp_at(cp, ps[i].k);
		if (yd_is_map(ps[i].v)) {
			yaml_node_t *s = yd_get(&cp->y, ps[i].v, "soft"), *h = yd_get(&cp->y, ps[i].v, "hard");
			if ((s && (rc = set_int(cp, &soft, s, u->at, "soft"))) ||
			    (h && (rc = set_int(cp, &hard, h, u->at, "hard"))))
				return rc;
			u->soft = soft.v;
			u->hard = h ? hard.v : soft.v;
		} else {
			if ((rc = set_int(cp, &soft, ps[i].v, u->at, "ulimits")))
				return rc;
			u->soft = u->hard = soft.v;
		}
	}
	return 0;
}

static int healthcheck(struct cp *cp, struct ct_container *c, yaml_node_t *n, struct ct_src at)
{
	yaml_node_t *x;
	bool b;

	if (!yd_is_map(n))
		return yd_bad(&cp->y, n, "expected a mapping for healthcheck");
	c->healthcheck.set = true;
	c->healthcheck.v = true;
	c->healthcheck.at = at;
	if ((x = yd_get(&cp->y, n, "disable")) && yd_bool(x, &b) && b)
		c->healthcheck.v = false;
	if ((x = yd_get(&cp->y, n, "test"))) {
		yaml_node_t *first = yd_is_seq(x) ? yd_item(&cp->y, x, 0) : x;
		const char *s = yd_is_scalar(first) ? val(cp, first) : NULL;
		if (s && !strcmp(s, "NONE"))
			c->healthcheck.v = false;
	}
	return 0;
}

/* deploy.resources as the Compose schema has it: limits and
 * reservations only; a device request needs capabilities, and count
 * (a number or "all") excludes device_ids. */
static int resources_valid(struct cp *cp, yaml_node_t *res)
{
	struct yd_pair *ps;
	yaml_node_t *devs, *x;
	size_t np, i;
	int rc;

	if (!res || !yd_is_map(res))
		return 0;
	if ((rc = yd_pairs(&cp->y, res, &ps, &np)))
		return rc;
	for (i = 0; i < np; i++)
		if (ps[i].key && strcmp(ps[i].key, "limits") && strcmp(ps[i].key, "reservations") &&
		    strncmp(ps[i].key, "x-", 2))
			return yd_bad(&cp->y, ps[i].k, "unknown key '%s' in deploy.resources (expected limits or "
						       "reservations)", ps[i].key);
	devs = yd_get(&cp->y, yd_get(&cp->y, res, "reservations"), "devices");
	for (i = 0; i < yd_len(devs); i++) {
		yaml_node_t *d = yd_item(&cp->y, devs, i);
		if (!yd_is_map(d))
			continue;
		if (!yd_get(&cp->y, d, "capabilities"))
			return yd_bad(&cp->y, d, "a device request needs capabilities (Compose refuses it)");
		if ((x = yd_get(&cp->y, d, "count"))) {
			const char *v = yd_is_scalar(x) ? (const char *)x->data.scalar.value : "";
			if (strcmp(v, "all") && (!*v || strspn(v, "0123456789") != strlen(v)))
				return yd_bad(&cp->y, x, "expected a number or \"all\" for count, not %s", v);
			if (yd_get(&cp->y, d, "device_ids"))
				return yd_bad(&cp->y, x, "count and device_ids cannot both be set (Compose refuses it)");
		}
	}
	return 0;
}

static int deploy(struct cp *cp, struct ct_container *c, yaml_node_t *n)
{
	yaml_node_t *lim = yd_get(&cp->y, yd_get(&cp->y, n, "resources"), "limits"), *x, *rp;
	int rc;

	if (!yd_is_map(n))
		return yd_bad(&cp->y, n, "expected a mapping for deploy");
	if ((rc = resources_valid(cp, yd_get(&cp->y, n, "resources"))))
		return rc;
	if (lim) {
		if ((x = yd_get(&cp->y, lim, "memory")) && (rc = set_bytes(cp, &c->memory, x, cp_at(cp, x), "memory")))
			return rc;
		if ((x = yd_get(&cp->y, lim, "cpus")) && (rc = set_cpus(cp, &c->nano_cpus, x, cp_at(cp, x), "cpus")))
			return rc;
		if ((x = yd_get(&cp->y, lim, "pids")) && (rc = set_int(cp, &c->pids_limit, x, cp_at(cp, x), "pids")))
			return rc;
	}
	if ((rp = yd_get(&cp->y, n, "restart_policy"))) {
		const char *cond = NULL;
		if ((x = yd_get(&cp->y, rp, "condition")) && (rc = need_str(cp, x, "condition", &cond)))
			return rc;
		/* swarm's "any" is Docker's "always" */
		c->restart.v = !cond || !strcmp(cond, "any") ? "always" : !strcmp(cond, "none") ? "no" : cond;
		c->restart.at = cp_at(cp, x ? x : rp);
		if ((x = yd_get(&cp->y, rp, "max_attempts")) &&
		    (rc = set_int(cp, &c->restart_max, x, cp_at(cp, x), "max_attempts")))
			return rc;
	}
	return 0;
}

/* The networks a service is on: enable_icc of the first that sets it. */
static int networks(struct cp *cp, struct ct_container *c, yaml_node_t *n)
{
	struct yd_pair *ps = NULL;
	size_t np = 0, i;
	int rc;

	if (yd_is_seq(n)) {
		for (i = 0; i < yd_len(n); i++) {
			yaml_node_t *it = yd_item(&cp->y, n, i);
			yaml_node_t *def = it && yd_is_scalar(it) ? yd_get(&cp->y, cp->networks, (const char *)it->data.scalar.value) : NULL;
			yaml_node_t *icc = yd_get(&cp->y, yd_get(&cp->y, def, "driver_opts"), "com.docker.network.bridge.enable_icc");
			const char *s;
			if (icc && (s = val(cp, icc))) {
				c->icc.set = true;
				c->icc.v = strcmp(s, "false") != 0;
				c->icc.at = cp_at(cp, icc);
			}
		}
		return 0;
	}
	if ((rc = yd_pairs(&cp->y, n, &ps, &np)))
		return rc;
	for (i = 0; i < np; i++) {
		yaml_node_t *def = yd_get(&cp->y, cp->networks, ps[i].key);
		yaml_node_t *icc = yd_get(&cp->y, yd_get(&cp->y, def, "driver_opts"), "com.docker.network.bridge.enable_icc");
		const char *s;
		if (icc && (s = val(cp, icc))) {
			c->icc.set = true;
			c->icc.v = strcmp(s, "false") != 0;
			c->icc.at = cp_at(cp, icc);
		}
	}
	return 0;
}

/* env_file: a path, a list of paths, or of {path, required}. Each file's
 * variables join the environment, attributed to the env_file entry and
 * naming the file and line they come from. Missing files are skipped
 * (they are usually not committed). */
static int env_files(struct cp *cp, struct ct_container *c, yaml_node_t *n)
{
	size_t i, len = yd_is_seq(n) ? yd_len(n) : 1;
	int rc;

	for (i = 0; i < len; i++) {
		yaml_node_t *it = yd_is_seq(n) ? yd_item(&cp->y, n, i) : n, *pn;
		const char *name, *path;
		if (!it)
			return cp_failed(cp);
		pn = yd_is_map(it) ? yd_get(&cp->y, it, "path") : it;
		if (!pn || (rc = need_str(cp, pn, "env_file", &name)))
			return pn ? rc : yd_bad(&cp->y, it, "expected a path for env_file");
		if (!(path = beside(cp, name)))
			return cp_failed(cp);
		if ((rc = read_envfile(cp, path, &c->env, cp_at(cp, pn))) < 0)
			return rc;
	}
	return 0;
}

static int apply_key(struct cp *cp, struct ct_container *c, const char *k, yaml_node_t *v, yaml_node_t *kn)
{
	struct ct_src at = cp_at(cp, kn);
	const char *s;
	int rc;

	if (!strcmp(k, "image"))
		return set_str(cp, &c->image, v, cp_at(cp, v), k);
	if (!strcmp(k, "build") && yd_is_map(v) && yd_get(&cp->y, v, "ssh") &&
	    yd_is_null(yd_get(&cp->y, v, "ssh")))
		return yd_bad(&cp->y, yd_get(&cp->y, v, "ssh"), "expected a value for build.ssh (Compose refuses an empty one)");
	if (!strcmp(k, "user"))
		return set_str(cp, &c->user, v, cp_at(cp, v), k);
	if (!strcmp(k, "privileged"))
		return set_bool(cp, &c->privileged, v, at, k);
	if (!strcmp(k, "read_only"))
		return set_bool(cp, &c->read_only, v, at, k);
	/* the schema takes an array for these: a string is refused by Compose */
	if ((!strcmp(k, "cap_add") || !strcmp(k, "cap_drop") || !strcmp(k, "security_opt") ||
	     !strcmp(k, "group_add") || !strcmp(k, "volumes_from")) && !yd_is_seq(v) && !yd_is_null(v) && !has_var(v))
		return yd_bad(&cp->y, v, "expected a list for %s (Compose refuses a string)", k);
	if (!strcmp(k, "cap_add"))
		return each_str(cp, c, v, k, add_cap);
	if (!strcmp(k, "cap_drop"))
		return each_str(cp, c, v, k, drop_cap);
	if (!strcmp(k, "security_opt"))
		return each_str(cp, c, v, k, add_secopt);
	if (!strcmp(k, "network_mode") || !strcmp(k, "net"))
		return set_str(cp, &c->network_mode, v, at, k);
	if (!strcmp(k, "pid"))
		return yd_is_null(v) ? 0 : set_str(cp, &c->pid_mode, v, at, k);
	if (!strcmp(k, "ipc"))
		return set_str(cp, &c->ipc_mode, v, at, k);
	if (!strcmp(k, "uts"))
		return set_str(cp, &c->uts_mode, v, at, k);
	if (!strcmp(k, "userns_mode"))
		return set_str(cp, &c->userns_mode, v, at, k);
	if (!strcmp(k, "cgroup"))
		return set_str(cp, &c->cgroupns_mode, v, at, k);
	if (!strcmp(k, "cgroup_parent"))
		return set_str(cp, &c->cgroup_parent, v, at, k);
	if (!strcmp(k, "devices") || !strcmp(k, "device_cgroup_rules")) {
		if (yd_is_seq(v)) {
			size_t i;
			for (i = 0; i < yd_len(v); i++) {
				yaml_node_t *it = yd_item(&cp->y, v, i), *src;
				if (yd_is_map(it)) { /* long syntax */
					src = yd_get(&cp->y, it, "source");
					if (!src || (rc = need_str(cp, src, "source", &s)))
						return src ? rc : yd_bad(&cp->y, it, "expected a source for the device");
					if ((rc = add_device(cp, c, s, it)))
						return rc;
				} else if ((rc = need_str(cp, it, k, &s)) || (rc = add_device(cp, c, s, it))) {
					return rc;
				}
			}
			return 0;
		}
		return each_str(cp, c, v, k, add_device);
	}
	if (!strcmp(k, "group_add"))
		return each_str(cp, c, v, k, add_group);
	if (!strcmp(k, "volumes_from"))
		return each_str(cp, c, v, k, add_volfrom);
	if (!strcmp(k, "restart")) {
		if ((rc = need_str(cp, v, k, &s)))
			return rc;
		if (!ct_parse_restart(cp->a, c, s, at))
			return yd_bad(&cp->y, v, "expected no, always, unless-stopped or on-failure[:N] for restart, got '%s'", s);
		return 0;
	}
	if (!strcmp(k, "mem_limit"))
		return set_bytes(cp, &c->memory, v, at, k);
	if (!strcmp(k, "cpus"))
		return set_cpus(cp, &c->nano_cpus, v, at, k);
	if (!strcmp(k, "cpu_shares"))
		return set_int(cp, &c->cpu_shares, v, at, k);
	if (!strcmp(k, "cpu_quota"))
		return set_int(cp, &c->cpu_quota, v, at, k);
	if (!strcmp(k, "pids_limit"))
		return set_int(cp, &c->pids_limit, v, at, k);
	if (!strcmp(k, "sysctls"))
		return kv_field(cp, c, v, k, &c->sysctls, add_sysctl_item);
	if (!strcmp(k, "environment"))
		return kv_field(cp, c, v, k, &c->env, add_env_item);
	if (!strcmp(k, "env_file"))
		return env_files(cp, c, v);
	if (!strcmp(k, "ulimits"))
		return ulimits(cp, c, v);
	if (!strcmp(k, "volumes"))
		return volumes(cp, c, v);
	if (!strcmp(k, "tmpfs"))
		return each_str(cp, c, v, k, add_tmpfs);
	if (!strcmp(k, "ports"))
		return ports(cp, c, v);
	if (!strcmp(k, "healthcheck"))
		return healthcheck(cp, c, v, at);
	if (!strcmp(k, "deploy"))
		return deploy(cp, c, v);
	if (!strcmp(k, "networks"))
		return networks(cp, c, v);
	if (!strcmp(k, "use_api_socket")) {
		struct ct_bool b = {0};
		if ((rc = set_bool(cp, &b, v, at, k)))
			return rc;
		if (b.v) {
			struct ct_mount *m = ct_mount_add(cp->a, c);
			if (!m)
				return ds_oom(&cp->t->err);
			m->type = CT_MOUNT_BIND;
			m->source = m->target = "/var/run/docker.sock";
			m->at = at;
		}
		return 0;
	}
	if (!strcmp(k, "container_name")) {
		if (yd_is_scalar(v) && (s = val(cp, v)))
			c->workload = s;
		return 0;
	}
	if (skipped(k))
		return 0;
	return ct_list_add(cp->a, &c->unknown, arena_printf(cp->a, "key %s", k), at) ? ds_oom(&cp->t->err) : 0;
}

/* Is the value tagged !reset or !override (Compose's merge tags)? */
static bool replaces(const yaml_node_t *v)
{
	const char *tag = v && v->tag ? (const char *)v->tag : "";
	return !strcmp(tag, "!reset") || !strcmp(tag, "!override");
}

static bool masked(const char *const *mask, size_t nmask, const char *key)
{
	size_t i;

	for (i = 0; i < nmask; i++)
		if (!strcmp(mask[i], key))
			return true;
	return false;
}

struct ext_arg {
	struct ct_container *c;
	const char *name;
	int depth;
	const char **chain;
	const char *const *mask;
	size_t nmask;
	bool found;
};

static int apply_service(struct cp *cp, struct ct_container *c, yaml_node_t *svc, const char *name, int depth,
			 const char **chain, const char *const *mask, size_t nmask);

/* One document of an extends.file: apply the named service from it. */
static int ext_doc(struct cp *cp, void *arg)
{
	struct ext_arg *ea = arg;
	yaml_node_t *root = yd_root(&cp->y), *base;

	cp->services = yd_get(&cp->y, root, "services");
	if (!cp->services && !yd_get(&cp->y, root, "version"))
		cp->services = root; /* version 1 */
	if (!(base = yd_get(&cp->y, cp->services, ea->name)))
		return 0;
	ea->found = true;
	return apply_service(cp, ea->c, base, ea->name, ea->depth, ea->chain, ea->mask, ea->nmask);
}

/* Apply a service (and first what it extends). Keys a derived service
 * tags !reset or !override are in mask: its base's values for them are
 * not merged in (!reset leaves the default, !override only the new value). */
static int apply_service(struct cp *cp, struct ct_container *c, yaml_node_t *svc, const char *name, int depth,
			 const char **chain, const char *const *mask, size_t nmask)
{
	struct yd_pair *ps;
	size_t np, i, nm = nmask;
	yaml_node_t *ext;
	const char **m2 = NULL;
	int rc;

	if (!yd_is_map(svc))
		return yd_bad(&cp->y, svc, "expected a mapping for service %s", name);
	if (depth >= CT_MAX_DEPTH)
		return yd_bad(&cp->y, svc, "extends chain longer than %d", CT_MAX_DEPTH);
	chain[depth] = name;
	if ((ext = yd_get(&cp->y, svc, "extends"))) {
		yaml_node_t *sn = yd_is_map(ext) ? yd_get(&cp->y, ext, "service") : ext, *base;
		yaml_node_t *fn = yd_is_map(ext) ? yd_get(&cp->y, ext, "file") : NULL;
		const char *bn, *file = NULL;
		int j;
		if (!sn || (rc = need_str(cp, sn, "extends", &bn)))
			return sn ? rc : yd_bad(&cp->y, ext, "expected the service to extend");
		if (fn && (rc = need_str(cp, fn, "extends.file", &file)))
			return rc;
		if (!file)
			for (j = 0; j <= depth; j++)
				if (!strcmp(chain[j], bn))
					return yd_bad(&cp->y, sn, "extends cycle: service %s extends %s, which leads back to it", name, bn);
		if ((rc = yd_pairs(&cp->y, svc, &ps, &np)))
			return rc;
		if (!(m2 = arena_array(cp->a, nmask + np + 1, sizeof(*m2))))
			return ds_oom(&cp->t->err);
		for (i = 0; i < nmask; i++)
			m2[i] = mask[i];
		for (i = 0; i < np; i++)
			if (replaces(ps[i].v))
				m2[nm++] = ps[i].key;
		if (file) {
			/* the base is read in its own file, where its own
			 * extends (without file) name services of that file */
			struct ext_arg ea = {c, bn, depth + 1, chain, m2, nm, false};
			if (!*file)
				return yd_bad(&cp->y, fn, "expected a file name for extends.file");
			if ((rc = with_file(cp, fn, file, false, ext_doc, &ea)))
				return rc;
			if (!ea.found)
				return yd_bad(&cp->y, sn, "extends an unknown service '%s' (not in %s)", bn, file);
		} else {
			base = yd_get(&cp->y, cp->services, bn);
			if (!base)
				return yd_bad(&cp->y, sn, "extends an unknown service '%s'", bn);
			if ((rc = apply_service(cp, c, base, bn, depth + 1, chain, m2, nm)))
				return rc;
		}
	}
	if ((rc = yd_pairs(&cp->y, svc, &ps, &np)))
		return rc;
	for (i = 0; i < np; i++) {
		if (masked(mask, nmask, ps[i].key))
			continue;
		if (replaces(ps[i].v) && ps[i].v->tag && !strcmp((const char *)ps[i].v->tag, "!reset"))
			continue; /* back to the default */
		if (!strcmp(ps[i].key, "network_mode") && yd_get(&cp->y, svc, "networks"))
			return yd_bad(&cp->y, ps[i].k, "network_mode and networks cannot both be set (Compose refuses it)");
		if ((rc = apply_key(cp, c, ps[i].key, ps[i].v, ps[i].k)))
			return rc;
	}
	return 0;
}

static const char *const top_keys[] = {"version", "name", "services", "networks", "volumes", "secrets",
				       "configs", "include", "models"};

/* A service-less file of top-level objects only (networks, volumes...) is
 * not version 1 (where the services are the top-level keys). */
static bool only_top_keys(const struct yd_pair *ps, size_t np)
{
	size_t i, k;

	for (i = 0; i < np; i++) {
		bool known = !strncmp(ps[i].key, "x-", 2);
		for (k = 0; k < DS_ARRAY_SIZE(top_keys) && !known; k++)
			known = !strcmp(ps[i].key, top_keys[k]);
		if (!known)
			return false;
	}
	return true;
}

/* What Compose refuses outside the services: a project name that is not
 * a string, a network named both by name and by the legacy external.name. */
static int top_objects(struct cp *cp, yaml_node_t *root)
{
	static const char *const kinds[] = {"networks", "volumes", "secrets", "configs"};
	yaml_node_t *n = yd_get(&cp->y, root, "name");
	struct yd_pair *ps;
	size_t i, k, np;
	int rc;

	if (n && (!yd_is_scalar(n) || (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && n->data.scalar.length &&
				       strspn((const char *)n->data.scalar.value, "0123456789") == n->data.scalar.length)))
		return yd_bad(&cp->y, n, "the project name must be a string");
	for (k = 0; k < DS_ARRAY_SIZE(kinds); k++) {
		yaml_node_t *objs = yd_get(&cp->y, root, kinds[k]);
		if (objs && !yd_is_map(objs) && !yd_is_null(objs))
			return yd_bad(&cp->y, objs, "expected a mapping for %s", kinds[k]);
		if (!yd_is_map(objs))
			continue;
		if ((rc = yd_pairs(&cp->y, objs, &ps, &np)))
			return rc;
		for (i = 0; i < np; i++) {
			yaml_node_t *ext = yd_is_map(ps[i].v) ? yd_get(&cp->y, ps[i].v, "external") : NULL;
			bool b = false;
			if (!yd_is_map(ps[i].v) && !yd_is_null(ps[i].v))
				return yd_bad(&cp->y, ps[i].v, "expected a mapping for %s.%s", kinds[k], ps[i].key);
			if (yd_get(&cp->y, ps[i].v, "name") && yd_is_map(ext) && yd_get(&cp->y, ext, "name"))
				return yd_bad(&cp->y, ps[i].k, "%s.%s: name and external.name conflict (Compose refuses it)",
					      kinds[k], ps[i].key);
			/* an external object is made elsewhere: it takes no settings */
			if (ext && (yd_is_map(ext) || (yd_bool(ext, &b) && b)) &&
			    (yd_get(&cp->y, ps[i].v, "driver") || yd_get(&cp->y, ps[i].v, "driver_opts") ||
			     yd_get(&cp->y, ps[i].v, "labels")))
				return yd_bad(&cp->y, ps[i].k, "%s.%s: external together with driver, driver_opts or labels "
							       "(Compose refuses it)", kinds[k], ps[i].key);
		}
	}
	return 0;
}

struct dep_name {
	const char *name;
	size_t i;
};

static int dep_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dep_name *)a)->name, ((const struct dep_name *)b)->name);
}

/* by name, then index: a name's first is found first */
static int dep_cmp_index(const void *a, const void *b)
{
	const struct dep_name *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

static int key_vs_dep(const void *key, const void *elem)
{
	return strcmp(key, ((const struct dep_name *)elem)->name);
}

/* depends_on must not lead back to the service (Compose refuses cycles):
 * an iterative walk, each service visited once, names found by binary
 * search, so a hostile file stays linear-logarithmic. */
static int depends_cycles(struct cp *cp, struct yd_pair *ps, size_t np)
{
	struct dep_name *names = arena_array(cp->a, np ? np : 1, sizeof(*names));
	unsigned char *color = arena_array(cp->a, np ? np : 1, 1); /* 0 new, 1 on the path, 2 done */
	size_t *stack = arena_array(cp->a, np ? np : 1, sizeof(*stack)), *next = arena_array(cp->a, np ? np : 1, sizeof(*next));
	size_t i, top;

	if (!names || !color || !stack || !next)
		return ds_oom(&cp->t->err);
	for (i = 0; i < np; i++) {
		names[i].name = ps[i].key;
		names[i].i = i;
	}
	qsort(names, np, sizeof(*names), dep_cmp);
	for (i = 0; i < np; i++) {
		if (color[i])
			continue;
		top = 0;
		stack[top] = i;
		next[top++] = 0;
		color[i] = 1;
		while (top) {
			size_t u = stack[top - 1];
			yaml_node_t *d = yd_is_map(ps[u].v) ? yd_get(&cp->y, ps[u].v, "depends_on") : NULL;
			size_t nd = yd_is_seq(d) ? yd_len(d) : yd_is_map(d) ? (size_t)(d->data.mapping.pairs.top - d->data.mapping.pairs.start) : 0;
			const char *dn = NULL;
			yaml_node_t *dk;
			struct dep_name key, *hit;
			if (next[top - 1] >= nd) {
				color[u] = 2;
				top--;
				continue;
			}
			dk = yd_is_seq(d) ? yd_item(&cp->y, d, next[top - 1])
					  : yaml_document_get_node(&cp->y.doc, d->data.mapping.pairs.start[next[top - 1]].key);
			next[top - 1]++;
			if (!yd_is_scalar(dk) || !(dn = yd_str(&cp->y, dk)))
				continue;
			key.name = dn;
			if (!(hit = bsearch(&key, names, np, sizeof(*names), dep_cmp)))
				continue;
			if (color[hit->i] == 1)
				return yd_bad(&cp->y, dk, "depends_on cycle: %s depends on %s, which leads back to it (Compose "
							  "refuses it)", ps[u].key, dn);
			if (color[hit->i] == 0) {
				color[hit->i] = 1;
				stack[top] = hit->i;
				next[top++] = 0;
			}
		}
	}
	return 0;
}

/* One YAML document of the file: its services, applied over the
 * containers of the same name from earlier documents. */
static int compose_doc(struct cp *cp, const char **chain);

static int include_doc(struct cp *cp, void *chain)
{
	return compose_doc(cp, chain);
}

/* include: [path | {path: path or [paths], project_directory, env_file}]:
 * each file's services are read first, as Compose loads them (relative
 * to the including file; a cycle is an error). */
static int includes(struct cp *cp, yaml_node_t *inc, const char **chain)
{
	unsigned long mark = cp->seq;
	size_t i, j;
	int rc;

	if (!inc || yd_is_null(inc))
		return 0;
	if (!yd_is_seq(inc))
		return yd_bad(&cp->y, inc, "expected a list for include");
	for (i = 0; i < yd_len(inc); i++) {
		yaml_node_t *it = yd_item(&cp->y, inc, i), *p = yd_is_map(it) ? yd_get(&cp->y, it, "path") : it;
		const char *path;
		if (!p)
			return yd_bad(&cp->y, it, "expected a path for the included file");
		/* the files of one entry are merged over each other; entries must not conflict */
		if (cp->ninc >= CT_MAX_DEPTH) /* with_file refuses it first: files nested deeper than that */
			return yd_bad(&cp->y, it, "includes nested more than %d deep", CT_MAX_DEPTH);
		cp->lo[cp->ninc] = mark;
		cp->item[cp->ninc++] = cp->seq;
		for (j = 0, rc = 0; !rc && j < (yd_is_seq(p) ? yd_len(p) : 1); j++) {
			yaml_node_t *pn = yd_is_seq(p) ? yd_item(&cp->y, p, j) : p;
			if (!(rc = need_str(cp, pn, "include", &path)))
				rc = *path ? with_file(cp, pn, path, true, include_doc, chain)
					   : yd_bad(&cp->y, pn, "expected a path for the included file");
		}
		cp->ninc--;
		if (rc)
			return rc;
	}
	return 0;
}

/* A service of the document being read, about to be applied to container
 * k: 1 if an include already gave k the same definition (nothing to do),
 * 0 to apply it, or an error if they differ, as compose-go refuses it
 * ("services.NAME conflicts with imported resource"). mark..after: the
 * applications made by this document's own includes. */
static int include_conflict(struct cp *cp, size_t k, const struct yd_pair *svc, unsigned long mark, unsigned long after)
{
	const struct svc_mark *m = k < cp->capmarks ? &cp->marks[k] : NULL;
	bool imported = m && m->at > mark && m->at <= after;
	uint64_t h;
	int i, rc;

	if (!m)
		return 0; /* never applied by this front-end's documents */
	for (i = 0; i < cp->ninc && !imported; i++) /* an earlier file of an enclosing include list */
		imported = m->at > cp->lo[i] && m->at <= cp->item[i];
	if (!imported || !m->hash)
		return 0;
	if ((rc = yd_hash(&cp->y, svc->v, &h)))
		return rc;
	if (h == m->hash)
		return 1;
	return yd_bad(&cp->y, svc->k,
		      "service '%s' is also defined, differently, in %s; Compose refuses a service that a file and the "
		      "files it includes define differently (\"services.%s conflicts with imported resource\"): keep one "
		      "definition",
		      svc->key, m->file ? m->file : target_display_path(cp->t), svc->key);
}

/* Number the application of svc to container k (see struct cp). */
static int include_mark(struct cp *cp, size_t k, const struct yd_pair *svc)
{
	struct svc_mark *m;
	int rc;

	if (k >= cp->capmarks) {
		size_t had = cp->capmarks;
		if (arena_grow(cp->a, (void **)&cp->marks, &cp->capmarks, k + 1, sizeof(*cp->marks)))
			return ds_oom(&cp->t->err);
		memset(cp->marks + had, 0, (cp->capmarks - had) * sizeof(*cp->marks));
	}
	m = &cp->marks[k];
	if (cp->ninc && m->at > cp->item[cp->ninc - 1]) {
		m->hash = 0; /* merged from two documents of the same include: not compared */
	} else if (cp->ninc) {
		if ((rc = yd_hash(&cp->y, svc->v, &m->hash)))
			return rc;
		m->file = cp->file;
	}
	m->at = ++cp->seq;
	return 0;
}

/* Compose keys are strings: a plain 123 or 1.5 as a key is refused
 * (compose-go: "non-string key"). Each node is looked at once (seen[]),
 * however many aliases name it, so an alias bomb costs its size only. */
static int string_keys(struct cp *cp, yaml_node_t *n, int depth, uint8_t *seen)
{
	size_t idx;

	if (!n || depth > CT_MAX_YAML_DEPTH)
		return 0;
	idx = (size_t)(n - cp->y.doc.nodes.start);
	if (seen[idx / 8] & (1u << (idx % 8)))
		return 0;
	seen[idx / 8] |= (uint8_t)(1u << (idx % 8));
	if (yd_is_seq(n)) {
		yaml_node_item_t *it;
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			int rc = string_keys(cp, yaml_document_get_node(&cp->y.doc, *it), depth + 1, seen);
			if (rc)
				return rc;
		}
	} else if (yd_is_map(n)) {
		yaml_node_pair_t *pr;
		for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = yaml_document_get_node(&cp->y.doc, pr->key);
			int rc;
			if (k && yd_is_scalar(k) && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && k->data.scalar.length &&
			    strspn((const char *)k->data.scalar.value, "0123456789.+-") == k->data.scalar.length &&
			    strcmp((const char *)k->data.scalar.value, "<<"))
				return yd_bad(&cp->y, k, "non-string key %s (Compose refuses it; quote it)",
					      (const char *)k->data.scalar.value);
			if ((rc = string_keys(cp, yaml_document_get_node(&cp->y.doc, pr->value), depth + 1, seen)))
				return rc;
		}
	}
	return 0;
}

static int compose_doc(struct cp *cp, const char **chain)
{
	struct target *t = cp->t;
	struct ct_file *f = cp->f;
	struct yd_pair *ps;
	size_t np, i, k, nearlier = 0;
	struct dep_name *earlier = NULL;
	yaml_node_t *root = yd_root(&cp->y);
	unsigned long mark, after;
	int rc;

	if (!yd_is_map(root))
		return yd_bad(&cp->y, root, "expected a mapping with a services key");
	{
		size_t nn = (size_t)(cp->y.doc.nodes.top - cp->y.doc.nodes.start);
		uint8_t *seen = arena_alloc(cp->a, nn / 8 + 1);
		if (!seen)
			return ds_oom(&cp->t->err);
		memset(seen, 0, nn / 8 + 1);
		if ((rc = string_keys(cp, root, 0, seen)))
			return rc;
	}
	if ((rc = yd_pairs(&cp->y, root, &ps, &np)))
		return rc;
	mark = cp->seq;
	if ((rc = includes(cp, yd_get(&cp->y, root, "include"), chain)))
		return rc;
	after = cp->seq;
	cp->services = yd_get(&cp->y, root, "services");
	cp->networks = yd_get(&cp->y, root, "networks");
	if (!cp->services && !yd_get(&cp->y, root, "version") && !only_top_keys(ps, np)) {
		/* version 1: services at the top level */
		cp->services = root;
		cp->networks = NULL;
	} else {
		for (i = 0; i < np; i++) {
			bool known = !strncmp(ps[i].key, "x-", 2);
			for (k = 0; k < DS_ARRAY_SIZE(top_keys) && !known; k++)
				known = !strcmp(ps[i].key, top_keys[k]);
			if (!known)
				return yd_bad(&cp->y, ps[i].k, "unknown top-level key '%s' (expected services, networks, "
							      "volumes, secrets, configs, x-...)", ps[i].key);
		}
	}
	if ((rc = top_objects(cp, root)))
		return rc;
	if (!cp->services || yd_is_null(cp->services))
		return 0; /* networks, volumes... only */
	if ((rc = yd_pairs(&cp->y, cp->services, &ps, &np)) || (rc = depends_cycles(cp, ps, np)))
		return rc;
	/* the services of earlier documents and includes, by name (a search of
	 * all of them for each service made 40 000 services take 6 s); this
	 * document's own names are unique (yaml.c refuses a duplicate key) */
	if (f->n) {
		earlier = arena_array(cp->a, f->n, sizeof(*earlier));
		if (!earlier)
			return ds_oom(&t->err);
		for (k = 0; k < f->n; k++)
			if (f->c[k]->name)
				earlier[nearlier++] = (struct dep_name){f->c[k]->name, k};
		qsort(earlier, nearlier, sizeof(*earlier), dep_cmp_index);
	}
	for (i = 0; i < np; i++) {
		struct ct_container *c = NULL;
		size_t e;
		if (!strncmp(ps[i].key, "x-", 2))
			continue;
		e = ds_lower_bound(earlier, nearlier, sizeof(*earlier), ps[i].key, key_vs_dep);
		if (e < nearlier && !strcmp(earlier[e].name, ps[i].key))
			c = f->c[k = earlier[e].i]; /* the first of that name */
		else
			k = f->n; /* the index the new one gets */
		rc = c ? include_conflict(cp, k, &ps[i], mark, after) : 0;
		if (rc == 1)
			continue; /* the same definition again: Compose keeps one */
		if (rc)
			return rc;
		if (!c) {
			if (f->n >= CT_MAX_CONTAINERS)
				return ds_err_set(&t->err, DS_ELIMIT, target_display_path(t), 0, 0, "more than %d services",
						  CT_MAX_CONTAINERS);
			c = ct_new(cp->a, f, CT_FROM_COMPOSE, ps[i].key, (int)ps[i].k->start_mark.line + 1,
				   (int)ps[i].k->start_mark.column + 1);
			if (!c)
				return ds_oom(&t->err);
			c->at.file = cp->file;
			c->workload = ps[i].key;
		}
		if ((rc = include_mark(cp, k, &ps[i])) || (rc = apply_service(cp, c, ps[i].v, ps[i].key, 0, chain, NULL, 0)))
			return rc;
	}
	return 0;
}

int ct_from_compose(struct target *t, struct ct_file *f, const char *const *env)
{
	extern char **environ;
	struct cp cp = {0};
	const char *chain[CT_MAX_DEPTH + 1];
	const char *ovr;
	size_t ndoc;
	int rc;

	cp.t = t;
	cp.f = f;
	cp.a = &t->arena;
	cp.env = env ? env : (const char *const *)environ;
	f->kind = "compose";
	if ((rc = load_dotenv(&cp)) || (rc = project_roots(&cp)))
		return cp_failed(&cp);
	if (yd_open(&cp.y, cp.a, target_display_path(t), t->data, t->len, &t->err))
		return cp_failed(&cp);
	/* several documents: each later one is merged over the earlier ones,
	 * as compose-go does (and as an override file is) */
	for (ndoc = 0;; ndoc++) {
		rc = yd_next(&cp.y);
		if (rc < 0 || (rc == 0 && ndoc == 0)) {
			if (rc == 0)
				ds_err_set(&t->err, DS_EPARSE, target_display_path(t), 1, 1, "empty Compose file");
			goto out;
		}
		if (rc == 0)
			break;
		if ((rc = compose_doc(&cp, chain)))
			goto out;
	}
	rc = 0;
	/* compose.yaml with compose.override.yaml beside it: Compose merges
	 * the override over it, and so does the check */
	if (strcmp(t->path, "-") && (ovr = override_of(t->path)))
		rc = with_file(&cp, NULL, ovr, false, include_doc, chain);
out:
	yd_close(&cp.y);
	if (!rc && t->err.code)
		rc = -1;
	if (t->err.code && t->err.file && strcmp(t->err.file, target_display_path(t))) {
		/* an error in a file this one includes or extends: the reports
		 * name the target, so the message names that file and where */
		char msg[sizeof(t->err.msg) + PATH_MAX + 32];
		int n = t->err.line ? snprintf(msg, sizeof(msg), "%s:%d:%d: %s", t->err.file, t->err.line, t->err.col, t->err.msg)
				    : snprintf(msg, sizeof(msg), "%s: %s", t->err.file, t->err.msg);
		size_t keep = n < 0 ? 0 : (size_t)n < sizeof(t->err.msg) ? (size_t)n : sizeof(t->err.msg) - 1;
		memcpy(t->err.msg, msg, keep);
		t->err.msg[keep] = 0;
		t->err.file = target_display_path(t);
		t->err.line = t->err.col = 0;
	}
	if (rc && !t->err.code)
		ds_err_set(&t->err, rc < 0 ? DS_EPARSE : rc, target_display_path(t), 0, 0, "%s",
			   ds_rc_message(rc < 0 ? DS_EPARSE : rc));
	return rc ? -1 : 0;
}
