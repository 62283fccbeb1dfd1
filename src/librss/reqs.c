/* librss: RSSAC047's requirements (data/rss/requirements.txt, compiled in by CMake with the
 * number of citations of each in the sources and the tests). */
#include "rss_priv.h"

static const ssr_rss_req_t reqs[] = {
#include "rss_reqs.inc"
};

const ssr_rss_req_t *ssr_rss_requirements(size_t *n)
{
	*n = sizeof reqs / sizeof reqs[0];
	return reqs;
}
