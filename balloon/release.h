/* The release step (--release) and the check of what the kernel did with the released pages
 * (--verify). */
#ifndef RELEASE_H
#define RELEASE_H

#include "chunks.h"
#include "touch.h"

#include <stdbool.h>
#include <stdint.h>

/* Applies release `how` (enum release_how) to every touched page. Returns 0; -EOPNOTSUPP when
 * the kernel does not know the advice ("madvise(MADV_PAGEOUT): Invalid argument: this kernel
 * does not support it (needs Linux 5.4)"); other -errno from madvise; reason in why. */
int release_apply(struct chunks *cs, int how, char *why, size_t whylen);

/* The name of a release (for "how" and messages): "free", "munmap", ... */
const char *release_name(int how);

/* What the balloon still holds after release `how` of `touched` bytes: the bytes still mapped
 * and not explicitly discarded. 0 after munmap and dontneed; after free, pageout and cold the
 * touched bytes, because the kernel decides what becomes of them. */
uint64_t release_bytes_left(int how, uint64_t touched);

/* Whether the pages can still be read after release `how` (all but munmap). */
bool release_keeps_mapping(int how);

/* Reads the first word of every touched page still mapped (never writes) and counts them. */
void release_verify(const struct chunks *cs, struct verify_counts *vc);

#endif
