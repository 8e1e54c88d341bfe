/* Idempotency-Key handling for creating POSTs a phone may retry.
 *
 * Protocol: before any side effect, eo_idem_precheck() replays a stored answer
 * (same key, same request hash: identical status and bytes) or refuses a key
 * reused with another body (409 idempotency_key_reused). The handler then opens
 * its transaction, calls eo_idem_claim() (which waits for a concurrent holder of
 * the key and reports whether this request owns it), does its work, and stores
 * its answer with eo_idem_finish() in the same transaction, so the answer and
 * the effect commit together. Only successful answers are stored: a failed
 * attempt leaves the key free for the retry. */
#ifndef EO_API_IDEMPOTENCY_H
#define EO_API_IDEMPOTENCY_H

#include <sodium.h>

#include "api/http.h"

typedef struct {
    const char *key;      /* NULL when the request has no Idempotency-Key */
    char hash[65];        /* SHA-256 hex of the request (method, path, fields, photo) */
    crypto_hash_sha256_state st;
} eo_idem;

/* Reads and validates the header (1-255 visible ASCII); false after replying 400. */
bool eo_idem_begin(eo_ctx *c, eo_idem *idem);
/* Feeds one length-prefixed part of the request into the hash. */
void eo_idem_update(eo_idem *idem, const char *name, const void *data, size_t len);
void eo_idem_final(eo_idem *idem);

/* true when a reply was sent (replay or 409); call after eo_idem_final. */
bool eo_idem_precheck(eo_ctx *c, eo_db *db, eo_idem *idem);
/* Inside the transaction: claims the key. When another request committed it
 * meanwhile, rolls back, replies (replay / 409) and returns false. */
bool eo_idem_claim(eo_ctx *c, eo_db *db, eo_idem *idem, const char *scope, eo_err *err, bool *replied);
/* Stores status/body for the key (no-op without a key). */
eo_status eo_idem_finish(eo_ctx *c, eo_db *db, eo_idem *idem, int status, const char *body, eo_err *err);

#endif
