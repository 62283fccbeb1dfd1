/* libFuzzer target: the recommendation tracker's parsers on arbitrary bytes — a catalogue file
 * (alone, and after the shipped ones so references resolve) and a survey ratings file; the
 * first byte picks.  Then the workflow rule on every status pair. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ssrwatch/recs.h"

static bool any(const char *id, void *ctx)
{
	(void)ctx;
	return id[0] != 'x';
}

static int rating(const char *rater, const char *rec, double score, void *ctx)
{
	(void)ctx;
	if (!rater[0] || !rec[0] || score < 50 || score > 100) {
		abort(); /* the reader lets no such row through */
	}
	return SSR_EOK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) {
		return 0;
	}
	int fd = memfd_create("input", 0);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		abort();
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssr_diag_t d;
	switch (data[0] & 3) {
	case 0:
	case 1: {
		const char *paths[4] = {path};
		size_t n = 1;
		if (data[0] & 1) { /* after the shipped catalogue */
			paths[0] = SSR_DATA "/recommendations/cct.recs";
			paths[1] = SSR_DATA "/recommendations/ssr1.recs";
			paths[2] = SSR_DATA "/recommendations/ssr2.recs";
			paths[3] = path;
			n = 4;
		}
		ssr_recs_catalogue_t *c = NULL;
		if (ssr_recs_catalogue_read(paths, n, &c, &d) == SSR_EOK) {
			for (size_t i = 0; i < c->nrecs; i++) {
				if (!c->recs[i].id || !c->recs[i].title || !c->recs[i].review) {
					abort();
				}
			}
		}
		ssr_recs_catalogue_free(c);
		break;
	}
	case 2: {
		ssr_recs_survey_stats_t st = {0};
		(void)ssr_recs_survey_read(path, any, any, NULL, rating, NULL, NULL, NULL, &st, &d);
		if (st.accepted + st.bad_score + st.unknown_rec + st.unknown_rater + st.duplicate +
		        st.malformed !=
		    st.rows) {
			abort(); /* every row is counted once */
		}
		break;
	}
	default:
		for (unsigned a = 0; a < SSR_REC_STATUS_COUNT; a++) {
			for (unsigned b = 0; b < SSR_REC_STATUS_COUNT; b++) {
				int rc =
				    ssr_rec_move_check((ssr_rec_status_t)a, (ssr_rec_status_t)b,
				                       data[0] >> 2, size > 1 ? "why" : "", &d);
				if (b == SSR_REC_VERIFIED && rc == SSR_EOK &&
				    (a != SSR_REC_IMPLEMENTED || (data[0] >> 2) == 0)) {
					abort();
				}
			}
		}
	}
	close(fd);
	return 0;
}
