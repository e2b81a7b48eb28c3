/*
 * archive_api.c - libarchive loaded at first use (see archive_api.h); the
 * SONAME comes from the build (Makefile: DS_ARCHIVE_SONAME).
 */
#include "archive_api.h"
#include "../core/lazy.h"

#ifndef DS_ARCHIVE_SONAME
#define DS_ARCHIVE_SONAME "libarchive.so.13"
#endif

struct img_archive_api img_ar;

static const struct lazy_sym syms[] = {
	{"archive_read_new", (void **)&img_ar.read_new},
	{"archive_read_free", (void **)&img_ar.read_free},
	{"archive_read_support_format_tar", (void **)&img_ar.read_support_format_tar},
	{"archive_read_support_filter_all", (void **)&img_ar.read_support_filter_all},
	{"archive_read_open", (void **)&img_ar.read_open},
	{"archive_read_next_header", (void **)&img_ar.read_next_header},
	{"archive_read_data", (void **)&img_ar.read_data},
	{"archive_error_string", (void **)&img_ar.error_string},
	{"archive_set_error", (void **)&img_ar.set_error},
	{"archive_entry_pathname", (void **)&img_ar.entry_pathname},
	{"archive_entry_mode", (void **)&img_ar.entry_mode},
	{"archive_entry_size", (void **)&img_ar.entry_size},
	{"archive_read_support_filter_gzip", (void **)&img_ar.read_support_filter_gzip},
	{"archive_read_support_filter_zstd", (void **)&img_ar.read_support_filter_zstd},
	{"archive_read_support_filter_xz", (void **)&img_ar.read_support_filter_xz},
	{"archive_read_support_filter_bzip2", (void **)&img_ar.read_support_filter_bzip2},
	{"archive_read_support_format_raw", (void **)&img_ar.read_support_format_raw},
	{"archive_read_data_skip", (void **)&img_ar.read_data_skip},
	{"archive_filter_name", (void **)&img_ar.filter_name},
	{"archive_entry_symlink", (void **)&img_ar.entry_symlink},
	{"archive_entry_hardlink", (void **)&img_ar.entry_hardlink},
	{"archive_entry_uid", (void **)&img_ar.entry_uid},
	{"archive_entry_gid", (void **)&img_ar.entry_gid},
	{"archive_read_support_format_zip_streamable", (void **)&img_ar.read_support_format_zip_streamable},
	{"archive_read_open_memory", (void **)&img_ar.read_open_memory},
	{"archive_read_support_format_zip_seekable", (void **)&img_ar.read_support_format_zip_seekable},
	{"archive_read_open2", (void **)&img_ar.read_open2},
	{"archive_read_data_block", (void **)&img_ar.read_data_block},
};

static struct lazy_lib lib = {DS_ARCHIVE_SONAME, "reading image archives", syms, DS_ARRAY_SIZE(syms), NULL, 0, {0},
			      false};

int img_archive_load(struct ds_err *err)
{
	return lazy_load(&lib, err);
}
