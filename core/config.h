/* Server configuration, read once from the environment at start-up
 * (EOFFICE_* and DATABASE_URL) and read-only afterwards. Every variable is
 * documented in README.md with its default. */
#ifndef EO_CONFIG_H
#define EO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

#define EO_MAX_LIST 16

/* Outside the geofence or with poor accuracy: refuse the punch, or record it flagged. */
typedef enum { EO_GEOFENCE_REJECT = 0, EO_GEOFENCE_FLAG = 1 } eo_geofence_mode;

/* One EOFFICE_TRUSTED_PROXIES entry: an address range, parsed at load. A
 * plain address is its own range (prefix 32 or 128). */
typedef struct {
    int family;             /* AF_INET or AF_INET6 */
    unsigned char addr[16]; /* network order; IPv4 uses the first 4 bytes */
    int prefix;             /* leading bits that must match */
} eo_net_range;

typedef struct {
    /* general */
    bool dev_mode;           /* EOFFICE_ENV=dev (default production) */
    char database_url[1024]; /* DATABASE_URL (required) */
    char public_url[256];    /* EOFFICE_PUBLIC_URL: base URL clients see */

    /* http */
    char bind_address[64];               /* EOFFICE_BIND (127.0.0.1) */
    int port;                            /* EOFFICE_PORT (8080) */
    int http_threads;                    /* EOFFICE_HTTP_THREADS (0 = one thread per connection) */
    int connection_timeout_s;            /* EOFFICE_HTTP_TIMEOUT_S (30) */
    size_t max_body_bytes;               /* EOFFICE_MAX_BODY_BYTES (65536): JSON bodies */
    size_t max_upload_bytes;             /* EOFFICE_MAX_UPLOAD_BYTES (5 MiB): photo uploads */
    char cors_origins[EO_MAX_LIST][256]; /* EOFFICE_CORS_ORIGINS comma-separated allow-list */
    int n_cors_origins;
    char trusted_proxies[EO_MAX_LIST][64];        /* EOFFICE_TRUSTED_PROXIES: addresses or CIDR ranges, as written */
    eo_net_range trusted_proxy_nets[EO_MAX_LIST]; /* the same, parsed: what eo_config_proxy_trusted matches */
    int n_trusted_proxies;
    char proxy_header[24]; /* EOFFICE_PROXY_HEADER: x-forwarded-for (default) | forwarded: the one a proxy sets */
    char metrics_bind[64]; /* EOFFICE_METRICS_BIND (127.0.0.1): the metrics listener, never the API's */
    int metrics_port;      /* EOFFICE_METRICS_PORT (9464; 0 = no metrics listener) */

    /* database pool */
    int db_pool_size;            /* EOFFICE_DB_POOL_SIZE (8) */
    int db_pool_wait_ms;         /* EOFFICE_DB_POOL_WAIT_MS (2000) */
    int db_statement_timeout_ms; /* EOFFICE_DB_STATEMENT_TIMEOUT_MS (5000) */

    /* identity */
    char jwt_private_key_file[512]; /* EOFFICE_JWT_PRIVATE_KEY_FILE: EC P-256 PEM (required) */
    char jwt_issuer[256];           /* EOFFICE_JWT_ISSUER (public_url) */
    char jwt_audience[128];         /* EOFFICE_JWT_AUDIENCE (eoffice) */
    int access_ttl_s;               /* EOFFICE_ACCESS_TTL_S (300) */
    int refresh_ttl_s;              /* EOFFICE_REFRESH_TTL_S (2592000 = 30 days) */
    unsigned char secret_key[32];   /* EOFFICE_SECRET_KEY: 64 hex chars; encrypts TOTP secrets */
    int max_concurrent_hashes;      /* EOFFICE_MAX_CONCURRENT_HASHES (2) */
    int hash_slot_wait_ms;          /* EOFFICE_HASH_SLOT_WAIT_MS (2000): wait for a hash slot, then 503 busy */
    char totp_issuer[64];           /* EOFFICE_TOTP_ISSUER (e-Office) */
    int signin_address_budget;      /* EOFFICE_SIGNIN_ADDRESS_BUDGET (1000): failures per address before delays */

    /* mail */
    char mail_mode[16];      /* EOFFICE_MAIL_MODE: smtp | log (log only in dev) */
    char smtp_url[256];      /* EOFFICE_SMTP_URL e.g. smtp://127.0.0.1:2525 */
    char smtp_user[128];     /* EOFFICE_SMTP_USER */
    char smtp_password[128]; /* EOFFICE_SMTP_PASSWORD */
    char mail_from[128];     /* EOFFICE_MAIL_FROM (no-reply@eoffice.go.id) */
    int mail_retry_base_ms;  /* EOFFICE_MAIL_RETRY_BASE_MS (15000): first retry delay, doubled per attempt */
    int mail_max_attempts;   /* EOFFICE_MAIL_MAX_ATTEMPTS (8): then the mail is marked failed */

    /* presensi */
    char storage_backend[8];   /* EOFFICE_STORAGE: fs | s3 */
    char storage_dir[512];     /* EOFFICE_STORAGE_DIR (./.var/photos) */
    char s3_endpoint[256];     /* EOFFICE_S3_ENDPOINT e.g. http://127.0.0.1:4569 */
    char s3_bucket[64];        /* EOFFICE_S3_BUCKET */
    char s3_region[32];        /* EOFFICE_S3_REGION (us-east-1) */
    char s3_access_key[128];   /* EOFFICE_S3_ACCESS_KEY */
    char s3_secret_key[128];   /* EOFFICE_S3_SECRET_KEY */
    char geofence_mode[8];     /* EOFFICE_GEOFENCE_MODE: reject | flag (reject), as configured */
    eo_geofence_mode geofence; /* the same, parsed once at load: what the code decides on */
    int max_accuracy_m;        /* EOFFICE_MAX_ACCURACY_M (100) */
    bool web_presensi;         /* EOFFICE_WEB_PRESENSI (false) */
    bool last_checkout_wins;   /* EOFFICE_LAST_CHECKOUT_WINS (true) */
    char min_app_version[32];  /* EOFFICE_MIN_APP_VERSION (1.0.0) */
    int max_device_skew_s;     /* EOFFICE_MAX_DEVICE_SKEW_S (43200) */
    int max_upload_s;          /* EOFFICE_MAX_UPLOAD_SECONDS (120): slower uploads are stamped on receipt */
    int photo_grace_s;         /* EOFFICE_PHOTO_GRACE_S (900): a pending photo's wait for its record */
    int lkh_backfill_workdays; /* EOFFICE_LKH_BACKFILL_WORKDAYS (3): how far back an LKH may be filed */
    int sick_doc_days;         /* EOFFICE_SICK_DOC_DAYS (2): longer sakit requests need a document */
} eo_config;

/* Reads the environment into cfg. On a bad value returns EO_ERR_INVALID and
 * writes a message naming the variable into msg (never the secret value). */
eo_status eo_config_load(eo_config *cfg, char *msg, size_t msglen);

/* True when origin is on the CORS allow-list. */
bool eo_config_cors_allowed(const eo_config *cfg, const char *origin);

/* Parses "192.0.2.1", "10.0.0.0/8", "2001:db8::1" or "fd00::/8" into *out.
 * False for a name, a prefix that is not 0-32 (IPv4) / 0-128 (IPv6) in plain
 * digits, /0 (it would trust every peer), or address bits set past the prefix
 * (10.0.0.1/8 is a typo for a host or a range: refused, not guessed). */
bool eo_net_range_parse(const char *text, eo_net_range *out);

/* True when ip (an address as text) lies in one of EOFFICE_TRUSTED_PROXIES. */
bool eo_config_proxy_trusted(const eo_config *cfg, const char *ip);

#endif
