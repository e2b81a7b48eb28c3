/*
 * sbom.h - an image's inventory as a software bill of materials:
 * CycloneDX 1.5 JSON and SPDX 2.3 JSON, each package with its purl, the
 * layer that installed it and its source package. The document's serial
 * number / namespace derive from the image's config digest, so the same
 * image gives the same identifiers; the creation time is SOURCE_DATE_EPOCH
 * when set, else now.
 */
#ifndef DS_IMG_SBOM_H
#define DS_IMG_SBOM_H

#include "scan.h"
#include "../core/buf.h"
#include <stdio.h>

enum img_sbom { IMG_SBOM_CYCLONEDX, IMG_SBOM_SPDX };

/* Write the SBOM of im (read from input, inventoried as inv) to out, as
 * it is made (64 KiB at a time): 0, DS_ENOMEM or DS_EWRITE. extra, when
 * not NULL, writes more top-level members of a CycloneDX document
 * (",\"vulnerabilities\":[...]") before its closing brace. */
int img_sbom(FILE *out, enum img_sbom kind, const char *input, const struct img_image *im,
	     const struct img_inventory *inv, struct arena *a, void (*extra)(struct buf *b, void *ud), void *ud);
/* The CycloneDX bom-ref of package p of inv ("pkg-N": its place in the
 * inventory, OS packages first), in a. */
const char *img_sbom_ref(struct arena *a, const struct img_inventory *inv, const struct img_pkg *p);

#endif
