/*
 * curl_api.h - the libcurl functions the Engine API client calls, loaded
 * at first use (core/lazy.h): commands that never talk to a daemon never
 * load libcurl and its 30-odd dependencies.
 */
#ifndef DS_ENG_CURL_API_H
#define DS_ENG_CURL_API_H

#include "../core/ds.h"
#include <curl/curl.h>

struct eng_curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption o, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO i, ...);
	void (*easy_cleanup)(CURL *c);
	const char *(*easy_strerror)(CURLcode cc);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s); /* db update's headers */
	void (*slist_free_all)(struct curl_slist *l);
};

extern struct eng_curl_api eng_curl;

/* Load libcurl and run curl_global_init once per process; safe from any
 * thread. 0, or DS_ENOTFOUND with the loader's message. */
int eng_curl_load(struct ds_err *err);

#endif
