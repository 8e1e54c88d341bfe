/* Passwords: NIST SP 800-63B rules and argon2id hashing.
 *
 * Policy: 8..128 characters (Unicode code points), no composition rules,
 * refuse the common-password list embedded from db/seed/common-passwords.txt.
 * Hashing: crypto_pwhash_str at the INTERACTIVE preset (~85 ms, 64 MiB), so
 * at most max_concurrent hashes run at once; a caller waits up to 2 s (configurable)
 * for a slot and then gets 503 "busy" — a login flood cannot exhaust memory.
 */
#ifndef EO_PASSWORD_H
#define EO_PASSWORD_H

#include <sodium.h>
#include <stdbool.h>

#include "core/status.h"

#define EO_PASSWORD_MIN          8
#define EO_PASSWORD_MAX          128
#define EO_PASSWORD_HASH_LEN     crypto_pwhash_STRBYTES
#define EO_PASSWORD_SLOT_WAIT_MS 2000

/* Sets the number of concurrent hashes (default 2) and precomputes the dummy hash. */
void eo_password_init(int max_concurrent);

/* How long a caller waits for a free slot before 503 "busy" (default
 * EO_PASSWORD_SLOT_WAIT_MS; EOFFICE_HASH_SLOT_WAIT_MS). 0: refuse at once when every
 * slot is taken, which makes the busy answer testable. */
void eo_password_set_slot_wait_ms(int wait_ms);

/* True when pw (case-insensitive) is on the common list. */
bool eo_password_is_common(const char *pw);

/* Checks the policy; adds field errors on `field`: password_too_short,
 * password_too_long, password_common, invalid_type (not UTF-8). */
eo_status eo_password_check_policy(const char *pw, const char *field, eo_err *err);

eo_status eo_password_hash(const char *pw, char out[EO_PASSWORD_HASH_LEN], eo_err *err);

/* *ok = pw matches hash. hash NULL: verifies against a dummy hash so that an
 * unknown account costs the same time, and *ok is false. */
eo_status eo_password_verify(const char *hash, const char *pw, bool *ok, eo_err *err);

#endif
