/* Integration API keys (docs/integration-api.md), pure.
 *
 * A key is "eok_" + 12 hex digits (the prefix: finds the row, safe to show
 * and log) + "_" + 64 hex digits (the secret: 256 random bits). Only the
 * SHA-256 of the secret is stored. A slow password hash (argon2) buys
 * nothing here: it protects low-entropy secrets against guessing, and no one
 * guesses 256 random bits, hashed or not; it would cost every partner request
 * tens of milliseconds of CPU and memory, a lever for denial of service. */
#ifndef EO_CORE_APIKEY_H
#define EO_CORE_APIKEY_H

#include <stdbool.h>
#include <stddef.h>

#define EO_APIKEY_PREFIX_LEN 12
#define EO_APIKEY_SECRET_LEN 32                                                        /* bytes */
#define EO_APIKEY_TEXT_LEN   (4 + EO_APIKEY_PREFIX_LEN + 1 + 2 * EO_APIKEY_SECRET_LEN) /* 81 */

enum {
    EO_SCOPE_ASSESSMENT_WRITE = 1u << 0,
    EO_SCOPE_TRAINING_WRITE = 1u << 1,
    EO_SCOPE_EMPLOYEES_READ = 1u << 2,
};

/* Who is calling an integration route (filled by the key check). */
typedef struct {
    long long id; /* api_keys.id */
    char prefix[EO_APIKEY_PREFIX_LEN + 1];
    char partner[65];
    unsigned scopes;
} eo_api_client;

/* "assessment:write" | "training:write" | "employees:read" -> bit; 0 when unknown. */
unsigned eo_apikey_scope_bit(const char *name);
const char *eo_apikey_scope_name(unsigned bit);

/* Partner names: 1..64 of a-z 0-9 . _ -, starting with a letter or digit. */
bool eo_apikey_partner_valid(const char *s);

/* A fresh key: text (EO_APIKEY_TEXT_LEN + 1 bytes), its prefix and the
 * SHA-256 of its secret. */
void eo_apikey_generate(char *text, char *prefix, unsigned char hash[32]);

/* Splits a presented key; false unless it has exactly the shape above. On
 * success prefix is filled and hash is the SHA-256 of the secret part. */
bool eo_apikey_parse(const char *text, char *prefix, unsigned char hash[32]);

/* Constant-time comparison of two hashes. */
bool eo_apikey_hash_equal(const unsigned char a[32], const unsigned char b[32]);

#endif
