/*
 * lint.c - `docksec lint`: find Dockerfiles, lint them in parallel, report.
 *
 * Targets are collected first (files as given; directories walked for
 * Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* ...; "-" for
 * stdin), configurations are resolved in this thread (one .docksec.yaml
 * per directory, cached), then worker threads take targets by an atomic
 * index: each target owns its buffer and arena, so workers share nothing
 * but the read-only rule table and configurations. Output is written in
 * input order once all are done, so it is the same at any thread count.
 */
#include "cmd.h"
#include "../core/config.h"
#include "../core/opt.h"
#include "../core/report.h"
#include "../dockerfile/lint.h"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINT_MAX_TARGETS 1000000
#define LINT_MAX_DEPTH 64

struct lint_run {
	struct target **t;
	size_t n, cap;
	atomic_size_t next;
	bool dump_ast;
	bool keep_data; /* the text report shows source lines */
	struct buf *dumps;
};

static bool dockerfile_name(const char *name)
{
	struct str s = str_cstr(name);
	return !strcmp(name, "Dockerfile") || !strcmp(name, "Containerfile") ||
	       !strcmp(name, "dockerfile") || str_has_prefix(s, "Dockerfile.") ||
	       str_has_prefix(s, "Containerfile.") || str_ihas_suffix(s, ".dockerfile") ||
	       str_has_suffix(s, ".Containerfile");
}

static int add_target(struct lint_run *run, const char *path, struct ds_err *err)
{
	struct target *t;
	char *p;

	if (run->n >= LINT_MAX_TARGETS)
		return ds_err_set(err, DS_ELIMIT, path, 0, 0, "more than %d files", LINT_MAX_TARGETS);
	if (ds_grow((void **)&run->t, &run->cap, run->n + 1, sizeof(*run->t)))
		return ds_oom(err);
	t = ds_malloc(sizeof(*t));
	p = ds_strdup(path);
	if (!t || !p) {
		ds_free(t);
		ds_free(p);
		return ds_oom(err);
	}
	target_init(t, p);
	t->kind = "dockerfile";
	run->t[run->n++] = t;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct lint_run *run, const char *dir, int depth, struct ds_err *err)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (depth > LINT_MAX_DEPTH)
		return 0;
	d = opendir(dir);
	if (!d)
		return ds_err_set(err, DS_EIO, dir, 0, 0, "cannot open directory: %s", strerror(errno));
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git") ||
		    !strcmp(e->d_name, "node_modules"))
			continue;
		if (ds_grow((void **)&names, &cap, n + 1, sizeof(*names)) ||
		    !(names[n] = ds_strdup(e->d_name))) {
			rc = ds_oom(err);
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n && !rc; i++) {
		struct stat st;
		char *p = NULL;
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		p = ds_malloc(len);
		if (!p) {
			rc = ds_oom(err);
			break;
		}
		snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = walk(run, p, depth + 1, err);
			else if (S_ISREG(st.st_mode) && dockerfile_name(names[i]))
				rc = add_target(run, p, err);
		}
		ds_free(p);
	}
	for (i = 0; i < n; i++)
		ds_free(names[i]);
	ds_free(names);
	return rc;
}

static int read_all(int fd, const char *path, char **out, size_t *len, struct ds_err *err)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	ssize_t r;

	for (;;) {
		r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			buf_release(&b);
			return ds_err_set(err, DS_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
		}
		if (r == 0)
			break;
		buf_add(&b, chunk, (size_t)r);
		if (b.n > DF_MAX_BYTES) {
			buf_release(&b);
			return ds_err_set(err, DS_ELIMIT, path, 0, 0, "file is larger than %u MiB",
					  DF_MAX_BYTES >> 20);
		}
	}
	if (!buf_ok(&b)) {
		buf_release(&b);
		return ds_oom(err);
	}
	*out = buf_detach(&b, len);
	return *out ? 0 : ds_oom(err);
}

/* Read, parse and lint one target; errors stay in t->err. */
static void lint_one(struct lint_run *run, size_t idx)
{
	struct target *t = run->t[idx];
	struct df_file f;
	int fd, rc;

	if (!strcmp(t->path, "-")) {
		rc = read_all(0, "<stdin>", &t->data, &t->len, &t->err);
	} else {
		fd = open(t->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 && errno == ELOOP)
			fd = open(t->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ds_err_set(&t->err, DS_EIO, t->path, 0, 0, "cannot open: %s", strerror(errno));
			return;
		}
		rc = read_all(fd, t->path, &t->data, &t->len, &t->err);
		close(fd);
	}
	if (rc)
		return;
	rc = df_parse(&t->arena, target_display_path(t), t->data, t->len, &f, &t->err);
	if (rc)
		return;
	if (run->dump_ast) {
		df_dump_ast(&f, &run->dumps[idx]);
		return;
	}
	rc = df_lint(t, &f);
	if (!rc)
		rc = target_compact(t, run->keep_data);
	if (rc)
		ds_err_set(&t->err, rc, target_display_path(t), 0, 0, "%s", ds_rc_message(rc));
	target_sort(t);
}

static void *worker(void *arg)
{
	struct lint_run *run = arg;
	size_t i;

	while ((i = atomic_fetch_add(&run->next, 1)) < run->n)
		lint_one(run, i);
	return NULL;
}

static void run_all(struct lint_run *run, long jobs)
{
	pthread_t th[64];
	long i, started = 0;

	if (jobs <= 0) {
		jobs = sysconf(_SC_NPROCESSORS_ONLN);
		if (jobs < 1)
			jobs = 1;
	}
	if (jobs > 64)
		jobs = 64;
	if ((size_t)jobs > run->n)
		jobs = (long)run->n;
	for (i = 1; i < jobs; i++)
		if (pthread_create(&th[started], NULL, worker, run) == 0)
			started++;
	worker(run);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}

struct cfg_cache {
	char **dirs;
	struct ds_config **cfgs;
	size_t n, cap, ccap;
};

/* The configuration for a target: --config, else the nearest .docksec.yaml. */
static int resolve_cfg(struct cfg_cache *cc, struct target *t, struct ds_err *err)
{
	char found[PATH_MAX];
	char *dir = strcmp(t->path, "-") ? ds_dirname(t->path) : ds_strdup(".");
	struct ds_config *c = NULL;
	size_t i;
	int rc;

	if (!dir)
		return ds_oom(err);
	if (cfg_find(dir, found, sizeof(found)) != 0) {
		ds_free(dir);
		t->cfg = cfg_default();
		return 0;
	}
	ds_free(dir);
	for (i = 0; i < cc->n; i++)
		if (!strcmp(cc->dirs[i], found)) {
			t->cfg = cc->cfgs[i];
			return t->cfg ? 0 : DS_ECONFIG;
		}
	/* The cache owns the path, so an error message can point at it after
	 * this function returns. */
	if (ds_grow((void **)&cc->dirs, &cc->cap, cc->n + 1, sizeof(char *)) ||
	    ds_grow((void **)&cc->cfgs, &cc->ccap, cc->n + 1, sizeof(*cc->cfgs)) ||
	    !(cc->dirs[cc->n] = ds_strdup(found)))
		return ds_oom(err);
	cc->cfgs[cc->n] = NULL;
	rc = cfg_load(cc->dirs[cc->n], &c, err);
	cc->cfgs[cc->n++] = c;
	t->cfg = c;
	return rc;
}

static const char lint_usage[] = "docksec lint [options] [PATH|-]...";
static const char lint_desc[] =
	"Lint Dockerfiles. PATH may be a file, a directory (searched for Dockerfile,\n"
	"Containerfile, *.Dockerfile, Dockerfile.*) or - for standard input; the default is\n"
	"the current directory. Exit status: 0 clean, 1 findings at or above --fail-on,\n"
	"2 usage error or a file that could not be read or parsed.";

int cmd_lint(int argc, char **argv)
{
	const char *format = "text", *fail_on = NULL, *config = NULL, *color = "auto", *jobs_s = NULL;
	bool no_source = false, dump_ast = false, no_color = false;
	struct opt_list operands = {0}, ignores = {0};
	struct ds_config *cli_cfg = NULL;
	struct cfg_cache cc = {0};
	struct lint_run run;
	struct ds_err err = {0};
	enum rpt_format fmt;
	struct rpt_opts ro = {0};
	int threshold = SEV_INFO, rc, exit_code = DS_EXIT_OK;
	long jobs = 0;
	size_t i, k;
	const struct opt opts[] = {
		{'f', "format", OPT_STRING, &format, "FMT", "text (default), json, sarif or junit"},
		{0, "fail-on", OPT_STRING, &fail_on, "LEVEL",
		 "exit 1 only for findings at or above LEVEL (info low medium high critical none)"},
		{0, "severity-threshold", OPT_STRING, &fail_on, "LEVEL", "same as --fail-on"},
		{'c', "config", OPT_STRING, &config, "FILE", "use FILE instead of the nearest .docksec.yaml"},
		{'i', "ignore", OPT_LIST, &ignores, "ID", "ignore a rule (id or ref like hadolint:DL3008); repeatable"},
		{0, "color", OPT_STRING, &color, "WHEN", "auto (default), always or never"},
		{0, "no-color", OPT_BOOL, &no_color, NULL, "same as --color=never"},
		{0, "no-source", OPT_BOOL, &no_source, NULL, "text: do not print the offending lines"},
		{'j', "jobs", OPT_STRING, &jobs_s, "N", "worker threads (default: all cores)"},
		{0, "dump-ast", OPT_BOOL, &dump_ast, NULL, "print the parse tree in BuildKit's test format"},
		{0, NULL, OPT_END, NULL, NULL, NULL},
	};

	memset(&run, 0, sizeof(run));
	rc = opt_parse(argc, argv, opts, &operands, &err);
	if (rc == OPT_HELP_REQUESTED) {
		opt_usage(stdout, lint_usage, lint_desc, opts);
		opt_list_release(&operands);
		opt_list_release(&ignores);
		return DS_EXIT_OK;
	}
	if (rc)
		goto usage_error;
	if (rpt_parse_format(format, &fmt)) {
		ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "unknown format '%s' (text, json, sarif, junit)", format);
		goto usage_error;
	}
	if (fail_on && sev_parse(fail_on, &threshold)) {
		ds_err_set(&err, DS_EUSAGE, NULL, 0, 0,
			   "unknown level '%s' (info, low, medium, high, critical, none)", fail_on);
		goto usage_error;
	}
	if (jobs_s) {
		unsigned long j;
		if (!str_to_ulong(str_cstr(jobs_s), 64, &j) || j == 0) {
			ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "--jobs takes a number from 1 to 64");
			goto usage_error;
		}
		jobs = (long)j;
	}
	if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
		ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "--color takes auto, always or never");
		goto usage_error;
	}
	if (config && (rc = cfg_load(config, &cli_cfg, &err)))
		goto fail;
	if (!operands.n && (rc = opt_parse(2, (char *[]){"lint", ".", NULL}, opts, &operands, &err)))
		goto fail;
	for (i = 0; i < operands.n; i++) {
		struct stat st;
		const char *p = operands.v[i];
		if (!strcmp(p, "-"))
			rc = add_target(&run, p, &err);
		else if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = walk(&run, p, 0, &err);
		else
			rc = add_target(&run, p, &err); /* unreadable files are reported per target */
		if (rc)
			goto fail;
	}
	for (i = 0; i < run.n; i++) {
		if (cli_cfg)
			run.t[i]->cfg = cli_cfg;
		else if ((rc = resolve_cfg(&cc, run.t[i], &err)))
			goto fail;
	}
	for (i = 0; i < run.n; i++) {
		/* --ignore adds to whatever configuration applies */
		run.t[i]->extra_ignore = ignores.v;
		run.t[i]->nextra_ignore = ignores.n;
	}
	/* excludes: drop matching targets (only those found by walking or given) */
	for (i = 0, k = 0; i < run.n; i++) {
		if (strcmp(run.t[i]->path, "-") && cfg_excluded(run.t[i]->cfg, run.t[i]->path)) {
			target_release(run.t[i]);
			ds_free((char *)run.t[i]->path);
			ds_free(run.t[i]);
			continue;
		}
		run.t[k++] = run.t[i];
	}
	run.n = k;
	if (!fail_on) {
		/* a configuration's fail-on applies when the command line names none */
		for (i = 0; i < run.n; i++)
			if (run.t[i]->cfg->has_fail_on) {
				threshold = run.t[i]->cfg->fail_on;
				break;
			}
	}
	run.dump_ast = dump_ast;
	run.keep_data = fmt == RPT_TEXT;
	if (dump_ast) {
		run.dumps = ds_calloc(run.n ? run.n : 1, sizeof(struct buf));
		if (!run.dumps) {
			rc = ds_oom(&err);
			goto fail;
		}
	}
	run_all(&run, jobs);
	if (dump_ast) {
		for (i = 0; i < run.n; i++) {
			if (run.t[i]->err.code) {
				cmd_error(&run.t[i]->err);
				exit_code = DS_EXIT_ERROR;
			} else {
				fwrite(buf_str(&run.dumps[i]), 1, run.dumps[i].n, stdout);
			}
			buf_release(&run.dumps[i]);
		}
		ds_free(run.dumps);
		goto cleanup;
	}
	ro.color = !strcmp(color, "always") ||
		   (!strcmp(color, "auto") && !no_color && isatty(1) && !getenv("NO_COLOR"));
	if (no_color)
		ro.color = false;
	ro.show_source = !no_source;
	ro.fail_on = threshold;
	ro.command = "lint";
	for (i = 0; i < run.n; i++) {
		struct target *t = run.t[i];
		if (t->err.code) {
			exit_code = DS_EXIT_ERROR;
			if (fmt != RPT_TEXT)
				cmd_error(&t->err);
		}
		for (k = 0; k < t->nfindings && exit_code == DS_EXIT_OK; k++)
			if ((int)t->findings[k].severity >= threshold)
				exit_code = DS_EXIT_FINDINGS;
	}
	for (i = 0; i < run.n && exit_code == DS_EXIT_FINDINGS; i++)
		if (run.t[i]->err.code)
			exit_code = DS_EXIT_ERROR;
	if ((rc = rpt_write(stdout, fmt, run.t, run.n, &ro))) {
		ds_err_set(&err, rc, NULL, 0, 0, "cannot write the report: %s", ds_rc_message(rc));
		goto fail;
	}
	goto cleanup;

usage_error:
	cmd_error(&err);
	fprintf(stderr, "usage: %s (see 'docksec lint --help')\n", lint_usage);
	exit_code = DS_EXIT_ERROR;
	goto cleanup;
fail:
	cmd_error(&err);
	exit_code = DS_EXIT_ERROR;
cleanup:
	for (i = 0; i < run.n; i++) {
		target_release(run.t[i]);
		ds_free((char *)run.t[i]->path);
		ds_free(run.t[i]);
	}
	ds_free(run.t);
	for (i = 0; i < cc.n; i++) {
		cfg_free(cc.cfgs[i]);
		ds_free(cc.dirs[i]);
	}
	ds_free(cc.dirs);
	ds_free(cc.cfgs);
	cfg_free(cli_cfg);
	opt_list_release(&operands);
	opt_list_release(&ignores);
	return exit_code;
}
