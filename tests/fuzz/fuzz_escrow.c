/* libFuzzer target: escrow deposits as libescrow reads them.  The first byte picks the XML
 * parser alone (0-3), the parser with the RFC schemas plugged in (4: compiling them is slow, so
 * fewer runs go there), or the tar layer in front of the parser (5-7);
 * the rest is the document.  Nothing may crash, loop, leak or read past an object's strings on
 * deposits that are malformed, hostile (entities, depth, huge text) or truncated. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "escrow_priv.h"

static size_t touched;

static void touch(const char *s)
{
	if (s) {
		touched += strlen(s);
	}
}

static int on_event(const ssr_escrow_event_t *e, void *ctx)
{
	(void)ctx;
	touch(e->member);
	touch(e->deleted);
	if (e->ev == SSR_ESCROW_EV_DEPOSIT) {
		touch(e->u.deposit->id);
		touch(e->u.deposit->watermark);
		for (unsigned i = 0; i < e->u.deposit->nmenu_uris; i++) {
			touch(e->u.deposit->menu_uris[i]);
		}
	} else if (e->ev == SSR_ESCROW_EV_OBJECT && e->kind == SSR_ESCROW_DOMAIN) {
		const ssr_escrow_domain_t *d = e->u.domain;
		touch(d->name);
		touch(d->roid);
		touch(d->clid);
		for (unsigned i = 0; i < d->nhost_obj; i++) {
			touch(d->host_obj[i]);
		}
		for (unsigned i = 0; i < d->nds; i++) {
			touch(d->ds[i].digest);
		}
		for (unsigned i = 0; i < d->nhost_attr; i++) {
			touch(d->host_attr[i].name);
			for (unsigned k = 0; k < d->host_attr[i].naddrs; k++) {
				touch(d->host_attr[i].addrs[k]);
			}
		}
	} else if (e->ev == SSR_ESCROW_EV_OBJECT && e->kind == SSR_ESCROW_HEADER) {
		for (unsigned i = 0; i < e->u.header->ncounts; i++) {
			touch(e->u.header->uris[i]);
		}
	}
	return SSR_EOK;
}

static void on_schema(const char *member, uint64_t line, const char *msg, void *ctx)
{
	(void)line;
	(void)ctx;
	touch(member);
	touch(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 200000) {
		return 0;
	}
	int mode = data[0] % 8 < 4 ? 0 : data[0] % 8 == 4 ? 1 : 2;
	ssr_escrow_read_opts_t o = {.on_schema_error = on_schema};
	if (mode == 1) {
		o.schema = SSR_DATA_DIR "/escrow/escrow.xsd";
	}
	ssr_escrow_read_stats_t st;
	memset(&st, 0, sizeof st);
	ssr_diag_t d;
	if (mode == 2) {
		escrow_tar_t *t = NULL;
		if (escrow_tar_new(&o, on_event, &st, "fuzz.tar", &t) == SSR_EOK) {
			if (escrow_tar_feed(t, data + 1, size - 1, &d) == SSR_EOK) {
				(void)escrow_tar_finish(t, &d);
			}
			escrow_tar_free(t);
		}
		return 0;
	}
	escrow_xml_t *x = NULL;
	if (escrow_xml_new(&o, on_event, &st, "fuzz.xml", &x, &d) == SSR_EOK) {
		/* in two pieces, as the stream would bring it */
		size_t half = (size - 1) / 2;
		if (escrow_xml_feed(x, data + 1, half, &d) == SSR_EOK &&
		    escrow_xml_feed(x, data + 1 + half, size - 1 - half, &d) == SSR_EOK) {
			(void)escrow_xml_finish(x, &d);
		}
		escrow_xml_free(x);
	}
	return 0;
}
