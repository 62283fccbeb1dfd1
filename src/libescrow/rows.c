/* libescrow: results as the store's rows (escrowstore.h): one mapping, used by every caller. */
#include <stdio.h>
#include <string.h>

#include "ssrwatch/escrow.h"
#include "ssrwatch/escrowrestore.h"

void ssr_rde_result_row(const ssr_rde_result_t *r, const char *when, ssr_escrow_check_row_t *row)
{
	static const char *const types[] = {"FULL", "INCR", "DIFF"};
	memset(row, 0, sizeof *row);
	row->resend = r->resend;
	row->valid = r->valid;
	row->codes = (int64_t)r->codes;
	row->domains = (int64_t)r->counted[SSR_ESCROW_DOMAIN];
	row->seconds = r->seconds;
	snprintf(row->checked, sizeof row->checked, "%s", when);
	snprintf(row->file, sizeof row->file, "%s", r->file);
	snprintf(row->tld, sizeof row->tld, "%s", r->tld);
	snprintf(row->type, sizeof row->type, "%s", types[r->type]);
	snprintf(row->deposit_id, sizeof row->deposit_id, "%s", r->id);
	snprintf(row->watermark, sizeof row->watermark, "%s", r->watermark);
	size_t ncodes, l = 0;
	const ssr_rde_code_t *codes = ssr_rde_codes(&ncodes);
	for (size_t k = 0; k < ncodes; k++) {
		if (r->findings[k].count && l + strlen(codes[k].code) + 2 < sizeof row->code_list) {
			l += (size_t)snprintf(row->code_list + l, sizeof row->code_list - l, "%s%s",
			                      l ? " " : "", codes[k].code);
		}
	}
}

void ssr_escrow_drill_row(const ssr_drill_t *r, const char *when, ssr_escrow_drill_row_t *row)
{
	memset(row, 0, sizeof *row);
	row->diffs = r->restore.diffs;
	row->signed_zone = r->signed_zone;
	row->decrypt_s = r->restore.decrypt_s;
	row->parse_s = r->restore.parse_s;
	row->build_s = r->restore.build_s;
	row->sign_s = r->sign_s;
	row->load_s = r->load_s;
	row->verify_s = r->verify_s;
	row->answering_s = r->answering_s;
	row->threshold_s = r->threshold_s;
	row->delegations = (int64_t)r->restore.delegated;
	row->checked = (int64_t)r->checked;
	row->matched = (int64_t)r->matched;
	row->passed = r->passed;
	snprintf(row->drilled, sizeof row->drilled, "%s", when);
	snprintf(row->tld, sizeof row->tld, "%s", r->restore.tld);
	snprintf(row->full_id, sizeof row->full_id, "%s", r->restore.full_id);
	snprintf(row->watermark, sizeof row->watermark, "%s", r->restore.watermark);
	snprintf(row->server, sizeof row->server, "%s", r->server);
}
