/* libreport: zone diff output, written as the changes come (a .com-sized diff never sits in
 * memory): JSON (one change object per line inside one document), CSV, or a table of lines. */
#include <libknot/libknot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/csv.h"
#include "ssrwatch/report.h"
#include "ssrwatch/zone.h"

struct ssr_zdiff_writer {
	ssr_format_t fmt;
	FILE *out;
	uint64_t n;
	char *text; /* one RDATA set as text */
	size_t cap;
};

/* RDATA of type as presentation text into out (cap bytes). */
static void rdata_text(const uint8_t *owner, uint16_t type, const ssr_zmem_rdata_t *rd, char *out,
                       size_t cap)
{
	knot_rrset_t rr;
	knot_rrset_init(&rr, (knot_dname_t *)owner, type, KNOT_CLASS_IN, 0);
	uint8_t buf[sizeof(knot_rdata_t) + 65536];
	knot_rdata_t *r = (knot_rdata_t *)buf;
	knot_rdata_init(r, rd->rdlen, rd->rdata);
	out[0] = '\0';
	if (knot_rdataset_add(&rr.rrs, r, NULL) != KNOT_EOK ||
	    knot_rrset_txt_dump_data(&rr, 0, out, cap, &KNOT_DUMP_STYLE_DEFAULT) < 0) {
		/* RFC 3597's generic form when libknot cannot show it */
		size_t l = (size_t)snprintf(out, cap, "\\# %u ", rd->rdlen);
		for (uint16_t i = 0; i < rd->rdlen && l + 3 < cap; i++) {
			l += (size_t)snprintf(out + l, cap - l, "%02x", rd->rdata[i]);
		}
	}
	knot_rdataset_clear(&rr.rrs, NULL);
}

int ssr_report_zdiff_open(ssr_format_t fmt, FILE *out, const char *old_path, const char *new_path,
                          ssr_zdiff_writer_t **w)
{
	*w = calloc(1, sizeof(**w));
	if (*w == NULL) {
		return SSR_ENOMEM;
	}
	(*w)->fmt = fmt;
	(*w)->out = out;
	if (fmt == SSR_FORMAT_JSON) {
		json_t *o = json_pack("{s:s,s:s}", "old", old_path, "new", new_path);
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		if (s == NULL) {
			free(*w);
			*w = NULL;
			return SSR_ENOMEM;
		}
		s[strlen(s) - 1] = '\0'; /* the document stays open */
		fprintf(out, "%s,\"changes\":[", s);
		free(s);
	} else if (fmt == SSR_FORMAT_CSV) {
		fputs("kind,owner,type,delegation,old,new\n", out);
	}
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

/* The set as text lines joined by sep into w->text. */
static int set_text(ssr_zdiff_writer_t *w, const uint8_t *owner, uint16_t type,
                    const ssr_zmem_rdata_t *rd, size_t n, json_t *arr)
{
	size_t need = 8;
	for (size_t i = 0; i < n; i++) {
		need += 4u * rd[i].rdlen + 600;
	}
	if (ssr_grow((void **)&w->text, &w->cap, need, 1) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	size_t l = 0;
	w->text[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char *at = w->text + l + (i ? 3 : 0);
		rdata_text(owner, type, &rd[i], at, w->cap - l - 3);
		if (arr != NULL && json_array_append_new(arr, json_string(at)) != 0) {
			return SSR_ENOMEM;
		}
		if (i) {
			memcpy(w->text + l, " | ", 3);
		}
		l = strlen(w->text);
	}
	return SSR_EOK;
}

int ssr_report_zdiff_change(ssr_zdiff_writer_t *w, const ssr_zdiff_change_t *c)
{
	char owner[KNOT_DNAME_TXT_MAXLEN + 1], deleg[KNOT_DNAME_TXT_MAXLEN + 1] = "", type[32];
	if (knot_dname_to_str(owner, c->owner, sizeof owner) == NULL ||
	    (c->deleg && knot_dname_to_str(deleg, c->deleg, sizeof deleg) == NULL)) {
		return SSR_EINVAL;
	}
	ssr_rrtype_name(c->type, type, sizeof type);
	const char *kind = ssr_zdiff_kind_name(c->kind);
	int rc = SSR_EOK;
	if (w->fmt == SSR_FORMAT_JSON) {
		json_t *o = json_object(), *a = json_array(), *b = json_array();
		rc = o && a && b ? SSR_EOK : SSR_ENOMEM;
		if (rc == SSR_EOK) {
			rc = set_text(w, c->owner, c->type, c->old_rd, c->nold, a);
		}
		if (rc == SSR_EOK) {
			rc = set_text(w, c->owner, c->type, c->new_rd, c->nnew, b);
		}
		if (rc == SSR_EOK) {
			json_object_set_new(o, "kind", json_string(kind));
			json_object_set_new(o, "owner", json_string(owner));
			json_object_set_new(o, "type", json_string(type));
			json_object_set_new(o, "delegation",
			                    c->deleg ? json_string(deleg) : json_null());
			json_object_set_new(o, "old", a);
			json_object_set_new(o, "new", b);
			a = b = NULL;
			if (c->nold) {
				json_object_set_new(o, "old_ttl", json_integer(c->old_ttl));
			}
			if (c->nnew) {
				json_object_set_new(o, "new_ttl", json_integer(c->new_ttl));
			}
			char *s = json_dumps(o, JSON_COMPACT);
			if (s == NULL) {
				rc = SSR_ENOMEM;
			} else {
				fprintf(w->out, "%s\n%s", w->n ? "," : "", s);
				free(s);
			}
		}
		json_decref(a);
		json_decref(b);
		json_decref(o);
	} else {
		char *old = NULL;
		rc = set_text(w, c->owner, c->type, c->old_rd, c->nold, NULL);
		if (rc == SSR_EOK && (old = strdup(w->text)) == NULL) {
			rc = SSR_ENOMEM;
		}
		if (rc == SSR_EOK) {
			rc = set_text(w, c->owner, c->type, c->new_rd, c->nnew, NULL);
		}
		if (rc == SSR_EOK && w->fmt == SSR_FORMAT_CSV) {
			const char *cells[6] = {kind, owner, type, deleg, old, w->text};
			for (int i = 0; i < 6; i++) {
				if (i) {
					fputc(',', w->out);
				}
				ssr_csv_write_cell(cells[i], w->out);
			}
			fputc('\n', w->out);
		} else if (rc == SSR_EOK) {
			fprintf(w->out, "%-18s %s %s\n", kind, owner, type);
			if (c->nold) {
				fprintf(w->out, "    - %s\n", old);
			}
			if (c->nnew) {
				fprintf(w->out, "    + %s\n", w->text);
			}
		}
		free(old);
	}
	w->n++;
	return rc == SSR_EOK && ferror(w->out) ? SSR_EIO : rc;
}

int ssr_report_zdiff_close(ssr_zdiff_writer_t *w, const ssr_zdiff_stats_t *st, json_t *checks)
{
	if (w == NULL) {
		json_decref(checks);
		return SSR_EOK;
	}
	int rc = SSR_EOK;
	if (st != NULL && w->fmt == SSR_FORMAT_JSON) {
		json_t *counts = json_object();
		for (int k = 0; counts && k < SSR_ZDIFF_NKINDS; k++) {
			json_object_set_new(counts, ssr_zdiff_kind_name((ssr_zdiff_kind_t)k),
			                    json_integer((json_int_t)st->changes[k]));
		}
		json_t *sum = json_pack(
		    "{s:o?,s:[I,I],s:[I,I],s:[I,I],s:[I,I],s:I,s:I}", "changes", counts, "records",
		    (json_int_t)st->records[0], (json_int_t)st->records[1], "delegations",
		    (json_int_t)st->delegations[0], (json_int_t)st->delegations[1], "serials",
		    (json_int_t)st->serial[0], (json_int_t)st->serial[1], "runs",
		    (json_int_t)st->runs[0], (json_int_t)st->runs[1], "spilled_bytes",
		    (json_int_t)st->spilled_bytes, "peak_buffer_bytes",
		    (json_int_t)st->peak_buffer);
		char *s = sum ? json_dumps(sum, JSON_COMPACT) : NULL;
		char *k = checks ? json_dumps(checks, JSON_COMPACT) : NULL;
		if (s == NULL || (checks != NULL && k == NULL)) {
			rc = SSR_ENOMEM;
		} else {
			fprintf(w->out, "],\"summary\":%s%s%s}\n", s, k ? ",\"checks\":" : "",
			        k ? k : "");
		}
		free(s);
		free(k);
		json_decref(sum);
	} else if (st != NULL && w->fmt != SSR_FORMAT_CSV) {
		fprintf(w->out,
		        "\n%llu records -> %llu, %llu delegations -> %llu, serial %u -> %u\n",
		        (unsigned long long)st->records[0], (unsigned long long)st->records[1],
		        (unsigned long long)st->delegations[0],
		        (unsigned long long)st->delegations[1], st->serial[0], st->serial[1]);
		for (int k = 0; k < SSR_ZDIFF_NKINDS; k++) {
			fprintf(w->out, "%s%s %llu", k ? ", " : "",
			        ssr_zdiff_kind_name((ssr_zdiff_kind_t)k),
			        (unsigned long long)st->changes[k]);
		}
		fputc('\n', w->out);
	}
	json_decref(checks);
	if (rc == SSR_EOK && ferror(w->out)) {
		rc = SSR_EIO;
	}
	free(w->text);
	free(w);
	return rc;
}
