/* Replies of the competency and integration routes: scores are hundredths,
 * so JSON numbers are written with 10 significant digits (2.67, not
 * 2.6699999999999999). */
#ifndef EO_API_COMPETENCY_H
#define EO_API_COMPETENCY_H

#include "api/http.h"

void eo_comp_reply(eo_ctx *c, int status, json_t *body);
/* eo_reply_page with the same number format. */
void eo_comp_reply_page(eo_ctx *c, eo_page *p, json_t *items, json_t *next);

#endif
