/*
 * yaml.h - libyaml's document API with what deployment files need on top:
 * merge keys (`<<: *base`, `<<: [*a, *b]`), duplicate-key errors, a budget
 * on node visits (so alias bombs end in an error, not an hour of work),
 * and positions for every node.
 *
 * libyaml resolves anchors and aliases itself (an alias is the index of
 * the anchored node), reports tabs in indentation and other syntax errors
 * with a position, and hands out nodes that live as long as the document.
 * Strings the model keeps are copied into the target's arena, since the
 * document is freed after each one.
 */
#ifndef DS_CT_YAML_H
#define DS_CT_YAML_H

#include "model.h"
#include <yaml.h>

struct yd {
	yaml_parser_t parser;
	yaml_document_t doc;
	bool have_doc;
	const char *path;   /* for error messages */
	const char *data;   /* the input, for hints on errors */
	size_t len;
	struct arena *a;
	struct ds_err *err;
	size_t visits;      /* node visits, bounded by CT_MAX_NODES */
	int ndoc;           /* 1-based index of the current document */
	uint64_t *hashes;   /* yd_hash's, per node of the current document (0: not yet) */
};

struct yd_pair {
	yaml_node_t *k, *v;
	const char *key; /* the key as a C string (scalar keys only) */
};

/* Start parsing data (the caller keeps it alive). */
int yd_open(struct yd *y, struct arena *a, const char *path, const char *data, size_t len,
	    struct ds_err *err);
/* Load the next document: 1 loaded, 0 no more, negative error (y->err
 * filled with the line and libyaml's problem). Checks duplicate keys. */
int yd_next(struct yd *y);
void yd_close(struct yd *y);

yaml_node_t *yd_root(struct yd *y);
bool yd_is_map(const yaml_node_t *n);
bool yd_is_seq(const yaml_node_t *n);
bool yd_is_scalar(const yaml_node_t *n);
/* A null scalar: "", "~", "null". */
bool yd_is_null(const yaml_node_t *n);
struct ct_src yd_src(const yaml_node_t *n);

/* The value of key in a mapping, following merge keys (own keys win);
 * NULL when absent or when n is not a mapping. */
yaml_node_t *yd_get(struct yd *y, yaml_node_t *map, const char *key);
/* All effective pairs of a mapping, merge keys resolved, in document
 * order (own keys first). Arena array; *n set. Returns 0 or an error. */
int yd_pairs(struct yd *y, yaml_node_t *map, struct yd_pair **out, size_t *n);
/* A hash of n's value as Compose compares two definitions of a service
 * (Go's DeepEqual on the decoded YAML): mappings by their effective pairs
 * (merge keys resolved) in any order, sequences in order, scalars by the
 * value they decode to (~ is null, 0x1F is 31; 8080 is not "8080"). Never 0.
 * Each node is hashed once per document, however many aliases name it.
 * 0 and *out set, or an error (y->err filled). */
int yd_hash(struct yd *y, yaml_node_t *n, uint64_t *out);
/* Sequence items. */
yaml_node_t *yd_item(struct yd *y, yaml_node_t *seq, size_t i);
size_t yd_len(const yaml_node_t *seq);

/* Scalar as an arena string (NULL for non-scalars; NULL with y->err set
 * to DS_ENOMEM when out of memory). */
const char *yd_str(struct yd *y, yaml_node_t *n);
/* YAML 1.1/1.2 booleans (true/false/yes/no/on/off, any case). */
bool yd_bool(const yaml_node_t *n, bool *out);

/* Fill y->err: "expected WHAT" at n's position. Returns DS_EPARSE. */
int yd_bad(struct yd *y, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
