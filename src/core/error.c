/*
 * error.c - message table and the "first error wins" recorder.
 */
#include "ds.h"

#define DS_RC_NAME(name, msg) "DS_E" #name,
#define DS_RC_MSG(name, msg) msg,
static const char *const rc_names[] = {DS_RC_MAP(DS_RC_NAME)};
static const char *const rc_msgs[] = {DS_RC_MAP(DS_RC_MSG)};

static int rc_index(int code)
{
	int i = code - DS_RC_FIRST_ - 1;
	if (i < 0 || (size_t)i >= sizeof(rc_names) / sizeof(rc_names[0]))
		return -1;
	return i;
}

const char *ds_rc_name(int code)
{
	int i = rc_index(code);
	return code == DS_OK ? "DS_OK" : i < 0 ? "DS_EUNKNOWN" : rc_names[i];
}

const char *ds_rc_message(int code)
{
	int i = rc_index(code);
	return code == DS_OK ? "ok" : i < 0 ? "unknown error" : rc_msgs[i];
}

int ds_err_set(struct ds_err *err, int code, const char *file, int line, int col,
	       const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code)
		return code;
	err->code = code;
	err->file = file;
	err->line = line;
	err->col = col;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	} else {
		snprintf(err->msg, sizeof(err->msg), "%s", ds_rc_message(code));
	}
	return code;
}

void ds_err_keep_file(struct ds_err *err, const char *transient)
{
	static _Thread_local char named[PATH_MAX + 300];

	if (err && transient && err->file == transient) {
		snprintf(named, sizeof(named), "%s", transient);
		err->file = named;
	}
}

int ds_oom(struct ds_err *err)
{
	return ds_err_set(err, DS_ENOMEM, NULL, 0, 0, NULL);
}

void ds_err_clear(struct ds_err *err)
{
	memset(err, 0, sizeof(*err));
}
