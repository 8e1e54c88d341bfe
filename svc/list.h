/* The request and result of every list use case (keyset pages, see
 * docs/internals.md "Lists"): api/ opens the cursor into `after`, the use
 * case returns the page and the position the next cursor is sealed from. */
#ifndef EO_SVC_LIST_H
#define EO_SVC_LIST_H

#include <jansson.h>

typedef struct {
    int limit;     /* 1..the list's maximum, checked by api/ */
    json_t *after; /* borrowed: the opened cursor, NULL for the first page */
} eo_svc_page_in;

typedef struct {
    json_t *items; /* new reference: a JSON array of at most limit items */
    json_t *next;  /* new reference: the position after the last item, NULL on the last page */
} eo_svc_page_out;

#endif
