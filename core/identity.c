#include "core/identity.h"

#include <sodium.h>
#include <string.h>

const eo_throttle_rule EO_THROTTLE_LOGIN_NIP = {5, 900, 3600};
const eo_throttle_rule EO_THROTTLE_LOGIN_IP = {100, 900, 900};
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
