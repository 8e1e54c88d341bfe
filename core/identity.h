/* Identity rules that need neither HTTP nor a database: throttle schedule,
 * enrolment lifetime, one-time codes, field formats, keyed hashes. */
#ifndef EO_IDENTITY_H
#define EO_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

#define EO_ENROLMENT_TTL_S         900 /* an abandoned enrolment expires after 15 min */
#define EO_EMAIL_CODE_TTL_S        900 /* mailed reset codes live 15 min */
#define EO_EMAIL_CODE_DIGITS       8
#define EO_EMAIL_CODE_MAX_ATTEMPTS 5
#define EO_RECOVERY_CODES          8
#define EO_RECOVERY_CODE_LEN       10
#define EO_ENROLMENT_MAX_ATTEMPTS  10 /* wrong codes before an enrolment is void */

/* Failure counters (auth_throttle): after `free_failures` failures inside the
 * window each further failure doubles the wait, capped, so guessing is slow
 * but nobody is ever locked out for good. */
typedef struct {
    int free_failures; /* failures allowed without delay */
    int cap_s;         /* longest delay */
    int window_s;      /* a quiet window this long resets the count */
} eo_throttle_rule;

extern const eo_throttle_rule EO_THROTTLE_LOGIN_NIP; /* 5 free, cap 15 min */
extern const eo_throttle_rule EO_THROTTLE_LOGIN_IP;  /* 100 free: many users behind one NAT */
extern const eo_throttle_rule EO_THROTTLE_RESET_NIP; /* authenticator reset: 3 free */
extern const eo_throttle_rule EO_THROTTLE_RESET_IP;  /* 30 free */

/* Seconds to wait after the failures-th failure: 0 while failures <= free,
 * then 2^(failures - free) capped at cap_s. */
int eo_throttle_delay(const eo_throttle_rule *rule, int failures);

bool eo_identity_phone_valid(const char *s); /* optional +, 8..15 digits (E.164 length) */

/* 10 characters from an unambiguous 32-letter alphabet (50 bits). */
void eo_identity_recovery_code(char out[EO_RECOVERY_CODE_LEN + 1]);
/* Upper-cases and drops spaces/dashes; false when the result is not a code. */
bool eo_identity_recovery_normalize(const char *in, char out[EO_RECOVERY_CODE_LEN + 1]);
/* 8 uniformly random digits. */
void eo_identity_email_code(char out[EO_EMAIL_CODE_DIGITS + 1]);

/* Keyed BLAKE2b-256 of text under the server secret: how recovery codes,
 * e-mail codes and enrolment tokens are stored. */
void eo_identity_keyed_hash(const unsigned char key[32], const char *text, unsigned char out[32]);

#endif
