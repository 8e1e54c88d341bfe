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

/* Who a sign-in failure is counted against (docs/operations.md, "Sign-in
 * throttle"). Nothing is counted against a NIP alone before its password is
 * known to be right, so a stranger who knows a NIP cannot keep its owner out:
 *   pair     wrong passwords (and unknown NIPs) per (NIP, client address):
 *            an attacker slows down himself, not the owner elsewhere;
 *   address  every failure per client address, with a budget sized for a
 *            carrier-grade NAT or a school (EOFFICE_SIGNIN_ADDRESS_BUDGET for
 *            sign-in): it only stops spraying many NIPs from one address;
 *   account  wrong second factors (OTP, mailed or recovery code) after a
 *            right password, per NIP: whoever sends them has the password;
 *   device   a known device (a mobile sign-in carrying a live refresh token
 *            of a session bound to that device and NIP) counts its failures
 *            only on itself and is held back by nothing else. */
typedef struct {
    eo_throttle_rule pair, address, account, device;
} eo_signin_rules;

extern const eo_signin_rules EO_SIGNIN_LOGIN;        /* address budget replaced by the configured one */
extern const eo_signin_rules EO_SIGNIN_RESET;        /* lost-authenticator confirmation */
extern const eo_throttle_rule EO_THROTTLE_RESET_NIP; /* authenticator reset mail: 3 free per NIP */
extern const eo_throttle_rule EO_THROTTLE_RESET_IP;  /* 30 free per address */

/* The longest quiet window of any rule above: a counter quiet this long holds
 * no state a later failure would read, so the sweeper may delete it. */
#define EO_THROTTLE_QUIET_MAX_S 3600

#define EO_SIGNIN_ADDRESS_BUDGET 1000 /* default failures per address per 15 min */

typedef enum { EO_SIGNIN_KEY_PAIR, EO_SIGNIN_KEY_ADDRESS, EO_SIGNIN_KEY_ACCOUNT, EO_SIGNIN_KEY_DEVICE } eo_signin_key;

/* The auth_throttle key of one counter under scope ("login", "reset"):
 *   pair     <scope>:ip:<address>:nip:<nip>
 *   address  <scope>:ip:<address>
 *   account  <scope>:nip:<nip>
 *   device   <scope>:dev:<device id>:nip:<nip>   (who = the device id)
 * Every key naming a NIP ends in ":nip:<nip>". False when it does not fit. */
bool eo_signin_key_format(char *out, size_t len, const char *scope, eo_signin_key kind, const char *who,
                          const char *nip);

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
