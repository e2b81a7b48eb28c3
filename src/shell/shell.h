/*
 * shell.h - split POSIX shell text into simple commands with argv lists.
 *
 * Rules must see "apt-get install -y curl" as a command with a package
 * manager, a sub-command, flags and packages, not grep the RUN text. The
 * splitter understands what real Dockerfiles contain: &&, ||, ;, |, &,
 * newlines, line continuations, single and double quotes, backslashes,
 * $VAR and ${VAR...}, $(...) and backticks (whose commands are split too),
 * ( subshells ), { groups; }, if/then/else/fi, for/while/until ... do/done,
 * case ... esac, redirections (including heredoc bodies inside a script,
 * which are skipped), VAR=value prefixes, and `sh -c 'script'` / `bash -c`
 * (the script is split as well). It does not execute or expand anything:
 * a word keeps $VAR as written and is marked dynamic.
 *
 * Offsets are into the text given to sh_split(); commands found inside a
 * `sh -c` string or a $(...) point at the word that contains them.
 * Nesting is bounded (SH_MAX_DEPTH), and so are the bytes nested strings
 * lex all together (SH_NESTED_PER_BYTE) and the command count.
 */
#ifndef DS_SHELL_H
#define DS_SHELL_H

#include "../core/ds.h"

#define SH_MAX_DEPTH 16
#define SH_NESTED_PER_BYTE 16 /* nested strings lexed, all together: 16 times the script, plus 4 KiB */
#define SH_MAX_COMMANDS 100000

enum sh_op {
	SH_END,  /* end of script */
	SH_SEQ,  /* ; newline & */
	SH_AND,  /* && */
	SH_OR,   /* || */
	SH_PIPE, /* | or |& */
};

struct sh_word {
	char *s;      /* quotes removed, escapes resolved, $ kept as written */
	uint32_t off; /* raw span in the source */
	uint32_t len;
	bool quoted;  /* any part was quoted */
	bool dynamic; /* contains $, ` or $( */
};

struct sh_redir {
	char op[4];   /* ">", ">>", "<", "<<", "<<-", "<<<", ">&", "&>" ... */
	int fd;       /* -1 when not given */
	struct sh_word target;
};

struct sh_cmd {
	struct sh_word *argv;
	size_t argc;
	struct sh_word *assigns; /* VAR=value prefixes */
	size_t nassigns;
	struct sh_redir *redirs;
	size_t nredirs;
	enum sh_op op;     /* the operator that follows this command */
	uint32_t pipeline; /* commands joined by | share the number */
	uint32_t off;      /* where the command starts in the source */
	uint16_t depth;    /* 0 at top level; +1 in $( ), ( ), sh -c */
	bool in_subshell;  /* inside ( ) or $( ): its cd does not persist */
	bool in_condition; /* an if/while condition or left of || */
	bool from_string;  /* found inside a sh -c string or $( ) */
	struct str name;   /* sh_cmd_name(), computed once by the splitter */
	size_t name_idx;
};

struct sh_script {
	struct sh_cmd *cmds;
	size_t n, cap;
	uint32_t npipelines;
	bool truncated; /* a limit was hit; what was split is still valid */
};

/* Split src[0..len) into s (zeroed by the caller). Returns 0 or DS_ENOMEM;
 * unbalanced quotes and the like are not errors (the shell would fail at
 * build time; the rules still see what came before). */
int sh_split(struct arena *a, const char *src, size_t len, struct sh_script *s);

/* The command name after wrappers (sudo, env, command, exec, nice, nohup,
 * time, xargs, stdbuf, timeout), as a basename; sets *argi to its index.
 * Returns an empty slice when there is none. */
struct str sh_cmd_name(const struct sh_cmd *c, size_t *argi);
bool sh_cmd_is(const struct sh_cmd *c, const char *name, size_t *argi);
/* Is the word one of the POSIX shells (sh, bash, dash, ash, zsh, ksh, mksh, busybox sh)? */
bool sh_is_shell(struct str name);

#endif
