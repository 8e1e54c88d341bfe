/* TOTP (RFC 6238): HMAC-SHA1, 6 digits, 30-second steps, ±1 step of clock
 * drift. Secrets are 20 random bytes (160 bits, 32 base32 characters without
 * padding), kept encrypted at rest with crypto_secretbox under the server's
 * secret key. Each code is accepted once: the caller stores the matched step
 * and passes it back as last_step; any step <= last_step is refused. */
#ifndef EO_TOTP_H
#define EO_TOTP_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

#define EO_TOTP_SECRET_LEN 20
#define EO_TOTP_B32_LEN    33 /* 32 + NUL */
#define EO_TOTP_SEALED_LEN (EO_TOTP_SECRET_LEN + crypto_secretbox_MACBYTES)
#define EO_TOTP_NONCE_LEN  crypto_secretbox_NONCEBYTES
#define EO_TOTP_PERIOD     30
#define EO_TOTP_DIGITS     6
#define EO_TOTP_WINDOW     1

void eo_totp_new_secret(unsigned char secret[EO_TOTP_SECRET_LEN]);
void eo_totp_base32(const unsigned char secret[EO_TOTP_SECRET_LEN], char out[EO_TOTP_B32_LEN]);

/* otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
 * with the label and the issuer parameter percent-encoded. */
eo_status eo_totp_uri(const char *issuer, const char *account, const char *b32, char *out, size_t outlen, eo_err *err);

void eo_totp_seal(const unsigned char key[32], const unsigned char secret[EO_TOTP_SECRET_LEN],
                  unsigned char sealed[EO_TOTP_SEALED_LEN], unsigned char nonce[EO_TOTP_NONCE_LEN]);
/* Fails (EO_ERR_INTERNAL "internal") when the box does not open (wrong key, tampered row). */
eo_status eo_totp_open(const unsigned char key[32], const unsigned char *sealed, size_t sealed_len,
                       const unsigned char *nonce, size_t nonce_len, unsigned char secret[EO_TOTP_SECRET_LEN],
                       eo_err *err);

/* The code of a time-step with `digits` digits (6 here; 8 for RFC test vectors). */
void eo_totp_code_at(const unsigned char *secret, size_t secret_len, long long step, unsigned digits, char *out,
                     size_t outlen);
long long eo_totp_step(long long unix_time);

/* True when code (6 digits) matches a step within ±1 of now's step that is
 * newer than last_step; *matched_step gets that step. Constant-time compare. */
bool eo_totp_check(const unsigned char secret[EO_TOTP_SECRET_LEN], const char *code, long long now, long long last_step,
                   long long *matched_step);

#endif
