/* The programme reference (docs/rpi.md "Programme references"): how a
 * partner's training or a pre/post assessment names the development programme
 * (and so the RPI item) it belongs to.
 *
 *   programme:<id>          the e-Office catalogue programme (dev_programmes.id, 1..2^63-1, decimal, no sign or leading zero)
 *   plataran:<external id>  the programme's Plataran Sehat id (1..100 bytes, printable ASCII without space)
 *
 * Anything else is not a reference (free text is still a valid programme_ref
 * of an assessment; it links to no RPI item). */
#ifndef EO_CORE_PROGRAMME_REF_H
#define EO_CORE_PROGRAMME_REF_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { EO_PREF_NONE = 0, EO_PREF_PROGRAMME, EO_PREF_PLATARAN } eo_pref_kind;

typedef struct {
    eo_pref_kind kind;
    long long id;         /* EO_PREF_PROGRAMME */
    const char *external; /* EO_PREF_PLATARAN: points into the parsed text */
} eo_programme_ref;

/* Parses ref; false (kind NONE) when it is neither form. */
bool eo_programme_ref_parse(const char *ref, eo_programme_ref *out);
/* A Plataran external id as sent in programme_external_id (1..100 printable ASCII, no space). */
bool eo_programme_external_id_valid(const char *s);

#endif
