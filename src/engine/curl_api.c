/*
 * curl_api.c - libcurl loaded at first use (see curl_api.h). The SONAME
 * comes from the build (Makefile: DS_CURL_SONAME), so the library loaded
 * is the one the headers described.
 */
#include "curl_api.h"
#include "../core/lazy.h"
#include <pthread.h>

#ifndef DS_CURL_SONAME
#define DS_CURL_SONAME "libcurl.so.4"
#endif

struct eng_curl_api eng_curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct ds_err load_err;
static int load_rc;

static void load(void)
{
	const struct lazy_sym syms[] = {
		{"curl_global_init", (void **)&eng_curl.global_init},
		{"curl_easy_init", (void **)&eng_curl.easy_init},
		{"curl_easy_setopt", (void **)&eng_curl.easy_setopt},
		{"curl_easy_perform", (void **)&eng_curl.easy_perform},
		{"curl_easy_getinfo", (void **)&eng_curl.easy_getinfo},
		{"curl_easy_cleanup", (void **)&eng_curl.easy_cleanup},
		{"curl_easy_strerror", (void **)&eng_curl.easy_strerror},
	};

	load_rc = lazy_load(DS_CURL_SONAME, syms, DS_ARRAY_SIZE(syms), "talking to the Docker Engine API", &load_err);
	if (!load_rc && eng_curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		load_rc = ds_err_set(&load_err, DS_EINTERNAL, NULL, 0, 0, "curl_global_init failed");
}

int eng_curl_load(struct ds_err *err)
{
	pthread_once(&once, load);
	if (load_rc && err && !err->code)
		*err = load_err;
	return load_rc;
}
