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
#include "run.h"
#include "../container/check.h"
#include "../dockerfile/lint.h"

struct lint_ctx {
	bool dump_ast;
	bool keep_data; /* the text report shows source lines */
	struct buf *dumps;
};

static bool dockerfile_name(const char *name)
{
	/* Dockerfile.dockerignore, Dockerfile.md, Dockerfile.gz... are not Dockerfiles */
	static const char *const not_df[] = {".dockerignore", ".md", ".txt", ".gz", ".tgz", ".zip", ".tar",
					     ".json", ".yml", ".yaml", ".sh", ".orig", ".bak", ".swp", ".rej",
					     ".patch", ".diff", ".j2", ".tmpl", ".template"};
	struct str s = str_cstr(name);
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(not_df); i++)
		if (str_ihas_suffix(s, not_df[i]))
			return false;
	return !strcmp(name, "Dockerfile") || !strcmp(name, "Containerfile") ||
	       !strcmp(name, "dockerfile") || str_has_prefix(s, "Dockerfile.") ||
	       str_has_prefix(s, "Containerfile.") || str_ihas_suffix(s, ".dockerfile") ||
	       str_has_suffix(s, ".Containerfile");
}

/* A file named on the command line that is plainly not a Dockerfile: say
 * what it is instead of linting YAML as instructions. */
static bool not_a_dockerfile(struct target *t)
{
	enum ct_kind k = ct_detect(t->path, t->data, t->len);

	if (!strcmp(t->path, "-") || (k != CT_KIND_COMPOSE && k != CT_KIND_K8S))
		return false;
	ds_err_set(&t->err, DS_EPARSE, target_display_path(t), 0, 0,
		   "not a Dockerfile: a %s ('docksec check' reads it)", k == CT_KIND_COMPOSE ? "Compose file" : "Kubernetes manifest");
	return true;
}

/* Read, parse and lint one target; errors stay in t->err. */
static void lint_one(struct cmd_run *run, size_t idx)
{
	struct lint_ctx *lc = run->ctx;
	struct target *t = run->t[idx];
	struct df_file f;
	int rc;

	if (run_read_as(t, DF_MAX_BYTES, run->walked && run->walked[idx]))
		return;
	if (not_a_dockerfile(t))
		return;
	rc = df_parse(&t->arena, target_display_path(t), t->data, t->len, &f, &t->err);
	if (rc)
		return;
	if (lc->dump_ast) {
		df_dump_ast(&f, &lc->dumps[idx]);
		return;
	}
	rc = df_lint(t, &f);
	if (!rc)
		rc = target_compact(t, lc->keep_data);
	if (rc)
		ds_err_set(&t->err, rc, target_display_path(t), 0, 0, "%s", ds_rc_message(rc));
	target_sort(t);
}

static const char lint_usage[] = "docksec lint [options] [PATH|-]...";
static const char lint_desc[] =
	"Lint Dockerfiles. PATH may be a file, a directory (searched for Dockerfile,\n"
	"Containerfile, *.Dockerfile, Dockerfile.*) or - for standard input; the default is\n"
	"the current directory. Exit status: 0 clean, 1 findings at or above --fail-on,\n"
	"2 usage error or a file that could not be read or parsed.";

int cmd_lint(int argc, char **argv)
{
	struct cmd_common co;
	struct cmd_run run;
	struct lint_ctx lc = {0};
	struct ds_err err = {0};
	int rc, exit_code = DS_EXIT_OK;
	size_t i;
	const struct opt opts[] = {
		CMD_COMMON_OPTS(&co),
		{0, "dump-ast", OPT_BOOL, &lc.dump_ast, NULL, "print the parse tree in BuildKit's test format"},
		{0, NULL, OPT_END, NULL, NULL, NULL},
	};

	cmd_common_init(&co);
	memset(&run, 0, sizeof(run));
	run.kind = "dockerfile";
	run.want = dockerfile_name;
	run.one = lint_one;
	run.ctx = &lc;
	rc = opt_parse(argc, argv, opts, &co.operands, &err);
	if (rc == OPT_HELP_REQUESTED) {
		opt_usage(stdout, lint_usage, lint_desc, opts);
		goto cleanup;
	}
	if (rc || (rc = cmd_common_parse(&co, &err))) {
		if (err.code == DS_EUSAGE) {
			cmd_error(&err);
			fprintf(stderr, "usage: %s (see 'docksec lint --help')\n", lint_usage);
			exit_code = DS_EXIT_ERROR;
			goto cleanup;
		}
		goto fail;
	}
	if (!co.operands.n && (rc = opt_parse(2, (char *[]){"lint", ".", NULL}, opts, &co.operands, &err)))
		goto fail;
	if ((rc = run_add_operands(&run, &co.operands, &err)) || (rc = cmd_common_prepare(&co, &run, &err)))
		goto fail;
	lc.keep_data = co.fmt == RPT_TEXT;
	if (lc.dump_ast && !(lc.dumps = ds_calloc(run.n ? run.n : 1, sizeof(struct buf)))) {
		rc = ds_oom(&err);
		goto fail;
	}
	run_all(&run, co.jobs);
	if (lc.dump_ast) {
		for (i = 0; i < run.n; i++) {
			if (run.t[i]->err.code) {
				cmd_error(&run.t[i]->err);
				exit_code = DS_EXIT_ERROR;
			} else {
				fwrite(buf_str(&lc.dumps[i]), 1, lc.dumps[i].n, stdout);
			}
			buf_release(&lc.dumps[i]);
		}
		ds_free(lc.dumps);
		goto cleanup;
	}
	exit_code = cmd_common_report(&co, &run, "lint");
	goto cleanup;
fail:
	cmd_error(&err);
	exit_code = DS_EXIT_ERROR;
cleanup:
	run_release(&run);
	cmd_common_release(&co);
	return exit_code;
}
