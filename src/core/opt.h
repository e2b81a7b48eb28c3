/*
 * opt.h - a small table-driven option parser (git's parse-options habit).
 *
 * Each subcommand declares its options once; the same table drives
 * parsing and the --help text, so the two cannot disagree. Supports
 * --long, --long=value, --long value, -s value, -svalue, "--" and "-" as
 * an operand. -h/--help is built in.
 */
#ifndef DS_OPT_H
#define DS_OPT_H

#include "ds.h"

enum opt_type { OPT_END, OPT_BOOL, OPT_STRING, OPT_LIST };

struct opt_list {
	const char **v;
	size_t n, cap;
};

struct opt {
	char shrt;
	const char *lng;
	enum opt_type type;
	void *dst; /* bool *, const char **, struct opt_list * */
	const char *argh;
	const char *help;
};

#define OPT_HELP_REQUESTED 1

/* Parse argv[1..argc); operands are collected in *operands (argv pointers).
 * Returns 0, OPT_HELP_REQUESTED, or DS_EUSAGE with err->msg set. */
int opt_parse(int argc, char **argv, const struct opt *opts, struct opt_list *operands,
	      struct ds_err *err);
void opt_usage(FILE *out, const char *usage, const char *description, const struct opt *opts);
void opt_list_release(struct opt_list *l);

#endif
