/* The employee directory's pure rules (docs/directory.md): what a search query
 * is, how skills are normalised, how long a text is in characters. */
#ifndef EO_CORE_DIRECTORY_H
#define EO_CORE_DIRECTORY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

#define EO_DIR_QUERY_MIN  2   /* characters */
#define EO_DIR_QUERY_MAX  100 /* characters */
#define EO_DIR_SKILLS_MAX 30
#define EO_DIR_SKILL_MAX  50   /* characters per tag */
#define EO_DIR_ABOUT_MAX  2000 /* characters */
#define EO_DIR_RECO_MAX   1000 /* characters */

typedef struct {
    char text[4 * EO_DIR_QUERY_MAX + 1]; /* trimmed query */
    bool nip;                            /* digits only: a NIP prefix */
} eo_dir_query;

/* Checks ?q= (NULL: missing): strict UTF-8 without control characters, 2..100
 * characters after trimming; digits only (2..18) is a NIP prefix. Field "q":
 * missing_field / invalid_value / too_short / too_long. */
eo_status eo_dir_query_parse(const char *q, eo_dir_query *out, eo_err *err);

/* Characters (code points) in UTF-8 text s[0..n) that eo_utf8_valid accepted. */
size_t eo_dir_chars(const char *s, size_t n);

/* True when s holds a control character other than \n, \r, \t (allow_newline) or any at all. */
bool eo_dir_has_control(const char *s, bool allow_newline);

/* One skill tag normalised into out (cap >= 4 * EO_DIR_SKILL_MAX + 1): trimmed, inner runs of
 * white space collapsed to one space. Returns false when it is empty, longer than
 * EO_DIR_SKILL_MAX characters or holds a control character. */
bool eo_dir_skill_normalise(const char *in, char *out, size_t cap);

/* Case-insensitive equality of two normalised tags (ASCII letters fold; other
 * characters compare exactly). */
bool eo_dir_skill_same(const char *a, const char *b);

/* The skills list of a PUT: a JSON array of strings, each normalised
 * (eo_dir_skill_normalise), case-insensitive duplicates dropped (the first
 * spelling stays), at most EO_DIR_SKILLS_MAX left. *out: a new JSON array.
 * Field errors on "skills": invalid_type, too_long (more than 30), or
 * "skills[i]": invalid_type / invalid_value. */
eo_status eo_dir_skills_normalise(const json_t *in, json_t **out, eo_err *err);

/* A free text of at most max characters (about me, a recommendation): control
 * characters other than new lines and tabs are invalid_value, too long is
 * too_long, blank is missing_field when required. */
eo_status eo_dir_text_check(const char *field, const char *s, size_t max, bool required, eo_err *err);

#endif
