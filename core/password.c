#include "core/password.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/resources.h"

static pthread_mutex_t slot_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_cv = PTHREAD_COND_INITIALIZER;
static int slots_max = 2;
static int slots_used;
static int slot_wait_ms = EO_PASSWORD_SLOT_WAIT_MS;
static char dummy_hash[EO_PASSWORD_HASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static const char **common_words;
static size_t n_common;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    unsigned char r[16];
    char pw[33];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(pw, sizeof pw, r, sizeof r);
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

void eo_password_init(int max_concurrent)
{
    if (sodium_init() < 0) abort();
    pthread_mutex_lock(&slot_mu);
    slots_max = max_concurrent > 0 ? max_concurrent : 2;
    pthread_mutex_unlock(&slot_mu);
    pthread_once(&dummy_once, make_dummy);
}

void eo_password_set_slot_wait_ms(int wait_ms)
{
    pthread_mutex_lock(&slot_mu);
    slot_wait_ms = wait_ms >= 0 ? wait_ms : EO_PASSWORD_SLOT_WAIT_MS;
    pthread_mutex_unlock(&slot_mu);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Builds a sorted array of pointers into a private lower-cased copy of the list. */
static void load_common(void)
{
    const eo_resource *r = eo_resource_find("db/seed/common-passwords.txt");
    if (!r) return;
    char *copy = malloc(r->len + 1);
    size_t cap = 1;
    for (size_t i = 0; i < r->len; i++) cap += r->data[i] == '\n';
    const char **words = malloc(cap * sizeof *words);
    if (!copy || !words) {
        free(copy);
        free(words);
        return;
    }
    memcpy(copy, r->data, r->len + 1);
    size_t n = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        if (line[0] == '#' || line[0] == '\0') continue;
        for (char *p = line; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        if (n < cap) words[n++] = line;
    }
    qsort(words, n, sizeof *words, cmp_str);
    common_words = words; /* kept for the life of the process */
    n_common = n;
}

bool eo_password_is_common(const char *pw)
{
    pthread_once(&common_once, load_common);
    char low[EO_PASSWORD_MAX * 4 + 1];
    size_t n = strlen(pw);
    if (n >= sizeof low) return false;
    for (size_t i = 0; i <= n; i++) {
        char ch = pw[i];
        low[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    const char *key = low;
    return n_common && bsearch(&key, common_words, n_common, sizeof *common_words, cmp_str) != NULL;
}

/* Number of code points, or -1 when pw is not valid UTF-8. */
static long utf8_length(const char *s)
{
    long n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra;
        if (*p < 0x80)
            extra = 0;
        else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2)
            extra = 1;
        else if ((*p & 0xF0) == 0xE0)
            extra = 2;
        else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4)
            extra = 3;
        else
            return -1;
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xC0) != 0x80) return -1;
        n++;
    }
    return n;
}

eo_status eo_password_check_policy(const char *pw, const char *field, eo_err *err)
{
    long n = utf8_length(pw);
    if (n < 0)
        eo_err_field(err, field, "invalid_type");
    else if (n < EO_PASSWORD_MIN)
        eo_err_field(err, field, "password_too_short");
    else if (n > EO_PASSWORD_MAX)
        eo_err_field(err, field, "password_too_long");
    else if (eo_password_is_common(pw))
        eo_err_field(err, field, "password_common");
    else
        return EO_OK;
    return EO_ERR_INVALID;
}

static eo_status slot_acquire(eo_err *err)
{
    pthread_mutex_lock(&slot_mu);
    int wait_ms = slot_wait_ms;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (slots_used >= slots_max) {
        if (pthread_cond_timedwait(&slot_cv, &slot_mu, &until) != 0 && slots_used >= slots_max) {
            pthread_mutex_unlock(&slot_mu);
            err->retry_after_s = 1;
            return eo_fail_log(err, EO_ERR_UNAVAILABLE, "busy", "all password-hash slots busy");
        }
    }
    slots_used++;
    pthread_mutex_unlock(&slot_mu);
    return EO_OK;
}

static void slot_release(void)
{
    pthread_mutex_lock(&slot_mu);
    slots_used--;
    pthread_cond_signal(&slot_cv);
    pthread_mutex_unlock(&slot_mu);
}

eo_status eo_password_hash(const char *pw, char out[EO_PASSWORD_HASH_LEN], eo_err *err)
{
    eo_status st = slot_acquire(err);
    if (st) return st;
    int rc =
        crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
    slot_release();
    if (rc != 0) return eo_fail_log(err, EO_ERR_UNAVAILABLE, "busy", "crypto_pwhash_str: out of memory");
    return EO_OK;
}

eo_status eo_password_verify(const char *hash, const char *pw, bool *ok, eo_err *err)
{
    *ok = false;
    pthread_once(&dummy_once, make_dummy);
    eo_status st = slot_acquire(err);
    if (st) return st;
    const char *h = hash ? hash : dummy_hash;
    int rc = crypto_pwhash_str_verify(h, pw, strlen(pw));
    slot_release();
    *ok = hash != NULL && rc == 0;
    return EO_OK;
}
