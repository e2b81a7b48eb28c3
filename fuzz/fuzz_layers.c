/*
 * fuzz_layers.c - libFuzzer target for the image stream reader: the
 * input is an image archive as `docker save` writes it (an outer tar of
 * layer tars, plain or compressed, and manifest.json), handed over on a
 * file descriptor as the Engine API export is.
 */
#include "image/layers.h"
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("image", MFD_CLOEXEC);
	struct arena a;
	struct img_file *files;
	struct ds_err err = {0};
	size_t n;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0) {
		arena_init(&a, IMG_MAX_MEMORY);
		img_setid_files(fd, &a, &files, &n, &err);
		arena_release(&a);
	}
	close(fd);
	return 0;
}
