/*
 * layers.c - setuid/setgid files of an image's final view (see layers.h),
 * for audit's 4.8: a caller of the scanner's reader (image.c), so an
 * image exported by the daemon is read, checked and layered exactly as
 * `docksec scan` reads a tarball.
 */
#include "layers.h"
#include "image.h"

static int by_path(const void *x, const void *y)
{
	return strcmp(((const struct img_file *)x)->path, ((const struct img_file *)y)->path);
}

int img_setid_files(int fd, struct arena *a, struct img_file **out, size_t *nout, struct ds_err *err)
{
	return img_setid_files_within(fd, a, 0, out, nout, err);
}

int img_setid_files_within(int fd, struct arena *a, unsigned timeout_ms, struct img_file **out, size_t *nout,
			   struct ds_err *err)
{
	struct img_opts o = {.timeout_ms = timeout_ms, .setid_only = true, .cache = true};
	struct img_set s;
	struct img_file *v = NULL;
	size_t n = 0, cap = 0, i, k;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = img_read_fd(&s, fd, "image", &o, err)))
		goto done;
	for (k = 0; k < s.n; k++) { /* an export of one image id: one image */
		if ((rc = img_view(&s, &s.images[k], err)))
			goto done;
		for (i = 0; i < s.images[k].nview; i++) {
			const struct img_node *x = &s.images[k].view[i];
			if ((x->e->type != IMG_FILE && x->e->type != IMG_HARDLINK) || !(x->e->mode & 06000))
				continue;
			if (arena_grow(a, (void **)&v, &cap, n + 1, sizeof(*v)) || !(v[n].path = img_entry_dup(a, x->e))) {
				rc = ds_oom(err);
				goto done;
			}
			v[n].mode = x->e->mode;
			v[n++].layer = img_node_layer(&s.images[k], x);
		}
		img_view_release(&s.images[k]);
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), by_path);
	*out = v;
	*nout = n;
done:
	img_set_release(&s);
	return rc;
}
