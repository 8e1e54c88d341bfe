/* QR codes for authenticator enrolment (libqrencode, error correction M,
 * 4-module quiet zone), rendered as a 1-bit greyscale PNG or as SVG. */
#ifndef EO_QR_H
#define EO_QR_H

#include <stddef.h>

#include "core/status.h"

#define EO_QR_QUIET 4

/* The module matrix: *width modules per side, modules[y*width+x] is 1 when dark.
 * Caller frees *modules. */
eo_status eo_qr_matrix(const char *text, int *width, unsigned char **modules, eo_err *err);
/* PNG with `scale` pixels per module (1..16); caller frees *png. */
eo_status eo_qr_png(const char *text, int scale, unsigned char **png, size_t *len, eo_err *err);
/* SVG document (NUL-terminated); caller frees *svg. */
eo_status eo_qr_svg(const char *text, char **svg, eo_err *err);

#endif
