/*
 * fuzz_runcmd.c - libFuzzer target for the docker run front-end: the input
 * is searched for docker/podman run lines (as a script) and also read as
 * one command line (--cmd), and every container found is judged.
 */
#include "container/check.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, bool cmdline)
{
	struct target t;
	struct ct_file f;

	if (!fuzz_target(&t, cmdline ? "--cmd" : "fuzz.sh", data, size))
		return;
	memset(&f, 0, sizeof(f));
	if ((cmdline ? ct_from_cmdline(&t, &f) : ct_from_runfile(&t, &f)) == 0)
		ct_judge(&t, &f);
	fuzz_target_release(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, false);
	one(data, size, true);
	return 0;
}
