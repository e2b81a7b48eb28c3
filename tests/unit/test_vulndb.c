/*
 * test_vulndb.c - the vulnerability database's pieces: CVSS base scores
 * (vectors with the scores NVD publishes for them), OSV records into the
 * stored fields (severity sources, aliases, PyPI names, refused shapes),
 * the range evaluation per ecosystem (backports, epochs, ~ pre-releases,
 * last_affected, several ranges, versions lists, GIT and unordered
 * ranges), and the three whitelist formats with expiry.
 */
#include "unit.h"
#include "vulndb/vulndb.h"
#include "core/buf.h"
#include <glob.h>
#include <math.h>
#include <stdio.h>

/* Every one of the 104,976 CVSS v4.0 base vectors, in the order of
 * their metrics and values below, scored and folded into a sum and an
 * FNV-1a hash of the scores in tenths; the two figures are those of
 * FIRST's calculator (cvss-v4-calculator, August 2024) with the rounding
 * of its floating-point error corrected, run over the same vectors. */
static void test_cvss4_every_vector(void **state)
{
	static const char *const name[] = {"AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"};
	static const char *const vals[] = {"NALP", "LH", "NP", "NLH", "NPA", "HLN", "HLN", "HLN", "HLN", "HLN", "HLN"};
	int idx[11] = {0}, i, n = 0;
	unsigned long long h = 0xcbf29ce484222325ULL, sum = 0;

	(void)state;
	for (;;) {
		char v[128] = "CVSS:4.0";
		size_t len = strlen(v);
		double sc;
		for (i = 0; i < 11; i++)
			len += (size_t)snprintf(v + len, sizeof(v) - len, "/%s:%c", name[i], vals[i][idx[i]]);
		sc = vdb_cvss_score(v);
		if (sc < 0 || sc > 10)
			fail_msg("%s: %.1f", v, sc);
		sum += (unsigned long long)llround(sc * 10);
		h = (h ^ (unsigned long long)llround(sc * 10)) * 0x100000001b3ULL;
		n++;
		for (i = 10; i >= 0 && !vals[i][++idx[i]]; i--)
			idx[i] = 0;
		if (i < 0)
			break;
	}
	assert_int_equal(n, 104976);
	assert_int_equal(sum, 5964883);
	assert_int_equal(h, 0x5ddefebf6dbbe1daULL);
}

static void test_cvss_scores(void **state)
{
	static const struct {
		const char *v;
		double score;
	} t[] = {
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8}, /* CVE-2021-44228's v3 vector is S:C */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
		{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2},  /* GHSA-35jh-r3h4-6jhm */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},  /* the usual XSS */
		{"CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5},
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9},
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4},
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5},
		{"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O", 9.8}, /* temporal metrics: base unchanged */
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5},
		{"AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3},
		{"(AV:L/AC:L/Au:N/C:C/I:C/A:C)", 7.2},
		{"AV:N/AC:L/Au:N/C:N/I:N/A:N", 0.0},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", -1},	   /* A missing */
		{"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", -1}, /* repeated */
		{"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", -1},	   /* unknown value */
		/* v4 (CVSS-B), each checked against FIRST's calculator with its
		 * floating-point rounding corrected (0.000001 added, as
		 * FIRST's later calculator and Red Hat's cvss library do) */
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:N", 9.9},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L", 9.2},
		{"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5},
		{"CVSS:4.0/AV:A/AC:L/AT:P/PR:L/UI:P/VC:L/VI:N/VA:N/SC:N/SI:L/SA:L", 1.0},
		{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N", 2.1},
		{"CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:N/VC:N/VI:N/VA:L/SC:H/SI:H/SA:L", 4.7},
		{"CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:A/VC:H/VI:H/VA:H/SC:L/SI:N/SA:N", 5.4}, /* EQ3 0, EQ6 0: two ways down */
		{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L", 1.0},
		{"CVSS:4.0/AV:P/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0}, /* no impact */
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H", 8.6}, /* 8.55 less a float error */
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:H/VA:N/SC:H/SI:H/SA:H", 8.6},
		/* threat, environmental and supplemental metrics: the base score */
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/MAV:P/S:N/U:Amber", 9.3},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", -1},	       /* SA missing */
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", -1},      /* S only in MSI */
		{"CVSS:4.0/AV:N/AC:L/AT:N/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", -1}, /* repeated */
		{"CVSS:4.1/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", -1},      /* unknown version */
		{"garbage", -1},
		{"", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		double got = vdb_cvss_score(t[i].v);
		if (got < t[i].score - 0.001 || got > t[i].score + 0.001)
			fail_msg("%s: got %.1f, want %.1f", t[i].v, got, t[i].score);
	}
	assert_int_equal(vdb_cvss_rating(9.8, false), SEV_CRITICAL);
	assert_int_equal(vdb_cvss_rating(9.8, true), SEV_HIGH); /* v2 has no critical */
	assert_int_equal(vdb_cvss_rating(7.0, false), SEV_HIGH);
	assert_int_equal(vdb_cvss_rating(6.9, false), SEV_MEDIUM);
	assert_int_equal(vdb_cvss_rating(0.1, false), SEV_LOW);
}

static int parse(struct arena *a, const char *json, struct vdb_record *r)
{
	struct ds_err err = {0};

	return vdb_osv_parse(a, "t.json", json, strlen(json), r, &err);
}

static void test_osv_record(void **state)
{
	struct arena a;
	struct vdb_record r;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse(&a,
			       "{\"id\":\"GHSA-x\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[\"CVE-1\"],"
			       "\"upstream\":[\"CVE-1\",\"CVE-2\"],\"related\":[\"RHSA-3\"],\"details\":\"first line\\nsecond\","
			       "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
			       "\"database_specific\":{\"severity\":\"LOW\"},"
			       "\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Foo_Bar.baz\"},"
			       "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.2\"}]}],"
			       "\"versions\":[\"1.0\"]}],\"references\":[{\"type\":\"WEB\",\"url\":\"https://x/1\"}]}",
			       &r),
			 0);
	assert_string_equal(r.id, "GHSA-x");
	assert_string_equal(r.summary, "first line");
	assert_int_equal(r.naliases, 3); /* CVE-1, CVE-2, RHSA-3: each once */
	assert_string_equal(r.severity, "critical"); /* the CVSS vector beats the database's word */
	assert_string_equal(r.severity_from, "CVSS_V3");
	assert_int_equal(r.naffected, 1);
	assert_string_equal(r.affected[0].name, "foo-bar-baz");
	assert_string_equal(r.affected[0].ranges, "R ECOSYSTEM\ni 0\nf 1.2\nv 1.0\n");
	assert_string_equal(r.refs, "https://x/1");

	/* Debian's urgency, the most severe of the entries */
	assert_int_equal(parse(&a,
			       "{\"id\":\"D\",\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"a\"},"
			       "\"ecosystem_specific\":{\"urgency\":\"low\"}},{\"package\":{\"ecosystem\":\"Debian:11\","
			       "\"name\":\"a\"},\"ecosystem_specific\":{\"urgency\":\"high\"}}]}",
			       &r),
			 0);
	assert_string_equal(r.severity, "high");
	/* Red Hat family: the summary's prefix */
	assert_int_equal(parse(&a, "{\"id\":\"ALSA-1\",\"summary\":\"Important: kernel security update\"}", &r), 0);
	assert_string_equal(r.severity, "high");
	{ /* which source rates a record, and the CVSS score kept beside it */
#define V3 "{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}"
#define DEB(u) "\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"a\"},\"ecosystem_specific\":{\"urgency\":\"" u "\"}}]"
		static const struct {
			const char *json, *severity, *from;
			double score;
		} t[] = {
			/* v4 over v3 and over the database's word */
			{"{\"id\":\"V4\",\"severity\":[" V3 ",{\"type\":\"CVSS_V4\",\"score\":\"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/"
			 "UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"}],\"database_specific\":{\"severity\":\"CRITICAL\"}}",
			 "high", "CVSS_V4", 8.5},
			/* an invalid v4 vector is passed over for the v3 one */
			{"{\"id\":\"V4B\",\"severity\":[{\"type\":\"CVSS_V4\",\"score\":\"CVSS:4.0/AV:N\"}," V3 "]}", "critical",
			 "CVSS_V3", 9.8},
			/* the distribution's own rating over the CVSS score, which is
			 * kept: Ubuntu's priority, Debian's urgency ("not yet
			 * assigned" is none) */
			{"{\"id\":\"UBUNTU-CVE-1\",\"severity\":[" V3 ",{\"type\":\"Ubuntu\",\"score\":\"low\"}]}", "low", "Ubuntu",
			 9.8},
			{"{\"id\":\"DEBIAN-CVE-1\",\"severity\":[" V3 "]," DEB("unimportant") "}", "info", "ecosystem_specific", 9.8},
			{"{\"id\":\"DEBIAN-CVE-2\",\"severity\":[" V3 "]," DEB("not yet assigned") "}", "critical", "CVSS_V3", 9.8},
		};
#undef V3
#undef DEB
		size_t i;
		for (i = 0; i < DS_ARRAY_SIZE(t); i++) {
			assert_int_equal(parse(&a, t[i].json, &r), 0);
			if (strcmp(r.severity, t[i].severity) || strcmp(r.severity_from, t[i].from) ||
			    fabs(r.score - t[i].score) > 0.01)
				fail_msg("%s: %s from %s (%.1f)", t[i].json, r.severity, r.severity_from, r.score);
		}
		assert_true(!strncmp(r.vector, "CVSS:3.1/", 9));
	}
	/* none: not rated */
	assert_int_equal(parse(&a, "{\"id\":\"GO-1\",\"summary\":\"a bug\"}", &r), 0);
	assert_null(r.severity);
	assert_true(r.score < 0);
	/* withdrawn is kept for the importer to act on */
	assert_int_equal(parse(&a, "{\"id\":\"W\",\"withdrawn\":\"2024-01-01T00:00:00Z\"}", &r), 0);
	assert_non_null(r.withdrawn);

	/* refused shapes */
	assert_int_equal(parse(&a, "[]", &r), DS_EPARSE);
	assert_int_equal(parse(&a, "{\"id\":1}", &r), DS_EPARSE);
	assert_int_equal(parse(&a, "{\"id\":\"a\",\"id\":\"b\"}", &r), DS_EPARSE); /* duplicate key */
	assert_int_equal(parse(&a, "{\"id\":\"a\\u0007\"}", &r), DS_EPARSE);	  /* control character */
	assert_int_equal(parse(&a, "{\"id\":\"a\",\"affected\":{}}", &r), DS_EPARSE);
	assert_int_equal(parse(&a, "{\"id\":\"a\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\"}}]}", &r), DS_EPARSE);
	assert_int_equal(parse(&a,
			       "{\"id\":\"a\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
			       "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":1}]}]}]}",
			       &r),
			 DS_EPARSE);
	assert_int_equal(parse(&a,
			       "{\"id\":\"a\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
			       "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1\"}]}]}]}",
			       &r),
			 DS_EPARSE); /* two events in one object */
	assert_int_equal(parse(&a,
			       "{\"id\":\"a\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
			       "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":\"1\\n2\"}]}]}]}",
			       &r),
			 DS_EPARSE); /* a version with a newline */
	arena_release(&a);
}

#define R1(type, ev) "R " type "\n" ev

static int aff(struct arena *a, const char *eco, const char *ranges, const char *v, const char **fixed)
{
	return vdb_affects(a, eco, ranges, v, fixed, NULL);
}

static void test_ranges(void **state)
{
	struct arena a;
	const char *fx;
	struct vdb_match_stats st = {0};

	(void)state;
	arena_init(&a, 0);
	/* dpkg: a backported fix in a stable update, and the revision before it */
	const char *deb = R1("ECOSYSTEM", "i 0\nf 3.0.11-1~deb12u1\n");
	assert_int_equal(aff(&a, "Debian:12", deb, "3.0.9-1", &fx), 1);
	assert_string_equal(fx, "3.0.11-1~deb12u1");
	assert_int_equal(aff(&a, "Debian:12", deb, "3.0.11-1~deb12u1", &fx), 0);
	assert_int_equal(aff(&a, "Debian:12", deb, "3.0.11-1~deb12u2", &fx), 0);
	assert_int_equal(aff(&a, "Debian:12", deb, "3.0.11-1~deb11u1", &fx), 1); /* deb11u1 < deb12u1 */
	assert_int_equal(aff(&a, "Debian:12", deb, "3.0.11-1", &fx), 0);	    /* ~ sorts before the end */
	/* the same numbers as plain versions would say 1.1.5 < 1.1.12: dpkg says so too, but +deb revisions count */
	const char *bp = R1("ECOSYSTEM", "i 0\nf 1.1.5+ds1-1+deb12u1\n");
	assert_int_equal(aff(&a, "Debian:12", bp, "1.1.5+ds1-1", &fx), 1);
	assert_int_equal(aff(&a, "Debian:12", bp, "1.1.5+ds1-1+deb12u1", &fx), 0);
	/* epochs: 1:2.0 is newer than 3.0 */
	const char *ep = R1("ECOSYSTEM", "i 0\nf 1:2.0-1\n");
	assert_int_equal(aff(&a, "Debian:12", ep, "3.0-1", &fx), 1);
	assert_int_equal(aff(&a, "Debian:12", ep, "1:2.0-1", &fx), 0);
	/* rpm with an epoch in the fixed version (AlmaLinux) */
	const char *alma = R1("ECOSYSTEM", "i 0\nf 1:3.5.5-2.el9_8\n");
	assert_int_equal(aff(&a, "AlmaLinux:9", alma, "1:3.0.7-27.el9", &fx), 1);
	assert_int_equal(aff(&a, "AlmaLinux:9", alma, "1:3.5.5-2.el9_8", &fx), 0);
	/* apk: -rN revisions */
	const char *apk = R1("ECOSYSTEM", "i 0\nf 1.27.2-r4\n");
	assert_int_equal(aff(&a, "Alpine:v3.11", apk, "1.27.2-r3", &fx), 1);
	assert_int_equal(aff(&a, "Alpine:v3.11", apk, "1.27.2-r11", &fx), 0); /* r11 > r4: numbers, not text */
	/* Go's two ranges in one: 1.19.x fixed in 1.19.9, 1.20.x in 1.20.4 */
	const char *go = R1("SEMVER", "i 0\nf 1.19.9\ni 1.20.0-0\nf 1.20.4\n");
	assert_int_equal(aff(&a, "Go", go, "1.19.8", &fx), 1);
	assert_string_equal(fx, "1.19.9");
	assert_int_equal(aff(&a, "Go", go, "1.19.9", &fx), 0);
	assert_int_equal(aff(&a, "Go", go, "1.20.0", &fx), 1);
	assert_string_equal(fx, "1.20.4");
	assert_int_equal(aff(&a, "Go", go, "v1.20.4", &fx), 0);
	assert_int_equal(aff(&a, "Go", go, "1.21.0", &fx), 0);
	/* events in any order in the record */
	const char *unsorted = R1("ECOSYSTEM", "f 2.0.0\ni 1.5.0\n");
	assert_int_equal(aff(&a, "npm", unsorted, "1.4.9", &fx), 0);
	assert_int_equal(aff(&a, "npm", unsorted, "1.9.0", &fx), 1);
	/* last_affected: affected up to and including it, no fixed version */
	const char *last = R1("ECOSYSTEM", "i 1.0\nl 1.4\n");
	assert_int_equal(aff(&a, "PyPI", last, "1.4", &fx), 1);
	assert_null(fx);
	assert_int_equal(aff(&a, "PyPI", last, "1.4.post1", &fx), 0);
	assert_int_equal(aff(&a, "PyPI", last, "0.9", &fx), 0);
	/* PEP 440: a pre-release of the fix is still before it */
	const char *py = R1("ECOSYSTEM", "i 0\nf 5.4\n");
	assert_int_equal(aff(&a, "PyPI", py, "5.4b2", &fx), 1);
	assert_int_equal(aff(&a, "PyPI", py, "5.4", &fx), 0);
	/* only introduced: every later version, unfixed */
	const char *open = R1("ECOSYSTEM", "i 2.0\n");
	assert_int_equal(aff(&a, "crates.io", open, "3.1.0", &fx), 1);
	assert_null(fx);
	/* several ranges in one entry: each judged on its own */
	const char *two = "R ECOSYSTEM\ni 0\nf 1.0\nR ECOSYSTEM\ni 2.0\nf 2.5\n";
	assert_int_equal(aff(&a, "npm", two, "1.5.0", &fx), 0);
	assert_int_equal(aff(&a, "npm", two, "2.1.0", &fx), 1);
	assert_string_equal(fx, "2.5");
	assert_int_equal(aff(&a, "npm", two, "0.9.0", &fx), 1);
	assert_string_equal(fx, "1.0");
	/* a last line without its newline (a database is input too) */
	assert_int_equal(aff(&a, "npm", "R ECOSYSTEM\ni 0\nf 1.0", "0.5.0", &fx), 1);
	assert_string_equal(fx, "1.0");
	assert_int_equal(aff(&a, "npm", "", "0.5.0", &fx), 0);
	assert_int_equal(aff(&a, "npm", "R\nR \ni\nf \n", "0.5.0", &fx), 0);
	/* a versions list alone */
	assert_int_equal(aff(&a, "PyPI", "v 3.13b1\n", "3.13b1", &fx), 1);
	assert_int_equal(aff(&a, "PyPI", "v 3.13b1\n", "3.13", &fx), 0);
	/* GIT ranges are counted, never judged */
	assert_int_equal(vdb_affects(&a, "Go", R1("GIT", "i 0\nf abc\n"), "1.0.0", &fx, &st), 0);
	assert_int_equal(st.git_ranges, 1);
	/* Maven: ComparableVersion's order (2.14.1 < 2.17.0; 2.17.0-rc1 before 2.17.0) */
	assert_int_equal(aff(&a, "Maven", R1("ECOSYSTEM", "i 0\nf 2.17.0\n"), "2.14.1", &fx), 1);
	assert_int_equal(aff(&a, "Maven", R1("ECOSYSTEM", "i 0\nf 2.17.0\n"), "2.17.0-rc1", &fx), 1);
	assert_int_equal(aff(&a, "Maven", R1("ECOSYSTEM", "i 0\nf 2.17.0\n"), "2.17.0.Final", &fx), 0);
	/* an ecosystem without an ordering here: an exact version in the list counts, a range is reported unjudged */
	assert_int_equal(vdb_affects(&a, "Packagist", R1("ECOSYSTEM", "i 0\nf 2.17.0\n"), "2.14.1", &fx, &st), -1);
	assert_int_equal(st.unordered, 1);
	assert_int_equal(vdb_affects(&a, "Packagist", "R ECOSYSTEM\ni 0\nf 2.17.0\nv 2.14.1\n", "2.14.1", &fx, &st), 1);
	arena_release(&a);
}

static void test_os_ecosystem(void **state)
{
	struct arena a;
	struct img_os os = {0};
	static const char *const t[][3] = {
		{"debian", "12", "Debian:12"},	       {"ubuntu", "22.04", "Ubuntu:22.04"}, {"alpine", "3.19.1", "Alpine:v3.19"},
		{"almalinux", "9.3", "AlmaLinux:9"}, {"rocky", "8.9", "Rocky Linux:8"}, {"wolfi", "20230201", "Wolfi"},
		{"debian", NULL, NULL},		       {"gentoo", "2.14", NULL},
	};
	size_t i;

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *got;
		os.id = t[i][0];
		os.version_id = t[i][1];
		got = vdb_os_ecosystem(&a, &os);
		if (t[i][2])
			assert_string_equal(got, t[i][2]);
		else
			assert_null(got);
	}
	arena_release(&a);
}

static int load(struct vdb_allowlist *l, struct arena *a, const char *path, const char *text)
{
	struct ds_err err = {0};

	return vdb_allow_load(l, a, path, text, strlen(text), "2026-06-15", &err);
}

static void test_whitelists(void **state)
{
	struct arena a;
	struct vdb_allowlist l = {0};
	struct img_pkg pkg = {.name = "openssl", .version = "1"};
	const char *al[] = {"CVE-2024-0001"};
	struct vdb_hit h = {.pkg = &pkg, .name = "openssl", .id = "DSA-1", .aliases = al, .naliases = 1};
	struct vdb_allow *x, *exp;

	(void)state;
	arena_init(&a, 0);
	/* clair-scanner: general and per-image, matched by an alias */
	assert_int_equal(load(&l, &a, "clair.yml",
			      "generalwhitelist:\n  CVE-2024-0001: openssl, not reachable\n"
			      "images:\n  ubuntu:\n    CVE-2024-0002: XSS\n"),
			 0);
	assert_int_equal(l.n, 2);
	assert_non_null(x = vdb_allow_find(&l, "anything:1", NULL, NULL, &h, &exp));
	assert_string_equal(x->reason, "openssl, not reachable");
	h.id = "CVE-2024-0002";
	h.naliases = 0;
	assert_null(vdb_allow_find(&l, "debian:12", NULL, NULL, &h, &exp));
	assert_non_null(vdb_allow_find(&l, "ubuntu:22.04", NULL, NULL, &h, &exp));
	assert_non_null(vdb_allow_find(&l, "docker.io/library/ubuntu:22.04", NULL, NULL, &h, &exp));
	assert_null(vdb_allow_find(&l, "ubuntu-extra:1", NULL, NULL, &h, &exp));

	/* docksec's own: reason required, expiry honoured, package-scoped */
	l.n = 0;
	assert_int_equal(load(&l, &a, "allow.yaml",
			      "ignore:\n"
			      "  - id: cve-2024-0002\n    reason: fixed upstream soon\n    expires: 2026-06-14\n"
			      "  - id: CVE-2024-0003\n    reason: test only\n    package: zlib\n"
			      "  - id: CVE-2024-0004\n    reason: last day\n    expires: 2026-06-15\n"),
			 0);
	assert_null(vdb_allow_find(&l, "x", NULL, NULL, &h, &exp)); /* expired yesterday */
	assert_non_null(exp);
	assert_string_equal(exp->expires, "2026-06-14");
	h.id = "CVE-2024-0003";
	assert_null(vdb_allow_find(&l, "x", NULL, NULL, &h, &exp)); /* another package */
	pkg.name = "zlib";
	h.name = "zlib";
	assert_non_null(vdb_allow_find(&l, "x", NULL, NULL, &h, &exp));
	h.id = "CVE-2024-0004";
	assert_non_null(vdb_allow_find(&l, "x", NULL, NULL, &h, &exp)); /* its expiry day still counts */
	assert_int_equal(load(&l, &a, "allow.yaml", "ignore:\n  - id: CVE-1\n"), DS_EPARSE); /* no reason */
	assert_int_equal(load(&l, &a, "allow.yaml", "ignore:\n  - id: CVE-1\n    reason: r\n    expires: soon\n"),
			 DS_EPARSE);
	assert_int_equal(load(&l, &a, "allow.yaml", "ignore:\n  - id: CVE-1\n    reason: r\n    until: 2026-01-01\n"),
			 DS_EPARSE);
	assert_int_equal(load(&l, &a, "allow.yaml", "whitelist: [CVE-1]\n"), DS_EPARSE);

	/* .trivyignore */
	l.n = 0;
	assert_int_equal(load(&l, &a, "/x/.trivyignore",
			      "# accepted\nCVE-2024-0005\n\nCVE-2024-0006 exp:2020-01-01\n  GHSA-abcd-efgh-ijkl # why\n"),
			 0);
	assert_int_equal(l.n, 3);
	assert_false(l.v[0].expired);
	assert_true(l.v[1].expired);
	assert_string_equal(l.v[2].id, "GHSA-abcd-efgh-ijkl");
	assert_int_equal(load(&l, &a, "/x/.trivyignore", "CVE-1 exp:tomorrow\n"), DS_EPARSE);
	/* .trivyignore.yaml */
	l.n = 0;
	assert_int_equal(load(&l, &a, ".trivyignore.yaml",
			      "vulnerabilities:\n  - id: CVE-2024-0007\n    statement: not used\n    expired_at: 2020-01-01\n"
			      "  - id: CVE-2024-0008\nmisconfigurations:\n  - id: AVD-DS-0002\n"),
			 0);
	assert_int_equal(l.n, 2);
	assert_true(l.v[0].expired);
	assert_string_equal(l.v[0].reason, "not used");
	assert_false(l.v[1].expired);
	/* several entries naming one hit: the first live one in the files'
	 * order that covers the package, and the last expired one before it */
	l.n = 0;
	h.id = "CVE-2024-0010";
	al[0] = "GHSA-aaaa-bbbb-cccc";
	h.naliases = 1;
	pkg.name = h.name = "openssl";
	assert_int_equal(load(&l, &a, "allow.yaml",
			      "ignore:\n"
			      "  - {id: cve-2024-0010, reason: r0, expires: 2026-01-01}\n" /* 1: expired */
			      "  - {id: CVE-2024-0010, reason: r1, package: zlib}\n"	  /* 2: another package */
			      "  - {id: GHSA-aaaa-bbbb-cccc, reason: r2, expires: 2026-02-01}\n" /* 3: expired */
			      "  - {id: GHSA-AAAA-BBBB-CCCC, reason: r3}\n"		  /* 4: live */
			      "  - {id: CVE-2024-0010, reason: r4}\n"			  /* 5: live, later */
			      "  - {id: CVE-2024-0010, reason: r5, expires: 2026-03-01}\n"),  /* 6: after the live one */
			 0);
	assert_non_null(x = vdb_allow_find(&l, "x", NULL, NULL, &h, &exp));
	assert_string_equal(x->reason, "r3");
	assert_non_null(exp);
	assert_string_equal(exp->reason, "r2");
	assert_int_equal(x->used, 1);
	h.naliases = 0; /* by the id alone: r4, and r0 the expired one before it */
	assert_non_null(x = vdb_allow_find(&l, "x", NULL, NULL, &h, &exp));
	assert_string_equal(x->reason, "r4");
	assert_string_equal(exp->reason, "r0");
	pkg.name = h.name = "curl";
	l.v[4].expired = true; /* none live: the last expired one of all */
	assert_null(vdb_allow_find(&l, "x", NULL, NULL, &h, &exp));
	assert_string_equal(exp->reason, "r5");
	al[0] = "CVE-2024-0001";

	/* scoped by purls and paths: each narrows the entry, never widens it */
	l.n = 0;
	h.id = "CVE-2024-0009";
	assert_int_equal(load(&l, &a, ".trivyignore.yaml",
			      "vulnerabilities:\n"
			      "  - id: CVE-2024-0009\n    purls: [\"pkg:deb/debian/zlib\", \"pkg:npm/%40babel/core@7.23.0\"]\n"
			      "  - id: CVE-2024-0009\n    paths: [\"usr/lib/python3*/**/{a,b}.dist-info/METADATA\"]\n"),
			 0);
	assert_true(l.scoped);
	assert_int_equal(l.v[0].npurls, 2);
	assert_int_equal(l.v[1].npaths, 2); /* {a,b} expanded */
	assert_null(vdb_allow_find(&l, "x", NULL, NULL, &h, &exp)); /* no purl, no path: not covered */
	assert_non_null(vdb_allow_find(&l, "x", "pkg:deb/debian/zlib@1.2.13?arch=amd64&distro=debian-12", NULL, &h, &exp));
	assert_null(vdb_allow_find(&l, "x", "pkg:deb/debian/zlib1g@1.2.13", NULL, &h, &exp));
	assert_null(vdb_allow_find(&l, "x", "pkg:npm/%40babel/core@7.24.0", NULL, &h, &exp)); /* another version */
	assert_non_null(vdb_allow_find(&l, "x", "pkg:npm/@babel/core@7.23.0", NULL, &h, &exp));
	assert_non_null(vdb_allow_find(&l, "x", NULL, "/usr/lib/python3.11/site-packages/b.dist-info/METADATA", &h, &exp));
	assert_null(vdb_allow_find(&l, "x", NULL, "/usr/lib/python3.11/site-packages/c.dist-info/METADATA", &h, &exp));
	assert_int_equal(load(&l, &a, ".trivyignore.yaml", "vulnerabilities:\n  - id: CVE-1\n    purls: [npm/x]\n"),
			 DS_EPARSE); /* not a package URL */
	assert_int_equal(load(&l, &a, ".trivyignore.yaml", "vulnerabilities:\n  - id: CVE-1\n    paths: [\"a/{b\"]\n"),
			 DS_EPARSE);
	assert_int_equal(load(&l, &a, ".trivyignore.yaml", "vulnerabilities:\n  - id: CVE-1\n    paths: x\n"),
			 DS_EPARSE); /* a list */
	assert_int_equal(load(&l, &a, ".trivyignore.yaml", "vulnerabilities:\n  - id: CVE-1\n    paths: []\n"),
			 DS_EPARSE);
	assert_int_equal(load(&l, &a, ".trivyignore.yaml",
			      "vulnerabilities:\n  - id: CVE-1\n    paths: [\"{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}\"]\n"),
			 DS_EPARSE); /* 512 patterns */
	{ /* {a,b} expansion is bounded for the run: 12 entries of 150 patterns of 3 KB are 5.4 MB */
		struct ds_err err = {0};
		struct buf y = BUF_INIT;
		int k, i;
		buf_adds(&y, "vulnerabilities:\n");
		for (k = 0; k < 12; k++) {
			buf_addf(&y, "  - id: CVE-%d\n    paths: [\"%03000d{", k, 0);
			for (i = 0; i < 150; i++)
				buf_addf(&y, "%sa%d", i ? "," : "", i);
			buf_adds(&y, "}\"]\n");
		}
		assert_true(buf_ok(&y));
		l.n = 0;
		l.expanded = 0;
		assert_int_equal(vdb_allow_load(&l, &a, ".trivyignore.yaml", y.p, y.n, "2026-06-15", &err), DS_EPARSE);
		assert_non_null(strstr(err.msg, "MiB in all"));
		buf_release(&y);
	}
	assert_int_equal(load(&l, &a, "/x/.trivyignore", "CVE\x01" "1\n"), DS_EPARSE);
	arena_release(&a);
}

/* Trivy's doublestar globs and package URL constraints */
static void test_globs_purls(void **state)
{
	static const struct {
		const char *pat, *path;
		bool want;
	} g[] = {
		{"usr/lib/**/METADATA", "/usr/lib/python3/dist-packages/x.dist-info/METADATA", true},
		{"usr/lib/**/METADATA", "usr/lib/METADATA", true}, /* ** is zero segments too */
		{"usr/lib/*/METADATA", "usr/lib/a/b/METADATA", false},
		{"usr/lib/*/METADATA", "usr/lib/a/METADATA", true},
		{"**", "anything/at/all", true},
		{"**/package.json", "app/node_modules/lodash/package.json", true},
		{"**/package.json", "package.json", true},
		{"app/**", "app", true},
		{"app/**/x", "app/x", true},
		{"app/**/x", "app/a/b/c/x", true},
		{"app/**/x", "app/a/b/c/y", false},
		{"a/[bc]/d", "a/c/d", true},
		{"a/?/d", "a/bb/d", false},
		{"/var/lib/dpkg/status", "var/lib/dpkg/status", true},
		{"**/**/**/**/**/**/**/**/**/z", "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/y", false},
	};
	static const struct {
		const char *pat, *purl;
		bool want;
	} u[] = {
		{"pkg:deb/debian/libssl3", "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12", true},
		{"pkg:deb/debian/libssl3@3.0.11-1~deb12u1", "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64", true},
		{"pkg:deb/debian/libssl3@3.0.11-1~deb12u2", "pkg:deb/debian/libssl3@3.0.11-1~deb12u1", false},
		{"pkg:deb/debian/libssl3@", "pkg:deb/debian/libssl3@3.0.11-1~deb12u1", true}, /* an empty version: any */
		{"pkg:deb/debian/libssl3?arch=amd64", "pkg:deb/debian/libssl3@1?distro=debian-12&arch=amd64", true},
		{"pkg:deb/debian/libssl3?arch=arm64", "pkg:deb/debian/libssl3@1?arch=amd64", false},
		{"pkg:deb/debian/libssl3?arch=amd64", "pkg:deb/debian/libssl3@1", false},
		{"pkg:deb/ubuntu/libssl3", "pkg:deb/debian/libssl3@1", false},
		{"pkg:DEB/debian/libssl3", "pkg:deb/debian/libssl3@1", true}, /* the type has no case */
		{"pkg:npm/@babel/core", "pkg:npm/%40babel/core@7.23.0", true},
		{"pkg:npm/%40babel/core@7.23.0", "pkg:npm/@babel/core@7.23.0", true},
		{"pkg:npm/core", "pkg:npm/%40babel/core@7.23.0", false}, /* the namespace counts */
		{"pkg:pypi/Requests_OAuthlib", "pkg:pypi/requests-oauthlib@1.3.1", true},
		{"pkg:maven/org.x/y#sub", "pkg:maven/org.x/y@1#sub/", true},
		{"pkg:maven/org.x/y#sub", "pkg:maven/org.x/y@1", false},
		{"pkg:/", "pkg:deb/debian/x@1", false},
		{"deb/debian/x", "pkg:deb/debian/x@1", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		if (vdb_glob_match(g[i].pat, g[i].path) != g[i].want)
			fail_msg("glob %s on %s: want %d", g[i].pat, g[i].path, g[i].want);
	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (vdb_purl_match(u[i].pat, u[i].purl) != u[i].want)
			fail_msg("purl %s on %s: want %d", u[i].pat, u[i].purl, u[i].want);
}

/* The Go vulndb samples (../shared/reference/osv-samples/go, read in place):
 * each affects Go 1.19.8 (its standard library or its toolchain), and
 * none names a fixed version at or below it. */
static void test_go_samples(void **state)
{
	glob_t g;
	size_t i, k, n = 0;

	(void)state;
	if (glob("../shared/reference/osv-samples/go/*.json", 0, NULL, &g)) {
		print_message("osv-samples/go not found: skipped\n");
		return;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		struct arena a;
		struct vdb_record r;
		struct ds_err err = {0};
		char buf[1 << 16];
		FILE *f = fopen(g.gl_pathv[i], "r");
		size_t len = f ? fread(buf, 1, sizeof(buf), f) : 0;
		bool hit = false;
		if (f)
			fclose(f);
		arena_init(&a, 0);
		if (vdb_osv_parse(&a, g.gl_pathv[i], buf, len, &r, &err))
			fail_msg("%s: %s", g.gl_pathv[i], err.msg);
		for (k = 0; k < r.naffected; k++) {
			const char *fx;
			if ((!strcmp(r.affected[k].name, "stdlib") || !strcmp(r.affected[k].name, "toolchain")) &&
			    vdb_affects(&a, "Go", r.affected[k].ranges, "1.19.8", &fx, NULL) == 1) {
				hit = true;
				if (fx && vdb_affects(&a, "Go", r.affected[k].ranges, fx, &fx, NULL) == 1)
					fail_msg("%s: its fixed version %s is affected", r.id, fx);
			}
		}
		if (!hit)
			fail_msg("%s does not affect Go 1.19.8", r.id);
		n++;
		arena_release(&a);
	}
	globfree(&g);
	assert_true(n >= 90);
	print_message("go: %zu records affect 1.19.8\n", n);
}

/* An AlmaLinux advisory as published (the epoch inside "fixed"), read in place */
static void test_alma_sample(void **state)
{
	struct arena a;
	struct vdb_record r;
	struct ds_err err = {0};
	char buf[1 << 16];
	FILE *f = fopen("../shared/reference/osv-samples/almalinux/ALSA-2026:19218.json", "r");
	size_t len, k;
	const char *fx;
	bool seen = false;

	(void)state;
	if (!f) {
		print_message("osv-samples/almalinux not found: skipped\n");
		return;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	arena_init(&a, 0);
	assert_int_equal(vdb_osv_parse(&a, "ALSA", buf, len, &r, &err), 0);
	assert_string_equal(r.severity, "medium"); /* "Moderate: openssl security update" */
	for (k = 0; k < r.naffected; k++) {
		if (strcmp(r.affected[k].name, "openssl-libs"))
			continue;
		seen = true;
		assert_string_equal(r.affected[k].ecosystem, "AlmaLinux:9");
		assert_int_equal(vdb_affects(&a, "AlmaLinux:9", r.affected[k].ranges, "1:3.0.7-27.el9", &fx, NULL), 1);
		assert_string_equal(fx, "1:3.5.5-2.el9_8");
		assert_int_equal(vdb_affects(&a, "AlmaLinux:9", r.affected[k].ranges, "1:3.5.5-2.el9_8", &fx, NULL), 0);
		assert_int_equal(vdb_affects(&a, "AlmaLinux:9", r.affected[k].ranges, "1:3.5.5-3.el9_8", &fx, NULL), 0);
		/* no epoch is epoch 0: below any 1: version */
		assert_int_equal(vdb_affects(&a, "AlmaLinux:9", r.affected[k].ranges, "9.9.9-1.el9", &fx, NULL), 1);
	}
	assert_true(seen);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cvss_scores), cmocka_unit_test(test_cvss4_every_vector), cmocka_unit_test(test_globs_purls), cmocka_unit_test(test_osv_record),	 cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_os_ecosystem), cmocka_unit_test(test_whitelists), cmocka_unit_test(test_go_samples),
		cmocka_unit_test(test_alma_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
