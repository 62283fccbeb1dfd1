/* ssrwatch — registry data escrow (SSR2 Rec 26): a streaming reader of RFC 8909 deposits with
 * RFC 9022 objects (XML model), OpenPGP decryption and signature verification through GPGME,
 * and the ICANN RST v2.0 StandardRDE checks (rde-01 .. rde-15) with their error codes.
 *
 * A deposit is read once, front to back, through libxml2's SAX2 push parser: the reader keeps one
 * object at a time (its strings in a per-object buffer) and hands it to a callback; it never
 * builds a document tree.  An encrypted deposit (.ryde: OpenPGP, holding a tar of the XML files)
 * is decrypted into memory buffers that flow straight into the tar reader and the parser:
 * no plaintext is ever written to disk. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/escrowstore.h"

/* Hard caps on untrusted input (per object / per document). */
#define SSR_ESCROW_MAX_DEPTH  64        /* element nesting */
#define SSR_ESCROW_MAX_TEXT   65536     /* one element's text */
#define SSR_ESCROW_MAX_OBJECT (1 << 20) /* one object's strings in total */
#define SSR_ESCROW_MAX_LIST   64        /* statuses, contacts, name servers, DS, URIs, ... */
#define SSR_ESCROW_MAX_ADDRS  32        /* addresses of one host */

typedef enum {
	SSR_ESCROW_FULL = 0,
	SSR_ESCROW_INCR = 1,
	SSR_ESCROW_DIFF = 2,
} ssr_escrow_type_t;

/* The object kinds of RFC 9022 (XML model), in header-count order. */
typedef enum {
	SSR_ESCROW_DOMAIN = 0,
	SSR_ESCROW_HOST = 1,
	SSR_ESCROW_CONTACT = 2,
	SSR_ESCROW_REGISTRAR = 3,
	SSR_ESCROW_IDN = 4,
	SSR_ESCROW_NNDN = 5,
	SSR_ESCROW_EPPPARAMS = 6,
	SSR_ESCROW_POLICY = 7,
	SSR_ESCROW_HEADER = 8,
} ssr_escrow_kind_t;
#define SSR_ESCROW_NKINDS 9
/* "domain", "host", ...; the object's namespace URI ("urn:ietf:params:xml:ns:rdeDomain-1.0");
 * the kind of a namespace URI (-1: none of them). */
const char *ssr_escrow_kind_name(ssr_escrow_kind_t k);
const char *ssr_escrow_kind_uri(ssr_escrow_kind_t k);
int ssr_escrow_kind_of_uri(const char *uri);

typedef struct {
	ssr_escrow_type_t type;
	const char *id, *prev_id; /* prev_id NULL when absent */
	unsigned resend;
	const char *watermark; /* as written */
	int64_t watermark_t;   /* seconds since the epoch; INT64_MIN when not a valid dateTime */
	const char *menu_uris[SSR_ESCROW_MAX_LIST];
	unsigned nmenu_uris;
	const char *version;
	uint64_t line;
} ssr_escrow_deposit_t;

typedef struct {
	const char *type, *id; /* <contact type="admin">id</contact> */
} ssr_escrow_cref_t;

typedef struct {
	const char *name;
	const char *addrs[SSR_ESCROW_MAX_ADDRS];
	bool v6[SSR_ESCROW_MAX_ADDRS]; /* the ip attribute said v6 */
	unsigned naddrs;
} ssr_escrow_hostattr_t;

typedef struct {
	unsigned key_tag, alg, digest_type;
	const char *digest; /* hex as written */
} ssr_escrow_ds_t;

typedef struct {
	const char *name, *roid, *uname, *idn_table, *original_name;
	const char *status[SSR_ESCROW_MAX_LIST];
	unsigned nstatus;
	const char *registrant;
	ssr_escrow_cref_t contacts[SSR_ESCROW_MAX_LIST];
	unsigned ncontacts;
	const char *host_obj[SSR_ESCROW_MAX_LIST];
	unsigned nhost_obj;
	ssr_escrow_hostattr_t host_attr[16];
	unsigned nhost_attr;
	const char *clid, *crrr, *uprr, *rerr, *acrr;
	const char *crdate, *exdate, *update;
	ssr_escrow_ds_t ds[SSR_ESCROW_MAX_LIST];
	unsigned nds;
	unsigned nkeydata; /* secDNS:keyData entries (not used for DS) */
	unsigned max_sig_life;
} ssr_escrow_domain_t;

typedef struct {
	const char *name, *roid;
	const char *status[SSR_ESCROW_MAX_LIST];
	unsigned nstatus;
	const char *addrs[SSR_ESCROW_MAX_ADDRS];
	bool v6[SSR_ESCROW_MAX_ADDRS];
	unsigned naddrs;
	const char *clid, *crrr, *uprr, *crdate;
} ssr_escrow_host_t;

typedef struct {
	const char *id, *roid;
	const char *status[SSR_ESCROW_MAX_LIST];
	unsigned nstatus;
	const char *postal_types[4]; /* type attribute of each postalInfo */
	const char *cc[4];           /* its country code */
	unsigned npostal;
	const char *voice, *email, *clid, *crrr, *uprr, *rerr, *acrr;
} ssr_escrow_contact_t;

typedef struct {
	const char *id, *name, *gurid, *status;
} ssr_escrow_registrar_t;

typedef struct {
	const char *id, *url, *url_policy;
} ssr_escrow_idn_t;

typedef struct {
	const char *aname, *uname, *idn_table, *name_state;
} ssr_escrow_nndn_t;

typedef struct {
	const char *obj_uris[SSR_ESCROW_MAX_LIST];
	unsigned nobj_uris;
	const char *ext_uris[SSR_ESCROW_MAX_LIST];
	unsigned next_uris;
} ssr_escrow_eppparams_t;

typedef struct {
	const char *scope, *element;
} ssr_escrow_policy_t;

typedef struct {
	const char *tld;
	const char *uris[SSR_ESCROW_MAX_LIST];
	int64_t counts[SSR_ESCROW_MAX_LIST]; /* -1 when not a number */
	unsigned ncounts;
} ssr_escrow_header_t;

/* What the reader hands over.  Pointers are valid during the callback only. */
typedef enum {
	SSR_ESCROW_EV_DEPOSIT = 0, /* the deposit element, watermark and menu (once per document) */
	SSR_ESCROW_EV_OBJECT = 1,  /* one object of 'kind' in <rde:contents> */
	SSR_ESCROW_EV_DELETE = 2,  /* one name/id deleted (DIFF, INCR) of 'kind' */
	SSR_ESCROW_EV_OTHER = 3, /* a content or delete element of no known kind ('uri', 'local') */
	SSR_ESCROW_EV_END = 4,   /* the document ended (well-formed) */
	SSR_ESCROW_EV_CSV = 5,   /* a CSV member ended: 'csv' says what RFC 4180 syntax found */
} ssr_escrow_ev_t;

typedef struct {
	ssr_escrow_ev_t ev;
	ssr_escrow_kind_t kind;
	uint64_t line;                    /* where the object starts in its document */
	const char *member;               /* the document's name (the file, or the tar member) */
	const char *uri, *local;          /* the element (EV_OTHER and every object) */
	const char *deleted;              /* EV_DELETE: the name or id */
	const struct ssr_escrow_csv *csv; /* EV_CSV */
	union {
		const ssr_escrow_deposit_t *deposit;
		const ssr_escrow_domain_t *domain;
		const ssr_escrow_host_t *host;
		const ssr_escrow_contact_t *contact;
		const ssr_escrow_registrar_t *registrar;
		const ssr_escrow_idn_t *idn;
		const ssr_escrow_nndn_t *nndn;
		const ssr_escrow_eppparams_t *eppparams;
		const ssr_escrow_policy_t *policy;
		const ssr_escrow_header_t *header;
	} u;
} ssr_escrow_event_t;

/* A CSV member checked against RFC 4180's syntax (the CSV model's objects are not read). */
typedef struct ssr_escrow_csv {
	uint64_t records, fields; /* records, and fields of the first record */
	bool valid;
	uint64_t line;   /* of the first error */
	char error[160]; /* what is wrong ("" valid) */
} ssr_escrow_csv_t;

/* Return SSR_EOK to go on; anything else stops the reader and is returned. */
typedef int (*ssr_escrow_fn)(const ssr_escrow_event_t *e, void *ctx);
/* A schema violation (the reader goes on). */
typedef void (*ssr_escrow_schema_fn)(const char *member, uint64_t line, const char *msg, void *ctx);

typedef struct {
	const char *schema; /* the XML Schema to validate against while streaming (the
	                     * shipped data/escrow/escrow.xsd); NULL: no schema validation */
	ssr_escrow_schema_fn on_schema_error;
	bool schema_inline;     /* validate in the parsing thread (default: a second thread runs the
	                         * schema pass on the same bytes beside the parse) */
	const char *gnupg_home; /* the keyring for .ryde deposits (NULL: $GNUPGHOME / ~/.gnupg) */
	void *ctx;              /* for the callbacks */
} ssr_escrow_read_opts_t;

/* What the input layers saw. */
typedef struct {
	uint64_t bytes_in;  /* bytes read from the file */
	uint64_t bytes_xml; /* XML bytes parsed (after decryption and tar) */
	unsigned documents; /* XML documents parsed */
	unsigned csv_files; /* CSV members seen in the tar (the CSV model) */
	uint64_t objects[SSR_ESCROW_NKINDS];
	uint64_t deletes[SSR_ESCROW_NKINDS];
	uint64_t schema_errors;
	bool encrypted;       /* OpenPGP input */
	char decrypt_key[64]; /* the key that decrypted it (fingerprint or key id) */
	double decrypt_s;     /* wall time in OpenPGP (a pipeline with the parse: split by where it
	                         went) */
	double parse_s;       /* wall time in tar, XML parsing and the callback */
} ssr_escrow_read_stats_t;

/* Read a deposit: a plain XML file (.xml, optionally .gz), a tar of XML files (.tar), or an
 * OpenPGP-encrypted deposit (.ryde: decrypted with the keyring's secret key, streamed through
 * the tar reader).  XML with a DOCTYPE is refused (no entity expansion, no external loads).
 * Errors: SSR_ENOTFOUND / SSR_EIO (the file), SSR_EPARSE (not well-formed XML: the message names
 * the member, line and column; a truncated tar or gzip stream), SSR_ECORRUPT (decryption failed:
 * no secret key, corrupt data; the message names the reason), SSR_ELIMIT (a cap above),
 * SSR_EUNSUPPORTED (a DOCTYPE), SSR_ENOMEM, fn's. */
int ssr_escrow_read(const char *path, const ssr_escrow_read_opts_t *o, ssr_escrow_fn fn,
                    ssr_escrow_read_stats_t *st, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2, 3, 4);

/* Verify a detached OpenPGP signature (sig_path, armoured or binary) over the file at path with
 * the keys of gnupg_home.  *valid: a good signature by a key in the keyring (with signer, when not
 * NULL, a prefix or suffix of its fingerprint); why: the reason when not (cap why_len).
 * Errors: SSR_ENOTFOUND / SSR_EIO (a file), SSR_EIO (GPGME could not start gpg). */
int ssr_escrow_verify(const char *path, const char *sig_path, const char *gnupg_home,
                      const char *signer, bool *valid, char *why, size_t why_len,
                      ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 5, 6);

/* ---- RST StandardRDE ---- */

typedef enum { SSR_RDE_SEV_ERROR = 0, SSR_RDE_SEV_CRITICAL = 1 } ssr_rde_sev_t;

typedef struct {
	const char *code;  /* "RDE_OBJECT_COUNT_MISMATCH" */
	const char *check; /* "rde-06" */
	ssr_rde_sev_t severity;
} ssr_rde_code_t;

/* The 86 RST v2.0 StandardRDE error codes, sorted by name. */
const ssr_rde_code_t *ssr_rde_codes(size_t *n);
/* The index of a code (-1: unknown). */
int ssr_rde_code_index(const char *code);

typedef enum {
	SSR_RDE_MODEL_AUTO = 0, /* from the deposit: contacts present -> maximum, else minimum */
	SSR_RDE_MODEL_MINIMUM = 1,
	SSR_RDE_MODEL_MAXIMUM = 2,
	SSR_RDE_MODEL_PER_REGISTRAR = 3,
} ssr_rde_model_t;

typedef enum {
	SSR_RDE_HOSTS_AUTO = 0, /* from the deposit: host objects present -> objects */
	SSR_RDE_HOSTS_OBJECTS = 1,
	SSR_RDE_HOSTS_ATTRIBUTES = 2,
} ssr_rde_hosts_t;

#define SSR_RDE_MAX_TLDS 32

typedef struct {
	const char *tlds[SSR_RDE_MAX_TLDS]; /* the TLDs of the test (rde-01); none: the header's */
	unsigned ntlds;
	ssr_rde_model_t model;
	ssr_rde_hosts_t hosts;
	const char
	    *idn_tables[SSR_ESCROW_MAX_LIST]; /* the TLD's IDN tables (rde-11); none: not checked */
	unsigned nidn_tables;
	bool idn_tables_given; /* the list above is the truth (an empty list: no IDN tables) */
	const char *schema;    /* escrow.xsd (NULL: the shipped one) */
	bool no_schema;        /* skip XML Schema validation (reported as not run) */
	bool schema_inline; /* the schema pass in the parsing thread (one core); default: a second
	                     * thread beside the parse */
	const char *gnupg_home; /* keyring (decryption key, signer's public key) */
	const char *signature;  /* the .sig file (NULL: DEPOSIT.sig when it exists) */
	const char *signer;     /* the registry's key (fingerprint); NULL: any key in the keyring */
	const char *repo_ids;   /* a file of registered EPP repository IDs (one per line); NULL:
	                         * roids are checked for their RFC 5730 form only */
	const char *registrar_ids;  /* a file of IANA registrar IDs; NULL: gurid must be a positive
	                             * integer */
	const char *epp_extensions; /* a file of the EPP extension registry's namespace URIs; NULL:
	                             * eppParams URIs are not checked against the registry */
	bool require_full;          /* rde-01: the type must be FULL (the RST test) */
	unsigned examples;          /* examples kept per code (0: 5) */
} ssr_rde_opts_t;

void ssr_rde_opts_init(ssr_rde_opts_t *o);

typedef struct {
	uint64_t line;
	char member[128];
	char subject[256]; /* the object (domain name, host name, contact id, ...) */
	char detail[256];
} ssr_rde_example_t;

typedef struct {
	uint64_t count; /* occurrences (objects affected) */
	unsigned nexamples;
	ssr_rde_example_t *examples;
} ssr_rde_finding_t;

/* The checks' states: run (pass/fail from the findings), skipped (not applicable: says why), or
 * could not run (an error: says why; the deposit is then not valid). */
typedef enum { SSR_RDE_RUN = 0, SSR_RDE_SKIPPED = 1, SSR_RDE_NOT_RUN = 2 } ssr_rde_state_t;

#define SSR_RDE_NCHECKS 15

typedef struct {
	char path[1024];
	char file[256];
	ssr_escrow_type_t type;
	char id[32], prev_id[32], watermark[40], tld[64];
	unsigned resend;
	ssr_escrow_read_stats_t read;
	ssr_rde_finding_t *findings; /* one per code of ssr_rde_codes() */
	ssr_rde_state_t state[SSR_RDE_NCHECKS];
	char why[SSR_RDE_NCHECKS][160];      /* for SKIPPED and NOT_RUN */
	uint64_t counted[SSR_ESCROW_NKINDS]; /* objects found */
	int64_t header[SSR_ESCROW_NKINDS];   /* the header's counts (-1 none) */
	ssr_rde_model_t model;               /* the data model used (after AUTO) */
	ssr_rde_hosts_t hosts;
	uint64_t codes;    /* distinct codes raised */
	bool critical;     /* a CRITICAL code was raised */
	bool valid;        /* no code and every check ran */
	size_t xref_bytes; /* memory of the cross-reference sets */
	double seconds;
} ssr_rde_result_t;

/* Validate one deposit file against every StandardRDE check.  The result is filled even when the
 * deposit is bad (bad deposits are findings, not errors); errors are reserved for what stops the
 * checks (and are then also in the result as NOT_RUN with the reason).
 * Errors: SSR_ENOTFOUND (the file), SSR_EINVAL (an option, a list file), SSR_ENOMEM, SSR_EIO. */
int ssr_rde_validate(const char *path, const ssr_rde_opts_t *o, ssr_rde_result_t *r,
                     ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3);
void ssr_rde_result_release(ssr_rde_result_t *r);

/* The result as the store's row (escrowstore.h), checked at when (RFC 3339). */
void ssr_rde_result_row(const ssr_rde_result_t *r, const char *when, ssr_escrow_check_row_t *row)
    SSR_NONNULL(1, 2, 3);

/* ISO 3166-1 alpha-2 (rde-09): true for an assigned code (upper case). */
bool ssr_rde_cc_valid(const char *cc);
/* RFC 5322 addr-spec (dot-atom local part or quoted string, domain of dot-atoms or a literal). */
bool ssr_rde_email_valid(const char *s);
/* RFC 5730 section 2.8 roid: (\w|_){1,80}-\w{1,8}; *repo the part after the hyphen. */
bool ssr_rde_roid_valid(const char *s, const char **repo);
/* xsd:dateTime (YYYY-MM-DDThh:mm:ss[.frac][Z|+hh:mm]; no zone: UTC) to seconds since the epoch.
 * Errors: SSR_EPARSE (not that form, or a day that does not exist). */
int ssr_escrow_time_parse(const char *s, int64_t *t) SSR_CHECK;
