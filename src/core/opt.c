/*
 * opt.c - option parsing from a table.
 */
#include "opt.h"

static int list_push(struct opt_list *l, const char *s)
{
	if (ds_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)))
		return DS_ENOMEM;
	l->v[l->n++] = s;
	return 0;
}

void opt_list_release(struct opt_list *l)
{
	ds_free(l->v);
	memset(l, 0, sizeof(*l));
}

static int set(const struct opt *o, const char *val, struct ds_err *err)
{
	switch (o->type) {
	case OPT_BOOL:
		*(bool *)o->dst = true;
		return 0;
	case OPT_STRING:
		*(const char **)o->dst = val;
		return 0;
	case OPT_LIST:
		return list_push(o->dst, val) ? ds_oom(err) : 0;
	default:
		return DS_EUSAGE;
	}
}

int opt_parse(int argc, char **argv, const struct opt *opts, struct opt_list *operands,
	      struct ds_err *err)
{
	int i;
	bool only_operands = false;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct opt *o;

		if (only_operands || a[0] != '-' || !a[1]) {
			if (list_push(operands, a))
				return ds_oom(err);
			continue;
		}
		if (!strcmp(a, "--")) {
			only_operands = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return OPT_HELP_REQUESTED;
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t nl = eq ? (size_t)(eq - name) : strlen(name);
			for (o = opts; o->type != OPT_END; o++)
				if (o->lng && strlen(o->lng) == nl && !strncmp(o->lng, name, nl))
					break;
			if (o->type == OPT_END)
				return ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "unknown option '--%.*s'",
						  (int)nl, name);
			if (o->type == OPT_BOOL) {
				if (eq)
					return ds_err_set(err, DS_EUSAGE, NULL, 0, 0,
							  "option '--%s' takes no value", o->lng);
				set(o, NULL, err);
				continue;
			}
			if (eq) {
				if (set(o, eq + 1, err))
					return DS_ENOMEM;
			} else if (i + 1 < argc) {
				if (set(o, argv[++i], err))
					return DS_ENOMEM;
			} else {
				return ds_err_set(err, DS_EUSAGE, NULL, 0, 0,
						  "option '--%s' needs a value (%s)", o->lng,
						  o->argh ? o->argh : "value");
			}
			continue;
		}
		for (o = opts; o->type != OPT_END; o++)
			if (o->shrt && o->shrt == a[1])
				break;
		if (o->type == OPT_END)
			return ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "unknown option '-%c'", a[1]);
		if (o->type == OPT_BOOL) {
			if (a[2])
				return ds_err_set(err, DS_EUSAGE, NULL, 0, 0,
						  "option '-%c' takes no value", a[1]);
			set(o, NULL, err);
		} else if (a[2]) {
			if (set(o, a + 2, err))
				return DS_ENOMEM;
		} else if (i + 1 < argc) {
			if (set(o, argv[++i], err))
				return DS_ENOMEM;
		} else {
			return ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "option '-%c' needs a value (%s)",
					  a[1], o->argh ? o->argh : "value");
		}
	}
	return 0;
}

void opt_usage(FILE *out, const char *usage, const char *description, const struct opt *opts)
{
	const struct opt *o;

	fprintf(out, "usage: %s\n\n%s\n\noptions:\n", usage, description);
	for (o = opts; o->type != OPT_END; o++) {
		char left[64];
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s", o->shrt ? "-" : "", o->shrt ? o->shrt : ' ',
			 o->shrt ? ", " : "  ", o->lng, o->type != OPT_BOOL ? " " : "",
			 o->type != OPT_BOOL ? (o->argh ? o->argh : "VALUE") : "");
		fprintf(out, "  %-34s %s\n", o->shrt ? left : left + 1, o->help);
	}
	fprintf(out, "  %-34s %s\n", "-h, --help", "show this help");
}
