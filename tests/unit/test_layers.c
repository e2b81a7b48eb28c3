/*
 * test_layers.c - an image's final view from a docker-save stream: real
 * tar archives (plain and gzip layers) written with libarchive into a
 * pipe, read back by img_setid_files. Whiteouts, opaque directories,
 * files replaced by a higher layer, and layers stored out of order.
 */
#include "unit.h"
#include "image/layers.h"
#include "image/digest.h"
#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

struct file {
	const char *path;
	unsigned mode; /* 0: a directory */
};

/* A tar (gzip when gz) of files, in memory. */
static size_t mktar(char *out, size_t cap, const struct file *f, bool gz)
{
	struct archive *w = archive_write_new();
	size_t used = 0;

	archive_write_set_format_pax_restricted(w);
	if (gz)
		archive_write_add_filter_gzip(w);
	assert_int_equal(archive_write_open_memory(w, out, cap, &used), ARCHIVE_OK);
	for (; f->path; f++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, f->path);
		archive_entry_set_mode(e, f->mode ? (0100000 | f->mode) : 040755);
		archive_entry_set_size(e, f->mode ? 2 : 0);
		archive_write_header(w, e);
		if (f->mode)
			archive_write_data(w, "x\n", 2);
		archive_entry_free(e);
	}
	archive_write_close(w);
	archive_write_free(w);
	return used;
}

/* The outer docker-save archive: entries (name, bytes) in the given order.
 * More than a pipe holds must be written from another process. */
static void save(int fd, const char *const *names, char *const *data, const size_t *len, size_t n)
{
	static char out[4 << 20];
	struct archive *w = archive_write_new();
	size_t used = 0, i;

	archive_write_set_format_pax_restricted(w);
	assert_int_equal(archive_write_open_memory(w, out, sizeof(out), &used), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_mode(e, 0100644);
		archive_entry_set_size(e, (la_int64_t)len[i]);
		archive_write_header(w, e);
		archive_write_data(w, data[i], len[i]);
		archive_entry_free(e);
	}
	archive_write_close(w);
	archive_write_free(w);
	assert_int_equal(write(fd, out, used), (ssize_t)used);
}

/* sha256 of len bytes, as "sha256:<hex>" */
static void digest_of(const char *p, size_t len, char out[IMG_DIGEST_LEN])
{
	struct img_sha h;
	struct ds_err err = {0};

	assert_int_equal(img_digest_load(&err), 0);
	assert_int_equal(img_sha_init(&h), 0);
	img_sha_update(&h, p, len);
	img_sha_final(&h, out);
}

/* A config whose diff_ids are the uncompressed layers' digests. */
static size_t config_for(char *out, size_t cap, const struct file *const *layers, size_t n)
{
	static char raw[8 << 20];
	size_t used, i;
	int k = snprintf(out, cap, "{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"diff_ids\":[");

	for (i = 0; i < n; i++) {
		char d[IMG_DIGEST_LEN];
		used = mktar(raw, sizeof(raw), layers[i], false);
		digest_of(raw, used, d);
		k += snprintf(out + k, cap - (size_t)k, "%s\"%s\"", i ? "," : "", d);
	}
	k += snprintf(out + k, cap - (size_t)k, "]}}");
	return (size_t)k;
}

static int run(const char *const *names, char *const *data, const size_t *len, size_t n, struct arena *a,
	       struct img_file **files, size_t *nf, struct ds_err *err)
{
	int p[2], rc;

	assert_int_equal(pipe(p), 0);
	save(p[1], names, data, len, n);
	close(p[1]);
	rc = img_setid_files(p[0], a, files, nf, err);
	close(p[0]);
	return rc;
}

static void test_final_view_applies_whiteouts_opaque_dirs_and_replacements(void **state)
{
	static char l1[16384], l2[16384], cfg[4096], man[1024];
	const struct file f1[] = {{"usr/", 0},		       {"usr/bin/su", 04755},	 {"usr/bin/newgrp", 02755},
				  {"usr/bin/gone", 04755},     {"./opt/tool/x", 04755},	 {"usr/bin/chsh", 04755},
				  {"var/mail/", 0},	       {"usr/bin/plain", 0755},	 {NULL, 0}};
	const struct file f2[] = {{"usr/bin/.wh.gone", 0644}, {"opt/tool/.wh..wh..opq", 0644}, {"opt/tool/y", 0755},
				  {"usr/bin/chsh", 0755},     {"usr/local/bin/late", 06755},  {NULL, 0}};
	const struct file *layers[] = {f1, f2};
	char blob[IMG_DIGEST_LEN + 16], d[IMG_DIGEST_LEN];
	/* the higher layer first: the archive's order is not the image's */
	const char *names[] = {"bb/layer.tar", "c.json", blob, "manifest.json"};
	char *data[4];
	size_t len[4];
	struct arena a;
	struct img_file *files;
	size_t n;
	struct ds_err err = {0};

	(void)state;
	arena_init(&a, 0);
	len[0] = mktar(l2, sizeof(l2), f2, false);
	data[0] = l2;
	len[1] = config_for(cfg, sizeof(cfg), layers, 2);
	data[1] = cfg;
	len[2] = mktar(l1, sizeof(l1), f1, true); /* an OCI blob, gzip-compressed, named by its digest */
	data[2] = l1;
	digest_of(l1, len[2], d);
	snprintf(blob, sizeof(blob), "blobs/sha256/%s", d + 7);
	len[3] = (size_t)snprintf(man, sizeof(man), "[{\"Config\":\"c.json\",\"Layers\":[\"%s\",\"bb/layer.tar\"]}]", blob);
	data[3] = man;
	assert_int_equal(run(names, data, len, 4, &a, &files, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(files[0].path, "/usr/bin/newgrp");
	assert_int_equal(files[0].mode, 02755);
	assert_int_equal(files[0].layer, 0);
	assert_string_equal(files[1].path, "/usr/bin/su");
	assert_string_equal(files[2].path, "/usr/local/bin/late");
	assert_int_equal(files[2].mode, 06755);
	assert_int_equal(files[2].layer, 1);
	arena_release(&a);
}

/* found by fuzz_layers: a layer holding only whiteouts has no paths to search */
static void test_a_layer_of_whiteouts_only(void **state)
{
	static char l1[16384], l2[16384], cfg[4096];
	const struct file f1[] = {{"bin/su", 04755}, {NULL, 0}};
	const struct file f2[] = {{"bin/.wh.su", 0644}, {NULL, 0}};
	const struct file *layers[] = {f1, f2};
	const char *manifest = "[{\"Config\":\"c.json\",\"Layers\":[\"a/layer.tar\",\"b/layer.tar\"]}]";
	const char *names[] = {"a/layer.tar", "b/layer.tar", "c.json", "manifest.json"};
	char *data[4];
	size_t len[4], n = 9;
	struct arena a;
	struct img_file *files;
	struct ds_err err = {0};

	(void)state;
	arena_init(&a, 0);
	len[0] = mktar(l1, sizeof(l1), f1, false);
	data[0] = l1;
	len[1] = mktar(l2, sizeof(l2), f2, false);
	data[1] = l2;
	len[2] = config_for(cfg, sizeof(cfg), layers, 2);
	data[2] = cfg;
	data[3] = (char *)manifest;
	len[3] = strlen(manifest);
	assert_int_equal(run(names, data, len, 4, &a, &files, &n, &err), 0);
	assert_int_equal(n, 0);
	arena_release(&a);
}

static void test_broken_streams_are_clear_errors(void **state)
{
	static char l1[16384];
	const struct file f1[] = {{"bin/su", 04755}, {NULL, 0}};
	const char *missing = "[{\"Config\":\"c.json\",\"Layers\":[\"aa/layer.tar\",\"zz/layer.tar\"]}]";
	const char *names[] = {"aa/layer.tar", "manifest.json", "c.json"};
	char *data[3];
	size_t len[3], n;
	struct arena a;
	struct img_file *files;
	struct ds_err err = {0};
	int p[2];

	(void)state;
	arena_init(&a, 0);
	len[0] = mktar(l1, sizeof(l1), f1, false);
	data[0] = l1;
	data[1] = (char *)missing;
	len[1] = strlen(missing);
	data[2] = "{}";
	len[2] = 2;
	assert_int_equal(run(names, data, len, 3, &a, &files, &n, &err), DS_EPARSE);
	assert_non_null(strstr(err.msg, "layer 2 (zz/layer.tar) is missing"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(run(names, data, len, 1, &a, &files, &n, &err), DS_EPARSE); /* no manifest.json */
	assert_non_null(strstr(err.msg, "manifest.json"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(pipe(p), 0); /* not an archive at all */
	assert_int_equal(write(p[1], "{\"not\": \"a tar\"}", 16), 16);
	close(p[1]);
	assert_true(img_setid_files(p[0], &a, &files, &n, &err) < 0);
	close(p[0]);
	arena_release(&a);
}

/* A stream that stalls (a writer that never writes, never closes) or
 * trickles is cut at the image's deadline, not read forever. */
static void test_a_stalled_export_is_cut_at_the_deadline(void **state)
{
	struct arena a;
	struct img_file *files;
	struct ds_err err = {0};
	size_t n;
	int p[2];

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "\0\0", 2), 2); /* two bytes, then nothing */
	assert_int_equal(img_setid_files_within(p[0], &a, 300, &files, &n, &err), DS_ELIMIT);
	assert_non_null(strstr(err.msg, "time limit"));
	close(p[0]);
	close(p[1]);
	arena_release(&a);
}

/* Whiteouts are looked up by the ancestors of each listed file: a layer
 * of many whiteouts over many setuid files gives the right view (and no
 * longer costs files x whiteouts). Paths a whiteout merely prefixes as a
 * string ("/bin2" by "/bin") stay. */
static void test_many_whiteouts_hide_exactly_their_paths(void **state)
{
	enum { N = 2000 };
	static char l1[1 << 20], l2[1 << 20];
	static struct file f1[N + 3], f2[N + 2];
	static char names1[N][32], names2[N][32];
	static char cfg[4096];
	const struct file *layers[] = {f1, f2};
	const char *manifest = "[{\"Config\":\"c.json\",\"Layers\":[\"a/layer.tar\",\"b/layer.tar\"]}]";
	const char *names[] = {"a/layer.tar", "b/layer.tar", "c.json", "manifest.json"};
	char *data[4];
	size_t len[4], n, i;
	struct arena a;
	struct img_file *files;
	struct ds_err err = {0};
	int p[2];

	(void)state;
	for (i = 0; i < N; i++) {
		snprintf(names1[i], sizeof(names1[i]), "usr/bin/s%zu", i);
		f1[i] = (struct file){names1[i], 04755};
		snprintf(names2[i], sizeof(names2[i]), "usr/bin/.wh.s%zu", i + (i % 2 ? 0 : N)); /* odd ones hidden */
		f2[i] = (struct file){names2[i], 0644};
	}
	f1[N] = (struct file){"bin2/keep", 04755};
	f1[N + 1] = (struct file){NULL, 0};
	f2[N] = (struct file){".wh.bin", 0644};
	f2[N + 1] = (struct file){NULL, 0};
	arena_init(&a, 0);
	len[0] = mktar(l1, sizeof(l1), f1, true);
	len[1] = mktar(l2, sizeof(l2), f2, true);
	data[0] = l1;
	data[1] = l2;
	len[2] = config_for(cfg, sizeof(cfg), layers, 2);
	data[2] = cfg;
	data[3] = (char *)manifest;
	len[3] = strlen(manifest);
	assert_int_equal(pipe(p), 0);
	if (fork() == 0) { /* the archive is larger than a pipe holds */
		close(p[0]);
		save(p[1], names, data, len, 4);
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(img_setid_files_within(p[0], &a, 60000, &files, &n, &err), 0);
	close(p[0]);
	assert_int_equal(n, N / 2 + 1);
	assert_string_equal(files[0].path, "/bin2/keep");
	for (i = 1; i < n; i++) {
		unsigned long k = strtoul(files[i].path + strlen("/usr/bin/s"), NULL, 10);
		assert_int_equal(k % 2, 0);
	}
	arena_release(&a);
}

/* An image's package records grow in the arena past a megabyte: in place
 * (arena_grow_big), not doubled into new blocks that leave every smaller
 * copy behind; the contents survive other allocations between the steps,
 * and the arena's limit still holds. */
static void test_a_large_arena_array_grows_in_place(void **state)
{
	const uint32_t n = 1u << 20; /* 4 MiB of 4-byte elements */
	struct arena a, b;
	uint32_t *v = NULL, *w = NULL;
	size_t cap = 0, capw = 0, i;

	(void)state;
	arena_init(&a, 64u << 20);
	arena_init(&b, 64u << 20);
	for (i = 0; i < n; i++) {
		assert_int_equal(arena_grow_big(&a, (void **)&v, &cap, i + 1, sizeof(*v)), 0);
		assert_int_equal(arena_grow(&b, (void **)&w, &capw, i + 1, sizeof(*w)), 0);
		v[i] = w[i] = (uint32_t)i * 2654435761u;
		if (i % 100000 == 0) /* something else in between */
			assert_non_null(arena_strdup(&a, "between"));
	}
	for (i = 0; i < n; i++)
		assert_int_equal(v[i], (uint32_t)i * 2654435761u);
	/* doubled into new blocks, the copies of 1 and 2 MiB stay behind (7.0 MiB in all
	 * against 9.0 here: the blocks of the smaller copies, 1 MiB for the strings) */
	assert_true(a.used_total + (2u << 20) <= b.used_total);
	assert_true(a.used_total < (15u << 19));
	arena_release(&a);
	arena_release(&b);
	/* the limit holds for a block grown in place */
	arena_init(&a, 3u << 20);
	v = NULL;
	cap = 0;
	for (i = 0; i < n; i++)
		if (arena_grow_big(&a, (void **)&v, &cap, i + 1, sizeof(*v)))
			break;
	assert_true(i < n && a.failed && a.used_total <= (3u << 20));
	arena_release(&a);
}

/* Such an array done growing gives back the room past its elements
 * (arena_trim_big), its contents kept; and a large allocation takes a
 * block of its own behind the current one, whose room stays in use: 40
 * lists of 800 KB with small things between them took 1 MiB blocks each,
 * and left the room of the one before behind. */
static void test_a_large_arena_array_is_trimmed_and_large_blocks_leave_no_room_behind(void **state)
{
	const size_t n = 300000; /* 1.2 MB of 4-byte elements, in a block of 2 MiB */
	struct arena a;
	uint32_t *v = NULL;
	size_t cap = 0, i, before;
	char *s1, *s2;

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(arena_grow_big(&a, (void **)&v, &cap, i + 1, sizeof(*v)), 0);
		v[i] = (uint32_t)i * 2654435761u;
	}
	before = a.used_total;
	arena_trim_big(&a, (void **)&v, &cap, n, sizeof(*v));
	assert_int_equal(cap, n);
	assert_int_equal(a.used_total, before - ((size_t)(1u << 19) - n) * sizeof(*v));
	for (i = 0; i < n; i++)
		assert_int_equal(v[i], (uint32_t)i * 2654435761u);
	arena_trim_big(&a, (void **)&v, &cap, n, sizeof(*v)); /* nothing left to give */
	assert_int_equal(cap, n);
	arena_release(&a);

	arena_init(&a, 0);
	s1 = arena_strdup(&a, "small");
	before = a.used_total;
	for (i = 0; i < 40; i++) {
		char *big = arena_alloc(&a, 800u << 10);
		assert_non_null(big);
		big[(800u << 10) - 1] = 1;
		assert_non_null(arena_strdup(&a, "between"));
	}
	/* exactly the 40 lists more, the small things in the block they started in */
	assert_int_equal(a.used_total, before + 40 * (size_t)(800u << 10));
	s2 = arena_strdup(&a, "after");
	assert_string_equal(s1, "small");
	assert_string_equal(s2, "after");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_final_view_applies_whiteouts_opaque_dirs_and_replacements),
		cmocka_unit_test(test_a_layer_of_whiteouts_only),
		cmocka_unit_test(test_broken_streams_are_clear_errors),
		cmocka_unit_test(test_a_stalled_export_is_cut_at_the_deadline),
		cmocka_unit_test(test_many_whiteouts_hide_exactly_their_paths),
		cmocka_unit_test(test_a_large_arena_array_grows_in_place),
		cmocka_unit_test(test_a_large_arena_array_is_trimmed_and_large_blocks_leave_no_room_behind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
