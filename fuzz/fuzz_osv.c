/*
 * fuzz_osv.c - libFuzzer target for the OSV importer's record parser and
 * the range evaluation behind matching (vulndb/): the input is a record;
 * every affected entry it yields is judged for a few versions in its own
 * ecosystem and in the others, as matching would. And the same bytes as a
 * whitelist in each format (clair-scanner, docksec or Trivy YAML,
 * .trivyignore) asked about a package, as a glob, path, package URL and
 * pattern, and as a stored ranges column (a database file is input too).
 */
#include "vulndb/vulndb.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ecos[] = {"Debian:12", "Alpine:v3.19", "AlmaLinux:9", "PyPI", "npm", "Go", "Maven"};
	static const char *const versions[] = {"0", "1.0", "1:2.3-4~deb12u1", "1.2.3-r4", "v1.20.0-0", "1.0rc1", ""};
	struct arena a;
	struct ds_err err = {0};
	struct vdb_record r;
	struct vdb_allowlist l = {0};
	struct vdb_match_stats st = {0};
	size_t i, e, v;

	arena_init(&a, 0);
	if (!vdb_osv_parse(&a, "fuzz.json", (const char *)data, size, &r, &err)) {
		for (i = 0; i < r.naffected && i < 8; i++) {
			const char *fixed;
			for (v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
				(void)vdb_affects(&a, r.affected[i].ecosystem, r.affected[i].ranges, versions[v], &fixed, &st);
				for (e = 0; e < sizeof(ecos) / sizeof(ecos[0]); e++)
					(void)vdb_affects(&a, ecos[e], r.affected[i].ranges, versions[v], &fixed, &st);
			}
		}
		(void)vdb_cvss_score(r.vector);
	}
	{
		char *text = malloc(size + 1);
		if (text) {
			memcpy(text, data, size);
			text[size] = 0;
			(void)vdb_cvss_score(text);
			for (e = 0; e < sizeof(ecos) / sizeof(ecos[0]); e++) { /* the bytes as a stored ranges column */
				const char *fixed;
				(void)vdb_affects(&a, ecos[e], text, versions[e % 6], &fixed, &st);
			}
			(void)vdb_allow_load(&l, &a, "allow.yaml", text, size, "2026-01-01", &err);
			(void)vdb_allow_load(&l, &a, ".trivyignore", text, size, "2026-01-01", &err);
			{
				struct img_pkg p = {.name = "a", .version = "1"};
				const char *al[] = {"CVE-1"};
				struct vdb_hit h = {.pkg = &p, .name = "a", .id = "GHSA-1", .aliases = al, .naliases = 1};
				struct vdb_allow *ex;
				(void)vdb_allow_find(&l, "x:1", "pkg:npm/%40a/b@1?x=y#s", "/usr/lib/a/b", &h, &ex);
			}
			(void)vdb_glob_match(text, "/usr/lib/a/b/c");
			(void)vdb_glob_match("**/a/*/{b,c}/**", text);
			(void)vdb_purl_match(text, "pkg:npm/%40a/b@1?x=y#s");
			(void)vdb_purl_match("pkg:npm/@a/b?x=y", text);
			free(text);
		}
	}
	arena_release(&a);
	return 0;
}
