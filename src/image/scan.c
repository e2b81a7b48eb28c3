/*
 * scan.c - an image's inventory and the IMG-* rules (see scan.h).
 *
 * The package database is read from the final view (what the image has),
 * then each package is attributed to the first layer whose copy of the
 * database lists it at its final version: an upgrade in a later layer
 * moves it there, a package untouched since the base stays in layer 1.
 * Distroless images keep one status file per package (status.d/), each
 * attributed to the layer that wrote it.
 */
#include "scan.h"
#include "history.h"
#include "langpkg.h"
#include "rpmdb.h"
#include "../core/buf.h"
#include "../dockerfile/lint.h"
#include "../core/secret.h"
#include <fnmatch.h>
#include <sys/stat.h>

/* ---- OS identity ---- */

/* KEY=value or KEY="value" from os-release text */
static const char *osr(struct arena *a, const char *text, const char *key)
{
	size_t k = strlen(key);
	const char *p;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, key, k) && p[k] == '=') {
			const char *v = p + k + 1;
			size_t n = strcspn(v, "\r\n");
			if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
				v++;
				n -= 2;
			}
			return arena_strndup(a, v, n);
		}
	}
	return NULL;
}

static const char *kept_text(const struct img_image *im, const char *path, const char **from)
{
	const struct img_node *n = img_lookup(im, path, true);
	const struct img_kept *k = n ? img_contents(im, n) : NULL;

	if (k && from)
		*from = k->path; /* the node's path */
	return k ? k->data : NULL;
}

static void os_identity(struct arena *a, const struct img_image *im, struct img_os *os)
{
	const char *t, *from = NULL;

	memset(os, 0, sizeof(*os));
	if ((t = kept_text(im, "/etc/os-release", &from)) || (t = kept_text(im, "/usr/lib/os-release", &from))) {
		os->id = osr(a, t, "ID");
		os->version_id = osr(a, t, "VERSION_ID");
		os->pretty = osr(a, t, "PRETTY_NAME");
		os->codename = osr(a, t, "VERSION_CODENAME");
		os->from = from;
	}
	if (!os->id && (t = kept_text(im, "/etc/alpine-release", &from))) {
		os->id = "alpine";
		os->version_id = arena_strndup(a, t, strcspn(t, "\r\n"));
		os->from = from;
	}
	if (!os->id && (t = kept_text(im, "/etc/debian_version", &from))) {
		os->id = "debian";
		os->version_id = arena_strndup(a, t, strcspn(t, "\r\n"));
		os->from = from;
	}
	if (!os->id && ((t = kept_text(im, "/etc/redhat-release", &from)) || (t = kept_text(im, "/etc/system-release", &from)))) {
		os->pretty = arena_strndup(a, t, strcspn(t, "\r\n"));
		os->id = "rhel";
		os->from = from;
	}
	/* Debian's VERSION_ID is the major release ("12"); debian_version has the point release */
	if (os->id && !strcmp(os->id, "debian") && !os->version_id && (t = kept_text(im, "/etc/debian_version", NULL)))
		os->version_id = arena_strndup(a, t, strcspn(t, "\r\n"));
}

/* ---- packages ---- */

/* One database file's packages: dpkg ('d'), apk ('a') or rpm ('r'). */
static int parse_db(struct arena *a, char kind, const struct img_kept *k, const char *db, struct img_pkg **v, size_t *n,
		    size_t *cap, struct ds_err *err)
{
	return kind == 'a'   ? img_apk_parse(a, k->data, db, v, n, cap, err)
	       : kind == 'r' ? img_rpm_db(a, k->data, k->len, db, v, n, cap, err)
			     : img_dpkg_parse(a, k->data, db, v, n, cap, err);
}

/* Past the run's bound of what it holds: the inventory is refused. */
static int held_fail(const char *what, struct ds_err *err)
{
	return ds_err_set(err, DS_ELIMIT, what, 0, 0,
			  "the packages of the run's images take it past the %u MiB docksec holds of them with their "
			  "index (scan fewer images at once: --image NAME)",
			  IMG_SCAN_MAX_HELD >> 20);
}

/* A kept database's packages, parsed once for all the images of the run
 * that have it (in the set's arena, counted in the run's budget), sorted
 * by name; their layer unset (the inventory's to say). */
static int kept_pkgs(struct img_set *s, const struct img_kept *k, char kind, struct ds_err *err)
{
	unsigned long long before = s->arena.used_total;
	struct img_kept *w = (struct img_kept *)k; /* the memo: the set's own record */
	size_t cap = 0, i;
	int rc;

	if (k->parsed)
		return 0;
	w->pkgs = NULL; /* (what a refused parse left: parsed again, refused again) */
	w->npkgs = 0;
	if ((rc = parse_db(&s->arena, kind, k, k->path, &w->pkgs, &w->npkgs, &cap, err)))
		return rc;
	arena_trim_big(&s->arena, (void **)&w->pkgs, &cap, w->npkgs, sizeof(*w->pkgs));
	img_pkg_sort(w->pkgs, w->npkgs);
	for (i = 0; i < w->npkgs; i++)
		w->pkgs[i].layer = IMG_NO_LAYER;
	w->parsed = true;
	s->b->held += s->arena.used_total - before;
	return s->b->held > IMG_SCAN_MAX_HELD ? held_fail(k->path, err) : 0;
}

/* The layer that installed each package of fin, the final view's copy of
 * the database db: the first layer whose copy lists it at its final
 * version (lay[i] for fin->pkgs[i]). An upgrade in a later layer moves it
 * there; a package untouched since the base stays in layer 1. */
static int attribute(const struct img_image *im, const struct img_kept *fin, char kind, size_t *lay,
		     struct ds_err *err)
{
	size_t k, i, left = fin->npkgs;

	for (i = 0; i < fin->npkgs; i++)
		lay[i] = IMG_NO_LAYER;
	for (k = 0; k < im->nlayers && left; k++) {
		const struct img_layer *l = im->layers[k];
		for (size_t j = 0; j < l->nkept && left; j++) {
			struct img_pkg *v = NULL;
			size_t n = 0, cap = 0;
			struct arena t; /* this copy's packages: let go before the next's */
			int rc;
			if (strcmp(l->kept[j].path, fin->path))
				continue;
			if (&l->kept[j] == fin) { /* the final copy itself lists them all */
				for (i = 0; i < fin->npkgs; i++)
					if (lay[i] == IMG_NO_LAYER)
						lay[i] = k;
				left = 0;
				break;
			}
			arena_init(&t, 0);
			if ((rc = parse_db(&t, kind, &l->kept[j], fin->path, &v, &n, &cap, err))) {
				arena_release(&t);
				return rc;
			}
			img_pkg_sort(v, n);
			for (i = 0; i < fin->npkgs; i++) {
				const struct img_pkg *p = &fin->pkgs[i], *h;
				if (lay[i] != IMG_NO_LAYER)
					continue;
				for (h = img_pkg_find(v, n, p->name); h && h < v + n && !strcmp(h->name, p->name); h++)
					if (!strcmp(h->version, p->version)) {
						lay[i] = k;
						left--;
						break;
					}
			}
			arena_release(&t);
		}
	}
	for (i = 0; i < fin->npkgs; i++) /* not in any layer's copy (cannot happen): the top one */
		if (lay[i] == IMG_NO_LAYER)
			lay[i] = im->nlayers ? im->nlayers - 1 : 0;
	return 0;
}

/* An inventory's list while it is built: on the heap as it grows, then
 * its size in the run's arena. */
struct plist {
	const struct img_pkg **v;
	size_t n, cap;
};

/* Add p (a record of the set, shared by the images of the run) to l at
 * layer k: the record itself when it has no layer yet or this one, else
 * a copy (the layer elsewhere in another image). */
static int plist_add(struct plist *l, struct arena *a, struct img_pkg *p, size_t k, struct ds_err *err)
{
	if (l->n >= IMG_MAX_PKGS)
		return ds_err_set(err, DS_ELIMIT, p->path ? p->path : "the image", 0, 0, "more than %d packages",
				  IMG_MAX_PKGS);
	if (p->layer != IMG_NO_LAYER && p->layer != k) {
		struct img_pkg *c = arena_alloc(a, sizeof(*c));
		if (!c)
			return ds_oom(err);
		*c = *p;
		p = c;
	}
	p->layer = k;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? 2 * l->cap : 64;
		const struct img_pkg **w = ds_realloc(l->v, ncap * sizeof(*w));
		if (!w)
			return ds_oom(err);
		l->v = w;
		l->cap = ncap;
	}
	l->v[l->n++] = p;
	return 0;
}

/* After rc from building it (0: built): l sorted by cmp into *out (in a,
 * counted in the run's budget); l freed in every case. */
static int plist_finish(int rc, struct plist *l, struct arena *a, struct img_set *s,
			int (*cmp)(const void *, const void *), const struct img_pkg ***out, size_t *n,
			struct ds_err *err)
{
	if (!rc && l->n) {
		if (l->n > 1)
			qsort(l->v, l->n, sizeof(*l->v), cmp);
		if ((s->b->held += l->n * sizeof(*l->v)) > IMG_SCAN_MAX_HELD)
			rc = held_fail(NULL, err); /* (the image's: its target names it) */
		else if (!(*out = arena_alloc(a, l->n * sizeof(*l->v))))
			rc = ds_oom(err);
		else
			memcpy(*out, l->v, l->n * sizeof(*l->v));
	}
	*n = rc ? 0 : l->n;
	ds_free(l->v);
	memset(l, 0, sizeof(*l));
	return rc;
}

static int by_name_ptr(const void *x, const void *y)
{
	return img_pkg_cmp(*(const struct img_pkg *const *)x, *(const struct img_pkg *const *)y);
}

/* language packages' order: type, name, version, path */
static int lang_order(const struct img_pkg *a, const struct img_pkg *b)
{
	int c = strcmp(a->type, b->type);

	if (!c)
		c = strcmp(a->name, b->name);
	if (!c)
		c = strcmp(a->version, b->version);
	return c ? c : strcmp(a->path, b->path);
}

static int by_type_name(const void *x, const void *y)
{
	return lang_order(*(const struct img_pkg *const *)x, *(const struct img_pkg *const *)y);
}

/* p's place in v (n, sorted by cmp): the first not before it, then p
 * among its equals */
static size_t place(const struct img_pkg *const *v, size_t n, const struct img_pkg *p,
		    int (*cmp)(const struct img_pkg *, const struct img_pkg *))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp(v[mid], p) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (hi = lo; hi < n && !cmp(v[hi], p); hi++)
		if (v[hi] == p)
			return hi;
	return lo;
}

size_t img_inv_index(const struct img_inventory *inv, const struct img_pkg *p)
{
	return p->type ? inv->npkgs + place(inv->lang, inv->nlang, p, lang_order) : place(inv->pkgs, inv->npkgs, p, img_pkg_cmp);
}

/* Does the final view hold anything under dir (a layer need not list the
 * directory itself)? The view is sorted by path: the first one not below
 * "dir/" in that order starts with it, if any does. */
static bool under(const struct img_image *im, const char *dir)
{
	char key[IMG_SCAN_MAX_PATH + 2];
	size_t lo = 0, hi = im->nview, n;

	if ((n = (size_t)snprintf(key, sizeof(key), "%s/", dir)) >= sizeof(key))
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (img_entry_cmpstr(im->view[mid].e, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < im->nview && img_entry_starts(im->view[lo].e, key, n);
}

/* An npm lockfile's packages count where node_modules is not beside it. */
static bool lock_counts(struct arena *a, const struct img_image *im, const char *path, struct ds_err *err, int *rc)
{
	size_t dir = (size_t)(strrchr(path, '/') - path);
	char *nm = arena_printf(a, "%.*s/node_modules", (int)dir, path);

	if (!nm)
		return *rc = ds_oom(err), false;
	return !img_lookup(im, nm, true) && !under(im, nm);
}

/* Language packages (Python, npm, Ruby, Go, Java, Rust): the records each
 * layer's files gave as they were read (img_layer.lang, sorted by path),
 * of the files the final view still has from that layer. */
static int language_packages(struct arena *a, struct img_set *s, const struct img_image *im,
			     struct img_inventory *inv, struct ds_err *err)
{
	struct plist v = {0};
	size_t i, k;
	int rc = 0;

	for (k = 0; k < im->nlayers && !rc; k++) {
		const struct img_layer *l = im->layers[k];
		const char *path = NULL;
		bool keep = false;
		for (i = 0; i < l->nlang && !rc; i++) {
			struct img_pkg *q = &l->lang[i];
			if (!path || (q->path != path && strcmp(q->path, path))) { /* the next file's */
				const struct img_node *x = img_lookup(im, q->path, false);
				path = q->path;
				keep = x && x->e->type == IMG_FILE && img_node_layer(im, x) == k &&
				       (!img_lang_lockfile(path) || lock_counts(a, im, path, err, &rc));
			}
			if (keep && !rc)
				rc = plist_add(&v, a, q, k, err);
		}
	}
	return plist_finish(rc, &v, a, s, by_type_name, &inv->lang, &inv->nlang, err);
}

/* The final view's copy of a package database (kind: dpkg 'd', apk 'a',
 * rpm 'r'): its packages added to v, each in the layer that installed it. */
static int db_packages(struct arena *a, struct img_set *s, const struct img_image *im, const struct img_kept *fin,
		       char kind, struct plist *v, struct ds_err *err)
{
	size_t i, *lay = NULL;
	int rc;

	if ((rc = kept_pkgs(s, fin, kind, err)))
		return rc;
	if (fin->npkgs && !(lay = ds_malloc(fin->npkgs * sizeof(*lay))))
		return ds_oom(err);
	if (!(rc = attribute(im, fin, kind, lay, err)))
		for (i = 0; i < fin->npkgs && !rc; i++)
			rc = plist_add(v, a, &fin->pkgs[i], lay[i], err);
	ds_free(lay);
	return rc;
}

/* The OS's packages: dpkg's status with distroless's status.d/ (one file
 * a package, in the layer that wrote it), else apk's database, else rpm's. */
static int os_packages(struct arena *a, struct img_set *s, const struct img_image *im, struct img_inventory *inv,
		       struct ds_err *err)
{
	struct plist v = {0};
	const struct img_node *n;
	const struct img_kept *k;
	size_t i;
	int rc = 0;

	if ((n = img_lookup(im, "/var/lib/dpkg/status", true)) && (k = img_contents(im, n))) {
		inv->pkg_type = "deb";
		inv->pkg_db = k->path;
		rc = db_packages(a, s, im, k, 'd', &v, err);
	}
	for (i = 0; i < im->nview && !rc; i++) {
		const struct img_node *x = &im->view[i];
		if (!img_entry_starts(x->e, "/var/lib/dpkg/status.d/", 23) || !(k = img_contents(im, x)))
			continue;
		if ((rc = kept_pkgs(s, k, 'd', err)))
			break;
		for (size_t j = 0; j < k->npkgs && !rc; j++)
			rc = plist_add(&v, a, &k->pkgs[j], img_node_layer(im, x), err);
		inv->pkg_type = "deb";
		if (!inv->pkg_db)
			inv->pkg_db = "/var/lib/dpkg/status.d/";
	}
	if (!rc && !inv->pkg_type && (n = img_lookup(im, "/lib/apk/db/installed", true)) && (k = img_contents(im, n))) {
		inv->pkg_type = "apk";
		inv->pkg_db = k->path;
		rc = db_packages(a, s, im, k, 'a', &v, err);
	}
	for (i = 0; !rc && !inv->pkg_type && i < IMG_RPM_NPATHS; i++)
		if ((n = img_lookup(im, img_rpm_paths[i], true)) && (k = img_contents(im, n))) {
			inv->pkg_type = "rpm";
			inv->pkg_db = k->path;
			rc = db_packages(a, s, im, k, 'r', &v, err);
		}
	return plist_finish(rc, &v, a, s, by_name_ptr, &inv->pkgs, &inv->npkgs, err);
}

int img_inventory(struct arena *a, struct img_set *s, const struct img_image *im, struct img_inventory *inv,
		  struct ds_err *err)
{
	int rc;

	memset(inv, 0, sizeof(*inv));
	os_identity(a, im, &inv->os);
	if ((rc = os_packages(a, s, im, inv, err)))
		return rc;
	return language_packages(a, s, im, inv, err);
}

/* purl components: percent-encode all but unreserved characters and '+' */
static void purl_enc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(".-_~+", c))
			buf_addc(b, (char)c);
		else
			buf_addf(b, "%%%02X", c);
	}
}

const char *img_purl_tmp(struct arena *scratch, const struct img_inventory *inv, const struct img_pkg *p)
{
	if (scratch->used_total >= (1u << 20))
		arena_release(scratch); /* (empty, and usable again) */
	return img_purl(scratch, inv, p);
}

const char *img_purl(struct arena *a, const struct img_inventory *inv, const struct img_pkg *p)
{
	struct buf b = BUF_INIT;

	if (p->type)
		return img_lang_purl(a, p);
	const char *ns = inv->os.id ? inv->os.id : inv->pkg_type, *out;
	char sep = '?';

	buf_addf(&b, "pkg:%s/", inv->pkg_type ? inv->pkg_type : "generic");
	purl_enc(&b, ns);
	buf_addc(&b, '/');
	purl_enc(&b, p->name);
	buf_addc(&b, '@');
	{ /* rpm's epoch is a qualifier, not part of the version */
		const char *v = p->version, *colon = inv->pkg_type && !strcmp(inv->pkg_type, "rpm") ? strchr(v, ':') : NULL;
		purl_enc(&b, colon ? colon + 1 : v);
		if (colon) {
			buf_addf(&b, "%cepoch=%.*s", sep, (int)(colon - v), v);
			sep = '&';
		}
	}
	if (p->arch) {
		buf_addf(&b, "%carch=", sep);
		purl_enc(&b, p->arch);
		sep = '&';
	}
	if (inv->os.id && inv->os.version_id) {
		buf_addf(&b, "%cdistro=", sep);
		purl_enc(&b, inv->os.id);
		buf_addc(&b, '-');
		purl_enc(&b, inv->os.version_id);
		sep = '&';
	}
	if (p->source && strcmp(p->source, p->name)) {
		buf_addf(&b, "%cupstream=", sep);
		purl_enc(&b, p->source);
	}
	out = buf_ok(&b) ? arena_strndup(a, b.p, b.n) : NULL;
	buf_release(&b);
	return out;
}

/* ---- rules ---- */

struct img_ctx {
	struct target *t;
	const struct img_image *im;
	const struct img_inventory *inv;
	const char *const *skip;
	size_t nskip;
	int rc;
};

static bool skipped(const struct img_ctx *c, const char *path)
{
	size_t i;

	for (i = 0; i < c->nskip; i++)
		if (!fnmatch(c->skip[i], path, 0))
			return true;
	return false;
}

const char *img_layer_context(struct arena *a, const struct img_image *im, size_t i)
{
	const char *by = im->created_by ? im->created_by[i] : NULL;

	return by ? arena_printf(a, "layer %zu: %.200s", i + 1, by) : arena_printf(a, "layer %zu", i + 1);
}

/* A finding at an image path, naming the layer and what created it. */
static void add_in_layer(struct img_ctx *c, const struct rule *r, const char *path, size_t layer, const char *fmt,
			 const char *what)
{
	const struct img_layer *l = c->im->layers[layer];
	size_t before = c->t->nfindings;
	struct finding *f;

	if (skipped(c, path))
		return;

	if (target_add(c->t, r, 0, 0, 0, 0, NULL, fmt, what)) {
		c->rc = DS_ENOMEM;
		return;
	}
	if (c->t->nfindings == before)
		return; /* suppressed by the configuration */
	f = &c->t->findings[c->t->nfindings - 1];
	f->loc.kind = LOC_IMAGE;
	f->loc.file = c->t->path;
	f->loc.image = c->im->ref;
	f->loc.layer = l->digest;
	f->loc.path = path;
	f->context = img_layer_context(&c->t->arena, c->im, layer);
}

/* The same at node n, whose path p the caller took (img_entry_dup; NULL: no memory). */
static void add_at(struct img_ctx *c, const struct rule *r, const struct img_node *n, const char *p, const char *fmt,
		   const char *what)
{
	if (!p) {
		c->rc = DS_ENOMEM;
		return;
	}
	add_in_layer(c, r, p, img_node_layer(c->im, n), fmt, what);
}

/* Which later layer removed or replaced path, written by layer k? */
static size_t removed_by(const struct img_image *im, const char *path, size_t k)
{
	const struct img_node *n = img_lookup(im, path, false);
	size_t j;

	for (j = k + 1; j < im->nlayers; j++)
		if (img_layer_replaces(im->layers[j], path))
			return j;
	return n ? img_node_layer(im, n) : k;
}

static void r_secret(void *ctx, const struct rule *r)
{
	struct img_ctx *c = ctx;
	size_t k, i;

	for (k = 0; k < c->im->nlayers && !c->rc; k++) {
		const struct img_layer *l = c->im->layers[k];
		for (i = 0; i < l->nsecrets && !c->rc; i++) {
			const struct img_secret *x = &l->secrets[i];
			const struct img_node *n = img_lookup(c->im, x->path, false);
			const char *msg;
			if (n && img_node_layer(c->im, n) == k) {
				msg = arena_printf(&c->t->arena, "%s in %s:%u: %s", x->kind, x->path, x->line, x->shown);
			} else {
				size_t j = removed_by(c->im, x->path, k);
				msg = arena_printf(&c->t->arena,
						   "%s in %s:%u: %s; %s by layer %zu, but still in layer %zu for anyone who has the image",
						   x->kind, x->path, x->line, x->shown, n ? "replaced" : "deleted", j + 1, k + 1);
			}
			if (!msg) {
				c->rc = DS_ENOMEM;
				return;
			}
			add_in_layer(c, r, x->path, k, "%s", msg);
		}
	}
}

/* setuid/setgid programs a distribution ships as such */
static const char *const std_setid[] = {
	"/bin/mount", "/bin/su", "/bin/umount", "/bin/ping", "/sbin/unix_chkpwd", "/usr/bin/chage", "/usr/bin/chfn",
	"/usr/bin/chsh", "/usr/bin/crontab", "/usr/bin/expiry", "/usr/bin/gpasswd", "/usr/bin/mount",
	"/usr/bin/newgrp", "/usr/bin/passwd", "/usr/bin/ssh-agent", "/usr/bin/su", "/usr/bin/sudo",
	"/usr/bin/umount", "/usr/bin/wall", "/usr/bin/write", "/usr/bin/ping", "/usr/bin/pkexec",
	"/usr/lib/dbus-1.0/dbus-daemon-launch-helper", "/usr/lib/openssh/ssh-keysign", "/usr/sbin/unix_chkpwd",
	"/usr/sbin/pam_extrausers_chkpwd", "/usr/libexec/openssh/ssh-keysign", "/bin/bbsuid",
};

static bool is_std_setid(const char *p)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(std_setid); i++)
		if (!strcmp(p, std_setid[i]))
			return true;
	return false;
}

/* A file rule lists at most IMG_FILE_FINDINGS paths an image; one more
 * finding counts the rest. An image of a million world-writable files is
 * one problem, and its report stays a few KiB, not a gigabyte. */
#define IMG_FILE_FINDINGS 100

/* Has the rule listed all it may (then count path in *more)? */
static bool listed_all(const struct img_ctx *c, const char *path, size_t listed, size_t *more)
{
	if (listed < IMG_FILE_FINDINGS || skipped(c, path))
		return false;
	(*more)++;
	return true;
}

/* The finding that counts what a file rule did not list. */
static void add_more(struct img_ctx *c, const struct rule *r, size_t more, const char *what)
{
	size_t before = c->t->nfindings;
	struct finding *f;

	if (!more || c->rc)
		return;
	if (target_add(c->t, r, 0, 0, 0, 0, NULL, "%zu more %s, not listed (the report lists the first %d)", more, what,
		       IMG_FILE_FINDINGS)) {
		c->rc = DS_ENOMEM;
		return;
	}
	if (c->t->nfindings == before)
		return;
	f = &c->t->findings[c->t->nfindings - 1];
	f->loc.kind = LOC_IMAGE;
	f->loc.file = c->t->path;
	f->loc.image = c->im->ref;
}

static void r_setid(void *ctx, const struct rule *r)
{
	struct img_ctx *c = ctx;
	bool std = r->arg != NULL;
	size_t i, listed = 0, more = 0;

	for (i = 0; i < c->im->nview && !c->rc; i++) {
		const struct img_node *n = &c->im->view[i];
		char what[64], path[IMG_SCAN_MAX_PATH + 1];
		const char *p;
		size_t before;
		if ((n->e->type != IMG_FILE && n->e->type != IMG_HARDLINK) || !(n->e->mode & 06000) ||
		    (img_entry_copy(n->e, path), is_std_setid(path)) != std || listed_all(c, path, listed, &more))
			continue;
		before = c->t->nfindings;
		snprintf(what, sizeof(what), "%s%s%s (mode %04o, owner %u)", n->e->mode & 04000 ? "setuid" : "",
			 (n->e->mode & 06000) == 06000 ? "+" : "", n->e->mode & 02000 ? "setgid" : "", n->e->mode, n->e->uid);
		p = arena_strdup(&c->t->arena, path);
		add_at(c, r, n, p, "%s", arena_printf(&c->t->arena, "%s %s%s", path, what,
						       n->e->type == IMG_HARDLINK ? " (a hard link)" : ""));
		listed += c->t->nfindings > before;
	}
	add_more(c, r, more, std ? "setuid or setgid programs the distribution ships" : "setuid or setgid programs");
}

static void r_world_writable(void *ctx, const struct rule *r)
{
	struct img_ctx *c = ctx;
	size_t i, listed = 0, more = 0;

	for (i = 0; i < c->im->nview && !c->rc; i++) {
		const struct img_node *n = &c->im->view[i];
		char path[IMG_SCAN_MAX_PATH + 1];
		const char *p;
		size_t before = c->t->nfindings;
		if (n->e->type == IMG_SYMLINK || n->e->type == IMG_OTHER || !(n->e->mode & 02))
			continue;
		if (n->e->type == IMG_DIR && (n->e->mode & 01000))
			continue; /* /tmp: sticky, each user keeps their own files */
		if (img_entry_copy(n->e, path), listed_all(c, path, listed, &more))
			continue;
		p = arena_strdup(&c->t->arena, path);
		add_at(c, r, n, p, "%s",
		       arena_printf(&c->t->arena, "%s is world-writable (mode %04o)%s", path, n->e->mode,
				    n->e->type == IMG_DIR ? ", a directory without the sticky bit" : ""));
		listed += c->t->nfindings > before;
	}
	add_more(c, r, more, "world-writable paths");
}

/* uids in /etc/passwd */
static bool uid_known(const char *passwd, unsigned uid)
{
	const char *p;

	for (p = passwd; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *f = p;
		int k;
		for (k = 0; k < 2 && f; k++) { /* name:x:UID */
			f = strchr(f, ':');
			f = f ? f + 1 : NULL;
		}
		if (f && strtoul(f, NULL, 10) == uid && *f >= '0' && *f <= '9')
			return true;
	}
	return false;
}

static void r_unknown_owner(void *ctx, const struct rule *r)
{
	struct img_ctx *c = ctx;
	const char *passwd = kept_text(c->im, "/etc/passwd", NULL);
	unsigned seen[64];
	size_t nseen = 0, i, k;

	if (!passwd)
		return; /* distroless and scratch images have no users to compare with */
	for (i = 0; i < c->im->nview && !c->rc; i++) {
		const struct img_node *n = &c->im->view[i];
		bool dup = false;
		size_t count = 0;
		if (n->e->uid == 0 || n->e->type == IMG_SYMLINK || uid_known(passwd, n->e->uid))
			continue;
		for (k = 0; k < nseen; k++)
			dup = dup || seen[k] == n->e->uid;
		if (dup)
			continue;
		if (nseen < DS_ARRAY_SIZE(seen))
			seen[nseen++] = n->e->uid;
		for (k = i; k < c->im->nview; k++)
			count += c->im->view[k].e->uid == n->e->uid;
		/* one finding per uid, at its first path */
		const char *p = img_entry_dup(&c->t->arena, n->e);
		add_at(c, r, n, p, "%s",
		       arena_printf(&c->t->arena, "%s is owned by uid %u, which /etc/passwd does not know (%zu path%s)",
				    p, n->e->uid, count, count == 1 ? "" : "s"));
		if (nseen == DS_ARRAY_SIZE(seen))
			break;
	}
}

/* Did the DF rules on the history find a credential in label k (a
 * finding "LABEL k ..." at a LABEL entry)? Then it is reported once, there. */
static bool history_found_label(const struct target *t, const char *k)
{
	size_t i, kn = strlen(k);

	for (i = 0; i < t->nfindings; i++) {
		const struct finding *f = &t->findings[i];
		if (!strncmp(f->rule->id, "DF-SECRET", 9) && f->message && !strncmp(f->message, "LABEL ", 6) &&
		    !strncmp(f->message + 6, k, kn) && f->message[6 + kn] == ' ')
			return true;
	}
	return false;
}

/* Labels of the image config: metadata anyone can read with docker inspect. */
static void r_label_secret(void *ctx, const struct rule *r)
{
	struct img_ctx *c = ctx;
	json_t *labels = json_object_get(json_object_get(c->im->config, "config"), "Labels"), *v;
	const char *k;

	json_object_foreach(labels, k, v) {
		const char *val = json_string_value(v);
		struct secret_hit h;
		const char *kind = NULL, *shown;
		size_t before = c->t->nfindings;
		struct finding *f;
		if (!val || history_found_label(c->t, k))
			continue;
		if (secret_find(val, strlen(val), &h))
			kind = h.kind;
		else if (secret_name_like(k, strlen(k)) && !secret_value_placeholder(val, strlen(val)) && strlen(val) >= 8)
			kind = "secret-like value";
		if (!kind)
			continue;
		shown = target_secret(c->t, val, strlen(val), kind == h.kind ? h.plen : 0);
		if (target_add(c->t, r, 0, 0, 0, 0, NULL, "label %s holds a %s (%s)", k, kind, shown ? shown : "****")) {
			c->rc = DS_ENOMEM;
			return;
		}
		if (c->t->nfindings == before)
			continue;
		f = &c->t->findings[c->t->nfindings - 1];
		f->loc.kind = LOC_IMAGE;
		f->loc.file = c->t->path;
		f->loc.image = c->im->ref;
		f->loc.field = "config.Labels";
	}
}

static void r_large_layer(void *ctx, const struct rule *r)
{
	struct img_ctx *c = ctx;
	size_t k;

	for (k = 0; k < c->im->nlayers && !c->rc; k++) {
		const struct img_layer *l = c->im->layers[k];
		if (l->unpacked < IMG_LARGE_LAYER)
			continue;
		add_in_layer(c, r, "/", k, "%s",
			     arena_printf(&c->t->arena, "layer %zu unpacks to %.1f GiB (%zu entries)", k + 1,
					  (double)l->unpacked / (1u << 30), l->nents));
	}
}

/* A package database the reader did not keep (larger than IMG_SCAN_MAX_FILE,
 * or past the run's IMG_SCAN_MAX_KEPT): its packages are missing from the
 * inventory, and a report that said nothing would pass for a clean one. The
 * same for other files with package records (METADATA, package.json, a
 * lockfile, distroless's status.d) past the run's bounds, once per layer. */
static void r_unread_db(void *ctx, const struct rule *r)
{
	struct img_ctx *c = ctx;
	const char *dbs[2 + IMG_RPM_NPATHS] = {"/var/lib/dpkg/status", "/lib/apk/db/installed"};
	size_t i, n = 2;

	for (i = 0; i < c->im->nlayers && !c->rc; i++) {
		const struct img_layer *l = c->im->layers[i];
		if (!l->unkept)
			continue;
		const char *more = l->unkept == 1 ? " was"
				   : arena_printf(&c->t->arena, " and %zu more file%s with package records were", l->unkept - 1,
						  l->unkept == 2 ? "" : "s");
		add_in_layer(c, r, l->unkept_path, i, "%s",
			     arena_printf(&c->t->arena,
					  "%s%s not read: the run reached its bound of what it holds (kept files %u MiB, "
					  "package records %u MiB, %u MiB in all with the index of paths); the packages in %s "
					  "are not listed",
					  l->unkept_path, more ? more : "", IMG_SCAN_MAX_KEPT >> 20, IMG_SCAN_MAX_RECORDS >> 20,
					  IMG_SCAN_MAX_HELD >> 20, l->unkept == 1 ? "it" : "them"));
	}

	for (i = 0; i < IMG_RPM_NPATHS; i++)
		dbs[n++] = img_rpm_paths[i];
	for (i = 0; i < n && !c->rc; i++) {
		const struct img_node *x = img_lookup(c->im, dbs[i], true);
		if (!x || x->e->type != IMG_FILE || img_contents(c->im, x))
			continue;
		const char *p = img_entry_dup(&c->t->arena, x->e); /* (where a link led) */
		if (!p) {
			c->rc = DS_ENOMEM;
			return;
		}
		add_in_layer(c, r, p, img_node_layer(c->im, x), "%s",
			     arena_printf(&c->t->arena, "%s (%.1f MiB) was not read: %s", p,
					  (double)x->e->size / (1u << 20),
					  x->e->size > IMG_SCAN_MAX_FILE ? "larger than the 32 MiB a package database may have"
									 : "the run's kept files reached their bound (64 MiB, 48 MiB with the index of paths)"));
	}
}

const struct rule img_rules[] = {
	{"IMG-SECRET", SEV_CRITICAL, "image", "A credential in a file of the image",
	 "Everyone who can pull the image can read every layer of it: a key or token in a file (even one a later "
	 "layer deletes) is published with the image.",
	 "Revoke the credential, then pass it at build time with a BuildKit secret (RUN --mount=type=secret) or at "
	 "run time; deleting it in a later layer does not remove it from the image.",
	 REFS("owasp:R12", "cis:4.10", "docker-bench:4.10", "dockle:CIS-DI-0010", "trivy:secret"), r_secret, NULL, 0},
	{"IMG-SETUID", SEV_HIGH, "image", "A setuid or setgid program the distribution does not ship as one",
	 "A setuid-root program runs with root's rights whatever user starts it: one bug in it is a root shell in "
	 "the container, and a step towards the host.",
	 "Remove the bit (RUN chmod u-s,g-s FILE) or the program; it is rarely needed in a container.",
	 REFS("cis:4.8", "docker-bench:4.8", "owasp:R3", "dockle:CIS-DI-0008"), r_setid, NULL, 0},
	{"IMG-SETUID-STD", SEV_LOW, "image", "A setuid or setgid program the distribution ships (su, passwd, mount...)",
	 "Standard setuid programs are expected on a system, but a container seldom needs them; each is a way to "
	 "gain privileges for a process that can run it.",
	 "Remove the bits in the Dockerfile: RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +",
	 REFS("cis:4.8", "docker-bench:4.8", "dockle:CIS-DI-0008"), r_setid, "std", 0},
	{"IMG-LABEL-SECRET", SEV_HIGH, "image", "A credential in a label of the image",
	 "Labels are metadata: docker inspect, registries and every tool that lists images show them.",
	 "Remove the label (LABEL in the Dockerfile, --label at build time) and revoke the credential.",
	 REFS("owasp:R12", "dockle:CIS-DI-0010"), r_label_secret, NULL, 0},
	{"IMG-LARGE-LAYER", SEV_INFO, "image", "A layer that unpacks to more than 1 GiB",
	 "Every pull and every node stores it; large layers are often build caches, package lists or test data "
	 "left in the image.",
	 "Clean caches in the same RUN that fills them, use multi-stage builds and a .dockerignore.",
	 REFS("cis:4.3", "docker-bench:4.3"), r_large_layer, NULL, 0},
	{"IMG-UNREAD-DB", SEV_MEDIUM, "image", "A package database or package record not read: its packages are not listed",
	 "The inventory, the SBOM and every check of package versions would miss what that database or record "
	 "lists; the report must not pass for a complete one.",
	 "Scan the image's packages with the distribution's own tool, or shrink the database (rpm --rebuilddb, "
	 "dpkg --clear-avail); for records past the run's bound, scan fewer images at once; tell docksec's "
	 "maintainers the size.",
	 REFS("owasp:R9"), r_unread_db, NULL, 0},
	{"IMG-WORLD-WRITABLE", SEV_MEDIUM, "image", "A world-writable file, or directory without the sticky bit",
	 "Any user in the container can change a world-writable program or configuration file, or replace files "
	 "in such a directory: a way for a compromised low-privilege process to take over the others.",
	 "Fix the mode where the file is created (chmod o-w, or chmod +t for shared directories).",
	 REFS("owasp:R3"), r_world_writable, NULL, 0},
	{"IMG-UNKNOWN-OWNER", SEV_LOW, "image", "Files owned by a uid the image's /etc/passwd does not know",
	 "Files keep the uid of the build host or archive that produced them; a user created later with that uid "
	 "owns them, and the build leaks who built it.",
	 "COPY --chown=USER or chown the files to a user of the image where they are added.",
	 REFS("owasp:R3"), r_unknown_owner, NULL, 0},
};
const size_t img_rules_n = DS_ARRAY_SIZE(img_rules);

/* DF rules about the Dockerfile's source form or its stages, which an
 * image's history cannot show or shows differently: not run on images. */
static const char *const not_for_images[] = {
	"DF-FROM-UNTAGGED", "DF-FROM-LATEST", "DF-FROM-DIGEST", "DF-FROM-UNTRUSTED-REGISTRY", "DF-FROM-PLATFORM",
	"DF-MULTIPLE-CMD", "DF-MULTIPLE-ENTRYPOINT", "DF-MULTIPLE-HEALTHCHECK", "DF-INSTRUCTION-ORDER",
	"DF-UNKNOWN-INSTRUCTION", "DF-EMPTY-CONTINUATION", "DF-COPY-FROM-SELF", "DF-COPY-FROM-UNKNOWN",
	"DF-STAGE-NAME-DUPLICATE", "DF-CD", "DF-WORKDIR-RELATIVE", "DF-MAINTAINER", "DF-ENV-SELF-REFERENCE",
	"DF-COPY-RELATIVE", "DF-EXEC-FORM-INVALID", "DF-ONBUILD-INVALID", "DF-PIPEFAIL", "DF-COPY-MULTI-DEST",
	"DF-COPY-STAGE-ROOT", "DF-SH-SYMLINK", "DF-POINTLESS-COMMAND",
};

static bool for_images(const struct rule *r)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(not_for_images); i++)
		if (!strcmp(r->id, not_for_images[i]))
			return false;
	return true;
}

/* The DF-* rules on the Dockerfile the history records; each finding
 * moves to the image's target, located at its history entry and layer. */
static int judge_history(struct target *t, const struct img_image *im)
{
	struct img_history h;
	struct target tmp;
	struct df_file f;
	struct arena a;
	size_t i;
	int rc;

	if (!im->config)
		return 0;
	arena_init(&a, 0);
	target_init(&tmp, "history");
	if ((rc = img_history(&a, im, &h)))
		goto out;
	if (df_parse(&tmp.arena, "history", h.text.p ? h.text.p : "", h.text.n, &f, &tmp.err) || df_lint(&tmp, &f))
		goto out; /* a history the parser refuses is not linted; the rest of the scan stands */
	/* the secrets the rules found are masked wherever the history is shown */
	for (i = 0; tmp.nsecrets && im->created_by && i < im->nlayers; i++)
		if (im->created_by[i]) {
			struct str m = target_unsecret(&tmp, str_make(im->created_by[i], strlen(im->created_by[i])));
			if (m.p != im->created_by[i] && !(im->created_by[i] = arena_strndup(&t->arena, m.p, m.n))) {
				rc = DS_ENOMEM;
				goto out;
			}
		}
	for (i = 0; i < tmp.nfindings; i++) {
		const struct finding *x = &tmp.findings[i];
		const struct img_hline *hl = x->loc.line >= 1 && (size_t)x->loc.line <= h.nlines ? &h.lines[x->loc.line - 1] : NULL;
		json_t *entry = hl && hl->entry >= 0 ? json_array_get(json_object_get(im->config, "history"), (size_t)hl->entry) : NULL;
		const char *cb = json_string_value(json_object_get(entry, "created_by"));
		size_t before = t->nfindings;
		struct finding *g;
		if (!for_images(x->rule))
			continue;
		if ((rc = target_add(t, x->rule, 0, 0, 0, 0, NULL, "%s", x->message)))
			goto out;
		if (t->nfindings == before)
			continue;
		g = &t->findings[t->nfindings - 1];
		g->loc.kind = LOC_IMAGE;
		g->loc.file = t->path;
		g->loc.image = im->ref;
		g->loc.layer = hl && hl->layer >= 0 ? im->layers[hl->layer]->digest : NULL;
		if (!hl || hl->entry == -1)
			g->loc.field = "config";
		else if (hl->entry == IMG_HISTORY_CONFIG)
			g->loc.field = "config";
		else
			g->loc.field = arena_printf(&t->arena, "history[%d]", hl->entry);
		if (cb) {
			struct str m = target_unsecret(&tmp, str_make(cb, strlen(cb)));
			g->context = arena_printf(&t->arena, "history %d%s: %.*s", hl->entry + 1,
						  hl->layer >= 0 ? arena_printf(&t->arena, ", layer %d", hl->layer + 1) : "",
						  (int)(m.n > 200 ? 200 : m.n), m.p);
		}
		if ((cb && !g->context) || !g->loc.field) {
			rc = DS_ENOMEM;
			goto out;
		}
	}
out:
	img_history_release(&h);
	target_release(&tmp);
	arena_release(&a);
	return rc;
}

int img_judge(struct target *t, const struct img_image *im, const struct img_inventory *inv, const char *const *skip,
	      size_t nskip)
{
	struct img_ctx c = {t, im, inv, skip, nskip, 0};
	size_t i;

	/* the history first: it masks the secrets in the instructions the
	 * file findings quote */
	c.rc = judge_history(t, im);
	for (i = 0; i < img_rules_n && !c.rc; i++)
		img_rules[i].fn(&c, &img_rules[i]);
	return c.rc;
}
