/*
 * test_tar.c - the streaming tar reader (image/tar.c) on archives built
 * here header by header, each read whole and again one byte per pull:
 * ustar names with their prefix, pax and GNU long names and which one
 * wins, the last pax header counting, numbers in octal (NUL-padded on
 * either side) and base-256, both checksums, header-only types carrying
 * no data whatever their size (as Go's archive/tar - docker - reads
 * them), the ways an archive may end and the ways it is damaged.
 */
#include "unit.h"
#include "image/tar.h"
#include <stdio.h>
#include <stdlib.h>

struct ar {
	unsigned char b[32768];
	size_t n;
};

static void octal(unsigned char *f, size_t len, unsigned long long v)
{
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%0*llo", (int)len - 1, v);
	memcpy(f, tmp, len - 1);
	f[len - 1] = 0;
}

static void sum(unsigned char *h)
{
	unsigned s = 0;
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		s += h[i];
	snprintf((char *)h + 148, 8, "%06o", s);
	h[155] = ' ';
}

/* A header (ustar magic unless magic is NULL) and its data, padded. */
static unsigned char *entry(struct ar *a, const char *name, char type, const char *data, size_t len, const char *magic)
{
	unsigned char *h = a->b + a->n;

	memset(h, 0, 512);
	memcpy(h, name, strlen(name) < 100 ? strlen(name) : 100);
	octal(h + 100, 8, 0644);
	octal(h + 108, 8, 1000);
	octal(h + 116, 8, 1000);
	octal(h + 124, 12, len);
	octal(h + 136, 12, 0);
	h[156] = (unsigned char)type;
	if (magic)
		memcpy(h + 257, magic, 8);
	sum(h);
	a->n += 512;
	if (len) {
		memset(a->b + a->n, 0, (len + 511) / 512 * 512);
		memcpy(a->b + a->n, data, len);
		a->n += (len + 511) / 512 * 512;
	}
	return h;
}

static void pax_rec(char *out, size_t cap, const char *k, const char *v)
{
	size_t body = strlen(k) + strlen(v) + 3, n = body + 1;
	while (snprintf(NULL, 0, "%zu", n) + body != n)
		n++;
	snprintf(out, cap, "%zu %s=%s\n", n, k, v);
}

static void end(struct ar *a)
{
	memset(a->b + a->n, 0, 1024);
	a->n += 1024;
}

struct feed {
	const unsigned char *p;
	size_t n, chunk;
};

static ssize_t pull(void *ud, const void **out)
{
	struct feed *f = ud;
	size_t k = f->n < f->chunk ? f->n : f->chunk;
	*out = f->p;
	f->p += k;
	f->n -= k;
	return (ssize_t)k;
}

/* "path type size link data" per entry, then "end" or "damaged: why". */
static void list(const struct ar *a, size_t chunk, char *out, size_t cap)
{
	struct feed f = {a->b, a->n, chunk};
	struct img_tar t;
	struct img_tar_entry e;
	size_t o = 0;
	int r;

	img_tar_init(&t, pull, NULL, &f);
	out[0] = 0;
	while ((r = img_tar_next(&t, &e)) > 0) {
		char data[64] = "";
		ssize_t k = img_tar_read(&t, data, sizeof(data) - 1);
		if (k < 0) {
			r = (int)k;
			break;
		}
		data[k] = 0;
		o += (size_t)snprintf(out + o, cap - o, "%s %c %llu %s %s|", e.path, e.type, e.size, e.link ? e.link : "-",
				      data);
	}
	if (r == 0)
		snprintf(out + o, cap - o, "end");
	else if (r == IMG_TAR_DAMAGED)
		snprintf(out + o, cap - o, "damaged: %s", t.why);
	else
		snprintf(out + o, cap - o, "error %d", r);
	img_tar_release(&t);
}

/* Read whole and one byte a pull: the same listing, the one expected. */
static void expect(const struct ar *a, const char *want)
{
	static char x[8192], y[8192];
	list(a, 1 << 20, x, sizeof(x));
	list(a, 1, y, sizeof(y));
	assert_string_equal(x, want);
	assert_string_equal(y, want);
}

static const char U[] = "ustar\0" "00", G[] = "ustar  \0";

static void test_names(void **state)
{
	struct ar *a = calloc(1, sizeof(*a));
	char rec[600], big[300];
	unsigned char *h;

	(void)state;
	entry(a, "etc/os-release", '0', "ID=x\n", 5, U);
	h = entry(a, "name", '0', "p", 1, U); /* the ustar prefix */
	memcpy(h + 345, "usr/share", 9);
	sum(h);
	entry(a, "bin/sh", '2', NULL, 0, U);
	memcpy(a->b + a->n - 512 + 157, "dash", 4);
	sum(a->b + a->n - 512);
	memset(big, 'x', 200);
	big[200] = 0;
	pax_rec(rec, sizeof(rec), "path", big);
	entry(a, "PaxHeaders/x", 'x', rec, strlen(rec), U);
	entry(a, "short", '0', "q", 1, U);
	entry(a, "././@LongLink", 'L', "gnu/long/name", 14, G); /* the data's NUL ends the name */
	entry(a, "cut", '0', "r", 1, G);
	end(a);
	{
		char want[2048];
		snprintf(want, sizeof(want),
			 "etc/os-release f 5 - ID=x\n|usr/share/name f 1 - p|bin/sh l 0 dash |%s f 1 - q|gnu/long/name f 1 - r|end",
			 big);
		expect(a, want);
	}
	free(a);
}

/* Go's precedence: a GNU long name over a pax path; the last pax header
 * before an entry is the one that counts; pax size, uid and gid win. */
static void test_precedence(void **state)
{
	struct ar *a = calloc(1, sizeof(*a));
	char rec[256], two[512];
	unsigned char *h;

	(void)state;
	pax_rec(rec, sizeof(rec), "path", "from/pax");
	entry(a, "p", 'x', rec, strlen(rec), U);
	entry(a, "l", 'L', "from/gnu", 8, G);
	entry(a, "header", '0', "a", 1, U);
	pax_rec(rec, sizeof(rec), "path", "first/pax");
	entry(a, "p1", 'x', rec, strlen(rec), U);
	pax_rec(two, sizeof(two), "uid", "7");
	entry(a, "p2", 'x', two, strlen(two), U); /* replaces the first one whole */
	entry(a, "header2", '0', "b", 1, U);
	pax_rec(rec, sizeof(rec), "size", "3");
	entry(a, "p3", 'x', rec, strlen(rec), U);
	h = entry(a, "sized", '0', "xyz", 3, U);
	octal(h + 124, 12, 1); /* the header says 1 */
	sum(h);
	end(a);
	expect(a, "from/gnu f 1 - a|header2 f 1 - b|sized f 3 - xyz|end");
	free(a);
}

/* Directories, links and devices carry no data whatever their size
 * field says: what follows their header is the next header. A '\0'
 * entry named "d/" is a directory; unknown letters are no files. */
static void test_header_only(void **state)
{
	struct ar *a = calloc(1, sizeof(*a));
	unsigned char *h;

	(void)state;
	h = entry(a, "dir", '5', NULL, 0, U);
	octal(h + 124, 12, 1024); /* a size, but no data */
	sum(h);
	entry(a, "after", '0', "z", 1, U);
	entry(a, "old/", 0, NULL, 0, NULL);
	entry(a, "plain", 0, "v7", 2, NULL);
	entry(a, "label", 'V', "vol", 3, U);
	entry(a, "contig", '7', "c", 1, U);
	end(a);
	expect(a, "dir d 0 - |after f 1 - z|old/ d 0 - |plain f 2 - v7|label o 3 - vol|contig f 1 - c|end");
	free(a);
}

static void test_numbers_and_checksums(void **state)
{
	struct ar *a = calloc(1, sizeof(*a));
	unsigned char *h;
	char out[512];

	(void)state;
	h = entry(a, "nul-first", '0', "abc", 3, U);
	memcpy(h + 124, "\0000000000003\0", 12); /* Go trims NULs on both sides */
	sum(h);
	h = entry(a, "base256", '0', "de", 2, U);
	memset(h + 124, 0, 12);
	h[124] = 0x80;
	h[135] = 2;
	sum(h);
	h = entry(a, "signed", '0', "f", 1, U);
	h[300] = 0xff; /* a byte past 127: the signed sum is 256 less than the unsigned one */
	sum(h);
	{
		unsigned u = (unsigned)strtoul((const char *)h + 148, NULL, 8);
		snprintf((char *)h + 148, 8, "%06o", u - 256); /* as old tars wrote it */
		h[155] = ' ';
	}
	end(a);
	expect(a, "nul-first f 3 - abc|base256 f 2 - de|signed f 1 - f|end");
	h[0] ^= 1; /* now the checksum is wrong */
	list(a, 4096, out, sizeof(out));
	assert_non_null(strstr(out, "damaged: a header whose checksum does not match"));
	free(a);
}

static void test_ends(void **state)
{
	struct ar *a = calloc(1, sizeof(*a));
	char out[512];

	(void)state;
	entry(a, "a", '0', "1", 1, U);
	expect(a, "a f 1 - 1|end"); /* no end marker: the end at a header boundary */
	memset(a->b + a->n, 0, 512);
	a->n += 512;
	expect(a, "a f 1 - 1|end"); /* one zero block, then nothing */
	entry(a, "b", '0', "2", 1, U);
	list(a, 7, out, sizeof(out));
	assert_string_equal(out, "a f 1 - 1|damaged: a header after a zero block");
	a->n = 1024 + 100; /* cut inside the second header */
	list(a, 7, out, sizeof(out));
	assert_string_equal(out, "a f 1 - 1|damaged: the archive ends inside an entry");
	a->n = 0;
	entry(a, "big", '0', "x", 1, U);
	octal(a->b + 124, 12, 5000); /* more data than there is */
	sum(a->b);
	list(a, 100, out, sizeof(out));
	assert_non_null(strstr(out, "damaged: the archive ends inside an entry"));
	free(a);
}

/* A pax header that does not parse is damage, never a guess. */
static void test_pax_damage(void **state)
{
	static const struct {
		const char *rec;
		size_t len;
		const char *want;
	} cases[] = {
		{"14 path=a\0b/c\n", 14, "damaged: a pax path with a NUL byte"},
		{"99 path=x\n", 10, "damaged: a pax header record that does not add up"},
		{"11 size=-1\n", 11, "damaged: a pax number that is not a decimal"},
		{"7 =abc\n", 7, "damaged: a pax header record without a key"},
	};
	struct ar *a = calloc(1, sizeof(*a));
	char out[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		a->n = 0;
		entry(a, "p", 'x', cases[i].rec, cases[i].len, U);
		entry(a, "f", '0', "", 0, U);
		end(a);
		list(a, 4096, out, sizeof(out));
		assert_string_equal(out, cases[i].want);
	}
	free(a);
}

/* GNU sparse: an entry of type other, its map's extension blocks and
 * stored bytes passed over; a global pax header is no entry. */
static void test_sparse_and_global(void **state)
{
	struct ar *a = calloc(1, sizeof(*a));
	unsigned char *h;
	char rec[128];

	(void)state;
	pax_rec(rec, sizeof(rec), "comment", "global");
	entry(a, "g", 'g', rec, strlen(rec), U);
	h = entry(a, "sparse", 'S', NULL, 0, G);
	h[482] = 1; /* one extension block follows */
	octal(h + 124, 12, 4);
	sum(h);
	memset(a->b + a->n, 0, 512); /* the extension block, not flagged again */
	a->n += 512;
	memcpy(a->b + a->n, "data", 4);
	memset(a->b + a->n + 4, 0, 508);
	a->n += 512;
	entry(a, "next", '0', "n", 1, U);
	end(a);
	expect(a, "sparse o 4 - data|next f 1 - n|end");
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),         cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_header_only),   cmocka_unit_test(test_numbers_and_checksums),
		cmocka_unit_test(test_ends),          cmocka_unit_test(test_pax_damage),
		cmocka_unit_test(test_sparse_and_global),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
