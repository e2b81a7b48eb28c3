/*
 * cvss.c - base scores of CVSS v3.x and v2 vectors (see vulndb.h).
 *
 * The formulas and weights are FIRST's specifications (CVSS v3.1 section
 * 7, v2 section 3.2.1). v3.1's Roundup works on an integer of the value
 * times 100000 so that 4.000000001 stays 4.0 (v3.0 rounded the float up,
 * which differs in rare cases; the v3.1 function is used for both, as NVD
 * does). Temporal and environmental metrics may follow the base ones and
 * do not change the base score. CVSS v4 needs its macrovector tables and
 * is not scored here: a record with only a v4 vector falls back to the
 * database's own severity.
 */
#include "vulndb.h"
#include <math.h>

struct metric {
	const char *name;
	const char *values; /* one letter per value */
	double w[5];
};

/* v3: PR's weights with a changed scope are applied below */
static const struct metric m3[] = {
	{"AV", "NALP", {0.85, 0.62, 0.55, 0.2}}, {"AC", "LH", {0.77, 0.44}}, {"PR", "NLH", {0.85, 0.62, 0.27}},
	{"UI", "NR", {0.85, 0.62}},		  {"S", "UC", {0, 1}},		{"C", "HLN", {0.56, 0.22, 0}},
	{"I", "HLN", {0.56, 0.22, 0}},		  {"A", "HLN", {0.56, 0.22, 0}},
};
static const struct metric m2[] = {
	{"AV", "LAN", {0.395, 0.646, 1.0}}, {"AC", "HML", {0.35, 0.61, 0.71}}, {"Au", "MSN", {0.45, 0.56, 0.704}},
	{"C", "NPC", {0, 0.275, 0.660}},    {"I", "NPC", {0, 0.275, 0.660}},   {"A", "NPC", {0, 0.275, 0.660}},
};

/* Fill idx[i] with the value index of each base metric of m from the
 * "/"-separated vector s; other metrics are skipped. false when one is
 * missing, repeated or has an unknown value. */
static bool parse(const char *s, const struct metric *m, size_t nm, int *idx)
{
	size_t i;

	for (i = 0; i < nm; i++)
		idx[i] = -1;
	while (*s) {
		size_t n = strcspn(s, "/"), k = strcspn(s, ":");
		if (k < n && n - k == 2) { /* NAME:V */
			for (i = 0; i < nm; i++) {
				const char *at;
				if (strlen(m[i].name) != k || strncmp(s, m[i].name, k))
					continue;
				if (idx[i] >= 0 || !(at = strchr(m[i].values, s[k + 1])) || !s[k + 1])
					return false;
				idx[i] = (int)(at - m[i].values);
			}
		} else if (k >= n) {
			return false;
		}
		s += n;
		if (*s == '/')
			s++;
	}
	for (i = 0; i < nm; i++)
		if (idx[i] < 0)
			return false;
	return true;
}

static double roundup31(double x)
{
	long long i = llround(x * 100000.0);

	return i % 10000 == 0 ? (double)i / 100000.0 : (double)(i / 10000 + 1) / 10.0;
}

static double score3(const int *v)
{
	bool changed = v[4] == 1;
	double pr = m3[2].w[v[2]], iss, impact, expl;

	if (changed && v[2] == 1)
		pr = 0.68;
	else if (changed && v[2] == 2)
		pr = 0.5;
	iss = 1 - (1 - m3[5].w[v[5]]) * (1 - m3[6].w[v[6]]) * (1 - m3[7].w[v[7]]);
	impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	expl = 8.22 * m3[0].w[v[0]] * m3[1].w[v[1]] * pr * m3[3].w[v[3]];
	if (impact <= 0)
		return 0;
	return roundup31(fmin(changed ? 1.08 * (impact + expl) : impact + expl, 10));
}

static double score2(const int *v)
{
	double impact = 10.41 * (1 - (1 - m2[3].w[v[3]]) * (1 - m2[4].w[v[4]]) * (1 - m2[5].w[v[5]]));
	double expl = 20 * m2[0].w[v[0]] * m2[1].w[v[1]] * m2[2].w[v[2]];
	double base = (0.6 * impact + 0.4 * expl - 1.5) * (impact == 0 ? 0 : 1.176);

	return round(base * 10) / 10;
}

double vdb_cvss_score(const char *vector)
{
	int v[8];

	if (!vector)
		return -1;
	if (!strncmp(vector, "CVSS:3.0/", 9) || !strncmp(vector, "CVSS:3.1/", 9))
		return parse(vector + 9, m3, DS_ARRAY_SIZE(m3), v) ? score3(v) : -1;
	if (!strncmp(vector, "CVSS:", 5))
		return -1; /* v4 and unknown versions */
	if (!strncmp(vector, "(", 1)) /* NVD's v2 form "(AV:N/...)" */
		vector++;
	{
		char tmp[256];
		size_t n = strlen(vector);
		if (n >= sizeof(tmp))
			return -1;
		memcpy(tmp, vector, n + 1);
		if (n && tmp[n - 1] == ')')
			tmp[n - 1] = 0;
		return parse(tmp, m2, DS_ARRAY_SIZE(m2), v) ? score2(v) : -1;
	}
}

enum ds_sev vdb_cvss_rating(double score, bool v2)
{
	if (score >= 9.0 && !v2)
		return SEV_CRITICAL;
	if (score >= 7.0)
		return SEV_HIGH;
	if (score >= 4.0)
		return SEV_MEDIUM;
	if (score > 0)
		return SEV_LOW;
	return SEV_INFO;
}
