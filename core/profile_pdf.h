/* The printable profile: an A4 PDF of every section a profile answer holds
 * (svc/profile.h), drawn with libharu in DejaVu Sans embedded as a TrueType
 * font through libharu's UTF-8 encoder, so any Indonesian (or other) name
 * prints as written. Every page's footer carries the generation time and the
 * document id. docs/profile.md explains the choice of library. */
#ifndef EO_CORE_PROFILE_PDF_H
#define EO_CORE_PROFILE_PDF_H

#include <jansson.h>
#include <stddef.h>

#include "core/status.h"

/* The fonts (Debian fonts-dejavu-core). */
#define EO_PDF_FONT      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define EO_PDF_FONT_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

/* profile: {employee, sections, hidden_sections} as eo_svc_profile_get gives it.
 * *pdf is malloc'ed (caller frees). 503 pdf_unavailable when the fonts cannot be loaded. */
eo_status eo_profile_pdf_render(const json_t *profile, const char *doc_id, double now, unsigned char **pdf, size_t *len,
                                eo_err *err);

#endif
