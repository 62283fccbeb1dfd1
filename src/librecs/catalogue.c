/* librecs: recommendation catalogue files (docs/FORMATS.md): stanzas of "key: value" lines
 * separated by blank lines, continuation lines indented, '#' comments; the first stanza of a
 * file names its review. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/date.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/lines.h"
#include "ssrwatch/recs.h"

#ifndef SSR_DATA_DIR
#define SSR_DATA_DIR "data"
#endif

static const char *const measures[] = {"abuse.report",       "portal.sla",   "portal.cases",
                                       "names.scan",         "zone.stats",   "traffic.stats",
                                       "traffic.collisions", "regress.run",  "rss.report",
                                       "czds.day",           "escrow.drill", NULL};

bool ssr_recs_measure_known(const char *name)
{
	for (size_t i = 0; measures[i]; i++) {
		if (strcmp(measures[i], name) == 0) {
			return true;
		}
	}
	return false;
}

#define MAX_KEYS 12

typedef struct {
	char key[16];
	char *val; /* malloc'ed */
	size_t len;
	uint64_t line;
} field_t;

typedef struct {
	field_t f[MAX_KEYS];
	size_t n;
	uint64_t line; /* first line */
} stanza_t;

typedef struct {
	ssr_recs_catalogue_t *c;
	size_t rcap, ccap;
	ssr_strmap_t ids;     /* rec id -> index + 1 */
	ssr_strmap_t reviews; /* review id -> index + 1 */
	ssr_diag_t *diag;
	const char *path;
	char *review; /* the file's review */
} cat_t;

static void stanza_clear(stanza_t *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->f[i].val);
	}
	s->n = 0;
}

static const field_t *get(const stanza_t *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->f[i].key, key) == 0) {
			return &s->f[i];
		}
	}
	return NULL;
}

static char *dup_or_null(const field_t *f)
{
	return f ? strdup(f->val) : NULL;
}

static int err(cat_t *k, uint64_t line, const char *fmt, const char *a, const char *b)
{
	char msg[600];
	snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
	return ssr_diag_set(k->diag, SSR_EPARSE, "catalogue '%s' line %llu: %s", k->path,
	                    (unsigned long long)line, msg);
}

static bool id_chars(const char *s)
{
	if (!*s) {
		return false;
	}
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_')) {
			return false;
		}
	}
	return true;
}

static bool check_keys(cat_t *k, const stanza_t *s, const char *const *allowed, int *rc)
{
	for (size_t i = 0; i < s->n; i++) {
		bool ok = false;
		for (size_t j = 0; allowed[j] && !ok; j++) {
			ok = strcmp(allowed[j], s->f[i].key) == 0;
		}
		if (!ok) {
			*rc = err(k, s->f[i].line, "unknown key '%s'%s", s->f[i].key, "");
			return false;
		}
	}
	return true;
}

static int review_stanza(cat_t *k, const stanza_t *s)
{
	static const char *const keys[] = {"review", "title", "published", NULL};
	int rc = SSR_EOK;
	if (!check_keys(k, s, keys, &rc)) {
		return rc;
	}
	const field_t *id = get(s, "review"), *title = get(s, "title"), *pub = get(s, "published");
	if (!id_chars(id->val) || strchr(id->val, '-')) {
		return err(k, id->line, "bad review id '%s' (letters, digits, '_', '.')%s", id->val,
		           "");
	}
	if (!title) {
		return err(k, s->line, "review '%s' has no title%s", id->val, "");
	}
	int32_t day;
	if (pub && (strlen(pub->val) != 10 || ssr_date_parse(pub->val, 10, &day) != SSR_EOK)) {
		return err(k, pub->line, "bad date '%s' (YYYY-MM-DD)%s", pub->val, "");
	}
	ssr_strmap_entry_t *e;
	bool ins;
	if (ssr_strmap_upsert(&k->reviews, id->val, strlen(id->val), &e, &ins) != SSR_EOK) {
		return ssr_diag_set(k->diag, SSR_ENOMEM, "out of memory");
	}
	if (!ins) {
		const ssr_recs_review_t *o = &k->c->reviews[e->value - 1];
		return err(k, id->line, "review '%s' already defined in '%s'", id->val, o->file);
	}
	if (ssr_grow((void **)&k->c->reviews, &k->ccap, k->c->nreviews + 1,
	             sizeof *k->c->reviews) != SSR_EOK) {
		return ssr_diag_set(k->diag, SSR_ENOMEM, "out of memory");
	}
	ssr_recs_review_t *r = &k->c->reviews[k->c->nreviews++];
	r->id = strdup(id->val);
	r->title = strdup(title->val);
	r->published = dup_or_null(pub);
	r->file = strdup(k->path);
	e->value = k->c->nreviews;
	free(k->review);
	k->review = strdup(id->val);
	if (!r->id || !r->title || !r->file || !k->review || (pub && !r->published)) {
		return ssr_diag_set(k->diag, SSR_ENOMEM, "out of memory");
	}
	return SSR_EOK;
}

static int rec_stanza(cat_t *k, const stanza_t *s)
{
	static const char *const keys[] = {"id",         "parent", "title", "summary", "priority",
	                                   "workstream", "owner",  "refs",  "measure", NULL};
	int rc = SSR_EOK;
	if (!check_keys(k, s, keys, &rc)) {
		return rc;
	}
	const field_t *id = get(s, "id");
	if (!id) {
		return err(k, s->line, "a stanza without 'id' (or 'review' first in the file)%s%s",
		           NULL, NULL);
	}
	if (!k->review) {
		return err(k, s->line, "'%s' before the file's 'review:' stanza%s", id->val, NULL);
	}
	size_t rl = strlen(k->review);
	if (!id_chars(id->val) || strncmp(id->val, k->review, rl) != 0 || id->val[rl] != '-' ||
	    !id->val[rl + 1]) {
		return err(k, id->line, "bad id '%s' (must be '%s-' and a number or name)", id->val,
		           k->review);
	}
	const field_t *title = get(s, "title");
	if (!title) {
		return err(k, s->line, "'%s' has no title%s", id->val, NULL);
	}
	const field_t *prio = get(s, "priority");
	if (prio && strcmp(prio->val, "high") != 0 && strcmp(prio->val, "medium") != 0 &&
	    strcmp(prio->val, "low") != 0) {
		return err(k, prio->line, "bad priority '%s' (high, medium or low)%s", prio->val,
		           NULL);
	}
	const field_t *meas = get(s, "measure");
	unsigned cadence = 0;
	char mname[64] = "";
	if (meas) {
		char *end;
		const char *sp = strchr(meas->val, ' ');
		size_t ml = sp ? (size_t)(sp - meas->val) : strlen(meas->val);
		snprintf(mname, sizeof mname, "%.*s", (int)(ml < 63 ? ml : 63), meas->val);
		unsigned long v = sp ? strtoul(sp + 1, &end, 10) : 0;
		if (!ssr_recs_measure_known(mname)) {
			return err(k, meas->line,
			           "unknown measurement '%s' (abuse.report, portal.sla, "
			           "portal.cases, names.scan, zone.stats, traffic.stats, "
			           "traffic.collisions, regress.run, rss.report, czds.day, "
			           "escrow.drill)%s",
			           mname, NULL);
		}
		if (!sp || *end != '\0' || v < 1 || v > 3660) {
			return err(k, meas->line, "bad cadence in '%s' (days, 1 to 3660)%s",
			           meas->val, NULL);
		}
		cadence = (unsigned)v;
	}
	const field_t *parent = get(s, "parent");
	const ssr_recs_rec_t *pr = NULL;
	if (parent) {
		ssr_strmap_entry_t *pe = ssr_strmap_find(&k->ids, parent->val, strlen(parent->val));
		if (!pe) {
			return err(k, parent->line, "unknown parent '%s' (define it first)%s",
			           parent->val, NULL);
		}
		pr = &k->c->recs[pe->value - 1];
		if (pr->parent) {
			return err(k, parent->line, "parent '%s' is itself a sub-item%s",
			           parent->val, NULL);
		}
		size_t pl = strlen(parent->val);
		if (strncmp(id->val, parent->val, pl) != 0 || id->val[pl] != '.') {
			return err(k, id->line, "sub-item id '%s' must start with '%s.'", id->val,
			           parent->val);
		}
	}
	ssr_strmap_entry_t *e;
	bool ins;
	if (ssr_strmap_upsert(&k->ids, id->val, strlen(id->val), &e, &ins) != SSR_EOK) {
		return ssr_diag_set(k->diag, SSR_ENOMEM, "out of memory");
	}
	if (!ins) {
		const ssr_recs_rec_t *o = &k->c->recs[e->value - 1];
		char where[512];
		snprintf(where, sizeof where, "'%s' line %llu", o->file,
		         (unsigned long long)o->line);
		return err(k, id->line, "duplicate id '%s' (first at %s)", id->val, where);
	}
	if (k->c->nrecs >= SSR_RECS_MAX_ENTRIES) {
		return ssr_diag_set(k->diag, SSR_ELIMIT,
		                    "catalogue '%s': more than %d recommendations", k->path,
		                    SSR_RECS_MAX_ENTRIES);
	}
	if (ssr_grow((void **)&k->c->recs, &k->rcap, k->c->nrecs + 1, sizeof *k->c->recs) !=
	    SSR_EOK) {
		return ssr_diag_set(k->diag, SSR_ENOMEM, "out of memory");
	}
	if (parent) { /* the array may have moved */
		pr = &k->c->recs[ssr_strmap_find(&k->ids, parent->val, strlen(parent->val))->value -
		                 1];
	}
	ssr_recs_rec_t *r = &k->c->recs[k->c->nrecs];
	memset(r, 0, sizeof *r);
	r->id = strdup(id->val);
	r->review = strdup(k->review);
	r->parent = dup_or_null(parent);
	r->title = strdup(title->val);
	r->summary = dup_or_null(get(s, "summary"));
	/* sub-items take their recommendation's priority, workstream and owner unless given */
	const field_t *ws = get(s, "workstream"), *ow = get(s, "owner");
	r->priority = prio ? strdup(prio->val) : pr && pr->priority ? strdup(pr->priority) : NULL;
	r->workstream = ws ? strdup(ws->val) : pr && pr->workstream ? strdup(pr->workstream) : NULL;
	r->owner = ow ? strdup(ow->val) : pr && pr->owner ? strdup(pr->owner) : NULL;
	const field_t *refs = get(s, "refs");
	r->refs = dup_or_null(refs);
	r->measure = meas ? strdup(mname) : NULL;
	r->cadence = cadence;
	r->ord = (unsigned)k->c->nrecs;
	r->file = strdup(k->path);
	r->line = id->line;
	r->refs_line = refs ? refs->line : id->line;
	e->value = ++k->c->nrecs;
	if (!r->id || !r->review || !r->title || !r->file) {
		return ssr_diag_set(k->diag, SSR_ENOMEM, "out of memory");
	}
	return SSR_EOK;
}

static int end_stanza(cat_t *k, stanza_t *s)
{
	int rc = SSR_EOK;
	if (s->n > 0) {
		rc = get(s, "review")
		         ? (k->review ? err(k, s->line, "a second 'review:' stanza%s%s", NULL, NULL)
		                      : review_stanza(k, s))
		         : rec_stanza(k, s);
	}
	stanza_clear(s);
	return rc;
}

static int read_file(cat_t *k, const char *path)
{
	ssr_lines_t *lr;
	k->path = path;
	free(k->review);
	k->review = NULL;
	int rc = ssr_lines_open(path, SSR_RECS_MAX_LINE, &lr, k->diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	stanza_t s = {0};
	const char *p;
	size_t n;
	bool too_long;
	while (rc == SSR_EOK && (rc = ssr_lines_next(lr, &p, &n, &too_long, k->diag)) == 1) {
		rc = SSR_EOK;
		uint64_t line = ssr_lines_number(lr);
		if (too_long) {
			rc = err(k, line, "line longer than %s bytes%s", "4096", NULL);
			break;
		}
		if (memchr(p, '\0', n)) {
			rc = err(k, line, "NUL byte%s%s", NULL, NULL);
			break;
		}
		size_t blank = 0;
		while (blank < n && (p[blank] == ' ' || p[blank] == '\t' || p[blank] == '\r')) {
			blank++;
		}
		if (blank == n) {
			rc = end_stanza(k, &s);
			continue;
		}
		if (p[0] == '#') {
			continue;
		}
		if (blank > 0) { /* continuation of the last field */
			if (s.n == 0) {
				rc = err(k, line, "indented line outside a field%s%s", NULL, NULL);
				break;
			}
			field_t *f = &s.f[s.n - 1];
			size_t add = n - blank;
			if (f->len + 1 + add > SSR_RECS_MAX_FIELD) {
				rc = err(k, line, "field '%s' longer than 8192 bytes%s", f->key,
				         NULL);
				break;
			}
			char *v = realloc(f->val, f->len + add + 2);
			if (!v) {
				rc = ssr_diag_set(k->diag, SSR_ENOMEM, "out of memory");
				break;
			}
			f->val = v;
			v[f->len++] = ' ';
			memcpy(v + f->len, p + blank, add);
			f->len += add;
			v[f->len] = '\0';
			continue;
		}
		const char *colon = memchr(p, ':', n);
		if (!colon || colon == p || (size_t)(colon - p) >= sizeof s.f[0].key) {
			char msg[128];
			snprintf(msg, sizeof msg, "%.*s", (int)(n < 60 ? n : 60), p);
			rc = err(k, line, "expected 'key: value', got '%s'%s", msg, NULL);
			break;
		}
		if (s.n == MAX_KEYS) {
			rc = err(k, line, "too many fields in one stanza%s%s", NULL, NULL);
			break;
		}
		field_t *f = &s.f[s.n];
		snprintf(f->key, sizeof f->key, "%.*s", (int)(colon - p), p);
		if (get(&s, f->key)) {
			rc = err(k, line, "key '%s' given twice%s", f->key, NULL);
			break;
		}
		const char *v = colon + 1;
		while (v < p + n && (*v == ' ' || *v == '\t')) {
			v++;
		}
		size_t vl = (size_t)(p + n - v);
		while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r')) {
			vl--;
		}
		f->val = malloc(vl + 1);
		if (!f->val) {
			rc = ssr_diag_set(k->diag, SSR_ENOMEM, "out of memory");
			break;
		}
		memcpy(f->val, v, vl);
		f->val[vl] = '\0';
		f->len = vl;
		f->line = line;
		if (s.n == 0) {
			s.line = line;
		}
		s.n++;
		if (vl == 0) {
			rc = err(k, line, "empty value for '%s'%s", f->key, NULL);
			break;
		}
	}
	if (rc == 0) {
		rc = end_stanza(k, &s);
	}
	stanza_clear(&s);
	if (rc == SSR_EOK && !k->review) {
		rc = ssr_diag_set(k->diag, SSR_EPARSE, "catalogue '%s': no 'review:' stanza", path);
	}
	ssr_lines_free(lr);
	return rc > 0 ? SSR_EOK : rc;
}

int ssr_recs_catalogue_read(const char *const *paths, size_t n, ssr_recs_catalogue_t **out,
                            ssr_diag_t *diag)
{
	cat_t k = {.diag = diag};
	k.c = calloc(1, sizeof *k.c);
	if (!k.c || ssr_strmap_init(&k.ids, 256) != SSR_EOK ||
	    ssr_strmap_init(&k.reviews, 16) != SSR_EOK) {
		free(k.c);
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	int rc = SSR_EOK;
	for (size_t i = 0; i < n && rc == SSR_EOK; i++) {
		rc = read_file(&k, paths[i]);
	}
	/* references across every file */
	for (size_t i = 0; rc == SSR_EOK && i < k.c->nrecs; i++) {
		const ssr_recs_rec_t *r = &k.c->recs[i];
		for (const char *p = r->refs; p && *p;) {
			size_t l = strcspn(p, " ,");
			if (l > 0 && !ssr_strmap_find(&k.ids, p, l)) {
				char ref[128];
				snprintf(ref, sizeof ref, "%.*s", (int)(l < 120 ? l : 120), p);
				rc = ssr_diag_set(
				    diag, SSR_EPARSE,
				    "catalogue '%s' line %llu: '%s' refers to unknown '%s'",
				    r->file, (unsigned long long)r->refs_line, r->id, ref);
			}
			p += l;
			p += strspn(p, " ,");
		}
	}
	free(k.review);
	ssr_strmap_release(&k.ids);
	ssr_strmap_release(&k.reviews);
	if (rc != SSR_EOK) {
		ssr_recs_catalogue_free(k.c);
		return rc;
	}
	*out = k.c;
	return SSR_EOK;
}

void ssr_recs_catalogue_free(ssr_recs_catalogue_t *c)
{
	if (!c) {
		return;
	}
	for (size_t i = 0; i < c->nreviews; i++) {
		ssr_recs_review_t *r = &c->reviews[i];
		free(r->id);
		free(r->title);
		free(r->published);
		free(r->file);
	}
	for (size_t i = 0; i < c->nrecs; i++) {
		ssr_recs_rec_t *r = &c->recs[i];
		free(r->id);
		free(r->review);
		free(r->parent);
		free(r->title);
		free(r->summary);
		free(r->priority);
		free(r->workstream);
		free(r->owner);
		free(r->refs);
		free(r->measure);
		free(r->file);
	}
	free(c->reviews);
	free(c->recs);
	free(c);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ssr_recs_shipped(char ***paths, size_t *n, ssr_diag_t *diag)
{
	const char *dir = getenv("SSRWATCH_DATA");
	char base[4096];
	snprintf(base, sizeof base, "%s/recommendations", dir && *dir ? dir : SSR_DATA_DIR);
	DIR *d = opendir(base);
	if (!d) {
		return ssr_diag_set(
		    diag, SSR_ENOTFOUND,
		    "no shipped catalogue in '%s' (set SSRWATCH_DATA to the data folder)", base);
	}
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *e;
	int rc = SSR_EOK;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".recs") != 0) {
			continue;
		}
		if (ssr_grow((void **)&v, &cap, cnt + 1, sizeof *v) != SSR_EOK) {
			rc = SSR_ENOMEM;
			break;
		}
		size_t need = strlen(base) + l + 2;
		v[cnt] = malloc(need);
		if (!v[cnt]) {
			rc = SSR_ENOMEM;
			break;
		}
		snprintf(v[cnt++], need, "%s/%s", base, e->d_name);
	}
	closedir(d);
	if (rc != SSR_EOK) {
		ssr_recs_paths_free(v, cnt);
		return ssr_diag_set(diag, rc, "out of memory");
	}
	qsort(v, cnt, sizeof *v, cmp_str);
	*paths = v;
	*n = cnt;
	return SSR_EOK;
}

void ssr_recs_paths_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(paths[i]);
	}
	free(paths);
}
