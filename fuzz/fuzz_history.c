/*
 * fuzz_history.c - libFuzzer target for the history-to-Dockerfile step
 * (history.c) and the image rules that judge it (scan.c's img_judge): the
 * input is an image config; the image has as many (empty) layers as its
 * rootfs lists diff_ids, up to 64, each with its history instruction as
 * the reader records it. What must hold: the rebuilt Dockerfile has one
 * line map entry per physical line and parses (a config the parser
 * refused would go unjudged), and every finding's layer is one of the
 * image's.
 */
#include "image/history.h"
#include "image/scan.h"
#include "dockerfile/df.h"
#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LAYERS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool registered;
	static struct img_layer layers[MAX_LAYERS];
	struct img_layer *lp[MAX_LAYERS];
	const char *created_by[MAX_LAYERS + 1] = {0};
	json_t *cfg, *h;
	struct img_image im = {0};
	struct img_inventory inv = {0};
	struct img_history hist;
	struct target t;
	struct arena a;
	size_t i, k, lines = 1;

	if (!registered) {
		ds_domains_register();
		for (i = 0; i < MAX_LAYERS; i++)
			snprintf(layers[i].digest, sizeof(layers[i].digest), "sha256:%064zx", i);
		registered = true;
	}
	if (!(cfg = json_loadb((const char *)data, size, 0, NULL)))
		return 0;
	im.ref = "fuzz/image:1";
	im.config = cfg;
	im.layers = lp;
	im.nlayers = json_array_size(json_object_get(json_object_get(cfg, "rootfs"), "diff_ids"));
	if (im.nlayers > MAX_LAYERS)
		im.nlayers = MAX_LAYERS;
	for (i = 0; i < im.nlayers; i++)
		lp[i] = &layers[i];
	k = 0;
	json_array_foreach(json_object_get(cfg, "history"), i, h) {
		if (json_is_true(json_object_get(h, "empty_layer")))
			continue;
		if (k < im.nlayers)
			created_by[k] = json_string_value(json_object_get(h, "created_by"));
		k++;
	}
	im.created_by = created_by;

	arena_init(&a, 0);
	if (img_history(&a, &im, &hist) == 0) {
		struct df_file f;
		struct ds_err err = {0};
		struct arena pa;
		for (i = 0; i < hist.text.n; i++)
			if (hist.text.p[i] == '\n')
				lines++;
		if (hist.text.n && hist.text.p[hist.text.n - 1] == '\n')
			lines--;
		if (hist.nlines != lines)
			abort();
		for (i = 0; i < hist.nlines; i++)
			if (hist.lines[i].layer >= (int)im.nlayers)
				abort();
		arena_init(&pa, 0);
		if (df_parse(&pa, "history", hist.text.p ? hist.text.p : "", hist.text.n, &f, &err))
			abort(); /* a history the parser refuses would go unjudged */
		arena_release(&pa);
	}
	img_history_release(&hist);
	arena_release(&a);

	target_init(&t, "fuzz");
	if (img_judge(&t, &im, &inv, NULL, 0) == 0)
		for (i = 0; i < t.nfindings; i++) {
			const char *l = t.findings[i].loc.layer;
			if (l && (strncmp(l, "sha256:", 7) || strtoull(l + 7, NULL, 16) >= im.nlayers))
				abort();
		}
	target_release(&t);
	json_decref(cfg);
	return 0;
}
