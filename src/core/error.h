/*
 * error.h - the one list of docksec's error codes, and the error record.
 *
 * Every failure is an enumerated code with a message (curl's habit); the
 * list is one X-macro so the enum and the message table can never drift
 * apart (libuv's habit). Library functions return 0 or a negative DS_E*
 * code and fill the caller's struct ds_err; the first error set wins, so a
 * low-level cause is not overwritten by the generic failure of its callers.
 * Only src/cmd/ turns an error into text on stderr and an exit code.
 */
#ifndef DS_ERROR_H
#define DS_ERROR_H

#include <stddef.h>

#define DS_RC_MAP(X)                                                                  \
	X(NOMEM, "out of memory")                                                     \
	X(IO, "cannot read input")                                                    \
	X(WRITE, "cannot write output")                                               \
	X(PARSE, "syntax error")                                                      \
	X(LIMIT, "input exceeds a limit")                                             \
	X(BINARY, "input is binary, not text")                                        \
	X(UTF8, "input is not valid UTF-8")                                           \
	X(USAGE, "usage error")                                                       \
	X(CONFIG, "invalid configuration")                                            \
	X(NOTFOUND, "not found")                                                      \
	X(INTERNAL, "internal error")

enum ds_rc {
	DS_OK = 0,
#define DS_RC_ENUM(name, msg) DS_E##name,
	DS_RC_FIRST_ = -100,
	DS_RC_MAP(DS_RC_ENUM)
#undef DS_RC_ENUM
};

/* Where and why something failed. file is borrowed from the caller and must
 * outlive the record; line/col are 1-based, 0 when unknown. */
struct ds_err {
	int code;
	const char *file;
	int line;
	int col;
	char msg[512];
};

/* Name ("DS_EPARSE") and default message of a code; never NULL. */
const char *ds_rc_name(int code);
const char *ds_rc_message(int code);

/* Record an error unless one is already recorded; returns code so callers
 * can write `return ds_err_set(err, DS_EPARSE, ...)`. err may be NULL. */
int ds_err_set(struct ds_err *err, int code, const char *file, int line, int col,
	       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int ds_oom(struct ds_err *err);
/* err->file, when it is transient (a directory entry, an archive member,
 * a URL about to be freed), copied to storage of this thread's that lives
 * until the next call; one error is kept, so one copy is enough. */
void ds_err_keep_file(struct ds_err *err, const char *transient);
void ds_err_clear(struct ds_err *err);

#endif
