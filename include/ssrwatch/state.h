/* ssrwatch — the one state format of every engine's shards (`--shard I/N --save-state FILE`,
 * `ssrwatch merge`; issue 23).
 *
 * A state file holds a head that says what it is a part of (the engine's kind and payload
 * version, the options that change the figures, the snapshot date, the inputs with their
 * sizes, the number of shards) and one entry per shard it covers (the shard's index and the
 * engine's payload).  Merging states is the union of their entries: associative and
 * commutative by construction; the engine combines the entries in shard order only when all
 * are present, so any grouping and order of merges gives the same bytes.  Little-endian,
 * a CRC-32 over everything; layout in docs/FORMATS.md. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

#define SSR_STATE_FORMAT     1
#define SSR_STATE_MAX_SHARDS 100000
#define SSR_STATE_MAX_INPUTS 1000000

/* ---- building payloads ----------------------------------------------------------------- */

typedef struct {
	uint8_t *p;
	size_t n, cap;
	bool oom; /* an append failed: the buffer is incomplete */
} ssr_state_buf_t;

void ssr_state_put_u8(ssr_state_buf_t *b, uint8_t v);
void ssr_state_put_u16(ssr_state_buf_t *b, uint16_t v);
void ssr_state_put_u32(ssr_state_buf_t *b, uint32_t v);
void ssr_state_put_u64(ssr_state_buf_t *b, uint64_t v);
void ssr_state_put_bytes(ssr_state_buf_t *b, const void *p, size_t n);
/* u32 length, then the bytes (no NUL) */
void ssr_state_put_str(ssr_state_buf_t *b, const char *s);
void ssr_state_buf_release(ssr_state_buf_t *b);

/* ---- reading payloads ------------------------------------------------------------------ */

/* A bounds-checked cursor; the first failure sticks (values read after it are 0) and says
 * where: "state 'x' offset 5000: truncated". */
typedef struct {
	const uint8_t *p;
	size_t n, off;
	size_t base; /* offset of p in the file, for messages */
	const char *file;
	bool bad;
	char why[96];
} ssr_state_rd_t;

uint8_t ssr_state_get_u8(ssr_state_rd_t *r);
uint16_t ssr_state_get_u16(ssr_state_rd_t *r);
uint32_t ssr_state_get_u32(ssr_state_rd_t *r);
uint64_t ssr_state_get_u64(ssr_state_rd_t *r);
/* n bytes at the cursor, or NULL (bad) when fewer are left. */
const uint8_t *ssr_state_get_bytes(ssr_state_rd_t *r, size_t n);
/* A u32-length string of at most cap - 1 bytes copied into out (NUL-terminated). */
void ssr_state_get_str(ssr_state_rd_t *r, char *out, size_t cap);
/* A count that must fit in what is left when each item takes at least min_item bytes
 * (so a corrupt count never becomes a huge allocation); 0 and bad when it does not. */
uint64_t ssr_state_get_count(ssr_state_rd_t *r, size_t min_item);
struct ssr_hashrun;
/* A set of 64-bit hashes (the distinct ones, ascending: a hash-run walk) as a u64 count and
 * LEB128 varints of the differences (the first as is): ~5 bytes a hash for dense sets;
 * *repeats (optional) whether a hash was added twice.
 * Errors: the hash-run walk's (SSR_EIO, SSR_ENOMEM). */
int ssr_state_put_hashes(ssr_state_buf_t *b, struct ssr_hashrun *h, bool *repeats,
                         ssr_diag_t *diag) SSR_CHECK;
/* Each hash of such a list at the cursor to fn; the cursor is marked bad when the bytes are not
 * such a list (truncated, not ascending, a count past the end).
 * Errors: fn's (the walk stops there); a bad list is the cursor's (ssr_state_rd_done). */
int ssr_state_get_hashes(ssr_state_rd_t *r, int (*fn)(uint64_t v, void *ctx), void *ctx) SSR_CHECK;
/* Mark the cursor bad with a reason (the first one stays). */
void ssr_state_rd_fail(ssr_state_rd_t *r, const char *why);
/* SSR_EOK, or SSR_ECORRUPT with "state 'FILE' offset N: WHY" in diag when the cursor went bad
 * or bytes are left over. */
int ssr_state_rd_done(ssr_state_rd_t *r, ssr_diag_t *diag) SSR_CHECK;

/* ---- files ------------------------------------------------------------------------------ */

typedef struct {
	char kind[32];    /* "zone.stats", ... */
	uint32_t version; /* the kind's payload version */
	char *options;    /* canonical text of the options that change the figures */
	char date[11];    /* the snapshot date, "" none */
	uint32_t shards;  /* N */
	uint32_t ninputs;
	char **input_path;
	uint64_t *input_size;
} ssr_state_head_t;

typedef struct {
	uint32_t shard; /* 0..N-1 */
	const uint8_t *data;
	size_t len;
	size_t offset; /* of data in its file, for messages */
	const char *file;
} ssr_state_entry_t;

/* A cursor over a state entry's payload (messages name its file and offsets in it). */
static inline ssr_state_rd_t ssr_state_entry_rd(const ssr_state_entry_t *e)
{
	return (ssr_state_rd_t){.p = e->data, .n = e->len, .base = e->offset, .file = e->file};
}

/* A head for inputs paths[0..n) (sizes taken now; standard input refused: every shard reads
 * the same files); what names the inputs in messages ("zone", "capture").  Release with
 * ssr_state_head_release.  Errors: SSR_ENOTFOUND (an input), SSR_EINVAL (standard input),
 * SSR_ELIMIT, SSR_ENOMEM. */
int ssr_state_head_init(ssr_state_head_t *h, const char *kind, uint32_t version,
                        const char *options, const char *date, uint32_t shards,
                        const char *const *paths, size_t n, const char *what,
                        ssr_diag_t *diag) SSR_CHECK;
/* Write head and entries to path: path.tmp first, renamed when complete (a device such as
 * /dev/null is written directly).  Errors: SSR_EIO (naming the file), SSR_ENOMEM. */
int ssr_state_write(const char *path, const ssr_state_head_t *h, const ssr_state_entry_t *e,
                    size_t n, ssr_diag_t *diag) SSR_CHECK;

/* A state of one shard whose payload is the whole of the file payload_path (an engine that
 * keeps a state format of its own, such as the traffic states).
 * Errors: SSR_ENOTFOUND or SSR_EIO (either file), SSR_ENOMEM. */
int ssr_state_wrap_file(const char *path, const ssr_state_head_t *h, uint32_t shard,
                        const char *payload_path, ssr_diag_t *diag) SSR_CHECK;
/* An entry's payload written to a new temporary file ($TMPDIR or /tmp) whose name goes to out
 * (cap bytes); the caller unlinks it.  Errors: SSR_EIO, SSR_EINVAL (a name too long). */
int ssr_state_entry_file(const ssr_state_entry_t *e, char *out, size_t cap,
                         ssr_diag_t *diag) SSR_CHECK;

/* States to merge: every file's head must equal the first's (kind, version, options, date,
 * shards, inputs); entries are gathered, a shard in two files is an error. */
typedef struct {
	ssr_state_head_t head;
	ssr_state_entry_t *entry; /* sorted by shard */
	size_t n;
	struct ssr_state_file *files;
	size_t nfiles;
} ssr_state_set_t;

/* Open and check every file (magic, format version, CRC, head, entry table).
 * Errors: SSR_ENOTFOUND or SSR_EIO (a file), SSR_ECORRUPT (truncated, a bad CRC, bytes after
 * the end, a count beyond the file: naming file and offset), SSR_EUNSUPPORTED (another state
 * format version), SSR_EINVAL (files of different kinds, versions, options, dates, inputs or
 * shard counts; the same shard twice), SSR_ENOMEM.  On error *set holds nothing. */
int ssr_state_gather(const char *const *paths, size_t n, ssr_state_set_t *set,
                     ssr_diag_t *diag) SSR_CHECK;
/* SSR_EOK when every shard 0..N-1 is present, else SSR_EINVAL naming the missing ones
 * ("shards 2, 4 of 4 missing"). */
int ssr_state_complete(const ssr_state_set_t *set, ssr_diag_t *diag) SSR_CHECK;
void ssr_state_set_release(ssr_state_set_t *set);
/* The kind of a state file from its head only ("zone.stats"), into out (32 bytes); the states
 * of engines with a format of their own are "traffic" (SSRWTRAF, SSRWCOLL, SSRWANCH) and "rss"
 * (SSRWRSS1).  Errors as ssr_state_gather's. */
int ssr_state_kind(const char *path, char out[32], ssr_diag_t *diag) SSR_CHECK;
void ssr_state_head_release(ssr_state_head_t *h);
/* What differs between two heads ("other options", "another date", ...), or NULL. */
const char *ssr_state_head_diff(const ssr_state_head_t *a, const ssr_state_head_t *b);

/* Shard I/N text ("3/8", 1-based) -> 0-based index and count.
 * Errors: SSR_EINVAL (not I/N with 1 <= I <= N <= SSR_STATE_MAX_SHARDS). */
int ssr_state_shard_parse(const char *text, uint32_t *index, uint32_t *count) SSR_CHECK;
/* Whole inputs to shards: each input to the shard with the least bytes so far, largest
 * first (ties by input order); out[i] is input i's shard.  Deterministic. */
void ssr_state_assign(const uint64_t *sizes, size_t n, uint32_t shards, uint32_t *out);
/* Items of about equal work (targets of a regression run, delegations to check) to shards:
 * item i (0-based, in the single run's order) is shard's when i mod shards == shard (round
 * robin: each shard gets every kind of item, and starts few of them). */
bool ssr_state_item_has(uint64_t item, uint32_t shard, uint32_t shards);

/* ---- parts: the work of a shard on each input -------------------------------------------- */

/* An engine's shard payload: u32 count of parts, then each part: u32 input index, u32 part k,
 * u32 parts n, u64 length, the engine's bytes.  begin writes the part's head (at: where its
 * length goes), end fills the length in. */
void ssr_state_part_begin(ssr_state_buf_t *b, uint32_t input, uint32_t k, uint32_t n, size_t *at);
void ssr_state_part_end(ssr_state_buf_t *b, size_t at);

typedef struct {
	uint32_t input, k, n, shard;
	const uint8_t *data; /* the engine's bytes */
	size_t len;
	size_t offset; /* of data in its file */
	const char *file;
} ssr_state_part_t;

/* Every part of a complete set, sorted by input and part; each input must be whole (its parts
 * 0..n-1 once).  Free *out.  Errors: SSR_EINVAL (shards missing, an input not whole),
 * SSR_ECORRUPT (naming file and offset), SSR_ENOMEM. */
int ssr_state_parts(const ssr_state_set_t *set, ssr_state_part_t **out, size_t *n,
                    ssr_diag_t *diag) SSR_CHECK;

/* Write one part's engine bytes to b (input index, part k of parts). */
typedef int (*ssr_state_part_fn)(ssr_state_buf_t *b, uint32_t input, uint32_t k, uint32_t parts,
                                 void *ctx);
/* This shard's payload: with one input that can be cut in byte ranges (cut), its part shard of
 * shards; otherwise the whole inputs ssr_state_assign gives this shard (sizes now), each part 0
 * of 1; fn writes each part.  Errors: what fn returns, SSR_ENOMEM. */
int ssr_state_shard_work(ssr_state_buf_t *b, const char *const *paths, size_t n, bool cut,
                         uint32_t shard, uint32_t shards, ssr_state_part_fn fn, void *ctx,
                         ssr_diag_t *diag) SSR_CHECK;
