/*
 * report_bench.c - docker-bench-security's log.json shape for check-style
 * reports, so tooling built on docker-bench keeps working: sections with
 * their CIS descriptions, one result per CIS check (docksec's own host-*
 * checks are not in its vocabulary and are left out), the score and the
 * run's start and end. SKIP and ERROR are not in its vocabulary either:
 * they are written as INFO with "skipped: " or "error: " and the reason.
 */
#include "report.h"
#include <time.h>

static const char *const section_desc[] = {
	"", "Host Configuration", "Docker daemon configuration", "Docker daemon configuration files",
	"Container Images and Build File", "Container Runtime", "Docker Security Operations",
	"Docker Swarm Configuration",
};

static void result(struct buf *b, const struct finding *r)
{
	struct buf d = BUF_INIT;
	const char *p;
	size_t k;

	buf_adds(b, "\n        {\"id\": ");
	rpt_json_str(b, r->rule->id);
	buf_adds(b, ", \"desc\": ");
	buf_addf(&d, "%s (%s)", r->rule->title, (r->rule->flags & RULE_MANUAL) ? "Manual" : "Automated");
	rpt_json_str(b, buf_str(&d));
	buf_clear(&d);
	buf_addf(b, ", \"result\": \"%s\"", r->status == ST_SKIP || r->status == ST_ERROR ? "INFO" : status_name(r->status));
	if (r->message && *r->message && r->status != ST_PASS) {
		if (r->status == ST_SKIP)
			buf_adds(&d, "skipped: ");
		else if (r->status == ST_ERROR)
			buf_adds(&d, "error: ");
		for (p = r->message; *p; p++)
			buf_addc(&d, *p == '\n' ? ';' : *p);
		buf_adds(b, ", \"details\": ");
		rpt_json_str(b, buf_str(&d));
	}
	if (!buf_ok(&d))
		b->oom = true;
	buf_release(&d);
	if (r->nitems) {
		buf_adds(b, ", \"items\": [");
		for (k = 0; k < r->nitems; k++) {
			/* the container's name without the " (state)" docksec adds */
			const char *c = r->items[k]->context ? r->items[k]->context : "?";
			const char *sp = strstr(c, " (");
			if (k)
				buf_addc(b, ',');
			buf_addc(b, '"');
			buf_add_json_str(b, c, sp ? (size_t)(sp - c) : strlen(c));
			buf_addc(b, '"');
		}
		buf_addc(b, ']');
	}
	buf_addc(b, '}');
}

void rpt_docker_bench(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o)
{
	size_t i, ncis = 0;
	long score = 0;
	int sec = 0;

	(void)o;
	buf_addf(b, "{\n  \"dockerbenchsecurity\": \"docksec %s\",\n  \"start\": %lld,\n  \"tests\": [", DS_VERSION,
		 c->start);
	for (i = 0; i < c->n; i++) {
		const struct finding *r = &c->v[i];
		int s = r->rule->id[0] - '0';
		if (strcmp(r->rule->domain, "cis") || s < 1 || s > 7)
			continue;
		ncis++;
		score += r->status == ST_PASS ? 1 : r->status == ST_WARN ? -1 : 0;
		if (s != sec) {
			buf_addf(b, "%s\n    {\n      \"id\": \"%d\",\n      \"desc\": \"%s\",\n      \"results\": [",
				 sec ? "\n      ]\n    }," : "", s, section_desc[s]);
			sec = s;
		} else {
			buf_addc(b, ',');
		}
		result(b, r);
	}
	buf_addf(b, "%s\n  ],\n  \"checks\": %zu,\n  \"score\": %ld,\n  \"end\": %lld\n}\n", sec ? "\n      ]\n    }" : "",
		 ncis, score, (long long)time(NULL));
}
