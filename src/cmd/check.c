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
#include "../container/fix.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

enum fix_mode { FIX_NONE, FIX_DIFF, FIX_WRITE };

struct check_ctx {
	bool keep_data;
	bool skip_unknown; /* named files that hold no deployment are skipped, as walked ones */
	enum fix_mode fix;
	struct ct_fix_opts fix_opts;
	struct ct_fix *fixes; /* per target, with --fix */
};

static bool deploy_name(const char *name)
{
	struct str s = str_cstr(name);

	return str_has_suffix(s, ".yml") || str_has_suffix(s, ".yaml") || str_has_suffix(s, ".sh") ||
	       str_has_suffix(s, ".bash") || !strcmp(name, "Makefile") || !strcmp(name, "makefile") ||
	       !strcmp(name, "GNUmakefile") || str_has_suffix(s, ".mk") || !strcmp(name, "Jenkinsfile");
}

/* Chart templates are Go templates, not YAML: one notice per chart, on
 * standard error, saying how to check what the chart renders. */
static void helm_notices(struct cmd_run *run)
{
	size_t i, j;

	for (i = 0; i < run->n; i++) {
		char *chart, *prev = NULL;
		bool said = false;
		if (!run->t[i]->kind || strcmp(run->t[i]->kind, "helm-template") || !(chart = ct_helm_chart(run->t[i]->path)))
			continue;
		for (j = 0; j < i && !said; j++) {
			if (run->t[j]->kind && !strcmp(run->t[j]->kind, "helm-template") &&
			    (prev = ct_helm_chart(run->t[j]->path))) {
				said = !strcmp(prev, chart);
				ds_free(prev);
			}
		}
		if (!said)
			cmd_notice("%s is a Helm chart: its templates are not YAML until rendered; check what it deploys "
				   "with `helm template %s | docksec check -`", chart, chart);
		ds_free(chart);
	}
}

static void check_one(struct cmd_run *run, size_t idx)
{
	struct check_ctx *cc = run->ctx;
	struct target *t = run->t[idx];
	struct ct_file f;
	int rc;

	{ /* a Helm chart template: said once per chart after the run */
		char *chart = ct_helm_chart(t->path);
		if (chart) {
			ds_free(chart);
			t->kind = "helm-template";
			return;
		}
	}
	if (run_read_as(t, CT_MAX_BYTES, run->walked && run->walked[idx]))
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
		if ((run->walked[idx] || cc->skip_unknown) && (ct_detect(t->path, t->data, t->len) == CT_KIND_UNKNOWN ||
					 ct_compose_is_override(t->path))) {
			/* not ours, or an override the check of its base file merges */
			t->kind = NULL; /* not ours: dropped after the run */
			return;
		}
		rc = ct_check_target(t, NULL, &f);
	}
	if (rc)
		return;
	if (cc->fix && ct_fix(t, &f, &cc->fix_opts, &cc->fixes[idx]) && !t->err.code)
		ds_err_set(&t->err, DS_EINTERNAL, target_display_path(t), 0, 0, "cannot compute the fix");
	if ((rc = target_compact(t, cc->keep_data)))
		ds_err_set(&t->err, rc, target_display_path(t), 0, 0, "%s", ds_rc_message(rc));
	target_sort(t);
}

/* Write the fix of a file over it, the way a careful editor does:
 *   - through a symbolic link: the link stays, its target is rewritten;
 *   - never over a file that changed since it was read (the fix would
 *     drop that change), nor over one its owner made read-only;
 *   - a new file beside the target (a unique name: a leftover from a
 *     killed run does not block the next), created 0600, given the
 *     original's owner and group and then its mode - chmod after chown,
 *     so a setuid bit is never set on a file of the wrong owner -,
 *     written, fsynced, then a backup link to the original
 *     (path.docksec-bak, .1, .2 ...) and a rename over it.
 * Messages name path (the caller's string), never a buffer of ours. */
static int write_fixed(const char *path, const struct ct_fix *x, char *backup, size_t bsz, struct ds_err *err)
{
	char tmp[PATH_MAX + 32], real[PATH_MAX];
	struct stat st;
	char *now = NULL;
	size_t nown = 0, done = 0;
	int fd, i, e;
	ssize_t w;

	if (!realpath(path, real))
		return ds_err_set(err, DS_EIO, path, 0, 0, "cannot resolve: %s", strerror(errno));
	if (lstat(real, &st) || !S_ISREG(st.st_mode))
		return ds_err_set(err, DS_EIO, path, 0, 0, "not a regular file: cannot write the fix");
	if (!(st.st_mode & S_IWUSR))
		return ds_err_set(err, DS_EIO, path, 0, 0, "read-only (mode %04o): not rewritten; see --fix=diff",
				  (unsigned)(st.st_mode & 07777));
	{ /* what is there now, read as a walked file: no link, no FIFO */
		struct target cur;
		target_init(&cur, real);
		if (run_read_as(&cur, x->orig_len + 1, true) == 0) {
			now = cur.data;
			nown = cur.len;
			cur.data = NULL;
		}
		target_release(&cur);
	}
	if (!now || nown != x->orig_len || ct_fix_fingerprint(now, nown) != x->orig_hash) {
		ds_free(now);
		return ds_err_set(err, DS_EIO, path, 0, 0, "changed since it was read: not rewritten; run docksec again");
	}
	ds_free(now);
	for (i = 0; i < 1000; i++) {
		int n = i ? snprintf(backup, bsz, "%s.docksec-bak.%d", real, i) : snprintf(backup, bsz, "%s.docksec-bak", real);
		if (n < 0 || (size_t)n >= bsz)
			return ds_err_set(err, DS_EIO, path, 0, 0, "path too long for a backup beside it");
		if (access(backup, F_OK))
			break;
	}
	if (i == 1000)
		return ds_err_set(err, DS_EIO, path, 0, 0, "too many backups beside the file");
	snprintf(tmp, sizeof(tmp), "%s.docksec-tmp.XXXXXX", real);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		return ds_err_set(err, DS_EIO, path, 0, 0, "cannot create a file beside it: %s", strerror(errno));
	if ((st.st_uid != geteuid() || st.st_gid != getegid()) && fchown(fd, st.st_uid, st.st_gid)) {
		e = errno;
		close(fd);
		unlink(tmp);
		return ds_err_set(err, DS_EIO, path, 0, 0, "cannot keep its owner %u:%u (%s): not rewritten",
				  (unsigned)st.st_uid, (unsigned)st.st_gid, strerror(e));
	}
	if (fchmod(fd, st.st_mode & 07777)) {
		e = errno;
		close(fd);
		unlink(tmp);
		return ds_err_set(err, DS_EIO, path, 0, 0, "cannot keep its mode: %s", strerror(e));
	}
	while (done < x->len) {
		w = write(fd, x->text + done, x->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (done < x->len || fsync(fd)) {
		e = errno;
		close(fd);
		unlink(tmp);
		return ds_err_set(err, DS_EIO, path, 0, 0, "cannot write the fixed file: %s", strerror(e));
	}
	close(fd);
	if (link(real, backup)) {
		e = errno;
		unlink(tmp);
		return ds_err_set(err, DS_EIO, path, 0, 0, "cannot keep a backup: %s", strerror(e));
	}
	if (rename(tmp, real)) {
		e = errno;
		unlink(tmp);
		return ds_err_set(err, DS_EIO, path, 0, 0, "cannot replace it: %s", strerror(e));
	}
	return 0;
}

/* --fix: print the diff or write the files; exit 1 when a diff is shown. */
static int report_fixes(struct cmd_run *run, struct check_ctx *cc)
{
	int exit_code = DS_EXIT_OK;
	size_t i;

	for (i = 0; i < run->n; i++) {
		struct target *t = run->t[i];
		struct ct_fix *x = &cc->fixes[i];
		char backup[PATH_MAX + 32];
		struct ds_err err = {0};

		if (t->err.code) {
			cmd_error(&t->err);
			exit_code = DS_EXIT_ERROR;
			continue;
		}
		if (x->nskipped)
			fprintf(stderr, "docksec: %s: %zu container(s) left alone (image inside a quoted string)\n",
				target_display_path(t), x->nskipped);
		if (x->notes && (!x->text || cc->fix == FIX_WRITE)) { /* what was left, and why */
			const char *p = x->notes, *nl;
			for (; (nl = strchr(p, '\n')); p = nl + 1)
				cmd_notice("%s: %.*s", target_display_path(t), (int)(nl - p), p);
		}
		if (!x->text)
			continue;
		if (cc->fix == FIX_DIFF || !strcmp(t->path, "-") || !strcmp(t->path, "--cmd")) {
			if (!strcmp(t->path, "--cmd")) {
				printf("%s\n", x->text);
			} else {
				const char *p = x->notes, *nl;
				for (; p && (nl = strchr(p, '\n')); p = nl + 1) { /* before the ---: patch skips it */
					struct buf v = BUF_INIT; /* a service name from the file, made visible */
					buf_add_visible(&v, p, (size_t)(nl - p));
					printf("# docksec: %.*s\n", buf_ok(&v) ? (int)v.n : 0, buf_ok(&v) && v.p ? v.p : "");
					buf_release(&v);
				}
				fputs(x->diff, stdout);
			}
			if (exit_code == DS_EXIT_OK)
				exit_code = DS_EXIT_FINDINGS;
			continue;
		}
		if (write_fixed(t->path, x, backup, sizeof(backup), &err)) {
			cmd_error(&err);
			exit_code = DS_EXIT_ERROR;
			continue;
		}
		fprintf(stderr, "docksec: fixed %s (%zu edits; the original is %s)\n", t->path, x->nedits, backup);
	}
	return exit_code;
}

static const char check_usage[] = "docksec check [options] [PATH|-]... [--cmd 'docker run ...']";
static const char check_desc[] =
	"Check container deployment configurations: Compose files, Kubernetes manifests and\n"
	"docker run/create command lines (in any text file, or given with --cmd). Files are\n"
	"recognised by content; directories are walked for *.yml, *.yaml, *.sh, Makefiles and\n"
	"Jenkinsfiles. Every container is judged by the same rules, named with its service or\n"
	"workload, file and line. Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage\n"
	"error or a file that could not be read or parsed.\n\n"
	"--fix=diff prints a unified diff that adds cap_drop ALL, no-new-privileges, a read-only\n"
	"root filesystem with a tmpfs /tmp, a non-root user, memory/CPU/pids limits, an\n"
	"on-failure:5 restart policy (and RuntimeDefault seccomp in Kubernetes); it exits 1 when\n"
	"there is something to change. --fix=write edits the files in place, keeping the\n"
	"original as FILE.docksec-bak. Untouched lines keep their bytes, comments included.";

int cmd_check(int argc, char **argv)
{
	struct cmd_common co;
	struct cmd_run run;
	struct check_ctx cc = {0};
	struct opt_list cmds = {0}, fix_rules = {0};
	const char **named = NULL;
	size_t nnamed = 0;
	const char *fix = NULL;
	struct ds_err err = {0};
	int rc, exit_code = DS_EXIT_OK;
	size_t i;
	const struct opt opts[] = {
		CMD_COMMON_OPTS(&co),
		{0, "cmd", OPT_LIST, &cmds, "LINE", "check this docker run/create command line; repeatable"},
		{0, "fix", OPT_STRING, &fix, "MODE", "diff: print the hardened files as a diff; write: edit them (backup kept)"},
		{0, "skip-unknown", OPT_BOOL, &cc.skip_unknown, NULL,
		 "skip named files that are no deployment file (for hooks that pass every changed file)"},
		{0, "fix-rule", OPT_LIST, &fix_rules, "RULES", "with --fix, also apply these fixes (comma list of rule ids, or all); "
							      "without it only the safe ones are applied"},
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
	if (fix && strcmp(fix, "diff") && strcmp(fix, "write")) {
		ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "--fix takes diff or write (--fix=diff)");
		cmd_error(&err);
		exit_code = DS_EXIT_ERROR;
		goto cleanup;
	}
	cc.fix = !fix ? FIX_NONE : !strcmp(fix, "diff") ? FIX_DIFF : FIX_WRITE;
	if (fix_rules.n && !cc.fix) {
		ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "--fix-rule goes with --fix=diff or --fix=write");
		cmd_error(&err);
		exit_code = DS_EXIT_ERROR;
		goto cleanup;
	}
	for (i = 0; i < fix_rules.n; i++) { /* comma lists, each id one --fix handles */
		const char *p = fix_rules.v[i];
		while (*p) {
			size_t n = strcspn(p, ",");
			char *id = n ? ds_strndup(p, n) : NULL;
			const char **nv;
			if (n && !id) {
				rc = ds_oom(&err);
				goto fail;
			}
			if (id && !strcmp(id, "all")) {
				cc.fix_opts.all = true;
				ds_free(id);
			} else if (id && !ct_fix_rule_known(id)) {
				ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "--fix-rule: %s is not a rule --fix handles (see docs/check.md)", id);
				ds_free(id);
				cmd_error(&err);
				exit_code = DS_EXIT_ERROR;
				goto cleanup;
			} else if (id) {
				if (!(nv = ds_realloc(named, (nnamed + 1) * sizeof(*named)))) {
					ds_free(id);
					rc = ds_oom(&err);
					goto fail;
				}
				named = nv;
				named[nnamed++] = id;
			}
			p += n + (p[n] == ',');
		}
	}
	cc.fix_opts.rules = named;
	cc.fix_opts.nrules = nnamed;
	if (!co.operands.n && !cmds.n &&
	    (rc = opt_parse(2, (char *[]){"check", ".", NULL}, opts, &co.operands, &err)))
		goto fail;
	for (i = 0; i < cmds.n; i++)
		if ((rc = run_add_data(&run, "--cmd", cmds.v[i], &err)))
			goto fail;
	if ((rc = run_add_operands(&run, &co.operands, &err)) || (rc = cmd_common_prepare(&co, &run, &err)))
		goto fail;
	cc.keep_data = co.fmt == RPT_TEXT;
	if (cc.fix && !(cc.fixes = ds_calloc(run.n ? run.n : 1, sizeof(*cc.fixes)))) {
		rc = ds_oom(&err);
		goto fail;
	}
	run_all(&run, co.jobs);
	helm_notices(&run);
	if (cc.fix) {
		exit_code = report_fixes(&run, &cc);
		goto cleanup;
	}
	for (i = run.n; i-- > 0;)
		if (!run.t[i]->kind || !strcmp(run.t[i]->kind, "helm-template"))
			run_drop(&run, i);
	exit_code = cmd_common_report(&co, &run, "check");
	goto cleanup;
fail:
	cmd_error(&err);
	exit_code = DS_EXIT_ERROR;
cleanup:
	if (cc.fixes) {
		for (i = 0; i < run.n; i++)
			ct_fix_release(&cc.fixes[i]);
		ds_free(cc.fixes);
	}
	run_release(&run);
	cmd_common_release(&co);
	opt_list_release(&cmds);
	opt_list_release(&fix_rules);
	for (i = 0; i < nnamed; i++)
		ds_free((void *)named[i]);
	ds_free(named);
	return exit_code;
}
