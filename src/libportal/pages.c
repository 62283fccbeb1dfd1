/* ssrwatch — server-rendered HTML pages (no JavaScript needed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal_priv.h"

void pages_handle(ssr_portal_t *p, req_t *q, resp_t *r)
{
	(void)p;
	if (strcmp(q->url, "/") == 0) {
		const char *html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
		                   "<title>ssrwatch abuse report portal</title></head><body>"
		                   "<h1>ssrwatch abuse report portal</h1></body></html>\n";
		resp_text(r, 200, "text/html; charset=utf-8", strdup(html), strlen(html));
		return;
	}
	resp_text(r, 404, "text/plain", strdup("not found\n"), 10);
}
