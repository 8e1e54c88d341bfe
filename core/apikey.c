#include "core/apikey.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    unsigned bit;
} scopes[] = {
    {"assessment:write", EO_SCOPE_ASSESSMENT_WRITE},
    {"training:write", EO_SCOPE_TRAINING_WRITE},
    {"employees:read", EO_SCOPE_EMPLOYEES_READ},
};

unsigned eo_apikey_scope_bit(const char *name)
{
    for (size_t i = 0; name && i < sizeof scopes / sizeof scopes[0]; i++)
        if (strcmp(scopes[i].name, name) == 0) return scopes[i].bit;
    return 0;
}

const char *eo_apikey_scope_name(unsigned bit)
{
    for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++)
        if (scopes[i].bit == bit) return scopes[i].name;
    return NULL;
}

bool eo_apikey_partner_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 64) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
    }
    return true;
}

static bool lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

void eo_apikey_generate(char *text, char *prefix, unsigned char hash[32])
{
    unsigned char p[EO_APIKEY_PREFIX_LEN / 2], secret[EO_APIKEY_SECRET_LEN];
    char secret_hex[2 * EO_APIKEY_SECRET_LEN + 1];
    randombytes_buf(p, sizeof p);
    randombytes_buf(secret, sizeof secret);
    sodium_bin2hex(prefix, EO_APIKEY_PREFIX_LEN + 1, p, sizeof p);
    sodium_bin2hex(secret_hex, sizeof secret_hex, secret, sizeof secret);
    snprintf(text, EO_APIKEY_TEXT_LEN + 1, "eok_%s_%s", prefix, secret_hex);
    crypto_hash_sha256(hash, (const unsigned char *)secret_hex, strlen(secret_hex));
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(secret_hex, sizeof secret_hex);
}

bool eo_apikey_parse(const char *text, char *prefix, unsigned char hash[32])
{
    if (!text || strlen(text) != EO_APIKEY_TEXT_LEN || strncmp(text, "eok_", 4) != 0) return false;
    const char *p = text + 4, *s = p + EO_APIKEY_PREFIX_LEN + 1;
    if (p[EO_APIKEY_PREFIX_LEN] != '_' || !lower_hex(p, EO_APIKEY_PREFIX_LEN) ||
        !lower_hex(s, 2 * EO_APIKEY_SECRET_LEN))
        return false;
    memcpy(prefix, p, EO_APIKEY_PREFIX_LEN);
    prefix[EO_APIKEY_PREFIX_LEN] = '\0';
    crypto_hash_sha256(hash, (const unsigned char *)s, 2 * EO_APIKEY_SECRET_LEN);
    return true;
}

bool eo_apikey_hash_equal(const unsigned char a[32], const unsigned char b[32]) { return sodium_memcmp(a, b, 32) == 0; }
