/*
 * sbom.c - CycloneDX 1.5 and SPDX 2.3 JSON (see sbom.h). Both are written
 * by hand with the report's JSON string escaper: the documents are flat
 * lists, and a library would add nothing but a dependency.
 */
#include "sbom.h"
#include "../core/report.h"
#include <time.h>

static void jstr(struct buf *b, const char *s)
{
	rpt_json_str(b, s ? s : "");
}

/* a UUID (version 4 layout) from the config digest: stable per image */
static void uuid_of(const struct img_image *im, char out[37])
{
	const char *h = im->config_digest && strlen(im->config_digest) >= 71 ? im->config_digest + 7
									   : "00000000000000000000000000000000";
	snprintf(out, 37, "%.8s-%.4s-4%.3s-8%.3s-%.12s", h, h + 8, h + 13, h + 17, h + 20);
}

static void timestamp(char out[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "repo/name:tag" -> name "repo/name", version "tag" (a digest when none) */
static void name_version(struct arena *a, const struct img_image *im, const char **name, const char **version)
{
	const char *r = im->ref ? im->ref : "image", *at = strchr(r, '@'), *colon = strrchr(r, ':');

	if (colon && strchr(colon, '/'))
		colon = NULL; /* a registry port, not a tag */
	if (at) {
		*name = arena_strndup(a, r, (size_t)(at - r));
		*version = at + 1;
	} else if (colon && colon != r) {
		*name = arena_strndup(a, r, (size_t)(colon - r));
		*version = colon + 1;
	} else {
		*name = r;
		*version = im->config_digest ? im->config_digest : "";
	}
}

/* What both documents say about themselves and the image. */
struct doc {
	char uuid[37], ts[32];
	const char *name, *version;
};

static void doc_init(struct doc *d, struct arena *a, const struct img_image *im)
{
	uuid_of(im, d->uuid);
	timestamp(d->ts);
	name_version(a, im, &d->name, &d->version);
}

const char *img_sbom_ref(struct arena *a, const struct img_inventory *inv, const struct img_pkg *p)
{
	return arena_printf(a, "pkg-%zu", img_inv_index(inv, p) + 1);
}

static void cyclonedx(struct buf *b, const struct doc *d, const struct img_image *im, const struct img_inventory *inv,
		      struct arena *scratch, void (*extra)(struct buf *b, void *ud), void *ud)
{
	const char *uuid = d->uuid, *ts = d->ts, *name = d->name, *version = d->version;
	size_t i;

	buf_addf(b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"serialNumber\":\"urn:uuid:%s\",\"version\":1,", uuid);
	buf_addf(b, "\"metadata\":{\"timestamp\":\"%s\",\"tools\":{\"components\":[{\"type\":\"application\",\"author\":"
		    "\"docksec\",\"name\":\"docksec\",\"version\":\"" DS_VERSION "\"}]},",
		 ts);
	buf_adds(b, "\"component\":{\"bom-ref\":\"image\",\"type\":\"container\",\"name\":");
	jstr(b, name);
	buf_adds(b, ",\"version\":");
	jstr(b, version);
	buf_adds(b, ",\"properties\":[{\"name\":\"docksec:config\",\"value\":");
	jstr(b, im->config_digest);
	buf_adds(b, "}]}},\"components\":[");
	if (inv->os.id) {
		buf_adds(b, "\n{\"bom-ref\":\"os\",\"type\":\"operating-system\",\"name\":");
		jstr(b, inv->os.id);
		if (inv->os.version_id) {
			buf_adds(b, ",\"version\":");
			jstr(b, inv->os.version_id);
		}
		if (inv->os.pretty) {
			buf_adds(b, ",\"description\":");
			jstr(b, inv->os.pretty);
		}
		buf_addc(b, '}');
	}
	for (i = 0; i < inv->npkgs + inv->nlang; i++) {
		const struct img_pkg *p = img_inv_pkg(inv, i);
		const char *purl = img_purl_tmp(scratch, inv, p);
		buf_adds(b, i || inv->os.id ? ",\n{" : "\n{");
		buf_addf(b, "\"bom-ref\":\"pkg-%zu\",\"type\":\"library\",\"name\":", i + 1);
		jstr(b, p->name);
		buf_adds(b, ",\"version\":");
		jstr(b, p->version);
		buf_adds(b, ",\"purl\":");
		jstr(b, purl);
		buf_adds(b, ",\"properties\":[{\"name\":\"docksec:layer\",\"value\":");
		jstr(b, p->layer < im->nlayers ? im->layers[p->layer]->diff_id : "");
		buf_addc(b, '}');
		if (p->source) {
			buf_adds(b, ",{\"name\":\"docksec:source\",\"value\":");
			jstr(b, p->source);
			buf_addc(b, '}');
		}
		if (p->source_version) {
			buf_adds(b, ",{\"name\":\"docksec:source_version\",\"value\":");
			jstr(b, p->source_version);
			buf_addc(b, '}');
		}
		if (p->path) {
			buf_adds(b, ",{\"name\":\"docksec:path\",\"value\":");
			jstr(b, p->path);
			buf_addc(b, '}');
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "\n],\"dependencies\":[{\"ref\":\"image\",\"dependsOn\":[");
	if (inv->os.id)
		buf_adds(b, "\"os\"");
	for (i = 0; i < inv->npkgs + inv->nlang; i++) {
		buf_addf(b, "%s\"pkg-%zu\"", i || inv->os.id ? "," : "", i + 1);
	}
	buf_adds(b, "]}]");
	if (extra)
		extra(b, ud);
	buf_adds(b, "}\n");
}

/* SPDXRef ids: letters, digits, '.', '-' */
static void spdx_id(struct buf *b, const char *prefix, const char *name, size_t n)
{
	buf_adds(b, prefix);
	for (; name && *name; name++)
		buf_addc(b, isalnum((unsigned char)*name) || *name == '.' || *name == '-' ? *name : '-');
	buf_addf(b, "-%zu", n);
}

static void spdx(struct buf *b, const struct doc *d, const struct img_image *im, const struct img_inventory *inv,
		 struct arena *scratch)
{
	const char *uuid = d->uuid, *ts = d->ts, *name = d->name, *version = d->version;
	size_t i;

	buf_adds(b, "{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":");
	jstr(b, im->ref);
	buf_addf(b, ",\"documentNamespace\":\"https://docksec.invalid/spdx/image/%s\",", uuid);
	buf_addf(b, "\"creationInfo\":{\"created\":\"%s\",\"creators\":[\"Tool: docksec-" DS_VERSION "\"]},", ts);
	buf_adds(b, "\"packages\":[{\"SPDXID\":\"SPDXRef-Image\",\"name\":");
	jstr(b, name);
	buf_adds(b, ",\"versionInfo\":");
	jstr(b, version);
	buf_adds(b, ",\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false,\"primaryPackagePurpose\":\"CONTAINER\"");
	if (im->config_digest && strlen(im->config_digest) == 71) {
		buf_adds(b, ",\"checksums\":[{\"algorithm\":\"SHA256\",\"checksumValue\":");
		jstr(b, im->config_digest + 7);
		buf_adds(b, "}]");
	}
	buf_addc(b, '}');
	if (inv->os.id) {
		buf_adds(b, ",\n{\"SPDXID\":\"SPDXRef-OperatingSystem\",\"name\":");
		jstr(b, inv->os.id);
		buf_adds(b, ",\"versionInfo\":");
		jstr(b, inv->os.version_id ? inv->os.version_id : "NOASSERTION");
		buf_adds(b, ",\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false,"
			    "\"primaryPackagePurpose\":\"OPERATING_SYSTEM\"}");
	}
	for (i = 0; i < inv->npkgs + inv->nlang; i++) {
		const struct img_pkg *p = img_inv_pkg(inv, i);
		buf_adds(b, ",\n{\"SPDXID\":\"");
		spdx_id(b, "SPDXRef-Package-", p->name, i + 1);
		buf_adds(b, "\",\"name\":");
		jstr(b, p->name);
		buf_adds(b, ",\"versionInfo\":");
		jstr(b, p->version);
		buf_adds(b, ",\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false,\"primaryPackagePurpose\":\"LIBRARY\"");
		if (p->source) {
			buf_adds(b, ",\"sourceInfo\":");
			jstr(b, arena_printf(scratch, "built package from: %s %s", p->source,
					     p->source_version ? p->source_version : p->version));
		}
		if (p->layer < im->nlayers) {
			buf_adds(b, ",\"comment\":");
			jstr(b, arena_printf(scratch, "installed by layer %zu (%s)", p->layer + 1, im->layers[p->layer]->diff_id));
		}
		buf_adds(b, ",\"externalRefs\":[{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\","
			    "\"referenceLocator\":");
		jstr(b, img_purl_tmp(scratch, inv, p));
		buf_adds(b, "}]}");
	}
	buf_adds(b, "\n],\"relationships\":[{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":\"DESCRIBES\","
		    "\"relatedSpdxElement\":\"SPDXRef-Image\"}");
	if (inv->os.id)
		buf_adds(b, ",{\"spdxElementId\":\"SPDXRef-Image\",\"relationshipType\":\"CONTAINS\","
			    "\"relatedSpdxElement\":\"SPDXRef-OperatingSystem\"}");
	for (i = 0; i < inv->npkgs + inv->nlang; i++) {
		const struct img_pkg *p = img_inv_pkg(inv, i);
		buf_adds(b, ",\n{\"spdxElementId\":\"SPDXRef-Image\",\"relationshipType\":\"CONTAINS\",\"relatedSpdxElement\":\"");
		spdx_id(b, "SPDXRef-Package-", p->name, i + 1);
		buf_adds(b, "\"}");
	}
	buf_adds(b, "\n]}\n");
}

int img_sbom(FILE *out, enum img_sbom kind, const char *input, const struct img_image *im,
	     const struct img_inventory *inv, struct arena *a, void (*extra)(struct buf *b, void *ud), void *ud)
{
	struct buf b = BUF_INIT; /* written as it grows (buf_sink) */
	struct arena scratch;    /* a package's strings, until the next's (img_purl_tmp) */
	struct doc d;
	int rc;

	(void)input;
	buf_sink(&b, out);
	arena_init(&scratch, 0);
	doc_init(&d, a, im);
	if (kind == IMG_SBOM_SPDX)
		spdx(&b, &d, im, inv, &scratch);
	else
		cyclonedx(&b, &d, im, inv, &scratch, extra, ud);
	rc = buf_flush(&b);
	if (!rc && scratch.failed)
		rc = DS_ENOMEM;
	buf_release(&b);
	arena_release(&scratch);
	return rc;
}
