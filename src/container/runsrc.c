/*
 * runsrc.c - which files hold commands a shell runs, and which bytes of
 * them are those commands.
 *
 * `docker run` in a README, a comment or an echo string starts nothing,
 * so check reads run lines only from files a shell executes, and in them
 * only the text the shell would run:
 *   - shell scripts (a shell #! line, .sh/.bash/.zsh/.ksh/.bats, or
 *     standard input): the whole file, split as shell - comments, quoted
 *     arguments and heredoc bodies are then data, not commands;
 *   - Makefiles: the recipe lines (a tab first), without make's @ - +;
 *   - Jenkinsfiles: the string given to an `sh` step;
 *   - CI and automation YAML (GitHub and Gitea workflows, GitLab CI,
 *     CircleCI, Travis, Azure Pipelines, Bitbucket, Drone, Woodpecker,
 *     Ansible...): the scalars under keys that hold shell commands (run,
 *     script, before_script, command, commands, shell...).
 * Everything else is blanked to spaces in a copy of the file of the same
 * length with the same line breaks, so every offset the splitter gives
 * is an offset into the file as written (line and column stay right).
 * YAML folding (plain, quoted and folded scalars join lines with a
 * space) is applied in the copy; the line table comes from the original.
 */
#include "check.h"
#include "yaml.h"
#include "../shell/shell.h"
#include <ctype.h>

static bool name_is(struct str base, const char *n)
{
	return str_eq(base, n);
}

static bool path_has(const char *path, const char *dir)
{
	const char *p = strstr(path, dir);
	return p && (p == path || p[-1] == '/');
}

/* A #! line naming a POSIX shell, directly or through env. */
static bool shell_shebang(const char *data, size_t len)
{
	size_t n, i;
	const char *nl;

	if (len < 3 || data[0] != '#' || data[1] != '!')
		return false;
	nl = memchr(data, '\n', len);
	n = nl ? (size_t)(nl - data) : len;
	for (i = 2; i < n;) {
		size_t j;
		struct str w;
		while (i < n && (data[i] == ' ' || data[i] == '\t'))
			i++;
		for (j = i; j < n && data[j] != ' ' && data[j] != '\t' && data[j] != '\r'; j++)
			;
		if (j == i)
			break;
		w = str_basename((struct str){data + i, j - i});
		if (sh_is_shell(w) || str_eq(w, "bash") || str_eq(w, "zsh"))
			return true;
		if (!str_eq(w, "env") && !(w.n && w.p[0] == '-'))
			return false;
		i = j;
	}
	return false;
}

static bool yaml_name(struct str base)
{
	return str_has_suffix(base, ".yml") || str_has_suffix(base, ".yaml");
}

enum ct_runsrc ct_runsrc_kind(const char *path, const char *data, size_t len)
{
	struct str base = str_basename(str_cstr(path ? path : ""));

	if (!path || !strcmp(path, "-") || !strcmp(path, "--cmd"))
		return CT_SRC_SHELL;
	if (name_is(base, "Makefile") || name_is(base, "makefile") || name_is(base, "GNUmakefile") ||
	    str_has_suffix(base, ".mk"))
		return CT_SRC_MAKE;
	if (name_is(base, "Jenkinsfile") || str_has_prefix(base, "Jenkinsfile.") || str_has_suffix(base, ".jenkinsfile"))
		return CT_SRC_JENKINS;
	if (yaml_name(base) &&
	    (str_has_suffix(base, ".gitlab-ci.yml") || str_has_suffix(base, ".gitlab-ci.yaml") ||
	     name_is(base, ".travis.yml") || name_is(base, "azure-pipelines.yml") ||
	     name_is(base, "azure-pipelines.yaml") || name_is(base, "bitbucket-pipelines.yml") ||
	     name_is(base, ".drone.yml") || name_is(base, ".woodpecker.yml") || name_is(base, ".woodpecker.yaml") ||
	     path_has(path, ".github/workflows/") || path_has(path, ".gitea/workflows/") ||
	     path_has(path, ".forgejo/workflows/") || path_has(path, ".circleci/") ||
	     path_has(path, ".woodpecker/")))
		return CT_SRC_CI;
	if (str_has_suffix(base, ".sh") || str_has_suffix(base, ".bash") || str_has_suffix(base, ".zsh") ||
	    str_has_suffix(base, ".ksh") || str_has_suffix(base, ".bats") || shell_shebang(data, len))
		return CT_SRC_SHELL;
	if (yaml_name(base))
		return CT_SRC_YAML;
	return CT_SRC_NONE;
}

/* ---- Makefiles: recipe lines ---- */

static void mask_make(const char *s, size_t len, char *out)
{
	size_t i = 0;
	bool recipe = false; /* the previous line was a recipe ending in a backslash */

	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len, j = i;
		bool cont = e > i && s[e - 1] == '\\';
		if (recipe || s[i] == '\t') {
			if (!recipe) { /* tab, then make's own prefixes: silent, ignore errors, always */
				j++;
				while (j < e && (s[j] == '@' || s[j] == '-' || s[j] == '+' || s[j] == ' ' || s[j] == '\t'))
					j++;
			}
			memcpy(out + j, s + j, e - j);
			recipe = cont;
		}
		i = e + 1;
	}
}

/* ---- Jenkinsfiles: the strings of sh steps ---- */

/* Length of the Groovy string literal at s[i] ('', "", ''' ''', """ """),
 * its content span in cb and ce; 0 when there is none. */
static size_t groovy_string(const char *s, size_t len, size_t i, size_t *cb, size_t *ce)
{
	char q;
	size_t j;

	if (i >= len)
		return 0;
	q = s[i];
	if (q != '\'' && q != '"')
		return 0;
	if (i + 2 < len && s[i + 1] == q && s[i + 2] == q) {
		for (j = i + 3; j + 2 < len; j++) {
			if (s[j] == '\\') {
				j++;
				continue;
			}
			if (s[j] == q && s[j + 1] == q && s[j + 2] == q) {
				*cb = i + 3;
				*ce = j;
				return j + 3 - i;
			}
		}
		return 0;
	}
	for (j = i + 1; j < len && s[j] != '\n'; j++) {
		if (s[j] == '\\') {
			j++;
			continue;
		}
		if (s[j] == q) {
			*cb = i + 1;
			*ce = j;
			return j + 1 - i;
		}
	}
	return 0;
}

static bool ident(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$' || c == '.';
}

static void mask_jenkins(const char *s, size_t len, char *out)
{
	size_t i = 0, cb, ce, n;

	while (i < len) {
		if (s[i] == '/' && i + 1 < len && s[i + 1] == '/') {
			const char *nl = memchr(s + i, '\n', len - i);
			i = nl ? (size_t)(nl - s) : len;
			continue;
		}
		if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
			const char *e = memmem(s + i + 2, len - i - 2, "*/", 2);
			i = e ? (size_t)(e - s) + 2 : len;
			continue;
		}
		if ((n = groovy_string(s, len, i, &cb, &ce))) {
			i += n;
			continue;
		}
		if (s[i] == 's' && i + 1 < len && s[i + 1] == 'h' && (i == 0 || !ident(s[i - 1])) &&
		    (i + 2 >= len || !ident(s[i + 2]))) {
			/* sh 'x' | sh("x") | sh(script: 'x', ...) | sh label: 'y', script: 'x' */
			size_t j = i + 2, end;
			int found = 0;
			while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '('))
				j++;
			if ((n = groovy_string(s, len, j, &cb, &ce))) {
				memcpy(out + cb, s + cb, ce - cb);
				i = j + n;
				continue;
			}
			/* named arguments, up to the end of the call */
			end = j;
			while (end < len && s[end] != '\n' && s[end] != ')')
				end++;
			while (j < end && !found) {
				if (j + 6 < end && !memcmp(s + j, "script", 6) && !ident(s[j - 1])) {
					size_t k = j + 6;
					while (k < end && (s[k] == ' ' || s[k] == '\t'))
						k++;
					if (k < end && s[k] == ':') {
						k++;
						while (k < len && (s[k] == ' ' || s[k] == '\t'))
							k++;
						if ((n = groovy_string(s, len, k, &cb, &ce))) {
							memcpy(out + cb, s + cb, ce - cb);
							j = k + n;
							found = 1;
							break;
						}
					}
				}
				if ((n = groovy_string(s, len, j, &cb, &ce)))
					j += n;
				else
					j++;
			}
			i = j > i + 2 ? j : i + 2;
			continue;
		}
		i++;
	}
}

/* ---- YAML: scalars under command keys ---- */

static const char *const command_keys[] = {
	"run", "script", "scripts", "before_script", "after_script", "before_install", "install",
	"after_success", "after_failure", "before_deploy", "after_deploy", "command", "commands",
	"bash", "sh", "shell", "inlineScript", "ansible.builtin.shell", "ansible.builtin.command",
	"ansible.builtin.raw", "raw",
};

static bool command_key(const char *k)
{
	size_t i;
	for (i = 0; i < DS_ARRAY_SIZE(command_keys); i++)
		if (!strcmp(k, command_keys[i]))
			return true;
	return false;
}

struct ymask {
	struct yd *y;
	const char *s;
	size_t len;
	char *out;
	const uint32_t *line; /* line starts */
	size_t nlines;
	size_t budget;        /* node visits left */
};

/* Byte offset of a libyaml mark (its line and column count characters). */
static size_t mark_off(const struct ymask *m, const yaml_mark_t *mk)
{
	size_t off, col = mk->column;

	if (mk->line >= m->nlines)
		return m->len;
	off = m->line[mk->line];
	while (col && off < m->len && m->s[off] != '\n') {
		off++;
		while (off < m->len && ((unsigned char)m->s[off] & 0xC0) == 0x80)
			off++;
		col--;
	}
	return off;
}

static void copy_scalar(struct ymask *m, const yaml_node_t *n)
{
	size_t b = mark_off(m, &n->start_mark), e = mark_off(m, &n->end_mark), i;
	yaml_scalar_style_t st = n->data.scalar.style;

	if (e > m->len)
		e = m->len;
	if (b >= e)
		return;
	if (st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE) {
		const char *nl = memchr(m->s + b, '\n', e - b); /* the header line: | or >, chomping, indent */
		if (!nl)
			return;
		b = (size_t)(nl - m->s) + 1;
	} else if (st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
		b++;
		if (e > b)
			e--;
	}
	memcpy(m->out + b, m->s + b, e - b);
	if (st == YAML_LITERAL_SCALAR_STYLE)
		return;
	/* folding: a break between two non-empty lines is a space (a more
	 * indented line of a folded scalar keeps its breaks; close enough
	 * for finding commands) */
	for (i = b; i < e; i++) {
		size_t k;
		if (m->s[i] != '\n')
			continue;
		for (k = i + 1; k < e && (m->s[k] == ' ' || m->s[k] == '\t'); k++)
			;
		if (k < e && m->s[k] != '\n' && m->s[k] != '\r' && i > b && m->s[i - 1] != '\n' &&
		    !(st == YAML_FOLDED_SCALAR_STYLE && k > i + 1 && m->s[k] == ' '))
			m->out[i] = ' ';
	}
}

static int walk(struct ymask *m, yaml_node_t *n, bool take, int depth)
{
	if (!n || depth > CT_MAX_YAML_DEPTH)
		return 0;
	if (!m->budget--)
		return ds_err_set(m->y->err, DS_ELIMIT, m->y->path, (int)n->start_mark.line + 1, 0,
				  "more than %d YAML nodes visited", CT_MAX_NODES);
	if (yd_is_scalar(n)) {
		if (take)
			copy_scalar(m, n);
		return 0;
	}
	if (yd_is_seq(n)) {
		yaml_node_item_t *it;
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			int rc = walk(m, yaml_document_get_node(&m->y->doc, *it), take, depth + 1);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (yd_is_map(n)) {
		yaml_node_pair_t *pr;
		for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = yaml_document_get_node(&m->y->doc, pr->key);
			bool cmd = k && yd_is_scalar(k) && command_key((const char *)k->data.scalar.value);
			int rc = walk(m, yaml_document_get_node(&m->y->doc, pr->value), cmd, depth + 1);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int mask_yaml(struct target *t, const uint32_t *line, size_t nlines, char *out)
{
	struct yd y;
	struct ymask m = {&y, t->data, t->len, out, line, nlines, CT_MAX_NODES};
	int rc;

	if ((rc = yd_open(&y, &t->arena, target_display_path(t), t->data, t->len, &t->err)))
		return rc;
	while ((rc = yd_next(&y)) > 0)
		if ((rc = walk(&m, yd_root(&y), false, 0)))
			break;
	yd_close(&y);
	return rc < 0 ? rc : 0;
}

int ct_runsrc_text(struct target *t, enum ct_runsrc k, const uint32_t *line, size_t nlines, const char **out)
{
	char *o;
	size_t i;
	int rc = 0;

	if (k == CT_SRC_SHELL) {
		*out = t->data;
		return 0;
	}
	if (!(o = arena_alloc(&t->arena, t->len + 1)))
		return DS_ENOMEM;
	for (i = 0; i < t->len; i++)
		o[i] = t->data[i] == '\n' ? '\n' : ' ';
	o[t->len] = 0;
	if (k == CT_SRC_MAKE)
		mask_make(t->data, t->len, o);
	else if (k == CT_SRC_JENKINS)
		mask_jenkins(t->data, t->len, o);
	else if (k == CT_SRC_CI || k == CT_SRC_YAML)
		rc = mask_yaml(t, line, nlines, o);
	*out = o;
	return rc;
}
