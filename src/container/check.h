/*
 * check.h - `docksec check` as a library: recognise a deployment file by
 * its content, turn it into containers with the right front-end, and run
 * the container rule table on each.
 *
 * The front-ends (runcmd.c, compose.c, k8s.c) fill a struct ct_file in the
 * target's arena; rules.c judges each struct ct_container. A front-end
 * that cannot read its input sets t->err with file:line and returns an
 * error; nothing is judged then.
 */
#ifndef DS_CT_CHECK_H
#define DS_CT_CHECK_H

#include "model.h"

/* Limits on hostile input. */
#define CT_MAX_BYTES (32u << 20)   /* per file */
#define CT_MAX_CONTAINERS 100000   /* per file */
#define CT_MAX_NODES 2000000       /* YAML nodes visited, aliases included */
#define CT_MAX_DEPTH 64            /* merge-key chains and extends chains */
#define CT_MAX_YAML_DEPTH 256      /* YAML collections nested in each other */

enum ct_kind { CT_KIND_UNKNOWN, CT_KIND_RUN, CT_KIND_COMPOSE, CT_KIND_K8S };

/* Files whose commands a shell runs (runsrc.c). */
enum ct_runsrc {
	CT_SRC_NONE,    /* prose, code of other languages: not read for run lines */
	CT_SRC_SHELL,   /* a shell script, standard input, --cmd */
	CT_SRC_MAKE,    /* recipe lines */
	CT_SRC_JENKINS, /* the strings of sh steps */
	CT_SRC_CI,      /* CI YAML known by its path: command keys */
	CT_SRC_YAML,    /* other YAML (Ansible...): command keys */
};
enum ct_runsrc ct_runsrc_kind(const char *path, const char *data, size_t len);
/* The text a shell runs: t->data itself for a script, else a copy of the
 * same length with everything else blanked (line breaks kept). line[]
 * holds the nlines line starts of t->data. Returns 0 or an error with
 * t->err set. */
int ct_runsrc_text(struct target *t, enum ct_runsrc k, const uint32_t *line, size_t nlines, const char **out);

/* The container rule table (rules.c). */
extern const struct rule ct_rules[];
extern const size_t ct_rules_n;

struct ct_check {
	struct target *t;
	struct ct_file *f;
	struct ct_container *c; /* the container being judged */
};

/* What kind of deployment description is this? Scripts, Makefiles,
 * Jenkinsfiles and CI files (by name or #! line) are run files when they
 * hold a `docker run|create`; otherwise decided on the content: a YAML
 * mapping with `services:` is Compose, documents with apiVersion and kind
 * are Kubernetes, other YAML and standard input with a `docker run` are
 * run files. The name breaks ties (compose*.y*ml, docker-compose*.y*ml).
 * Prose (README.md, notes.txt) is none of these. */
enum ct_kind ct_detect(const char *path, const char *data, size_t len);

/* The Helm chart whose templates/ holds path (Chart.yaml beside that
 * directory), as an allocated path to free, or NULL. Chart templates are
 * not YAML until `helm template` renders them. */
char *ct_helm_chart(const char *path);

/* Front-ends. Each fills f from t->data; on bad input sets t->err. */
int ct_from_runfile(struct target *t, struct ct_file *f);
/* One command line given on the command line (--cmd). */
int ct_from_cmdline(struct target *t, struct ct_file *f);
int ct_from_compose(struct target *t, struct ct_file *f, const char *const *env);
/* Is path a Compose override file (compose.override.yaml...) with a
 * default-named file beside it? The check of that file merges it. */
bool ct_compose_is_override(const char *path);
int ct_from_k8s(struct target *t, struct ct_file *f);
/* One container from the Engine API (`GET /containers/ID/json`). */
struct json_t;
int ct_from_inspect(struct target *t, struct ct_file *f, struct json_t *j);

/* Visit every container node of a manifest stream in the order
 * ct_from_k8s() creates containers (for the fixer). */
struct yd;
typedef struct yaml_node_s yaml_node_t;
typedef int (*ct_k8s_fn)(void *ctx, struct yd *y, yaml_node_t *spec, yaml_node_t *cn, const char *section);
int ct_k8s_walk(struct target *t, ct_k8s_fn fn, void *ctx);

/* Fill c->pss and c->pss_why (Pod Security Standards, Kubernetes only). */
void ct_pss(struct ct_container *c);

/* Run every container rule on every container of f. */
void ct_judge(struct target *t, struct ct_file *f);

/* Detect, parse and judge t (its data already read). env: extra
 * environment for Compose interpolation (NULL-terminated) or NULL. */
int ct_check_target(struct target *t, const char *const *env, struct ct_file *out);

#endif
