/*
 * run.c - targets, parallel workers, configurations, common options and the
 * report, shared by `lint` and `check` (see run.h).
 */
#include "run.h"
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int add(struct cmd_run *run, const char *path, bool walked, char *data, struct ds_err *err)
{
	struct target *t;
	char *p;

	if (run->n >= RUN_MAX_TARGETS)
		return ds_err_set(err, DS_ELIMIT, path, 0, 0, "more than %d files", RUN_MAX_TARGETS);
	if (ds_grow((void **)&run->t, &run->cap, run->n + 1, sizeof(*run->t)) ||
	    ds_grow((void **)&run->walked, &run->wcap, run->n + 1, sizeof(*run->walked)))
		return ds_oom(err);
	t = ds_malloc(sizeof(*t));
	p = ds_strdup(path);
	if (!t || !p) {
		ds_free(t);
		ds_free(p);
		return ds_oom(err);
	}
	target_init(t, p);
	t->kind = run->kind;
	if (data) {
		t->data = data;
		t->len = strlen(data);
	}
	run->walked[run->n] = walked;
	run->t[run->n++] = t;
	return 0;
}

int run_add(struct cmd_run *run, const char *path, bool walked, struct ds_err *err)
{
	return add(run, path, walked, NULL, err);
}

int run_add_data(struct cmd_run *run, const char *path, const char *data, struct ds_err *err)
{
	char *d = ds_strdup(data);
	int rc;

	if (!d)
		return ds_oom(err);
	rc = add(run, path, false, d, err);
	if (rc)
		ds_free(d);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int run_walk(struct cmd_run *run, const char *dir, int depth, struct ds_err *err)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (depth > RUN_MAX_DEPTH)
		return 0;
	d = opendir(dir);
	if (!d)
		return ds_err_set(err, DS_EIO, dir, 0, 0, "cannot open directory: %s", strerror(errno));
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git") ||
		    !strcmp(e->d_name, "node_modules"))
			continue;
		if (ds_grow((void **)&names, &cap, n + 1, sizeof(*names)) || !(names[n] = ds_strdup(e->d_name))) {
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
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *p = ds_malloc(len);
		if (!p) {
			rc = ds_oom(err);
			break;
		}
		snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = run_walk(run, p, depth + 1, err);
			else if (S_ISREG(st.st_mode) && run->want(names[i]))
				rc = run_add(run, p, true, err);
		}
		ds_free(p);
	}
	for (i = 0; i < n; i++)
		ds_free(names[i]);
	ds_free(names);
	return rc;
}

int run_add_operands(struct cmd_run *run, const struct opt_list *ops, struct ds_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < ops->n; i++) {
		struct stat st;
		const char *p = ops->v[i];
		if (strcmp(p, "-") && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t before = run->n;
			rc = run_walk(run, p, 0, err);
			if (!rc && run->n == before) /* an operand that yields nothing says so */
				cmd_notice("%s: no %s file found in this directory", p, run->kind);
		} else
			rc = run_add(run, p, false, err); /* unreadable files are reported per target */
		if (rc)
			return rc;
	}
	return 0;
}

static int read_fd(int fd, const char *path, size_t max, char **out, size_t *len, struct ds_err *err)
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
		if (b.n > max) {
			buf_release(&b);
			return ds_err_set(err, DS_ELIMIT, path, 0, 0, "file is larger than %zu MiB", max >> 20);
		}
	}
	if (!buf_ok(&b)) {
		buf_release(&b);
		return ds_oom(err);
	}
	*out = buf_detach(&b, len);
	return *out ? 0 : ds_oom(err);
}

int run_read_as(struct target *t, size_t max, bool walked)
{
	int fd, rc;

	if (t->data)
		return 0;
	if (!strcmp(t->path, "-"))
		return read_fd(0, "<stdin>", max, &t->data, &t->len, &t->err);
	/* A file found by walking a directory was a regular file, not a link,
	 * when it was listed: it is opened without following a link or
	 * blocking on a FIFO put in its place since. A path the user named is
	 * opened as named (a link, or <(process substitution), is theirs). */
	fd = open(t->path, O_RDONLY | O_CLOEXEC | (walked ? O_NOFOLLOW | O_NONBLOCK : 0));
	if (fd < 0)
		return ds_err_set(&t->err, DS_EIO, t->path, 0, 0, "cannot open: %s",
				  walked && errno == ELOOP ? "it became a symbolic link" : strerror(errno));
	if (walked) {
		struct stat st;
		if (fstat(fd, &st) || !S_ISREG(st.st_mode) || fcntl(fd, F_SETFL, 0)) {
			close(fd);
			return ds_err_set(&t->err, DS_EIO, t->path, 0, 0, "cannot open: no longer a regular file");
		}
	}
	rc = read_fd(fd, t->path, max, &t->data, &t->len, &t->err);
	close(fd);
	return rc;
}

static void *worker(void *arg)
{
	struct cmd_run *run = arg;
	size_t i;

	while ((i = atomic_fetch_add(&run->next, 1)) < run->n) {
		run->one(run, i);
		atomic_fetch_add(&run->done, 1);
	}
	return NULL;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void cmd_progress_init(struct cmd_progress *p, bool wanted)
{
	memset(p, 0, sizeof(*p));
	p->on = wanted && isatty(2) && !getenv("CI");
	p->start = now_ms();
}

bool cmd_progress_due(struct cmd_progress *p)
{
	long t;

	if (!p->on || (t = now_ms()) - p->start < 1000 || t - p->last < 200)
		return false;
	p->last = t;
	p->shown = true;
	return true;
}

void cmd_progress_end(struct cmd_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

/* The main thread's share of the work, with a progress line. */
static void main_worker(struct cmd_run *run)
{
	struct cmd_progress pg;
	size_t i;

	cmd_progress_init(&pg, run->progress);
	while ((i = atomic_fetch_add(&run->next, 1)) < run->n) {
		run->one(run, i);
		atomic_fetch_add(&run->done, 1);
		if (cmd_progress_due(&pg))
			fprintf(stderr, "\rdocksec: %zu of %zu files", (size_t)atomic_load(&run->done), run->n);
	}
	cmd_progress_end(&pg);
}

void run_all(struct cmd_run *run, long jobs)
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
	run->progress = run->progress && isatty(2) && !getenv("CI");
	for (i = 1; i < jobs; i++)
		if (pthread_create(&th[started], NULL, worker, run) == 0)
			started++;
	main_worker(run);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}

void run_drop(struct cmd_run *run, size_t i)
{
	target_release(run->t[i]);
	ds_free((char *)run->t[i]->path);
	ds_free(run->t[i]);
	memmove(&run->t[i], &run->t[i + 1], (run->n - i - 1) * sizeof(*run->t));
	memmove(&run->walked[i], &run->walked[i + 1], (run->n - i - 1) * sizeof(*run->walked));
	run->n--;
}

void run_release(struct cmd_run *run)
{
	while (run->n)
		run_drop(run, run->n - 1);
	ds_free(run->t);
	ds_free(run->walked);
	run->t = NULL;
	run->walked = NULL;
}

void cmd_common_init(struct cmd_common *co)
{
	memset(co, 0, sizeof(*co));
	co->format = "text";
	co->color = "auto";
	co->threshold = SEV_INFO;
}

void cmd_common_release(struct cmd_common *co)
{
	size_t i;

	for (i = 0; i < co->ncfg; i++) {
		cfg_free(co->cfgs[i]);
		ds_free(co->cfg_dirs[i]);
	}
	ds_free(co->cfg_dirs);
	ds_free(co->cfgs);
	cfg_free(co->cli_cfg);
	opt_list_release(&co->operands);
	opt_list_release(&co->ignores);
	opt_list_release(&co->skip_dirs);
	opt_list_release(&co->skip_files);
}

int cmd_common_parse(struct cmd_common *co, struct ds_err *err)
{
	if (rpt_parse_format(co->format, &co->fmt) || co->fmt == RPT_DOCKER_BENCH)
		return ds_err_set(err, DS_EUSAGE, NULL, 0, 0,
				  "unknown format '%s' (text, json, sarif, junit, checkstyle, gitlab, html)", co->format);
	if (co->failure_threshold) { /* hadolint's -t: its levels or ours */
		if (cfg_hadolint_level(co->failure_threshold, &co->threshold) &&
		    sev_parse(co->failure_threshold, &co->threshold))
			return ds_err_set(err, DS_EUSAGE, NULL, 0, 0,
					  "unknown level '%s' (error, warning, info, style, none; or low, medium, high, "
					  "critical)", co->failure_threshold);
		co->fail_on = co->failure_threshold;
	} else if (co->fail_on && sev_parse(co->fail_on, &co->threshold))
		return ds_err_set(err, DS_EUSAGE, NULL, 0, 0,
				  "unknown level '%s' (info, low, medium, high, critical, none)", co->fail_on);
	if (co->jobs_s) {
		unsigned long j;
		if (!str_to_ulong(str_cstr(co->jobs_s), 64, &j) || j == 0)
			return ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "--jobs takes a number from 1 to 64");
		co->jobs = (long)j;
	}
	if (strcmp(co->color, "auto") && strcmp(co->color, "always") && strcmp(co->color, "never"))
		return ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "--color takes auto, always or never");
	co->show = ~0u;
	if (co->severity) { /* Trivy's form: a list of the severities to show */
		const char *p = co->severity;
		co->show = 0;
		while (*p) {
			size_t n = strcspn(p, ",");
			char lv[16];
			int sv;
			snprintf(lv, sizeof(lv), "%.*s", (int)(n < sizeof(lv) ? n : sizeof(lv) - 1), p);
			for (char *q = lv; *q; q++)
				*q = (char)tolower((unsigned char)*q);
			if (!n || n >= sizeof(lv) || sev_parse(lv, &sv) || sv > SEV_CRITICAL)
				return ds_err_set(err, DS_EUSAGE, NULL, 0, 0,
						  "--severity takes a list of info, low, medium, high, critical (not '%.*s')",
						  (int)n, p);
			co->show |= 1u << sv;
			p += n + (p[n] == ',');
		}
	}
	cmd_set_quiet(co->quiet);
	if (co->config)
		return cfg_load(co->config, &co->cli_cfg, err);
	return 0;
}

/* The configuration for a target: --config, else the nearest .docksec.yaml. */
static int resolve_cfg(struct cmd_common *co, struct target *t, struct ds_err *err)
{
	char found[PATH_MAX];
	char *dir = strcmp(t->path, "-") && strcmp(t->path, "--cmd") ? ds_dirname(t->path) : ds_strdup(".");
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
	for (i = 0; i < co->ncfg; i++)
		if (!strcmp(co->cfg_dirs[i], found)) {
			t->cfg = co->cfgs[i];
			return t->cfg ? 0 : DS_ECONFIG;
		}
	/* the cache owns the path, so an error can point at it later */
	if (ds_grow((void **)&co->cfg_dirs, &co->cfg_cap, co->ncfg + 1, sizeof(char *)) ||
	    ds_grow((void **)&co->cfgs, &co->cfgs_cap, co->ncfg + 1, sizeof(*co->cfgs)) ||
	    !(co->cfg_dirs[co->ncfg] = ds_strdup(found)))
		return ds_oom(err);
	co->cfgs[co->ncfg] = NULL;
	rc = cfg_load(co->cfg_dirs[co->ncfg], &c, err);
	if (!rc && cfg_is_hadolint(found))
		cmd_notice("reading %s: hadolint's configuration (no .docksec.yaml there)", found);
	co->cfgs[co->ncfg++] = c;
	t->cfg = c;
	return rc;
}

/* Trivy's --skip-dirs and --skip-files: globs on the path as walked (a
 * leading ./ ignored) or on the file's name. */
static bool skipped(const struct cmd_common *co, const char *path)
{
	const char *p = path, *base = strrchr(path, '/');
	size_t i;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	base = base ? base + 1 : path;
	for (i = 0; i < co->skip_files.n; i++)
		if (!fnmatch(co->skip_files.v[i], p, 0) || !fnmatch(co->skip_files.v[i], base, 0))
			return true;
	for (i = 0; i < co->skip_dirs.n; i++) {
		const char *d = co->skip_dirs.v[i];
		while (d[0] == '.' && d[1] == '/')
			d += 2;
		if (cfg_path_in_dir(p, d))
			return true;
	}
	return false;
}

int cmd_common_prepare(struct cmd_common *co, struct cmd_run *run, struct ds_err *err)
{
	size_t i;
	int rc;

	run->progress = !co->quiet;
	for (i = 0; i < run->n; i++) {
		if (co->cli_cfg)
			run->t[i]->cfg = co->cli_cfg;
		else if ((rc = resolve_cfg(co, run->t[i], err)))
			return rc;
		/* --ignore adds to whatever configuration applies */
		run->t[i]->extra_ignore = co->ignores.v;
		run->t[i]->nextra_ignore = co->ignores.n;
	}
	for (i = run->n; i-- > 0;)
		if (strcmp(run->t[i]->path, "-") && strcmp(run->t[i]->path, "--cmd") &&
		    (cfg_excluded(run->t[i]->cfg, run->t[i]->path) || skipped(co, run->t[i]->path)))
			run_drop(run, i);
	if (!co->fail_on) /* a configuration's fail-on applies when the command line names none */
		for (i = 0; i < run->n; i++)
			if (run->t[i]->cfg->has_fail_on) {
				co->threshold = run->t[i]->cfg->fail_on;
				break;
			}
	return 0;
}

/* A report file is readable as any new file is (0666 less the umask), not
 * 0600 as mkostemp makes it. */
static int report_mode(const char *path)
{
	mode_t um = umask(0);

	umask(um);
	return chmod(path, 0666 & ~um);
}

/* The report on stdout, or with -o into FILE: written beside it and
 * renamed over it, so a failed write (a full disk) leaves the old FILE. */
int cmd_write_output(struct cmd_common *co, int (*write)(FILE *out, void *ud), void *ud, struct ds_err *err)
{
	char tmp[PATH_MAX + 32], real[PATH_MAX];
	const char *dst = co->output;
	struct stat st;
	FILE *fp;
	int fd, rc, e;

	if (!co->output || !strcmp(co->output, "-")) {
		if ((rc = write(stdout, ud)))
			return ds_err_set(err, rc, NULL, 0, 0, "cannot write the report: %s",
					  rc == DS_EWRITE ? strerror(errno) : ds_rc_message(rc));
		return 0;
	}
	if (stat(dst, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* /dev/stdout, a FIFO, /dev/full: written in place, never replaced */
		if (!(fp = fopen(dst, "w")))
			return ds_err_set(err, DS_EIO, dst, 0, 0, "cannot write the report: %s", strerror(errno));
		rc = write(fp, ud);
		e = errno;
		if (fclose(fp) != 0 && !rc)
			rc = DS_EWRITE, e = errno;
		return rc ? ds_err_set(err, DS_EIO, dst, 0, 0, "cannot write the report: %s",
				       rc == DS_EWRITE ? strerror(e) : ds_rc_message(rc)) : 0;
	}
	if (lstat(dst, &st) == 0 && S_ISLNK(st.st_mode) && realpath(dst, real))
		dst = real; /* through a link: the link stays, its target is replaced */
	if (snprintf(tmp, sizeof(tmp), "%s.docksec-tmp.XXXXXX", dst) >= (int)sizeof(tmp))
		return ds_err_set(err, DS_EIO, co->output, 0, 0, "path too long");
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		return ds_err_set(err, DS_EIO, co->output, 0, 0, "cannot write the report: %s", strerror(errno));
	if (!(fp = fdopen(fd, "w"))) {
		e = errno;
		close(fd);
		unlink(tmp);
		return ds_err_set(err, DS_EIO, co->output, 0, 0, "cannot write the report: %s", strerror(e));
	}
	rc = write(fp, ud);
	e = errno;
	if (!rc && (fsync(fileno(fp)) != 0))
		rc = DS_EWRITE, e = errno;
	if (fclose(fp) != 0 && !rc)
		rc = DS_EWRITE, e = errno;
	if (!rc && report_mode(tmp) == 0 && rename(tmp, dst) == 0)
		return 0;
	if (!rc)
		e = errno;
	unlink(tmp);
	return ds_err_set(err, DS_EIO, co->output, 0, 0, "cannot write the report: %s",
			  rc && rc != DS_EWRITE ? ds_rc_message(rc) : strerror(e));
}

struct report_job {
	struct cmd_common *co;
	struct cmd_run *run;
	const struct rpt_opts *ro;
};

static int write_report_to(FILE *out, void *ud)
{
	struct report_job *j = ud;

	return rpt_write(out, j->co->fmt, j->run->t, j->run->n, j->ro);
}

static int write_report(struct cmd_common *co, struct cmd_run *run, const struct rpt_opts *ro, struct ds_err *err)
{
	struct report_job j = {co, run, ro};

	return cmd_write_output(co, write_report_to, &j, err);
}

int cmd_common_report(struct cmd_common *co, struct cmd_run *run, const char *command)
{
	struct rpt_opts ro = {0};
	struct ds_err err = {0};
	int exit_code = DS_EXIT_OK, rc;
	size_t i, k;

	ro.color = !strcmp(co->color, "always") ||
		   (!strcmp(co->color, "auto") && isatty(1) && !getenv("NO_COLOR"));
	if (co->no_color)
		ro.color = false;
	ro.show_source = !co->no_source;
	ro.fail_on = co->threshold;
	ro.command = command;
	ro.quiet = co->quiet;
	ro.summary = co->summary;
	ro.json_extra = run->json_extra;
	ro.text_extra = run->text_extra;
	ro.extra_ud = run->extra_ud;
	for (i = 0; i < run->n; i++) {
		struct target *t = run->t[i];
		size_t kept = 0;
		if (t->err.code) {
			exit_code = DS_EXIT_ERROR;
			/* errors go to stderr in every format; a text report on the
			 * same terminal shows them already */
			if (co->fmt != RPT_TEXT || !isatty(1) || (co->output && strcmp(co->output, "-")))
				cmd_error(&t->err);
		}
		/* the gate sees every finding; --severity only hides some */
		for (k = 0; k < t->nfindings && exit_code == DS_EXIT_OK; k++)
			if ((int)t->findings[k].severity >= co->threshold)
				exit_code = DS_EXIT_FINDINGS;
		for (k = 0; k < t->nfindings; k++)
			if (co->show & (1u << t->findings[k].severity))
				t->findings[kept++] = t->findings[k];
		ro.hidden += t->nfindings - kept;
		t->nfindings = kept;
	}
	for (i = 0; i < run->n && exit_code == DS_EXIT_FINDINGS; i++)
		if (run->t[i]->err.code)
			exit_code = DS_EXIT_ERROR;
	if ((rc = write_report(co, run, &ro, &err))) {
		cmd_error(&err);
		return DS_EXIT_ERROR;
	}
	return exit_code;
}

int run_read(struct target *t, size_t max)
{
	return run_read_as(t, max, false);
}
