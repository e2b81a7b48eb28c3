/*
 * rustbin.h - the dependency list cargo-auditable embeds in Rust binaries:
 * an ELF section named .dep-v0 holding zlib-compressed JSON,
 * {"packages": [{"name", "version", "source", "kind", "dependencies",
 * "root"}]}, as `cargo audit bin` reads it. The image reader streams an
 * executable once; the section is found through the section headers,
 * which the linker puts at the end of the file, so only the ELF header
 * and the file's last IMG_RUST_TAIL bytes are kept while it streams past.
 */
#ifndef DS_IMG_RUSTBIN_H
#define DS_IMG_RUSTBIN_H

#include "pkgdb.h"

#define IMG_RUST_TAIL (4u << 20)     /* the end of an executable kept to find the section */
#define IMG_RUST_JSON_MAX (8u << 20) /* the section's JSON, inflated */
#define IMG_ELF_HEAD 64              /* an ELF header, 32- or 64-bit */

/* The packages (type "cargo", path = the binary) of an ELF file of size
 * bytes, given its first nh bytes h (at least the ELF header) and its last
 * nt bytes t: build-only dependencies left out, the binary's own crate
 * kept. Appended to *out; 0, 1 when there is no section (or it is not
 * within those bytes, or does not inflate to a package list), or
 * DS_ENOMEM. Every offset is checked against the bytes given. */
int img_rust_audit(struct arena *a, const unsigned char *h, size_t nh, const unsigned char *t, size_t nt,
		   unsigned long long size, const char *path, struct img_pkg **out, size_t *nout, size_t *cap);

/* Where the loadable part of an ELF file ends (the end of its furthest
 * PT_LOAD segment, or its section headers if they come first), from its
 * first nh bytes h; 0 when the program headers are not all within them.
 * cargo-auditable writes .dep-v0 without SHF_ALLOC, so the linker places
 * it after that point: the streamed tail need not start earlier (a
 * stripped binary's is a few KiB). */
unsigned long long img_elf_load_end(const unsigned char *h, size_t nh);

#endif
