/* Idempotency-Key handling for creating POSTs a phone may retry: the HTTP
 * half. Validates the header and hashes the request (method, path, fields,
 * photo); the protocol itself (replay, claim, store the answer in the
 * effect's transaction) is the use case's: svc/idempotency.h. */
#ifndef EO_API_IDEMPOTENCY_H
#define EO_API_IDEMPOTENCY_H

#include <sodium.h>

#include "api/http.h"

typedef struct {
    const char *key; /* NULL when the request has no Idempotency-Key */
    char hash[65];   /* SHA-256 hex of the request (method, path, fields, photo) */
    crypto_hash_sha256_state st;
} eo_idem;

/* Reads and validates the header (1-255 visible ASCII); false after replying 400. */
bool eo_idem_begin(eo_ctx *c, eo_idem *idem);
/* Feeds one length-prefixed part of the request into the hash. */
void eo_idem_update(eo_idem *idem, const char *name, const void *data, size_t len);
void eo_idem_final(eo_idem *idem);

#endif
