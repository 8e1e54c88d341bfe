/* Outgoing mail: one SMTP delivery (libcurl), the dev-mode log sink, the
 * retry schedule. Queueing and the sender thread live in db/mail.c. */
#ifndef EO_MAIL_H
#define EO_MAIL_H

#include <stddef.h>

#include "core/config.h"
#include "core/status.h"

/* Delivers one text/plain UTF-8 message to cfg->smtp_url (10 s timeouts).
 * On failure writes a short reason into why. */
eo_status eo_mail_send_smtp(const eo_config *cfg, const char *to, const char *subject, const char *body, char *why,
                            size_t whylen);

/* mail_mode=log (dev only): prints the message as one JSON line on stderr,
 * labelled "DEV MAIL — not sent". */
void eo_mail_log(const char *to, const char *subject, const char *body);

/* Milliseconds before the retry that follows failed attempt number `attempts`
 * (1-based): base_ms (EOFFICE_MAIL_RETRY_BASE_MS, 15 s) doubling, capped at 1 h.
 * After EOFFICE_MAIL_MAX_ATTEMPTS failures the sender marks the mail failed. */
long eo_mail_backoff_ms(int base_ms, int attempts);

#endif
