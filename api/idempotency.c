#include "api/idempotency.h"

#include <stdlib.h>
#include <string.h>

#include "db/idempotency.h"

bool eo_idem_begin(eo_ctx *c, eo_idem *idem)
{
    memset(idem, 0, sizeof(*idem));
    crypto_hash_sha256_init(&idem->st);
    const char *key = eo_header(c, "Idempotency-Key");
    if (!key) return true;
    size_t n = strlen(key);
    bool ok = n >= 1 && n <= 255;
    for (size_t i = 0; ok && i < n; i++) ok = key[i] > 0x20 && key[i] < 0x7F;
    if (!ok) {
        eo_reply_problem(c, EO_ERR_BAD_REQUEST, "idempotency_key_invalid");
        return false;
    }
    idem->key = key;
    return true;
}

void eo_idem_update(eo_idem *idem, const char *name, const void *data, size_t len)
{
    unsigned char hdr[16];
    size_t nl = strlen(name);
    for (int i = 0; i < 8; i++) hdr[i] = (unsigned char)(nl >> (8 * i));
    for (int i = 0; i < 8; i++) hdr[8 + i] = (unsigned char)((unsigned long long)len >> (8 * i));
    crypto_hash_sha256_update(&idem->st, hdr, sizeof(hdr));
    crypto_hash_sha256_update(&idem->st, (const unsigned char *)name, nl);
    if (len) crypto_hash_sha256_update(&idem->st, data, len);
}

void eo_idem_final(eo_idem *idem)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&idem->st, h);
    sodium_bin2hex(idem->hash, sizeof(idem->hash), h, sizeof(h));
}

/* Replies from a stored entry; false when there is nothing to say yet. */
static bool reply_from(eo_ctx *c, eo_idem *idem, eo_idem_entry *e)
{
    if (!e->found) return false;
    if (strcmp(e->request_hash, idem->hash) != 0) {
        eo_reply_problem(c, EO_ERR_CONFLICT, "idempotency_key_reused");
        return true;
    }
    if (!e->complete) return false;
    eo_set_header(c, "Idempotent-Replayed", "true");
    eo_reply_bytes(c, e->status, "application/json; charset=utf-8", e->body, strlen(e->body));
    return true;
}

bool eo_idem_precheck(eo_ctx *c, eo_db *db, eo_idem *idem)
{
    if (!idem->key) return false;
    eo_err err;
    eo_err_init(&err);
    eo_idem_entry e;
    if (eo_db_idem_lookup(db, c->who->employee_id, idem->key, &e, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return true;
    }
    bool replied = reply_from(c, idem, &e);
    free(e.body);
    return replied;
}

bool eo_idem_claim(eo_ctx *c, eo_db *db, eo_idem *idem, const char *scope, eo_err *err, bool *replied)
{
    *replied = false;
    if (!idem->key) return true;
    bool claimed = false;
    if (eo_db_idem_claim(db, c->who->employee_id, idem->key, scope, idem->hash, &claimed, err) != EO_OK)
        return false;
    if (claimed) return true;
    eo_db_rollback(db);
    eo_idem_entry e;
    if (eo_db_idem_lookup(db, c->who->employee_id, idem->key, &e, err) != EO_OK) return false;
    *replied = reply_from(c, idem, &e);
    free(e.body);
    if (!*replied) eo_fail(err, EO_ERR_CONFLICT, "idempotency_key_reused");
    return false;
}

eo_status eo_idem_finish(eo_ctx *c, eo_db *db, eo_idem *idem, int status, const char *body, eo_err *err)
{
    if (!idem->key) return EO_OK;
    return eo_db_idem_complete(db, c->who->employee_id, idem->key, status, body, err);
}
