/* libregress: suite files.  libyaml's events become a small tree with line numbers (caps on
 * size, depth and nodes), and the tree becomes typed cases under a strict schema: an unknown
 * key, a wrong type, a missing field, a duplicate id or an expectation that cannot be met is an
 * error naming the file, line and key. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "ssrwatch/crypto.h"
#include "ssrwatch/regress.h"

#define MAX_FILE  (4u << 20)
#define MAX_DEPTH 32
#define MAX_NODES 200000
#define MAX_CASES 10000

enum { N_SCALAR = 1, N_SEQ, N_MAP };

typedef struct node {
	int kind;
	char *val;
	unsigned line;
	struct node **kids; /* seq: items; map: key, value, key, value, ... */
	size_t n, cap;
} node_t;

static void node_free(node_t *n)
{
	if (n == NULL) {
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		node_free(n->kids[i]);
	}
	free(n->kids);
	free(n->val);
	free(n);
}

static int add_kid(node_t *p, node_t *k)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? 2 * p->cap : 8;
		node_t **nk = realloc(p->kids, nc * sizeof(*nk));
		if (nk == NULL) {
			return SSR_ENOMEM;
		}
		p->kids = nk;
		p->cap = nc;
	}
	p->kids[p->n++] = k;
	return SSR_EOK;
}

typedef struct {
	const char *path;
	ssr_diag_t *diag;
	bool deleg; /* a delegation suite */
} ctx_t;

static int err(const ctx_t *c, unsigned line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int err(const ctx_t *c, unsigned line, const char *key, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (key != NULL) {
		return ssr_diag_set(c->diag, SSR_EPARSE, "regress '%s' line %u: key '%s': %s",
		                    c->path, line, key, msg);
	}
	return ssr_diag_set(c->diag, SSR_EPARSE, "regress '%s' line %u: %s", c->path, line, msg);
}

/* The whole document as a tree. */
static int load_tree(const ctx_t *c, const unsigned char *text, size_t len, node_t **root)
{
	yaml_parser_t ps;
	if (!yaml_parser_initialize(&ps)) {
		return ssr_diag_set(c->diag, SSR_ENOMEM, "regress '%s': out of memory", c->path);
	}
	yaml_parser_set_input_string(&ps, text, len);
	node_t *stack[MAX_DEPTH + 1];
	int depth = 0;
	size_t nodes = 0;
	int rc = SSR_EOK;
	*root = NULL;
	for (bool done = false; !done && rc == SSR_EOK;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&ps, &ev)) {
			rc = err(c, (unsigned)ps.problem_mark.line + 1, NULL, "not YAML: %s",
			         ps.problem ? ps.problem : "syntax error");
			break;
		}
		unsigned line = (unsigned)ev.start_mark.line + 1;
		node_t *n = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_ALIAS_EVENT:
			rc = err(c, line, NULL, "aliases are not allowed");
			break;
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++nodes > MAX_NODES) {
				rc = ssr_diag_set(c->diag, SSR_ELIMIT,
				                  "regress '%s': more than %d nodes", c->path,
				                  MAX_NODES);
				break;
			}
			if ((n = calloc(1, sizeof(*n))) == NULL) {
				rc = ssr_diag_set(c->diag, SSR_ENOMEM,
				                  "regress '%s': out of memory", c->path);
				break;
			}
			n->line = line;
			n->kind = ev.type == YAML_SCALAR_EVENT           ? N_SCALAR
			          : ev.type == YAML_SEQUENCE_START_EVENT ? N_SEQ
			                                                 : N_MAP;
			if (n->kind == N_SCALAR &&
			    (n->val = strndup((const char *)ev.data.scalar.value,
			                      ev.data.scalar.length)) == NULL) {
				free(n);
				rc = ssr_diag_set(c->diag, SSR_ENOMEM,
				                  "regress '%s': out of memory", c->path);
				break;
			}
			if (depth == 0) {
				if (*root != NULL) {
					node_free(n);
					rc = err(c, line, NULL, "more than one document");
					break;
				}
				*root = n;
			} else if (add_kid(stack[depth - 1], n) != SSR_EOK) {
				node_free(n);
				rc = ssr_diag_set(c->diag, SSR_ENOMEM,
				                  "regress '%s': out of memory", c->path);
				break;
			}
			if (n->kind != N_SCALAR) {
				if (depth == MAX_DEPTH) {
					rc = err(c, line, NULL, "nested deeper than %d", MAX_DEPTH);
					break;
				}
				stack[depth++] = n;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	if (rc != SSR_EOK) {
		node_free(*root);
		*root = NULL;
	} else if (*root == NULL) {
		rc = err(c, 1, NULL, "empty");
	}
	return rc;
}

/* ---- the schema ------------------------------------------------------------------------- */

static node_t *get(const node_t *map, const char *key)
{
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		if (strcmp(map->kids[i]->val ? map->kids[i]->val : "", key) == 0) {
			return map->kids[i + 1];
		}
	}
	return NULL;
}

/* Every key of map is one of keys (NULL-terminated) and none is there twice. */
static int keys_ok(const ctx_t *c, const node_t *map, const char *where, const char *const *keys)
{
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const node_t *k = map->kids[i];
		if (k->kind != N_SCALAR) {
			return err(c, k->line, NULL, "%s: a key that is not text", where);
		}
		bool known = false;
		for (const char *const *p = keys; *p && !known; p++) {
			known = strcmp(*p, k->val) == 0;
		}
		if (!known) {
			return err(c, k->line, k->val, "unknown in %s", where);
		}
		for (size_t j = 0; j < i; j += 2) {
			if (strcmp(map->kids[j]->val, k->val) == 0) {
				return err(c, k->line, k->val, "given twice in %s", where);
			}
		}
	}
	return SSR_EOK;
}

static int want(const ctx_t *c, const node_t *n, int kind, const char *key)
{
	static const char *const what[] = {"", "a scalar", "a list", "a mapping"};
	return n->kind == kind ? SSR_EOK : err(c, n->line, key, "must be %s", what[kind]);
}

static int text(const ctx_t *c, const node_t *map, const char *key, bool required, char *out,
                size_t cap)
{
	const node_t *n = get(map, key);
	if (n == NULL) {
		return required ? err(c, map->line, key, "missing") : SSR_EOK;
	}
	int rc = want(c, n, N_SCALAR, key);
	if (rc == SSR_EOK && strlen(n->val) >= cap) {
		rc = err(c, n->line, key, "longer than %zu characters", cap - 1);
	}
	if (rc == SSR_EOK) {
		snprintf(out, cap, "%s", n->val);
	}
	return rc;
}

/* The optional scalar under key: *n NULL when it is not given. */
static int scalar(const ctx_t *c, const node_t *map, const char *key, const node_t **n, bool *given)
{
	*n = get(map, key);
	if (given) {
		*given = *n != NULL;
	}
	return *n == NULL ? SSR_EOK : want(c, *n, N_SCALAR, key);
}

static int boolean(const ctx_t *c, const node_t *map, const char *key, bool *out, bool *given)
{
	const node_t *n;
	int rc = scalar(c, map, key, &n, given);
	if (rc != SSR_EOK || n == NULL) {
		return rc;
	}
	if (strcmp(n->val, "true") == 0 || strcmp(n->val, "yes") == 0) {
		*out = true;
	} else if (strcmp(n->val, "false") == 0 || strcmp(n->val, "no") == 0) {
		*out = false;
	} else {
		return err(c, n->line, key, "true or false, not '%s'", n->val);
	}
	return SSR_EOK;
}

static int number(const ctx_t *c, const node_t *map, const char *key, long lo, long hi, long *out,
                  bool *given)
{
	const node_t *n;
	int rc = scalar(c, map, key, &n, given);
	if (rc != SSR_EOK || n == NULL) {
		return rc;
	}
	char *end;
	errno = 0;
	long v = strtol(n->val, &end, 0);
	if (errno != 0 || end == n->val || *end != '\0' || v < lo || v > hi) {
		return err(c, n->line, key, "a number from %ld to %ld, not '%s'", lo, hi, n->val);
	}
	*out = v;
	return SSR_EOK;
}

static int rrtype(const ctx_t *c, const node_t *map, const char *key, uint16_t *out)
{
	const node_t *n = get(map, key);
	if (n == NULL) {
		return SSR_EOK;
	}
	int rc = want(c, n, N_SCALAR, key);
	if (rc == SSR_EOK && ssr_probe_type_parse(n->val, out) != SSR_EOK) {
		rc = err(c, n->line, key, "unknown type '%s'", n->val);
	}
	return rc;
}

static int rcode_of(const char *s, int *out)
{
	for (int i = 0; i < 24; i++) {
		const char *n = ssr_probe_rcode_name((uint16_t)i);
		if (n != NULL && strcasecmp(n, s) == 0) {
			*out = i;
			return SSR_EOK;
		}
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (*s >= '0' && *s <= '9' && *end == '\0' && v < 4096) {
		*out = (int)v;
		return SSR_EOK;
	}
	return SSR_EINVAL;
}

static int tri(const ctx_t *c, const node_t *map, const char *key, ssr_tri_t *out)
{
	bool v = false, given = false;
	int rc = boolean(c, map, key, &v, &given);
	if (rc == SSR_EOK && given) {
		*out = v ? 1 : 0;
	}
	return rc;
}

/* A list of option codes (at most SSR_REGRESS_MAX_OPTS). */
static int codes(const ctx_t *c, const node_t *map, const char *key, uint16_t *out, unsigned *n)
{
	const node_t *l = get(map, key);
	if (l == NULL) {
		return SSR_EOK;
	}
	int rc = want(c, l, N_SEQ, key);
	if (rc == SSR_EOK && l->n > SSR_REGRESS_MAX_OPTS) {
		rc = err(c, l->line, key, "at most %d codes", SSR_REGRESS_MAX_OPTS);
	}
	for (size_t i = 0; rc == SSR_EOK && i < l->n; i++) {
		char *end;
		const node_t *it = l->kids[i];
		long v = it->kind == N_SCALAR ? strtol(it->val, &end, 0) : -1;
		if (it->kind != N_SCALAR || *end != '\0' || v < 0 || v > 65535) {
			rc = err(c, it->line, key, "an option code from 0 to 65535");
		} else {
			out[(*n)++] = (uint16_t)v;
		}
	}
	return rc;
}

static int query_edns(const ctx_t *c, const node_t *e, ssr_regress_case_t *k)
{
	ssr_probe_query_t *q = &k->q;
	if (e->kind == N_SCALAR) {
		if (strcmp(e->val, "false") == 0 || strcmp(e->val, "no") == 0) {
			q->edns = false;
			return SSR_EOK;
		}
		return err(c, e->line, "edns", "false, or a mapping of EDNS fields");
	}
	static const char *const keys[] = {"version", "bufsize", "do",      "flags",
	                                   "nsid",    "cookie",  "options", NULL};
	int rc = want(c, e, N_MAP, "edns");
	if (rc == SSR_EOK) {
		rc = keys_ok(c, e, "edns", keys);
	}
	long v;
	bool g;
	q->edns = true;
	if (rc == SSR_EOK && (rc = number(c, e, "version", 0, 255, &v, &g)) == SSR_EOK && g) {
		q->edns_version = (uint8_t)v;
	}
	if (rc == SSR_EOK && (rc = number(c, e, "bufsize", 0, 65535, &v, &g)) == SSR_EOK && g) {
		q->edns_bufsize = (uint16_t)v;
	}
	if (rc == SSR_EOK && (rc = number(c, e, "flags", 0, 0x7fff, &v, &g)) == SSR_EOK && g) {
		q->edns_flags = (uint16_t)v;
	}
	if (rc == SSR_EOK) {
		rc = boolean(c, e, "do", &q->edns_do, NULL);
	}
	if (rc == SSR_EOK) {
		rc = boolean(c, e, "nsid", &q->nsid, NULL);
	}
	if (rc == SSR_EOK) {
		rc = boolean(c, e, "cookie", &q->cookie, NULL);
	}
	const node_t *ol = rc == SSR_EOK ? get(e, "options") : NULL;
	if (ol != NULL && (rc = want(c, ol, N_SEQ, "options")) == SSR_EOK &&
	    ol->n > SSR_REGRESS_MAX_OPTS) {
		rc = err(c, ol->line, "options", "at most %d options", SSR_REGRESS_MAX_OPTS);
	}
	for (size_t i = 0; ol != NULL && rc == SSR_EOK && i < ol->n; i++) {
		const node_t *o = ol->kids[i];
		static const char *const okeys[] = {"code", "data", NULL};
		if ((rc = want(c, o, N_MAP, "options")) != SSR_EOK ||
		    (rc = keys_ok(c, o, "an option", okeys)) != SSR_EOK) {
			break;
		}
		long code = -1;
		char data[160] = "";
		size_t len = 0;
		if ((rc = number(c, o, "code", 0, 65535, &code, &g)) == SSR_EOK && !g) {
			rc = err(c, o->line, "code", "missing");
		}
		if (rc == SSR_EOK) {
			rc = text(c, o, "data", false, data, sizeof data);
		}
		if (rc == SSR_EOK &&
		    ssr_hex_decode(data, k->optbuf[i], sizeof k->optbuf[i], &len) != SSR_EOK) {
			rc = err(c, o->line, "data", "hex digits, at most %zu bytes",
			         sizeof k->optbuf[i]);
		}
		if (rc == SSR_EOK) {
			q->opts[q->nopts++] =
			    (ssr_probe_opt_t){(uint16_t)code, (uint16_t)len, k->optbuf[i]};
		}
	}
	return rc;
}

static int query(const ctx_t *c, const node_t *qn, ssr_regress_case_t *k)
{
	static const char *const keys[] = {"name", "type",   "class", "transport",  "rd",
	                                   "cd",   "ad",     "z",     "aa",         "tc",
	                                   "ra",   "opcode", "edns",  "timeout_ms", NULL};
	int rc = want(c, qn, N_MAP, "query");
	if (rc == SSR_EOK) {
		rc = keys_ok(c, qn, "query", keys);
	}
	ssr_probe_query_init(&k->q);
	k->q.qtype = 6; /* SOA */
	snprintf(k->qname, sizeof k->qname, "@");
	if (rc == SSR_EOK) {
		rc = text(c, qn, "name", false, k->qname, sizeof k->qname);
	}
	if (rc == SSR_EOK) {
		rc = rrtype(c, qn, "type", &k->q.qtype);
	}
	const node_t *cl = get(qn, "class");
	if (rc == SSR_EOK && cl != NULL &&
	    ((rc = want(c, cl, N_SCALAR, "class")) != SSR_EOK ||
	     ssr_probe_class_parse(cl->val, &k->q.qclass) != SSR_EOK)) {
		rc = rc != SSR_EOK ? rc : err(c, cl->line, "class", "unknown class '%s'", cl->val);
	}
	char tr[8] = "udp";
	if (rc == SSR_EOK) {
		rc = text(c, qn, "transport", false, tr, sizeof tr);
	}
	if (rc == SSR_EOK && strcmp(tr, "udp") != 0 && strcmp(tr, "tcp") != 0 &&
	    strcmp(tr, "tls") != 0) {
		rc = err(c, get(qn, "transport")->line, "transport", "udp, tcp or tls, not '%s'",
		         tr);
	}
	k->transport = strcmp(tr, "tcp") == 0   ? SSR_PROBE_TCP
	               : strcmp(tr, "tls") == 0 ? SSR_PROBE_TLS
	                                        : SSR_PROBE_UDP;
	const struct {
		const char *key;
		bool *bit;
	} bits[] = {{"rd", &k->q.rd}, {"cd", &k->q.cd}, {"ad", &k->q.ad}, {"z", &k->q.z},
	            {"aa", &k->q.aa}, {"tc", &k->q.tc}, {"ra", &k->q.ra}};
	for (size_t i = 0; rc == SSR_EOK && i < sizeof bits / sizeof bits[0]; i++) {
		rc = boolean(c, qn, bits[i].key, bits[i].bit, NULL);
	}
	long v;
	bool g;
	if (rc == SSR_EOK && (rc = number(c, qn, "opcode", 0, 15, &v, &g)) == SSR_EOK && g) {
		k->q.opcode = (uint8_t)v;
	}
	if (rc == SSR_EOK && (rc = number(c, qn, "timeout_ms", 1, 60000, &v, &g)) == SSR_EOK && g) {
		k->timeout_ms = (unsigned)v;
	}
	const node_t *e = rc == SSR_EOK ? get(qn, "edns") : NULL;
	if (e != NULL) {
		rc = query_edns(c, e, k);
	}
	return rc;
}

/* One section expectation: {type, count} or {type, min, max}; into the arrays of sec (1
 * answer, 2 authority, 3 additional). */
static int answer_one(const ctx_t *c, const node_t *a, ssr_regress_expect_t *x, int sec)
{
	static const char *const ak[] = {"type", "count", "min", "max", NULL};
	long cnt = -1, mn = -1, mx = -1;
	bool gc = false, gmn = false, gmx = false;
	uint16_t type = 0;
	int rc;
	if ((rc = want(c, a, N_MAP, "answer")) == SSR_EOK &&
	    (rc = keys_ok(c, a, "expect.answer", ak)) == SSR_EOK) {
		rc = rrtype(c, a, "type", &type);
	}
	if (rc == SSR_EOK) {
		rc = number(c, a, "count", 0, 65535, &cnt, &gc);
	}
	if (rc == SSR_EOK) {
		rc = number(c, a, "min", 0, 65535, &mn, &gmn);
	}
	if (rc == SSR_EOK) {
		rc = number(c, a, "max", 0, 65535, &mx, &gmx);
	}
	if (rc == SSR_EOK && gc && (gmn || gmx)) {
		rc = err(c, a->line, "count", "count, or min and max, not both");
	}
	if (rc == SSR_EOK && gmn && gmx && mn > mx) {
		rc = err(c, a->line, "min", "min %ld above max %ld", mn, mx);
	}
	__typeof__(x->answer[0]) *arr = sec == 1   ? x->answer
	                                : sec == 2 ? x->authority
	                                           : x->additional;
	unsigned *na = sec == 1 ? &x->nanswer : sec == 2 ? &x->nauthority : &x->nadditional;
	for (unsigned i = 0; rc == SSR_EOK && i < *na; i++) {
		if (arr[i].type == type) {
			rc = err(c, a->line, "type", "the same type expected twice");
		}
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	int lo = gc ? (int)cnt : gmn ? (int)mn : -1;
	int hi = gc ? (int)cnt : gmx ? (int)mx : -1;
	if (!gc && !gmn && !gmx) {
		lo = 1; /* a type alone: at least one record of it */
	}
	arr[*na].type = type;
	arr[*na].min = lo;
	arr[*na].max = hi;
	(*na)++;
	return SSR_EOK;
}

static int expect(const ctx_t *c, const node_t *en, ssr_regress_case_t *k)
{
	static const char *const keys[] = {"rcode",    "flags",      "opt",        "edns",
	                                   "answer",   "authority",  "additional", "proof",
	                                   "size_max", "timeout_ok", NULL};
	ssr_regress_expect_t *x = &k->expect;
	memset(x, 0, sizeof(*x));
	x->rcode = x->edns_version = -1;
	x->aa = x->tc = x->ra = x->z = x->ad = x->cd = x->rd = x->opt = x->do_bit = -1;
	int rc = want(c, en, N_MAP, "expect");
	if (rc == SSR_EOK) {
		rc = keys_ok(c, en, "expect", keys);
	}
	const node_t *n = rc == SSR_EOK ? get(en, "rcode") : NULL;
	if (n != NULL && ((rc = want(c, n, N_SCALAR, "rcode")) != SSR_EOK ||
	                  rcode_of(n->val, &x->rcode) != SSR_EOK)) {
		rc = rc != SSR_EOK ? rc : err(c, n->line, "rcode", "unknown rcode '%s'", n->val);
	}
	const node_t *f = rc == SSR_EOK ? get(en, "flags") : NULL;
	if (f != NULL) {
		static const char *const fk[] = {"aa", "tc", "ra", "z", "ad", "cd", "rd", NULL};
		if ((rc = want(c, f, N_MAP, "flags")) == SSR_EOK &&
		    (rc = keys_ok(c, f, "flags", fk)) == SSR_EOK) {
			ssr_tri_t *t[] = {&x->aa, &x->tc, &x->ra, &x->z, &x->ad, &x->cd, &x->rd};
			for (int i = 0; rc == SSR_EOK && i < 7; i++) {
				rc = tri(c, f, fk[i], t[i]);
			}
		}
	}
	if (rc == SSR_EOK) {
		rc = tri(c, en, "opt", &x->opt);
	}
	if (rc == SSR_EOK) {
		rc = boolean(c, en, "timeout_ok", &x->timeout_ok, NULL);
	}
	const node_t *e = rc == SSR_EOK ? get(en, "edns") : NULL;
	long v;
	bool g;
	if (e != NULL) {
		static const char *const ek[] = {"version", "do",         "mbz",
		                                 "echoed",  "not_echoed", NULL};
		if ((rc = want(c, e, N_MAP, "edns")) == SSR_EOK &&
		    (rc = keys_ok(c, e, "expect.edns", ek)) == SSR_EOK &&
		    (rc = number(c, e, "version", 0, 255, &v, &g)) == SSR_EOK && g) {
			x->edns_version = (int)v;
		}
		if (rc == SSR_EOK) {
			rc = tri(c, e, "do", &x->do_bit);
		}
		if (rc == SSR_EOK && (rc = number(c, e, "mbz", 0, 0xffff, &v, &g)) == SSR_EOK &&
		    g) {
			x->mbz = (uint16_t)v;
		}
		if (rc == SSR_EOK) {
			rc = codes(c, e, "echoed", x->echoed, &x->nechoed);
		}
		if (rc == SSR_EOK) {
			rc = codes(c, e, "not_echoed", x->not_echoed, &x->nnot_echoed);
		}
		if (rc == SSR_EOK && x->opt == 0) {
			rc = err(c, e->line, "edns",
			         "expectations of an OPT record that must be absent");
		}
		if (rc == SSR_EOK) {
			x->opt = 1; /* EDNS expectations need the OPT record */
		}
		for (unsigned i = 0; rc == SSR_EOK && i < x->nechoed; i++) {
			for (unsigned j = 0; j < x->nnot_echoed; j++) {
				if (x->echoed[i] == x->not_echoed[j]) {
					rc = err(c, e->line, "echoed",
					         "option %u both echoed and not", x->echoed[i]);
				}
			}
		}
	}
	static const char *const secs[] = {"answer", "authority", "additional"};
	for (int sec = 1; sec <= 3 && rc == SSR_EOK; sec++) {
		const node_t *a = get(en, secs[sec - 1]);
		if (a != NULL && a->kind == N_SEQ) {
			if (a->n == 0 || a->n > SSR_REGRESS_MAX_ANSWER) {
				rc = err(c, a->line, secs[sec - 1], "from 1 to %d expectations",
				         SSR_REGRESS_MAX_ANSWER);
			}
			for (size_t i = 0; rc == SSR_EOK && i < a->n; i++) {
				rc = answer_one(c, a->kids[i], x, sec);
			}
		} else if (a != NULL) {
			rc = answer_one(c, a, x, sec);
		}
	}
	char proof[16] = "";
	if (rc == SSR_EOK) {
		rc = text(c, en, "proof", false, proof, sizeof proof);
	}
	if (rc == SSR_EOK && proof[0] != '\0') {
		x->proof = -1;
		for (int pk = SSR_PROOF_NXDOMAIN; pk <= SSR_PROOF_NODS; pk++) {
			if (strcmp(proof, ssr_regress_proof_name((ssr_regress_proof_t)pk)) == 0) {
				x->proof = pk;
			}
		}
		if (x->proof < 0) {
			rc = err(c, get(en, "proof")->line, "proof",
			         "nxdomain, nodata, wildcard or nods, not '%s'", proof);
		} else if (!k->q.edns_do) {
			rc = err(c, get(en, "proof")->line, "proof",
			         "a denial proof needs DO set in the query (edns: {do: true})");
		}
	}
	const node_t *s = rc == SSR_EOK ? get(en, "size_max") : NULL;
	if (s != NULL && (rc = want(c, s, N_SCALAR, "size_max")) == SSR_EOK) {
		if (strcmp(s->val, "bufsize") == 0) {
			x->size_max =
			    k->q.edns ? (k->q.edns_bufsize < 512 ? 512u : k->q.edns_bufsize) : 512u;
		} else if ((rc = number(c, en, "size_max", 12, 65535, &v, &g)) == SSR_EOK) {
			x->size_max = (unsigned)v;
		}
	}
	if (rc == SSR_EOK && x->rcode >= 16 && x->opt == 0) {
		rc = err(c, en->line, "rcode",
		         "an extended rcode needs the OPT record the case forbids");
	}
	if (rc == SSR_EOK && x->rcode > 23 && ssr_probe_rcode_name((uint16_t)x->rcode) == NULL &&
	    x->rcode > 4095) {
		rc = err(c, en->line, "rcode", "beyond 12 bits");
	}
	return rc;
}

static bool id_ok(const char *s)
{
	if (*s == '\0') {
		return false;
	}
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.') {
			return false;
		}
	}
	return true;
}

/* A name that must be fully qualified (a trailing dot). */
static int fqdn(const ctx_t *c, const node_t *map, const char *key, bool required, char *out,
                size_t cap)
{
	int rc = text(c, map, key, required, out, cap);
	size_t l = strlen(out);
	if (rc == SSR_EOK && l > 0 && out[l - 1] != '.') {
		rc = err(c, get(map, key)->line, key, "'%s' must end with a dot", out);
	}
	return rc;
}

/* before: the queries sent first (resolver suites). */
static int before(const ctx_t *c, const node_t *bn, ssr_regress_case_t *k)
{
	int rc = want(c, bn, N_SEQ, "before");
	if (rc == SSR_EOK && (bn->n == 0 || bn->n > SSR_REGRESS_MAX_BEFORE)) {
		rc = err(c, bn->line, "before", "from 1 to %d queries", SSR_REGRESS_MAX_BEFORE);
	}
	for (size_t i = 0; rc == SSR_EOK && i < bn->n; i++) {
		ssr_regress_case_t tmp;
		memset(&tmp, 0, sizeof tmp);
		rc = query(c, bn->kids[i], &tmp);
		if (rc == SSR_EOK && (tmp.q.nopts > 0 || tmp.timeout_ms > 0)) {
			rc = err(c, bn->kids[i]->line, "before",
			         "a query sent before takes no options and no timeout");
		}
		if (rc == SSR_EOK) {
			ssr_regress_step_t *st = &k->before[k->nbefore++];
			snprintf(st->qname, sizeof st->qname, "%s", tmp.qname);
			st->q = tmp.q;
			st->transport = tmp.transport;
		}
	}
	return rc;
}

/* upstream: what the resolver must (not) have asked a mock server. */
static int upstream(const ctx_t *c, const node_t *un, ssr_regress_case_t *k)
{
	static const char *const keys[] = {"server",    "under",     "name",      "qtype",
	                                   "transport", "min_count", "max_count", "max_labels",
	                                   "edns",      "prefix",    NULL};
	int rc = want(c, un, N_SEQ, "upstream");
	if (rc == SSR_EOK && (un->n == 0 || un->n > SSR_REGRESS_MAX_UPSTREAM)) {
		rc = err(c, un->line, "upstream", "from 1 to %d expectations",
		         SSR_REGRESS_MAX_UPSTREAM);
	}
	for (size_t i = 0; rc == SSR_EOK && i < un->n; i++) {
		const node_t *e = un->kids[i];
		ssr_regress_upstream_t *u = &k->upstream[k->nupstream];
		memset(u, 0, sizeof(*u));
		u->transport = u->min_count = u->max_count = u->max_labels = -1;
		u->edns = -1;
		if ((rc = want(c, e, N_MAP, "upstream")) == SSR_EOK) {
			rc = keys_ok(c, e, "upstream", keys);
		}
		if (rc == SSR_EOK) {
			rc = text(c, e, "server", true, u->server, sizeof u->server);
		}
		u->exact = get(e, "name") != NULL;
		if (rc == SSR_EOK && u->exact == (get(e, "under") != NULL)) {
			rc = err(c, e->line, "under", "either 'name' or 'under'");
		}
		if (rc == SSR_EOK) {
			rc = fqdn(c, e, u->exact ? "name" : "under", true, u->under,
			          sizeof u->under);
		}
		if (rc == SSR_EOK) {
			rc = rrtype(c, e, "qtype", &u->qtype);
		}
		if (rc == SSR_EOK) {
			rc = text(c, e, "prefix", false, u->prefix, sizeof u->prefix);
		}
		char tr[8] = "";
		if (rc == SSR_EOK) {
			rc = text(c, e, "transport", false, tr, sizeof tr);
		}
		if (rc == SSR_EOK && tr[0] != '\0') {
			if (strcmp(tr, "udp") == 0 || strcmp(tr, "tcp") == 0) {
				u->transport =
				    strcmp(tr, "tcp") == 0 ? SSR_PROBE_TCP : SSR_PROBE_UDP;
			} else {
				rc = err(c, get(e, "transport")->line, "transport",
				         "udp or tcp, not '%s'", tr);
			}
		}
		long v;
		bool g, any = false;
		const char *nk[] = {"min_count", "max_count", "max_labels"};
		int *nv[] = {&u->min_count, &u->max_count, &u->max_labels};
		for (int j = 0; rc == SSR_EOK && j < 3; j++) {
			if ((rc = number(c, e, nk[j], 0, 100000, &v, &g)) == SSR_EOK && g) {
				*nv[j] = (int)v;
				any = true;
			}
		}
		if (rc == SSR_EOK) {
			rc = tri(c, e, "edns", &u->edns);
		}
		if (rc == SSR_EOK && u->edns == 0) {
			rc = err(c, get(e, "edns")->line, "edns",
			         "only 'true' (every query with EDNS)");
		}
		if (rc == SSR_EOK && !any && u->edns < 0) {
			rc = err(c, e->line, "upstream",
			         "nothing expected (min_count, max_count, max_labels or edns)");
		}
		if (rc == SSR_EOK && u->min_count >= 0 && u->max_count >= 0 &&
		    u->min_count > u->max_count) {
			rc = err(c, e->line, "min_count", "min_count %d above max_count %d",
			         u->min_count, u->max_count);
		}
		k->nupstream += rc == SSR_EOK;
	}
	return rc;
}

/* A delegation suite's keys of a case: check and param (a rule instead of a query), ids. */
static int deleg_keys(const ctx_t *c, const node_t *cn, ssr_regress_case_t *k)
{
	static const char *const idkeys[] = {"iana", "zonemaster", "rst", NULL};
	const char *const only[] = {"check", "param", "ids"};
	for (size_t i = 0; i < 3; i++) {
		if (!c->deleg && get(cn, only[i]) != NULL) {
			return err(c, get(cn, only[i])->line, only[i],
			           "only for delegation suites");
		}
	}
	int rc = text(c, cn, "check", false, k->check, sizeof k->check);
	if (rc == SSR_EOK) {
		rc = text(c, cn, "param", false, k->param, sizeof k->param);
	}
	if (rc == SSR_EOK && k->param[0] != '\0' && k->check[0] == '\0') {
		rc = err(c, get(cn, "param")->line, "param", "only with check");
	}
	const char *const qkeys[] = {"query", "expect"};
	for (size_t i = 0; rc == SSR_EOK && k->check[0] != '\0' && i < 2; i++) {
		if (get(cn, qkeys[i]) != NULL) {
			rc = err(c, get(cn, qkeys[i])->line, qkeys[i],
			         "a case is a query or a check, not both");
		}
	}
	const node_t *ids = rc == SSR_EOK ? get(cn, "ids") : NULL;
	if (ids != NULL && (rc = want(c, ids, N_MAP, "ids")) == SSR_EOK &&
	    (rc = keys_ok(c, ids, "ids", idkeys)) == SSR_EOK &&
	    (rc = text(c, ids, "iana", false, k->iana, sizeof k->iana)) == SSR_EOK &&
	    (rc = text(c, ids, "zonemaster", false, k->zonemaster, sizeof k->zonemaster)) ==
	        SSR_EOK) {
		rc = text(c, ids, "rst", false, k->rst, sizeof k->rst);
	}
	return rc;
}

static int one_case(const ctx_t *c, const node_t *cn, ssr_regress_case_t *k)
{
	static const char *const keys[] = {"id",    "title",  "refs",   "tag",      "severity",
	                                   "query", "expect", "before", "upstream", "step",
	                                   "check", "param",  "ids",    NULL};
	int rc = want(c, cn, N_MAP, "cases");
	if (rc == SSR_EOK) {
		rc = keys_ok(c, cn, "a case", keys);
	}
	memset(k, 0, sizeof(*k));
	k->line = cn->line;
	snprintf(k->file, sizeof k->file, "%s", c->path);
	if (rc == SSR_EOK) {
		rc = text(c, cn, "id", true, k->id, sizeof k->id);
	}
	if (rc == SSR_EOK && !id_ok(k->id)) {
		rc = err(c, get(cn, "id")->line, "id", "letters, digits, '-', '_' and '.' only");
	}
	if (rc == SSR_EOK) {
		rc = text(c, cn, "title", true, k->title, sizeof k->title);
	}
	if (rc == SSR_EOK) {
		rc = text(c, cn, "refs", false, k->refs, sizeof k->refs);
	}
	if (rc == SSR_EOK) {
		rc = text(c, cn, "tag", false, k->tag, sizeof k->tag);
	}
	char sev[16] = "error";
	if (rc == SSR_EOK) {
		rc = text(c, cn, "severity", false, sev, sizeof sev);
	}
	if (rc == SSR_EOK) {
		if (strcmp(sev, "error") == 0) {
			k->severity = SSR_SEV_ERROR;
		} else if (strcmp(sev, "warning") == 0) {
			k->severity = SSR_SEV_WARNING;
		} else if (strcmp(sev, "info") == 0) {
			k->severity = SSR_SEV_INFO;
		} else if (c->deleg && strcmp(sev, "critical") == 0) {
			k->severity = SSR_SEV_CRITICAL;
		} else if (c->deleg && strcmp(sev, "notice") == 0) {
			k->severity = SSR_SEV_NOTICE;
		} else {
			rc = err(c, get(cn, "severity")->line, "severity",
			         c->deleg ? "critical, error, warning, notice or info, not '%s'"
			                  : "error, warning or info, not '%s'",
			         sev);
		}
	}
	if (rc == SSR_EOK) {
		rc = deleg_keys(c, cn, k);
	}
	if (rc == SSR_EOK && k->check[0] != '\0') {
		return SSR_EOK; /* a rule, not a query */
	}
	const node_t *q = rc == SSR_EOK ? get(cn, "query") : NULL;
	if (rc == SSR_EOK && q == NULL) {
		rc = err(c, cn->line, "query", "missing");
	}
	if (rc == SSR_EOK) {
		rc = query(c, q, k);
	}
	const node_t *e = rc == SSR_EOK ? get(cn, "expect") : NULL;
	if (rc == SSR_EOK && e == NULL) {
		rc = err(c, cn->line, "expect", "missing");
	}
	if (rc == SSR_EOK) {
		rc = expect(c, e, k);
	}
	const node_t *b = rc == SSR_EOK ? get(cn, "before") : NULL;
	if (b != NULL) {
		rc = before(c, b, k);
	}
	const node_t *u = rc == SSR_EOK ? get(cn, "upstream") : NULL;
	if (u != NULL) {
		rc = upstream(c, u, k);
	}
	if (rc == SSR_EOK && k->expect.opt == 1 && !k->q.edns && k->expect.rcode < 16) {
		/* an OPT back to a query without one is a protocol error (RFC 6891 7) */
		rc = err(c, e->line, "opt", "an OPT record expected for a query without EDNS");
	}
	return rc;
}

/* A file named in a suite: relative to the suite file's directory. */
static int rel_path(const ctx_t *c, const node_t *map, const char *key, char *out, size_t cap)
{
	char v[400] = "";
	int rc = text(c, map, key, true, v, sizeof v);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *slash = strrchr(c->path, '/');
	int w = v[0] == '/' || slash == NULL
	            ? snprintf(out, cap, "%s", v)
	            : snprintf(out, cap, "%.*s/%s", (int)(slash - c->path), c->path, v);
	return w > 0 && (size_t)w < cap ? SSR_EOK
	                                : err(c, get(map, key)->line, key, "path too long");
}

/* hierarchy: the mock servers of a resolver suite, the root's name server and trust anchor. */
static int hierarchy(const ctx_t *c, const node_t *h, ssr_regress_suite_t *out)
{
	static const char *const keys[] = {"root_ns", "trust_anchor", "managed_key",
	                                   "servers", "serve_stale",  NULL};
	static const char *const sk[] = {"name", "address", "zone", "file", "behaviour", NULL};
	int rc = want(c, h, N_MAP, "hierarchy");
	if (rc == SSR_EOK) {
		rc = keys_ok(c, h, "hierarchy", keys);
	}
	if (rc == SSR_EOK) {
		rc = fqdn(c, h, "root_ns", true, out->root_ns, sizeof out->root_ns);
	}
	char ta[600];
	if (rc == SSR_EOK) {
		rc = rel_path(c, h, "trust_anchor", ta, sizeof ta);
	}
	if (rc == SSR_EOK) {
		FILE *f = fopen(ta, "r");
		if (f == NULL || fgets(out->trust_anchor, sizeof out->trust_anchor, f) == NULL) {
			rc = err(c, get(h, "trust_anchor")->line, "trust_anchor",
			         "cannot read '%s'", ta);
		}
		if (f != NULL) {
			fclose(f);
		}
		out->trust_anchor[strcspn(out->trust_anchor, "\r\n")] = '\0';
		unsigned words = 0;
		for (const char *p = out->trust_anchor; rc == SSR_EOK && *p;) {
			p += strspn(p, " \t");
			size_t l = strcspn(p, " \t");
			words += l > 0;
			p += l;
		}
		if (rc == SSR_EOK && words != 4) {
			rc = err(c, get(h, "trust_anchor")->line, "trust_anchor",
			         "'%s' does not hold 'TAG ALG DIGESTTYPE DIGEST'", ta);
		}
	}
	if (rc == SSR_EOK && get(h, "managed_key") != NULL) {
		char mk[600];
		rc = rel_path(c, h, "managed_key", mk, sizeof mk);
		FILE *f = rc == SSR_EOK ? fopen(mk, "r") : NULL;
		if (rc == SSR_EOK &&
		    (f == NULL || fgets(out->managed_key, sizeof out->managed_key, f) == NULL)) {
			rc = err(c, get(h, "managed_key")->line, "managed_key", "cannot read '%s'",
			         mk);
		}
		if (f != NULL) {
			fclose(f);
		}
		out->managed_key[strcspn(out->managed_key, "\r\n")] = '\0';
		unsigned fl, pr, al;
		char key[1024];
		if (rc == SSR_EOK &&
		    sscanf(out->managed_key, "%u %u %u %1023s", &fl, &pr, &al, key) != 4) {
			rc = err(c, get(h, "managed_key")->line, "managed_key",
			         "'%s' does not hold 'FLAGS PROTOCOL ALGORITHM KEY'", mk);
		}
	}
	if (rc == SSR_EOK) {
		rc = boolean(c, h, "serve_stale", &out->serve_stale, NULL);
	}
	const node_t *sv = rc == SSR_EOK ? get(h, "servers") : NULL;
	if (rc == SSR_EOK && sv == NULL) {
		rc = err(c, h->line, "servers", "missing");
	}
	if (rc == SSR_EOK && (rc = want(c, sv, N_SEQ, "servers")) == SSR_EOK &&
	    (sv->n == 0 || sv->n > 64)) {
		rc = err(c, sv->line, "servers", "from 1 to 64 servers");
	}
	if (rc == SSR_EOK && (out->servers = calloc(sv->n, sizeof(*out->servers))) == NULL) {
		rc = ssr_diag_set(c->diag, SSR_ENOMEM, "regress '%s': out of memory", c->path);
	}
	bool root = false;
	for (size_t i = 0; rc == SSR_EOK && i < sv->n; i++) {
		const node_t *e = sv->kids[i];
		ssr_regress_mock_server_t *m = &out->servers[i];
		if ((rc = want(c, e, N_MAP, "servers")) == SSR_EOK) {
			rc = keys_ok(c, e, "a server", sk);
		}
		if (rc == SSR_EOK) {
			rc = text(c, e, "name", true, m->name, sizeof m->name);
		}
		if (rc == SSR_EOK && !id_ok(m->name)) {
			rc = err(c, get(e, "name")->line, "name",
			         "letters, digits, '-', '_', '.' only");
		}
		if (rc == SSR_EOK) {
			rc = text(c, e, "address", true, m->addr, sizeof m->addr);
		}
		struct in_addr ia;
		if (rc == SSR_EOK &&
		    (inet_pton(AF_INET, m->addr, &ia) != 1 || (ntohl(ia.s_addr) >> 24) != 127)) {
			rc = err(c, get(e, "address")->line, "address",
			         "'%s' is not an IPv4 loopback address", m->addr);
		}
		if (rc == SSR_EOK) {
			rc = fqdn(c, e, "zone", true, m->zone, sizeof m->zone);
		}
		if (rc == SSR_EOK) {
			rc = rel_path(c, e, "file", m->file, sizeof m->file);
		}
		char beh[32] = "normal";
		if (rc == SSR_EOK) {
			rc = text(c, e, "behaviour", false, beh, sizeof beh);
		}
		if (rc == SSR_EOK) {
			m->behaviour = strcmp(beh, "truncate-udp") == 0 ? SSR_MOCK_TRUNCATE_UDP
			               : strcmp(beh, "drop") == 0       ? SSR_MOCK_DROP
			                                                : SSR_MOCK_NORMAL;
			if (m->behaviour == SSR_MOCK_NORMAL && strcmp(beh, "normal") != 0) {
				rc = err(c, get(e, "behaviour")->line, "behaviour",
				         "normal, truncate-udp or drop, not '%s'", beh);
			}
		}
		for (size_t j = 0; rc == SSR_EOK && j < i; j++) {
			if (strcmp(out->servers[j].name, m->name) == 0 ||
			    strcmp(out->servers[j].addr, m->addr) == 0) {
				rc = err(c, e->line, "name",
				         "server '%s' or address '%s' given twice", m->name,
				         m->addr);
			}
		}
		root |= rc == SSR_EOK && strcmp(m->zone, ".") == 0;
		out->nservers += rc == SSR_EOK;
	}
	if (rc == SSR_EOK && !root) {
		rc = err(c, sv->line, "servers", "no server of the root zone '.'");
	}
	return rc;
}

/* The root's address for the hints: its server's. */
const char *ssr_regress_suite_root_addr(const ssr_regress_suite_t *s)
{
	for (size_t i = 0; i < s->nservers; i++) {
		if (strcmp(s->servers[i].zone, ".") == 0) {
			return s->servers[i].addr;
		}
	}
	return NULL;
}

/* Whether the suite's hierarchy has a mock server of that name. */
static bool has_server(const ssr_regress_suite_t *s, const char *name)
{
	for (size_t j = 0; j < s->nservers; j++) {
		if (strcmp(s->servers[j].name, name) == 0) {
			return true;
		}
	}
	return false;
}

/* "31d", "12h", "90m", "30s", "0": seconds. */
static bool duration(const char *v, int64_t *out)
{
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || n < 0 || n > 3650LL * 86400) {
		return false;
	}
	long long mul = *end == 'd' ? 86400 : *end == 'h' ? 3600 : *end == 'm' ? 60 : 1;
	if (*end != '\0' && (strchr("dhms", *end) == NULL || end[1] != '\0')) {
		return false;
	}
	*out = (int64_t)(n * mul);
	return *out <= 3650LL * 86400;
}

/* timeline: the steps after the start (a resolver suite with a hierarchy). */
static int timeline(const ctx_t *c, const node_t *tl, ssr_regress_suite_t *out)
{
	static const char *const keys[] = {"name", "after", "files", "behaviours", NULL};
	int rc = want(c, tl, N_SEQ, "timeline");
	if (rc == SSR_EOK && (tl->n == 0 || tl->n > 32)) {
		rc = err(c, tl->line, "timeline", "from 1 to 32 steps");
	}
	if (rc == SSR_EOK && (out->steps = calloc(tl->n, sizeof(*out->steps))) == NULL) {
		rc = ssr_diag_set(c->diag, SSR_ENOMEM, "regress '%s': out of memory", c->path);
	}
	for (size_t i = 0; rc == SSR_EOK && i < tl->n; i++) {
		const node_t *e = tl->kids[i];
		ssr_regress_step_def_t *st = &out->steps[i];
		if ((rc = want(c, e, N_MAP, "timeline")) == SSR_EOK) {
			rc = keys_ok(c, e, "a step", keys);
		}
		if (rc == SSR_EOK) {
			rc = text(c, e, "name", true, st->name, sizeof st->name);
		}
		if (rc == SSR_EOK && (!id_ok(st->name) || strcmp(st->name, "start") == 0)) {
			rc = err(c, get(e, "name")->line, "name",
			         "letters, digits, '-', '_', '.' only, and not 'start'");
		}
		for (size_t j = 0; rc == SSR_EOK && j < i; j++) {
			if (strcmp(out->steps[j].name, st->name) == 0) {
				rc = err(c, get(e, "name")->line, "name", "step '%s' given twice",
				         st->name);
			}
		}
		char after[32] = "0";
		if (rc == SSR_EOK) {
			rc = text(c, e, "after", false, after, sizeof after);
		}
		if (rc == SSR_EOK && !duration(after, &st->after)) {
			rc = err(c, get(e, "after")->line, "after",
			         "a duration (30s, 90m, 12h, 31d) up to 10 years, not '%s'", after);
		}
		const node_t *f = rc == SSR_EOK ? get(e, "files") : NULL;
		if (f != NULL && (rc = want(c, f, N_MAP, "files")) == SSR_EOK &&
		    f->n / 2 > SSR_REGRESS_MAX_SWAPS) {
			rc = err(c, f->line, "files", "at most %d servers", SSR_REGRESS_MAX_SWAPS);
		}
		for (size_t k = 0; f != NULL && rc == SSR_EOK && k < f->n; k += 2) {
			const node_t *key = f->kids[k];
			if (!has_server(out, key->val)) {
				rc = err(c, key->line, key->val, "no mock server of that name");
			}
			if (rc == SSR_EOK) {
				snprintf(st->swap[st->nswap].server, sizeof st->swap[0].server,
				         "%s", key->val);
				rc = rel_path(c, f, key->val, st->swap[st->nswap].file,
				              sizeof st->swap[0].file);
			}
			st->nswap += rc == SSR_EOK;
		}
		const node_t *bh = rc == SSR_EOK ? get(e, "behaviours") : NULL;
		if (bh != NULL && (rc = want(c, bh, N_MAP, "behaviours")) == SSR_EOK &&
		    bh->n / 2 > SSR_REGRESS_MAX_SWAPS) {
			rc = err(c, bh->line, "behaviours", "at most %d servers",
			         SSR_REGRESS_MAX_SWAPS);
		}
		for (size_t k = 0; bh != NULL && rc == SSR_EOK && k < bh->n; k += 2) {
			const node_t *key = bh->kids[k], *val = bh->kids[k + 1];
			bool known = has_server(out, key->val);
			int b = val->kind != N_SCALAR                   ? -1
			        : strcmp(val->val, "normal") == 0       ? SSR_MOCK_NORMAL
			        : strcmp(val->val, "truncate-udp") == 0 ? SSR_MOCK_TRUNCATE_UDP
			        : strcmp(val->val, "drop") == 0         ? SSR_MOCK_DROP
			                                                : -1;
			if (!known) {
				rc = err(c, key->line, key->val, "no mock server of that name");
			} else if (b < 0) {
				rc = err(c, val->line, key->val, "normal, truncate-udp or drop");
			} else {
				snprintf(st->turn[st->nturn].server, sizeof st->turn[0].server,
				         "%s", key->val);
				st->turn[st->nturn++].behaviour = b;
			}
		}
		out->nsteps += rc == SSR_EOK;
	}
	return rc;
}

int ssr_regress_suite_read(const char *path, ssr_regress_suite_t *out, ssr_diag_t *diag)
{
	memset(out, 0, sizeof(*out));
	ctx_t c = {path, diag, false};
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		int e = errno;
		return ssr_diag_set(diag, e == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "regress '%s': cannot open: %s", path, strerror(e));
	}
	unsigned char *buf = malloc(MAX_FILE + 1);
	size_t len = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
	int rdErr = ferror(f);
	fclose(f);
	if (buf == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "regress '%s': out of memory", path);
	}
	if (rdErr) {
		free(buf);
		return ssr_diag_set(diag, SSR_EIO, "regress '%s': read error", path);
	}
	if (len > MAX_FILE) {
		free(buf);
		return ssr_diag_set(diag, SSR_ELIMIT, "regress '%s': larger than %u bytes", path,
		                    MAX_FILE);
	}
	node_t *root = NULL;
	int rc = load_tree(&c, buf, len, &root);
	free(buf);
	static const char *const keys[] = {"suite",    "title", "kind",    "hierarchy",
	                                   "timeline", "cases", "version", NULL};
	if (rc == SSR_EOK) {
		rc = want(&c, root, N_MAP, "(document)");
	}
	if (rc == SSR_EOK) {
		rc = keys_ok(&c, root, "the suite", keys);
	}
	snprintf(out->file, sizeof out->file, "%s", path);
	if (rc == SSR_EOK) {
		rc = text(&c, root, "suite", true, out->name, sizeof out->name);
	}
	if (rc == SSR_EOK) {
		rc = text(&c, root, "title", false, out->title, sizeof out->title);
	}
	if (rc == SSR_EOK) {
		rc = text(&c, root, "kind", true, out->kind, sizeof out->kind);
	}
	if (rc == SSR_EOK && strcmp(out->kind, "authoritative") != 0 &&
	    strcmp(out->kind, "resolver") != 0 && strcmp(out->kind, "delegation") != 0) {
		rc = err(&c, get(root, "kind")->line, "kind",
		         "authoritative, resolver or delegation, not '%s'", out->kind);
	}
	c.deleg = rc == SSR_EOK && strcmp(out->kind, "delegation") == 0;
	if (rc == SSR_EOK) {
		rc = text(&c, root, "version", false, out->version, sizeof out->version);
	}
	const node_t *h = rc == SSR_EOK ? get(root, "hierarchy") : NULL;
	bool resolver = rc == SSR_EOK && strcmp(out->kind, "resolver") == 0;
	if (rc == SSR_EOK && resolver && h == NULL) {
		rc = err(&c, root->line, "hierarchy", "missing (a resolver suite needs one)");
	} else if (rc == SSR_EOK && !resolver && h != NULL) {
		rc = err(&c, h->line, "hierarchy", "only for resolver suites");
	} else if (rc == SSR_EOK && h != NULL) {
		rc = hierarchy(&c, h, out);
	}
	const node_t *tl = rc == SSR_EOK ? get(root, "timeline") : NULL;
	if (tl != NULL && !resolver) {
		rc = err(&c, tl->line, "timeline", "only for resolver suites");
	} else if (tl != NULL) {
		rc = timeline(&c, tl, out);
	}
	const node_t *cases = rc == SSR_EOK ? get(root, "cases") : NULL;
	if (rc == SSR_EOK && cases == NULL) {
		rc = err(&c, root->line, "cases", "missing");
	}
	if (rc == SSR_EOK && (rc = want(&c, cases, N_SEQ, "cases")) == SSR_EOK &&
	    (cases->n == 0 || cases->n > MAX_CASES)) {
		rc = err(&c, cases->line, "cases", "from 1 to %d cases", MAX_CASES);
	}
	if (rc == SSR_EOK && (out->cases = calloc(cases->n, sizeof(*out->cases))) == NULL) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "regress '%s': out of memory", path);
	}
	for (size_t i = 0; rc == SSR_EOK && i < cases->n; i++) {
		rc = one_case(&c, cases->kids[i], &out->cases[i]);
		ssr_regress_case_t *k = &out->cases[i];
		const node_t *stn = rc == SSR_EOK ? get(cases->kids[i], "step") : NULL;
		if (stn != NULL && (rc = want(&c, stn, N_SCALAR, "step")) == SSR_EOK &&
		    strcmp(stn->val, "start") != 0) {
			k->step = 0;
			for (size_t j = 0; j < out->nsteps; j++) {
				if (strcmp(out->steps[j].name, stn->val) == 0) {
					k->step = (unsigned)j + 1;
				}
			}
			if (k->step == 0) {
				rc = err(&c, stn->line, "step", "no step '%s' in the timeline",
				         stn->val);
			}
		}
		for (unsigned u = 0; rc == SSR_EOK && u < k->nupstream; u++) {
			if (!has_server(out, k->upstream[u].server)) {
				rc = err(&c, cases->kids[i]->line, "upstream",
				         "no mock server '%s' in the hierarchy",
				         k->upstream[u].server);
			}
		}
		if (rc == SSR_EOK && !resolver && (k->nbefore > 0 || k->nupstream > 0)) {
			rc = err(&c, cases->kids[i]->line, k->nbefore ? "before" : "upstream",
			         "only for resolver suites");
		}
		for (size_t j = 0; rc == SSR_EOK && j < i; j++) {
			if (strcmp(out->cases[j].id, out->cases[i].id) == 0) {
				rc = err(&c, cases->kids[i]->line, "id", "'%s' already at line %u",
				         out->cases[i].id, out->cases[j].line);
			}
		}
		out->ncases = i + 1;
	}
	node_free(root);
	if (rc != SSR_EOK) {
		ssr_regress_suite_release(out);
	}
	return rc;
}

const char *ssr_regress_sev_name(ssr_regress_sev_t s)
{
	switch (s) {
	case SSR_SEV_CRITICAL:
		return "critical";
	case SSR_SEV_ERROR:
		return "error";
	case SSR_SEV_WARNING:
		return "warning";
	case SSR_SEV_NOTICE:
		return "notice";
	default:
		return "info";
	}
}

void ssr_regress_suite_release(ssr_regress_suite_t *s)
{
	free(s->steps);
	s->steps = NULL;
	s->nsteps = 0;
	free(s->servers);
	s->servers = NULL;
	s->nservers = 0;
	free(s->cases);
	s->cases = NULL;
	s->ncases = 0;
}
