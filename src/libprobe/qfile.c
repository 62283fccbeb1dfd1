/* libprobe: query files, "NAME TYPE" per line as dnsperf reads them. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "probe_priv.h"
#include "ssrwatch/lines.h"

#define MAX_LINE 1024

int ssr_probe_qfile_read(const char *path, ssr_probe_qline_fn fn, void *ctx, ssr_diag_t *diag)
{
	ssr_lines_t *lr;
	int rc = ssr_lines_open(path, MAX_LINE, &lr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *p;
	size_t n;
	bool too_long;
	while ((rc = ssr_lines_next(lr, &p, &n, &too_long, diag)) == 1) {
		uint64_t line = ssr_lines_number(lr);
		if (too_long) {
			rc = ssr_diag_set(diag, SSR_ELIMIT,
			                  "queries '%s' line %" PRIu64 ": longer than %d bytes",
			                  path, line, MAX_LINE);
			break;
		}
		char buf[MAX_LINE + 1];
		memcpy(buf, p, n);
		buf[n] = '\0';
		char *s = buf + strspn(buf, " \t");
		if (*s == '\0' || *s == '#' || *s == ';') {
			continue;
		}
		if (memchr(p, '\0', n) != NULL) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "queries '%s' line %" PRIu64 ": a NUL byte", path, line);
			break;
		}
		char *name = s;
		s += strcspn(s, " \t");
		char *type = s + strspn(s, " \t");
		*s = '\0';
		type[strcspn(type, " \t")] = '\0';
		char *rest = type + strlen(type);
		rest = rest < buf + n ? rest + 1 + strspn(rest + 1, " \t") : rest;
		uint16_t t = 1;
		if (*type != '\0' && ssr_probe_type_parse(type, &t) != SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "queries '%s' line %" PRIu64 ": unknown type '%.40s'",
			                  path, line, type);
			break;
		}
		if (*rest != '\0' && *rest != '#') {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "queries '%s' line %" PRIu64
			                  ": text after the type: '%.40s'",
			                  path, line, rest);
			break;
		}
		if ((rc = fn(name, t, line, ctx)) != SSR_EOK) {
			break;
		}
	}
	ssr_lines_free(lr);
	return rc < 0 ? rc : SSR_EOK;
}
