/*
 * df.h - the Dockerfile model: a parsed file with exact positions.
 *
 * The parser follows BuildKit's own parser (the reference every `docker
 * build` uses) so that what docksec judges is what the daemon builds:
 * parser directives, escape tokens, continuation lines with comments and
 * blank lines inside, heredocs, builder flags, exec (JSON) form, ONBUILD.
 * Where BuildKit would stop with an error, df_parse() returns DS_EPARSE
 * with the file and line; instruction-level problems that BuildKit finds
 * only later (a FROM with wrong arguments, an unknown instruction) are left
 * to the rules, so the rest of the file is still linted.
 *
 * A logical line (an instruction with its continuation lines joined) is
 * kept as text plus a segment map from text offsets back to physical
 * line:column, so a rule can point at the exact `apt-get install` inside a
 * ten-line RUN. Everything lives in the caller's arena.
 */
#ifndef DS_DF_H
#define DS_DF_H

#include "../core/ds.h"

enum df_cmd {
	DF_UNKNOWN,
	DF_ADD,
	DF_ARG,
	DF_CMD,
	DF_COPY,
	DF_ENTRYPOINT,
	DF_ENV,
	DF_EXPOSE,
	DF_FROM,
	DF_HEALTHCHECK,
	DF_LABEL,
	DF_MAINTAINER,
	DF_ONBUILD,
	DF_RUN,
	DF_SHELL,
	DF_STOPSIGNAL,
	DF_USER,
	DF_VOLUME,
	DF_WORKDIR,
};

/* Limits on hostile input (documented in docs/docksec.1). */
#define DF_MAX_BYTES (32u << 20)
#define DF_MAX_LINE (1u << 20)
#define DF_MAX_INSTRUCTIONS 100000
#define DF_MAX_HEREDOCS 64

struct df_seg {
	uint32_t off;  /* offset in the logical line */
	uint32_t line; /* physical line, 1-based */
	uint32_t col;  /* physical column of that offset, 1-based */
};

struct df_flag {
	char *name;  /* "mount" for --mount=type=secret,id=x */
	char *value; /* "type=secret,id=x"; "" when has_value is false */
	bool has_value;
};

struct df_heredoc {
	char *name;
	bool chomp;  /* <<- */
	bool expand; /* delimiter unquoted: variables expand in the body */
	unsigned fd;
	const char *body; /* raw lines, newlines included, into the file buffer */
	size_t body_len;
	int line;     /* first body line */
	int end_line; /* the terminator's line */
};

struct df_comment {
	const char *text; /* after '#', trimmed, into the file buffer */
	size_t len;
	int line;
};

struct df_instr {
	enum df_cmd cmd;
	char *keyword; /* as written */
	char *text;    /* the logical line, continuations joined */
	size_t len;
	int line, end_line;
	int col; /* column of the keyword */
	struct df_seg *segs;
	size_t nsegs;
	char **flag_words; /* BuildKit's flag words, "--mount=type=cache" */
	struct df_flag *flags;
	size_t nflags;
	const char *rest; /* arguments after the flags, trimmed (into text) */
	size_t rest_len;
	bool json; /* exec form */
	/* Arguments as BuildKit's node list: FROM/EXPOSE words, ENV/LABEL
	 * triples (key, value, "=" or ""), JSON elements, or the shell form
	 * text as one element. */
	char **args;
	size_t *arg_lens; /* lengths: an exec-form string may hold \u0000 */
	size_t nargs;
	struct df_heredoc *heredocs;
	size_t nheredocs;
	struct df_instr *sub; /* ONBUILD's instruction */
	struct df_comment *comments; /* the comment block just before */
	size_t ncomments;
	int stage; /* index in df_file.stages, -1 before the first FROM */
	bool empty_continuation;
};

struct df_var {
	char *name;
	char *value;
	bool has_value;
};

struct df_stage {
	int index;
	char *name;       /* "AS name", lowercased, or NULL */
	char *image;      /* as written */
	char *image_expanded;
	bool unresolved;  /* a variable in the image had no value */
	int base_stage;   /* FROM an earlier stage: its index, else -1 */
	size_t from;      /* index of the FROM instruction */
	size_t first, last; /* instruction index range [first, last] */
	char *platform;   /* --platform value or NULL */
};

struct df_directive {
	char *name; /* lowercased */
	char *value;
	int line;
};

struct df_file {
	const char *path;
	const char *data;
	size_t len;
	char escape;
	struct df_directive dirs[4];
	size_t ndirs;
	struct df_instr *ins;
	size_t nins;
	struct df_stage *stages;
	size_t nstages;
	struct df_var *global_args;
	size_t nglobal_args;
	struct arena *arena;
};

/* Parse data (len bytes, not necessarily NUL-terminated) into out, using a
 * for everything. Returns 0 or a DS_E* code with err filled (file, line). */
int df_parse(struct arena *a, const char *path, const char *data, size_t len, struct df_file *out,
	     struct ds_err *err);

/* Physical line and column of offset off in in->text. */
void df_pos(const struct df_instr *in, size_t off, int *line, int *col);

const char *df_cmd_name(enum df_cmd c);

/* Print the AST in BuildKit's test format: one "(cmd ...)" line per
 * instruction, as BuildKit's Node.Dump() does. */
void df_dump_ast(const struct df_file *f, struct buf *out);

/* Expand $VAR, ${VAR}, ${VAR:-x}, ${VAR-x}, ${VAR:+x}, ${VAR+x} in s with
 * the given variables (later entries win). *unresolved is set when a
 * referenced variable has no value. Returns an arena string or NULL. */
char *df_expand(struct arena *a, const char *s, char escape, const struct df_var *vars,
		size_t nvars, bool *unresolved);

/* Remove one level of shell-style quoting from an ENV/LABEL/ARG value
 * ("a b" -> a b, a\ b -> a b). Arena string or NULL. */
char *df_unquote(struct arena *a, const char *s, char escape);

/* The value of flag --name on in, or NULL. */
const struct df_flag *df_flag_get(const struct df_instr *in, const char *name);

#endif
