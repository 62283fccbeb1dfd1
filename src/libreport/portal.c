/* ssrwatch — the portal's SLA figures as JSON, a text table or CSV. */
#include <stdio.h>
#include <string.h>

#include "ssrwatch/report.h"

static const char *const cols[] = {"party_id",
                                   "name",
                                   "roles",
                                   "routed",
                                   "acknowledged",
                                   "resolved",
                                   "mitigated",
                                   "ack_median_s",
                                   "ack_p90_s",
                                   "ack_within_sla",
                                   "ack_decided",
                                   "ack_share_within_sla",
                                   "action_median_s",
                                   "action_p90_s",
                                   "action_within_sla",
                                   "action_decided",
                                   "action_share_within_sla",
                                   "open_ack_breaches",
                                   "open_action_breaches"};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* A number cell: integers in full, reals to 6 significant digits, null empty. */
static void cell(char *buf, size_t cap, json_t *v)
{
	if (json_is_integer(v)) {
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		snprintf(buf, cap, "%.6g", json_real_value(v));
	} else {
		buf[0] = '\0';
	}
}

static int add_row(ssr_table_t *t, json_t *a, const char *id, const char *name, const char *roles)
{
	char num[16][32];
	const char *row[NCOLS] = {id, name, roles};
	size_t k = 3, n = 0;
	const char *ints[] = {"routed", "acknowledged", "resolved", "mitigated"};
	for (int i = 0; i < 4; i++, n++) {
		cell(num[n], sizeof(num[n]), json_object_get(a, ints[i]));
		row[k++] = num[n];
	}
	const char *dists[] = {"time_to_acknowledge", "time_to_action"};
	const char *dk[] = {"median_s", "p90_s", "within_sla", "decided", "share_within_sla"};
	for (int i = 0; i < 2; i++) {
		json_t *d = json_object_get(a, dists[i]);
		for (int j = 0; j < 5; j++, n++) {
			cell(num[n], sizeof(num[n]), json_object_get(d, dk[j]));
			row[k++] = num[n];
		}
	}
	cell(num[n], sizeof(num[n]), json_object_get(a, "open_acknowledge_breaches"));
	row[k++] = num[n++];
	cell(num[n], sizeof(num[n]), json_object_get(a, "open_action_breaches"));
	row[k++] = num[n++];
	return ssr_table_add(t, row);
}

int ssr_report_portal_sla(json_t *sla, ssr_format_t fmt, FILE *out)
{
	if (fmt == SSR_FORMAT_JSON) {
		/* full precision: the same numbers GET /api/v1/stats serves */
		if (json_dumpf(sla, out, JSON_SORT_KEYS | JSON_INDENT(2)) != 0) {
			return SSR_EIO;
		}
		fputc('\n', out);
		return ferror(out) ? SSR_EIO : SSR_EOK;
	}
	ssr_table_t t;
	int rc = ssr_table_init(&t, NCOLS, "portal SLAs");
	if (rc == SSR_EOK) {
		rc = ssr_table_add(&t, cols);
	}
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(sla, "parties"), i, p)
	{
		if (rc != SSR_EOK) {
			break;
		}
		char id[24];
		snprintf(id, sizeof(id), "%lld",
		         (long long)json_integer_value(json_object_get(p, "party_id")));
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *roles = json_string_value(json_object_get(p, "roles"));
		rc = add_row(&t, p, id, name ? name : "", roles ? roles : "");
	}
	if (rc == SSR_EOK) {
		rc = add_row(&t, json_object_get(sla, "overall"), "", "all", "");
	}
	if (rc == SSR_EOK) {
		rc = fmt == SSR_FORMAT_CSV ? ssr_table_write_csv(&t, out, 1)
		                           : ssr_table_write_text(&t, out);
	}
	ssr_table_release(&t);
	return rc;
}
