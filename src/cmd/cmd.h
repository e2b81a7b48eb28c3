/*
 * cmd.h - the subcommands. Each lives in its own file (cmd_lint() in
 * src/cmd/lint.c, as git's builtin/ does) and is the only layer that
 * prints errors and picks exit codes.
 */
#ifndef DS_CMD_H
#define DS_CMD_H

#include "../core/ds.h"

/* Exit codes, documented in docs/docksec.1. */
#define DS_EXIT_OK 0
#define DS_EXIT_FINDINGS 1
#define DS_EXIT_ERROR 2

int cmd_lint(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_cache(int argc, char **argv);
int cmd_db(int argc, char **argv);
/* The vulnerability database's path: given (--db), else DOCKSEC_DB, else
 * the default (its directory created when create is true). */
int cmd_db_path(const char *given, char *out, size_t n, bool create, struct ds_err *err);
int cmd_rules(int argc, char **argv);
int cmd_completion(int argc, char **argv);

/* "docksec: error: ..." on stderr; returns DS_EXIT_ERROR. */
int cmd_error(const struct ds_err *err);
/* "docksec: MESSAGE" on stderr, control characters from the data as \xNN. */
void cmd_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A progress line on a terminal's stderr: shown once the work has taken a
 * second, redrawn at most five times a second, cleared at the end; never
 * in a pipe or with CI set (run.c). */
struct cmd_progress {
	long start, last;
	bool on, shown;
};
void cmd_progress_init(struct cmd_progress *p, bool wanted);
/* Time to redraw? (then the caller prints "\rdocksec: ...") */
bool cmd_progress_due(struct cmd_progress *p);
void cmd_progress_end(struct cmd_progress *p);
/* -q: cmd_notice() says nothing. */
void cmd_set_quiet(bool quiet);

#endif
