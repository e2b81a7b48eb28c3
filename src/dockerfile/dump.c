/*
 * dump.c - print the parse tree in BuildKit's test-result form.
 *
 * BuildKit's parser tests store, for each Dockerfile, the output of
 * Node.Dump(): "(cmd ["--flag"] "arg" ...)" per instruction, with Go's
 * strconv.Quote on every string. Producing the same text lets the
 * conformance test compare docksec's parser with the reference byte for
 * byte (tests/integration/conformance.sh).
 */
#include "df.h"

static void dump_instr(const struct df_instr *in, struct buf *out)
{
	size_t i;

	for (i = 0; in->keyword[i]; i++)
		buf_addc(out, (char)tolower((unsigned char)in->keyword[i]));
	if (in->nflags) {
		buf_adds(out, " [");
		for (i = 0; i < in->nflags; i++) {
			if (i)
				buf_addc(out, ' ');
			buf_add_goquote(out, in->flag_words[i], strlen(in->flag_words[i]));
		}
		buf_addc(out, ']');
	}
	if (in->sub) {
		buf_adds(out, " (");
		dump_instr(in->sub, out);
		buf_addc(out, ')');
		return;
	}
	for (i = 0; i < in->nargs; i++) {
		buf_addc(out, ' ');
		buf_add_goquote(out, in->args[i], in->arg_lens[i]);
	}
}

void df_dump_ast(const struct df_file *f, struct buf *out)
{
	size_t i;

	for (i = 0; i < f->nins; i++) {
		buf_addc(out, '(');
		dump_instr(&f->ins[i], out);
		buf_adds(out, ")\n");
	}
}
