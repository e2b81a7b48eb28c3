/*
 * test_parse.c - the Dockerfile parser: positions, directives, heredocs,
 * flags, stages and variables, limits; and the shell splitter.
 */
#include "unit.h"

static struct arena A;

static int parse(const char *s, struct df_file *f, struct ds_err *err)
{
	memset(err, 0, sizeof(*err));
	return df_parse(&A, "Dockerfile", s, strlen(s), f, err);
}

static int teardown(void **state)
{
	(void)state;
	arena_release(&A);
	return 0;
}

static void test_positions_survive_continuations_and_comments(void **state)
{
	struct df_file f;
	struct ds_err err;
	int line, col;
	const char *s = "FROM a\n\nRUN echo one \\\n  # inside\n\n  two \\\n\tthree\nUSER x\n";

	(void)state;
	assert_int_equal(parse(s, &f, &err), 0);
	assert_int_equal(f.nins, 3);
	assert_int_equal(f.ins[1].line, 3);
	assert_int_equal(f.ins[1].end_line, 7);
	assert_true(f.ins[1].empty_continuation);
	assert_string_equal(f.ins[1].args[0], "echo one   two \tthree");
	df_pos(&f.ins[1], (size_t)(strstr(f.ins[1].text, "three") - f.ins[1].text), &line, &col);
	assert_int_equal(line, 7);
	assert_int_equal(col, 2);
	df_pos(&f.ins[1], (size_t)(strstr(f.ins[1].text, "two") - f.ins[1].text), &line, &col);
	assert_int_equal(line, 6);
	assert_int_equal(col, 3);
	assert_int_equal(f.ins[2].line, 8);
}

/* BuildKit's own line-number fixture (parser_test.go checks FROM 5-5,
 * ENV 11-12, RUN 17-31 on it), read in place from the shared corpus;
 * skipped where the corpus is not beside the clone. */
static void test_instruction_lines_match_buildkit_line_fixture(void **state)
{
	static const int want[][2] = {{5, 5}, {11, 12}, {17, 31}};
	FILE *fp = fopen("../shared/corpus/buildkit-parser-testfiles/testfile-line/Dockerfile", "rb");
	static char buf[1 << 16];
	struct df_file f;
	struct ds_err err;
	size_t n, i;

	(void)state;
	if (!fp) {
		skip(); /* ../shared absent: a user's clone */
		return;
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = 0;
	assert_int_equal(parse(buf, &f, &err), 0);
	assert_int_equal(f.nins, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(f.ins[i].line, want[i][0]);
		assert_int_equal(f.ins[i].end_line, want[i][1]);
	}
}

static void test_directives_and_escape(void **state)
{
	struct df_file f;
	struct ds_err err;

	(void)state;
	assert_int_equal(parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN x `\n y\n", &f, &err), 0);
	assert_int_equal(f.escape, '`');
	assert_int_equal(f.ndirs, 2);
	assert_string_equal(f.dirs[0].name, "syntax");
	assert_string_equal(f.ins[1].args[0], "x  y");
	/* a directive after an instruction is a comment */
	assert_int_equal(parse("FROM a\n# escape=`\nRUN x `\n", &f, &err), 0);
	assert_int_equal(f.escape, '\\');
	assert_int_equal(parse("# escape=\\\n# escape=`\nFROM a\n", &f, &err), DS_EPARSE);
	assert_int_equal(err.line, 2);
}

static void test_crlf_and_bom(void **state)
{
	struct df_file f;
	struct ds_err err;

	(void)state;
	assert_int_equal(parse("\xef\xbb\xbf" "from a\r\nrun x \\\r\n  y\r\n", &f, &err), 0);
	assert_int_equal(f.ins[0].cmd, DF_FROM);
	assert_int_equal(f.ins[1].cmd, DF_RUN);
	assert_string_equal(f.ins[1].args[0], "x   y");
}

static void test_heredocs(void **state)
{
	struct df_file f;
	struct ds_err err;
	const char *s = "FROM a\n"
			"RUN <<A cat >/a && <<-\"B\" cat > /b\n"
			"one\n"
			"A\n"
			"\ttwo\n"
			"\tB\n"
			"COPY <<EOF /x\n"
			"body\n"
			"EOF\n"
			"RUN echo '<<NOT' done\n";

	(void)state;
	assert_int_equal(parse(s, &f, &err), 0);
	assert_int_equal(f.nins, 4);
	assert_int_equal(f.ins[1].nheredocs, 2);
	assert_string_equal(f.ins[1].heredocs[0].name, "A");
	assert_true(f.ins[1].heredocs[0].expand);
	assert_int_equal(f.ins[1].heredocs[0].body_len, 4);
	assert_int_equal(f.ins[1].heredocs[0].line, 3);
	assert_string_equal(f.ins[1].heredocs[1].name, "B");
	assert_true(f.ins[1].heredocs[1].chomp);
	assert_false(f.ins[1].heredocs[1].expand);
	assert_int_equal(f.ins[1].heredocs[1].end_line, 6);
	assert_int_equal(f.ins[2].nheredocs, 1);
	assert_int_equal(f.ins[3].nheredocs, 0);
	assert_int_equal(f.ins[3].line, 10);
	assert_int_equal(parse("FROM a\nRUN <<EOF\nx\n", &f, &err), DS_EPARSE);
	assert_non_null(strstr(err.msg, "unterminated heredoc"));
}

static void test_flags_and_forms(void **state)
{
	struct df_file f;
	struct ds_err err;
	const struct df_flag *m;

	(void)state;
	assert_int_equal(parse("FROM --platform=$BUILDPLATFORM a AS b\n"
			       "RUN --mount=type=secret,id=x --network=none [\"sh\", \"-c\", \"x\"]\n"
			       "CMD ['a']\n", &f, &err), 0);
	assert_string_equal(f.stages[0].platform, "$BUILDPLATFORM");
	assert_string_equal(f.stages[0].name, "b");
	m = df_flag_get(&f.ins[1], "mount");
	assert_non_null(m);
	assert_string_equal(m->value, "type=secret,id=x");
	assert_true(f.ins[1].json);
	assert_int_equal(f.ins[1].nargs, 3);
	assert_false(f.ins[2].json);
	assert_int_equal(parse("FROM a\nCMD [\"a\", 1]\n", &f, &err), DS_EPARSE);
}

static void test_stages_and_variables(void **state)
{
	struct df_file f;
	struct ds_err err;
	struct df_var v[] = {{"A", "x", true}, {"E", "", true}};
	bool unres;
	char *r;

	(void)state;
	assert_int_equal(parse("ARG TAG=3.20\nARG REG\nFROM ${REG:-docker.io}/alpine:${TAG} AS base\n"
			       "FROM base\nFROM $NOPE\n", &f, &err), 0);
	assert_int_equal(f.nstages, 3);
	assert_string_equal(f.stages[0].image_expanded, "docker.io/alpine:3.20");
	assert_int_equal(f.stages[1].base_stage, 0);
	assert_true(f.stages[2].unresolved);
	unres = false;
	r = df_expand(&A, "$A-${A}-${E:-d}-${E-d}-${A:+p}-${U+q}-\\$A", '\\', v, 2, &unres);
	assert_string_equal(r, "x-x-d--p--$A");
	assert_false(unres);
	r = df_expand(&A, "${U}", '\\', v, 2, &unres);
	assert_true(unres);
	assert_string_equal(df_unquote(&A, "\"a b\"c\\ d", '\\'), "a bc d");
}

static void test_limits_and_bad_bytes(void **state)
{
	struct df_file f;
	struct ds_err err;
	char *big;

	(void)state;
	assert_int_equal(parse("", &f, &err), DS_EPARSE);
	assert_int_equal(parse("# c\n\n", &f, &err), DS_EPARSE);
	assert_int_equal(df_parse(&A, "D", "FROM a\n\0x", 9, &f, &err), DS_EBINARY);
	assert_int_equal(err.line, 2);
	assert_int_equal(parse("FROM a\nRUN \xc3\x28\n", &f, &err), DS_EUTF8);
	assert_int_equal(err.col, 5);
	big = ds_malloc(DF_MAX_LINE + 20);
	assert_non_null(big);
	memset(big, 'a', DF_MAX_LINE + 19);
	memcpy(big, "FROM x\nRUN ", 11);
	big[DF_MAX_LINE + 19] = 0;
	assert_int_equal(parse(big, &f, &err), DS_ELIMIT);
	assert_int_equal(err.line, 2);
	ds_free(big);
}

/* ---- shell splitter ---- */

static struct sh_script split(const char *s)
{
	struct sh_script sc;
	memset(&sc, 0, sizeof(sc));
	assert_int_equal(sh_split(&A, s, strlen(s), &sc), 0);
	return sc;
}

static void test_shell_operators_and_words(void **state)
{
	struct sh_script s = split("A=1 sudo -u x apt-get install -y 'a b' \"c$D\" e\\ f && b || c; d | e");
	size_t argi;

	(void)state;
	assert_int_equal(s.n, 5);
	assert_int_equal(s.cmds[0].nassigns, 1);
	assert_true(str_eq(sh_cmd_name(&s.cmds[0], &argi), "apt-get"));
	assert_int_equal(argi, 3);
	assert_string_equal(s.cmds[0].argv[6].s, "a b");
	assert_true(s.cmds[0].argv[7].dynamic);
	assert_string_equal(s.cmds[0].argv[8].s, "e f");
	assert_int_equal(s.cmds[0].op, SH_AND);
	assert_int_equal(s.cmds[1].op, SH_OR);
	assert_int_equal(s.cmds[2].op, SH_SEQ);
	assert_int_equal(s.cmds[3].op, SH_PIPE);
	assert_int_equal(s.cmds[3].pipeline, s.cmds[4].pipeline);
}

static void test_shell_nesting(void **state)
{
	struct sh_script s = split("if [ -x a ]; then sh -c 'curl x | bash'; fi; echo $(wget y) `id`; (cd /t)");
	size_t i, curl = 0, wget = 0, id = 0, cd_sub = 0;

	(void)state;
	for (i = 0; i < s.n; i++) {
		const char *n = s.cmds[i].argc ? s.cmds[i].argv[0].s : "";
		if (!strcmp(n, "curl") && s.cmds[i].depth == 1 && s.cmds[i].op == SH_PIPE)
			curl++;
		if (!strcmp(n, "wget") && s.cmds[i].in_subshell)
			wget++;
		if (!strcmp(n, "id"))
			id++;
		if (!strcmp(n, "cd") && s.cmds[i].in_subshell)
			cd_sub++;
		if (!strcmp(n, "["))
			assert_true(s.cmds[i].in_condition);
	}
	assert_int_equal(curl, 1);
	assert_int_equal(wget, 1);
	assert_int_equal(id, 1);
	assert_int_equal(cd_sub, 1);
}

static void test_shell_heredoc_bodies_and_case(void **state)
{
	struct sh_script s = split("cat <<EOF > /f\nrm -rf /\nEOF\ncase $x in a|b) one;; *) two ;; esac\nthree");
	size_t i;

	(void)state;
	for (i = 0; i < s.n; i++)
		assert_string_not_equal(s.cmds[i].argc ? s.cmds[i].argv[0].s : "", "rm");
	assert_int_equal(s.n, 4);
	assert_string_equal(s.cmds[1].argv[0].s, "one");
	assert_string_equal(s.cmds[2].argv[0].s, "two");
	assert_string_equal(s.cmds[3].argv[0].s, "three");
	assert_string_equal(s.cmds[0].redirs[0].op, "<<");
}

static void test_shell_depth_is_bounded(void **state)
{
	struct buf b = BUF_INIT;
	struct sh_script s;
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		buf_adds(&b, "$(");
	buf_adds(&b, "x");
	for (i = 0; i < 200; i++)
		buf_adds(&b, ")");
	s = split(buf_str(&b));
	assert_true(s.truncated);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_positions_survive_continuations_and_comments, teardown),
		cmocka_unit_test_teardown(test_directives_and_escape, teardown),
		cmocka_unit_test_teardown(test_crlf_and_bom, teardown),
		cmocka_unit_test_teardown(test_heredocs, teardown),
		cmocka_unit_test_teardown(test_flags_and_forms, teardown),
		cmocka_unit_test_teardown(test_stages_and_variables, teardown),
		cmocka_unit_test_teardown(test_limits_and_bad_bytes, teardown),
		cmocka_unit_test_teardown(test_shell_operators_and_words, teardown),
		cmocka_unit_test_teardown(test_shell_nesting, teardown),
		cmocka_unit_test_teardown(test_shell_heredoc_bodies_and_case, teardown),
		cmocka_unit_test_teardown(test_shell_depth_is_bounded, teardown),
		cmocka_unit_test_teardown(test_instruction_lines_match_buildkit_line_fixture, teardown),
	};
	arena_init(&A, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
