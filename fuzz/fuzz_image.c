/*
 * fuzz_image.c - libFuzzer target for the scan's image reader and what
 * reads the result: the input is an image archive (docker-save or an OCI
 * layout in a tar, layers plain or compressed), handed over on a file
 * descriptor as standard input or an Engine API export is; every image
 * found is inventoried, judged and looked up through its symlinks.
 */
#include "image/scan.h"
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool registered;
	int fd = memfd_create("image", MFD_CLOEXEC);
	/* the first byte picks verified (as scan reads) or unverified digests
	 * (so mutated layers reach the view and the inventory) */
	struct img_opts o = {.timeout_ms = 10000, .secrets = true, .fuzzing = size > 0 && (data[0] & 1)};
	struct img_set s;
	struct ds_err err = {0};
	size_t i;

	if (!registered) {
		ds_domains_register();
		registered = true;
	}
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0 &&
	    !img_read_fd(&s, fd, "fuzz", &o, &err)) {
		for (i = 0; i < s.n; i++) {
			struct img_inventory inv;
			struct target t;
			struct ds_err ie = {0};
			target_init(&t, "fuzz");
			if (!img_view(&s, &s.images[i], &ie) && !img_inventory(&s.arena, &s, &s.images[i], &inv, &ie))
				img_judge(&t, &s.images[i], &inv, NULL, 0);
			img_lookup(&s.images[i], "/etc/../etc/os-release", true);
			target_release(&t);
		}
	}
	img_set_release(&s);
	close(fd);
	return 0;
}
