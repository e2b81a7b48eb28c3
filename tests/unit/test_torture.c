/*
 * test_torture.c - make allocation N fail, for N = 1, 2, 3... until a run
 * needs no more allocations, and check that the parser, the linter, the
 * report writers and the configuration loader return a clean DS_ENOMEM
 * each time (ASan/LSan in `make check` catch leaks and bad frees).
 */
#include "unit.h"
#include "core/report.h"
#include <jansson.h>

static const char *const DF =
	"# syntax=docker/dockerfile:1\nARG T=3.20\nFROM alpine:${T} AS b\n"
	"RUN apk add curl && curl -k https://x | sh && <<EOF cat > /x\nhi\nEOF\n"
	"ENV PASSWORD=hunter2 K=AKIAIOSFODNN7EXAMPLE\nCOPY id_rsa /x\nFROM b\n"
	"ONBUILD RUN sudo true\nUSER root\nCMD [\"x\"]\n";

static void test_lint_survives_every_allocation_failure(void **state)
{
	long n;

	(void)state;
	json_set_alloc_funcs(ds_malloc, ds_free);
	for (n = 1; n < 100000; n++) {
		struct target t;
		struct target *tp = &t;
		struct rpt_opts o = {.command = "lint"};
		struct buf b = BUF_INIT;
		int rc;

		ds_alloc_fail_at(n);
		rc = unit_lint(&t, DF, NULL);
		if (rc == 0) {
			rpt_json(&b, &tp, 1, &o);
			rpt_sarif(&b, &tp, 1, &o);
		}
		ds_alloc_fail_at(0);
		assert_true(rc == 0 || rc == DS_ENOMEM);
		buf_release(&b);
		target_release(&t);
		if (rc == 0 && !t.nomem && buf_ok(&b))
			break;
	}
	assert_true(n > 10); /* the loop really injected failures */
	assert_true(n < 100000);
}

static void test_config_survives_every_allocation_failure(void **state)
{
	const char y[] = "ignore: [DF-SUDO, hadolint:DL3008]\nseverity: {DF-CD: info}\n"
			 "trusted-registries: [a.example]\nexclude: [x]\nfail-on: high\n";
	long n;

	(void)state;
	for (n = 1; n < 10000; n++) {
		struct ds_config *c = NULL;
		struct ds_err err = {0};
		int rc;
		ds_alloc_fail_at(n);
		rc = cfg_load_mem("c.yaml", y, strlen(y), &c, &err);
		ds_alloc_fail_at(0);
		assert_true(rc == 0 || rc == DS_ENOMEM);
		cfg_free(c);
		if (rc == 0)
			break;
	}
	assert_true(n > 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lint_survives_every_allocation_failure),
		cmocka_unit_test(test_config_survives_every_allocation_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
