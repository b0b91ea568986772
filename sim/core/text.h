/*
 * text.h - small text helpers shared by the layers that talk to people.
 */
#ifndef MX_TEXT_H
#define MX_TEXT_H

#include <stddef.h>

/* Edit distance (insertions, deletions, substitutions and swaps of two
 * neighbours, one edit each); strings longer than 63 bytes count as far
 * from everything. */
size_t text_distance(const char *a, const char *b);

/* The candidate closest to 'name' (within 1 edit for names of up to 3
 * letters, 2 up to 5, 3 beyond), for "did you mean" hints; NULL if none. */
const char *text_closest(const char *name, const char *const *cands, size_t n);

#endif
