/* The e-mails the identity flows send, word for word (Indonesian: the
 * recipients are Indonesian civil servants). Kept out of the HTTP layer so
 * that use cases, the CLI and tests all send the same text. */
#ifndef EO_CORE_MAIL_TEXTS_H
#define EO_CORE_MAIL_TEXTS_H

#include <stdbool.h>
#include <stddef.h>

/* Lost authenticator, step 1: the verification code. */
extern const char EO_MAIL_RESET_CODE_SUBJECT[];
/* The body for code, valid for minutes; false when it does not fit in cap. */
bool eo_mail_text_reset_code(char *out, size_t cap, const char *code, int minutes);

/* Lost authenticator, step 2: a new authenticator was requested. */
extern const char EO_MAIL_RESET_REQUESTED_SUBJECT[];
extern const char EO_MAIL_RESET_REQUESTED_BODY[];

/* The new authenticator is verified and the old one no longer works. */
extern const char EO_MAIL_AUTHENTICATOR_NEW_SUBJECT[];
extern const char EO_MAIL_AUTHENTICATOR_NEW_BODY[];

/* The password was changed and the other sessions were ended. */
extern const char EO_MAIL_PASSWORD_CHANGED_SUBJECT[];
extern const char EO_MAIL_PASSWORD_CHANGED_BODY[];

/* An admin started a new authenticator for the account (help-desk reset). */
extern const char EO_MAIL_ADMIN_RESET_SUBJECT[];
extern const char EO_MAIL_ADMIN_RESET_BODY[];

#endif
