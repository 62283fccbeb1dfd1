/* ssrwatch — form posts (application/x-www-form-urlencoded, multipart/form-data) as libmicrohttpd's
 * post processor hands them over: in pieces.  Each field and file grows in place (doubling, so a
 * field of n bytes costs O(n) however it is cut), each is capped, and the first field over its
 * cap stops the collection: the request is then answered with the reason, nothing else of the
 * form is used. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "ssrwatch/error.h"
#include "ssrwatch/utf8.h"

/* Append n bytes to a growing buffer; false when it would pass max. */
static bool grow_append(char **buf, size_t *len, size_t *cap, const char *data, size_t n,
                        size_t max)
{
	if (*len + n > max) {
		return false;
	}
	if (*len + n + 1 > *cap) {
		size_t nc = *cap ? *cap : 256;
		while (nc < *len + n + 1) {
			nc *= 2;
		}
		char *nb = realloc(*buf, nc);
		if (nb == NULL) {
			return false;
		}
		*buf = nb;
		*cap = nc;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
	return true;
}

static void form_fail(form_t *f, int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void form_fail(form_t *f, int status, const char *field, const char *fmt, ...)
{
	if (f->status != 0) {
		return;
	}
	f->status = status;
	snprintf(f->error_field, sizeof(f->error_field), "%s", field);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->error, sizeof(f->error), fmt, ap);
	va_end(ap);
}

int portal_form_init(form_t *f, size_t max_files, size_t max_file)
{
	memset(f, 0, sizeof(*f));
	f->max_files = max_files;
	f->max_file = max_file;
	f->files = calloc(max_files ? max_files : 1, sizeof(*f->files));
	return f->files ? SSR_EOK : SSR_ENOMEM;
}

void portal_form_release(form_t *f)
{
	for (size_t i = 0; i < f->nfields; i++) {
		free(f->fields[i].val);
	}
	for (size_t i = 0; i < f->nfiles; i++) {
		free(f->files[i].data);
	}
	free(f->files);
	memset(f, 0, sizeof(*f));
}

static bool has_ctl(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			return true;
		}
	}
	return false;
}

int portal_form_piece(form_t *f, const char *key, const char *filename, const char *ctype,
                      const char *data, uint64_t off, size_t size)
{
	if (f->status != 0) {
		return SSR_EOK; /* refused already: the rest is read and dropped */
	}
	if (key == NULL || strlen(key) >= FORM_KEY_MAX) {
		form_fail(f, 413, "", "a form field name longer than %d bytes", FORM_KEY_MAX - 1);
		return SSR_EOK;
	}
	if (filename != NULL) {
		if (*filename == '\0' && off == 0 && size == 0) {
			return SSR_EOK; /* a file input left empty */
		}
		form_file_t *fl = f->nfiles ? &f->files[f->nfiles - 1] : NULL;
		if (off == 0 || fl == NULL) {
			if (f->nfiles == f->max_files) {
				form_fail(f, 413, key, "more than %zu files", f->max_files);
				return SSR_EOK;
			}
			if (strlen(filename) >= sizeof(fl->name) || has_ctl(filename)) {
				form_fail(
				    f, 422, key,
				    "the file name has control characters (line breaks, NUL) or "
				    "is longer than %zu bytes",
				    sizeof(fl->name) - 1);
				return SSR_EOK;
			}
			fl = &f->files[f->nfiles++];
			snprintf(fl->key, sizeof(fl->key), "%s", key);
			snprintf(fl->name, sizeof(fl->name), "%s", filename);
			snprintf(fl->type, sizeof(fl->type), "%s",
			         ctype && *ctype ? ctype : "application/octet-stream");
		}
		if (!grow_append(&fl->data, &fl->len, &fl->cap, data, size, f->max_file)) {
			form_fail(f, 413, key, "file '%s' larger than %zu bytes", fl->name,
			          f->max_file);
		}
		return SSR_EOK;
	}
	if (strcmp(key, "attachments") == 0 && size > 0) {
		/* a file input's part without a file name: its Content-Disposition did not parse
		 * (a file name with a line break or a NUL); never drop an attachment silently */
		form_fail(f, 422, key,
		          "an attachment whose file name could not be read (line breaks or NUL "
		          "in it); rename the file");
		return SSR_EOK;
	}
	form_field_t *fd = NULL;
	for (size_t i = 0; i < f->nfields; i++) {
		if (strcmp(f->fields[i].key, key) == 0) {
			fd = &f->fields[i];
		}
	}
	if (fd == NULL || off == 0) {
		if (fd != NULL) {
			fd->len = 0; /* the same name again: the last value counts */
		} else if (f->nfields == FORM_MAX_FIELDS) {
			form_fail(f, 413, key, "more than %d form fields", FORM_MAX_FIELDS);
			return SSR_EOK;
		} else {
			fd = &f->fields[f->nfields++];
			snprintf(fd->key, sizeof(fd->key), "%s", key);
		}
	}
	if (!grow_append(&fd->val, &fd->len, &fd->cap, data, size, FORM_FIELD_MAX)) {
		form_fail(f, 413, key, "field '%s' longer than %d bytes", key, FORM_FIELD_MAX);
	}
	return SSR_EOK;
}

const char *portal_form_get(const form_t *f, const char *key, size_t *len)
{
	for (size_t i = 0; f != NULL && i < f->nfields; i++) {
		if (strcmp(f->fields[i].key, key) == 0) {
			if (len != NULL) {
				*len = f->fields[i].len;
			}
			return f->fields[i].val ? f->fields[i].val : "";
		}
	}
	return NULL;
}

void portal_form_check(form_t *f)
{
	for (size_t i = 0; i < f->nfields && f->status == 0; i++) {
		const form_field_t *fd = &f->fields[i];
		if (fd->len > 0 && memchr(fd->val, '\0', fd->len) != NULL) {
			form_fail(f, 422, fd->key, "field '%s' has a NUL byte", fd->key);
		} else if (fd->len > 0 && !ssr_utf8_valid(fd->val, fd->len)) {
			form_fail(f, 422, fd->key, "field '%s' is not valid UTF-8", fd->key);
		}
	}
	for (size_t i = 0; i < f->nfiles && f->status == 0; i++) {
		if (!ssr_utf8_valid(f->files[i].name, strlen(f->files[i].name))) {
			form_fail(f, 422, f->files[i].key, "a file name that is not valid UTF-8");
		}
	}
}
