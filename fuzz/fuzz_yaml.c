/*
 * fuzz_yaml.c - libFuzzer target for the YAML front-ends: the input is read
 * as a Compose file and as a Kubernetes manifest stream (merge keys,
 * aliases, extends, interpolation, every workload kind), and every
 * container found is judged.
 */
#include "container/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, bool compose)
{
	static const char *const env[] = {"A=1", "TAG=latest", NULL};
	struct target t;
	struct ct_file f;

	target_init(&t, "-");
	t.data = malloc(size + 1);
	if (!t.data)
		return;
	memcpy(t.data, data, size);
	t.data[size] = 0;
	t.len = size;
	memset(&f, 0, sizeof(f));
	if ((compose ? ct_from_compose(&t, &f, env) : ct_from_k8s(&t, &f)) == 0)
		ct_judge(&t, &f);
	arena_release(&t.arena);
	free(t.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, true);
	one(data, size, false);
	return 0;
}
