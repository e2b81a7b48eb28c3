/*
 * fuzz_config.c - libFuzzer target for the .docksec.yaml loader: any
 * input is a configuration or a clean error with file:line.
 */
#include "core/config.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_config *c = NULL;
	struct ds_err err = {0};

	ds_domains_register(); /* ignores name rules by id or ref */
	if (cfg_load_mem(".docksec.yaml", (const char *)data, size, &c, &err) == 0)
		cfg_free(c);
	return 0;
}
