/*
 * check.c - `docksec check`: judge deployment configurations.
 *
 * Operands are files or directories; each file is recognised by content
 * (Compose, Kubernetes, or text with `docker run` lines) and every
 * container in it is judged by the one container rule table. Directory
 * walks take *.yml, *.yaml, shell scripts, Makefiles and Jenkinsfiles and
 * skip quietly those that turn out to hold no deployment description; a
 * file named on the command line that holds none is an input error.
 * `--cmd 'docker run ...'` checks a command line given directly.
 */
#include "run.h"
#include "../container/check.h"

struct check_ctx {
	bool keep_data;
};

static bool deploy_name(const char *name)
{
	struct str s = str_cstr(name);

	return str_has_suffix(s, ".yml") || str_has_suffix(s, ".yaml") || str_has_suffix(s, ".sh") ||
	       str_has_suffix(s, ".bash") || !strcmp(name, "Makefile") || !strcmp(name, "makefile") ||
	       !strcmp(name, "GNUmakefile") || str_has_suffix(s, ".mk") || !strcmp(name, "Jenkinsfile");
}

static void check_one(struct cmd_run *run, size_t idx)
{
	struct check_ctx *cc = run->ctx;
	struct target *t = run->t[idx];
	struct ct_file f;
	int rc;

	if (run_read(t, CT_MAX_BYTES))
		return;
	if (memchr(t->data, 0, t->len)) {
		ds_err_set(&t->err, DS_EBINARY, target_display_path(t), 0, 0, "%s", ds_rc_message(DS_EBINARY));
		return;
	}
	if (!strcmp(t->path, "--cmd")) {
		memset(&f, 0, sizeof(f));
		t->kind = "docker-run";
		rc = ct_from_cmdline(t, &f);
		if (!rc)
			ct_judge(t, &f);
	} else {
		if (run->walked[idx] && ct_detect(t->path, t->data, t->len) == CT_KIND_UNKNOWN) {
			t->kind = NULL; /* not ours: dropped after the run */
			return;
		}
		rc = ct_check_target(t, NULL, &f);
	}
	if (rc)
		return;
	if ((rc = target_compact(t, cc->keep_data)))
		ds_err_set(&t->err, rc, target_display_path(t), 0, 0, "%s", ds_rc_message(rc));
	target_sort(t);
}

static const char check_usage[] = "docksec check [options] [PATH|-]... [--cmd 'docker run ...']";
static const char check_desc[] =
	"Check container deployment configurations: Compose files, Kubernetes manifests and\n"
	"docker run/create command lines (in any text file, or given with --cmd). Files are\n"
	"recognised by content; directories are walked for *.yml, *.yaml, *.sh, Makefiles and\n"
	"Jenkinsfiles. Every container is judged by the same rules, named with its service or\n"
	"workload, file and line. Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage\n"
	"error or a file that could not be read or parsed.";

int cmd_check(int argc, char **argv)
{
	struct cmd_common co;
	struct cmd_run run;
	struct check_ctx cc = {0};
	struct opt_list cmds = {0};
	struct ds_err err = {0};
	int rc, exit_code = DS_EXIT_OK;
	size_t i;
	const struct opt opts[] = {
		CMD_COMMON_OPTS(&co),
		{0, "cmd", OPT_LIST, &cmds, "LINE", "check this docker run/create command line; repeatable"},
		{0, NULL, OPT_END, NULL, NULL, NULL},
	};

	cmd_common_init(&co);
	memset(&run, 0, sizeof(run));
	run.kind = "deployment";
	run.want = deploy_name;
	run.one = check_one;
	run.ctx = &cc;
	rc = opt_parse(argc, argv, opts, &co.operands, &err);
	if (rc == OPT_HELP_REQUESTED) {
		opt_usage(stdout, check_usage, check_desc, opts);
		goto cleanup;
	}
	if (rc || (rc = cmd_common_parse(&co, &err))) {
		if (err.code == DS_EUSAGE) {
			cmd_error(&err);
			fprintf(stderr, "usage: %s (see 'docksec check --help')\n", check_usage);
			exit_code = DS_EXIT_ERROR;
			goto cleanup;
		}
		goto fail;
	}
	if (!co.operands.n && !cmds.n &&
	    (rc = opt_parse(2, (char *[]){"check", ".", NULL}, opts, &co.operands, &err)))
		goto fail;
	for (i = 0; i < cmds.n; i++)
		if ((rc = run_add_data(&run, "--cmd", cmds.v[i], &err)))
			goto fail;
	if ((rc = run_add_operands(&run, &co.operands, &err)) || (rc = cmd_common_prepare(&co, &run, &err)))
		goto fail;
	cc.keep_data = co.fmt == RPT_TEXT;
	run_all(&run, co.jobs);
	for (i = run.n; i-- > 0;)
		if (!run.t[i]->kind)
			run_drop(&run, i);
	exit_code = cmd_common_report(&co, &run, "check");
	goto cleanup;
fail:
	cmd_error(&err);
	exit_code = DS_EXIT_ERROR;
cleanup:
	run_release(&run);
	cmd_common_release(&co);
	opt_list_release(&cmds);
	return exit_code;
}
