/*
 * fuzz_shell.c - libFuzzer target for the shell splitter alone, with the
 * command-name helper run on every command it produces.
 */
#include "shell/shell.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct sh_script s;
	size_t i, argi;

	arena_init(&a, 64u << 20);
	memset(&s, 0, sizeof(s));
	if (sh_split(&a, (const char *)data, size, &s) == 0)
		for (i = 0; i < s.n; i++)
			(void)sh_cmd_name(&s.cmds[i], &argi);
	arena_release(&a);
	return 0;
}
