/*
 * domains.c - the domains this program is built with, registered with
 * the rule registry in the order `docksec rules` lists them.
 *
 * Core (src/core/registry.c) names no domain; this file is the one place
 * that does. A new domain (image rules for scan, request rules for proxy)
 * adds its table here and nowhere else. main() calls it first; the unit
 * tests and fuzz targets call it before they look up a rule.
 */
#include "core/finding.h"
#include "dockerfile/lint.h"
#include "container/check.h"
#include "host/audit.h"
#include "image/scan.h"
#include "vulndb/gate.h"

void ds_domains_register(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	rules_register(df_rules, df_rules_n);
	rules_register(ct_rules, ct_rules_n);
	au_register();
	rules_register(img_rules, img_rules_n);
	rules_register(vdb_rules, vdb_rules_n);
}
