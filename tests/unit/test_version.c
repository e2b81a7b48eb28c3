/*
 * test_version.c - version ordering per scheme: dpkg and rpm against the
 * upstream projects' own test vectors (../shared/reference/version-vectors,
 * read in place), plus the cases docksec's escape checks depend on, which
 * are written here so the test cannot pass on an empty vector file.
 */
#include "unit.h"
#include "image/version/version.h"
#include <stdio.h>

static int sign(int c)
{
	return c < 0 ? -1 : c > 0;
}

/* Every "a<TAB>b<TAB>expected" line of a vector file; returns the count. */
static size_t vectors(const char *name, int (*cmp)(const char *, const char *))
{
	char path[256], line[512];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "../shared/reference/version-vectors/%s", name);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *a = line, *b, *e;
		if (line[0] == '#' || !(b = strchr(a, '\t')))
			continue;
		*b++ = 0;
		if (!(e = strchr(b, '\t')))
			continue;
		*e++ = 0;
		if (sign(cmp(a, b)) != (int)strtol(e, NULL, 10))
			fail_msg("%s: %s vs %s: got %d, want %s", name, a, b, cmp(a, b), e);
		n++;
	}
	fclose(f);
	print_message("%s: %zu vectors\n", name, n);
	return n;
}

static void test_dpkg_ordering(void **state)
{
	(void)state;
	/* Debian 12's runc carries the CVE-2024-21626 fix in this revision */
	assert_true(ver_dpkg_cmp("1.1.5+ds1-1+deb12u1", "1.1.5+ds1-1") > 0);
	assert_int_equal(ver_dpkg_cmp("1.1.5+ds1-1+deb12u1", "1.1.5+ds1-1+deb12u1"), 0);
	assert_true(ver_dpkg_cmp("1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u6") < 0);
	assert_true(ver_dpkg_cmp("9.9p1-1", "1:9.2p1-2") < 0); /* the epoch wins */
	assert_true(ver_dpkg_cmp("1.0~rc93+ds1-5+deb11u3", "1.0.0") < 0);
	assert_true(ver_dpkg_cmp("6.1.76-1", "6.1.27-1") > 0);
	assert_true(ver_dpkg_cmp("1.0~rc1", "1.0") < 0);
	assert_true(ver_dpkg_cmp("20231231000000000000000000000001", "20231231000000000000000000000002") < 0);
	assert_true(ver_dpkg_valid("1:9.2p1-2+deb12u3") && ver_dpkg_valid("1.0") && ver_dpkg_valid("0:0:0-0"));
	assert_false(ver_dpkg_valid("") || ver_dpkg_valid("a1.0") || ver_dpkg_valid("x:1.0") ||
		     ver_dpkg_valid("1.0-") || ver_dpkg_valid("1.0 2"));
	if (!vectors("dpkg.tsv", ver_dpkg_cmp))
		print_message("dpkg.tsv not found: built-in cases only\n");
}

static void test_rpm_ordering(void **state)
{
	(void)state;
	assert_true(ver_rpm_cmp("1.0^git1", "1.0") > 0);
	assert_true(ver_rpm_cmp("1.0~rc1", "1.0") < 0);
	assert_true(ver_rpm_cmp("1:1.0-1", "2.0-1") > 0);
	assert_true(ver_rpm_cmp("3.0.7-16.el9_2", "3.0.7-16.el9") > 0);
	assert_true(ver_rpm_cmp("a", "1") < 0);
	if (!vectors("rpm.tsv", ver_rpm_cmp))
		print_message("rpm.tsv not found: built-in cases only\n");
}

static void test_upstream_ordering(void **state)
{
	(void)state;
	assert_true(ver_upstream_cmp("1.1.5", "1.1.12") < 0);
	assert_true(ver_upstream_cmp("v1.1.12", "1.1.12") == 0);
	assert_true(ver_upstream_cmp("1.0.0-rc93", "1.0.0-rc95") < 0);
	assert_true(ver_upstream_cmp("1.0.0-rc95", "1.0.0") < 0);
	assert_true(ver_upstream_cmp("1.4.0-rc.2", "1.4.0-rc.3") < 0);
	assert_true(ver_upstream_cmp("1.4.0-rc.3", "1.4.0") < 0);
	assert_true(ver_upstream_cmp("1.0-rc6", "1.0.0-rc95") < 0);
	assert_true(ver_upstream_cmp("27.1.1+dfsg", "27.1.1") == 0);
	assert_true(ver_upstream_cmp("6.18.44-fc-v973", "6.2") > 0);
	assert_true(ver_upstream_cmp("5.10.102", "5.10.92") > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_ordering),
		cmocka_unit_test(test_rpm_ordering),
		cmocka_unit_test(test_upstream_ordering),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
