/* ssrwatch — form posts (form.c): fields and files as libmicrohttpd's post processor hands
 * them over, each under a hard cap, every field checked to be UTF-8.  Private to libportal. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#pragma GCC visibility push(hidden)

#define FORM_MAX_FIELDS 64
#define FORM_KEY_MAX    64
#define FORM_FIELD_MAX  (256 * 1024) /* one text field (a list of 100 URLs fits) */

typedef struct {
	char key[FORM_KEY_MAX];
	char *val; /* NUL-terminated; len bytes */
	size_t len, cap;
} form_field_t;

typedef struct {
	char key[FORM_KEY_MAX];
	char name[256]; /* the file name the browser sent */
	char type[128]; /* its declared type (checked by intake) */
	char *data;
	size_t len, cap;
} form_file_t;

typedef struct {
	form_field_t fields[FORM_MAX_FIELDS];
	size_t nfields;
	form_file_t *files;
	size_t nfiles, max_files, max_file;
	int status; /* 0, or the answer for the first problem: 413 over a cap, 422 malformed */
	char error[200], error_field[FORM_KEY_MAX];
} form_t;

int portal_form_init(form_t *f, size_t max_files, size_t max_file);
void portal_form_release(form_t *f);
/* One piece of a field or file as libmicrohttpd's post processor hands it over. */
int portal_form_piece(form_t *f, const char *key, const char *filename, const char *ctype,
                      const char *data, uint64_t off, size_t size);
/* After the last piece: every field valid UTF-8 without NUL bytes. */
void portal_form_check(form_t *f);
/* A field's value (NUL-terminated; *len its length) or NULL. */
const char *portal_form_get(const form_t *f, const char *key, size_t *len);

#pragma GCC visibility pop
