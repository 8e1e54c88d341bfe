/* Idempotency-Key protocol for use cases a phone may retry (u->idempotency_key;
 * the request hash comes from api/idempotency.h, which hashes the HTTP request).
 *
 * Before any side effect: eo_svc_idem_replay() finds a stored answer (same key,
 * same hash: *replayed with its status and exact bytes) or refuses a key reused
 * with another request (409 idempotency_key_reused). Inside the transaction:
 * eo_svc_idem_claim() (waits for a concurrent holder; when that one committed,
 * rolls back and replays or refuses), the work, eo_svc_idem_complete() with the
 * answer, commit: the answer and the effect commit together. Only successful
 * answers are stored, so a failed attempt leaves the key free for the retry.
 * Every function is a no-op without a key. */
#ifndef EO_SVC_IDEMPOTENCY_H
#define EO_SVC_IDEMPOTENCY_H

#include <stdbool.h>

#include "svc/uow.h"

typedef struct {
    bool replayed; /* status/body hold the stored answer */
    int status;
    char *body; /* malloc'ed; the caller frees it */
} eo_idem_answer;

eo_status eo_svc_idem_replay(eo_uow *u, const char *hash, eo_idem_answer *out, eo_err *err);
/* *claimed = false when out->replayed (the transaction is rolled back then). */
eo_status eo_svc_idem_claim(eo_uow *u, const char *scope, const char *hash, bool *claimed, eo_idem_answer *out,
                            eo_err *err);
eo_status eo_svc_idem_complete(eo_uow *u, int status, const char *body, eo_err *err);

#endif
