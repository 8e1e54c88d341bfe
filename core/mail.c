#include "core/mail.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const char *data;
    size_t len, pos;
} upload;

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *userp)
{
    upload *u = userp;
    size_t room = size * nmemb;
    size_t left = u->len - u->pos;
    size_t n = left < room ? left : room;
    memcpy(ptr, u->data + u->pos, n);
    u->pos += n;
    return n;
}

/* Header values come from our own templates and validated addresses; CR/LF
 * are still refused so that no header can be injected. */
static int has_crlf(const char *s) { return strpbrk(s, "\r\n") != NULL; }

eo_status eo_mail_send_smtp(const eo_config *cfg, const char *to, const char *subject, const char *body, char *why,
                            size_t whylen)
{
    eo_status st = EO_OK;
    char *msg = NULL;
    struct curl_slist *rcpt = NULL;
    CURL *curl = NULL;
    if (has_crlf(to) || has_crlf(subject) || has_crlf(cfg->mail_from)) {
        snprintf(why, whylen, "CR/LF in a header");
        return EO_ERR_INVALID;
    }
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    unsigned char r[12];
    char mid[25];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(mid, sizeof mid, r, sizeof r);
    const char *domain = strchr(cfg->mail_from, '@');
    size_t cap = strlen(body) + strlen(subject) + strlen(to) + 1024;
    msg = malloc(cap);
    if (!msg) {
        snprintf(why, whylen, "out of memory");
        return EO_ERR_INTERNAL;
    }
    int n = snprintf(msg, cap,
                     "Date: %s\r\nTo: <%s>\r\nFrom: e-Office <%s>\r\nSubject: %s\r\n"
                     "Message-ID: <%s%s>\r\nMIME-Version: 1.0\r\n"
                     "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
                     date, to, cfg->mail_from, subject, mid, domain ? domain : "@eoffice.invalid");
    /* Body with bare LF turned into CRLF. */
    size_t pos = (size_t)n;
    for (const char *p = body; *p && pos + 3 < cap; p++) {
        if (*p == '\n' && (p == body || p[-1] != '\r')) msg[pos++] = '\r';
        msg[pos++] = *p;
    }
    msg[pos] = '\0';

    upload u = {msg, pos, 0};
    char from[160];
    snprintf(from, sizeof from, "<%s>", cfg->mail_from);
    char to_b[300];
    snprintf(to_b, sizeof to_b, "<%s>", to);
    curl = curl_easy_init();
    if (!curl) {
        snprintf(why, whylen, "curl init failed");
        st = EO_ERR_INTERNAL;
        goto done;
    }
    rcpt = curl_slist_append(NULL, to_b);
    curl_easy_setopt(curl, CURLOPT_URL, cfg->smtp_url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(curl, CURLOPT_READDATA, &u);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    if (cfg->smtp_user[0]) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, cfg->smtp_user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, cfg->smtp_password);
        curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    }
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        snprintf(why, whylen, "%s", curl_easy_strerror(rc));
        st = EO_ERR_UNAVAILABLE;
    }
done:
    if (curl) curl_easy_cleanup(curl);
    curl_slist_free_all(rcpt);
    sodium_memzero(msg, cap);
    free(msg);
    return st;
}

void eo_mail_log(const char *to, const char *subject, const char *body)
{
    json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:s}", "level", "warn", "msg", "DEV MAIL — not sent", "to", to,
                             "subject", subject, "body", body);
    char *s = line ? json_dumps(line, JSON_COMPACT) : NULL;
    if (s) fprintf(stderr, "%s\n", s);
    free(s);
    json_decref(line);
}

long eo_mail_backoff_ms(int base_ms, int attempts)
{
    const long cap = 3600L * 1000L;
    long d = base_ms > 0 ? base_ms : 1;
    for (int i = 1; i < attempts && d < cap; i++) d *= 2;
    return d > cap ? cap : d;
}
