/* ssrwatch — the date a zone statistics snapshot stands for. */
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ssrwatch/date.h"
#include "ssrwatch/zonestats.h"

int ssr_zone_snapshot_date(const char *path, const char *given, char out[11], ssr_diag_t *diag)
{
	if (given != NULL) {
		int32_t day;
		if (ssr_date_parse(given, strlen(given), &day) != SSR_EOK) {
			return ssr_diag_set(diag, SSR_EINVAL, "zone: bad date '%s' (YYYY-MM-DD)",
			                    given);
		}
		ssr_date_format(day, out);
		return SSR_EOK;
	}
	struct stat sb;
	time_t t = time(NULL);
	if (path != NULL && strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
		t = sb.st_mtime;
	}
	ssr_date_format((int32_t)(t / 86400), out); /* UTC */
	return SSR_EOK;
}
