/*
 * cvss.c - base scores of CVSS v3.x and v2 vectors (see vulndb.h).
 *
 * The formulas and weights are FIRST's specifications (CVSS v3.1 section
 * 7, v2 section 3.2.1). v3.1's Roundup works on an integer of the value
 * times 100000 so that 4.000000001 stays 4.0 (v3.0 rounded the float up,
 * which differs in rare cases; the v3.1 function is used for both, as NVD
 * does). Temporal and environmental metrics may follow the base ones and
 * do not change the base score.
 *
 * CVSS v4.0 (specification section 8) scores a vector from its
 * MacroVector, six equivalence classes EQ1-EQ6 of its metrics: the score
 * of the MacroVector (the lookup table below, the specification's data)
 * less the mean, over the EQs that have a lower MacroVector, of the score
 * gap to that MacroVector times how far the vector lies below the
 * MacroVector's highest-severity vectors, rounded half up. The table of
 * MacroVector scores, the highest-severity vectors and the depths are
 * the specification's data as FIRST publishes it with its calculator;
 * the code is written from the specification's description. Base metrics
 * only, as for v3: threat (E) and environmental metrics are taken as Not
 * Defined, that is E:A and CR/IR/AR:H, and the score is CVSS-B.
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

/* ---- CVSS v4.0 ---- */

enum { AV, AC, AT, PR, UI, VC, VI, VA, SC, SI, SA, CR, IR, AR, NM4 };

/* the base metrics; CR/IR/AR are not read (Not Defined = H) */
static const struct metric m4[] = {
	{"AV", "NALP", {0}}, {"AC", "LH", {0}},	 {"AT", "NP", {0}},  {"PR", "NLH", {0}},
	{"UI", "NPA", {0}},  {"VC", "HLN", {0}}, {"VI", "HLN", {0}}, {"VA", "HLN", {0}},
	{"SC", "HLN", {0}},  {"SI", "HLN", {0}}, {"SA", "HLN", {0}},
};

/* The MacroVector scores in tenths, indexed [EQ1][EQ2][EQ3] then
 * EQ4 x EQ5 x EQ6 (18 per row); 0 where the MacroVector does not exist
 * (EQ3=2 goes only with EQ6=1). */
static const unsigned char lut4[3 * 2 * 3][18] = {
	/* 000 */ {100,  99,  98,  95,  95,  92, 100,  96,  93,  87,  91,  81,  93,  90,  89,  80,  81,  68},
	/* 001 */ { 98,  95,  95,  92,  90,  84,  93,  92,  89,  81,  81,  65,  88,  80,  78,  70,  69,  48},
	/* 002 */ {  0,  92,   0,  82,   0,  72,   0,  79,   0,  69,   0,  50,   0,  69,   0,  55,   0,  27},
	/* 010 */ { 99,  97,  95,  92,  92,  85,  95,  91,  90,  83,  84,  71,  92,  81,  82,  71,  72,  53},
	/* 011 */ { 95,  93,  92,  85,  85,  73,  92,  82,  80,  72,  70,  59,  84,  70,  71,  52,  50,  30},
	/* 012 */ {  0,  86,   0,  75,   0,  52,   0,  71,   0,  52,   0,  29,   0,  63,   0,  29,   0,  17},
	/* 100 */ { 98,  95,  94,  87,  91,  81,  94,  89,  86,  74,  77,  64,  87,  75,  74,  63,  63,  49},
	/* 101 */ { 94,  89,  88,  77,  76,  67,  86,  76,  74,  58,  59,  50,  72,  57,  57,  52,  52,  25},
	/* 102 */ {  0,  83,   0,  70,   0,  54,   0,  65,   0,  58,   0,  26,   0,  53,   0,  21,   0,  13},
	/* 110 */ { 95,  90,  88,  76,  76,  70,  90,  77,  75,  62,  61,  53,  77,  66,  68,  59,  52,  30},
	/* 111 */ { 89,  78,  76,  67,  62,  58,  74,  59,  57,  57,  47,  23,  61,  52,  57,  29,  24,  16},
	/* 112 */ {  0,  71,   0,  59,   0,  30,   0,  58,   0,  26,   0,  15,   0,  23,   0,  13,   0,   6},
	/* 200 */ { 93,  87,  86,  72,  75,  58,  86,  74,  74,  61,  56,  34,  70,  54,  52,  40,  40,  22},
	/* 201 */ { 85,  75,  74,  55,  62,  51,  72,  57,  55,  41,  46,  19,  53,  36,  34,  19,  19,   8},
	/* 202 */ {  0,  64,   0,  51,   0,  20,   0,  47,   0,  21,   0,  11,   0,  24,   0,   9,   0,   4},
	/* 210 */ { 88,  75,  73,  53,  60,  50,  73,  55,  59,  40,  41,  20,  54,  43,  45,  22,  20,  11},
	/* 211 */ { 75,  55,  58,  45,  40,  21,  61,  51,  48,  18,  20,   9,  46,  18,  17,   7,   8,   2},
	/* 212 */ {  0,  53,   0,  24,   0,  14,   0,  24,   0,  12,   0,   5,   0,  10,   0,   3,   0,   1},
};

/* Severity levels in tenths, lowest = most severe. SI/SA's "S" (only in
 * the modified metrics) would be level 0, so SC/SI/SA start at 1. */
static const char *const lv4[NM4] = {"NALP", "LH", "NP", "NLH", "NPA", "HLN", "HLN", "HLN",
				     "?HLN", "SHLN", "SHLN", "HML", "HML", "HML"};

/* The highest-severity vectors of each MacroVector level, per EQ: the
 * letters of the EQ's metrics in the order of metrics[]. */
struct eqmax {
	int metrics[6], nm;
	const char *max[3][2][6]; /* [level][EQ6 for EQ3, else 0][alternative] */
	int depth[3][2];	  /* the MacroVector's severity depth (+1) */
};
static const struct eqmax eqs[] = {
	{{AV, PR, UI}, 3, {{{"NNN"}}, {{"ANN", "NLN", "NNP"}}, {{"PNN", "ALP"}}}, {{1}, {4}, {5}}},
	{{AC, AT}, 2, {{{"LN"}}, {{"HN", "LP"}}}, {{1}, {2}}},
	{{VC, VI, VA, CR, IR, AR},
	 6,
	 {{{"HHHHHH"}, {"HHLMMH", "HHHMMM"}},
	  {{"LHHHHH", "HLHHHH"}, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"}},
	  {{0}, {"LLLHHH"}}},
	 {{7, 6}, {8, 8}, {0, 10}}},
	{{SC, SI, SA}, 3, {{{"HSS"}}, {{"HHH"}}, {{"LLL"}}}, {{6}, {5}, {4}}},
};

static int lookup4(int e1, int e2, int e3, int e4, int e5, int e6)
{
	if (e1 > 2 || e2 > 1 || e3 > 2 || e4 > 2 || e5 > 2 || e6 > 1)
		return 0;
	return lut4[(e1 * 2 + e2) * 3 + e3][(e4 * 3 + e5) * 2 + e6];
}

static int level4(int metric, char letter)
{
	const char *at = strchr(lv4[metric], letter);

	return at ? (int)(at - lv4[metric]) : 0;
}

/* The severity distance of vector lvl (levels) below the first
 * highest-severity vector of its MacroVector that it does not exceed in
 * any metric (the specification's choice; the last one if none). */
static int distance4(const struct eqmax *q, int level, int e6, const int *lvl)
{
	int a, i, d = 0;

	for (a = 0; a < 6 && q->max[level][e6][a]; a++) {
		bool ok = true;
		d = 0;
		for (i = 0; i < q->nm; i++) {
			int di = lvl[q->metrics[i]] - level4(q->metrics[i], q->max[level][e6][a][i]);
			ok = ok && di >= 0;
			d += di;
		}
		if (ok)
			break;
	}
	return d;
}

static double score4(const int *v)
{
	static const int e5 = 0; /* E Not Defined = Attacked */
	int lvl[NM4], i, e1, e2, e3, e4, e6, base, n = 0, lower[5];
	bool av_n = v[AV] == 0, pr_n = v[PR] == 0, ui_n = v[UI] == 0;
	bool h_vc = v[VC] == 0, h_vi = v[VI] == 0, h_va = v[VA] == 0;
	double sum = 0, score;

	for (i = VC; i <= SA; i++)
		if (m4[i].values[v[i]] != 'N')
			break;
	if (i > SA)
		return 0; /* no impact at all */
	for (i = 0; i < NM4; i++)
		lvl[i] = i <= SA ? level4(i, m4[i].values[v[i]]) : 0; /* CR/IR/AR: H */
	e1 = av_n && pr_n && ui_n ? 0 : (av_n || pr_n || ui_n) && v[AV] != 3 ? 1 : 2;
	e2 = v[AC] == 0 && v[AT] == 0 ? 0 : 1;
	e3 = h_vc && h_vi ? 0 : h_vc || h_vi || h_va ? 1 : 2;
	e4 = v[SC] == 0 || v[SI] == 0 || v[SA] == 0 ? 1 : 2;
	e6 = h_vc || h_vi || h_va ? 0 : 1; /* with CR/IR/AR at H */
	base = lookup4(e1, e2, e3, e4, e5, e6);
	lower[0] = lookup4(e1 + 1, e2, e3, e4, e5, e6);
	lower[1] = lookup4(e1, e2 + 1, e3, e4, e5, e6);
	if (e3 == 0 && e6 == 0) { /* two ways down: the higher one */
		int l = lookup4(e1, e2, e3, e4, e5, 1), r = lookup4(e1, e2, 1, e4, e5, e6);
		lower[2] = l > r ? l : r;
	} else if (e3 == 1 && e6 == 0)
		lower[2] = lookup4(e1, e2, e3, e4, e5, 1);
	else
		lower[2] = lookup4(e1, e2, e3 + 1, e4, e5, e6);
	lower[3] = lookup4(e1, e2, e3, e4 + 1, e5, e6);
	lower[4] = lookup4(e1, e2, e3, e4, e5 + 1, e6); /* EQ5's distance is 0 */
	{
		const int level[4] = {e1, e2, e3, e4}, sub[4] = {0, 0, e6, 0};
		for (i = 0; i < 5; i++) {
			if (!lower[i])
				continue;
			n++;
			if (i < 4)
				sum += (double)(base - lower[i]) * distance4(&eqs[i], level[i], sub[i], lvl) /
				       eqs[i].depth[level[i]][sub[i]];
		}
	}
	score = base - (n ? sum / n : 0); /* tenths */
	score = fmax(0, fmin(100, score));
	return floor(score + 0.5 + 1e-6) / 10; /* half up, not to even */
}

double vdb_cvss_score(const char *vector)
{
	int v[NM4];

	if (!vector)
		return -1;
	if (!strncmp(vector, "CVSS:3.0/", 9) || !strncmp(vector, "CVSS:3.1/", 9))
		return parse(vector + 9, m3, DS_ARRAY_SIZE(m3), v) ? score3(v) : -1;
	if (!strncmp(vector, "CVSS:4.0/", 9))
		return parse(vector + 9, m4, DS_ARRAY_SIZE(m4), v) ? score4(v) : -1;
	if (!strncmp(vector, "CVSS:", 5))
		return -1; /* unknown versions */
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
