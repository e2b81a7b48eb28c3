/*
 * curl_api.c - libcurl loaded at first use (see curl_api.h). The SONAME
 * comes from the build (Makefile: DS_CURL_SONAME), so the library loaded
 * is the one the headers described.
 */
#include "curl_api.h"
#include "../core/lazy.h"

#ifndef DS_CURL_SONAME
#define DS_CURL_SONAME "libcurl.so.4"
#endif

struct eng_curl_api eng_curl;

static int global_init(struct ds_err *err)
{
	return eng_curl.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK
		       ? 0
		       : ds_err_set(err, DS_EINTERNAL, NULL, 0, 0, "curl_global_init failed");
}

static const struct lazy_sym syms[] = {
	{"curl_global_init", (void **)&eng_curl.global_init},
	{"curl_easy_init", (void **)&eng_curl.easy_init},
	{"curl_easy_setopt", (void **)&eng_curl.easy_setopt},
	{"curl_easy_perform", (void **)&eng_curl.easy_perform},
	{"curl_easy_getinfo", (void **)&eng_curl.easy_getinfo},
	{"curl_easy_cleanup", (void **)&eng_curl.easy_cleanup},
	{"curl_easy_strerror", (void **)&eng_curl.easy_strerror},
	{"curl_slist_append", (void **)&eng_curl.slist_append},
	{"curl_slist_free_all", (void **)&eng_curl.slist_free_all},
};

static struct lazy_lib lib = {DS_CURL_SONAME, "talking to the Docker Engine API and downloading vulnerability data", syms, DS_ARRAY_SIZE(syms),
			      global_init, 0, {0}, false};

int eng_curl_load(struct ds_err *err)
{
	return lazy_load(&lib, err);
}
