/*
 * fuzz_lock.c - libFuzzer target for the npm lockfile reader (langpkg.c),
 * which walks the document in place: it must add exactly the packages
 * that a reading through jansson's tree adds (the reader it replaced,
 * kept here as the oracle), and nothing when jansson refuses the input.
 * Inputs with a NUL byte are not compared: no JSON has one, and jansson
 * drops one that follows a number or a literal (`[1\0]` is `[1]`) but
 * refuses it elsewhere; the reader refuses every one. Nor are those whose
 * v1 "dependencies" nest deeper than the reader's work bound allows.
 */
#include "image/langpkg.h"
#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct list {
	char **v;
	size_t n;
};

static void oracle_add(struct list *l, const char *name, json_t *e)
{
	const char *v = json_string_value(json_object_get(e, "version"));

	if (!name || !*name || !v || !*v || json_is_true(json_object_get(e, "dev")) ||
	    json_is_true(json_object_get(e, "link")) || !img_lang_printable(name) || !img_lang_printable(v) ||
	    strlen(name) > 214 || strlen(v) > 128 || strchr(v, ':'))
		return;
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (asprintf(&l->v[l->n], "%s@%s", name, v) < 0)
		abort();
	l->n++;
}

static int v1_depth; /* the deepest "dependencies" nesting the oracle walked */

static void oracle_v1(struct list *l, json_t *deps, int depth)
{
	const char *name;
	json_t *e;

	if (depth > v1_depth)
		v1_depth = depth;
	json_object_foreach(deps, name, e)
	{
		oracle_add(l, name, e);
		if (json_is_object(json_object_get(e, "dependencies")))
			oracle_v1(l, json_object_get(e, "dependencies"), depth + 1);
	}
}

static void oracle(struct list *l, const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, 0, NULL), *pk = json_object_get(j, "packages"), *e;
	const char *key;

	if (json_is_object(pk)) {
		json_object_foreach(pk, key, e)
		{
			const char *nm = NULL, *p = key;
			while ((p = strstr(p, "node_modules/")))
				nm = p++;
			if (nm && (nm == key || nm[-1] == '/'))
				oracle_add(l, nm + 13, e);
		}
	} else if (json_is_object(json_object_get(j, "dependencies"))) {
		oracle_v1(l, json_object_get(j, "dependencies"), 1);
	}
	json_decref(j);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct img_pkg *v = NULL;
	size_t n = 0, cap = 0, i;
	struct ds_err err = {0};
	struct list want = {0}, got = {0};

	arena_init(&a, 1u << 26);
	if (img_lang_lock(&a, "/app/package-lock.json", (const char *)data, size, &v, &n, &cap, &err) == 0) {
		if (size && memchr(data, 0, size)) {
			if (n)
				abort(); /* refused */
			arena_release(&a);
			return 0;
		}
		v1_depth = 0;
		oracle(&want, data, size);
		/* a value or string byte is walked at most once per v1 level, plus three
		 * times (counting both: 2 x (depth + 3) times the size): the reader's
		 * LOCK_WORK bound (64 times the size) can only stop a deeper one */
		if (v1_depth + 3 > 32 && !n) {
			for (i = 0; i < want.n; i++)
				free(want.v[i]);
			free(want.v);
			arena_release(&a);
			return 0;
		}
		for (i = 0; i < n; i++) {
			got.v = realloc(got.v, (got.n + 1) * sizeof(*got.v));
			if (asprintf(&got.v[got.n++], "%s@%s", v[i].name, v[i].version) < 0)
				abort();
		}
		if (want.n > 1)
			qsort(want.v, want.n, sizeof(*want.v), by_str);
		if (got.n > 1)
			qsort(got.v, got.n, sizeof(*got.v), by_str);
		if (want.n != got.n)
			abort();
		for (i = 0; i < n; i++)
			if (strcmp(want.v[i], got.v[i]))
				abort();
	}
	for (i = 0; i < want.n; i++)
		free(want.v[i]);
	for (i = 0; i < got.n; i++)
		free(got.v[i]);
	free(want.v);
	free(got.v);
	arena_release(&a);
	return 0;
}
