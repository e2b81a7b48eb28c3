/*
 * test_version.c - version ordering per scheme: dpkg, rpm, semver, PEP 440
 * and apk against the upstream projects' own test vectors
 * (../shared/reference/version-vectors, read in place), plus the cases
 * docksec's checks depend on, written here so the test cannot pass on an
 * empty vector file; and PEP 440 and dpkg against the real tools on
 * random pairs (tests/unit/version_pairs.py: pypa/packaging, dpkg, rpm's
 * labelCompare, npm's semver, RubyGems, Maven's own ComparableVersion).
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

/* Each a and b both ways: cmp(a, b) = want and cmp(b, a) = -want. */
static void both(int (*cmp)(const char *, const char *), const char *a, const char *b, int want)
{
	if (sign(cmp(a, b)) != want || sign(cmp(b, a)) != -want)
		fail_msg("%s vs %s: got %d and %d, want %d", a, b, cmp(a, b), cmp(b, a), want);
}

static void test_semver_ordering(void **state)
{
	(void)state;
	both(ver_semver_cmp, "1.0.0-alpha", "1.0.0-alpha.1", -1); /* semver.org's own list */
	both(ver_semver_cmp, "1.0.0-alpha.1", "1.0.0-alpha.beta", -1);
	both(ver_semver_cmp, "1.0.0-alpha.beta", "1.0.0-beta", -1);
	both(ver_semver_cmp, "1.0.0-beta.2", "1.0.0-beta.11", -1);
	both(ver_semver_cmp, "1.0.0-rc.1", "1.0.0", -1);
	both(ver_semver_cmp, "1.0.0+build.5", "1.0.0", 0);
	both(ver_semver_cmp, "v2.0.0+incompatible", "v2.0.0", 0); /* Go */
	both(ver_semver_cmp, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.1", -1);
	both(ver_semver_cmp, "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3", 1);
	both(ver_semver_cmp, "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4", -1);
	both(ver_semver_cmp, "v0.0.0-20200101000000-aaaaaaaaaaaa", "v0.0.0-20191109021931-daa7c04131f5", 1);
	both(ver_semver_cmp, "1.10.0", "1.9.99", 1);
	both(ver_semver_cmp, "18446744073709551616.0.0", "18446744073709551615.0.0", 1); /* no overflow */
	if (!vectors("semver.tsv", ver_semver_cmp))
		print_message("semver.tsv not found: built-in cases only\n");
}

static void test_pep440_ordering(void **state)
{
	static const char *const sorted[] = {"1.0.dev456", "1.0a1",	   "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
					     "1.0b1.dev456", "1.0b2",	   "1.0b2.post345.dev456", "1.0b2.post345",
					     "1.0rc1.dev456", "1.0rc1", "1.0",	   "1.0+abc.5",	  "1.0+abc.7",
					     "1.0+5",	      "1.0.post456.dev34", "1.0.post456", "1.1.dev1", "1!0.1"};
	size_t i;

	(void)state;
	for (i = 0; i + 1 < DS_ARRAY_SIZE(sorted); i++) /* PEP 440's own example order */
		both(ver_pep440_cmp, sorted[i], sorted[i + 1], -1);
	both(ver_pep440_cmp, "1.0RC1", "1.0rc1", 0);
	both(ver_pep440_cmp, "1.0-post-1", "1.0.post1", 0);
	both(ver_pep440_cmp, "1.0.0", "1", 0);
	both(ver_pep440_cmp, "2.0.0", "10.0", -1);
	both(ver_pep440_cmp, "1.0", "not a version", -1);
	if (!vectors("pep440.tsv", ver_pep440_cmp))
		print_message("pep440.tsv not found: built-in cases only\n");
}

/* apk-tools' own file: "a OP b" lines, OP one of < = > */
static size_t apk_vectors(void)
{
	FILE *f = fopen("../shared/reference/version-vectors/apk.tsv", "r");
	char line[512], a[200], op[4], b[200];
	size_t n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		int want;
		if (line[0] == '#' || sscanf(line, "%199s %3s %199s", a, op, b) != 3)
			continue;
		want = op[0] == '<' ? -1 : op[0] == '>' ? 1 : 0;
		both(ver_apk_cmp, a, b, want);
		n++;
	}
	fclose(f);
	print_message("apk.tsv: %zu vectors\n", n);
	return n;
}

static void test_apk_ordering(void **state)
{
	(void)state;
	both(ver_apk_cmp, "3.0.8-r0", "3.0.8-r1", -1);
	both(ver_apk_cmp, "1.2.3_rc1", "1.2.3", -1);
	both(ver_apk_cmp, "1.2.3_p1", "1.2.3", 1);
	both(ver_apk_cmp, "1.2.3a", "1.2.3", 1);
	both(ver_apk_cmp, "1.06", "1.1", -1);
	both(ver_apk_cmp, "2.36.1-r1", "2.36.1-r1", 0);
	both(ver_apk_cmp, "1_alpha", "1_beta", -1);
	if (!apk_vectors())
		print_message("apk.tsv not found: built-in cases only\n");
}

/* RubyGems' own cases (test_gem_version.rb's spirit, written here) */
static void test_gem_ordering(void **state)
{
	(void)state;
	both(ver_gem_cmp, "1.0", "1", 0);		 /* trailing zeros */
	both(ver_gem_cmp, "1.0.a", "1.0", -1);	 /* a pre-release before its release */
	both(ver_gem_cmp, "1.0.0.1", "1.0", 1);
	both(ver_gem_cmp, "1.0.a.0", "1.0.a", 0);	 /* zeros after the string dropped too */
	both(ver_gem_cmp, "1.0-rc1", "1.0.pre.rc1", 0); /* "-" is ".pre." */
	both(ver_gem_cmp, "1.0.rc1", "1.0.beta", 1);	 /* strings by bytes */
	both(ver_gem_cmp, "1.0.b1", "1.0.a2", 1);
	both(ver_gem_cmp, "1.9.3", "1.10.0", -1);	 /* numbers by value */
	both(ver_gem_cmp, "2.2.4", "2.2.8", -1);
	both(ver_gem_cmp, "5.a", "5.0.0.rc2", -1);	 /* [5,"a"] against [5,"rc",2]: the zeros before a string go */
	both(ver_gem_cmp, "1.01", "1.1", 0);
	both(ver_gem_cmp, "", "0", 0);
	both(ver_gem_cmp, " 1.2 ", "1.2", 0);
	both(ver_gem_cmp, "1..2", "1.2", 1);		 /* not a version: after every valid one */
	both(ver_gem_cmp, "junk", "999", 1);
}

/* Maven's documented order (the ComparableVersion javadoc's examples, written here) */
static void test_maven_ordering(void **state)
{
	(void)state;
	both(ver_maven_cmp, "1-alpha", "1-beta", -1);
	both(ver_maven_cmp, "1-beta", "1-milestone", -1);
	both(ver_maven_cmp, "1-milestone", "1-rc", -1);
	both(ver_maven_cmp, "1-rc", "1-snapshot", -1);
	both(ver_maven_cmp, "1-snapshot", "1", -1);
	both(ver_maven_cmp, "1", "1-sp", -1);
	both(ver_maven_cmp, "1-sp", "1-foo", -1);     /* an unknown qualifier after sp */
	both(ver_maven_cmp, "1-foo", "1.1", -1);
	both(ver_maven_cmp, "1.0", "1", 0);	      /* trailing zeros */
	both(ver_maven_cmp, "1.0-final", "1", 0);     /* final, ga, release are the release */
	both(ver_maven_cmp, "1-ga", "1", 0);
	both(ver_maven_cmp, "1-cr1", "1-rc1", 0);     /* cr is rc */
	both(ver_maven_cmp, "1-a1", "1-alpha-1", 0);  /* a followed by a digit */
	both(ver_maven_cmp, "1.0.RC1", "1-rc-1", 0);  /* a string after a number starts a sublist */
	both(ver_maven_cmp, "2.17.0", "2.14.1", 1);
	both(ver_maven_cmp, "1.9", "1.10", -1);
	both(ver_maven_cmp, "1-SNAPSHOT", "1-snapshot", 0);
	both(ver_maven_cmp, "1-1", "1", 1);	      /* a sublist is above the release */
	both(ver_maven_cmp, "999999999999999999999", "1000000000", 1);
}

/* Random pairs ordered by the scheme's real tool (tests/unit/version_pairs.py):
 * every one must agree. Returns the count (0: the tool is not here). */
static size_t against_tool(const char *scheme, size_t n, int (*cmp)(const char *, const char *))
{
	char cmd[256], line[1024];
	FILE *p;
	size_t k = 0, bad = 0;

	snprintf(cmd, sizeof(cmd), "python3 tests/unit/version_pairs.py %s %zu 42 2>/dev/null", scheme, n);
	if (!(p = popen(cmd, "r")))
		return 0;
	while (fgets(line, sizeof(line), p)) {
		char *a = line, *b = strchr(a, '\t'), *w;
		if (!b || !(w = strchr(b + 1, '\t')))
			continue;
		*b++ = 0;
		*w++ = 0;
		k++;
		if (sign(cmp(a, b)) != (int)strtol(w, NULL, 10) && bad++ < 5)
			print_message("%s: %s vs %s: docksec %d, the tool %s", scheme, a, b, sign(cmp(a, b)), w);
	}
	pclose(p);
	if (bad)
		fail_msg("%s: %zu of %zu random pairs disagree with the real tool", scheme, bad, k);
	print_message("%s: %zu random pairs agree with the real tool\n", scheme, k);
	return k;
}

static void test_against_real_tools(void **state)
{
	(void)state;
	if (!against_tool("pep440", 20000, ver_pep440_cmp))
		print_message("pep440: python3-packaging not found, random pairs skipped\n");
	if (!against_tool("dpkg", 500, ver_dpkg_cmp))
		print_message("dpkg: dpkg --compare-versions not found, random pairs skipped\n");
	if (!against_tool("semver", 20000, ver_semver_cmp))
		print_message("semver: node and node-semver not found, random pairs skipped\n");
	if (!against_tool("rpm", 20000, ver_rpm_cmp))
		print_message("rpm: python3-rpm not found, random pairs skipped\n");
	if (!against_tool("gem", 20000, ver_gem_cmp))
		print_message("gem: ruby not found, random pairs skipped\n");
	if (!against_tool("maven", 20000, ver_maven_cmp))
		print_message("maven: java or the maven-artifact jar not found, random pairs skipped\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_ordering),
		cmocka_unit_test(test_rpm_ordering),
		cmocka_unit_test(test_upstream_ordering),
		cmocka_unit_test(test_semver_ordering),
		cmocka_unit_test(test_pep440_ordering),
		cmocka_unit_test(test_apk_ordering),
		cmocka_unit_test(test_gem_ordering),
		cmocka_unit_test(test_maven_ordering),
		cmocka_unit_test(test_against_real_tools),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
