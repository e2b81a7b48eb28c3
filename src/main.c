/*
 * main.c - the command table and dispatch (git.c's shape): one entry per
 * subcommand with its function and one-line summary; `docksec help CMD`
 * is `docksec CMD --help`.
 */
#include "cmd/cmd.h"
#include "core/finding.h"
#include <jansson.h>
#include <yaml.h>
#include <zlib.h>

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{"lint", cmd_lint, "lint Dockerfiles for security and correctness"},
	{"check", cmd_check, "check docker run lines, Compose files and Kubernetes manifests"},
	{"audit", cmd_audit, "audit a live Docker host against the CIS Docker Benchmark"},
	{"scan", cmd_scan, "scan images: packages, SBOM, secrets, setuid files, history (docker save, OCI)"},
	{"db", cmd_db, "import OSV vulnerability records, or show what the database holds"},
	{"cache", cmd_cache, "empty the image layer cache, or show where it is"},
	{"rules", cmd_rules, "list the rules, or explain one"},
	{"completion", cmd_completion, "print a shell completion script (bash, zsh, fish)"},
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: docksec [--version] [--help] <command> [<args>]\n\n"
		     "docksec finds security problems in Dockerfiles and deployment configurations and explains each with the fix\n"
		     "and the CIS Docker Benchmark / OWASP reference.\n\ncommands:\n");
	for (i = 0; i < DS_ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'docksec help <command>' for a command's options.\n"
		     "Exit status: 0 clean, 1 findings at or above the threshold, 2 usage or input error.\n");
}

/* s on stderr with control characters as \xNN: an error message can
 * quote a daemon's answer, a key or a path from a hostile input. */
static void put_visible(const char *s)
{
	struct buf b = BUF_INIT;

	buf_add_visible(&b, s, strlen(s));
	if (buf_ok(&b))
		fwrite(b.p, 1, b.n, stderr);
	else
		fputs("(out of memory)", stderr);
	buf_release(&b);
}

#ifndef DS_COMMIT
#define DS_COMMIT ""
#endif

/* The version, the commit, and the libraries: linked ones with the
 * version they report, the ones loaded on first use by their SONAME (not
 * loaded here: --version starts no network or archive code). */
/* ISA-L inflates gzip layers when docksec was built with its header (image/gunzip.c) */
#if __has_include(<isa-l/igzip_lib.h>) && defined(DS_ISAL_SONAME)
#define ISAL_NOTE ", " DS_ISAL_SONAME " (gzip layers, when installed)"
#else
#define ISAL_NOTE ""
#endif

static void print_version(void)
{
	printf("docksec %s%s%s%s\n", DS_VERSION, DS_COMMIT[0] ? " (commit " : "", DS_COMMIT, DS_COMMIT[0] ? ")" : "");
	printf("libraries: jansson %s, libyaml %s, zlib %s\n", JANSSON_VERSION, yaml_get_version_string(), zlibVersion());
	printf("loaded when needed: %s (the Engine API), %s (zstd, xz and bzip2 layers, Java archives)%s\n", DS_CURL_SONAME, DS_ARCHIVE_SONAME,
	       ISAL_NOTE);
}

int cmd_error(const struct ds_err *err)
{
	fputs("docksec: error: ", stderr);
	if (err->file) {
		put_visible(err->file);
		if (err->line)
			fprintf(stderr, ":%d:%d", err->line, err->col);
		fputs(": ", stderr);
	}
	put_visible(err->msg[0] ? err->msg : ds_rc_message(err->code));
	fputc('\n', stderr);
	return DS_EXIT_ERROR;
}

static bool notices_off; /* -q: set once while parsing options, before any worker runs */

void cmd_set_quiet(bool quiet)
{
	notices_off = quiet;
}

void cmd_notice(const char *fmt, ...)
{
	char msg[2 * PATH_MAX];
	va_list ap;

	if (notices_off)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("docksec: ", stderr);
	put_visible(msg);
	fputc('\n', stderr);
}

/* Whatever a command wrote, stdout is flushed and checked before exit (as
 * git does): a full disk or a closed pipe is an error, never a silently
 * truncated report with exit status 0. */
static int finish(int code)
{
	int e = 0;

	if (fflush(stdout) != 0 || ferror(stdout))
		e = errno ? errno : EIO;
	if (fclose(stdout) != 0 && !e)
		e = errno ? errno : EIO;
	if (e && e != EPIPE && code != DS_EXIT_ERROR) { /* (an exit 2 has said what went wrong: once is enough) */
		fprintf(stderr, "docksec: error: write failure on standard output: %s\n", strerror(e));
		return DS_EXIT_ERROR;
	}
	return e ? DS_EXIT_ERROR : code;
}

static int run(int argc, char **argv)
{
	size_t i;
	const char *name;

	json_set_alloc_funcs(ds_malloc, ds_free);
	json_object_seed(0); /* before any thread creates objects */
	if (argc < 2) {
		usage(stderr);
		return DS_EXIT_ERROR;
	}
	name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		print_version();
		return DS_EXIT_OK;
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		usage(stdout);
		return DS_EXIT_OK;
	}
	if (!strcmp(name, "help")) {
		if (argc < 3) {
			usage(stdout);
			return DS_EXIT_OK;
		}
		for (i = 0; i < DS_ARRAY_SIZE(commands); i++)
			if (!strcmp(argv[2], commands[i].name)) {
				char *hargv[] = {argv[2], "--help", NULL};
				return commands[i].fn(2, hargv);
			}
		fprintf(stderr, "docksec: error: unknown command '%s'\n", argv[2]);
		return DS_EXIT_ERROR;
	}
	for (i = 0; i < DS_ARRAY_SIZE(commands); i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "docksec: error: unknown command '%s' (see 'docksec --help')\n", name);
	return DS_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	ds_domains_register();
	return finish(run(argc, argv));
}
