/*
 * text.c - edit distance and closest-name suggestions.
 */
#include "text.h"

#include <string.h>

/* Optimal string alignment distance: Levenshtein plus the swap of two
 * adjacent letters as one edit ("hots" is one typo away from "host"). */
size_t
text_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[64][64];

	if (la > 63 || lb > 63)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			size_t best =
			    d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

const char *
text_closest(const char *name, const char *const *cands, size_t n)
{
	size_t len = strlen(name), best = 99, limit, i;
	const char *out = NULL;

	/* Short names need a close match, or "os" would suggest "host". */
	limit = len <= 3 ? 1 : len <= 5 ? 2 : 3;
	for (i = 0; i < n; i++) {
		size_t d = text_distance(name, cands[i]);

		/* Ties go to the first candidate: deterministic. */
		if (d <= limit && d < best) {
			best = d;
			out = cands[i];
		}
	}
	return out;
}
