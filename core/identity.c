#include "core/identity.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* pair: 5 free, doubling to 15 min, forgotten after a quiet hour; address:
 * the budget, then doubling to 15 min, forgotten after a quiet 15 min;
 * account: as pair (an OTP has 10^6 values: 5 free then doubling keeps a
 * guesser far below one hit a year); device: as pair. */
const eo_signin_rules EO_SIGNIN_LOGIN = {
    .pair = {5, 900, 3600},
    .address = {EO_SIGNIN_ADDRESS_BUDGET, 900, 900},
    .account = {5, 900, 3600},
    .device = {5, 900, 3600},
};
const eo_signin_rules EO_SIGNIN_RESET = {
    .pair = {3, 3600, 3600},
    .address = {30, 3600, 3600},
    .account = {3, 3600, 3600},
    .device = {3, 3600, 3600},
};
const eo_throttle_rule EO_THROTTLE_RESET_NIP = {3, 3600, 3600};
const eo_throttle_rule EO_THROTTLE_RESET_IP = {30, 3600, 3600};

static const char recovery_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

int eo_throttle_delay(const eo_throttle_rule *rule, int failures)
{
    if (failures <= rule->free_failures) return 0;
    int n = failures - rule->free_failures;
    if (n >= 30) return rule->cap_s;
    long d = 1L << n;
    return d > rule->cap_s ? rule->cap_s : (int)d;
}

bool eo_signin_key_format(char *out, size_t len, const char *scope, eo_signin_key kind, const char *who,
                          const char *nip)
{
    int n = -1;
    switch (kind) {
    case EO_SIGNIN_KEY_PAIR: n = snprintf(out, len, "%s:ip:%s:nip:%s", scope, who, nip); break;
    case EO_SIGNIN_KEY_ADDRESS: n = snprintf(out, len, "%s:ip:%s", scope, who); break;
    case EO_SIGNIN_KEY_ACCOUNT: n = snprintf(out, len, "%s:nip:%s", scope, nip); break;
    case EO_SIGNIN_KEY_DEVICE: n = snprintf(out, len, "%s:dev:%s:nip:%s", scope, who, nip); break;
    }
    return n >= 0 && (size_t)n < len;
}

bool eo_identity_phone_valid(const char *s)
{
    const char *p = s[0] == '+' ? s + 1 : s;
    size_t n = strlen(p);
    return n >= 8 && n <= 15 && strspn(p, "0123456789") == n;
}

void eo_identity_recovery_code(char out[EO_RECOVERY_CODE_LEN + 1])
{
    for (int i = 0; i < EO_RECOVERY_CODE_LEN; i++) out[i] = recovery_alphabet[randombytes_uniform(32)];
    out[EO_RECOVERY_CODE_LEN] = '\0';
}

bool eo_identity_recovery_normalize(const char *in, char out[EO_RECOVERY_CODE_LEN + 1])
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        char ch = *p;
        if (ch == ' ' || ch == '-') continue;
        if (ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
        if (!strchr(recovery_alphabet, ch) || n >= EO_RECOVERY_CODE_LEN) return false;
        out[n++] = ch;
    }
    out[n] = '\0';
    return n == EO_RECOVERY_CODE_LEN;
}

void eo_identity_email_code(char out[EO_EMAIL_CODE_DIGITS + 1])
{
    for (int i = 0; i < EO_EMAIL_CODE_DIGITS; i++) out[i] = (char)('0' + randombytes_uniform(10));
    out[EO_EMAIL_CODE_DIGITS] = '\0';
}

void eo_identity_keyed_hash(const unsigned char key[32], const char *text, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)text, strlen(text), key, 32);
}
