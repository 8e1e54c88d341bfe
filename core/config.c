#include "core/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/identity.h"

/* Each loader returns false after writing a message that names the variable
 * (and, for secrets, never the value). */

static bool load_str(const char *name, char *dst, size_t cap, const char *def, bool required, char *msg, size_t msglen)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        if (required) {
            snprintf(msg, msglen, "%s is required", name);
            return false;
        }
        v = def ? def : "";
    }
    if (strlen(v) >= cap) {
        snprintf(msg, msglen, "%s is too long (at most %zu characters)", name, cap - 1);
        return false;
    }
    snprintf(dst, cap, "%s", v);
    return true;
}

static bool load_int(const char *name, int *dst, int def, int min, int max, char *msg, size_t msglen)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        *dst = def;
        return true;
    }
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max) {
        snprintf(msg, msglen, "%s must be a whole number from %d to %d (got \"%s\")", name, min, max, v);
        return false;
    }
    *dst = (int)n;
    return true;
}

static bool load_size(const char *name, size_t *dst, size_t def, size_t min, size_t max, char *msg, size_t msglen)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        *dst = def;
        return true;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || end == v || *end || v[0] == '-' || n < min || n > max) {
        snprintf(msg, msglen, "%s must be a byte count from %zu to %zu (got \"%s\")", name, min, max, v);
        return false;
    }
    *dst = (size_t)n;
    return true;
}

static bool load_bool(const char *name, bool *dst, bool def, char *msg, size_t msglen)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        *dst = def;
        return true;
    }
    if (!strcasecmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on")) {
        *dst = true;
    } else if (!strcasecmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off")) {
        *dst = false;
    } else {
        snprintf(msg, msglen, "%s must be true or false (got \"%s\")", name, v);
        return false;
    }
    return true;
}

static bool load_choice(const char *name, char *dst, size_t cap, const char *def, const char *const *choices, char *msg,
                        size_t msglen)
{
    if (!load_str(name, dst, cap, def, false, msg, msglen)) return false;
    for (const char *const *c = choices; *c; c++)
        if (strcmp(dst, *c) == 0) return true;
    char list[128] = "";
    for (const char *const *c = choices; *c; c++) {
        strncat(list, *c, sizeof(list) - strlen(list) - 1);
        if (c[1]) strncat(list, " | ", sizeof(list) - strlen(list) - 1);
    }
    snprintf(msg, msglen, "%s must be one of %s (got \"%s\")", name, list, dst);
    return false;
}

/* Splits a comma-separated variable into a fixed list, trimming blanks. */
static bool load_list(const char *name, char (*dst)[256], size_t item_cap, int max_items, int *count, char *msg,
                      size_t msglen)
{
    *count = 0;
    const char *v = getenv(name);
    if (!v || !*v) return true;
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        if (!*p) break;
        const char *start = p;
        while (*p && *p != ',') p++;
        const char *end = p;
        while (end > start && end[-1] == ' ') end--;
        size_t len = (size_t)(end - start);
        if (*count >= max_items || len >= item_cap) {
            snprintf(msg, msglen, "%s has too many or too long entries (at most %d of %zu characters)", name, max_items,
                     item_cap - 1);
            return false;
        }
        memcpy(dst[*count], start, len);
        dst[*count][len] = '\0';
        (*count)++;
    }
    return true;
}

static bool load_secret_key(const char *name, unsigned char out[32], bool required, char *msg, size_t msglen)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        if (required) {
            snprintf(msg, msglen, "%s is required (64 hexadecimal characters; e.g. `openssl rand -hex 32`)", name);
            return false;
        }
        memset(out, 0, 32);
        return true;
    }
    if (strlen(v) != 64) {
        snprintf(msg, msglen, "%s must be exactly 64 hexadecimal characters", name);
        return false;
    }
    for (int i = 0; i < 32; i++) {
        unsigned int byte;
        if (!isxdigit((unsigned char)v[2 * i]) || !isxdigit((unsigned char)v[2 * i + 1]) ||
            sscanf(v + 2 * i, "%2x", &byte) != 1) {
            snprintf(msg, msglen, "%s must be exactly 64 hexadecimal characters", name);
            return false;
        }
        out[i] = (unsigned char)byte;
    }
    return true;
}

eo_status eo_config_load(eo_config *cfg, char *msg, size_t msglen)
{
    static const char *const envs[] = {"production", "dev", NULL};
    static const char *const mail_modes[] = {"smtp", "log", NULL};
    static const char *const storages[] = {"fs", "s3", NULL};
    static const char *const fences[] = {"reject", "flag", NULL};
    static const char *const proxy_headers[] = {"x-forwarded-for", "forwarded", NULL};
    char env[16];
    char proxies[EO_MAX_LIST][256];

    memset(cfg, 0, sizeof(*cfg));
    msg[0] = '\0';
    if (!load_choice("EOFFICE_ENV", env, sizeof(env), "production", envs, msg, msglen)) goto bad;
    cfg->dev_mode = strcmp(env, "dev") == 0;

    if (!load_str("DATABASE_URL", cfg->database_url, sizeof(cfg->database_url), NULL, true, msg, msglen)) goto bad;
    if (strncmp(cfg->database_url, "postgres://", 11) && strncmp(cfg->database_url, "postgresql://", 13) &&
        !strchr(cfg->database_url, '=')) {
        snprintf(msg, msglen, "DATABASE_URL must be a postgresql:// URL or a libpq key=value string");
        goto bad;
    }
    if (!load_str("EOFFICE_BIND", cfg->bind_address, sizeof(cfg->bind_address), "127.0.0.1", false, msg, msglen) ||
        !load_int("EOFFICE_PORT", &cfg->port, 8080, 1, 65535, msg, msglen))
        goto bad;
    char default_url[96];
    snprintf(default_url, sizeof(default_url), "http://127.0.0.1:%d", cfg->port);
    if (!load_str("EOFFICE_PUBLIC_URL", cfg->public_url, sizeof(cfg->public_url), default_url, false, msg, msglen) ||
        !load_int("EOFFICE_HTTP_THREADS", &cfg->http_threads, 0, 0, 256, msg, msglen) ||
        !load_int("EOFFICE_HTTP_TIMEOUT_S", &cfg->connection_timeout_s, 30, 1, 3600, msg, msglen) ||
        !load_size("EOFFICE_MAX_BODY_BYTES", &cfg->max_body_bytes, 65536, 1024, 10u << 20, msg, msglen) ||
        !load_size("EOFFICE_MAX_UPLOAD_BYTES", &cfg->max_upload_bytes, 5u << 20, 16384, 64u << 20, msg, msglen) ||
        !load_list("EOFFICE_CORS_ORIGINS", cfg->cors_origins, sizeof(cfg->cors_origins[0]), EO_MAX_LIST,
                   &cfg->n_cors_origins, msg, msglen) ||
        !load_list("EOFFICE_TRUSTED_PROXIES", proxies, sizeof(cfg->trusted_proxies[0]), EO_MAX_LIST,
                   &cfg->n_trusted_proxies, msg, msglen))
        goto bad;
    for (int i = 0; i < cfg->n_cors_origins; i++) {
        if (strcmp(cfg->cors_origins[i], "*") == 0 ||
            (strncmp(cfg->cors_origins[i], "http://", 7) && strncmp(cfg->cors_origins[i], "https://", 8))) {
            snprintf(msg, msglen,
                     "EOFFICE_CORS_ORIGINS entries must be exact origins like https://app.example.go.id (\"*\" is not "
                     "allowed)");
            goto bad;
        }
    }
    for (int i = 0; i < cfg->n_trusted_proxies; i++) {
        /* Parsed once here; a request only compares bits. */
        if (!eo_net_range_parse(proxies[i], &cfg->trusted_proxy_nets[i])) {
            snprintf(msg, msglen,
                     "EOFFICE_TRUSTED_PROXIES entries must be IP addresses or CIDR ranges like 10.0.0.0/8 or fd00::/8 "
                     "(prefix 1-32 or 1-128, no bits set past it; no names)");
            goto bad;
        }
        snprintf(cfg->trusted_proxies[i], sizeof(cfg->trusted_proxies[i]), "%.63s", proxies[i]);
    }
    if (!load_choice("EOFFICE_PROXY_HEADER", cfg->proxy_header, sizeof(cfg->proxy_header), "x-forwarded-for",
                     proxy_headers, msg, msglen) ||
        !load_str("EOFFICE_METRICS_BIND", cfg->metrics_bind, sizeof(cfg->metrics_bind), "127.0.0.1", false, msg,
                  msglen) ||
        !load_int("EOFFICE_METRICS_PORT", &cfg->metrics_port, 9464, 0, 65535, msg, msglen))
        goto bad;
    struct in_addr metrics_addr;
    if (inet_pton(AF_INET, cfg->metrics_bind, &metrics_addr) != 1) {
        snprintf(msg, msglen, "EOFFICE_METRICS_BIND must be an IPv4 address");
        goto bad;
    }
    if (cfg->metrics_port == cfg->port) {
        snprintf(msg, msglen, "EOFFICE_METRICS_PORT must differ from EOFFICE_PORT (metrics are not served on the API)");
        goto bad;
    }

    if (!load_int("EOFFICE_DB_POOL_SIZE", &cfg->db_pool_size, 8, 1, 200, msg, msglen) ||
        !load_int("EOFFICE_DB_POOL_WAIT_MS", &cfg->db_pool_wait_ms, 2000, 0, 60000, msg, msglen) ||
        !load_int("EOFFICE_DB_STATEMENT_TIMEOUT_MS", &cfg->db_statement_timeout_ms, 5000, 0, 600000, msg, msglen))
        goto bad;

    if (!load_str("EOFFICE_JWT_PRIVATE_KEY_FILE", cfg->jwt_private_key_file, sizeof(cfg->jwt_private_key_file), NULL,
                  false, msg, msglen) ||
        !load_str("EOFFICE_JWT_ISSUER", cfg->jwt_issuer, sizeof(cfg->jwt_issuer), cfg->public_url, false, msg,
                  msglen) ||
        !load_str("EOFFICE_JWT_AUDIENCE", cfg->jwt_audience, sizeof(cfg->jwt_audience), "eoffice", false, msg,
                  msglen) ||
        !load_int("EOFFICE_ACCESS_TTL_S", &cfg->access_ttl_s, 300, 30, 3600, msg, msglen) ||
        !load_int("EOFFICE_REFRESH_TTL_S", &cfg->refresh_ttl_s, 2592000, 300, 31536000, msg, msglen) ||
        !load_secret_key("EOFFICE_SECRET_KEY", cfg->secret_key, false, msg, msglen) ||
        !load_int("EOFFICE_MAX_CONCURRENT_HASHES", &cfg->max_concurrent_hashes, 2, 1, 64, msg, msglen) ||
        !load_int("EOFFICE_HASH_SLOT_WAIT_MS", &cfg->hash_slot_wait_ms, 2000, 0, 60000, msg, msglen) ||
        !load_str("EOFFICE_TOTP_ISSUER", cfg->totp_issuer, sizeof(cfg->totp_issuer), "e-Office", false, msg, msglen) ||
        !load_int("EOFFICE_SIGNIN_ADDRESS_BUDGET", &cfg->signin_address_budget, EO_SIGNIN_ADDRESS_BUDGET, 10, 1000000,
                  msg, msglen))
        goto bad;

    if (!load_choice("EOFFICE_MAIL_MODE", cfg->mail_mode, sizeof(cfg->mail_mode), cfg->dev_mode ? "log" : "smtp",
                     mail_modes, msg, msglen) ||
        !load_str("EOFFICE_SMTP_URL", cfg->smtp_url, sizeof(cfg->smtp_url), "smtp://127.0.0.1:25", false, msg,
                  msglen) ||
        !load_str("EOFFICE_SMTP_USER", cfg->smtp_user, sizeof(cfg->smtp_user), "", false, msg, msglen) ||
        !load_str("EOFFICE_SMTP_PASSWORD", cfg->smtp_password, sizeof(cfg->smtp_password), "", false, msg, msglen) ||
        !load_str("EOFFICE_MAIL_FROM", cfg->mail_from, sizeof(cfg->mail_from), "no-reply@eoffice.go.id", false, msg,
                  msglen) ||
        !load_int("EOFFICE_MAIL_RETRY_BASE_MS", &cfg->mail_retry_base_ms, 15000, 10, 3600000, msg, msglen) ||
        !load_int("EOFFICE_MAIL_MAX_ATTEMPTS", &cfg->mail_max_attempts, 8, 1, 100, msg, msglen))
        goto bad;
    if (strcmp(cfg->mail_mode, "log") == 0 && !cfg->dev_mode) {
        snprintf(msg, msglen, "EOFFICE_MAIL_MODE=log is only allowed with EOFFICE_ENV=dev (mails would be lost)");
        goto bad;
    }
    if (strncmp(cfg->smtp_url, "smtp://", 7) && strncmp(cfg->smtp_url, "smtps://", 8)) {
        snprintf(msg, msglen, "EOFFICE_SMTP_URL must start with smtp:// or smtps://");
        goto bad;
    }

    if (!load_choice("EOFFICE_STORAGE", cfg->storage_backend, sizeof(cfg->storage_backend), "fs", storages, msg,
                     msglen) ||
        !load_str("EOFFICE_STORAGE_DIR", cfg->storage_dir, sizeof(cfg->storage_dir), "./.var/photos", false, msg,
                  msglen) ||
        !load_str("EOFFICE_S3_ENDPOINT", cfg->s3_endpoint, sizeof(cfg->s3_endpoint), "", false, msg, msglen) ||
        !load_str("EOFFICE_S3_BUCKET", cfg->s3_bucket, sizeof(cfg->s3_bucket), "", false, msg, msglen) ||
        !load_str("EOFFICE_S3_REGION", cfg->s3_region, sizeof(cfg->s3_region), "us-east-1", false, msg, msglen) ||
        !load_str("EOFFICE_S3_ACCESS_KEY", cfg->s3_access_key, sizeof(cfg->s3_access_key), "", false, msg, msglen) ||
        !load_str("EOFFICE_S3_SECRET_KEY", cfg->s3_secret_key, sizeof(cfg->s3_secret_key), "", false, msg, msglen) ||
        !load_choice("EOFFICE_GEOFENCE_MODE", cfg->geofence_mode, sizeof(cfg->geofence_mode), "reject", fences, msg,
                     msglen) ||
        !load_int("EOFFICE_MAX_ACCURACY_M", &cfg->max_accuracy_m, 100, 1, 10000, msg, msglen) ||
        !load_bool("EOFFICE_WEB_PRESENSI", &cfg->web_presensi, false, msg, msglen) ||
        !load_bool("EOFFICE_LAST_CHECKOUT_WINS", &cfg->last_checkout_wins, true, msg, msglen) ||
        !load_str("EOFFICE_MIN_APP_VERSION", cfg->min_app_version, sizeof(cfg->min_app_version), "1.0.0", false, msg,
                  msglen) ||
        !load_int("EOFFICE_MAX_DEVICE_SKEW_S", &cfg->max_device_skew_s, 43200, 0, 604800, msg, msglen) ||
        !load_int("EOFFICE_PHOTO_GRACE_S", &cfg->photo_grace_s, 900, 1, 86400, msg, msglen) ||
        !load_int("EOFFICE_SICK_DOC_DAYS", &cfg->sick_doc_days, 2, 0, 366, msg, msglen) ||
        !load_int("EOFFICE_MAX_UPLOAD_SECONDS", &cfg->max_upload_s, 120, 0, 3600, msg, msglen))
        goto bad;
    if (!load_int("EOFFICE_LKH_BACKFILL_WORKDAYS", &cfg->lkh_backfill_workdays, 3, 0, 60, msg, msglen)) goto bad;
    cfg->geofence = strcmp(cfg->geofence_mode, "flag") == 0 ? EO_GEOFENCE_FLAG : EO_GEOFENCE_REJECT;
    if (strcmp(cfg->storage_backend, "s3") == 0 && (!cfg->s3_endpoint[0] || !cfg->s3_bucket[0])) {
        snprintf(msg, msglen, "EOFFICE_S3_ENDPOINT and EOFFICE_S3_BUCKET are required when EOFFICE_STORAGE=s3");
        goto bad;
    }
    return EO_OK;
bad:
    return EO_ERR_INVALID;
}

bool eo_config_cors_allowed(const eo_config *cfg, const char *origin)
{
    if (!origin) return false;
    for (int i = 0; i < cfg->n_cors_origins; i++)
        if (strcmp(cfg->cors_origins[i], origin) == 0) return true;
    return false;
}

static bool addr_parse(const char *text, int *family, unsigned char addr[16])
{
    memset(addr, 0, 16);
    if (inet_pton(AF_INET, text, addr) == 1) {
        *family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, addr) == 1) {
        *family = AF_INET6;
        return true;
    }
    return false;
}

/* True when the first bits of a and b agree. */
static bool prefix_match(const unsigned char *a, const unsigned char *b, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, (size_t)whole) != 0) return false;
    if (rest == 0) return true;
    unsigned char mask = (unsigned char)(0xFFu << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

bool eo_net_range_parse(const char *text, eo_net_range *out)
{
    char host[64];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    if (n == 0 || n >= sizeof host) return false;
    memcpy(host, text, n);
    host[n] = '\0';
    memset(out, 0, sizeof(*out));
    if (!addr_parse(host, &out->family, out->addr)) return false;
    int max = out->family == AF_INET ? 32 : 128;
    out->prefix = max;
    if (!slash) return true;
    const char *p = slash + 1;
    size_t digits = strspn(p, "0123456789");
    if (digits == 0 || digits > 3 || p[digits] != '\0') return false;
    int prefix = 0;
    for (size_t i = 0; i < digits; i++) prefix = prefix * 10 + (p[i] - '0');
    if (prefix < 1 || prefix > max) return false;
    out->prefix = prefix;
    /* No bits past the prefix: the range is exactly what was written. */
    unsigned char masked[16];
    memcpy(masked, out->addr, sizeof masked);
    for (int bit = prefix; bit < max; bit++) masked[bit / 8] &= (unsigned char)~(0x80u >> (bit % 8));
    return memcmp(masked, out->addr, sizeof masked) == 0;
}

bool eo_config_proxy_trusted(const eo_config *cfg, const char *ip)
{
    int family;
    unsigned char addr[16];
    if (!ip || !addr_parse(ip, &family, addr)) return false;
    for (int i = 0; i < cfg->n_trusted_proxies; i++) {
        const eo_net_range *r = &cfg->trusted_proxy_nets[i];
        if (r->family == family && prefix_match(r->addr, addr, r->prefix)) return true;
    }
    return false;
}
