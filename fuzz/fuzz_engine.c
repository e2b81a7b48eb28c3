/*
 * fuzz_engine.c - libFuzzer target for what a daemon answers: the input is
 * parsed as an Engine API body (duplicate and case-folded keys refused,
 * depth bounded), and an object is then read by the inspect front-end
 * into the container model and judged, as audit does with every
 * container's inspect.
 */
#include "container/check.h"
#include "core/config.h"
#include "engine/engine.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_err err = {0};
	struct target t;
	struct ct_file f = {0};
	json_t *j = NULL;

	if (!fuzz_target(&t, "docker", data, size))
		return 0;
	json_set_alloc_funcs(ds_malloc, ds_free);
	if (eng_parse_json(t.data, t.len, "fuzz", &j, &err) == 0 && json_is_object(j)) {
		t.cfg = cfg_default();
		if (ct_from_inspect(&t, &f, j) == 0)
			ct_judge(&t, &f);
	}
	json_decref(j);
	fuzz_target_release(&t);
	return 0;
}
