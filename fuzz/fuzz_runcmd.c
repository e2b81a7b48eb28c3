/*
 * fuzz_runcmd.c - libFuzzer target for the docker run front-end: the input
 * is read as a shell script, a Makefile, a Jenkinsfile and a CI workflow
 * (each masked to the text a shell runs) and as one command line (--cmd),
 * and every container found is judged.
 */
#include "container/check.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, const char *name)
{
	struct target t;
	struct ct_file f;
	bool cmdline = !strcmp(name, "--cmd");

	if (!fuzz_target(&t, name, data, size))
		return;
	memset(&f, 0, sizeof(f));
	if ((cmdline ? ct_from_cmdline(&t, &f) : ct_from_runfile(&t, &f)) == 0)
		ct_judge(&t, &f);
	fuzz_target_release(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"fuzz.sh", "Makefile", "Jenkinsfile", ".github/workflows/f.yml", "--cmd"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		one(data, size, names[i]);
	return 0;
}
