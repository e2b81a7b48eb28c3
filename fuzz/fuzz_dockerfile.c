/*
 * fuzz_dockerfile.c - libFuzzer target: parse any bytes as a Dockerfile,
 * then lint it (which runs the shell splitter on every RUN) and dump it.
 * Must never crash, leak, hang or trip a sanitizer.
 */
#include "core/finding.h"
#include "dockerfile/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct target t;
	struct df_file f;
	struct buf b = BUF_INIT;

	target_init(&t, "fuzz");
	t.cfg = NULL;
	if (df_parse(&t.arena, "fuzz", (const char *)data, size, &f, &t.err) == 0) {
		df_dump_ast(&f, &b);
		df_lint(&t, &f);
		target_sort(&t);
	}
	buf_release(&b);
	target_release(&t);
	return 0;
}
