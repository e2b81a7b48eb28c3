/*
 * run.h - what `lint` and `check` share: collecting targets (files,
 * walked directories, stdin), reading them with a size limit, working on
 * them in parallel, resolving each one's .docksec.yaml, the common options
 * (format, gating, ignores, colour, jobs) and writing the report with the
 * exit code.
 *
 * Workers take targets by an atomic index; each target owns its buffer
 * and arena, so workers share nothing but read-only tables and
 * configurations. The report is written in input order once all are done,
 * so output does not depend on the thread count.
 */
#ifndef DS_CMD_RUN_H
#define DS_CMD_RUN_H

#include "cmd.h"
#include "../core/config.h"
#include "../core/opt.h"
#include "../core/report.h"
#include <stdatomic.h>

#define RUN_MAX_TARGETS 1000000
#define RUN_MAX_DEPTH 64

struct cmd_run {
	struct target **t;
	bool *walked; /* per target: found by walking (skip quietly if not ours) */
	size_t n, cap, wcap;
	atomic_size_t next;
	atomic_size_t done;                  /* targets finished, for the progress line */
	bool progress;                       /* stderr is a terminal, not CI, not -q */
	const char *kind;                    /* t->kind of new targets */
	bool (*want)(const char *name);      /* which names a directory walk takes */
	void (*one)(struct cmd_run *, size_t); /* the work on one target */
	void *ctx;
	/* scan: extra report sections (struct rpt_opts) */
	void (*json_extra)(struct buf *b, void *ud);
	void (*text_extra)(struct buf *b, void *ud);
	void *extra_ud;
};

/* Options every target-reading command has. */
struct cmd_common {
	const char *format, *fail_on, *config, *color, *jobs_s;
	const char *severity, *output; /* display filter (a list of levels), report file */
	const char *failure_threshold; /* hadolint's -t */
	bool no_source, no_color, quiet, summary;
	unsigned show;                 /* severities shown (bit per enum ds_sev) */
	struct opt_list ignores, operands, skip_dirs, skip_files;
	/* results of cmd_common_setup() */
	enum rpt_format fmt;
	int threshold;
	long jobs;
	struct ds_config *cli_cfg;
	char **cfg_dirs;
	struct ds_config **cfgs;
	size_t ncfg, cfg_cap, cfgs_cap;
};

#define CMD_COMMON_OPTS(co)                                                                               \
	{'f', "format", OPT_STRING, &(co)->format, "FMT", "text (default), json, sarif, junit, checkstyle, gitlab or html"}, \
	{0, "fail-on", OPT_STRING, &(co)->fail_on, "LEVEL",                                                 \
	 "exit 1 only for findings at or above LEVEL (info low medium high critical none)"},                \
	{0, "severity-threshold", OPT_STRING, &(co)->fail_on, "LEVEL", "same as --fail-on"},                \
	{'t', "failure-threshold", OPT_STRING, &(co)->failure_threshold, "LEVEL",                           \
	 "hadolint's --fail-on: error, warning, info, style or none (or a docksec level)"},                 \
	{'c', "config", OPT_STRING, &(co)->config, "FILE", "use FILE instead of the nearest .docksec.yaml"}, \
	{'i', "ignore", OPT_LIST, &(co)->ignores, "ID",                                                     \
	 "ignore a rule (id or ref like hadolint:DL3008); repeatable"},                                     \
	{0, "color", OPT_STRING, &(co)->color, "WHEN", "auto (default), always or never"},                  \
	{0, "no-color", OPT_BOOL, &(co)->no_color, NULL, "same as --color=never"},                          \
	{0, "no-source", OPT_BOOL, &(co)->no_source, NULL, "text: do not print the offending lines"},       \
	{'j', "jobs", OPT_STRING, &(co)->jobs_s, "N", "worker threads (default: all cores)"},                \
	{'s', "severity", OPT_STRING, &(co)->severity, "LEVELS",                                            \
	 "show only these severities (comma list, e.g. high,critical); --fail-on still sees all"},          \
	{'o', "output", OPT_STRING, &(co)->output, "FILE", "write the report to FILE (replaced atomically)"}, \
	{'q', "quiet", OPT_BOOL, &(co)->quiet, NULL, "no notices on stderr, no summary line"},              \
	{0, "summary", OPT_BOOL, &(co)->summary, NULL, "text: one line per rule with its count and files"}, \
	{0, "skip-dirs", OPT_LIST, &(co)->skip_dirs, "GLOB", "leave out files below these directories; repeatable"}, \
	{0, "skip-files", OPT_LIST, &(co)->skip_files, "GLOB", "leave out these files (path or name); repeatable"}

void cmd_common_init(struct cmd_common *co);
void cmd_common_release(struct cmd_common *co);
/* Validate the common options (DS_EUSAGE) and load --config. */
int cmd_common_parse(struct cmd_common *co, struct ds_err *err);
/* Resolve configurations, apply --ignore and excludes, pick the gate. */
int cmd_common_prepare(struct cmd_common *co, struct cmd_run *run, struct ds_err *err);
/* Write what write(out, ud) writes (0, DS_EWRITE with errno, or another
 * DS_E* code) to -o/--output, replaced atomically (a device or FIFO in
 * place), or to stdout. */
int cmd_write_output(struct cmd_common *co, int (*write)(FILE *out, void *ud), void *ud, struct ds_err *err);
/* Write the report; returns the exit code. */
int cmd_common_report(struct cmd_common *co, struct cmd_run *run, const char *command);

int run_add(struct cmd_run *run, const char *path, bool walked, struct ds_err *err);
/* Add a target whose data is given (owned by the caller until released). */
int run_add_data(struct cmd_run *run, const char *path, const char *data, struct ds_err *err);
int run_walk(struct cmd_run *run, const char *dir, int depth, struct ds_err *err);
/* Add each operand: "-" (stdin), a directory (walked) or a file. */
int run_add_operands(struct cmd_run *run, const struct opt_list *ops, struct ds_err *err);
/* Read t->path (or stdin for "-") into t->data; errors go to t->err. */
int run_read(struct target *t, size_t max);
/* The same for a target found by walking a directory (walked true): no
 * link is followed and only a regular file is read. */
int run_read_as(struct target *t, size_t max, bool walked);
void run_all(struct cmd_run *run, long jobs);
/* Drop target i (and shift the rest). */
void run_drop(struct cmd_run *run, size_t i);
void run_release(struct cmd_run *run);

#endif
