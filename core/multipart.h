/* multipart/form-data (RFC 7578) read strictly, from the raw body.
 *
 * libmicrohttpd's post processor, as ulfius drives it, joins repeated fields
 * with a comma (two "photo" parts become one value that is neither) and
 * cannot say how many parts a name had. Upload routes therefore read the raw
 * body (ulfius keeps it whole, bounded by the route's size limit) with this
 * parser and never look at ulfius's map_post_body. Anything a lenient parser
 * could read differently is refused: a repeated name, a preamble, a boundary
 * followed by anything but "--" or CRLF, a part without exactly one
 * Content-Disposition: form-data with exactly one name, an encoded part
 * (Content-Transfer-Encoding other than 7bit/8bit/binary), an epilogue other
 * than one CRLF, more than EO_MULTIPART_MAX_PARTS parts. Pure: no allocation;
 * parts point into the body. */
#ifndef EO_MULTIPART_H
#define EO_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

#define EO_MULTIPART_MAX_PARTS    32
#define EO_MULTIPART_MAX_NAME     64   /* bytes of a field name */
#define EO_MULTIPART_MAX_BOUNDARY 70   /* RFC 2046 §5.1.1 */
#define EO_MULTIPART_MAX_HEADER   1024 /* bytes of one part header line */
#define EO_MULTIPART_MAX_HEADERS  16   /* header lines of one part */

typedef struct {
    char name[EO_MULTIPART_MAX_NAME + 1];
    bool has_filename;         /* a file part (its name is not kept: never trusted) */
    const unsigned char *data; /* into the body; not NUL-terminated */
    size_t len;
} eo_multipart_part;

typedef struct {
    eo_multipart_part parts[EO_MULTIPART_MAX_PARTS];
    size_t n;
} eo_multipart_form;

/* True when content_type is "multipart/form-data" (any case) with a usable
 * boundary, copied to out: the parameter spelled "boundary", the last one,
 * token or quoted, 1 to 70 characters of RFC 2046's bchars, no space at its
 * end, nothing after it. The shape is narrower than RFC 7578 allows so that
 * libmicrohttpd (which takes everything after the first "boundary=") reads
 * the same boundary; clients send exactly this. */
bool eo_multipart_boundary(const char *content_type, char out[EO_MULTIPART_MAX_BOUNDARY + 1]);

/* True when content_type names multipart/form-data at all (the type, any case,
 * followed by ';', whitespace or the end), usable boundary or not. */
bool eo_multipart_is_form(const char *content_type);

/* Parses body. Errors: 415 multipart_required (not multipart/form-data),
 * 400 multipart_boundary_invalid, 400 multipart_invalid (malformed),
 * 400 multipart_field_repeated (extra "field": the name). */
eo_status eo_multipart_parse(const char *content_type, const unsigned char *body, size_t len, eo_multipart_form *form,
                             eo_err *err);

/* The part named name, or NULL. */
const eo_multipart_part *eo_multipart_get(const eo_multipart_form *form, const char *name);

#endif
