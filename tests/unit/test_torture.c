/*
 * test_torture.c - make allocation N fail, for N = 1, 2, 3... until a run
 * needs no more allocations, and check that the parser, the linter, the
 * report writers and the configuration loader return a clean DS_ENOMEM
 * each time (ASan/LSan in `make check` catch leaks and bad frees).
 */
#include "unit.h"
#include "core/report.h"
#include "image/pkgdb.h"
#include "vulndb/vulndb.h"
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
		bool whole;
		int rc;

		ds_alloc_fail_at(n);
		rc = unit_lint(&t, DF, NULL);
		if (rc == 0) {
			rpt_json(&b, &tp, 1, &o);
			rpt_sarif(&b, &tp, 1, &o);
		}
		ds_alloc_fail_at(0);
		assert_true(rc == 0 || rc == DS_ENOMEM);
		whole = rc == 0 && !t.nomem && buf_ok(&b); /* before release, which resets the flag */
		buf_release(&b);
		target_release(&t);
		if (whole)
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

/* The dpkg database reader (audit's host facts, scan's images) and the
 * check-style writers: every failure is a clean DS_ENOMEM or a report
 * the writer marks incomplete, never an entry with a NULL name. */
static void test_dpkg_and_check_reports_survive_every_allocation_failure(void **state)
{
	const char st[] = "Package: runc\nStatus: install ok installed\nVersion: 1.1.5+ds1-1\n\n"
			  "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n"
			  "Package: containerd\nStatus: install ok installed\nVersion: 1.6.20~ds1-1\n";
	static const struct rule r = {"9.9", SEV_HIGH, "cis", "t", "why", "fix", {"cis:9.9", NULL}, NULL, NULL, 0};
	long n;

	(void)state;
	for (n = 1; n < 10000; n++) {
		struct arena a;
		struct img_pkg *p = NULL;
		size_t np = 0, i;
		struct ds_err err = {0};
		struct finding res = {.rule = &r, .status = ST_WARN, .severity = SEV_HIGH, .message = "x\ny"};
		struct rpt_checks c = {.v = &res, .n = 1, .host = "h", .api = "1.43", .engine = "24"};
		struct rpt_opts o = {.command = "audit", .checks = &c};
		struct buf b = BUF_INIT;
		bool whole;
		int rc;

		arena_init(&a, 0);
		ds_alloc_fail_at(n);
		rc = img_dpkg_status(&a, st, &p, &np, &err);
		if (rc == 0) {
			rpt_json_checks(&b, &c, &o);
			rpt_sarif_checks(&b, &c, &o);
			rpt_junit_checks(&b, &c, &o);
			rpt_docker_bench(&b, &c, &o);
			rpt_text_checks(&b, &c, &o);
		}
		ds_alloc_fail_at(0);
		assert_true(rc == 0 || rc == DS_ENOMEM);
		for (i = 0; i < np; i++)
			assert_non_null(p[i].name);
		whole = rc == 0 && buf_ok(&b);
		if (whole) {
			assert_int_equal(np, 2);
			assert_string_equal(p[0].name, "containerd");
			assert_string_equal(img_pkg_find(p, np, "runc")->version, "1.1.5+ds1-1");
			assert_null(img_pkg_find(p, np, "gone"));
		}
		buf_release(&b);
		arena_release(&a);
		if (whole)
			break;
	}
	assert_true(n > 3);
	assert_true(n < 10000);
}

/* An OSV record and the three whitelist formats, every allocation failed in turn */
/* A buffer with a sink writes what it holds once it passes BUF_SPILL, before
 * the next append: it never holds much more, the last append stays in it (a
 * writer may take its last byte back), and the bytes out are the bytes in. */
static void test_buf_sink_writes_as_it_grows(void **state)
{
	struct buf b = BUF_INIT;
	FILE *f = tmpfile(), *full = fopen("/dev/full", "w");
	char want[300000], got[sizeof(want) + 1];
	size_t n = 0, most = 0;

	(void)state;
	assert_non_null(f);
	buf_sink(&b, f);
	while (n + 40 < sizeof(want)) {
		int k = snprintf(want + n, sizeof(want) - n, "{\"package\":%zu}\n", n);
		buf_addf(&b, "{\"package\":%zu}x", n);
		b.n--; /* taken back, as report_sarif.c does */
		buf_addc(&b, '\n');
		n += (size_t)k;
		most = b.n > most ? b.n : most;
	}
	assert_true(most < BUF_SPILL + 64);
	assert_int_equal(buf_flush(&b), 0);
	assert_int_equal(b.n, 0);
	rewind(f);
	assert_int_equal(fread(got, 1, sizeof(got), f), n);
	assert_memory_equal(got, want, n);
	fclose(f);
	buf_release(&b);
	if (full) { /* a failed write sticks, and stops the appends */
		setvbuf(full, NULL, _IONBF, 0);
		buf_sink(&b, full);
		for (n = 0; n < 100000; n++)
			buf_adds(&b, "0123456789");
		assert_true(b.n < BUF_SPILL + 16);
		assert_int_equal(buf_flush(&b), DS_EWRITE);
		buf_release(&b);
		fclose(full);
	}
}

static void test_osv_and_whitelists_survive_every_allocation_failure(void **state)
{
	static const char rec[] =
		"{\"id\":\"GHSA-x\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[\"CVE-1\"],\"upstream\":[\"CVE-2\"],"
		"\"summary\":\"s\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
		"\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"A_b\"},\"ranges\":[{\"type\":\"ECOSYSTEM\","
		"\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.2\"}]}],\"versions\":[\"1.0\"]}],"
		"\"references\":[{\"url\":\"https://x\"}]}";
	static const char *const lists[][2] = {
		{"w.yml", "generalwhitelist:\n  CVE-1: a\nimages:\n  x:\n    CVE-2: b\n"},
		{"w.yaml", "ignore:\n  - id: CVE-3\n    reason: r\n    expires: 2030-01-01\n"},
		{".trivyignore", "CVE-4\nCVE-5 exp:2030-01-01\n"},
		{".trivyignore.yaml", "vulnerabilities:\n  - id: CVE-6\n    purls: [pkg:npm/a, pkg:npm/b]\n"
				      "    paths: [\"a/{b,c{d,e}}/**\", x]\n"},
	};
	long n;
	size_t k;

	(void)state;
	json_set_alloc_funcs(ds_malloc, ds_free);
	for (n = 1; n < 10000; n++) {
		struct arena a;
		struct vdb_record r;
		struct vdb_allowlist l = {0};
		struct ds_err err = {0};
		int rc;

		arena_init(&a, 0);
		ds_alloc_fail_at(n);
		rc = vdb_osv_parse(&a, "r.json", rec, sizeof(rec) - 1, &r, &err);
		for (k = 0; !rc && k < DS_ARRAY_SIZE(lists); k++)
			rc = vdb_allow_load(&l, &a, lists[k][0], lists[k][1], strlen(lists[k][1]), "2026-01-01", &err);
		ds_alloc_fail_at(0);
		if (rc != 0 && rc != DS_ENOMEM)
			fail_msg("allocation %ld: %d (%s)", n, rc, err.msg);
		if (!rc)
			assert_int_equal(l.v[5].npaths, 4); /* before the arena holding it goes */
		arena_release(&a);
		if (!rc) {
			assert_int_equal(l.n, 6);
			assert_int_equal(r.naliases, 2);
			break;
		}
	}
	assert_true(n > 10);
	assert_true(n < 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_and_check_reports_survive_every_allocation_failure),
		cmocka_unit_test(test_lint_survives_every_allocation_failure),
		cmocka_unit_test(test_config_survives_every_allocation_failure),
		cmocka_unit_test(test_osv_and_whitelists_survive_every_allocation_failure),
		cmocka_unit_test(test_buf_sink_writes_as_it_grows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
