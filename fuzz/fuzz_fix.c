/*
 * fuzz_fix.c - libFuzzer target for `check --fix`: the input is read as a
 * Compose file, a Kubernetes manifest stream and a script of docker run
 * lines; whatever parses is judged and fixed, and the fixed text must
 * parse again as the same kind (a fix never makes a file unreadable).
 */
#include "container/check.h"
#include "core/config.h"
#include "container/fix.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, const char *path)
{
	struct target t, t2;
	struct ct_file f, f2;
	struct ct_fix x = {0};
	static const struct ct_fix_opts all = {true, NULL, 0}; /* every fix the file allows */

	if (!fuzz_target(&t, path, data, size))
		return;
	memset(&f, 0, sizeof(f));
	t.cfg = cfg_default();
	if (ct_check_target(&t, NULL, &f) == 0 && t.kind && ct_fix(&t, &f, &all, &x) == 0 && x.text) {
		if (fuzz_target(&t2, path, (const uint8_t *)x.text, x.len)) {
			memset(&f2, 0, sizeof(f2));
			t2.cfg = cfg_default();
			if (ct_check_target(&t2, NULL, &f2) != 0 && t2.err.code != DS_ENOMEM && t2.err.code != DS_ELIMIT)
				__builtin_trap(); /* the fixed file no longer parses */
			fuzz_target_release(&t2);
		}
	}
	ct_fix_release(&x);
	fuzz_target_release(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, "compose.yml");
	one(data, size, "pod.yaml");
	one(data, size, "deploy.sh");
	return 0;
}
