/*
 * layers.c - setuid/setgid files of an image's final view (see layers.h).
 */
#include "layers.h"
#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <sys/stat.h>

struct layer {
	const char *name;      /* its entry in the outer archive: "abc/layer.tar" */
	const char **paths;    /* every path it holds, sorted */
	size_t npaths, cap;
	const char **wh;       /* whiteouts: "/dir/name" (hide), "/dir/" (opaque) */
	size_t nwh, capwh;
	struct img_file *set;  /* its setuid/setgid regular files */
	size_t nset, capset;
};

struct nested {
	struct archive *outer;
	char buf[65536];
};

static la_ssize_t nested_read(struct archive *ar, void *ud, const void **out)
{
	struct nested *n = ud;
	la_ssize_t r = archive_read_data(n->outer, n->buf, sizeof(n->buf));

	(void)ar;
	*out = n->buf;
	return r < 0 ? -1 : r;
}

/* "./usr/bin/x", "usr/bin/x/" -> "/usr/bin/x" */
static const char *norm(struct arena *a, const char *p)
{
	size_t n;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	while (*p == '/')
		p++;
	n = strlen(p);
	while (n && p[n - 1] == '/')
		n--;
	return arena_printf(a, "/%.*s", (int)n, p);
}

static int by_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* One layer from the outer archive's current entry; false when it is not a tar. */
static int read_layer(struct archive *outer, struct arena *a, struct layer *l, struct ds_err *err)
{
	struct nested n = {outer, {0}};
	struct archive *in = archive_read_new();
	struct archive_entry *e;
	int r, rc = 0;
	bool first = true;

	if (!in)
		return ds_oom(err);
	archive_read_support_format_tar(in);
	archive_read_support_filter_all(in);
	if (archive_read_open(in, &n, NULL, nested_read, NULL) != ARCHIVE_OK) {
		archive_read_free(in);
		return 1; /* an empty or unreadable entry: not a layer */
	}
	while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *p = archive_entry_pathname(e), *base;
		mode_t m = archive_entry_mode(e);
		first = false;
		if (!p)
			continue;
		if (l->npaths >= IMG_MAX_ENTRIES) {
			rc = ds_err_set(err, DS_ELIMIT, l->name, 0, 0, "layer has more than %u entries", IMG_MAX_ENTRIES);
			break;
		}
		p = norm(a, p);
		base = strrchr(p, '/') + 1;
		if (!strncmp(base, ".wh.", 4)) {
			const char *w = !strcmp(base, ".wh..wh..opq") ? arena_printf(a, "%.*s/", (int)(base - p - 1), p)
								       : arena_printf(a, "%.*s%s", (int)(base - p), p, base + 4);
			if (arena_grow(a, (void **)&l->wh, &l->capwh, l->nwh + 1, sizeof(*l->wh)))
				return ds_oom(err);
			l->wh[l->nwh++] = w;
			continue;
		}
		if (arena_grow(a, (void **)&l->paths, &l->cap, l->npaths + 1, sizeof(*l->paths)))
			return ds_oom(err);
		l->paths[l->npaths++] = p;
		if (S_ISREG(m) && (m & (S_ISUID | S_ISGID))) {
			if (arena_grow(a, (void **)&l->set, &l->capset, l->nset + 1, sizeof(*l->set)))
				return ds_oom(err);
			l->set[l->nset++] = (struct img_file){p, (unsigned)(m & 07777), 0};
		}
	}
	if (!rc && r != ARCHIVE_EOF && first) {
		rc = 1; /* not a tar at all (a JSON blob) */
	} else if (!rc && r != ARCHIVE_EOF) {
		rc = ds_err_set(err, DS_EPARSE, l->name, 0, 0, "broken layer archive: %s", archive_error_string(in));
	}
	archive_read_free(in);
	if (l->npaths)
		qsort(l->paths, l->npaths, sizeof(*l->paths), by_str);
	return rc;
}

static bool under(const char *path, const char *dir) /* dir ends with '/' or is a path */
{
	size_t n = strlen(dir);
	if (n && dir[n - 1] == '/')
		return !strncmp(path, dir, n) && path[n];
	return !strcmp(path, dir) || (!strncmp(path, dir, n) && path[n] == '/');
}

static int by_path(const void *x, const void *y)
{
	return strcmp(((const struct img_file *)x)->path, ((const struct img_file *)y)->path);
}

int img_setid_files(int fd, struct arena *a, struct img_file **out, size_t *nout, struct ds_err *err)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *e;
	struct layer *ls = NULL;
	size_t nl = 0, capl = 0, i, k, j, nv = 0, capv = 0;
	struct img_file *view = NULL;
	char *manifest = NULL;
	json_t *mj = NULL, *layers;
	int r, rc = 0;

	*out = NULL;
	*nout = 0;
	if (!ar)
		return ds_oom(err);
	archive_read_support_format_tar(ar);
	if (archive_read_open_fd(ar, fd, 65536) != ARCHIVE_OK) {
		rc = ds_err_set(err, DS_EPARSE, "image", 0, 0, "not an image archive: %s", archive_error_string(ar));
		goto done;
	}
	while (!rc && ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		const char *p = archive_entry_pathname(e);
		if (!p || !S_ISREG(archive_entry_mode(e)))
			continue;
		if (!strcmp(p, "manifest.json")) {
			la_int64_t size = archive_entry_size(e);
			if (size < 0 || size > IMG_MAX_MANIFEST) {
				rc = ds_err_set(err, DS_ELIMIT, "manifest.json", 0, 0, "larger than %u MiB", IMG_MAX_MANIFEST >> 20);
				break;
			}
			manifest = arena_alloc(a, (size_t)size + 1);
			if (!manifest || archive_read_data(ar, manifest, (size_t)size) != size) {
				rc = manifest ? ds_err_set(err, DS_EPARSE, "manifest.json", 0, 0, "truncated") : ds_oom(err);
				break;
			}
			manifest[size] = 0;
			continue;
		}
		if (strstr(p, ".json") || !strcmp(p, "repositories") || !strcmp(p, "oci-layout") || !strcmp(p, "VERSION"))
			continue;
		if (nl >= IMG_MAX_LAYERS) {
			rc = ds_err_set(err, DS_ELIMIT, p, 0, 0, "more than %u layers", IMG_MAX_LAYERS);
			break;
		}
		if (arena_grow(a, (void **)&ls, &capl, nl + 1, sizeof(*ls))) {
			rc = ds_oom(err);
			break;
		}
		memset(&ls[nl], 0, sizeof(*ls));
		ls[nl].name = arena_strdup(a, p);
		r = read_layer(ar, a, &ls[nl], err);
		if (r < 0)
			rc = r;
		else if (r == 0)
			nl++;
	}
	if (rc)
		goto done;
	if (!manifest || !(mj = json_loads(manifest, JSON_REJECT_DUPLICATES, NULL)) ||
	    !json_is_array(layers = json_object_get(json_array_get(mj, 0), "Layers"))) {
		rc = ds_err_set(err, DS_EPARSE, "image", 0, 0, "no manifest.json with Layers: not a docker save archive");
		goto done;
	}
	/* the final view, layer by layer in the image's order */
	for (k = 0; k < json_array_size(layers); k++) {
		const char *name = json_string_value(json_array_get(layers, k));
		struct layer *l = NULL;
		for (i = 0; name && i < nl; i++)
			if (!strcmp(ls[i].name, name))
				l = &ls[i];
		if (!l) {
			rc = ds_err_set(err, DS_EPARSE, name ? arena_strdup(a, name) : "manifest.json", 0, 0,
					"layer listed in manifest.json is missing");
			goto done;
		}
		for (i = j = 0; i < nv; i++) { /* hidden or replaced by this layer? */
			bool gone = l->npaths && bsearch(&view[i].path, l->paths, l->npaths, sizeof(*l->paths), by_str);
			size_t w;
			for (w = 0; !gone && w < l->nwh; w++)
				gone = under(view[i].path, l->wh[w]);
			if (!gone)
				view[j++] = view[i];
		}
		nv = j;
		for (i = 0; i < l->nset; i++) {
			if (arena_grow(a, (void **)&view, &capv, nv + 1, sizeof(*view))) {
				rc = ds_oom(err);
				goto done;
			}
			view[nv] = l->set[i];
			view[nv++].layer = k;
		}
	}
	if (nv)
		qsort(view, nv, sizeof(*view), by_path);
	*out = view;
	*nout = nv;
done:
	json_decref(mj);
	archive_read_free(ar);
	return rc;
}
