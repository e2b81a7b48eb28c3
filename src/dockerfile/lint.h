/*
 * lint.h - the Dockerfile lint context and entry point.
 *
 * df_lint() parses nothing: it takes a parsed file, splits every RUN into
 * shell commands once (the shell form line, `sh -c` in exec form, and
 * heredoc bodies fed to a shell), works out which stages end up in the
 * final image, and runs every rule of the Dockerfile table on that. Rules
 * report through df_report*(), which applies inline ignores
 * (`# docksec ignore=ID`, `# hadolint ignore=DLxxxx`, and their `global`
 * forms) before the target's configuration sees the finding.
 */
#ifndef DS_DF_LINT_H
#define DS_DF_LINT_H

#include "df.h"
#include "../shell/shell.h"
#include "../core/finding.h"

enum df_script_kind {
	DF_SCRIPT_TEXT,    /* offsets into in->text */
	DF_SCRIPT_FLAT,    /* a decoded string (exec form sh -c): no offsets */
	DF_SCRIPT_HEREDOC, /* offsets into a heredoc body */
};

struct df_script {
	struct sh_script sh;
	enum df_script_kind kind;
	size_t base; /* TEXT: offset of the script in in->text */
	const struct df_heredoc *h;
};

struct df_run {
	struct df_script *scripts;
	size_t n;
};

struct df_lint {
	struct target *t;
	struct df_file *f;
	struct arena *a;
	struct df_run *runs; /* per instruction, RUN only */
	int final_stage;
	bool *in_final; /* per stage: the final stage or one it is built FROM */
	char **global_ignores;
	size_t nglobal_ignores;
	struct df_stage_name {
		const char *name; /* lowercased */
		size_t s;
	} *names; /* the named stages, by name then index: a name's first stage is found, not searched for */
	size_t nnames;
};

/* The Dockerfile rule table (src/dockerfile/rules.c). */
extern const struct rule df_rules[];
extern const size_t df_rules_n;

/* Run every Dockerfile rule on f, adding findings to t. */
int df_lint(struct target *t, struct df_file *f);

#endif
