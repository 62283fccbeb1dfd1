/* libescrow: the streaming XML side.  libxml2's SAX2 push parser (optionally with XML Schema
 * validation plugged into the same event stream) feeds a small state machine that assembles one
 * RFC 9022 object at a time and hands it to the caller.  No tree, no DTD, no entity expansion. */
#include <libxml/parser.h>
#include <pthread.h>
#include <libxml/xmlschemas.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow_priv.h"

#define NS_RDE "urn:ietf:params:xml:ns:rde-1.0"

static const char *const kind_uris[SSR_ESCROW_NKINDS] = {
    "urn:ietf:params:xml:ns:rdeDomain-1.0",    "urn:ietf:params:xml:ns:rdeHost-1.0",
    "urn:ietf:params:xml:ns:rdeContact-1.0",   "urn:ietf:params:xml:ns:rdeRegistrar-1.0",
    "urn:ietf:params:xml:ns:rdeIDN-1.0",       "urn:ietf:params:xml:ns:rdeNNDN-1.0",
    "urn:ietf:params:xml:ns:rdeEppParams-1.0", "urn:ietf:params:xml:ns:rdePolicy-1.0",
    "urn:ietf:params:xml:ns:rdeHeader-1.0",
};
static const char *const kind_names[SSR_ESCROW_NKINDS] = {
    "domain", "host", "contact", "registrar", "idn", "nndn", "eppParams", "policy", "header",
};
/* the element of each kind in <rde:contents> */
static const char *const kind_elems[SSR_ESCROW_NKINDS] = {
    "domain", "host",      "contact", "registrar", "idnTableRef",
    "NNDN",   "eppParams", "policy",  "header",
};

const char *ssr_escrow_kind_name(ssr_escrow_kind_t k)
{
	return (unsigned)k < SSR_ESCROW_NKINDS ? kind_names[k] : "?";
}

const char *ssr_escrow_kind_uri(ssr_escrow_kind_t k)
{
	return (unsigned)k < SSR_ESCROW_NKINDS ? kind_uris[k] : "?";
}

int ssr_escrow_kind_of_uri(const char *uri)
{
	for (int k = 0; k < SSR_ESCROW_NKINDS; k++) {
		if (uri && strcmp(uri, kind_uris[k]) == 0) {
			return k;
		}
	}
	return -1;
}

typedef enum { AT_NONE = 0, AT_MENU, AT_CONTENTS, AT_DELETES } area_t;

/* XML Schema validation in a second thread: a parser of its own with the schema plugged in and
 * nothing else, fed copies of the same chunks through a bounded queue.  The main parser (the
 * objects and the checks) and the schema pass then run side by side; the schema's errors are
 * handed to the caller, in the caller's thread, when the document ends. */
#define SW_QUEUE 8
#define SW_KEEP  64

typedef struct {
	uint8_t *buf;
	size_t len;
	bool end;
} sw_chunk_t;

typedef struct {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	sw_chunk_t q[SW_QUEUE];
	unsigned head, count;
	bool running, done;
	/* the worker's */
	xmlParserCtxtPtr ctxt;
	xmlSAXHandler sax;
	xmlSchemaValidCtxtPtr vctxt;
	xmlSchemaSAXPlugPtr plug;
	const char *member;
	uint64_t errors;
	struct {
		uint64_t line;
		char msg[300];
	} kept[SW_KEEP];
	unsigned nkept;
} sw_t;

struct escrow_xml {
	sw_t *sw;
	xmlParserCtxtPtr ctxt;
	xmlSAXHandler sax;
	xmlSchemaPtr schema;
	xmlSchemaParserCtxtPtr sp;
	xmlSchemaValidCtxtPtr vctxt;
	xmlSchemaSAXPlugPtr plug;
	const ssr_escrow_read_opts_t *o;
	ssr_escrow_fn fn;
	ssr_escrow_read_stats_t *st;
	char member[256];
	int rc;        /* first error (a callback's, a cap) */
	char err[512]; /* its message */
	unsigned depth;
	area_t area;
	bool in_deposit, seen_root, started;
	/* the element names of the open path (only the object part is kept) */
	char names[SSR_ESCROW_MAX_DEPTH][24];
	/* text of the current element */
	char *text;
	size_t tlen;
	bool text_over;
	/* the current object */
	int kind; /* -1 none; SSR_ESCROW_NKINDS: an unknown content element */
	int del_kind;
	uint64_t obj_line;
	char obj_uri[128], obj_local[64];
	char *buf; /* object strings */
	size_t used;
	ssr_escrow_deposit_t dep;
	union {
		ssr_escrow_domain_t domain;
		ssr_escrow_host_t host;
		ssr_escrow_contact_t contact;
		ssr_escrow_registrar_t registrar;
		ssr_escrow_idn_t idn;
		ssr_escrow_nndn_t nndn;
		ssr_escrow_eppparams_t epp;
		ssr_escrow_policy_t policy;
		ssr_escrow_header_t header;
	} obj;
	ssr_escrow_ds_t *ds;          /* the dsData being read */
	ssr_escrow_hostattr_t *hattr; /* the hostAttr being read */
	bool hattr_addr_v6;           /* ip attribute of the hostAddr / addr being read */
	const char *pending_attr;     /* a type/s attribute kept for the element's end */
};

static uint64_t cur_line(escrow_xml_t *x)
{
	return x->ctxt ? (uint64_t)xmlSAX2GetLineNumber(x->ctxt) : 0;
}

static void fail(escrow_xml_t *x, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(escrow_xml_t *x, int rc, const char *fmt, ...)
{
	if (x->rc == SSR_EOK) {
		x->rc = rc;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(x->err, sizeof x->err, fmt, ap);
		va_end(ap);
	}
	if (x->ctxt) {
		xmlStopParser(x->ctxt);
	}
}

/* A copy of s (n bytes) in the object buffer; NULL (and the parser stopped) past the cap. */
static const char *keep(escrow_xml_t *x, const char *s, size_t n)
{
	if (x->used + n + 1 > SSR_ESCROW_MAX_OBJECT) {
		fail(x, SSR_ELIMIT, "'%s' line %llu: an object larger than %d bytes", x->member,
		     (unsigned long long)cur_line(x), SSR_ESCROW_MAX_OBJECT);
		return NULL;
	}
	char *d = x->buf + x->used;
	memcpy(d, s, n);
	d[n] = '\0';
	x->used += n + 1;
	return d;
}

/* The text collapsed as xsd:token: leading and trailing white space removed. */
static const char *text_token(escrow_xml_t *x)
{
	const char *s = x->text;
	size_t n = x->tlen;
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) {
		n--;
	}
	return keep(x, s, n);
}

static const char *attr(escrow_xml_t *x, int nb, const xmlChar **attrs, const char *name)
{
	for (int i = 0; i < nb; i++) {
		const xmlChar **a = attrs + 5 * i;
		if (strcmp((const char *)a[0], name) == 0) {
			return keep(x, (const char *)a[3], (size_t)(a[4] - a[3]));
		}
	}
	return NULL;
}

/* Append v to a bounded list. */
static void push(escrow_xml_t *x, const char **list, unsigned *n, unsigned cap, const char *v,
                 const char *what)
{
	if (!v) {
		return;
	}
	if (*n >= cap) {
		fail(x, SSR_ELIMIT, "'%s' line %llu: more than %u %s in one object", x->member,
		     (unsigned long long)cur_line(x), cap, what);
		return;
	}
	list[(*n)++] = v;
}

static void deliver(escrow_xml_t *x, ssr_escrow_event_t *e)
{
	if (x->rc != SSR_EOK) {
		return;
	}
	e->member = x->member;
	int rc = x->fn(e, x->o->ctx);
	if (rc != SSR_EOK) {
		fail(x, rc, "'%s' line %llu: stopped by the caller", x->member,
		     (unsigned long long)e->line);
	}
}

static void begin_object(escrow_xml_t *x, int kind, const char *uri, const char *local)
{
	x->kind = kind;
	x->obj_line = cur_line(x);
	snprintf(x->obj_uri, sizeof x->obj_uri, "%s", uri ? uri : "");
	snprintf(x->obj_local, sizeof x->obj_local, "%s", local);
	x->used = 0;
	memset(&x->obj, 0, sizeof x->obj);
	x->ds = NULL;
	x->hattr = NULL;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes)
{
	(void)prefix;
	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;
	escrow_xml_t *x = ctx;
	const char *local = (const char *)localname, *uri = (const char *)URI;
	if (x->rc != SSR_EOK) {
		return;
	}
	if (x->depth >= SSR_ESCROW_MAX_DEPTH) {
		fail(x, SSR_ELIMIT, "'%s' line %llu: elements nested deeper than %d", x->member,
		     (unsigned long long)cur_line(x), SSR_ESCROW_MAX_DEPTH);
		return;
	}
	unsigned d = ++x->depth;
	snprintf(x->names[d - 1], sizeof x->names[0], "%s", local);
	x->tlen = 0;
	x->text_over = false;
	if (d == 1) {
		x->seen_root = true;
		x->in_deposit = uri && strcmp(uri, NS_RDE) == 0 && strcmp(local, "deposit") == 0;
		if (!x->in_deposit) {
			return;
		}
		x->used = 0;
		memset(&x->dep, 0, sizeof x->dep);
		x->dep.line = cur_line(x);
		x->dep.watermark_t = INT64_MIN;
		const char *type = attr(x, nb_attributes, attributes, "type");
		x->dep.type = type && strcmp(type, "DIFF") == 0   ? SSR_ESCROW_DIFF
		              : type && strcmp(type, "INCR") == 0 ? SSR_ESCROW_INCR
		                                                  : SSR_ESCROW_FULL;
		x->dep.id = attr(x, nb_attributes, attributes, "id");
		x->dep.prev_id = attr(x, nb_attributes, attributes, "prevId");
		const char *rs = attr(x, nb_attributes, attributes, "resend");
		if (rs) {
			char *end;
			unsigned long v = strtoul(rs, &end, 10);
			x->dep.resend = (*end == '\0' && v <= 65535) ? (unsigned)v : 0;
		}
		return;
	}
	if (!x->in_deposit) {
		return;
	}
	if (d == 2) {
		x->area = strcmp(local, "rdeMenu") == 0    ? AT_MENU
		          : strcmp(local, "contents") == 0 ? AT_CONTENTS
		          : strcmp(local, "deletes") == 0  ? AT_DELETES
		                                           : AT_NONE;
		if (x->area == AT_CONTENTS || x->area == AT_DELETES) {
			if (!x->started) {
				/* the deposit event goes out before the first object */
				x->started = true;
				ssr_escrow_event_t e = {.ev = SSR_ESCROW_EV_DEPOSIT,
				                        .line = x->dep.line};
				e.u.deposit = &x->dep;
				deliver(x, &e);
			}
		}
		return;
	}
	if (d == 3 && x->area == AT_CONTENTS) {
		int k = ssr_escrow_kind_of_uri(uri);
		if (k >= 0 && strcmp(local, kind_elems[k]) != 0) {
			k = -1;
		}
		begin_object(x, k >= 0 ? k : SSR_ESCROW_NKINDS, uri, local);
		if (k == SSR_ESCROW_IDN) {
			x->obj.idn.id = attr(x, nb_attributes, attributes, "id");
		} else if (k == SSR_ESCROW_POLICY) {
			x->obj.policy.scope = attr(x, nb_attributes, attributes, "scope");
			x->obj.policy.element = attr(x, nb_attributes, attributes, "element");
		}
		return;
	}
	if (d == 3 && x->area == AT_DELETES) {
		int k = ssr_escrow_kind_of_uri(uri);
		x->del_kind = (k >= 0 && strcmp(local, "delete") == 0) ? k : -1;
		x->obj_line = cur_line(x);
		if (x->del_kind < 0) {
			ssr_escrow_event_t e = {.ev = SSR_ESCROW_EV_OTHER,
			                        .line = x->obj_line,
			                        .uri = uri,
			                        .local = local};
			deliver(x, &e);
		}
		return;
	}
	if (d < 4 || x->area != AT_CONTENTS || x->kind < 0) {
		return;
	}
	/* inside an object: attributes the object keeps */
	const char *parent = x->names[d - 2];
	switch (x->kind) {
	case SSR_ESCROW_DOMAIN:
		if (d == 4 && strcmp(local, "status") == 0) {
			push(x, x->obj.domain.status, &x->obj.domain.nstatus, SSR_ESCROW_MAX_LIST,
			     attr(x, nb_attributes, attributes, "s"), "status values");
		} else if (d == 4 && strcmp(local, "contact") == 0) {
			x->pending_attr = attr(x, nb_attributes, attributes, "type");
		} else if (d == 6 && strcmp(parent, "secDNS") == 0) {
			/* not reached: dsData is at depth 5 */
		} else if (d == 5 && strcmp(parent, "secDNS") == 0 &&
		           strcmp(local, "dsData") == 0) {
			if (x->obj.domain.nds >= SSR_ESCROW_MAX_LIST) {
				fail(x, SSR_ELIMIT, "'%s' line %llu: more than %d DS in one domain",
				     x->member, (unsigned long long)cur_line(x),
				     SSR_ESCROW_MAX_LIST);
				return;
			}
			x->ds = &x->obj.domain.ds[x->obj.domain.nds++];
		} else if (d == 5 && strcmp(parent, "secDNS") == 0 &&
		           strcmp(local, "keyData") == 0) {
			x->obj.domain.nkeydata++;
		} else if (d == 5 && strcmp(parent, "ns") == 0 && strcmp(local, "hostAttr") == 0) {
			if (x->obj.domain.nhost_attr >= 16) {
				fail(x, SSR_ELIMIT,
				     "'%s' line %llu: more than 16 hostAttr in one domain",
				     x->member, (unsigned long long)cur_line(x));
				return;
			}
			x->hattr = &x->obj.domain.host_attr[x->obj.domain.nhost_attr++];
		} else if (d == 6 && strcmp(local, "hostAddr") == 0) {
			const char *ip = attr(x, nb_attributes, attributes, "ip");
			x->hattr_addr_v6 = ip && strcmp(ip, "v6") == 0;
		}
		break;
	case SSR_ESCROW_HOST:
		if (d == 4 && strcmp(local, "status") == 0) {
			push(x, x->obj.host.status, &x->obj.host.nstatus, SSR_ESCROW_MAX_LIST,
			     attr(x, nb_attributes, attributes, "s"), "status values");
		} else if (d == 4 && strcmp(local, "addr") == 0) {
			const char *ip = attr(x, nb_attributes, attributes, "ip");
			x->hattr_addr_v6 = ip && strcmp(ip, "v6") == 0;
		}
		break;
	case SSR_ESCROW_CONTACT:
		if (d == 4 && strcmp(local, "status") == 0) {
			push(x, x->obj.contact.status, &x->obj.contact.nstatus, SSR_ESCROW_MAX_LIST,
			     attr(x, nb_attributes, attributes, "s"), "status values");
		} else if (d == 4 && strcmp(local, "postalInfo") == 0) {
			if (x->obj.contact.npostal >= 4) {
				fail(x, SSR_ELIMIT,
				     "'%s' line %llu: more than 4 postalInfo in one contact",
				     x->member, (unsigned long long)cur_line(x));
				return;
			}
			x->obj.contact.postal_types[x->obj.contact.npostal++] =
			    attr(x, nb_attributes, attributes, "type");
		}
		break;
	case SSR_ESCROW_HEADER:
		if (d == 4 && strcmp(local, "count") == 0) {
			x->pending_attr = attr(x, nb_attributes, attributes, "uri");
		}
		break;
	default:
		break;
	}
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
	escrow_xml_t *x = ctx;
	if (x->rc != SSR_EOK || len <= 0 || !x->in_deposit) {
		return;
	}
	if (x->tlen + (size_t)len > SSR_ESCROW_MAX_TEXT) {
		if (!x->text_over) {
			x->text_over = true;
			fail(x, SSR_ELIMIT, "'%s' line %llu: element text longer than %d bytes",
			     x->member, (unsigned long long)cur_line(x), SSR_ESCROW_MAX_TEXT);
		}
		return;
	}
	memcpy(x->text + x->tlen, ch, (size_t)len);
	x->tlen += (size_t)len;
}

static unsigned to_uint(const char *s)
{
	if (!s || !*s) {
		return 0;
	}
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	return (*end == '\0' && v <= 0xffffffffu) ? (unsigned)v : 0;
}

static void end_domain(escrow_xml_t *x, unsigned d, const char *local, const char *parent)
{
	ssr_escrow_domain_t *o = &x->obj.domain;
	if (d == 4) {
		if (strcmp(local, "name") == 0) {
			o->name = text_token(x);
		} else if (strcmp(local, "roid") == 0) {
			o->roid = text_token(x);
		} else if (strcmp(local, "uName") == 0) {
			o->uname = text_token(x);
		} else if (strcmp(local, "idnTableId") == 0) {
			o->idn_table = text_token(x);
		} else if (strcmp(local, "originalName") == 0) {
			o->original_name = text_token(x);
		} else if (strcmp(local, "registrant") == 0) {
			o->registrant = text_token(x);
		} else if (strcmp(local, "contact") == 0) {
			if (o->ncontacts >= SSR_ESCROW_MAX_LIST) {
				fail(x, SSR_ELIMIT,
				     "'%s' line %llu: more than %d contacts in one domain",
				     x->member, (unsigned long long)cur_line(x),
				     SSR_ESCROW_MAX_LIST);
				return;
			}
			o->contacts[o->ncontacts].type = x->pending_attr;
			o->contacts[o->ncontacts++].id = text_token(x);
			x->pending_attr = NULL;
		} else if (strcmp(local, "clID") == 0) {
			o->clid = text_token(x);
		} else if (strcmp(local, "crRr") == 0) {
			o->crrr = text_token(x);
		} else if (strcmp(local, "upRr") == 0) {
			o->uprr = text_token(x);
		} else if (strcmp(local, "crDate") == 0) {
			o->crdate = text_token(x);
		} else if (strcmp(local, "exDate") == 0) {
			o->exdate = text_token(x);
		} else if (strcmp(local, "upDate") == 0) {
			o->update = text_token(x);
		}
	} else if (d == 5 && strcmp(parent, "ns") == 0 && strcmp(local, "hostObj") == 0) {
		push(x, o->host_obj, &o->nhost_obj, SSR_ESCROW_MAX_LIST, text_token(x),
		     "name servers");
	} else if (d == 5 && strcmp(parent, "trnData") == 0) {
		if (strcmp(local, "reRr") == 0) {
			o->rerr = text_token(x);
		} else if (strcmp(local, "acRr") == 0) {
			o->acrr = text_token(x);
		}
	} else if (d == 5 && strcmp(parent, "secDNS") == 0 && strcmp(local, "maxSigLife") == 0) {
		o->max_sig_life = to_uint(text_token(x));
	} else if (d == 5 && strcmp(parent, "secDNS") == 0 && strcmp(local, "dsData") == 0) {
		x->ds = NULL;
	} else if (d == 6 && x->ds && strcmp(parent, "dsData") == 0) {
		if (strcmp(local, "keyTag") == 0) {
			x->ds->key_tag = to_uint(text_token(x));
		} else if (strcmp(local, "alg") == 0) {
			x->ds->alg = to_uint(text_token(x));
		} else if (strcmp(local, "digestType") == 0) {
			x->ds->digest_type = to_uint(text_token(x));
		} else if (strcmp(local, "digest") == 0) {
			x->ds->digest = text_token(x);
		}
	} else if (d == 5 && strcmp(local, "hostAttr") == 0) {
		x->hattr = NULL;
	} else if (d == 6 && x->hattr && strcmp(local, "hostName") == 0) {
		x->hattr->name = text_token(x);
	} else if (d == 6 && x->hattr && strcmp(local, "hostAddr") == 0) {
		if (x->hattr->naddrs >= SSR_ESCROW_MAX_ADDRS) {
			fail(x, SSR_ELIMIT,
			     "'%s' line %llu: more than %d addresses in one hostAttr", x->member,
			     (unsigned long long)cur_line(x), SSR_ESCROW_MAX_ADDRS);
			return;
		}
		x->hattr->v6[x->hattr->naddrs] = x->hattr_addr_v6;
		x->hattr->addrs[x->hattr->naddrs++] = text_token(x);
	}
}

static void end_host(escrow_xml_t *x, unsigned d, const char *local)
{
	ssr_escrow_host_t *o = &x->obj.host;
	if (d != 4) {
		return;
	}
	if (strcmp(local, "name") == 0) {
		o->name = text_token(x);
	} else if (strcmp(local, "roid") == 0) {
		o->roid = text_token(x);
	} else if (strcmp(local, "addr") == 0) {
		if (o->naddrs >= SSR_ESCROW_MAX_ADDRS) {
			fail(x, SSR_ELIMIT, "'%s' line %llu: more than %d addresses in one host",
			     x->member, (unsigned long long)cur_line(x), SSR_ESCROW_MAX_ADDRS);
			return;
		}
		o->v6[o->naddrs] = x->hattr_addr_v6;
		o->addrs[o->naddrs++] = text_token(x);
	} else if (strcmp(local, "clID") == 0) {
		o->clid = text_token(x);
	} else if (strcmp(local, "crRr") == 0) {
		o->crrr = text_token(x);
	} else if (strcmp(local, "upRr") == 0) {
		o->uprr = text_token(x);
	} else if (strcmp(local, "crDate") == 0) {
		o->crdate = text_token(x);
	}
}

static void end_contact(escrow_xml_t *x, unsigned d, const char *local, const char *parent)
{
	ssr_escrow_contact_t *o = &x->obj.contact;
	if (d == 4) {
		if (strcmp(local, "id") == 0) {
			o->id = text_token(x);
		} else if (strcmp(local, "roid") == 0) {
			o->roid = text_token(x);
		} else if (strcmp(local, "voice") == 0) {
			o->voice = text_token(x);
		} else if (strcmp(local, "email") == 0) {
			o->email = text_token(x);
		} else if (strcmp(local, "clID") == 0) {
			o->clid = text_token(x);
		} else if (strcmp(local, "crRr") == 0) {
			o->crrr = text_token(x);
		} else if (strcmp(local, "upRr") == 0) {
			o->uprr = text_token(x);
		}
	} else if (d == 5 && strcmp(parent, "trnData") == 0) {
		if (strcmp(local, "reRr") == 0) {
			o->rerr = text_token(x);
		} else if (strcmp(local, "acRr") == 0) {
			o->acrr = text_token(x);
		}
	} else if (d == 6 && strcmp(parent, "addr") == 0 && strcmp(local, "cc") == 0 &&
	           o->npostal > 0) {
		o->cc[o->npostal - 1] = text_token(x);
	}
}

static void end_other(escrow_xml_t *x, unsigned d, const char *local, const char *parent)
{
	switch (x->kind) {
	case SSR_ESCROW_REGISTRAR:
		if (d == 4 && strcmp(local, "id") == 0) {
			x->obj.registrar.id = text_token(x);
		} else if (d == 4 && strcmp(local, "name") == 0) {
			x->obj.registrar.name = text_token(x);
		} else if (d == 4 && strcmp(local, "gurid") == 0) {
			x->obj.registrar.gurid = text_token(x);
		} else if (d == 4 && strcmp(local, "status") == 0) {
			x->obj.registrar.status = text_token(x);
		}
		break;
	case SSR_ESCROW_IDN:
		if (d == 4 && strcmp(local, "url") == 0) {
			x->obj.idn.url = text_token(x);
		} else if (d == 4 && strcmp(local, "urlPolicy") == 0) {
			x->obj.idn.url_policy = text_token(x);
		}
		break;
	case SSR_ESCROW_NNDN:
		if (d == 4 && strcmp(local, "aName") == 0) {
			x->obj.nndn.aname = text_token(x);
		} else if (d == 4 && strcmp(local, "uName") == 0) {
			x->obj.nndn.uname = text_token(x);
		} else if (d == 4 && strcmp(local, "idnTableId") == 0) {
			x->obj.nndn.idn_table = text_token(x);
		} else if (d == 4 && strcmp(local, "nameState") == 0) {
			x->obj.nndn.name_state = text_token(x);
		}
		break;
	case SSR_ESCROW_EPPPARAMS:
		if (d == 4 && strcmp(local, "objURI") == 0) {
			push(x, x->obj.epp.obj_uris, &x->obj.epp.nobj_uris, SSR_ESCROW_MAX_LIST,
			     text_token(x), "objURI");
		} else if (d == 5 && strcmp(parent, "svcExtension") == 0 &&
		           strcmp(local, "extURI") == 0) {
			push(x, x->obj.epp.ext_uris, &x->obj.epp.next_uris, SSR_ESCROW_MAX_LIST,
			     text_token(x), "extURI");
		}
		break;
	case SSR_ESCROW_HEADER:
		if (d == 4 && strcmp(local, "tld") == 0) {
			x->obj.header.tld = text_token(x);
		} else if (d == 4 && strcmp(local, "count") == 0) {
			ssr_escrow_header_t *h = &x->obj.header;
			if (h->ncounts >= SSR_ESCROW_MAX_LIST) {
				fail(x, SSR_ELIMIT,
				     "'%s' line %llu: more than %d counts in the header", x->member,
				     (unsigned long long)cur_line(x), SSR_ESCROW_MAX_LIST);
				return;
			}
			const char *t = text_token(x);
			char *end = NULL;
			long long v = t ? strtoll(t, &end, 10) : -1;
			h->uris[h->ncounts] = x->pending_attr;
			h->counts[h->ncounts++] =
			    (t && *t && end && *end == '\0' && v >= 0) ? v : -1;
			x->pending_attr = NULL;
		}
		break;
	default:
		break;
	}
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI)
{
	(void)prefix;
	(void)URI;
	escrow_xml_t *x = ctx;
	const char *local = (const char *)localname;
	if (x->depth == 0) {
		return;
	}
	unsigned d = x->depth--;
	if (x->rc != SSR_EOK || !x->in_deposit) {
		return;
	}
	if (d == 1) {
		if (!x->started) {
			x->started = true;
			ssr_escrow_event_t e = {.ev = SSR_ESCROW_EV_DEPOSIT, .line = x->dep.line};
			e.u.deposit = &x->dep;
			deliver(x, &e);
		}
		x->area = AT_NONE;
		return;
	}
	if (d == 2) {
		if (strcmp(local, "watermark") == 0) {
			/* deposit strings share the object buffer until the first object: keep them
			 * apart */
			x->dep.watermark = text_token(x);
			if (x->dep.watermark &&
			    ssr_escrow_time_parse(x->dep.watermark, &x->dep.watermark_t) !=
			        SSR_EOK) {
				x->dep.watermark_t = INT64_MIN;
			}
		}
		x->area = AT_NONE;
		return;
	}
	if (x->area == AT_MENU && d == 3) {
		if (strcmp(local, "objURI") == 0) {
			push(x, x->dep.menu_uris, &x->dep.nmenu_uris, SSR_ESCROW_MAX_LIST,
			     text_token(x), "menu URIs");
		} else if (strcmp(local, "version") == 0) {
			x->dep.version = text_token(x);
		}
		return;
	}
	if (x->area == AT_DELETES) {
		if (d == 4 && x->del_kind >= 0) {
			size_t mark = x->used;
			const char *v = text_token(x);
			ssr_escrow_event_t e = {.ev = SSR_ESCROW_EV_DELETE,
			                        .kind = (ssr_escrow_kind_t)x->del_kind,
			                        .line = cur_line(x),
			                        .local = local,
			                        .deleted = v ? v : ""};
			if (v) {
				x->st->deletes[x->del_kind]++;
				deliver(x, &e);
			}
			x->used = mark;
		}
		return;
	}
	if (x->area != AT_CONTENTS || x->kind < 0) {
		return;
	}
	if (d == 3) {
		ssr_escrow_event_t e = {
		    .line = x->obj_line, .uri = x->obj_uri, .local = x->obj_local};
		if (x->kind == SSR_ESCROW_NKINDS) {
			e.ev = SSR_ESCROW_EV_OTHER;
		} else {
			e.ev = SSR_ESCROW_EV_OBJECT;
			e.kind = (ssr_escrow_kind_t)x->kind;
			e.u.domain = (const void *)&x->obj;
			x->st->objects[x->kind]++;
		}
		deliver(x, &e);
		x->kind = -1;
		/* the deposit's strings live before the first object: keep them */
		return;
	}
	const char *parent = x->names[d - 2];
	switch (x->kind) {
	case SSR_ESCROW_DOMAIN:
		end_domain(x, d, local, parent);
		break;
	case SSR_ESCROW_HOST:
		end_host(x, d, local);
		break;
	case SSR_ESCROW_CONTACT:
		end_contact(x, d, local, parent);
		break;
	case SSR_ESCROW_NKINDS:
		break;
	default:
		end_other(x, d, local, parent);
		break;
	}
}

/* DOCTYPE: refused (no DTDs in deposits; no entity expansion, no external loads). */
static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *ext,
                               const xmlChar *sys)
{
	(void)name;
	(void)ext;
	(void)sys;
	escrow_xml_t *x = ctx;
	fail(x, SSR_EUNSUPPORTED, "'%s' line %llu: a DOCTYPE is not allowed in a deposit",
	     x->member, (unsigned long long)cur_line(x));
}

static void on_xml_error(void *ctx, xmlErrorPtr err)
{
	escrow_xml_t *x = ctx;
	if (!err || err->level < XML_ERR_ERROR) {
		return;
	}
	char msg[300];
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "error");
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) {
		msg[--n] = '\0';
	}
	fail(x, SSR_EPARSE, "'%s' line %d column %d: not well-formed XML: %s", x->member, err->line,
	     err->int2, msg);
}

static void on_schema_error(void *ctx, xmlErrorPtr err)
{
	escrow_xml_t *x = ctx;
	if (!err || err->level < XML_ERR_ERROR) {
		return;
	}
	x->st->schema_errors++;
	if (x->o->on_schema_error) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s", err->message ? err->message : "schema error");
		size_t n = strlen(msg);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) {
			msg[--n] = '\0';
		}
		x->o->on_schema_error(x->member, (uint64_t)(err->line > 0 ? err->line : 0), msg,
		                      x->o->ctx);
	}
}

/* Where the schema validator is: the parser's line (the SAX plug has no locator of its own). */
static int locate(void *ctx, const char **file, unsigned long *line)
{
	escrow_xml_t *x = ctx;
	*file = x->member;
	*line = (unsigned long)cur_line(x);
	return 0;
}

/* Schema parse errors (the shipped schema is broken or missing) */
static void on_schema_parse_error(void *ctx, xmlErrorPtr err)
{
	escrow_xml_t *x = ctx;
	if (err && err->level >= XML_ERR_ERROR && x->rc == SSR_EOK) {
		x->rc = SSR_EINVAL;
		snprintf(x->err, sizeof x->err, "schema '%s': %s", x->o->schema,
		         err->message ? err->message : "cannot be compiled");
		size_t n = strlen(x->err);
		while (n && x->err[n - 1] == '\n') {
			x->err[--n] = '\0';
		}
	}
}

/* libxml2's errors without a parser context (the encoding layer's) go to its generic handler,
 * which prints to stderr: a library prints nothing; the parser's own error reports them. */
static void quiet_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void sw_error(void *ctx, xmlErrorPtr err)
{
	sw_t *w = ctx;
	if (!err || err->level < XML_ERR_ERROR) {
		return;
	}
	w->errors++;
	if (w->nkept < SW_KEEP) {
		w->kept[w->nkept].line = err->line > 0 ? (uint64_t)err->line : 0;
		snprintf(w->kept[w->nkept].msg, sizeof w->kept[0].msg, "%s",
		         err->message ? err->message : "schema error");
		size_t n = strlen(w->kept[w->nkept].msg);
		while (n && (w->kept[w->nkept].msg[n - 1] == '\n' ||
		             w->kept[w->nkept].msg[n - 1] == ' ')) {
			w->kept[w->nkept].msg[--n] = '\0';
		}
		w->nkept++;
	}
}

static int sw_locate(void *ctx, const char **file, unsigned long *line)
{
	sw_t *w = ctx;
	*file = w->member;
	*line = w->ctxt ? (unsigned long)xmlSAX2GetLineNumber(w->ctxt) : 0;
	return 0;
}

/* well-formedness is the main parser's to report; a DOCTYPE stops this one too */
static void sw_quiet(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

static void sw_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	(void)name;
	(void)ext;
	(void)sys;
	sw_t *w = ctx;
	xmlStopParser(w->ctxt);
}

static void *sw_main(void *arg)
{
	sw_t *w = arg;
	xmlSetGenericErrorFunc(NULL, quiet_generic); /* per thread in libxml2 */
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (w->count == 0) {
			pthread_cond_wait(&w->cv, &w->mu);
		}
		sw_chunk_t c = w->q[w->head];
		w->head = (w->head + 1) % SW_QUEUE;
		w->count--;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		xmlParseChunk(w->ctxt, (const char *)c.buf, (int)c.len, c.end ? 1 : 0);
		free(c.buf);
		if (c.end) {
			break;
		}
	}
	return NULL;
}

/* Queue a copy (or the end); blocks while the queue is full.  Errors: SSR_ENOMEM. */
static int sw_put(sw_t *w, const uint8_t *p, size_t n, bool end)
{
	uint8_t *b = NULL;
	if (n) {
		b = malloc(n);
		if (!b) {
			return SSR_ENOMEM;
		}
		memcpy(b, p, n);
	}
	pthread_mutex_lock(&w->mu);
	while (w->count == SW_QUEUE) {
		pthread_cond_wait(&w->cv, &w->mu);
	}
	w->q[(w->head + w->count) % SW_QUEUE] = (sw_chunk_t){.buf = b, .len = n, .end = end};
	w->count++;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return SSR_EOK;
}

/* The end of the document: the worker finishes and is joined. */
static void sw_stop(sw_t *w)
{
	if (w->running && !w->done) {
		w->done = true;
		if (sw_put(w, NULL, 0, true) != SSR_EOK) {
			/* cannot queue the end: the worker is told by an empty end chunk in place
			 */
			pthread_mutex_lock(&w->mu);
			while (w->count == SW_QUEUE) {
				pthread_cond_wait(&w->cv, &w->mu);
			}
			w->q[(w->head + w->count) % SW_QUEUE] = (sw_chunk_t){.end = true};
			w->count++;
			pthread_cond_broadcast(&w->cv);
			pthread_mutex_unlock(&w->mu);
		}
		pthread_join(w->th, NULL);
	}
}

static void sw_free(sw_t *w)
{
	if (!w) {
		return;
	}
	sw_stop(w);
	for (unsigned i = 0; i < w->count; i++) {
		free(w->q[(w->head + i) % SW_QUEUE].buf);
	}
	if (w->ctxt) {
		xmlFreeParserCtxt(w->ctxt);
	}
	if (w->plug) {
		xmlSchemaSAXUnplug(w->plug);
	}
	if (w->vctxt) {
		xmlSchemaFreeValidCtxt(w->vctxt);
	}
	if (w->running) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
	}
	free(w);
}

static int sw_new(escrow_xml_t *x, ssr_diag_t *diag)
{
	sw_t *w = calloc(1, sizeof *w);
	if (!w) {
		return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
	}
	x->sw = w;
	w->member = x->member;
	w->vctxt = xmlSchemaNewValidCtxt(x->schema);
	if (!w->vctxt) {
		return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
	}
	xmlSchemaSetValidStructuredErrors(w->vctxt, sw_error, w);
	memset(&w->sax, 0, sizeof w->sax);
	w->sax.initialized = XML_SAX2_MAGIC;
	w->sax.internalSubset = sw_subset;
	w->sax.serror = sw_quiet;
	xmlSAXHandlerPtr sax = &w->sax;
	void *user = w;
	w->plug = xmlSchemaSAXPlug(w->vctxt, &sax, &user);
	if (!w->plug) {
		return ssr_diag_set(diag, SSR_EINVAL, "escrow: schema validation cannot be set up");
	}
	w->ctxt = xmlCreatePushParserCtxt(sax, user, NULL, 0, x->member);
	if (!w->ctxt) {
		return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
	}
	xmlCtxtUseOptions(w->ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	xmlSchemaValidateSetLocator(w->vctxt, sw_locate, w);
	if (pthread_mutex_init(&w->mu, NULL) != 0 || pthread_cond_init(&w->cv, NULL) != 0) {
		return ssr_diag_set(diag, SSR_EIO, "escrow: cannot set up the schema thread");
	}
	if (pthread_create(&w->th, NULL, sw_main, w) != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		return ssr_diag_set(diag, SSR_EIO, "escrow: cannot start the schema thread");
	}
	w->running = true;
	return SSR_EOK;
}

/* The worker's findings to the caller (its thread, after the join). */
static void sw_report(escrow_xml_t *x)
{
	sw_t *w = x->sw;
	x->st->schema_errors += w->errors;
	if (!x->o->on_schema_error) {
		return;
	}
	for (uint64_t i = 0; i < w->errors; i++) {
		if (i < w->nkept) {
			x->o->on_schema_error(x->member, w->kept[i].line, w->kept[i].msg,
			                      x->o->ctx);
		} else {
			x->o->on_schema_error(x->member, 0, "a further schema error", x->o->ctx);
		}
	}
}

int escrow_xml_new(const ssr_escrow_read_opts_t *o, ssr_escrow_fn fn, ssr_escrow_read_stats_t *st,
                   const char *member, escrow_xml_t **out, ssr_diag_t *diag)
{
	xmlInitParser(); /* libxml2's globals, once, before any schema thread */
	xmlSetGenericErrorFunc(NULL, quiet_generic);
	escrow_xml_t *x = calloc(1, sizeof *x);
	if (!x) {
		return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
	}
	x->o = o;
	x->fn = fn;
	x->st = st;
	x->kind = -1;
	x->del_kind = -1;
	snprintf(x->member, sizeof x->member, "%s", member);
	x->text = malloc(SSR_ESCROW_MAX_TEXT + 1);
	x->buf = malloc(SSR_ESCROW_MAX_OBJECT);
	if (!x->text || !x->buf) {
		escrow_xml_free(x);
		return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
	}
	memset(&x->sax, 0, sizeof x->sax);
	x->sax.initialized = XML_SAX2_MAGIC;
	x->sax.startElementNs = on_start;
	x->sax.endElementNs = on_end;
	x->sax.characters = on_chars;
	x->sax.cdataBlock = on_chars;
	x->sax.internalSubset = on_internal_subset;
	x->sax.serror = on_xml_error;
	xmlSAXHandlerPtr sax = &x->sax;
	void *user = x;
	if (o->schema) {
		x->sp = xmlSchemaNewParserCtxt(o->schema);
		if (x->sp) {
			xmlSchemaSetParserStructuredErrors(x->sp, on_schema_parse_error, x);
			x->schema = xmlSchemaParse(x->sp);
		}
		if (!x->schema) {
			int rc = ssr_diag_set(
			    diag, SSR_EINVAL, "%s",
			    x->rc != SSR_EOK ? x->err : "escrow: the XML schema cannot be loaded");
			if (x->rc == SSR_EOK) {
				ssr_diag_set(diag, SSR_EINVAL, "schema '%s' cannot be loaded",
				             o->schema);
			}
			escrow_xml_free(x);
			return rc;
		}
		x->rc = SSR_EOK;
		if (!o->schema_inline) {
			int rc = sw_new(x, diag);
			if (rc != SSR_EOK) {
				escrow_xml_free(x);
				return rc;
			}
		}
	}
	if (o->schema && o->schema_inline) {
		x->vctxt = xmlSchemaNewValidCtxt(x->schema);
		if (!x->vctxt) {
			escrow_xml_free(x);
			return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
		}
		xmlSchemaSetValidStructuredErrors(x->vctxt, on_schema_error, x);
		x->plug = xmlSchemaSAXPlug(x->vctxt, &sax, &user);
		if (!x->plug) {
			escrow_xml_free(x);
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "escrow: schema validation cannot be set up");
		}
	}
	x->ctxt = xmlCreatePushParserCtxt(sax, user, NULL, 0, x->member);
	if (!x->ctxt) {
		escrow_xml_free(x);
		return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
	}
	xmlCtxtUseOptions(x->ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	if (x->vctxt) {
		xmlSchemaValidateSetLocator(x->vctxt, locate, x);
	}
	st->documents++;
	*out = x;
	return SSR_EOK;
}

int escrow_xml_feed(escrow_xml_t *x, const uint8_t *p, size_t n, ssr_diag_t *diag)
{
	while (n > 0 && x->rc == SSR_EOK) {
		int chunk = n > (1u << 20) ? (1 << 20) : (int)n;
		if (x->sw && sw_put(x->sw, p, (size_t)chunk, false) != SSR_EOK) {
			return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
		}
		xmlParseChunk(x->ctxt, (const char *)p, chunk, 0);
		x->st->bytes_xml += (uint64_t)chunk;
		p += chunk;
		n -= (size_t)chunk;
	}
	if (x->rc != SSR_EOK) {
		return ssr_diag_set(diag, x->rc, "%s", x->err);
	}
	return SSR_EOK;
}

int escrow_xml_finish(escrow_xml_t *x, ssr_diag_t *diag)
{
	if (x->rc == SSR_EOK) {
		xmlParseChunk(x->ctxt, NULL, 0, 1);
	}
	if (x->rc == SSR_EOK && (!x->ctxt->wellFormed || x->depth != 0 || !x->seen_root)) {
		fail(x, SSR_EPARSE, "'%s' line %llu: not well-formed XML: the document ends early",
		     x->member, (unsigned long long)cur_line(x));
	}
	if (x->sw) {
		sw_stop(x->sw);
		if (x->rc == SSR_EOK) {
			sw_report(x);
		}
	}
	if (x->rc != SSR_EOK) {
		return ssr_diag_set(diag, x->rc, "%s", x->err);
	}
	if (x->in_deposit) {
		ssr_escrow_event_t e = {
		    .ev = SSR_ESCROW_EV_END, .line = cur_line(x), .member = x->member};
		int rc = x->fn(&e, x->o->ctx);
		if (rc != SSR_EOK) {
			return ssr_diag_set(diag, rc, "'%s': stopped by the caller", x->member);
		}
	} else {
		ssr_escrow_event_t e = {.ev = SSR_ESCROW_EV_OTHER,
		                        .line = 1,
		                        .member = x->member,
		                        .uri = "",
		                        .local = "(root)"};
		int rc = x->fn(&e, x->o->ctx);
		if (rc != SSR_EOK) {
			return ssr_diag_set(diag, rc, "'%s': stopped by the caller", x->member);
		}
	}
	return SSR_EOK;
}

void escrow_xml_free(escrow_xml_t *x)
{
	if (!x) {
		return;
	}
	sw_free(x->sw);
	if (x->ctxt) {
		xmlFreeParserCtxt(x->ctxt);
	}
	if (x->plug) {
		xmlSchemaSAXUnplug(x->plug);
	}
	if (x->vctxt) {
		xmlSchemaFreeValidCtxt(x->vctxt);
	}
	if (x->schema) {
		xmlSchemaFree(x->schema);
	}
	if (x->sp) {
		xmlSchemaFreeParserCtxt(x->sp);
	}
	free(x->text);
	free(x->buf);
	free(x);
}
