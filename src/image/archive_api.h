/*
 * archive_api.h - the libarchive functions the image readers call, loaded
 * at first use (core/lazy.h): lint and check never load libarchive and
 * its compressors, nor does scan for an image of plain or gzip layers
 * (tar.c reads the tars, gunzip.c inflates); zstd, xz and bzip2 layers,
 * Java archives (zip) and the vulnerability database import do.
 */
#ifndef DS_IMG_ARCHIVE_API_H
#define DS_IMG_ARCHIVE_API_H

#include "../core/ds.h"
#include <archive.h>
#include <archive_entry.h>

struct img_archive_api {
	struct archive *(*read_new)(void);
	int (*read_free)(struct archive *a);
	int (*read_support_format_tar)(struct archive *a);
	int (*read_support_filter_all)(struct archive *a);
	int (*read_open)(struct archive *a, void *ud, archive_open_callback *o, archive_read_callback *r,
			 archive_close_callback *c);
	int (*read_next_header)(struct archive *a, struct archive_entry **e);
	la_ssize_t (*read_data)(struct archive *a, void *buf, size_t n);
	const char *(*error_string)(struct archive *a);
	void (*set_error)(struct archive *a, int err, const char *fmt, ...);
	const char *(*entry_pathname)(struct archive_entry *e);
	__LA_MODE_T (*entry_mode)(struct archive_entry *e);
	la_int64_t (*entry_size)(struct archive_entry *e);
	/* the image reader's: only in-process decompressors (never the
	 * external programs filter_all may run), raw blobs, links, owners */
	int (*read_support_filter_gzip)(struct archive *a);
	int (*read_support_filter_zstd)(struct archive *a);
	int (*read_support_filter_xz)(struct archive *a);
	int (*read_support_filter_bzip2)(struct archive *a);
	int (*read_support_format_raw)(struct archive *a);
	int (*read_data_skip)(struct archive *a);
	const char *(*filter_name)(struct archive *a, int n);
	const char *(*entry_symlink)(struct archive_entry *e);
	const char *(*entry_hardlink)(struct archive_entry *e);
	la_int64_t (*entry_uid)(struct archive_entry *e);
	la_int64_t (*entry_gid)(struct archive_entry *e);
	int (*read_support_format_zip_streamable)(struct archive *a); /* Java archives */
	int (*read_support_format_zip_seekable)(struct archive *a);   /* nested ones, in memory */
	int (*read_open_memory)(struct archive *a, const void *buf, size_t n);
	int (*read_data_block)(struct archive *a, const void **buf, size_t *n, la_int64_t *offset);
	int (*read_open2)(struct archive *a, void *ud, archive_open_callback *o, archive_read_callback *r,
			  archive_skip_callback *sk, archive_close_callback *c);
};

extern struct img_archive_api img_ar;

/* Load libarchive once per process; safe from any thread. 0, or
 * DS_ENOTFOUND with the loader's message. */
int img_archive_load(struct ds_err *err);

#endif
