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
#include <time.h>

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
static pthread_once_t hq_once = PTHREAD_ONCE_INIT;
static void hq_start(void);

int img_digest_load(struct ds_err *err)
{
	int rc;

	if (!own && !(own = img_sha256_fast()) && (rc = lazy_load(&lib, err)))
		return rc;
	return 0;
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
 * and 4 MiB of them 10 ms; two huge pages cost 0.25 ms (bench/README.md).
 *
 * The hashing thread is the scan's critical path, and waking a thread
 * that sleeps on an idle CPU of a virtual machine took up to 2 ms. So it
 * spins for up to HQ_SPIN_NS before it sleeps when the ring is empty (the
 * reader fell behind for a moment), and so does the reader waiting for a
 * final. The reader, when the ring is full, sleeps at once and is woken
 * when half of it is free: one wake per 8 slots, where a wake per slot
 * cost the hashing thread a futex call each time. head and tail are
 * atomics, each moved by one side; a side about to sleep sets its flag
 * (under mu) before it looks again, and the other looks at the flag after
 * it moves its index, so one of them sees the other's store and no wake
 * is lost. */
#define HQ_SLOTS 16
#define HQ_SLOT (1u << 18)
#define HQ_SPIN_NS 1000000LL
_Static_assert((HQ_SLOTS * HQ_SLOT) % (2u << 20) == 0, "the ring is whole huge pages");

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
	int worker_asleep, reader_asleep;
	bool threaded;
	/* the producer's slot being filled: hq.tail's, not yet queued */
	void *fill_ctx;
	size_t fill;
} hq = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, {{0}}, NULL, 0, 0, 0, 0, false, NULL, 0};

static bool has_job(void) /* the worker's: head is its own */
{
	return __atomic_load_n(&hq.tail, __ATOMIC_SEQ_CST) != hq.head;
}

static bool has_room(void) /* the reader's: tail is its own */
{
	return hq.tail - __atomic_load_n(&hq.head, __ATOMIC_SEQ_CST) <= HQ_SLOTS / 2;
}

static bool drained(void)
{
	return __atomic_load_n(&hq.head, __ATOMIC_SEQ_CST) == hq.tail;
}

static long long mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Wait until ok(): spin for up to spin_ns, then sleep on cv with *asleep set. */
static void hq_wait(bool (*ok)(void), int *asleep, pthread_cond_t *cv, long long spin_ns)
{
	if (spin_ns) {
		long long until = mono_ns() + spin_ns;
		for (unsigned i = 1; !ok(); i++) {
			if (!(i & 255) && mono_ns() >= until)
				break;
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#endif
		}
	}
	if (ok())
		return;
	pthread_mutex_lock(&hq.mu);
	__atomic_store_n(asleep, 1, __ATOMIC_SEQ_CST);
	while (!ok())
		pthread_cond_wait(cv, &hq.mu);
	__atomic_store_n(asleep, 0, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&hq.mu);
}

/* Wake the other side if it sleeps: called after moving one's index. */
static void hq_wake(int *asleep, pthread_cond_t *cv)
{
	if (__atomic_load_n(asleep, __ATOMIC_SEQ_CST)) {
		pthread_mutex_lock(&hq.mu);
		pthread_cond_signal(cv);
		pthread_mutex_unlock(&hq.mu);
	}
}

static void *hq_worker(void *unused)
{
	(void)unused;
#ifdef MADV_POPULATE_WRITE
	/* The ring's huge pages faulted in here, while the reader opens the
	 * image and reads its first headers: a huge page's first touch took
	 * from 0.1 to 3.4 ms on a virtual machine, and the reader's copy into
	 * the second one starved this thread for as long (bench/README.md).
	 * The contents are not touched: a page the reader faulted first is
	 * left as it is. */
	for (size_t off = 0; off < HQ_SLOTS * HQ_SLOT; off += 2u << 20)
		madvise(hq.buf + off, 2u << 20, MADV_POPULATE_WRITE);
#endif
	for (;;) {
		unsigned long h = hq.head;
		struct hjob j;
		hq_wait(has_job, &hq.worker_asleep, &hq.more, HQ_SPIN_NS);
		j = hq.job[h % HQ_SLOTS];
		update(j.ctx, hq.buf + (h % HQ_SLOTS) * HQ_SLOT, j.n);
		__atomic_store_n(&hq.head, h + 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&hq.tail, __ATOMIC_SEQ_CST) - (h + 1) <= HQ_SLOTS / 2)
			hq_wake(&hq.reader_asleep, &hq.done);
	}
	return NULL;
}

/* ---- placement ----
 * While an image is read, the reader and the hashing thread stay on two
 * CPUs: left to the scheduler, a wake-up now and then put both on one CPU
 * for a few milliseconds, and one run in two of the benchmark took 10 ms
 * longer (the hashing thread idle 5-9 ms instead of 0.6; bench/README.md).
 * The hashing thread is kept on the CPU after the reader's (it does
 * nothing else); the reader is held to its CPU by img_digest_pin and let
 * go by img_digest_unpin, so nothing after the read (nor a thread it
 * starts) inherits the restriction. */
static int hq_cpu = -1; /* the hashing thread's CPU, or -1: not placed */
static cpu_set_t reader_cpus;
static bool reader_pinned;

/* The first CPU in set after cpu, cyclically, other than avoid; or -1. */
static int next_cpu(const cpu_set_t *set, int cpu, int avoid)
{
	for (int i = 1; i <= CPU_SETSIZE; i++) {
		int c = (cpu + i) % CPU_SETSIZE;
		if (c != avoid && CPU_ISSET(c, set))
			return c;
	}
	return -1;
}

/* The hashing thread starts here, before the first blob is read: started
 * at the first update, it took up to 2 ms to run on the other CPU while
 * the first slot waited for it (bench/README.md). */
void img_digest_pin(void)
{
	cpu_set_t one;
	int me;

	pthread_once(&hq_once, hq_start);
	me = sched_getcpu();
	if (hq_cpu < 0 || reader_pinned || me < 0 || pthread_getaffinity_np(pthread_self(), sizeof(reader_cpus), &reader_cpus))
		return;
	if (me == hq_cpu || !CPU_ISSET(me, &reader_cpus))
		me = next_cpu(&reader_cpus, me, hq_cpu);
	if (me < 0)
		return;
	CPU_ZERO(&one);
	CPU_SET(me, &one);
	reader_pinned = !pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
}

void img_digest_unpin(void)
{
	if (reader_pinned)
		pthread_setaffinity_np(pthread_self(), sizeof(reader_cpus), &reader_cpus);
	reader_pinned = false;
}

static void hq_start(void)
{
	cpu_set_t cpus, one;
	pthread_attr_t at;
	pthread_t t;
	sigset_t all, old;
	int me;

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
	if (hq.threaded && (me = sched_getcpu()) >= 0 && (hq_cpu = next_cpu(&cpus, me, me)) >= 0) {
		CPU_ZERO(&one);
		CPU_SET(hq_cpu, &one);
		if (pthread_setaffinity_np(t, sizeof(one), &one))
			hq_cpu = -1;
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
	hq.job[hq.tail % HQ_SLOTS] = (struct hjob){hq.fill_ctx, hq.fill};
	__atomic_store_n(&hq.tail, hq.tail + 1, __ATOMIC_SEQ_CST);
	hq_wake(&hq.worker_asleep, &hq.more);
	hq.fill = 0;
}

/* Wait until every update made so far is hashed. */
static void hq_drain(void)
{
	if (!hq.threaded)
		return;
	hq_publish();
	hq_wait(drained, &hq.reader_asleep, &hq.done, HQ_SPIN_NS);
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
			/* a full ring: wait until half of it is free */
			if (hq.tail - __atomic_load_n(&hq.head, __ATOMIC_SEQ_CST) == HQ_SLOTS)
				hq_wait(has_room, &hq.reader_asleep, &hq.done, 0);
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
