/*
 * fuzz_yaml.c - libFuzzer target for the YAML front-ends: the input is read
 * as a Compose file and as a Kubernetes manifest stream (merge keys,
 * aliases, extends, interpolation, every workload kind), and every
 * container found is judged; and every document's root is hashed as an
 * include conflict compares services (yd_hash: alias bombs, deep nesting,
 * odd scalars).
 */
#include "container/check.h"
#include "container/yaml.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, bool compose)
{
	static const char *const env[] = {"A=1", "TAG=latest", NULL};
	struct target t;
	struct ct_file f;

	if (!fuzz_target(&t, "-", data, size))
		return;
	memset(&f, 0, sizeof(f));
	if ((compose ? ct_from_compose(&t, &f, env) : ct_from_k8s(&t, &f)) == 0)
		ct_judge(&t, &f);
	fuzz_target_release(&t);
}

static void hashes(const uint8_t *data, size_t size)
{
	struct arena a;
	struct ds_err err = {0};
	struct yd y;
	uint64_t h;
	int docs = 0;

	arena_init(&a, 1u << 26);
	if (!yd_open(&y, &a, "-", (const char *)data, size, &err)) {
		while (docs++ < 16 && yd_next(&y) > 0)
			if (yd_hash(&y, yd_root(&y), &h) == 0 && !h)
				__builtin_trap(); /* never 0: 0 means "no hash" to the include check */
		yd_close(&y);
	}
	arena_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, true);
	one(data, size, false);
	hashes(data, size);
	return 0;
}
