/*
 * unit.h - shared helpers for the cmocka unit tests: lint a Dockerfile
 * held in a string and count findings by rule.
 */
#ifndef DS_UNIT_H
#define DS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/finding.h"
#include "dockerfile/lint.h"
#include "container/check.h"

/* Every test binary sees the whole registry, as docksec does. */
__attribute__((constructor)) static void unit_register_domains(void)
{
	ds_domains_register();
}

/* Parse and lint src; returns the df_parse/df_lint code. t must be
 * released by the caller with target_release(). */
static inline int unit_lint(struct target *t, const char *src, const struct ds_config *cfg)
{
	struct df_file f;
	int rc;

	target_init(t, "Dockerfile");
	t->cfg = cfg ? cfg : cfg_default();
	t->data = ds_strdup(src);
	if (!t->data)
		return DS_ENOMEM;
	t->len = strlen(src);
	rc = df_parse(&t->arena, "Dockerfile", t->data, t->len, &f, &t->err);
	if (rc)
		return rc;
	return df_lint(t, &f);
}

/* Check src as a file named path ("--cmd" for a command line); t must be
 * released by the caller. */
static inline int unit_check(struct target *t, const char *path, const char *src, const char *const *env,
			     struct ct_file *f)
{
	target_init(t, path);
	t->cfg = cfg_default();
	t->data = ds_strdup(src);
	if (!t->data)
		return DS_ENOMEM;
	t->len = strlen(src);
	if (!strcmp(path, "--cmd")) {
		memset(f, 0, sizeof(*f));
		if (ct_from_cmdline(t, f))
			return t->err.code ? t->err.code : DS_EPARSE;
		ct_judge(t, f);
		return t->nomem || t->arena.failed ? DS_ENOMEM : 0;
	}
	return ct_check_target(t, env, f) ? (t->err.code ? t->err.code : DS_EPARSE) : 0;
}

static inline size_t unit_count(const struct target *t, const char *rule)
{
	size_t i, n = 0;
	for (i = 0; i < t->nfindings; i++)
		if (!strcmp(t->findings[i].rule->id, rule))
			n++;
	return n;
}

#endif
