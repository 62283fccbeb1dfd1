/* ssrwatch — zone statistics and zone history reports. */
#include <libknot/libknot.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/report.h"
#include "ssrwatch/zone.h"

static json_int_t geti(json_t *o, const char *path)
{
	/* dotted path lookup: "records.total" */
	char key[64];
	const char *p = path;
	while (o != NULL) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		if (l >= sizeof(key)) {
			return 0;
		}
		memcpy(key, p, l);
		key[l] = '\0';
		o = json_object_get(o, key);
		if (dot == NULL) {
			break;
		}
		p = dot + 1;
	}
	return json_integer_value(o);
}

static double getr(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static const char *jtext(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

/* Flatten any JSON value into (path, value) rows. */
static int flatten(json_t *v, char *path, size_t plen, size_t cap, ssr_table_t *t, const char *zone)
{
	int rc = SSR_EOK;
	if (json_is_object(v)) {
		const char **keys = malloc((json_object_size(v) + 1) * sizeof(*keys));
		size_t n = 0;
		const char *k;
		json_t *x;
		if (keys == NULL) {
			return SSR_ENOMEM;
		}
		json_object_foreach(v, k, x)
		{
			keys[n++] = k;
		}
		for (size_t i = 1; i < n; i++) { /* sort keys for stable output */
			for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
				const char *tmp = keys[j];
				keys[j] = keys[j - 1];
				keys[j - 1] = tmp;
			}
		}
		for (size_t i = 0; i < n && rc == SSR_EOK; i++) {
			int l = snprintf(path + plen, cap - plen, "%s%s", plen ? "." : "", keys[i]);
			rc = flatten(json_object_get(v, keys[i]), path, plen + (size_t)l, cap, t,
			             zone);
		}
		path[plen] = '\0';
		free(keys);
		return rc;
	}
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v) && rc == SSR_EOK; i++) {
			int l = snprintf(path + plen, cap - plen, "%s%zu", plen ? "." : "", i);
			rc = flatten(json_array_get(v, i), path, plen + (size_t)l, cap, t, zone);
		}
		path[plen] = '\0';
		return rc;
	}
	char val[256];
	if (json_is_string(v)) {
		snprintf(val, sizeof(val), "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		snprintf(val, sizeof(val), "%.6f", json_real_value(v));
	} else if (json_is_true(v)) {
		snprintf(val, sizeof(val), "true");
	} else if (json_is_false(v)) {
		snprintf(val, sizeof(val), "false");
	} else {
		val[0] = '\0';
	}
	const char *cells[3] = {zone, path, val};
	return ssr_table_add(t, cells);
}

static int counts_table(json_t *obj, const char *title, const char *kh, FILE *out)
{
	ssr_table_t t;
	const char *hdr[3] = {kh, "count", "share"};
	(void)ssr_table_init(&t, 3, title); /* errors are sticky: t.err */
	if (ssr_table_add(&t, hdr) != SSR_EOK) {
		ssr_table_release(&t);
		return SSR_ENOMEM;
	}
	json_int_t sum = 0;
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
	{
		sum += json_integer_value(v);
	}
	/* numeric keys in numeric order, names in name order */
	size_t n = json_object_size(obj), i = 0;
	const char **keys = malloc((n + 1) * sizeof(*keys));
	if (keys == NULL) {
		ssr_table_release(&t);
		return SSR_ENOMEM;
	}
	json_object_foreach(obj, k, v)
	{
		keys[i++] = k;
	}
	for (size_t a = 1; a < n; a++) {
		for (size_t b = a; b > 0; b--) {
			long x = strtol(keys[b - 1], NULL, 10), y = strtol(keys[b], NULL, 10);
			int c = (x != y) ? (x > y ? 1 : -1) : strcmp(keys[b - 1], keys[b]);
			if (c <= 0) {
				break;
			}
			const char *tmp = keys[b];
			keys[b] = keys[b - 1];
			keys[b - 1] = tmp;
		}
	}
	int rc = SSR_EOK;
	for (i = 0; i < n && rc == SSR_EOK; i++) {
		char c[32], s[32];
		json_int_t x = json_integer_value(json_object_get(obj, keys[i]));
		snprintf(c, sizeof(c), "%lld", (long long)x);
		snprintf(s, sizeof(s), "%.2f%%", sum ? 100.0 * (double)x / (double)sum : 0.0);
		const char *row[3] = {keys[i], c, s};
		rc = ssr_table_add(&t, row);
	}
	free(keys);
	if (rc == SSR_EOK && t.nrows > 1) {
		rc = ssr_table_write_text(&t, out);
		fputc('\n', out);
	}
	ssr_table_release(&t);
	return rc;
}

static int zone_text(json_t *z, FILE *out)
{
	ssr_table_t t;
	char title[400];
	snprintf(title, sizeof(title), "zone %s (%s)", jtext(z, "zone"), jtext(z, "file"));
	if (ssr_table_init(&t, 2, title) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	const char *hdr[2] = {"metric", "value"};
	ssr_table_add(&t, hdr);
	json_t *serial = json_object_get(z, "serial");
	if (json_is_integer(serial)) {
		ssr_table_addf(&t, "serial", "%lld", (long long)json_integer_value(serial));
	} else {
		ssr_table_addf(&t, "serial", "-");
	}
	ssr_table_addf(&t, "bytes", "%lld", (long long)geti(z, "bytes"));
	ssr_table_addf(&t, "records", "%lld", (long long)geti(z, "records.total"));
	ssr_table_addf(&t, "delegations", "%lld", (long long)geti(z, "delegations"));
	ssr_table_addf(&t, "signed delegations", "%lld", (long long)geti(z, "signed_delegations"));
	ssr_table_addf(&t, "signed share", "%.2f%%", 100.0 * getr(z, "signed_share"));
	ssr_table_addf(&t, "IDN delegations", "%lld", (long long)geti(z, "idn_delegations"));
	ssr_table_addf(&t, "DS records", "%lld", (long long)geti(z, "ds.records"));
	ssr_table_addf(&t, "DS owners without NS", "%lld",
	               (long long)geti(z, "ds.owners_without_ns"));
	json_t *den = json_object_get(z, "denial");
	if (strcmp(jtext(den, "type"), "nsec3") == 0) {
		ssr_table_addf(
		    &t, "denial of existence", "nsec3 iterations %lld salt %lld bytes opt-out %s",
		    (long long)geti(den, "iterations"), (long long)geti(den, "salt_length"),
		    json_is_true(json_object_get(den, "opt_out")) ? "yes" : "no");
	} else {
		ssr_table_addf(&t, "denial of existence", "%s", jtext(den, "type"));
	}
	json_t *sig = json_object_get(z, "rrsig");
	ssr_table_addf(&t, "RRSIG records", "%lld", (long long)geti(sig, "records"));
	ssr_table_addf(&t, "RRSIG earliest expiration", "%s", jtext(sig, "earliest_expiration"));
	ssr_table_addf(&t, "RRSIG latest inception", "%s", jtext(sig, "latest_inception"));
	json_t *ns = json_object_get(z, "ns");
	json_t *conc = json_object_get(ns, "concentration");
	ssr_table_addf(&t, "NS records at delegations", "%lld", (long long)geti(ns, "records"));
	ssr_table_addf(&t, "distinct NS hosts", "%lld", (long long)geti(ns, "distinct_hosts"));
	ssr_table_addf(&t, "NS host domains", "%lld", (long long)geti(ns, "host_domains"));
	ssr_table_addf(&t, "top hosters' share", "%.2f%% (top %lld)",
	               100.0 * getr(conc, "top_n_share"), (long long)geti(conc, "top_n"));
	ssr_table_addf(&t, "hosting HHI", "%.1f", getr(conc, "hhi"));
	ssr_table_addf(&t, "glue A", "%lld", (long long)geti(z, "glue.a"));
	ssr_table_addf(&t, "glue AAAA", "%lld", (long long)geti(z, "glue.aaaa"));
	ssr_table_addf(&t, "skipped bad records", "%lld", (long long)geti(z, "errors"));
	int rc = ssr_table_write_text(&t, out);
	ssr_table_release(&t);
	fputc('\n', out);
	if (rc != SSR_EOK) {
		return rc;
	}
	rc = counts_table(json_object_get(json_object_get(z, "records"), "by_type"),
	                  "records by type", "type", out);
	if (rc == SSR_EOK) {
		rc = counts_table(json_object_get(json_object_get(z, "ds"), "algorithms"),
		                  "DS algorithms", "algorithm", out);
	}
	if (rc == SSR_EOK) {
		rc = counts_table(json_object_get(json_object_get(z, "ds"), "digest_types"),
		                  "DS digest types", "digest", out);
	}
	if (rc == SSR_EOK) {
		rc = counts_table(json_object_get(ns, "hosts_per_delegation"),
		                  "NS hosts per delegation", "hosts", out);
	}
	json_t *keys = json_object_get(z, "dnskey");
	if (rc == SSR_EOK && json_array_size(keys) > 0) {
		(void)ssr_table_init(&t, 5, "apex DNSKEYs"); /* errors are sticky */
		const char *kh[5] = {"key tag", "algorithm", "flags", "role", "bits"};
		ssr_table_add(&t, kh);
		size_t i;
		json_t *k;
		json_array_foreach(keys, i, k)
		{
			char a[4][24];
			snprintf(a[0], 24, "%lld", (long long)geti(k, "key_tag"));
			snprintf(a[1], 24, "%lld", (long long)geti(k, "algorithm"));
			snprintf(a[2], 24, "%lld", (long long)geti(k, "flags"));
			snprintf(a[3], 24, "%lld", (long long)geti(k, "bits"));
			const char *row[5] = {a[0], a[1], a[2], jtext(k, "role"), a[3]};
			ssr_table_add(&t, row);
		}
		rc = ssr_table_write_text(&t, out);
		ssr_table_release(&t);
		fputc('\n', out);
	}
	json_t *top = json_object_get(ns, "top");
	if (rc == SSR_EOK && json_array_size(top) > 0) {
		(void)ssr_table_init(&t, 5, "top NS host domains by delegations served");
		const char *th[5] = {"rank", "domain", "delegations", "share", "hosts"};
		ssr_table_add(&t, th);
		size_t i;
		json_t *h;
		json_array_foreach(top, i, h)
		{
			char a[4][32];
			snprintf(a[0], 32, "%lld", (long long)geti(h, "rank"));
			snprintf(a[1], 32, "%lld", (long long)geti(h, "delegations"));
			snprintf(a[2], 32, "%.2f%%", 100.0 * getr(h, "delegation_share"));
			snprintf(a[3], 32, "%lld", (long long)geti(h, "hosts"));
			const char *row[5] = {a[0], jtext(h, "domain"), a[1], a[2], a[3]};
			ssr_table_add(&t, row);
		}
		rc = ssr_table_write_text(&t, out);
		ssr_table_release(&t);
		fputc('\n', out);
	}
	return rc != SSR_EOK ? rc : ferror(out) ? SSR_EIO : SSR_EOK;
}

int ssr_report_zone_stats(json_t *zones, ssr_format_t fmt, FILE *out)
{
	if (fmt == SSR_FORMAT_JSON) {
		return ssr_json_write(zones, out);
	}
	size_t i;
	json_t *z;
	if (fmt == SSR_FORMAT_TABLE) {
		json_array_foreach(zones, i, z)
		{
			int rc = zone_text(z, out);
			if (rc != SSR_EOK) {
				return rc;
			}
		}
		return SSR_EOK;
	}
	ssr_table_t t;
	const char *hdr[3] = {"zone", "metric", "value"};
	if (ssr_table_init(&t, 3, NULL) != SSR_EOK || ssr_table_add(&t, hdr) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	int rc = SSR_EOK;
	json_array_foreach(zones, i, z)
	{
		char path[512] = "";
		rc = flatten(z, path, 0, sizeof(path), &t, jtext(z, "zone"));
		if (rc != SSR_EOK) {
			break;
		}
	}
	if (rc == SSR_EOK) {
		rc = ssr_table_write_csv(&t, out, 1);
	}
	ssr_table_release(&t);
	return rc;
}

/* "8:35.0% 13:60.0%": DS algorithm mix by record share. */
static void alg_mix(json_t *algs, char *out, size_t cap)
{
	json_int_t sum = 0;
	const char *k;
	json_t *v;
	json_object_foreach(algs, k, v)
	{
		sum += json_integer_value(v);
	}
	size_t o = 0;
	out[0] = '\0';
	for (int a = 0; a < 256 && sum > 0; a++) {
		char key[8];
		snprintf(key, sizeof(key), "%d", a);
		json_t *c = json_object_get(algs, key);
		if (c == NULL) {
			continue;
		}
		int l = snprintf(out + o, cap - o, "%s%d:%.1f%%", o ? " " : "", a,
		                 100.0 * (double)json_integer_value(c) / (double)sum);
		if (l < 0 || (size_t)l >= cap - o) {
			break;
		}
		o += (size_t)l;
	}
}

/* The stored rows as the objects the history report reads: {zone, date, serial, bytes,
 * metrics}, each document parsed once here; one that does not parse is named. */
static int history_rows(const ssr_zone_snapshot_t *snaps, size_t n, json_t **out, ssr_diag_t *diag)
{
	json_t *rows = json_array();
	for (size_t i = 0; rows != NULL && i < n; i++) {
		const ssr_zone_snapshot_t *z = &snaps[i];
		json_error_t je;
		json_t *m = json_loads(z->metrics ? z->metrics : "", 0, &je);
		if (!json_is_object(m)) {
			json_decref(m);
			json_decref(rows);
			return ssr_diag_set(
			    diag, SSR_ECORRUPT,
			    "zone history: the stored statistics of '%s' on %s are not a "
			    "JSON object%s%s",
			    z->zone, z->date, m ? "" : ": ", m ? "" : je.text);
		}
		json_t *row =
		    json_pack("{s:s,s:s,s:o,s:I,s:o}", "zone", z->zone, "date", z->date, "serial",
		              z->has_serial ? json_integer(z->serial) : json_null(), "bytes",
		              (json_int_t)z->bytes, "metrics", m);
		if (row == NULL || json_array_append_new(rows, row) != 0) {
			json_decref(rows);
			rows = NULL;
		}
	}
	if (rows == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "zone history: out of memory");
	}
	*out = rows;
	return SSR_EOK;
}

static int zone_history(json_t *rows, ssr_format_t fmt, FILE *out);

int ssr_report_zone_history(const ssr_zone_snapshot_t *snaps, size_t n, ssr_format_t fmt, FILE *out,
                            ssr_diag_t *diag)
{
	json_t *rows = NULL;
	int rc = history_rows(snaps, n, &rows, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	rc = zone_history(rows, fmt, out);
	json_decref(rows);
	if (rc != SSR_EOK) {
		return ssr_diag_set(diag, rc, "zone history: cannot write the report");
	}
	return SSR_EOK;
}

static int zone_history(json_t *rows, ssr_format_t fmt, FILE *out)
{
	if (fmt == SSR_FORMAT_JSON) {
		json_t *slim = json_array();
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r)
		{
			json_t *m = json_object_get(r, "metrics");
			json_t *conc = json_object_get(json_object_get(m, "ns"), "concentration");
			json_t *o = json_pack(
			    "{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "zone",
			    json_object_get(r, "zone"), "date", json_object_get(r, "date"),
			    "serial", json_object_get(r, "serial"), "bytes",
			    json_object_get(r, "bytes"), "delegations",
			    json_object_get(m, "delegations"), "signed_delegations",
			    json_object_get(m, "signed_delegations"), "signed_share",
			    json_object_get(m, "signed_share"), "ds_algorithms",
			    json_object_get(json_object_get(m, "ds"), "algorithms"), "top_n_share",
			    json_object_get(conc, "top_n_share"), "hhi",
			    json_object_get(conc, "hhi"));
			if (o == NULL) {
				json_decref(slim);
				return SSR_EINVAL;
			}
			json_array_append_new(slim, o);
		}
		int rc = ssr_json_write(slim, out);
		json_decref(slim);
		return rc;
	}
	ssr_table_t t;
	const char *hdr[9] = {"zone",          "date",         "serial",
	                      "delegations",   "signed",       "signed share",
	                      "DS algorithms", "top-20 share", "HHI"};
	if (ssr_table_init(&t, 9, fmt == SSR_FORMAT_TABLE ? "zone history" : NULL) != SSR_EOK ||
	    ssr_table_add(&t, hdr) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		json_t *m = json_object_get(r, "metrics");
		json_t *conc = json_object_get(json_object_get(m, "ns"), "concentration");
		char c[7][160];
		json_t *serial = json_object_get(r, "serial");
		snprintf(c[0], 160, "%lld", (long long)json_integer_value(serial));
		snprintf(c[1], 160, "%lld", (long long)geti(m, "delegations"));
		snprintf(c[2], 160, "%lld", (long long)geti(m, "signed_delegations"));
		snprintf(c[3], 160, "%.2f%%", 100.0 * getr(m, "signed_share"));
		alg_mix(json_object_get(json_object_get(m, "ds"), "algorithms"), c[4], 160);
		snprintf(c[5], 160, "%.2f%%", 100.0 * getr(conc, "top_n_share"));
		snprintf(c[6], 160, "%.1f", getr(conc, "hhi"));
		const char *row[9] = {jtext(r, "zone"),
		                      jtext(r, "date"),
		                      json_is_integer(serial) ? c[0] : "-",
		                      c[1],
		                      c[2],
		                      c[3],
		                      c[4],
		                      c[5],
		                      c[6]};
		if (ssr_table_add(&t, row) != SSR_EOK) {
			ssr_table_release(&t);
			return SSR_ENOMEM;
		}
	}
	int rc = fmt == SSR_FORMAT_TABLE ? ssr_table_write_text(&t, out)
	                                 : ssr_table_write_csv(&t, out, 1);
	ssr_table_release(&t);
	return rc;
}

/* ---- zone verify ------------------------------------------------------------------------------
 */

int ssr_report_zone_verify_json(const char *file, const ssr_zmem_t *z, const ssr_zv_result_t *r,
                                json_t **out)
{
	json_t *d = json_object(), *zm = json_object(), *ds = json_object(), *pr = json_array(),
	       *sk = json_array();
	char apex[1025] = ".";
	knot_dname_to_str(apex, z->apex, sizeof apex);
	json_object_set_new(d, "file", json_string(file));
	json_object_set_new(d, "zone", json_string(apex));
	json_object_set_new(d, "serial", json_integer(z->serial));
	json_object_set_new(d, "records", json_integer((json_int_t)z->n));
	json_object_set_new(d, "valid", json_boolean(r->errors == 0 && r->skipped[0] == 0));
	json_object_set_new(zm, "present", json_boolean(r->zonemd_present));
	json_object_set_new(zm, "valid", json_boolean(r->zonemd_valid));
	json_object_set_new(zm, "records", json_integer(r->zonemd_records));
	json_object_set_new(zm, "checked", json_integer(r->zonemd_checked));
	json_object_set_new(zm, "unsupported", json_integer(r->zonemd_unsupported));
	json_object_set_new(d, "zonemd", zm);
	json_object_set_new(ds, "signed", json_boolean(r->dnssec_signed));
	json_object_set_new(ds, "anchored", json_boolean(r->anchored));
	json_object_set_new(ds, "nsec", json_boolean(r->nsec));
	json_object_set_new(ds, "nsec3", json_boolean(r->nsec3));
	json_object_set_new(ds, "chain_checked", json_boolean(r->chain_checked));
	json_object_set_new(ds, "names_in_chain", json_integer((json_int_t)r->names_in_chain));
	json_object_set_new(ds, "rrsets", json_integer((json_int_t)r->rrsets));
	json_object_set_new(ds, "rrsets_signed", json_integer((json_int_t)r->rrsets_signed));
	json_object_set_new(ds, "signatures_checked",
	                    json_integer((json_int_t)r->signatures_checked));
	json_object_set_new(ds, "signatures_valid", json_integer((json_int_t)r->signatures_valid));
	json_object_set_new(ds, "errors", json_integer((json_int_t)r->errors));
	json_object_set_new(ds, "warnings", json_integer((json_int_t)r->warnings));
	for (size_t i = 0; i < r->nproblems; i++) {
		const ssr_zv_problem_t *p = &r->problems[i];
		char t[32];
		ssr_rrtype_name(p->type, t, sizeof t);
		json_array_append_new(
		    pr, json_pack("{s:s,s:s,s:s,s:s}", "owner", p->owner, "type", t, "severity",
		                  p->severity == SSR_ZV_ERROR ? "error" : "warning", "problem",
		                  p->problem));
	}
	json_object_set_new(ds, "problems", pr);
	json_object_set_new(ds, "problems_shown", json_integer((json_int_t)r->nproblems));
	json_object_set_new(d, "dnssec", ds);
	if (r->skipped[0]) {
		json_array_append_new(sk, json_string(r->skipped));
	}
	json_object_set_new(d, "skipped", sk);
	*out = d;
	return SSR_EOK;
}

int ssr_report_zone_verify_text(json_t *d, FILE *out)
{
	json_t *ds = json_object_get(d, "dnssec"), *zm = json_object_get(d, "zonemd");
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(ds, "problems"), i, p)
	{
		fprintf(out, "%s %s %s: %s\n", json_string_value(json_object_get(p, "owner")),
		        json_string_value(json_object_get(p, "type")),
		        json_string_value(json_object_get(p, "severity")),
		        json_string_value(json_object_get(p, "problem")));
	}
	json_t *sk = json_array_get(json_object_get(d, "skipped"), 0);
	fprintf(out,
	        "%s: zone %s serial %" JSON_INTEGER_FORMAT ": %s; %" JSON_INTEGER_FORMAT
	        " signatures checked, %" JSON_INTEGER_FORMAT " valid; %" JSON_INTEGER_FORMAT
	        " errors, %" JSON_INTEGER_FORMAT " warnings; ZONEMD %s%s%s\n",
	        json_string_value(json_object_get(d, "file")),
	        json_string_value(json_object_get(d, "zone")),
	        json_integer_value(json_object_get(d, "serial")),
	        json_is_true(json_object_get(d, "valid")) ? "valid" : "NOT valid",
	        json_integer_value(json_object_get(ds, "signatures_checked")),
	        json_integer_value(json_object_get(ds, "signatures_valid")),
	        json_integer_value(json_object_get(ds, "errors")),
	        json_integer_value(json_object_get(ds, "warnings")),
	        !json_is_true(json_object_get(zm, "present")) ? "absent"
	        : json_is_true(json_object_get(zm, "valid"))  ? "valid"
	                                                      : "NOT valid",
	        sk ? "; not checked: " : "", sk ? json_string_value(sk) : "");
	return ferror(out) ? SSR_EIO : SSR_EOK;
}
