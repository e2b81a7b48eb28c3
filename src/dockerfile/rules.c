/*
 * rules.c - the Dockerfile rule table and the functions that decide it.
 *
 * One static table (df_rules, at the end of this file) is the single
 * source for `docksec rules`, docs/rules.md, SARIF rule metadata and the
 * ignore/override matching by refs. Every function here reads the model
 * (instructions, stages, split RUN scripts) and reports; none parses text
 * beyond picking apart an argument it already has.
 *
 * Conventions: cache-hygiene rules (apt lists, apk --no-cache, yum clean,
 * pip --no-cache-dir...) only look at stages that end up in the final
 * image, since a builder stage's caches are thrown away; security rules
 * (secrets, curl|sh, TLS off, setuid, sudo) look at every stage, since
 * they act at build time or leak through the build cache and history.
 */
#include "lint.h"
#include "../core/secret.h"
#include "../core/config.h"

void df_report_at(struct df_lint *l, const struct rule *r, const struct df_instr *in, int line,
		  int col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#define L(ctx) ((struct df_lint *)(ctx))

static const struct df_instr *run_instr(const struct df_lint *l, size_t ii)
{
	const struct df_instr *in = &l->f->ins[ii];
	return in->cmd == DF_ONBUILD && in->sub ? in->sub : in;
}

static void script_pos(const struct df_instr *in, const struct df_script *sc, uint32_t off,
		       int *line, int *col)
{
	if (sc->kind == DF_SCRIPT_TEXT) {
		df_pos(in, sc->base + off, line, col);
	} else if (sc->kind == DF_SCRIPT_HEREDOC && off <= sc->h->body_len) {
		const char *b = sc->h->body;
		int ln = sc->h->line;
		size_t last = 0, i;
		for (i = 0; i < off; i++)
			if (b[i] == '\n') {
				ln++;
				last = i + 1;
			}
		*line = ln;
		*col = (int)(off - last) + 1;
	} else {
		df_pos(in, sc->base, line, col);
	}
}

#define REP_IN(l, r, in, ...) df_report_at(l, r, in, (in)->line, (in)->col, __VA_ARGS__)
#define REP_CMD(l, r, ii, sc, c, ...)                                                      \
	do {                                                                               \
		int L_, C_;                                                                \
		script_pos(run_instr(l, ii), sc, (c)->off, &L_, &C_);                      \
		df_report_at(l, r, &(l)->f->ins[ii], L_, C_, __VA_ARGS__);                 \
	} while (0)

#define FOR_EACH_CMD(l, ii, sc, c)                                                         \
	for (size_t ii = 0; ii < (l)->f->nins; ii++)                                       \
		for (size_t si_ = 0; si_ < (l)->runs[ii].n; si_++)                         \
			for (const struct df_script *sc = &(l)->runs[ii].scripts[si_]; sc; \
			     sc = NULL)                                                    \
				for (size_t ci_ = 0; ci_ < sc->sh.n; ci_++)                \
					for (const struct sh_cmd *c = &sc->sh.cmds[ci_]; c; \
					     c = NULL)

static bool stage_in_final(const struct df_lint *l, size_t ii)
{
	int s = l->f->ins[ii].stage;
	return s >= 0 && l->in_final[s];
}

/* ---- argument helpers ---- */

static const char *arg(const struct sh_cmd *c, size_t i)
{
	return i < c->argc ? c->argv[i].s : "";
}

/* Does any argument after `from` carry the option? Long options match
 * exactly or as --opt=value; a short option matches inside a cluster
 * (-qy has y). */
static bool has_opt(const struct sh_cmd *c, size_t from, char shrt, const char *lng1,
		    const char *lng2)
{
	size_t i;

	for (i = from; i < c->argc; i++) {
		const char *a = c->argv[i].s;
		size_t n;
		if (!strcmp(a, "--"))
			break;
		if (a[0] == '-' && a[1] == '-') {
			if (lng1 && (!strcmp(a, lng1) ||
				     (!strncmp(a, lng1, n = strlen(lng1)) && a[n] == '=')))
				return true;
			if (lng2 && (!strcmp(a, lng2) ||
				     (!strncmp(a, lng2, n = strlen(lng2)) && a[n] == '=')))
				return true;
		} else if (shrt && a[0] == '-' && a[1] && strchr(a + 1, shrt) &&
			   isalpha((unsigned char)a[1])) {
			return true;
		}
	}
	return false;
}

static bool opt_takes_value(const char *a, const char *list)
{
	char key[64];

	if (strchr(a, '=') || strlen(a) > 50)
		return false;
	snprintf(key, sizeof(key), "|%s|", a);
	return strstr(list, key) != NULL;
}

/* Index of the first operand after `from`, skipping options (and the
 * values of those in `vopts`); c->argc if none. */
static size_t first_operand(const struct sh_cmd *c, size_t from, const char *vopts)
{
	size_t i;

	for (i = from; i < c->argc; i++) {
		const char *a = c->argv[i].s;
		if (!strcmp(a, "--"))
			return i + 1;
		if (a[0] != '-' || !a[1])
			return i;
		if (opt_takes_value(a, vopts))
			i++;
	}
	return i;
}

/* Report at word w of the RUN at ii: "MSG" is what is not pinned. n > 1
 * packages: "N WHATs are not pinned...", the words listed in more. */
static void report_unpinned_n(struct df_lint *l, const struct rule *r, size_t ii, const struct df_script *sc,
			      const struct sh_word *w, const char *what, size_t n, const char *more)
{
	int line, col;
	const struct df_instr *in = run_instr(l, ii);

	if (sc->kind == DF_SCRIPT_TEXT)
		df_pos(in, sc->base + w->off, &line, &col);
	else
		script_pos(in, sc, w->off, &line, &col);
	if (n <= 1)
		df_report_at(l, r, &l->f->ins[ii], line, col, "%s '%s' is not pinned to a version", what, w->s);
	else
		df_report_at(l, r, &l->f->ins[ii], line, col, "%zu %ss are not pinned to a version: '%s'%s", n, what,
			     w->s, more);
}

static void report_unpinned(struct df_lint *l, const struct rule *r, size_t ii,
			    const struct df_script *sc, const struct sh_word *w, const char *what)
{
	report_unpinned_n(l, r, ii, sc, w, what, 1, "");
}

/* Does instruction in declare the variable s[0..n) (ENV; ARG when
 * arg_ok: an ARG is not inherited by a stage built on this one)? */
static bool declares(const struct df_instr *in, const char *s, size_t n, bool arg_ok)
{
	size_t k;

	if (in->cmd == DF_ENV) {
		for (k = 0; k < in->nargs; k += 3)
			if (strlen(in->args[k]) == n && !strncmp(in->args[k], s, n))
				return true;
	} else if (in->cmd == DF_ARG && arg_ok) {
		for (k = 0; k < in->nargs; k++)
			if (!strncmp(in->args[k], s, n) && (in->args[k][n] == 0 || in->args[k][n] == '='))
				return true;
	}
	return false;
}

/* A package word with a variable and a literal part is a pin only if a
 * variable it names is set where the RUN at ii runs: an ENV or ARG of its stage before it, or
 * an ENV of a stage it is built FROM. BuildKit expands any other to
 * nothing (`git-core-${version}` with version set in another stage is
 * `git-core-`). A $(...) or backquote is taken as a pin: its value is
 * not known. */
static bool var_pin(const struct df_lint *l, size_t ii, const char *s)
{
	size_t n;
	const char *p;
	bool literal = false;

	if (strstr(s, "$(") || strchr(s, '`'))
		return true;
	/* only variables ($PKGS): set, a list of unknown packages; unset,
	 * nothing at all - no package to pin either way */
	for (p = s; *p;) {
		if (*p == '$' && p[1] == '{') {
			const char *e = strchr(p, '}');
			p = e ? e + 1 : p + strlen(p);
		} else if (*p == '$') {
			p++;
			p += strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		} else {
			literal = true;
			break;
		}
	}
	if (!literal)
		return true;
	for (; (s = strchr(s, '$')); s += n ? n : 1) {
		int st = l->f->ins[ii].stage;
		bool own = true;
		s++;
		if (*s == '{')
			s++;
		n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		for (; n && st >= 0; st = l->f->stages[st].base_stage, own = false) {
			size_t i, end = own ? ii : l->f->stages[st].last + 1;
			for (i = l->f->stages[st].first; i < end; i++)
				if (declares(&l->f->ins[i], s, n, own))
					return true;
		}
	}
	return false;
}

typedef void (*operand_fn)(struct df_lint *l, const struct rule *r, size_t ii,
			   const struct df_script *sc, const struct sh_cmd *c,
			   const struct sh_word *w);

static void each_operand(struct df_lint *l, const struct rule *r, size_t ii,
			 const struct df_script *sc, const struct sh_cmd *c, size_t from,
			 const char *vopts, bool (*pinned)(const char *), const char *what)
{
	size_t i;
	bool gem = !strcmp(what, "gem"); /* gem passes what follows -- to the build */
	const struct sh_word *first = NULL;
	struct buf more = BUF_INIT;
	size_t n = 0;

	for (i = from; i < c->argc; i++) {
		const struct sh_word *w = &c->argv[i];
		if (!strcmp(w->s, "--") && gem)
			break;
		if (!strcmp(w->s, "--"))
			continue;
		if (w->s[0] == '-') {
			if (opt_takes_value(w->s, vopts))
				i++;
			continue;
		}
		if ((w->dynamic && var_pin(l, ii, w->s)) || !w->s[0] || pinned(w->s))
			continue;
		/* one finding per command, naming its packages (3,000 packages
		 * are one problem, not 3,000) */
		if (!first)
			first = w;
		else if (n < 10)
			buf_addf(&more, ", '%s'", w->s);
		n++;
	}
	if (n > 11)
		buf_addf(&more, " and %zu more", n - 11);
	if (first)
		report_unpinned_n(l, r, ii, sc, first, what, n, buf_ok(&more) && more.n ? buf_str(&more) : "");
	buf_release(&more);
}

/* Does the RUN at ii mount a cache (or a tmpfs: nothing written there
 * reaches the layer either) at a path containing prefix? */
static bool run_has_cache_mount(const struct df_lint *l, size_t ii, const char *prefix)
{
	const struct df_instr *in = run_instr(l, ii);
	size_t i;

	for (i = 0; i < in->nflags; i++) {
		const char *v = in->flags[i].value;
		if (strcasecmp(in->flags[i].name, "mount") ||
		    (!strstr(v, "type=cache") && !strstr(v, "type=tmpfs")))
			continue;
		if (!prefix || strstr(v, prefix))
			return true;
	}
	return false;
}

/* Does any command of the RUN at ii satisfy pred? */
static bool run_any(const struct df_lint *l, size_t ii,
		    bool (*pred)(const struct sh_cmd *c, const void *parg), const void *parg)
{
	size_t s, k;

	for (s = 0; s < l->runs[ii].n; s++)
		for (k = 0; k < l->runs[ii].scripts[s].sh.n; k++)
			if (pred(&l->runs[ii].scripts[s].sh.cmds[k], parg))
				return true;
	return false;
}

/* Does a command after `after` in the RUN at ii satisfy pred? A clean
 * before an install leaves the install's cache in the layer. */
static bool run_after(const struct df_lint *l, size_t ii, const struct sh_cmd *after,
		      bool (*pred)(const struct sh_cmd *c, const void *parg), const void *parg)
{
	size_t s, k;
	bool seen = false;

	for (s = 0; s < l->runs[ii].n; s++)
		for (k = 0; k < l->runs[ii].scripts[s].sh.n; k++) {
			const struct sh_cmd *c = &l->runs[ii].scripts[s].sh.cmds[k];
			if (c == after)
				seen = true;
			else if (seen && pred(c, parg))
				return true;
		}
	return false;
}

static bool rm_path_pred(const struct sh_cmd *c, const void *parg)
{
	size_t i;

	if (!sh_cmd_is(c, "rm", &i))
		return false;
	for (i = i + 1; i < c->argc; i++)
		if (strstr(c->argv[i].s, (const char *)parg))
			return true;
	return false;
}

/* ---- package managers ---- */

#define APT_VOPTS "|-o|-t|-c|--option|--target-release|--default-release|--config-file|"
#define APK_VOPTS "|-t|--virtual|-X|--repository|-p|--root|--repositories-file|--arch|--cache-dir|--keys-dir|"
#define RPM_VOPTS "|-c|--config|--enablerepo|--disablerepo|--installroot|--releasever|--setopt|-x|--exclude|--repo|--repofrompath|--forcearch|--nodocs-ignore|"
#define ZYP_VOPTS "|-r|--repo|-t|--type|--from|-R|--root|"
#define PIP_VOPTS "|--root-user-action|--use-feature|--use-deprecated|--log-file|--report|--build|-b|-r|--requirement|-c|--constraint|-e|--editable|-i|--index-url|--extra-index-url|-f|--find-links|-t|--target|--prefix|--root|--trusted-host|--platform|--python-version|--implementation|--abi|--cache-dir|--src|--upgrade-strategy|--progress-bar|--log|--proxy|--timeout|--retries|--cert|--client-cert|--exists-action|--global-option|--config-settings|-C|--no-binary|--only-binary|--python|"
#define NPM_VOPTS "|--loglevel|--install-strategy|--save-prefix|--audit-level|--before|--location|--registry|--prefix|--cache|-w|--workspace|--omit|--include|--tag|--userconfig|"
#define GO_VOPTS "|-ldflags|-tags|-gcflags|-asmflags|-o|-p|-mod|-modfile|-overlay|-pkgdir|-exec|-toolexec|-C|"
#define GEM_VOPTS "|-v|--version|-i|--install-dir|-n|--bindir|-s|--source|-P|--trust-policy|--platform|-g|--file|"

static bool is_apt(const struct sh_cmd *c, size_t *argi)
{
	return sh_cmd_is(c, "apt-get", argi) || sh_cmd_is(c, "apt", argi) ||
	       sh_cmd_is(c, "aptitude", argi);
}

static const char *apt_sub(const struct sh_cmd *c, size_t argi, size_t *subi)
{
	*subi = first_operand(c, argi + 1, APT_VOPTS);
	return arg(c, *subi);
}

static bool apt_installs(const struct sh_cmd *c)
{
	size_t argi, subi;
	if (!is_apt(c, &argi))
		return false;
	const char *s = apt_sub(c, argi, &subi);
	return !strcmp(s, "install") || !strcmp(s, "reinstall") || !strcmp(s, "build-dep");
}

static int atoi_safe(const char *s)
{
	return isdigit((unsigned char)s[0]) && !s[1] ? s[0] - '0' : 0;
}

static bool apt_pinned(const char *p)
{
	return strchr(p, '=') || strchr(p, '/') || str_has_suffix(str_cstr(p), ".deb");
}

static void r_apt_pin(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, subi;
		if (!apt_installs(c))
			continue;
		is_apt(c, &argi);
		apt_sub(c, argi, &subi);
		each_operand(L(ctx), r, ii, sc, c, subi + 1, APT_VOPTS, apt_pinned, "apt package");
	}
}

static void r_apt_yes(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, subi;
		if (!apt_installs(c) || !is_apt(c, &argi))
			continue;
		apt_sub(c, argi, &subi);
		if (has_opt(c, argi + 1, 'y', "--yes", "--assume-yes") ||
		    strstr(c->argv[argi].s, "aptitude"))
			continue;
		{
			bool forced = false;
			int quiet = 0;
			for (size_t i = argi + 1; i < c->argc; i++) {
				const char *a = c->argv[i].s;
				if (strstr(a, "APT::Get::Assume-Yes"))
					forced = true;
				/* quiet level 2 (-qq, -q -q, -q=2, --quiet --quiet) implies -y */
				if (!strcmp(a, "--quiet"))
					quiet++;
				else if (!strncmp(a, "-q=", 3) || !strncmp(a, "--quiet=", 8))
					quiet += atoi_safe(strchr(a, '=') + 1);
				else if (a[0] == '-' && a[1] == 'q')
					for (const char *q = a + 1; *q == 'q'; q++)
						quiet++;
			}
			if (quiet >= 2)
				forced = true;
			if (forced)
				continue;
		}
		REP_CMD(L(ctx), r, ii, sc, c, "'%s %s' without -y waits for a confirmation",
			c->argv[argi].s, arg(c, subi));
	}
}

static void r_apt_recommends(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, subi, i;
		bool ok = false;
		if (!apt_installs(c) || !is_apt(c, &argi))
			continue;
		apt_sub(c, argi, &subi);
		if (strcmp(arg(c, subi), "install"))
			continue;
		ok = has_opt(c, argi + 1, 0, "--no-install-recommends", NULL);
		for (i = argi + 1; i < c->argc && !ok; i++)
			if (strstr(c->argv[i].s, "Install-Recommends=false") ||
			    strstr(c->argv[i].s, "Install-Recommends=0"))
				ok = true;
		if (!ok)
			REP_CMD(L(ctx), r, ii, sc, c,
				"'apt-get install' without --no-install-recommends");
	}
}

static bool apt_lists_cleaned(const struct sh_cmd *c, const void *parg)
{
	(void)parg;
	return rm_path_pred(c, "/var/lib/apt/lists");
}

static void r_apt_lists(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	FOR_EACH_CMD(l, ii, sc, c)
	{
		if (!apt_installs(c) || !stage_in_final(l, ii))
			continue;
		if (run_any(l, ii, apt_lists_cleaned, NULL) ||
		    run_has_cache_mount(l, ii, "/var/lib/apt"))
			continue;
		REP_CMD(l, r, ii, sc, c,
			"apt-get install without 'rm -rf /var/lib/apt/lists/*' in the same RUN");
	}
}

static void r_apt_use_apt(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi;
		if (sh_cmd_is(c, "apt", &argi))
			REP_CMD(L(ctx), r, ii, sc, c, "'apt %s': apt has no stable CLI for scripts",
				arg(c, first_operand(c, argi + 1, APT_VOPTS)));
	}
}

/* update/upgrade across package managers */
static bool pm_sub_is(const struct sh_cmd *c, const char *const *subs)
{
	size_t argi, subi;
	const char *vopts = APT_VOPTS;
	struct str n = sh_cmd_name(c, &argi);

	if (str_eq(n, "apk"))
		vopts = APK_VOPTS;
	else if (str_eq(n, "yum") || str_eq(n, "dnf") || str_eq(n, "microdnf") || str_eq(n, "tdnf"))
		vopts = RPM_VOPTS;
	else if (str_eq(n, "zypper"))
		vopts = ZYP_VOPTS;
	else if (!str_eq(n, "apt-get") && !str_eq(n, "apt"))
		return false;
	subi = first_operand(c, argi + 1, vopts);
	for (; *subs; subs++)
		if (!strcmp(arg(c, subi), *subs))
			return true;
	return false;
}

static const char *const update_subs[] = {"update", "makecache", "refresh", "ref", NULL};
static const char *const install_subs[] = {"install", "add", "in", "reinstall", "groupinstall",
					   "localinstall", "build-dep", "upgrade", "dist-upgrade",
					   "full-upgrade", "up", "dup", "update-minimal", NULL};

static bool is_update_only(const struct sh_cmd *c)
{
	size_t argi, subi;
	struct str n = sh_cmd_name(c, &argi);
	if (!pm_sub_is(c, update_subs))
		return false;
	/* yum/dnf "update PKG" installs; only the bare form refreshes */
	if (str_eq(n, "yum") || str_eq(n, "dnf")) {
		subi = first_operand(c, argi + 1, RPM_VOPTS);
		if (strcmp(arg(c, subi), "makecache") &&
		    first_operand(c, subi + 1, RPM_VOPTS) < c->argc)
			return false;
		return !strcmp(arg(c, subi), "makecache");
	}
	return true;
}

static bool install_pred(const struct sh_cmd *c, const void *parg)
{
	(void)parg;
	return pm_sub_is(c, install_subs);
}

static void r_update_alone(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	FOR_EACH_CMD(l, ii, sc, c)
	{
		size_t argi;
		if (!is_update_only(c) || run_any(l, ii, install_pred, NULL))
			continue;
		sh_cmd_name(c, &argi);
		REP_CMD(l, r, ii, sc, c,
			"'%s %s' in a RUN without an install: a later RUN reuses a stale cached "
			"index", c->argv[argi].s, arg(c, first_operand(c, argi + 1, APT_VOPTS)));
	}
}

static void r_upgrade(void *ctx, const struct rule *r)
{
	static const char *const subs[] = {"upgrade", "dist-upgrade", "full-upgrade", "dup",
					   "distro-sync", NULL};
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, subi;
		struct str n = sh_cmd_name(c, &argi);
		bool hit = pm_sub_is(c, subs);
		if (!hit && (str_eq(n, "yum") || str_eq(n, "dnf"))) {
			subi = first_operand(c, argi + 1, RPM_VOPTS);
			hit = !strcmp(arg(c, subi), "update") &&
			      first_operand(c, subi + 1, RPM_VOPTS) >= c->argc;
		}
		if (!hit && str_eq(n, "zypper")) {
			subi = first_operand(c, argi + 1, ZYP_VOPTS);
			hit = (!strcmp(arg(c, subi), "update") || !strcmp(arg(c, subi), "up")) &&
			      first_operand(c, subi + 1, ZYP_VOPTS) >= c->argc;
		}
		if (hit)
			REP_CMD(L(ctx), r, ii, sc, c,
				"'%s' upgrades every package of the base image",
				c->argv[argi].s);
	}
}

/* apk */
static bool apk_pinned(const char *p)
{
	return strchr(p, '=') || strchr(p, '~') || strchr(p, '<') || strchr(p, '>') ||
	       str_has_suffix(str_cstr(p), ".apk");
}

static bool is_apk_add(const struct sh_cmd *c, size_t *subi)
{
	size_t argi;
	if (!sh_cmd_is(c, "apk", &argi))
		return false;
	*subi = first_operand(c, argi + 1, APK_VOPTS);
	return !strcmp(arg(c, *subi), "add");
}

static void r_apk_pin(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t subi;
		if (is_apk_add(c, &subi))
			each_operand(L(ctx), r, ii, sc, c, subi + 1, APK_VOPTS, apk_pinned,
				     "apk package");
	}
}

static bool apk_cache_cleaned(const struct sh_cmd *c, const void *parg)
{
	size_t argi;
	(void)parg;
	if (rm_path_pred(c, "/var/cache/apk"))
		return true;
	return sh_cmd_is(c, "apk", &argi) && !strcmp(arg(c, first_operand(c, argi + 1, APK_VOPTS)), "cache") &&
	       (strstr(arg(c, argi + 2), "clean") || strstr(arg(c, argi + 2), "purge"));
}

static void r_apk_cache(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	FOR_EACH_CMD(l, ii, sc, c)
	{
		size_t subi, argi;
		if (!is_apk_add(c, &subi) || !stage_in_final(l, ii))
			continue;
		sh_cmd_name(c, &argi);
		if (has_opt(c, argi + 1, 0, "--no-cache", NULL) || run_any(l, ii, apk_cache_cleaned, NULL) ||
		    run_has_cache_mount(l, ii, "/var/cache/apk") || run_has_cache_mount(l, ii, "/etc/apk/cache"))
			continue;
		REP_CMD(l, r, ii, sc, c, "'apk add' without --no-cache keeps the package index in the layer");
	}
}

/* yum / dnf / microdnf / zypper */
struct rpm_pm {
	const char *name;
	const char *vopts;
	const char *const *install;
	char yes_short;
	const char *yes_long1, *yes_long2;
	const char *clean_hint;
};

static const char *const rpm_install[] = {"install", "in", "groupinstall", "localinstall", "reinstall",
					  "rei", NULL};
/* these download packages into the cache as install does */
static const char *const rpm_fetch[] = {"upgrade", "up", "update", "upgrade-minimal", "up-min", "update-minimal",
					"distro-sync", "downgrade", NULL};
static const char *const zyp_install[] = {"install", "in", NULL};

static const struct rpm_pm pm_yum = {"yum", RPM_VOPTS, rpm_install, 'y', "--assumeyes", NULL,
				     "yum clean all"};
static const struct rpm_pm pm_dnf = {"dnf", RPM_VOPTS, rpm_install, 'y', "--assumeyes", NULL,
				     "dnf clean all"};
static const struct rpm_pm pm_zyp = {"zypper", ZYP_VOPTS, zyp_install, 'n', "--non-interactive",
				     "--no-confirm", "zypper clean"};

static bool rpm_named(const struct sh_cmd *c, const struct rpm_pm *pm, size_t *argi)
{
	struct str n = sh_cmd_name(c, argi);

	return str_eq(n, pm->name) || (pm == &pm_dnf && (str_eq(n, "microdnf") || str_eq(n, "tdnf")));
}

/* An install by pm: *subi is the subcommand, moved past "module" for
 * `dnf module install` (whose operands are module:stream). */
static bool rpm_is(const struct sh_cmd *c, const struct rpm_pm *pm, size_t *argi, size_t *subi)
{
	const char *const *s;

	if (!rpm_named(c, pm, argi))
		return false;
	*subi = first_operand(c, *argi + 1, pm->vopts);
	if (pm != &pm_zyp && !strcmp(arg(c, *subi), "module"))
		*subi = first_operand(c, *subi + 1, pm->vopts);
	for (s = pm->install; *s; s++)
		if (!strcmp(arg(c, *subi), *s))
			return true;
	return false;
}

/* An install, or any subcommand that fills the package cache as an
 * install does. */
static bool rpm_downloads(const struct sh_cmd *c, const struct rpm_pm *pm, size_t *argi, size_t *subi)
{
	static const char *const zyp_fetch[] = {"patch", "update", "up", "dist-upgrade", "dup", NULL};
	const char *const *s;

	if (rpm_is(c, pm, argi, subi))
		return true;
	if (!rpm_named(c, pm, argi))
		return false;
	*subi = first_operand(c, *argi + 1, pm->vopts);
	for (s = pm == &pm_zyp ? zyp_fetch : rpm_fetch; *s; s++)
		if (!strcmp(arg(c, *subi), *s))
			return true;
	return false;
}

static bool rpm_pinned(const char *p)
{
	const char *d;
	if (strchr(p, '=') || strchr(p, '<') || strchr(p, '>') || strchr(p, ':') ||
	    str_has_suffix(str_cstr(p), ".rpm") || p[0] == '@')
		return true;
	for (d = strchr(p, '-'); d; d = strchr(d + 1, '-'))
		if (isdigit((unsigned char)d[1]))
			return true;
	return false;
}

static void rpm_pin(void *ctx, const struct rule *r)
{
	const struct rpm_pm *pm = r->arg;
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, subi;
		if (rpm_is(c, pm, &argi, &subi))
			each_operand(L(ctx), r, ii, sc, c, subi + 1, pm->vopts, rpm_pinned,
				     "package");
	}
}

static void rpm_yes(void *ctx, const struct rule *r)
{
	const struct rpm_pm *pm = r->arg;
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, subi;
		if (!rpm_is(c, pm, &argi, &subi))
			continue;
		if (has_opt(c, argi + 1, pm->yes_short, pm->yes_long1, pm->yes_long2))
			continue;
		/* zypper's install takes -y / --no-confirm of its own */
		if (pm == &pm_zyp && has_opt(c, subi + 1, 'y', "--no-confirm", NULL))
			continue;
		REP_CMD(L(ctx), r, ii, sc, c, "'%s %s' without %s waits for a confirmation",
			c->argv[argi].s, arg(c, subi), pm == &pm_zyp ? "-n" : "-y");
	}
}

static bool rpm_clean_pred(const struct sh_cmd *c, const void *parg)
{
	const struct rpm_pm *pm = parg;
	size_t argi, subi;
	struct str n = sh_cmd_name(c, &argi);

	if (rm_path_pred(c, "/var/cache/yum") || rm_path_pred(c, "/var/cache/dnf") ||
	    rm_path_pred(c, "/var/cache/zypp"))
		return true;
	if (!str_eq(n, pm->name) && !(pm == &pm_dnf && (str_eq(n, "microdnf") || str_eq(n, "tdnf"))) &&
	    !(pm == &pm_yum && str_eq(n, "dnf")) && !(pm == &pm_dnf && str_eq(n, "yum")))
		return false;
	subi = first_operand(c, argi + 1, pm->vopts);
	return !strcmp(arg(c, subi), "clean") || !strcmp(arg(c, subi), "cc");
}

static void rpm_clean(void *ctx, const struct rule *r)
{
	const struct rpm_pm *pm = r->arg;
	struct df_lint *l = L(ctx);
	FOR_EACH_CMD(l, ii, sc, c)
	{
		size_t argi, subi;
		if (!rpm_downloads(c, pm, &argi, &subi) || !stage_in_final(l, ii))
			continue;
		if (run_after(l, ii, c, rpm_clean_pred, pm) || run_has_cache_mount(l, ii, "/var/cache"))
			continue;
		REP_CMD(l, r, ii, sc, c, "'%s %s' without '%s' in the same RUN", c->argv[argi].s,
			arg(c, subi), pm->clean_hint);
	}
}

/* pip */
/* pip, pip3, pip3.11; not pipx or pipenv, which are other tools */
static bool is_pip_name(struct str n)
{
	size_t i;

	if (!str_has_prefix(n, "pip"))
		return false;
	for (i = 3; i < n.n; i++)
		if (!isdigit((unsigned char)n.p[i]) && n.p[i] != '.')
			return false;
	return true;
}

/* pip install (pipx too when pipx: it pins the same way, but keeps no
 * pip cache in the layer). */
static bool is_pip_install(const struct sh_cmd *c, size_t *subi, bool pipx)
{
	size_t argi;
	struct str n = sh_cmd_name(c, &argi);

	if (is_pip_name(n) || (pipx && str_eq(n, "pipx"))) {
		*subi = first_operand(c, argi + 1, PIP_VOPTS);
	} else if (str_has_prefix(n, "python") && !strcmp(arg(c, argi + 1), "-m") &&
		   !strncmp(arg(c, argi + 2), "pip", 3)) {
		*subi = first_operand(c, argi + 3, PIP_VOPTS);
	} else {
		return false;
	}
	return !strcmp(arg(c, *subi), "install");
}

/* A VCS requirement (git+https://host/repo.git@v1#egg=x) is pinned by
 * the @ref after its path; without one it installs the branch head. */
static bool vcs_pinned(const char *p)
{
	const char *path = strstr(p, "://"), *end;

	path = path ? strchr(path + 3, '/') : strchr(p, ':');
	if (!path)
		return false;
	end = path + strcspn(path, "#");
	for (; path < end; path++)
		if (*path == '@' && path + 1 < end)
			return true;
	return false;
}

static bool pip_pinned(const char *p)
{
	static const char *const ops[] = {"==", ">=", "<=", "~=", "!=", ">", "<", "@", NULL};
	const char *const *o;
	if (!strncmp(p, "git+", 4) || !strncmp(p, "hg+", 3) || !strncmp(p, "svn+", 4) || !strncmp(p, "bzr+", 4))
		return vcs_pinned(p);
	for (o = ops; *o; o++)
		if (strstr(p, *o))
			return true;
	/* files, directories, URLs and VCS references */
	return strchr(p, '/') || p[0] == '.' || str_has_suffix(str_cstr(p), ".whl") ||
	       str_has_suffix(str_cstr(p), ".tar.gz") || str_has_suffix(str_cstr(p), ".zip");
}

static void r_pip_pin(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t subi;
		/* with a constraints file, the versions come from it (as with -r) */
		if (is_pip_install(c, &subi, true) && !has_opt(c, subi + 1, 'c', "--constraint", NULL))
			each_operand(L(ctx), r, ii, sc, c, subi + 1, PIP_VOPTS, pip_pinned,
				     "pip package");
	}
}

static bool env_set_in_stage(const struct df_lint *l, size_t upto, const char *name)
{
	int st = l->f->ins[upto].stage;
	size_t i, k;

	for (i = 0; i < upto; i++) {
		const struct df_instr *in = &l->f->ins[i];
		if (in->cmd != DF_ENV || (in->stage != st && !(st >= 0 && in->stage >= 0 &&
							       l->in_final[in->stage])))
			continue;
		for (k = 0; k + 2 < in->nargs + 1 && k < in->nargs; k += 3)
			if (!strcmp(in->args[k], name))
				return true;
	}
	return false;
}

/* PIP_NO_CACHE_DIR set to any value disables pip's cache: pip reads
 * even 0, no, false and off as "disable" (kept so for backward
 * compatibility). hadolint calls those on; it is wrong there (see
 * docs/conformance.md). */
static bool env_on(const char *v)
{
	return v[0] != 0;
}

/* Is name exported on (`export NAME=1`) before c in the same RUN? */
static bool run_before_exports(const struct df_lint *l, size_t ii, const struct sh_cmd *c,
			       const char *name)
{
	size_t s, k, a, argi, n = strlen(name);

	for (s = 0; s < l->runs[ii].n; s++)
		for (k = 0; k < l->runs[ii].scripts[s].sh.n; k++) {
			const struct sh_cmd *x = &l->runs[ii].scripts[s].sh.cmds[k];
			if (x == c)
				return false;
			if (!sh_cmd_is(x, "export", &argi))
				continue;
			for (a = argi + 1; a < x->argc; a++)
				if (!strncmp(x->argv[a].s, name, n) && x->argv[a].s[n] == '=' && env_on(x->argv[a].s + n + 1))
					return true;
		}
	return false;
}

static void r_pip_cache(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	FOR_EACH_CMD(l, ii, sc, c)
	{
		size_t subi, argi;
		bool env_ok = false;
		if (!is_pip_install(c, &subi, false) || !stage_in_final(l, ii))
			continue;
		sh_cmd_name(c, &argi);
		for (size_t k = 0; k < c->nassigns; k++)
			if (!strncmp(c->assigns[k].s, "PIP_NO_CACHE_DIR=", 17) && env_on(c->assigns[k].s + 17))
				env_ok = true;
		if (run_before_exports(l, ii, c, "PIP_NO_CACHE_DIR"))
			env_ok = true;
		if (env_ok || has_opt(c, argi + 1, 0, "--no-cache-dir", NULL) ||
		    env_set_in_stage(l, ii, "PIP_NO_CACHE_DIR") ||
		    run_has_cache_mount(l, ii, NULL))
			continue;
		REP_CMD(l, r, ii, sc, c, "'pip install' without --no-cache-dir keeps its cache in the layer");
	}
}

/* npm, gem, go */
/* npm: name@version; a local folder or tarball is its own version; a
 * git URL is pinned by its #commit-ish, else it installs the branch head. */
static bool npm_pinned(const char *p)
{
	const char *at;

	if (p[0] == '.' || p[0] == '/' || p[0] == '~' || str_has_suffix(str_cstr(p), ".tgz") ||
	    str_has_suffix(str_cstr(p), ".tar.gz") || str_has_suffix(str_cstr(p), ".tar"))
		return true;
	if (strstr(p, "://") || !strncmp(p, "git@", 4) || !strncmp(p, "github:", 7) ||
	    !strncmp(p, "gitlab:", 7) || !strncmp(p, "bitbucket:", 10) || !strncmp(p, "gist:", 5)) {
		const char *h = strchr(p, '#');
		return h && h[1]; /* a commit, tag or #semver: range */
	}
	at = strrchr(p, '@');
	if (at && at != p && at[1])
		return strcmp(at + 1, "latest") != 0;
	return false;
}

static void r_npm_pin(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, subi;
		if (!sh_cmd_is(c, "npm", &argi))
			continue;
		subi = first_operand(c, argi + 1, NPM_VOPTS);
		if (strcmp(arg(c, subi), "install") && strcmp(arg(c, subi), "i") &&
		    strcmp(arg(c, subi), "add"))
			continue;
		each_operand(L(ctx), r, ii, sc, c, subi + 1, NPM_VOPTS, npm_pinned, "npm package");
	}
}

static bool gem_pinned(const char *p)
{
	return strchr(p, ':') || str_has_suffix(str_cstr(p), ".gem");
}

static void r_gem_pin(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, subi;
		if (!sh_cmd_is(c, "gem", &argi))
			continue;
		subi = first_operand(c, argi + 1, GEM_VOPTS);
		if ((strcmp(arg(c, subi), "install") && strcmp(arg(c, subi), "i")) ||
		    has_opt(c, subi + 1, 'v', "--version", NULL))
			continue;
		each_operand(L(ctx), r, ii, sc, c, subi + 1, GEM_VOPTS, gem_pinned, "gem");
	}
}

/* A Go package is pinned by @version (not @latest); a local package or
 * file (./x, /abs, ., x.go) takes its versions from go.mod. */
static bool go_pinned(const char *p)
{
	const char *at = strrchr(p, '@');

	if (p[0] == '.' || p[0] == '/' || str_has_suffix(str_cstr(p), ".go"))
		return true;
	return at && at[1] && strcmp(at + 1, "latest") != 0 && strcmp(at + 1, "upgrade") != 0 &&
	       strcmp(at + 1, "patch") != 0;
}

static void r_go_pin(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, subi;
		if (!sh_cmd_is(c, "go", &argi))
			continue;
		subi = first_operand(c, argi + 1, "|-C|");
		if (!strcmp(arg(c, subi), "run")) {
			/* go run PKG [args]: only the package is an operand */
			size_t p = first_operand(c, subi + 1, GO_VOPTS);
			const struct sh_word *w = p < c->argc ? &c->argv[p] : NULL;
			/* a remote package (its first element is a host name) */
			if (w && !w->dynamic && !go_pinned(w->s) && strchr(w->s, '/') &&
			    memchr(w->s, '.', strcspn(w->s, "/")))
				report_unpinned(L(ctx), r, ii, sc, w, "Go module");
			continue;
		}
		if (strcmp(arg(c, subi), "install") && strcmp(arg(c, subi), "get"))
			continue;
		each_operand(L(ctx), r, ii, sc, c, subi + 1, GO_VOPTS, go_pinned, "Go module");
	}
}

static bool yarn_clean_pred(const struct sh_cmd *c, const void *parg)
{
	size_t argi;
	(void)parg;
	return (sh_cmd_is(c, "yarn", &argi) && !strcmp(arg(c, argi + 1), "cache") &&
		!strcmp(arg(c, argi + 2), "clean")) ||
	       rm_path_pred(c, "yarn");
}

static void r_yarn_cache(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	FOR_EACH_CMD(l, ii, sc, c)
	{
		size_t argi;
		const char *sub;
		if (!sh_cmd_is(c, "yarn", &argi) || !stage_in_final(l, ii))
			continue;
		sub = arg(c, first_operand(c, argi + 1, "|--cwd|--modules-folder|--cache-folder|"));
		if (strcmp(sub, "install") && strcmp(sub, "add") && sub[0])
			continue;
		if (has_opt(c, argi + 1, 0, "--cache-folder", NULL) ||
		    run_after(l, ii, c, yarn_clean_pred, NULL) || run_has_cache_mount(l, ii, "yarn"))
			continue;
		REP_CMD(l, r, ii, sc, c, "'yarn %s' without 'yarn cache clean' in the same RUN",
			sub[0] ? sub : "install");
	}
}

/* ---- shell usage ---- */

static bool is_interpreter(struct str n)
{
	return sh_is_shell(n) || str_has_prefix(n, "python") || str_eq(n, "perl") ||
	       str_eq(n, "ruby") || str_eq(n, "node") || str_eq(n, "php") || str_eq(n, "pwsh") ||
	       str_eq(n, "source") || str_eq(n, ".");
}

static bool is_downloader(struct str n)
{
	return str_eq(n, "curl") || str_eq(n, "wget") || str_eq(n, "fetch");
}

static void r_curl_pipe_shell(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	FOR_EACH_CMD(l, ii, sc, c)
	{
		struct str n = sh_cmd_name(c, NULL);
		size_t k;
		/* downloader | interpreter: look back along the pipeline */
		if (is_interpreter(n) && c > sc->sh.cmds) {
			const struct sh_cmd *p = c - 1;
			while (p >= sc->sh.cmds && p->pipeline == c->pipeline && p->depth == c->depth) {
				if (is_downloader(sh_cmd_name(p, NULL))) {
					REP_CMD(l, r, ii, sc, p, "'%s' output is piped into '%.*s': "
						"remote code runs unverified", p->argv[0].s,
						(int)n.n, n.p);
					break;
				}
				if (p == sc->sh.cmds)
					break;
				p--;
			}
		}
		/* sh -c "$(curl ...)", eval "$(wget ...)", bash <(curl ...) */
		if (is_interpreter(n) || str_eq(n, "eval")) {
			for (k = 1; k < c->argc; k++) {
				const char *a = c->argv[k].s;
				if (strstr(a, "$(curl") || strstr(a, "$(wget") || strstr(a, "`curl") ||
				    strstr(a, "`wget")) {
					REP_CMD(l, r, ii, sc, c, "'%.*s' runs a script straight from "
						"the network", (int)n.n, n.p);
					break;
				}
			}
		}
	}
	/* process substitution is not split as a command: look at the text */
	for (size_t ii = 0; ii < l->f->nins; ii++) {
		const struct df_instr *in = run_instr(l, ii);
		const char *p;
		if (in->cmd != DF_RUN || in->json)
			continue;
		for (p = in->rest; (p = strstr(p, "<(")); p += 2) {
			struct str rest = str_trim(str_make(p + 2, strlen(p + 2)));
			if (str_has_prefix(rest, "curl") || str_has_prefix(rest, "wget")) {
				int L_, C_;
				df_pos(in, (size_t)(p - in->text), &L_, &C_);
				df_report_at(l, r, &l->f->ins[ii], L_, C_,
					     "a shell reads a script from '<(%.4s ...)': remote code "
					     "runs unverified", rest.p);
			}
		}
	}
}

/* The SHELL in force at every instruction (exec-form words), out[ii]
 * for nins instructions: the stage's last SHELL so far, else the one its
 * base stage (FROM an earlier stage, transitively) ended with; NULL for
 * the default /bin/sh -c. One forward pass: a backward walk per RUN
 * costs n^2 on a Dockerfile of n RUNs (and stopped at an unrelated stage
 * between a stage and its base). false when out of memory. */
static bool shells_in_force(const struct df_lint *l, const struct df_instr **out)
{
	const struct df_instr **end_of = ds_calloc(l->f->nstages + 1, sizeof(*end_of));
	const struct df_instr *cur = NULL;
	int st = -2;
	size_t ii;

	if (!end_of)
		return false;
	for (ii = 0; ii < l->f->nins; ii++) {
		const struct df_instr *in = &l->f->ins[ii];
		if (in->stage != st) { /* a new stage starts from its base's shell */
			if (st >= 0 && (size_t)st < l->f->nstages)
				end_of[st] = cur;
			st = in->stage;
			cur = NULL;
			if (st >= 0 && (size_t)st < l->f->nstages && l->f->stages[st].base_stage >= 0 &&
			    (size_t)l->f->stages[st].base_stage < l->f->nstages)
				cur = end_of[l->f->stages[st].base_stage];
		}
		out[ii] = cur;
		if (in->cmd == DF_SHELL)
			cur = in;
	}
	ds_free(end_of);
	return true;
}

static bool shell_has_pipefail(const struct df_instr *sh)
{
	size_t i;
	for (i = 0; i + 1 < sh->nargs; i++) {
		const char *a = sh->args[i];
		/* -o pipefail, or a cluster ending in o: -eo pipefail, -euo pipefail */
		if (a[0] == '-' && a[1] != '-' && a[1] && a[strlen(a) - 1] == 'o' &&
		    !strcmp(sh->args[i + 1], "pipefail"))
			return true;
	}
	return false;
}

static bool shell_is_posix(const struct df_instr *sh)
{
	return !sh || (sh->nargs && sh_is_shell(str_basename(str_cstr(sh->args[0]))));
}

static void r_pipefail(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	size_t ii, s, k;
	const struct df_instr **shells = ds_calloc(l->f->nins + 1, sizeof(*shells));

	if (!shells || !shells_in_force(l, shells)) {
		ds_free(shells);
		l->t->nomem = 1;
		return;
	}
	for (ii = 0; ii < l->f->nins; ii++) {
		const struct df_instr *sh;
		if (!l->runs[ii].n || run_instr(l, ii)->json)
			continue;
		sh = shells[ii];
		if (!shell_is_posix(sh) || (sh && shell_has_pipefail(sh)))
			continue;
		for (s = 0; s < l->runs[ii].n; s++) {
			const struct df_script *sc = &l->runs[ii].scripts[s];
			bool pipefail = false;
			for (k = 0; k < sc->sh.n; k++) {
				const struct sh_cmd *c = &sc->sh.cmds[k];
				size_t argi, a;
				if (sh_cmd_is(c, "set", &argi))
					for (a = argi + 1; a < c->argc; a++)
						if (!strcmp(c->argv[a].s, "pipefail"))
							pipefail = true;
				if (c->op == SH_PIPE && c->depth == 0 && !pipefail) {
					REP_CMD(l, r, ii, sc, c,
						"a pipe without 'set -o pipefail': a failing '%s' "
						"does not fail the build", arg(c, 0));
					s = l->runs[ii].n;
					break;
				}
			}
		}
	}
	ds_free(shells);
}

static void r_cd(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		if (c->depth == 0 && !c->in_subshell && !strcmp(arg(c, 0), "cd") && c->argc > 1)
			REP_CMD(L(ctx), r, ii, sc, c, "'cd %s' in RUN: use WORKDIR", arg(c, 1));
	}
}

static void r_sudo(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		if (str_eq(str_basename(str_cstr(arg(c, 0))), "sudo"))
			REP_CMD(L(ctx), r, ii, sc, c, "'sudo %s' in RUN", arg(c, 1));
	}
}

/* chmod modes: setuid/setgid bits, world-writable */
static bool mode_numeric(const char *m, unsigned long *v)
{
	return m[0] && strlen(m) <= 5 && strspn(m, "01234567") == strlen(m) &&
	       (*v = strtoul(m, NULL, 8), true);
}

static bool chmod_mode(const struct sh_cmd *c, size_t *argi, const char **mode)
{
	size_t i;
	if (!sh_cmd_is(c, "chmod", argi))
		return false;
	for (i = *argi + 1; i < c->argc; i++) {
		const char *a = c->argv[i].s;
		if (a[0] == '-' && !strchr(a, 'w') && !strchr(a, 'r') && !strchr(a, 'x') && !strchr(a, 's'))
			continue; /* -R, -v, --recursive */
		*mode = a;
		return true;
	}
	return false;
}

static void r_setuid(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi;
		const char *m;
		unsigned long v;
		bool hit = false;
		if (!chmod_mode(c, &argi, &m))
			continue;
		if (mode_numeric(m, &v))
			hit = strlen(m) >= 4 && (v & 06000);
		else
			hit = strstr(m, "+s") || (strchr(m, '+') && strchr(strchr(m, '+'), 's')) ||
			      (strchr(m, '=') && strchr(strchr(m, '='), 's'));
		if (hit)
			REP_CMD(L(ctx), r, ii, sc, c, "'chmod %s' sets a setuid/setgid bit", m);
	}
}

static void r_world_writable(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi;
		const char *m, *p;
		unsigned long v;
		bool hit = false;
		if (!chmod_mode(c, &argi, &m))
			continue;
		if (mode_numeric(m, &v))
			hit = (v & 02) && !(v & 01000); /* sticky dirs like /tmp are fine */
		else
			for (p = m; *p && !hit; p++)
				if ((*p == '+' || *p == '=') && strchr(p, 'w')) {
					const char *who = p;
					while (who > m && who[-1] != ',')
						who--;
					hit = who == p ? false : (memchr(who, 'o', (size_t)(p - who)) ||
								  memchr(who, 'a', (size_t)(p - who)));
				}
		if (hit)
			REP_CMD(L(ctx), r, ii, sc, c, "'chmod %s' makes files world-writable", m);
	}
}

static void r_useradd_l(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, i;
		unsigned long uid = 0;
		bool has_l = false, big = false;
		if (!sh_cmd_is(c, "useradd", &argi))
			continue;
		for (i = argi + 1; i < c->argc; i++) {
			const char *a = c->argv[i].s;
			if (!strcmp(a, "-l") || !strcmp(a, "--no-log-init") ||
			    (a[0] == '-' && a[1] != '-' && strchr(a, 'l')))
				has_l = true;
			if ((!strcmp(a, "-u") || !strcmp(a, "--uid")) && i + 1 < c->argc &&
			    str_to_ulong(str_cstr(c->argv[i + 1].s), ULONG_MAX / 2, &uid) &&
			    uid > 99999)
				big = true;
		}
		if (big && !has_l)
			REP_CMD(L(ctx), r, ii, sc, c,
				"'useradd -u %lu' without -l writes a huge sparse /var/log/faillog", uid);
	}
}

static bool root_shell_pred(const struct sh_cmd *c, const void *parg)
{
	size_t argi, i;
	(void)parg;
	if (sh_cmd_is(c, "chsh", &argi) || sh_cmd_is(c, "usermod", &argi)) {
		bool nologin = false, root = false;
		for (i = argi + 1; i < c->argc; i++) {
			if (strstr(c->argv[i].s, "nologin") || strstr(c->argv[i].s, "/bin/false"))
				nologin = true;
			if (!strcmp(c->argv[i].s, "root"))
				root = true;
		}
		return nologin && root;
	}
	if (sh_cmd_is(c, "sed", &argi) || sh_cmd_is(c, "passwd", &argi)) {
		bool passwd = false, root = false;
		for (i = argi + 1; i < c->argc; i++) {
			if (strstr(c->argv[i].s, "/etc/passwd") || !strcmp(c->argv[i].s, "-l"))
				passwd = true;
			if (strstr(c->argv[i].s, "root"))
				root = true;
		}
		return passwd && root;
	}
	return false;
}

static void r_root_shell(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	size_t ii;
	const struct df_script *first_sc = NULL;
	const struct sh_cmd *first = NULL;
	size_t first_ii = 0;

	for (ii = 0; ii < l->f->nins; ii++) {
		if (!stage_in_final(l, ii))
			continue;
		if (run_any(l, ii, root_shell_pred, NULL))
			return;
		for (size_t s = 0; s < l->runs[ii].n && !first; s++)
			for (size_t k = 0; k < l->runs[ii].scripts[s].sh.n && !first; k++) {
				const struct sh_cmd *c = &l->runs[ii].scripts[s].sh.cmds[k];
				if (sh_cmd_is(c, "useradd", NULL) || sh_cmd_is(c, "adduser", NULL)) {
					first = c;
					first_sc = &l->runs[ii].scripts[s];
					first_ii = ii;
				}
			}
	}
	if (first)
		REP_CMD(l, r, first_ii, first_sc, first,
			"the image adds users but root keeps a login shell");
}

/* Both downloaders in one stage (each stage is an image of its own:
 * curl in one and wget in another is one tool each). */
static void r_wget_and_curl(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	int stage = -2;
	bool curl = false, wget = false, done = false;
	FOR_EACH_CMD(l, ii, sc, c)
	{
		struct str n = sh_cmd_name(c, NULL);
		if (l->f->ins[ii].stage != stage) {
			stage = l->f->ins[ii].stage;
			curl = wget = done = false;
		}
		if (done)
			continue;
		if (str_eq(n, "curl"))
			curl = true;
		else if (str_eq(n, "wget"))
			wget = true;
		else
			continue;
		if (curl && wget) {
			REP_CMD(l, r, ii, sc, c, "both curl and wget are used; one is enough");
			done = true;
		}
	}
}

static void r_bad_command(void *ctx, const struct rule *r)
{
	static const char *const bad[] = {"ssh",   "vim",  "vi",	"nano", "shutdown", "reboot",
					  "service", "ps", "free", "top",  "kill",	   "mount",
					  "ifconfig", "systemctl", NULL};
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		struct str n = sh_cmd_name(c, NULL);
		const char *const *b;
		if (c->depth > 0 || c->in_condition)
			continue;
		for (b = bad; *b; b++)
			if (str_eq(n, *b))
				REP_CMD(L(ctx), r, ii, sc, c,
					"'%s' makes no sense in an image build", *b);
	}
}

static void r_shell_symlink(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi;
		if (sh_cmd_is(c, "ln", &argi) && c->argc > argi + 2 &&
		    !strcmp(c->argv[c->argc - 1].s, "/bin/sh") && has_opt(c, argi + 1, 's', "--symbolic", NULL))
			REP_CMD(L(ctx), r, ii, sc, c, "'/bin/sh' is replaced by a symlink: use SHELL");
	}
}

/* ---- trust: TLS and signatures ---- */

static const char *tls_off_env(const char *name, const char *value)
{
	if (!strcmp(name, "PYTHONHTTPSVERIFY") && !strcmp(value, "0"))
		return name;
	if (!strcmp(name, "NODE_TLS_REJECT_UNAUTHORIZED") && !strcmp(value, "0"))
		return name;
	if (!strcasecmp(name, "NPM_CONFIG_STRICT_SSL") && !strcasecmp(value, "false"))
		return name;
	if (!strcmp(name, "GIT_SSL_NO_VERIFY") && value[0] && strcmp(value, "0") &&
	    strcasecmp(value, "false"))
		return name;
	if (!strcmp(name, "PIP_TRUSTED_HOST") && value[0])
		return name;
	if (!strcmp(name, "CURL_INSECURE") || (!strcmp(name, "YARN_STRICT_SSL") && !strcasecmp(value, "false")))
		return name;
	return NULL;
}

static void r_tls_off(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	size_t ii, k;

	FOR_EACH_CMD(l, ii2, sc, c)
	{
		size_t argi, i;
		struct str n = sh_cmd_name(c, &argi);
		const char *what = NULL;
		if (str_eq(n, "curl") && has_opt(c, argi + 1, 'k', "--insecure", NULL))
			what = "curl --insecure";
		else if (str_eq(n, "wget") && has_opt(c, argi + 1, 0, "--no-check-certificate", NULL))
			what = "wget --no-check-certificate";
		else if ((str_has_prefix(n, "pip") || str_has_prefix(n, "python")) &&
			 has_opt(c, argi + 1, 0, "--trusted-host", NULL))
			what = "pip --trusted-host";
		else if (str_eq(n, "git")) {
			for (i = argi + 1; i < c->argc; i++)
				if (!strcasecmp(c->argv[i].s, "http.sslVerify=false") ||
				    (!strcasecmp(c->argv[i].s, "http.sslVerify") && i + 1 < c->argc &&
				     !strcasecmp(c->argv[i + 1].s, "false")))
					what = "git http.sslVerify false";
		} else if (str_eq(n, "npm") || str_eq(n, "yarn") || str_eq(n, "pnpm")) {
			for (i = argi + 1; i + 1 < c->argc; i++)
				if (!strcmp(c->argv[i].s, "strict-ssl") &&
				    !strcmp(c->argv[i + 1].s, "false"))
					what = "npm strict-ssl false";
			if (has_opt(c, argi + 1, 0, "--strict-ssl=false", NULL))
				what = "npm --strict-ssl=false";
		}
		for (i = 0; i < c->nassigns && !what; i++) {
			char *eq = strchr(c->assigns[i].s, '=');
			*eq = 0;
			what = tls_off_env(c->assigns[i].s, eq + 1);
			*eq = '=';
		}
		if (what)
			REP_CMD(l, r, ii2, sc, c, "%s: certificate validation is turned off", what);
	}
	for (ii = 0; ii < l->f->nins; ii++) {
		const struct df_instr *in = &l->f->ins[ii];
		if (in->cmd == DF_ENV) {
			for (k = 0; k + 2 < in->nargs + 1 && k + 1 < in->nargs; k += 3) {
				char *v = df_unquote(l->a, in->args[k + 1], l->f->escape);
				const char *what = v ? tls_off_env(in->args[k], v) : NULL;
				if (what)
					REP_IN(l, r, in, "ENV %s=%s: certificate validation is turned off",
					       what, v);
			}
		} else if (in->cmd == DF_ARG) {
			for (k = 0; k < in->nargs; k++) {
				char *eq = strchr(in->args[k], '='), *v;
				const char *what;
				if (!eq)
					continue;
				*eq = 0;
				v = df_unquote(l->a, eq + 1, l->f->escape);
				what = v ? tls_off_env(in->args[k], v) : NULL;
				if (what)
					REP_IN(l, r, in, "ARG %s=%s: certificate validation is turned off",
					       what, v);
				*eq = '=';
			}
		}
	}
}

static void r_unsigned(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, i;
		struct str n = sh_cmd_name(c, &argi);
		const char *what = NULL;
		if (str_eq(n, "apk") && has_opt(c, argi + 1, 0, "--allow-untrusted", NULL))
			what = "apk --allow-untrusted";
		else if (str_eq(n, "apt-get") || str_eq(n, "apt")) {
			if (has_opt(c, argi + 1, 0, "--allow-unauthenticated", "--force-yes"))
				what = "apt-get --allow-unauthenticated/--force-yes";
			else if (has_opt(c, argi + 1, 0, "--allow-insecure-repositories", NULL))
				what = "apt-get --allow-insecure-repositories";
			for (i = argi + 1; i < c->argc && !what; i++)
				if (strstr(c->argv[i].s, "AllowUnauthenticated=true") ||
				    strstr(c->argv[i].s, "AllowUnauthenticated=1"))
					what = "APT::Get::AllowUnauthenticated";
		} else if (str_eq(n, "yum") || str_eq(n, "dnf") || str_eq(n, "microdnf") ||
			   str_eq(n, "tdnf") || str_eq(n, "zypper")) {
			if (has_opt(c, argi + 1, 0, "--nogpgcheck", "--no-gpg-checks"))
				what = "--nogpgcheck";
			for (i = argi + 1; i < c->argc && !what; i++)
				if (strstr(c->argv[i].s, "gpgcheck=0") || strstr(c->argv[i].s, "gpgcheck=false"))
					what = "gpgcheck=0";
		} else if (str_eq(n, "rpm")) {
			if (has_opt(c, argi + 1, 0, "--nosignature", "--nodigest"))
				what = "rpm --nosignature/--nodigest";
		} else if (str_eq(n, "dpkg") && has_opt(c, argi + 1, 0, "--force-bad-verify", NULL)) {
			what = "dpkg --force-bad-verify";
		} else if (str_eq(n, "pip") && has_opt(c, argi + 1, 0, "--no-verify", NULL)) {
			what = "pip --no-verify";
		}
		for (i = 0; i < c->argc && !what; i++)
			if (strstr(c->argv[i].s, "[trusted=yes]") || strstr(c->argv[i].s, "trusted=yes]"))
				what = "an APT source marked [trusted=yes]";
		if (what)
			REP_CMD(L(ctx), r, ii, sc, c, "%s: packages are installed without a valid signature",
				what);
	}
}

static bool installs_pkg(const struct sh_cmd *c, const char *pkg)
{
	size_t i;
	if (!pm_sub_is(c, install_subs))
		return false;
	for (i = 1; i < c->argc; i++)
		if (!strncmp(c->argv[i].s, pkg, strlen(pkg)) &&
		    (c->argv[i].s[strlen(pkg)] == 0 || c->argv[i].s[strlen(pkg)] == '='))
			return true;
	return false;
}

static void r_sshd(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	FOR_EACH_CMD(l, ii, sc, c)
	{
		if (!stage_in_final(l, ii))
			continue;
		if (installs_pkg(c, "openssh-server") || installs_pkg(c, "openssh") ||
		    installs_pkg(c, "dropbear"))
			REP_CMD(l, r, ii, sc, c, "an SSH server is installed in the image");
	}
	for (size_t ii = 0; ii < l->f->nins; ii++) {
		const struct df_instr *in = &l->f->ins[ii];
		if ((in->cmd == DF_CMD || in->cmd == DF_ENTRYPOINT) && (int)in->stage == l->final_stage &&
		    in->nargs && strstr(in->args[0], "sshd"))
			REP_IN(l, r, in, "the container starts sshd");
	}
}

/* ---- instructions ---- */

/* ARG and ENV values visible at instruction `upto` of its stage. */
static size_t stage_vars(struct df_lint *l, size_t upto, struct df_var **out)
{
	const struct df_file *f = l->f;
	int st = f->ins[upto].stage;
	size_t n = 0, cap = 0, i, k;
	struct df_var *v = NULL;

	*out = NULL;
	if (st < 0)
		return 0;
	for (i = f->stages[st].first; i < upto; i++) {
		const struct df_instr *in = &f->ins[i];
		if (in->cmd == DF_ARG) {
			for (k = 0; k < in->nargs; k++) {
				char *eq = strchr(in->args[k], '=');
				size_t nl = eq ? (size_t)(eq - in->args[k]) : strlen(in->args[k]);
				const char *val = NULL;
				if (eq) {
					val = df_unquote(l->a, eq + 1, f->escape);
				} else {
					for (size_t g = f->nglobal_args; g > 0; g--)
						if (strlen(f->global_args[g - 1].name) == nl &&
						    !strncmp(f->global_args[g - 1].name, in->args[k], nl) &&
						    f->global_args[g - 1].has_value)
							val = f->global_args[g - 1].value;
				}
				if (!val || arena_grow(l->a, (void **)&v, &cap, n + 1, sizeof(*v)))
					continue;
				v[n].name = arena_strndup(l->a, in->args[k], nl);
				v[n].value = (char *)val;
				v[n].has_value = true;
				if (v[n].name)
					n++;
			}
		} else if (in->cmd == DF_ENV) {
			for (k = 0; k + 1 < in->nargs; k += 3) {
				if (arena_grow(l->a, (void **)&v, &cap, n + 1, sizeof(*v)))
					break;
				v[n].name = in->args[k];
				v[n].value = df_unquote(l->a, in->args[k + 1], f->escape);
				v[n].has_value = v[n].value != NULL;
				if (v[n].value)
					n++;
			}
		}
	}
	*out = v;
	return n;
}

/* The last top-level instruction of kind cmd in the final image: the final
 * stage, else the stages it is built FROM. */
static const struct df_instr *final_last(const struct df_lint *l, enum df_cmd cmd, int *stage_out)
{
	int st = l->final_stage, guard = 0;

	while (st >= 0 && guard++ < 1000) {
		const struct df_stage *s = &l->f->stages[st];
		for (size_t i = s->last + 1; i > s->first; i--)
			if (l->f->ins[i - 1].cmd == cmd) {
				if (stage_out)
					*stage_out = st;
				return &l->f->ins[i - 1];
			}
		st = s->base_stage;
	}
	return NULL;
}

static bool nonroot_base(const char *image)
{
	return strstr(image, "nonroot") || strstr(image, "rootless") || strstr(image, "non-root");
}

static void r_user(void *ctx, const struct rule *r, bool want_missing)
{
	struct df_lint *l = L(ctx);
	const struct df_instr *u;
	const struct df_stage *fs;
	int st = -1;

	if (l->final_stage < 0)
		return;
	fs = &l->f->stages[l->final_stage];
	u = final_last(l, DF_USER, &st);
	if (!u) {
		int root_stage = l->final_stage;
		while (l->f->stages[root_stage].base_stage >= 0)
			root_stage = l->f->stages[root_stage].base_stage;
		if (want_missing && !nonroot_base(l->f->stages[root_stage].image_expanded))
			REP_IN(l, r, &l->f->ins[fs->from],
			       "the final stage (FROM %s) sets no USER: the container runs as root",
			       fs->image);
		return;
	}
	if (want_missing && !u->nargs) { /* `USER` alone: BuildKit refuses it, and it sets nobody */
		REP_IN(l, r, u, "USER has no user (BuildKit refuses the build): the container would run as root");
		return;
	}
	if (!want_missing && u->nargs) {
		struct df_var *vars = NULL;
		size_t nv = stage_vars(l, (size_t)(u - l->f->ins), &vars);
		bool unres = false;
		char *val = df_expand(l->a, u->args[0], l->f->escape, vars, nv, &unres);
		size_t ul;
		if (!val || unres)
			return;
		ul = strcspn(val, ":");
		if ((ul == 4 && !strncmp(val, "root", 4)) || (ul == 1 && val[0] == '0') ||
		    (ul > 1 && strspn(val, "0") == ul))
			REP_IN(l, r, u, "the last USER of the final image is '%s'", val);
	}
}

static void r_user_root(void *ctx, const struct rule *r)
{
	r_user(ctx, r, false);
}

static void r_user_missing(void *ctx, const struct rule *r)
{
	r_user(ctx, r, true);
}

struct imgref {
	char registry[256];
	char tag[128];
	bool has_tag, has_digest;
};

static void parse_image(const char *ref, struct imgref *o)
{
	const char *slash = strchr(ref, '/'), *last = strrchr(ref, '/'), *at = strchr(ref, '@');
	const char *colon;
	size_t rl;

	memset(o, 0, sizeof(*o));
	if (slash && (memchr(ref, '.', (size_t)(slash - ref)) || memchr(ref, ':', (size_t)(slash - ref)) ||
		      !strncmp(ref, "localhost/", 10))) {
		rl = (size_t)(slash - ref);
		snprintf(o->registry, sizeof(o->registry), "%.*s", (int)rl, ref);
	} else {
		snprintf(o->registry, sizeof(o->registry), "docker.io");
	}
	o->has_digest = at != NULL;
	colon = strchr(last ? last : ref, ':');
	if (colon && (!at || colon < at)) {
		o->has_tag = true;
		snprintf(o->tag, sizeof(o->tag), "%.*s", (int)(at ? at - colon - 1 : (long)strlen(colon + 1)),
			 colon + 1);
	}
}

/* Call fn for every FROM that names an external image we can judge. */
static void each_external_from(struct df_lint *l, const struct rule *r,
			       void (*fn)(struct df_lint *, const struct rule *,
					  const struct df_instr *, const struct df_stage *,
					  const struct imgref *))
{
	size_t s;

	for (s = 0; s < l->f->nstages; s++) {
		const struct df_stage *st = &l->f->stages[s];
		struct imgref ir;
		if (st->base_stage >= 0 || st->unresolved || !st->image_expanded[0] ||
		    !strcasecmp(st->image_expanded, "scratch") || strchr(st->image_expanded, '$'))
			continue;
		parse_image(st->image_expanded, &ir);
		fn(l, r, &l->f->ins[st->from], st, &ir);
	}
}

static void from_untagged(struct df_lint *l, const struct rule *r, const struct df_instr *in,
			  const struct df_stage *st, const struct imgref *ir)
{
	if (!ir->has_tag && !ir->has_digest)
		REP_IN(l, r, in, "FROM %s has no tag: it means 'latest'", st->image_expanded);
}

static void from_latest(struct df_lint *l, const struct rule *r, const struct df_instr *in,
			const struct df_stage *st, const struct imgref *ir)
{
	if (ir->has_tag && !ir->has_digest && !strcmp(ir->tag, "latest"))
		REP_IN(l, r, in, "FROM %s uses the 'latest' tag", st->image_expanded);
}

static void from_digest(struct df_lint *l, const struct rule *r, const struct df_instr *in,
			const struct df_stage *st, const struct imgref *ir)
{
	if (!ir->has_digest && (ir->has_tag && strcmp(ir->tag, "latest")))
		REP_IN(l, r, in, "FROM %s is not pinned by digest (@sha256:...)", st->image_expanded);
}

static void from_registry(struct df_lint *l, const struct rule *r, const struct df_instr *in,
			  const struct df_stage *st, const struct imgref *ir)
{
	if (l->t->cfg && !cfg_registry_trusted(l->t->cfg, ir->registry))
		REP_IN(l, r, in, "FROM %s comes from registry '%s', which is not in trusted-registries",
		       st->image_expanded, ir->registry);
}

/* Is every variable named in s ($X, ${X}, ${X:-..}) declared by no ARG
 * of the file? */
static bool vars_undeclared(const struct df_lint *l, const char *s)
{
	size_t i, k, n;

	for (; (s = strchr(s, '$')); s += n ? n : 1) {
		s++;
		if (*s == '{')
			s++;
		n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		for (i = 0; n && i < l->f->nins; i++) {
			const struct df_instr *in = &l->f->ins[i];
			if (in->cmd != DF_ARG)
				continue;
			for (k = 0; k < in->nargs; k++)
				if (!strncmp(in->args[k], s, n) && (in->args[k][n] == 0 || in->args[k][n] == '='))
					return false;
		}
	}
	return true;
}

static void r_from_untagged(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	size_t s;

	each_external_from(l, r, from_untagged);
	/* FROM ${REGISTRY}/ubuntu: whatever the registry, the name has no
	 * tag; FROM alpine$TAG with TAG declared nowhere: BuildKit expands it
	 * to nothing, which means latest */
	for (s = 0; s < l->f->nstages; s++) {
		const struct df_stage *st = &l->f->stages[s];
		const char *raw = st->image ? strrchr(st->image, '/') : NULL, *name;
		if (st->base_stage >= 0 || !st->unresolved || !st->image_expanded)
			continue;
		raw = raw ? raw + 1 : st->image;
		name = strrchr(st->image_expanded, '/');
		name = name ? name + 1 : st->image_expanded;
		if (!name[0] || strpbrk(name, ":@") || (strchr(raw, '$') && !vars_undeclared(l, raw)))
			continue;
		REP_IN(l, r, &l->f->ins[st->from], "FROM %s has no tag: it means 'latest'", st->image);
	}
}

static void r_from_latest(void *ctx, const struct rule *r)
{
	each_external_from(L(ctx), r, from_latest);
}
static void r_from_digest(void *ctx, const struct rule *r)
{
	each_external_from(L(ctx), r, from_digest);
}
/* An image named by COPY --from= or RUN --mount=...,from=: not a stage
 * name or index of this file. */
static int key_vs_stage(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct df_stage_name *)elem)->name);
}

/* The first stage named v (without case), or -1. */
static int stage_named(const struct df_lint *l, const char *v)
{
	size_t i = ds_lower_bound(l->names, l->nnames, sizeof(*l->names), v, key_vs_stage);

	return i < l->nnames && !strcasecmp(l->names[i].name, v) ? (int)l->names[i].s : -1;
}

static bool names_image(const struct df_lint *l, const char *v)
{
	if (!v[0] || strspn(v, "0123456789") == strlen(v) || strchr(v, '$'))
		return false;
	return stage_named(l, v) < 0;
}

static void registry_of(struct df_lint *l, const struct rule *r, const struct df_instr *in, const char *how,
			const char *image)
{
	struct imgref ir;

	parse_image(image, &ir);
	if (!cfg_registry_trusted(l->t->cfg, ir.registry))
		REP_IN(l, r, in, "%s %s comes from registry '%s', which is not in trusted-registries", how, image,
		       ir.registry);
}

/* FROM, and the images COPY --from= and RUN --mount=from= pull, which
 * would otherwise bypass the registry policy. */
static void r_from_registry(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	size_t i, k;

	if (!l->t->cfg)
		return;
	each_external_from(l, r, from_registry);
	for (i = 0; i < l->f->nins; i++) {
		const struct df_instr *in = &l->f->ins[i];
		for (k = 0; k < in->nflags; k++) {
			const char *v = in->flags[k].value, *f;
			char img[512];
			if (in->cmd == DF_COPY && !strcasecmp(in->flags[k].name, "from") && v && names_image(l, v))
				registry_of(l, r, in, "COPY --from", v);
			if (in->cmd != DF_RUN || strcasecmp(in->flags[k].name, "mount") || !v)
				continue;
			for (f = v; (f = strstr(f, "from=")); f += 5) {
				if (f != v && f[-1] != ',')
					continue;
				snprintf(img, sizeof(img), "%.*s", (int)strcspn(f + 5, ","), f + 5);
				if (names_image(l, img))
					registry_of(l, r, in, "RUN --mount from", img);
			}
		}
	}
}

static void r_from_platform(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	for (size_t s = 0; s < l->f->nstages; s++) {
		const struct df_stage *st = &l->f->stages[s];
		if (st->platform && !strchr(st->platform, '$'))
			REP_IN(l, r, &l->f->ins[st->from],
			       "FROM --platform=%s pins the platform for every build", st->platform);
	}
}

/* Call fn for every top-level and ONBUILD instruction of kind cmd. */
#define FOR_EACH_INSTR(l, in, kind)                                                        \
	for (size_t ii_ = 0; ii_ < (l)->f->nins; ii_++)                                    \
		for (const struct df_instr *in = &(l)->f->ins[ii_]; in; in = NULL)         \
			if ((in->cmd == DF_ONBUILD && in->sub && in->sub->cmd == (kind) &&   \
			     (in = in->sub)) ||                                            \
			    in->cmd == (kind))

static bool is_url(const char *s)
{
	return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) || !strncmp(s, "git@", 4) ||
	       !strncmp(s, "ftp://", 6);
}

static bool is_archive(const char *s)
{
	static const char *const ext[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz",
					  ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.lz", ".gz",
					  ".bz2", ".xz", ".zst", NULL};
	for (const char *const *e = ext; *e; e++)
		if (str_ihas_suffix(str_cstr(s), *e))
			return true;
	return false;
}

/* The top-level instruction (an ONBUILD's, for its instruction) that
 * FOR_EACH_INSTR is at: its own index, not a search of every instruction
 * for each finding (50 000 COPY --from findings took 1.7 s). */
#define TOP_OF(l) ((const struct df_instr *)&(l)->f->ins[ii_])

static void r_add_copy(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	FOR_EACH_INSTR(l, in, DF_ADD)
	{
		size_t k;
		bool local = false;
		const char *what = NULL;
		if (in->nargs < 2 && !in->nheredocs)
			continue;
		for (k = 0; k + 1 < in->nargs; k++) {
			const char *s = in->args[k];
			if (is_url(s) || is_archive(s))
				continue;
			local = true;
			what = s;
		}
		if (local)
			REP_IN(l, r, TOP_OF(l), "ADD %s: ADD of a local file or directory, use COPY",
			       what);
	}
}

static void r_add_remote(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	FOR_EACH_INSTR(l, in, DF_ADD)
	{
		if (df_flag_get(in, "checksum"))
			continue;
		for (size_t k = 0; k + 1 < in->nargs; k++)
			if ((!strncmp(in->args[k], "http://", 7) || !strncmp(in->args[k], "https://", 8) ||
			     !strncmp(in->args[k], "ftp://", 6)) &&
			    /* a git source is pinned by its ref, not a checksum */
			    !strstr(in->args[k], ".git#") && !str_has_suffix(str_cstr(in->args[k]), ".git"))
				REP_IN(l, r, TOP_OF(l),
				       "ADD %s downloads without --checksum: the content is not verified",
				       in->args[k]);
	}
}

static const char *secret_file(const char *path)
{
	static const char *const names[] = {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".env",
					    ".npmrc", ".pypirc", ".netrc", ".git-credentials",
					    ".dockercfg", "credentials", ".htpasswd", ".pgpass",
					    "secrets.yml", "secrets.yaml", "secrets.json", NULL};
	static const char *const exts[] = {".pem", ".key", ".p12", ".pfx", ".jks", ".keystore",
					   ".ppk", ".ovpn", ".kdbx", NULL};
	struct str b = str_basename(str_cstr(path));
	const char *const *p;

	for (p = names; *p; p++)
		if (str_eq(b, *p))
			return *p;
	if (str_has_prefix(b, ".env.") && !str_has_suffix(b, ".example") && !str_has_suffix(b, ".sample"))
		return ".env.*";
	for (p = exts; *p; p++)
		if (str_ihas_suffix(b, *p))
			return *p;
	if (strstr(path, ".docker/config.json") || strstr(path, ".aws/credentials") ||
	    strstr(path, ".ssh/") || strstr(path, ".kube/config"))
		return path;
	return NULL;
}

static void secret_copy(struct df_lint *l, const struct rule *r, enum df_cmd kind)
{
	FOR_EACH_INSTR(l, in, kind)
	{
		if (df_flag_get(in, "from"))
			continue;
		for (size_t k = 0; k + 1 < in->nargs; k++) {
			const char *what = secret_file(in->args[k]);
			if (what)
				REP_IN(l, r, TOP_OF(l),
				       "%s %s copies a secret file (%s) into the image",
				       kind == DF_COPY ? "COPY" : "ADD", in->args[k], what);
		}
	}
}

/* Variables naming a credential file, read by the cloud SDKs and tools. */
static const char *const cred_file_vars[] = {"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
					     "GOOGLE_APPLICATION_CREDENTIALS", "AZURE_AUTH_LOCATION",
					     "KUBECONFIG", "DOCKER_CONFIG"};

static const char *cred_var(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(cred_file_vars); i++)
		if (strlen(cred_file_vars[i]) == n && !strncmp(s, cred_file_vars[i], n))
			return cred_file_vars[i];
	return NULL;
}

/* A path without its leading ./ and / (the build's working directory is /
 * unless WORKDIR says otherwise; close enough to compare with a COPY). */
static const char *rel_path(const char *p)
{
	for (;;) {
		if (p[0] == '.' && p[1] == '/')
			p += 2;
		else if (p[0] == '/')
			p++;
		else if (p[0] == '.' && !p[1])
			p++;
		else
			return p;
	}
}

/* COPY ./config $AWS_CONFIG_FILE: a file put where a credential variable
 * points; ENV GOOGLE_APPLICATION_CREDENTIALS=./app/key.json with a COPY
 * into app/ in the stage: the key file is in the image. */
static void secret_cred_files(struct df_lint *l, const struct rule *r)
{
	size_t ii, k, j;

	for (ii = 0; ii < l->f->nins; ii++) {
		const struct df_instr *in = &l->f->ins[ii];
		if ((in->cmd == DF_COPY || in->cmd == DF_ADD) && in->nargs >= 2 && !df_flag_get(in, "from")) {
			const char *d = in->args[in->nargs - 1], *v;
			if (d[0] == '$' && (v = cred_var(d + 1 + (d[1] == '{'), strcspn(d + 1 + (d[1] == '{'), "}:-"))))
				REP_IN(l, r, in, "%s %s %s writes the credential file %s names into the image",
				       in->cmd == DF_COPY ? "COPY" : "ADD", in->args[0], d, v);
		}
		if (in->cmd != DF_ENV && in->cmd != DF_ARG)
			continue;
		for (k = 0; k < in->nargs; k += in->cmd == DF_ENV ? 3 : 1) {
			const char *name = in->args[k], *val = NULL, *eq, *var;
			size_t nl;
			char *v;
			if (in->cmd == DF_ENV) {
				if (k + 1 >= in->nargs)
					break;
				nl = strlen(name);
				val = in->args[k + 1];
			} else {
				if (!(eq = strchr(name, '=')))
					continue;
				nl = (size_t)(eq - name);
				val = eq + 1;
			}
			if (in->stage < 0 || !(var = cred_var(name, nl)) || !(v = df_unquote(l->a, val, l->f->escape)) ||
			    !v[0] || strchr(v, '$'))
				continue; /* before any FROM there is no stage to copy into */
			for (j = l->f->stages[in->stage].first; j < l->f->nins && l->f->ins[j].stage == in->stage; j++) {
				const struct df_instr *c = &l->f->ins[j];
				const char *dst, *p = rel_path(v);
				size_t dl;
				if ((c->cmd != DF_COPY && c->cmd != DF_ADD) || c->nargs < 2 || df_flag_get(c, "from"))
					continue;
				dst = rel_path(c->args[c->nargs - 1]);
				dl = strlen(dst);
				while (dl && dst[dl - 1] == '/')
					dl--;
				if (!dl || (!strncmp(p, dst, dl) && p[dl] == '/')) {
					REP_IN(l, r, in, "%s=%s points at a file the COPY on line %d puts in the image", var, v,
					       c->line);
					break;
				}
			}
		}
	}
}

static void r_secret_file(void *ctx, const struct rule *r)
{
	secret_copy(L(ctx), r, DF_COPY);
	secret_copy(L(ctx), r, DF_ADD);
	secret_cred_files(L(ctx), r);
}

/* Secrets in ENV, ARG and LABEL values and names. which: 0 token, 1 name,
 * 2 ARG name without value. */
static void secrets_kv(struct df_lint *l, const struct rule *r, int which)
{
	size_t ii, k;

	for (ii = 0; ii < l->f->nins; ii++) {
		const struct df_instr *in = &l->f->ins[ii];
		const char *kw;
		if (in->cmd == DF_ONBUILD && in->sub)
			in = in->sub;
		kw = in->cmd == DF_ENV ? "ENV" : in->cmd == DF_ARG ? "ARG" : "LABEL";
		if (in->cmd == DF_ENV || in->cmd == DF_LABEL) {
			for (k = 0; k + 1 < in->nargs; k += 3) {
				const char *name = in->args[k];
				char *v = df_unquote(l->a, in->args[k + 1], l->f->escape);
				struct secret_hit h;
				if (!v)
					continue;
				if (which == 0 && secret_find(v, strlen(v), &h))
					REP_IN(l, r, &l->f->ins[ii], "%s %s holds a credential: %s (%s)", kw, name,
					       h.kind, target_secret(l->t, v + h.off, h.len, h.plen));
				else if (which == 1 && in->cmd == DF_ENV &&
					 secret_name_like(name, strlen(name)) &&
					 !secret_value_placeholder(v, strlen(v)) &&
					 !secret_find(v, strlen(v), &h))
					REP_IN(l, r, &l->f->ins[ii], "ENV %s sets a secret-like value (%s)",
					       name, target_secret(l->t, v, strlen(v), 0));
			}
		} else if (in->cmd == DF_ARG) {
			for (k = 0; k < in->nargs; k++) {
				char *eq = strchr(in->args[k], '=');
				size_t nl = eq ? (size_t)(eq - in->args[k]) : strlen(in->args[k]);
				char *v = eq ? df_unquote(l->a, eq + 1, l->f->escape) : NULL;
				struct secret_hit h;
				if (which == 0 && v && secret_find(v, strlen(v), &h))
					REP_IN(l, r, &l->f->ins[ii], "ARG %.*s holds a credential: %s (%s)", (int)nl,
					       in->args[k], h.kind, target_secret(l->t, v + h.off, h.len, h.plen));
				else if (which == 1 && v && secret_name_like(in->args[k], nl) &&
					 !secret_value_placeholder(v, strlen(v)) &&
					 !secret_find(v, strlen(v), &h))
					REP_IN(l, r, &l->f->ins[ii],
					       "ARG %.*s has a secret-like default (%s)", (int)nl,
					       in->args[k], target_secret(l->t, v, strlen(v), 0));
				else if (which == 2 && secret_name_like(in->args[k], nl) &&
					 (!v || secret_value_placeholder(v, strlen(v))))
					REP_IN(l, r, &l->f->ins[ii],
					       "ARG %.*s passes a secret as a build argument", (int)nl,
					       in->args[k]);
			}
		}
	}
}

/* "a" or "an" before a credential's kind ("an AWS secret access key") */
static const char *article(const char *kind)
{
	return strchr("AEIOUaeiou", kind[0]) && kind[0] ? "an" : "a";
}

static void r_secret_token(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	size_t ii, k;

	secrets_kv(l, r, 0);
	for (ii = 0; ii < l->f->nins; ii++) {
		const struct df_instr *in = run_instr(l, ii);
		struct secret_hit h;
		if (in->cmd != DF_RUN)
			continue;
		if (secret_find(in->rest, in->rest_len, &h)) {
			int L_, C_;
			df_pos(in, (size_t)(in->rest - in->text) + h.off, &L_, &C_);
			df_report_at(l, r, &l->f->ins[ii], L_, C_, "RUN contains %s %s (%s)", article(h.kind), h.kind,
				     target_secret(l->t, in->rest + h.off, h.len, h.plen));
		}
		for (k = 0; k < in->nheredocs; k++)
			if (secret_find(in->heredocs[k].body, in->heredocs[k].body_len, &h))
				df_report_at(l, r, &l->f->ins[ii], in->heredocs[k].line, 1,
					     "heredoc %s contains %s %s (%s)", in->heredocs[k].name,
					     article(h.kind), h.kind, target_secret(l->t, in->heredocs[k].body + h.off, h.len, h.plen));
	}
}

static void r_secret_env(void *ctx, const struct rule *r)
{
	secrets_kv(L(ctx), r, 1);
}

static void r_secret_arg(void *ctx, const struct rule *r)
{
	secrets_kv(L(ctx), r, 2);
}

static void r_password_run(void *ctx, const struct rule *r)
{
	FOR_EACH_CMD(L(ctx), ii, sc, c)
	{
		size_t argi, i;
		struct str n = sh_cmd_name(c, &argi);
		if (str_eq(n, "chpasswd") && c->op != SH_PIPE) {
			/* echo 'user:pw' | chpasswd: the echo is the previous command */
			if (c > sc->sh.cmds && c[-1].op == SH_PIPE && c[-1].pipeline == c->pipeline) {
				const struct sh_cmd *e = c - 1;
				for (i = 1; i < e->argc; i++)
					if (strchr(e->argv[i].s, ':') && !e->argv[i].dynamic &&
					    !secret_value_placeholder(strchr(e->argv[i].s, ':') + 1,
								      strlen(strchr(e->argv[i].s, ':') + 1)))
						REP_CMD(L(ctx), r, ii, sc, c,
							"a password is written in the Dockerfile and "
							"set with chpasswd");
			}
		} else if ((str_eq(n, "useradd") || str_eq(n, "usermod")) ) {
			for (i = argi + 1; i + 1 < c->argc; i++)
				if ((!strcmp(c->argv[i].s, "-p") || !strcmp(c->argv[i].s, "--password")) &&
				    !c->argv[i + 1].dynamic)
					REP_CMD(L(ctx), r, ii, sc, c,
						"'%s -p' sets a password hash written in the Dockerfile",
						c->argv[argi].s);
		}
	}
}

static void healthcheck(struct df_lint *l, const struct rule *r, bool want_none)
{
	const struct df_instr *h;
	if (l->final_stage < 0)
		return;
	h = final_last(l, DF_HEALTHCHECK, NULL);
	if (!h && !want_none) {
		/* distroless images have no shell or curl to run a check with:
		 * asking for one there is noise (scratch is asked: a static
		 * binary can check itself in exec form) */
		int root = l->final_stage;
		const char *img;
		while (l->f->stages[root].base_stage >= 0)
			root = l->f->stages[root].base_stage;
		img = l->f->stages[root].image_expanded ? l->f->stages[root].image_expanded : "";
		if (strstr(img, "distroless") || strstr(img, "chainguard/static"))
			return;
	}
	if (!h && !want_none)
		REP_IN(l, r, &l->f->ins[l->f->stages[l->final_stage].from],
		       "the final image (FROM %s) has no HEALTHCHECK",
		       l->f->stages[l->final_stage].image);
	else if (h && want_none && h->nargs && !strcasecmp(h->args[0], "none"))
		REP_IN(l, r, h, "HEALTHCHECK NONE turns off the health check");
}

static void r_health_missing(void *ctx, const struct rule *r)
{
	healthcheck(L(ctx), r, false);
}

static void r_health_none(void *ctx, const struct rule *r)
{
	healthcheck(L(ctx), r, true);
}

static void expose(struct df_lint *l, const struct rule *r, int which)
{
	FOR_EACH_INSTR(l, in, DF_EXPOSE)
	{
		for (size_t k = 0; k < in->nargs; k++) {
			const char *p = in->args[k];
			unsigned long lo, hi;
			size_t n = strcspn(p, "/"), dash;
			struct str s = str_make(p, n);
			if (strchr(p, '$') || !n)
				continue;
			dash = strcspn(p, "-");
			if (dash < n) {
				if (!str_to_ulong(str_make(p, dash), ULONG_MAX / 2, &lo) ||
				    !str_to_ulong(str_make(p + dash + 1, n - dash - 1), ULONG_MAX / 2, &hi))
					hi = lo = 0, which == 1 ? REP_IN(l, r, TOP_OF(l), "EXPOSE %s is not a port", p) : (void)0;
			} else if (!str_to_ulong(s, ULONG_MAX / 2, &lo)) {
				if (which == 1)
					REP_IN(l, r, TOP_OF(l), "EXPOSE %s is not a port", p);
				continue;
			} else {
				hi = lo;
			}
			if (which == 0 && lo <= 22 && hi >= 22)
				REP_IN(l, r, TOP_OF(l), "EXPOSE %s exposes SSH", p);
			if (which == 1 && (hi > 65535 || lo > hi))
				REP_IN(l, r, TOP_OF(l), "EXPOSE %s is outside 0-65535", p);
			if (which == 2 && ((lo <= 2375 && hi >= 2375) || (lo <= 2376 && hi >= 2376)))
				REP_IN(l, r, TOP_OF(l), "EXPOSE %s is the Docker Engine API port", p);
		}
	}
}

static void r_expose_ssh(void *ctx, const struct rule *r)
{
	expose(L(ctx), r, 0);
}
static void r_expose_range(void *ctx, const struct rule *r)
{
	expose(L(ctx), r, 1);
}
static void r_expose_docker(void *ctx, const struct rule *r)
{
	expose(L(ctx), r, 2);
}

static void r_maintainer(void *ctx, const struct rule *r)
{
	FOR_EACH_INSTR(L(ctx), in, DF_MAINTAINER)
		REP_IN(L(ctx), r, TOP_OF(L(ctx)), "MAINTAINER is deprecated: use LABEL maintainer=...");
}

static void multiple(struct df_lint *l, const struct rule *r, enum df_cmd kind, const char *name)
{
	for (size_t s = 0; s < l->f->nstages; s++) {
		const struct df_stage *st = &l->f->stages[s];
		int seen = 0;
		for (size_t i = st->first; i <= st->last && i < l->f->nins; i++)
			if (l->f->ins[i].cmd == kind && ++seen > 1)
				REP_IN(l, r, &l->f->ins[i],
				       "%s number %d in this stage: only the last one takes effect",
				       name, seen);
	}
}

static void r_multi_cmd(void *ctx, const struct rule *r)
{
	multiple(L(ctx), r, DF_CMD, "CMD");
}
static void r_multi_entrypoint(void *ctx, const struct rule *r)
{
	multiple(L(ctx), r, DF_ENTRYPOINT, "ENTRYPOINT");
}
static void r_multi_health(void *ctx, const struct rule *r)
{
	multiple(L(ctx), r, DF_HEALTHCHECK, "HEALTHCHECK");
}

/* The exec form of a shell-form command, when it is one simple command of
 * plain words (`CMD python app.py` -> CMD ["python", "app.py"]); else the
 * advice for a script. */
static const char *exec_form(struct df_lint *l, const struct df_instr *in)
{
	struct sh_script sh = {0};
	struct buf b = BUF_INIT;
	const char *r;
	size_t i;

	if (sh_split(l->a, in->args[0], strlen(in->args[0]), &sh) || sh.n != 1 || sh.truncated ||
	    sh.cmds[0].nredirs || sh.cmds[0].nassigns || !sh.cmds[0].argc)
		return "write it as a JSON array, or start the shell command with `exec`";
	for (i = 0; i < sh.cmds[0].argc; i++)
		if (sh.cmds[0].argv[i].dynamic)
			return "write it as a JSON array, or start the shell command with `exec`";
	buf_addf(&b, "use %s [", in->cmd == DF_CMD ? "CMD" : "ENTRYPOINT");
	for (i = 0; i < sh.cmds[0].argc; i++) {
		buf_adds(&b, i ? ", \"" : "\"");
		buf_add_json_str(&b, sh.cmds[0].argv[i].s, strlen(sh.cmds[0].argv[i].s));
		buf_addc(&b, '"');
	}
	buf_addc(&b, ']');
	r = buf_ok(&b) ? arena_strndup(l->a, buf_str(&b), b.n) : NULL;
	buf_release(&b);
	return r ? r : "write it as a JSON array";
}

static void r_shell_form(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	for (size_t i = 0; i < l->f->nins; i++) {
		const struct df_instr *in = &l->f->ins[i];
		if ((in->cmd == DF_CMD || in->cmd == DF_ENTRYPOINT) && !in->json && in->nargs &&
		    in->stage == l->final_stage)
			REP_IN(l, r, in, "%s in shell form: the process runs under /bin/sh -c and "
			       "does not receive signals; %s", in->cmd == DF_CMD ? "CMD" : "ENTRYPOINT",
			       exec_form(l, in));
	}
}

static void r_json_invalid(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	for (size_t i = 0; i < l->f->nins; i++) {
		const struct df_instr *in = &l->f->ins[i];
		if ((in->cmd == DF_CMD || in->cmd == DF_ENTRYPOINT || in->cmd == DF_RUN ||
		     in->cmd == DF_SHELL) && !in->json && in->rest_len && in->rest[0] == '[' &&
		    in->rest[in->rest_len - 1] == ']')
			REP_IN(l, r, in, "%s %.*s looks like exec form but is not a JSON array of "
			       "strings (double quotes only): it runs as a shell command",
			       in->keyword, (int)(in->rest_len > 60 ? 60 : in->rest_len), in->rest);
	}
}

static int stage_by_ref(const struct df_lint *l, const char *ref, size_t before)
{
	unsigned long idx;
	if (str_to_ulong(str_cstr(ref), 100000, &idx))
		return idx < before ? (int)idx : (idx < l->f->nstages ? -2 - (int)idx : -1);
	int s = stage_named(l, ref);
	return s >= 0 && (size_t)s < before ? s : -1;
}

static void copy_from(struct df_lint *l, const struct rule *r, bool self)
{
	FOR_EACH_INSTR(l, in, DF_COPY)
	{
		const struct df_flag *fr = df_flag_get(in, "from");
		int st = in->stage;
		const char *sname;
		if (!fr || st < 0 || strchr(fr->value, '$'))
			continue;
		sname = l->f->stages[st].name;
		if ((sname && !strcasecmp(sname, fr->value)) ||
		    (isdigit((unsigned char)fr->value[0]) && strtoul(fr->value, NULL, 10) == (unsigned long)st)) {
			if (self)
				REP_IN(l, r, TOP_OF(l), "COPY --from=%s copies from the stage it is in",
				       fr->value);
			continue;
		}
		if (!self && stage_by_ref(l, fr->value, (size_t)st) < 0 && !strchr(fr->value, '/') &&
		    !strchr(fr->value, ':') && !strchr(fr->value, '.'))
			REP_IN(l, r, TOP_OF(l),
			       "COPY --from=%s names no earlier stage (and is not an image reference)",
			       fr->value);
	}
}

static void r_copy_from_self(void *ctx, const struct rule *r)
{
	copy_from(L(ctx), r, true);
}
static void r_copy_from_unknown(void *ctx, const struct rule *r)
{
	copy_from(L(ctx), r, false);
}

static int by_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	return a < b ? -1 : a > b;
}

/* A stage named as an earlier one is: the names sorted once, by df_lint
 * (every stage was compared with every one before it: 50 000 stages took
 * 9.9 s). */
static void r_stage_dup(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	const struct df_stage_name *v = l->names;
	size_t nd = 0, *first, *dup;

	if (l->nnames < 2)
		return;
	first = arena_alloc(l->a, l->f->nstages * sizeof(*first));
	dup = arena_alloc(l->a, l->f->nstages * sizeof(*dup));
	if (!first || !dup) {
		l->t->nomem = 1;
		return;
	}
	first[v[0].s] = (size_t)-1; /* the first of its name */
	for (size_t i = 1; i < l->nnames; i++)
		if (!strcmp(v[i].name, v[i - 1].name)) {
			first[v[i].s] = first[v[i - 1].s] == (size_t)-1 ? v[i - 1].s : first[v[i - 1].s];
			dup[nd++] = v[i].s;
		} else {
			first[v[i].s] = (size_t)-1;
		}
	qsort(dup, nd, sizeof(*dup), by_size); /* in the order of the stages */
	for (size_t i = 0; i < nd; i++)
		REP_IN(l, r, &l->f->ins[l->f->stages[dup[i]].from], "stage name '%s' is already used on line %d",
		       l->f->stages[dup[i]].name, l->f->ins[l->f->stages[first[dup[i]]].from].line);
}

static void multi_dest(struct df_lint *l, const struct rule *r, enum df_cmd kind)
{
	FOR_EACH_INSTR(l, in, kind)
	{
		const char *dest;
		if (in->nargs < 3)
			continue;
		dest = in->args[in->nargs - 1];
		if (!str_has_suffix(str_cstr(dest), "/") && !strchr(dest, '$'))
			REP_IN(l, r, TOP_OF(l), "%s with %zu sources: the destination '%s' must end "
			       "with /", kind == DF_COPY ? "COPY" : "ADD", in->nargs - 1, dest);
	}
}

static void r_multi_dest(void *ctx, const struct rule *r)
{
	multi_dest(L(ctx), r, DF_COPY);
	multi_dest(L(ctx), r, DF_ADD);
}

static void r_onbuild_invalid(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	for (size_t i = 0; i < l->f->nins; i++) {
		const struct df_instr *in = &l->f->ins[i];
		if (in->cmd == DF_ONBUILD && in->sub &&
		    (in->sub->cmd == DF_FROM || in->sub->cmd == DF_MAINTAINER || in->sub->cmd == DF_ONBUILD))
			REP_IN(l, r, in, "ONBUILD %s is not allowed (BuildKit refuses the build)", in->sub->keyword);
	}
}

/* COPY --from=STAGE / /: the whole stage, compilers, caches and build
 * secrets included, lands in the image. */
static void r_copy_stage_root(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);

	FOR_EACH_INSTR(l, in, DF_COPY)
	{
		const struct df_flag *fl = df_flag_get(in, "from");
		const char *from = fl ? fl->value : NULL;
		if (from && in->nargs == 2 && !strcmp(rel_path(in->args[0]), "") && !strcmp(rel_path(in->args[1]), "") &&
		    in->args[0][0] == '/' && in->args[1][0] == '/')
			REP_IN(l, r, TOP_OF(l), "COPY --from=%s / / copies the whole filesystem of %s", from, from);
	}
}

static void r_workdir_system(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);

	FOR_EACH_INSTR(l, in, DF_WORKDIR)
	{
		char *v = in->nargs ? df_unquote(l->a, in->args[0], l->f->escape) : NULL;
		const char *p = v ? v : "";
		while (p[0] == '/' && p[1] == '/')
			p++;
		if (!strncmp(p, "/proc", 5) || !strncmp(p, "/sys", 4) || !strncmp(p, "/dev", 4)) {
			size_t n = p[1] == 'p' ? 5 : 4;
			if (p[n] == 0 || p[n] == '/')
				REP_IN(l, r, TOP_OF(l), "WORKDIR %s is inside %.*s: files written there go to the kernel",
				       v, (int)n, p);
		}
	}
}

/* USER app: a name, which Kubernetes' runAsNonRoot cannot verify (the
 * kubelet refuses to start the container), nor can a reader of the
 * image config tell whether it is root. */
static void r_user_name(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	const struct df_instr *u;
	struct df_var *vars = NULL;
	bool unres = false;
	size_t nv, ul;
	char *val;
	int st = -1;

	if (l->final_stage < 0 || !(u = final_last(l, DF_USER, &st)) || !u->nargs)
		return;
	{ /* Windows images run as ContainerUser by name; runAsNonRoot is Linux only */
		const char *img = l->f->stages[l->final_stage].image_expanded;
		if (l->f->escape == '`' || (img && (strcasestr(img, "windows") || strcasestr(img, "nanoserver") ||
						     strcasestr(img, "servercore"))))
			return;
	}
	nv = stage_vars(l, (size_t)(u - l->f->ins), &vars);
	val = df_expand(l->a, u->args[0], l->f->escape, vars, nv, &unres);
	if (!val || unres || !val[0])
		return;
	ul = strcspn(val, ":");
	if ((ul == 4 && !strncmp(val, "root", 4)) || strspn(val, "0123456789") >= ul)
		return; /* root is DF-USER-ROOT; a number is verifiable */
	REP_IN(l, r, u, "USER %.*s is a name: Kubernetes runAsNonRoot cannot verify it (use the numeric UID)",
	       (int)ul, val);
}

/* An ENV's names with the pair each is first defined at, sorted by name. */
struct env_name {
	const char *name;
	size_t k; /* index of the name in the instruction's args */
};

static int by_env_name(const void *x, const void *y)
{
	const struct env_name *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	return c ? c : a->k < b->k ? -1 : a->k > b->k;
}

struct env_ref {
	const char *name;
	size_t n;
};

static int key_vs_env(const void *key, const void *elem)
{
	const struct env_ref *k = key;

	return -strncmp(((const struct env_name *)elem)->name, k->name, k->n);
}

/* Where name[0..n) is first defined in v[0..nv), or (size_t)-1. */
static size_t env_first(const struct env_name *v, size_t nv, const char *name, size_t n)
{
	struct env_ref k = {name, n};
	size_t i = ds_lower_bound(v, nv, sizeof(*v), &k, key_vs_env);

	return i < nv && !strncmp(v[i].name, name, n) && v[i].name[n] == 0 ? v[i].k : (size_t)-1;
}

/* A value that refers ($NAME, ${NAME...}) to a name the same ENV defines
 * before it. Each value's references are looked up in the instruction's
 * sorted names: a hostile ENV of 250 000 pairs is not 250 000 squared
 * comparisons. */
static void r_env_self_ref(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);

	FOR_EACH_INSTR(l, in, DF_ENV)
	{
		size_t npairs = in->nargs / 3, nv = 0, k;
		struct env_name *v;
		size_t *hits, *seen; /* seen[j / 3]: the last value that referred to pair j */
		bool dollar = false;

		for (k = 3; k + 1 < in->nargs && !dollar; k += 3)
			dollar = strchr(in->args[k + 1], '$') != NULL;
		if (!dollar)
			continue;
		v = arena_alloc(l->a, npairs * sizeof(*v));
		hits = arena_alloc(l->a, npairs * sizeof(*hits));
		seen = arena_alloc(l->a, npairs * sizeof(*seen));
		if (!v || !hits || !seen) {
			l->t->nomem = 1;
			return;
		}
		for (k = 0; k + 1 < in->nargs; k += 3) {
			seen[nv] = 0;
			v[nv++] = (struct env_name){in->args[k], k};
		}
		qsort(v, nv, sizeof(*v), by_env_name);
		for (k = 3; k + 1 < in->nargs; k += 3) {
			const char *p = in->args[k + 1];
			size_t nh = 0;
			while ((p = strchr(p, '$'))) {
				const char *name = p + 1 + (p[1] == '{');
				size_t n = 0, j;
				while (isalnum((unsigned char)name[n]) || name[n] == '_')
					n++;
				p++;
				if (!n || (j = env_first(v, nv, name, n)) >= k || seen[j / 3] == k)
					continue;
				seen[j / 3] = k;
				hits[nh++] = j;
			}
			if (nh > 1)
				qsort(hits, nh, sizeof(*hits), by_size);
			for (size_t i = 0; i < nh; i++)
				REP_IN(l, r, TOP_OF(l),
				       "ENV %s refers to %s, defined in the same ENV: it sees the old value", in->args[k],
				       in->args[hits[i]]);
		}
	}
}

/* A COPY to a relative path with no WORKDIR before it in its stage or
 * anywhere in a stage it is built FROM. Each stage's first WORKDIR is
 * found once (a COPY looked back over its whole stage: 50 000 COPY lines
 * took 1.4 s, twice as many four times that). */
static void r_copy_relative(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	size_t *first_wd = l->f->nstages ? arena_alloc(l->a, l->f->nstages * sizeof(*first_wd)) : NULL;

	if (l->f->nstages && !first_wd) {
		l->t->nomem = 1;
		return;
	}
	for (size_t s = 0; s < l->f->nstages; s++)
		first_wd[s] = (size_t)-1;
	for (size_t i = 0; i < l->f->nins; i++)
		if (l->f->ins[i].cmd == DF_WORKDIR && l->f->ins[i].stage >= 0 &&
		    first_wd[l->f->ins[i].stage] == (size_t)-1)
			first_wd[l->f->ins[i].stage] = i;
	for (size_t i = 0; i < l->f->nins; i++) {
		const struct df_instr *in = &l->f->ins[i];
		const char *dest;
		bool workdir = false;
		int st = in->stage;
		if (in->cmd != DF_COPY || in->nargs < 2 || st < 0)
			continue;
		dest = in->args[in->nargs - 1];
		if (dest[0] == '/' || dest[0] == '$' || dest[0] == '\\' ||
		    (isalpha((unsigned char)dest[0]) && dest[1] == ':'))
			continue;
		for (int s = st, g = 0; s >= 0 && !workdir && g < 1000; s = l->f->stages[s].base_stage, g++)
			workdir = s == st ? first_wd[s] < i : first_wd[s] != (size_t)-1;
		if (!workdir)
			REP_IN(l, r, in, "COPY to the relative path '%s' with no WORKDIR set", dest);
	}
}

static void r_order(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	for (size_t i = 0; i < l->f->nins; i++) {
		const struct df_instr *in = &l->f->ins[i];
		if (in->cmd == DF_FROM)
			return;
		if (in->cmd != DF_ARG) {
			REP_IN(l, r, in, "%s before the first FROM: only ARG may come before FROM",
			       in->keyword);
			return;
		}
	}
}

static void r_unknown(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	for (size_t i = 0; i < l->f->nins; i++) {
		const struct df_instr *in = &l->f->ins[i];
		if (in->cmd == DF_UNKNOWN || (in->sub && in->sub->cmd == DF_UNKNOWN))
			REP_IN(l, r, in, "unknown instruction '%s'",
			       in->cmd == DF_UNKNOWN ? in->keyword : in->sub->keyword);
	}
}

static void r_workdir_relative(void *ctx, const struct rule *r)
{
	FOR_EACH_INSTR(L(ctx), in, DF_WORKDIR)
	{
		const char *p = in->nargs ? in->args[0] : "";
		if (p[0] == '"' || p[0] == '\'')
			p++;
		if (p[0] == '/' || p[0] == '$' || p[0] == '\\' ||
		    (isalpha((unsigned char)p[0]) && p[1] == ':'))
			continue;
		REP_IN(L(ctx), r, TOP_OF(L(ctx)), "WORKDIR %s is relative", in->nargs ? in->args[0] : "");
	}
}

static void r_volume_sensitive(void *ctx, const struct rule *r)
{
	static const char *const paths[] = {"/", "/etc", "/proc", "/sys", "/dev", "/boot", "/root",
					    "/var/run/docker.sock", "/run/docker.sock", "/lib/modules",
					    "/usr", "/bin", "/sbin", "/lib", NULL};
	FOR_EACH_INSTR(L(ctx), in, DF_VOLUME)
	{
		for (size_t k = 0; k < in->nargs; k++) {
			struct str p = str_cstr(in->args[k]);
			if (p.n > 1 && p.p[p.n - 1] == '/')
				p.n--;
			for (const char *const *s = paths; *s; s++)
				if (str_eq(p, *s))
					REP_IN(L(ctx), r, TOP_OF(L(ctx)),
					       "VOLUME %s declares a system directory as a volume",
					       in->args[k]);
		}
	}
}

static void r_empty_continuation(void *ctx, const struct rule *r)
{
	struct df_lint *l = L(ctx);
	for (size_t i = 0; i < l->f->nins; i++)
		if (l->f->ins[i].empty_continuation)
			REP_IN(l, r, &l->f->ins[i],
			       "empty line inside a continued %s: deprecated, a future BuildKit "
			       "will end the instruction there", l->f->ins[i].keyword);
}


const struct rule df_rules[] = {
	{"DF-USER-ROOT", SEV_HIGH, "dockerfile", "The final image runs as root",
	 "The last USER of the final stage is root (or UID 0). A process that escapes the container, "
	 "or abuses a writable host mount, does so as root.",
	 "Create an unprivileged user and end the final stage with its numeric UID, `USER 10001:10001` (Kubernetes runAsNonRoot can verify a number, not a name).",
	 REFS("cis:4.1", "docker-bench:4.1", "owasp:R2", "hadolint:DL3002", "trivy:DS002",
	      "dockle:CIS-DI-0001", "checkov:CKV_DOCKER_8"), r_user_root, NULL, 0},
	{"DF-USER-MISSING", SEV_MEDIUM, "dockerfile", "No USER in the final image",
	 "Without a USER instruction the container runs as the base image's user, which is root for "
	 "almost every base image.",
	 "Add `RUN useradd -r -u 10001 app` (or adduser -S on Alpine) and `USER 10001` at the end of the final stage.",
	 REFS("cis:4.1", "docker-bench:4.1", "owasp:R2", "trivy:DS002", "dockle:CIS-DI-0001",
	      "checkov:CKV_DOCKER_3"), r_user_missing, NULL, 0},
	{"DF-FROM-UNTAGGED", SEV_MEDIUM, "dockerfile", "Base image without a tag",
	 "FROM without a tag pulls 'latest', so every build may use a different base image.",
	 "Name an explicit version tag, and preferably a digest: `FROM debian:12.5@sha256:...`.",
	 REFS("owasp:R13", "hadolint:DL3006", "trivy:DS001", "checkov:CKV_DOCKER_7"), r_from_untagged, NULL, 0},
	{"DF-FROM-LATEST", SEV_MEDIUM, "dockerfile", "Base image uses the latest tag",
	 "'latest' moves; builds are not reproducible and a compromised or broken upstream image is picked up silently.",
	 "Use a version tag, and preferably a digest.",
	 REFS("owasp:R13", "hadolint:DL3007", "trivy:DS001", "dockle:DKL-DI-0006", "checkov:CKV_DOCKER_7"),
	 r_from_latest, NULL, 0},
	{"DF-FROM-DIGEST", SEV_LOW, "dockerfile", "Base image not pinned by digest",
	 "A tag can be re-pointed by whoever controls the repository; only a digest names exact content.",
	 "Append the digest: `FROM alpine:3.20@sha256:<digest>` (`docker buildx imagetools inspect` prints it). Set `require-digest: false` in .docksec.yaml to turn this off.",
	 REFS("owasp:R13", "cis:4.2"), r_from_digest, NULL, 0},
	{"DF-FROM-UNTRUSTED-REGISTRY", SEV_HIGH, "dockerfile", "Base image from an untrusted registry",
	 "The configuration lists trusted registries and this FROM pulls from another one.",
	 "Mirror the image into a trusted registry, or add the registry to `trusted-registries` in .docksec.yaml.",
	 REFS("cis:4.2", "docker-bench:4.2", "owasp:R13", "hadolint:DL3026"), r_from_registry, NULL, 0},
	{"DF-FROM-PLATFORM", SEV_INFO, "dockerfile", "FROM --platform with a fixed value",
	 "A constant --platform forces one architecture for every build, including multi-platform ones.",
	 "Use `--platform=$BUILDPLATFORM` or `$TARGETPLATFORM`, or drop the flag.",
	 REFS("hadolint:DL3029"), r_from_platform, NULL, 0},
	{"DF-APT-PIN", SEV_LOW, "dockerfile", "apt-get install without version pins",
	 "Unpinned packages make builds unreproducible and pick up whatever the mirror serves that day.",
	 "Pin each package as `NAME=VERSION` (`apt-get install -y NAME=VERSION`; `apt-cache policy NAME` in the base image lists the versions).",
	 REFS("owasp:R13", "hadolint:DL3008"), r_apt_pin, NULL, 0},
	{"DF-APT-NO-YES", SEV_LOW, "dockerfile", "apt-get install without -y",
	 "Without -y apt-get waits for a confirmation the build cannot give.",
	 "Add `-y` (or `--yes`).", REFS("hadolint:DL3014", "trivy:DS021"), r_apt_yes, NULL, 0},
	{"DF-APT-RECOMMENDS", SEV_LOW, "dockerfile", "apt-get install without --no-install-recommends",
	 "Recommended packages add software (and attack surface) the image does not need.",
	 "Add `--no-install-recommends`.",
	 REFS("cis:4.3", "hadolint:DL3015", "trivy:DS029"), r_apt_recommends, NULL, 0},
	{"DF-APT-LISTS", SEV_LOW, "dockerfile", "apt lists left in the image",
	 "/var/lib/apt/lists stays in the layer: a bigger image with a stale package index.",
	 "End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or use `RUN --mount=type=cache,target=/var/lib/apt`.",
	 REFS("hadolint:DL3009", "dockle:DKL-DI-0005"), r_apt_lists, NULL, 0},
	{"DF-APT-USE-APT-GET", SEV_LOW, "dockerfile", "apt used in a script",
	 "`apt` is for people; its output and behaviour are not stable for scripts.",
	 "Use `apt-get` (or `apt-cache`).", REFS("hadolint:DL3027", "checkov:CKV_DOCKER_9"), r_apt_use_apt, NULL, 0},
	{"DF-UPDATE-ALONE", SEV_MEDIUM, "dockerfile", "Package index update in a RUN of its own",
	 "The layer with `apt-get update` is cached; a later RUN installs from a stale index and misses security updates.",
	 "Update and install in the same RUN: `apt-get update && apt-get install -y ...`.",
	 REFS("cis:4.7", "docker-bench:4.7", "trivy:DS017", "dockle:CIS-DI-0007", "checkov:CKV_DOCKER_5"),
	 r_update_alone, NULL, 0},
	{"DF-PKG-UPGRADE", SEV_LOW, "dockerfile", "Upgrade of all base-image packages",
	 "A blanket upgrade makes the image differ from its base in ways no one reviewed and breaks reproducibility; the base image should be rebuilt instead.",
	 "Use a newer base image, or upgrade the specific packages you need.",
	 REFS("hadolint:DL3005", "hadolint:DL3035", "trivy:DS024", "dockle:DKL-DI-0003"), r_upgrade, NULL, 0},
	{"DF-APK-PIN", SEV_LOW, "dockerfile", "apk add without version pins",
	 "Unpinned packages make builds unreproducible.", "Pin each package as `NAME=VERSION` (`apk add NAME=VERSION`; `apk policy NAME` lists the versions).",
	 REFS("owasp:R13", "hadolint:DL3018"), r_apk_pin, NULL, 0},
	{"DF-APK-NO-CACHE", SEV_LOW, "dockerfile", "apk add without --no-cache",
	 "The package index stays in the layer.", "Use `apk add --no-cache ...`.",
	 REFS("hadolint:DL3019", "trivy:DS025", "dockle:DKL-DI-0004"), r_apk_cache, NULL, 0},
	{"DF-YUM-NO-YES", SEV_LOW, "dockerfile", "yum install without -y",
	 "yum waits for a confirmation the build cannot give.", "Add `-y`.",
	 REFS("hadolint:DL3030"), rpm_yes, &pm_yum, 0},
	{"DF-YUM-CLEAN", SEV_LOW, "dockerfile", "yum install without yum clean all",
	 "yum's cache stays in the layer.", "End the same RUN with `&& yum clean all`.",
	 REFS("hadolint:DL3032", "trivy:DS015"), rpm_clean, &pm_yum, 0},
	{"DF-YUM-PIN", SEV_LOW, "dockerfile", "yum install without version pins",
	 "Unpinned packages make builds unreproducible.", "Pin each package as `NAME-VERSION` (`yum install -y NAME-VERSION`; `yum list --showduplicates NAME` lists them).",
	 REFS("owasp:R13", "hadolint:DL3033"), rpm_pin, &pm_yum, 0},
	{"DF-DNF-NO-YES", SEV_LOW, "dockerfile", "dnf install without -y",
	 "dnf waits for a confirmation the build cannot give.", "Add `-y`.",
	 REFS("hadolint:DL3038"), rpm_yes, &pm_dnf, 0},
	{"DF-DNF-CLEAN", SEV_LOW, "dockerfile", "dnf install without dnf clean all",
	 "dnf's cache stays in the layer.", "End the same RUN with `&& dnf clean all`.",
	 REFS("hadolint:DL3040", "trivy:DS019", "trivy:DS027"), rpm_clean, &pm_dnf, 0},
	{"DF-DNF-PIN", SEV_LOW, "dockerfile", "dnf install without version pins",
	 "Unpinned packages make builds unreproducible.", "Pin each package as `NAME-VERSION` (`dnf install -y NAME-VERSION`; `dnf list --showduplicates NAME` lists them).",
	 REFS("owasp:R13", "hadolint:DL3041"), rpm_pin, &pm_dnf, 0},
	{"DF-ZYPPER-NO-YES", SEV_LOW, "dockerfile", "zypper install without -n",
	 "zypper waits for a confirmation the build cannot give.", "Use `zypper -n install` (or --non-interactive).",
	 REFS("hadolint:DL3034"), rpm_yes, &pm_zyp, 0},
	{"DF-ZYPPER-CLEAN", SEV_LOW, "dockerfile", "zypper install without zypper clean",
	 "zypper's cache stays in the layer.", "End the same RUN with `&& zypper clean -a`.",
	 REFS("hadolint:DL3036", "trivy:DS020"), rpm_clean, &pm_zyp, 0},
	{"DF-ZYPPER-PIN", SEV_LOW, "dockerfile", "zypper install without version pins",
	 "Unpinned packages make builds unreproducible.", "Pin each package as `NAME=VERSION` (`zypper -n install NAME=VERSION`; `zypper se -s NAME` lists them).",
	 REFS("owasp:R13", "hadolint:DL3037"), rpm_pin, &pm_zyp, 0},
	{"DF-PIP-PIN", SEV_LOW, "dockerfile", "pip install without version pins",
	 "Unpinned Python packages make builds unreproducible and open the door to dependency confusion.",
	 "Pin versions (`pip install requests==2.32.3`) or install from a hashed requirements file.",
	 REFS("owasp:R13", "hadolint:DL3013"), r_pip_pin, NULL, 0},
	{"DF-PIP-CACHE", SEV_LOW, "dockerfile", "pip install without --no-cache-dir",
	 "pip's download cache stays in the layer.", "Add `--no-cache-dir` or set `ENV PIP_NO_CACHE_DIR=1`.",
	 REFS("hadolint:DL3042"), r_pip_cache, NULL, 0},
	{"DF-NPM-PIN", SEV_LOW, "dockerfile", "npm install of unpinned packages",
	 "Unpinned npm packages make builds unreproducible.", "Pin versions: `npm install express@4.19.2`, or use `npm ci` with a lock file.",
	 REFS("owasp:R13", "hadolint:DL3016"), r_npm_pin, NULL, 0},
	{"DF-GEM-PIN", SEV_LOW, "dockerfile", "gem install without version pins",
	 "Unpinned gems make builds unreproducible.", "Pin versions: `gem install rake:13.2.1` or `-v 13.2.1`.",
	 REFS("owasp:R13", "hadolint:DL3028"), r_gem_pin, NULL, 0},
	{"DF-GO-PIN", SEV_LOW, "dockerfile", "go install without a version",
	 "`go install pkg` or `pkg@latest` builds whatever is newest.", "Name a version: `go install example.com/tool@v1.2.3`.",
	 REFS("owasp:R13", "hadolint:DL3062"), r_go_pin, NULL, 0},
	{"DF-YARN-CACHE", SEV_LOW, "dockerfile", "yarn install without yarn cache clean",
	 "yarn's cache stays in the layer.", "End the same RUN with `&& yarn cache clean`.",
	 REFS("hadolint:DL3060"), r_yarn_cache, NULL, 0},
	{"DF-ADD-INSTEAD-OF-COPY", SEV_LOW, "dockerfile", "ADD used for local files",
	 "ADD also fetches URLs and unpacks archives; for plain files that magic only surprises.",
	 "Use COPY for files and directories; keep ADD for local tar archives to extract.",
	 REFS("cis:4.9", "docker-bench:4.9", "hadolint:DL3020", "trivy:DS005", "dockle:CIS-DI-0009",
	      "checkov:CKV_DOCKER_4"), r_add_copy, NULL, 0},
	{"DF-ADD-REMOTE", SEV_MEDIUM, "dockerfile", "ADD downloads without a checksum",
	 "ADD <url> fetches whatever the server returns at build time, unverified.",
	 "Add `--checksum=sha256:<hash>` (BuildKit), or download with curl and verify the hash in a RUN.",
	 REFS("cis:4.9", "owasp:R13", "cis:4.11", "trivy:DS005"), r_add_remote, NULL, 0},
	{"DF-CURL-PIPE-SHELL", SEV_HIGH, "dockerfile", "Remote script piped into a shell",
	 "curl|sh runs whatever the server (or anyone in the path) sends, with the build's privileges, and leaves no trace of what ran.",
	 "Download to a file, verify a checksum or signature, then run it: `curl -fsSLo x.sh URL && echo \"<sha256>  x.sh\" | sha256sum -c && sh x.sh`.",
	 REFS("owasp:R13", "cis:4.11"), r_curl_pipe_shell, NULL, 0},
	{"DF-PIPEFAIL", SEV_LOW, "dockerfile", "Pipe without pipefail",
	 "/bin/sh takes a pipeline's status from its last command, so `curl URL | tar x` succeeds when the download fails.",
	 "Set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN, or start the RUN with `set -o pipefail &&`.",
	 REFS("hadolint:DL4006"), r_pipefail, NULL, 0},
	{"DF-CD", SEV_LOW, "dockerfile", "cd in RUN instead of WORKDIR",
	 "A cd lasts one RUN; later instructions run elsewhere than a reader assumes.",
	 "Use `WORKDIR /path`.", REFS("hadolint:DL3003", "trivy:DS013"), r_cd, NULL, 0},
	{"DF-WORKDIR-RELATIVE", SEV_LOW, "dockerfile", "Relative WORKDIR",
	 "A relative WORKDIR depends on every earlier WORKDIR, including the base image's.",
	 "Use an absolute path.", REFS("hadolint:DL3000", "trivy:DS009", "checkov:CKV_DOCKER_10"),
	 r_workdir_relative, NULL, 0},
	{"DF-SUDO", SEV_MEDIUM, "dockerfile", "sudo in RUN",
	 "RUN already runs as the current USER; sudo needs a TTY, behaves unpredictably and leaves a setuid binary to abuse.",
	 "Switch with `USER root` ... `USER app` around the step; to drop privileges at run time use gosu or su-exec.",
	 REFS("hadolint:DL3004", "trivy:DS010", "dockle:DKL-DI-0001", "checkov:CKV2_DOCKER_1"), r_sudo, NULL, 0},
	{"DF-SETUID", SEV_MEDIUM, "dockerfile", "setuid or setgid bit set",
	 "setuid/setgid binaries are the classic privilege escalation path inside a container.",
	 "Do not set them; remove existing ones with `find / -xdev -perm /6000 -type f -exec chmod a-s {} +`.",
	 REFS("cis:4.8", "docker-bench:4.8", "dockle:CIS-DI-0008"), r_setuid, NULL, 0},
	{"DF-CHMOD-WORLD-WRITABLE", SEV_MEDIUM, "dockerfile", "World-writable files (chmod 777)",
	 "World-writable files let any process in the container, whatever its user, change code or configuration.",
	 "Grant the narrowest mode (e.g. 755 or 750) and chown to the user that needs write access.",
	 REFS("owasp:R8"), r_world_writable, NULL, 0},
	{"DF-USERADD-NO-L", SEV_LOW, "dockerfile", "useradd with a high UID without -l",
	 "useradd writes a sparse /var/log/faillog sized by the UID; with a large UID the layer grows by gigabytes.",
	 "Add `-l` (`--no-log-init`).", REFS("hadolint:DL3046"), r_useradd_l, NULL, 0},
	{"DF-ROOT-SHELL", SEV_LOW, "dockerfile", "root keeps a login shell",
	 "The image creates users but leaves root with a login shell, so a foothold can become an interactive root session.",
	 "Add `RUN chsh -s /usr/sbin/nologin root` (or `usermod -s /usr/sbin/nologin root`).",
	 REFS("owasp:R2"), r_root_shell, NULL, 0},
	{"DF-WGET-AND-CURL", SEV_INFO, "dockerfile", "Both wget and curl used",
	 "Two download tools where one does; more packages and more attack surface.",
	 "Use one of them throughout.", REFS("hadolint:DL4001", "trivy:DS014"), r_wget_and_curl, NULL, 0},
	{"DF-POINTLESS-COMMAND", SEV_INFO, "dockerfile", "Command that makes no sense in a build",
	 "ssh, vim, shutdown, service, ps, top, kill, mount... do nothing useful at build time and hint at a VM-style image.",
	 "Remove it; manage processes with the container runtime.", REFS("hadolint:DL3001"), r_bad_command, NULL, 0},
	{"DF-SH-SYMLINK", SEV_LOW, "dockerfile", "/bin/sh replaced by a symlink",
	 "Replacing /bin/sh changes every script in the image, not just the Dockerfile's RUNs.",
	 "Use `SHELL [\"/bin/bash\", \"-c\"]`.", REFS("hadolint:DL4005"), r_shell_symlink, NULL, 0},
	{"DF-TLS-VERIFY-OFF", SEV_HIGH, "dockerfile", "TLS certificate validation turned off",
	 "curl -k, wget --no-check-certificate, pip --trusted-host, git sslVerify=false, NODE_TLS_REJECT_UNAUTHORIZED=0 and friends let anyone in the network path replace what is downloaded.",
	 "Keep validation on; add the needed CA certificate to the image instead.",
	 REFS("owasp:R13", "cis:4.11", "checkov:CKV2_DOCKER_2", "checkov:CKV2_DOCKER_3",
	      "checkov:CKV2_DOCKER_4", "checkov:CKV2_DOCKER_5", "checkov:CKV2_DOCKER_6",
	      "checkov:CKV2_DOCKER_12", "checkov:CKV2_DOCKER_13", "checkov:CKV2_DOCKER_14",
	      "checkov:CKV2_DOCKER_16"), r_tls_off, NULL, 0},
	{"DF-UNSIGNED-PACKAGES", SEV_HIGH, "dockerfile", "Packages installed without signature checks",
	 "--allow-untrusted, --allow-unauthenticated, --force-yes, --nogpgcheck, [trusted=yes] and rpm --nosignature install whatever the mirror serves.",
	 "Import the repository's signing key and keep signature checks on.",
	 REFS("cis:4.11", "owasp:R13", "checkov:CKV2_DOCKER_7", "checkov:CKV2_DOCKER_8",
	      "checkov:CKV2_DOCKER_9", "checkov:CKV2_DOCKER_10", "checkov:CKV2_DOCKER_11",
	      "checkov:CKV2_DOCKER_15"), r_unsigned, NULL, 0},
	{"DF-SSH-SERVER", SEV_MEDIUM, "dockerfile", "SSH server in the image",
	 "An sshd in a container is another service to patch, another set of credentials, and bypasses the runtime's access controls.",
	 "Remove it; use `docker exec` (or kubectl exec) for access.", REFS("cis:5.6", "docker-bench:5.6"),
	 r_sshd, NULL, 0},
	{"DF-SECRET-TOKEN", SEV_CRITICAL, "dockerfile", "Credential in the Dockerfile",
	 "A real credential (AWS key, GitHub/GitLab/Slack/Stripe token, private key, password in a URL) is in the Dockerfile and in every image layer and build log made from it.",
	 "Revoke it now. Pass secrets at build time with `RUN --mount=type=secret,id=...` and at run time with Docker/Kubernetes secrets.",
	 REFS("cis:4.10", "docker-bench:4.10", "owasp:R12", "trivy:DS031", "dockle:CIS-DI-0010"),
	 r_secret_token, NULL, 0},
	{"DF-SECRET-ENV", SEV_HIGH, "dockerfile", "Secret-like value in ENV or ARG",
	 "ENV values are stored in the image config and ARG defaults in its history; anyone who can pull the image can read them.",
	 "Use `RUN --mount=type=secret` at build time and runtime secrets (files under /run/secrets) instead of ENV.",
	 REFS("cis:4.10", "docker-bench:4.10", "owasp:R12", "trivy:DS031", "dockle:CIS-DI-0010"),
	 r_secret_env, NULL, 0},
	{"DF-SECRET-ARG", SEV_MEDIUM, "dockerfile", "Secret passed as a build argument",
	 "--build-arg values are recorded in the image history (docker history) and the build cache.",
	 "Use `RUN --mount=type=secret,id=token` and `docker build --secret id=token,src=...`.",
	 REFS("cis:4.10", "owasp:R12", "trivy:DS031"), r_secret_arg, NULL, 0},
	{"DF-SECRET-FILE", SEV_HIGH, "dockerfile", "Secret file copied into the image",
	 "Private keys, .env files, .npmrc, .git-credentials and the like copied into a layer stay there, even if a later RUN deletes them.",
	 "Keep them out with .dockerignore; mount them for the one RUN that needs them (`--mount=type=secret` or `type=ssh`).",
	 REFS("cis:4.10", "docker-bench:4.10", "owasp:R12", "trivy:DS031", "dockle:CIS-DI-0010"),
	 r_secret_file, NULL, 0},
	{"DF-PASSWORD-IN-RUN", SEV_HIGH, "dockerfile", "Password set from the Dockerfile",
	 "`echo user:pw | chpasswd` or `useradd -p` puts the password in the Dockerfile and the layer history.",
	 "Do not give container users passwords; if one is needed, set it at run time from a secret.",
	 REFS("owasp:R12", "cis:4.10", "checkov:CKV2_DOCKER_17"), r_password_run, NULL, 0},
	{"DF-HEALTHCHECK-MISSING", SEV_LOW, "dockerfile", "No HEALTHCHECK in the final image",
	 "Without a health check the engine cannot tell a hung service from a healthy one and restart or route around it.",
	 "Add `HEALTHCHECK CMD curl -fsS http://localhost:8080/health || exit 1` (or a check that fits the service).",
	 REFS("cis:4.6", "docker-bench:4.6", "hadolint:DL3057", "trivy:DS026", "dockle:CIS-DI-0006",
	      "checkov:CKV_DOCKER_2"), r_health_missing, NULL, 0},
	{"DF-HEALTHCHECK-NONE", SEV_LOW, "dockerfile", "HEALTHCHECK NONE",
	 "The image deliberately turns off the health check it inherited.",
	 "Keep it only if the orchestrator checks health another way (e.g. Kubernetes probes).",
	 REFS("cis:4.6", "docker-bench:4.6"), r_health_none, NULL, 0},
	{"DF-MULTIPLE-HEALTHCHECK", SEV_LOW, "dockerfile", "More than one HEALTHCHECK in a stage",
	 "Only the last HEALTHCHECK takes effect; the others mislead.", "Keep one.",
	 REFS("hadolint:DL3012", "trivy:DS023"), r_multi_health, NULL, 0},
	{"DF-EXPOSE-SSH", SEV_MEDIUM, "dockerfile", "Port 22 exposed",
	 "Exposing SSH suggests an sshd in the container, with its own credentials and patching.",
	 "Remove `EXPOSE 22`; use docker exec for access.", REFS("trivy:DS004", "checkov:CKV_DOCKER_1"),
	 r_expose_ssh, NULL, 0},
	{"DF-EXPOSE-RANGE", SEV_MEDIUM, "dockerfile", "EXPOSE port out of range",
	 "Valid ports are 0-65535; the build fails or the port is meaningless.", "Fix the port number.",
	 REFS("hadolint:DL3011", "trivy:DS008"), r_expose_range, NULL, 0},
	{"DF-EXPOSE-DOCKER-API", SEV_HIGH, "dockerfile", "Docker Engine API port exposed",
	 "2375/2376 are the Docker daemon's API ports; serving them from a container usually means a mounted docker.sock, i.e. root on the host.",
	 "Do not expose the Engine API; if a tool needs it, put a filtering socket proxy in front.",
	 REFS("cis:2.6", "owasp:R1"), r_expose_docker, NULL, 0},
	{"DF-MAINTAINER", SEV_INFO, "dockerfile", "MAINTAINER is deprecated",
	 "MAINTAINER was deprecated in Docker 1.13.", "Use `LABEL org.opencontainers.image.authors=\"...\"`.",
	 REFS("hadolint:DL4000", "trivy:DS022", "checkov:CKV_DOCKER_6"), r_maintainer, NULL, 0},
	{"DF-MULTIPLE-CMD", SEV_LOW, "dockerfile", "More than one CMD in a stage",
	 "Only the last CMD takes effect.", "Keep one.", REFS("hadolint:DL4003", "trivy:DS016"), r_multi_cmd, NULL, 0},
	{"DF-MULTIPLE-ENTRYPOINT", SEV_LOW, "dockerfile", "More than one ENTRYPOINT in a stage",
	 "Only the last ENTRYPOINT takes effect.", "Keep one.", REFS("hadolint:DL4004", "trivy:DS007"),
	 r_multi_entrypoint, NULL, 0},
	{"DF-SHELL-FORM-CMD", SEV_LOW, "dockerfile", "CMD or ENTRYPOINT in shell form",
	 "In shell form the process is a child of /bin/sh -c: it does not get SIGTERM and is killed after the stop timeout.",
	 "Use the exec form the message shows (the command's words as a JSON array), or start a shell script's "
	 "last command with `exec` so it receives the signals.", REFS("hadolint:DL3025"), r_shell_form, NULL, 0},
	{"DF-EXEC-FORM-INVALID", SEV_MEDIUM, "dockerfile", "Broken exec form",
	 "Text in [...] that is not a JSON array of double-quoted strings silently runs as a shell command.",
	 "Use double quotes and valid JSON: `CMD [\"app\", \"--flag\"]`.", REFS("hadolint:DL3025"), r_json_invalid, NULL, 0},
	{"DF-COPY-FROM-SELF", SEV_HIGH, "dockerfile", "COPY --from its own stage",
	 "A stage cannot copy from itself; the build fails.", "Name an earlier stage.",
	 REFS("hadolint:DL3023", "trivy:DS006"), r_copy_from_self, NULL, 0},
	{"DF-COPY-FROM-UNKNOWN", SEV_MEDIUM, "dockerfile", "COPY --from names no earlier stage",
	 "The name matches no earlier stage, so BuildKit treats it as an image to pull from a registry.",
	 "Fix the stage name, or use a full image reference on purpose.", REFS("hadolint:DL3022"),
	 r_copy_from_unknown, NULL, 0},
	{"DF-STAGE-NAME-DUPLICATE", SEV_HIGH, "dockerfile", "Duplicate stage name",
	 "Two stages with one name: COPY --from and --target pick one of them, not the one you meant.",
	 "Give every stage a unique name.", REFS("hadolint:DL3024", "trivy:DS012", "checkov:CKV_DOCKER_11"),
	 r_stage_dup, NULL, 0},
	{"DF-COPY-MULTI-DEST", SEV_HIGH, "dockerfile", "Several sources to a destination without /",
	 "COPY/ADD with more than one source needs a directory destination ending in /; the build fails.",
	 "End the destination with /.", REFS("hadolint:DL3021", "trivy:DS011"), r_multi_dest, NULL, 0},
	{"DF-ONBUILD-INVALID", SEV_HIGH, "dockerfile", "ONBUILD with FROM, MAINTAINER or ONBUILD",
	 "ONBUILD cannot trigger FROM, MAINTAINER or another ONBUILD: BuildKit refuses the instruction.", "Remove it.",
	 REFS("hadolint:DL3043"),
	 r_onbuild_invalid, NULL, 0},
	{"DF-COPY-STAGE-ROOT", SEV_MEDIUM, "dockerfile", "Whole build stage copied into the image",
	 "`COPY --from=build / /` brings everything of the build stage - compilers, package caches, source, build "
	 "secrets - into the image, which the multi-stage build was meant to leave behind.",
	 "Copy only the artefacts: `COPY --from=build /app/bin/server /usr/local/bin/`.",
	 REFS("hadolint:DL3067"), r_copy_stage_root, NULL, 0},
	{"DF-WORKDIR-SYSTEM", SEV_HIGH, "dockerfile", "WORKDIR in /proc, /sys or /dev",
	 "Those are kernel interfaces, not directories: a build step or the service writing in its working "
	 "directory writes to the kernel (or the build fails).",
	 "Use an application directory: `WORKDIR /app`.", REFS("trivy:DS030"), r_workdir_system, NULL, 0},
	{"DF-USER-NAME", SEV_LOW, "dockerfile", "USER is a name, not a UID",
	 "Kubernetes' runAsNonRoot checks the image's user without its /etc/passwd: a name cannot be verified and "
	 "the kubelet refuses to start the container; scanners cannot tell either.",
	 "Use the numeric UID (and GID): `USER 10001:10001`.", REFS("kubesec:RunAsNonRoot"), r_user_name, NULL, 0},
	{"DF-ENV-SELF-REFERENCE", SEV_LOW, "dockerfile", "ENV uses a variable it defines",
	 "Within one ENV, a reference to a variable set earlier in the same ENV sees the old value.",
	 "Split it into two ENV instructions.", REFS("hadolint:DL3044"), r_env_self_ref, NULL, 0},
	{"DF-COPY-RELATIVE", SEV_LOW, "dockerfile", "COPY to a relative path without WORKDIR",
	 "The destination depends on the base image's working directory.",
	 "Set WORKDIR first, or use an absolute destination.", REFS("hadolint:DL3045"), r_copy_relative, NULL, 0},
	{"DF-INSTRUCTION-ORDER", SEV_HIGH, "dockerfile", "Instruction before the first FROM",
	 "Only ARG may precede the first FROM; the build fails.", "Move it after FROM.",
	 REFS("hadolint:DL3061"), r_order, NULL, 0},
	{"DF-UNKNOWN-INSTRUCTION", SEV_HIGH, "dockerfile", "Unknown instruction",
	 "BuildKit rejects the file at this instruction.", "Fix the spelling.", REFS("hadolint:DL1000"), r_unknown, NULL, 0},
	{"DF-VOLUME-SYSTEM-PATH", SEV_MEDIUM, "dockerfile", "System directory declared as a VOLUME",
	 "A VOLUME on /, /etc, /proc, /sys, /dev or docker.sock invites mounting host paths over them.",
	 "Declare volumes only for application data directories.", REFS("dockle:DKL-DI-0002", "owasp:R1"),
	 r_volume_sensitive, NULL, 0},
	{"DF-EMPTY-CONTINUATION", SEV_INFO, "dockerfile", "Empty line inside a continued instruction",
	 "BuildKit warns that empty continuation lines are deprecated and will end the instruction in a future release.",
	 "Remove the empty line or make it a comment.", REFS("buildkit:NoEmptyContinuation"),
	 r_empty_continuation, NULL, 0},
};

const size_t df_rules_n = DS_ARRAY_SIZE(df_rules);
