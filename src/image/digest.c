/*
 * digest.c - SHA-256 of image blobs (see digest.h): sha256.c's on a CPU
 * with the SHA instructions, else libcrypto's EVP interface, loaded at
 * first use by the SONAME the build found (Makefile: DS_CRYPTO_SONAME).
 */
#include "digest.h"
#include "sha256.h"
#include "../core/lazy.h"
#include <openssl/evp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>

#ifndef DS_CRYPTO_SONAME
#define DS_CRYPTO_SONAME "libcrypto.so.3"
#endif

static struct {
	EVP_MD_CTX *(*ctx_new)(void);
	void (*ctx_free)(EVP_MD_CTX *c);
	const EVP_MD *(*sha256)(void);
	int (*init)(EVP_MD_CTX *c, const EVP_MD *t, ENGINE *e);
	int (*update)(EVP_MD_CTX *c, const void *d, size_t n);
	int (*final)(EVP_MD_CTX *c, unsigned char *md, unsigned int *n);
} ev;

static const struct lazy_sym syms[] = {
	{"EVP_MD_CTX_new", (void **)&ev.ctx_new},   {"EVP_MD_CTX_free", (void **)&ev.ctx_free},
	{"EVP_sha256", (void **)&ev.sha256},        {"EVP_DigestInit_ex", (void **)&ev.init},
	{"EVP_DigestUpdate", (void **)&ev.update}, {"EVP_DigestFinal_ex", (void **)&ev.final},
};

static struct lazy_lib lib = {DS_CRYPTO_SONAME, "checking image digests", syms, DS_ARRAY_SIZE(syms), NULL, 0, {0},
			      false};

/* sha256.c's, not libcrypto's: decided once, at the first load */
static bool own;

int img_digest_load(struct ds_err *err)
{
	if (own || (own = img_sha256_fast()))
		return 0;
	return lazy_load(&lib, err);
}

static void update(void *ctx, const void *p, size_t n)
{
	if (own)
		img_sha256_update(ctx, p, n);
	else
		ev.update(ctx, p, n);
}

/* ---- the hashing thread ----
 * SHA-256 costs about as much as reading the layers (1.7 GB/s with the
 * SHA instructions), so with two CPUs or more it runs beside the reader:
 * updates are copied into a ring of large slots that one worker thread
 * hashes in order, and img_sha_final waits for the ring to drain. One
 * worker keeps every context's updates in the order they were made; a
 * slot is handed over only when full (or another context, or a final,
 * needs it), so the threads meet once per slot, not once per read. The
 * producer side is not locked: contexts are updated from one thread (the
 * image reader's). With one CPU, or if the thread cannot start, updates
 * are hashed inline. The ring is 4 MiB on transparent huge pages
 * (ds_alloc_huge): every small page touched for the first time costs a
 * page fault, about 10 us on a virtual machine, so a 1 MiB ring of small
 * pages cost 2.5 ms while the hashing thread waited for its first slots,
 * and 4 MiB of them 10 ms; two huge pages cost 0.25 ms (bench/README.md). */
#define HQ_SLOTS 16
#define HQ_SLOT (1u << 18)

struct hjob {
	void *ctx;
	size_t n;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t more, done;
	struct hjob job[HQ_SLOTS];
	unsigned char *buf;       /* HQ_SLOTS slots of HQ_SLOT bytes */
	unsigned long head, tail; /* jobs [head, tail) queued; head moves once a job is hashed */
	bool threaded;
	/* the producer's slot being filled: hq.tail's, not yet queued */
	void *fill_ctx;
	size_t fill;
} hq = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, {{0}}, NULL, 0, 0, false, NULL, 0};
static pthread_once_t hq_once = PTHREAD_ONCE_INIT;

static void *hq_worker(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&hq.mu);
	for (;;) {
		struct hjob j;
		while (hq.head == hq.tail)
			pthread_cond_wait(&hq.more, &hq.mu);
		j = hq.job[hq.head % HQ_SLOTS];
		pthread_mutex_unlock(&hq.mu);
		update(j.ctx, hq.buf + (hq.head % HQ_SLOTS) * HQ_SLOT, j.n);
		pthread_mutex_lock(&hq.mu);
		hq.head++;
		pthread_cond_signal(&hq.done);
	}
	return NULL;
}

static void hq_start(void)
{
	cpu_set_t cpus;
	pthread_attr_t at;
	pthread_t t;
	sigset_t all, old;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) || CPU_COUNT(&cpus) < 2 || !(hq.buf = ds_alloc_huge(HQ_SLOTS * HQ_SLOT)))
		return;
	/* signals stay with the threads that handle them */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (!pthread_attr_init(&at)) {
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		hq.threaded = !pthread_create(&t, &at, hq_worker, NULL);
		pthread_attr_destroy(&at);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!hq.threaded) {
		munmap(hq.buf, HQ_SLOTS * HQ_SLOT);
		hq.buf = NULL;
	}
}

/* Queue the slot being filled. */
static void hq_publish(void)
{
	if (!hq.fill)
		return;
	pthread_mutex_lock(&hq.mu);
	hq.job[hq.tail % HQ_SLOTS] = (struct hjob){hq.fill_ctx, hq.fill};
	hq.tail++;
	pthread_cond_signal(&hq.more);
	pthread_mutex_unlock(&hq.mu);
	hq.fill = 0;
}

/* Wait until every update made so far is hashed. */
static void hq_drain(void)
{
	if (!hq.threaded)
		return;
	hq_publish();
	pthread_mutex_lock(&hq.mu);
	while (hq.head != hq.tail)
		pthread_cond_wait(&hq.done, &hq.mu);
	pthread_mutex_unlock(&hq.mu);
}

int img_sha_init(struct img_sha *s)
{
	pthread_once(&hq_once, hq_start);
	if (own) {
		if (!(s->ctx = ds_malloc(sizeof(struct img_sha256))))
			return DS_ENOMEM;
		img_sha256_init(s->ctx);
		return 0;
	}
	if (!(s->ctx = ev.ctx_new()))
		return DS_ENOMEM;
	if (ev.init(s->ctx, ev.sha256(), NULL) != 1) {
		ev.ctx_free(s->ctx);
		s->ctx = NULL;
		return DS_ENOMEM;
	}
	return 0;
}

void img_sha_update(struct img_sha *s, const void *p, size_t n)
{
	const unsigned char *c = p;

	if (!s->ctx || !n)
		return;
	if (!hq.threaded) {
		update(s->ctx, p, n);
		return;
	}
	if (hq.fill && hq.fill_ctx != s->ctx)
		hq_publish();
	while (n) {
		size_t k;
		if (!hq.fill) {
			/* wait for the slot at the tail to be free */
			pthread_mutex_lock(&hq.mu);
			while (hq.tail - hq.head == HQ_SLOTS)
				pthread_cond_wait(&hq.done, &hq.mu);
			pthread_mutex_unlock(&hq.mu);
			hq.fill_ctx = s->ctx;
		}
		k = HQ_SLOT - hq.fill < n ? HQ_SLOT - hq.fill : n;
		memcpy(hq.buf + (hq.tail % HQ_SLOTS) * HQ_SLOT + hq.fill, c, k);
		hq.fill += k;
		c += k;
		n -= k;
		if (hq.fill == HQ_SLOT)
			hq_publish();
	}
}

void img_sha_final(struct img_sha *s, char out[IMG_DIGEST_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int n = 0, i;

	hq_drain();
	memcpy(out, "sha256:", 7);
	if (s->ctx && own)
		img_sha256_final(s->ctx, md);
	else if (!s->ctx || ev.final(s->ctx, md, &n) != 1 || n != 32)
		memset(md, 0, sizeof(md));
	for (i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[md[i] >> 4];
		out[8 + 2 * i] = hex[md[i] & 15];
	}
	out[71] = 0;
	img_sha_release(s);
}

void img_sha_release(struct img_sha *s)
{
	hq_drain();
	if (s->ctx && own)
		ds_free(s->ctx);
	else if (s->ctx)
		ev.ctx_free(s->ctx);
	s->ctx = NULL;
}

bool img_digest_valid(const char *d)
{
	size_t i;

	if (!d || strncmp(d, "sha256:", 7) || strlen(d) != 71)
		return false;
	for (i = 7; i < 71; i++)
		if (!((d[i] >= '0' && d[i] <= '9') || (d[i] >= 'a' && d[i] <= 'f')))
			return false;
	return true;
}
