/*
 * fuzz_yaml.c - libFuzzer target for the YAML front-ends: the input is read
 * as a Compose file and as a Kubernetes manifest stream (merge keys,
 * aliases, extends, interpolation, every workload kind), and every
 * container found is judged.
 */
#include "container/check.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, true);
	one(data, size, false);
	return 0;
}
