/* ssrwatch — the stored per-domain listings as CSV (`abuse listings`): what the ingests stored
 * for each listed or tracked domain, for analysts and tests (the store keeps them as compressed
 * parts, not SQL rows: docs/FORMATS.md). */
#include <stdio.h>
#include <string.h>

#include "ssrwatch/abuse.h"
#include "ssrwatch/abusestore.h"
#include "ssrwatch/csv.h"

typedef struct {
	const char *tld, *date;
	FILE *out;
	uint64_t rows;
} lst_t;

/* One CSV field (ssr_csv_write_cell's quoting); "" for an empty text, nothing for NULL. */
static void field(FILE *f, const char *s, bool last)
{
	if (s != NULL && *s == '\0') {
		fputs("\"\"", f);
	} else if (s != NULL) {
		ssr_csv_write_cell(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

static int on_row(const char *tld, const char *date, const ssr_abuse_row_t *r, void *ctx)
{
	lst_t *l = ctx;
	if ((l->tld != NULL && strcmp(l->tld, tld) != 0) ||
	    (l->date != NULL && strcmp(l->date, date) != 0)) {
		return SSR_EOK;
	}
	FILE *f = l->out;
	field(f, tld, false);
	field(f, date, false);
	field(f, r->domain, false);
	fprintf(f, "%d,%d,%lu,", r->listed ? 1 : 0, r->in_zone ? 1 : 0,
	        (unsigned long)r->categories);
	field(f, r->feeds, false);
	field(f, r->feed_first_seen, false);
	field(f, r->zone_first_seen, false);
	field(f, r->created, false);
	fprintf(f, "%llu\n", (unsigned long long)r->registrar);
	l->rows++;
	return ferror(f) ? SSR_EIO : SSR_EOK;
}

int ssr_abuse_listings_write(ssr_store_t *st, const char *tld, const char *date, FILE *out,
                             uint64_t *rows, ssr_diag_t *diag)
{
	lst_t l = {.tld = tld, .date = date, .out = out};
	fputs("tld,snapshot_date,domain,listed,in_zone,categories,feeds,feed_first_seen,"
	      "zone_first_seen,created,registrar\n",
	      out);
	int rc = ssr_store_abuse_rows(st, date ? date : "9999-12-31", on_row, &l, diag);
	if (rc == SSR_EIO) {
		rc = ssr_diag_set(diag, SSR_EIO, "abuse listings: cannot write the output");
	}
	if (rows != NULL) {
		*rows = l.rows;
	}
	return rc;
}
