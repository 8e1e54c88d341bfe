#include "core/nip.h"

#include <string.h>

/* Value of n decimal digits at s (caller has checked they are digits). */
static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

static bool all_digits(const char *s, size_t want_len)
{
    if (!s || strlen(s) != want_len) return false;
    for (size_t i = 0; i < want_len; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool eo_nip_date_valid(int year, int month, int day)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    int max = mdays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
    return day <= max;
}

bool eo_nip_date_parse(const char *s, eo_nip_date *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    eo_nip_date d = {digits_value(s, 4), digits_value(s + 5, 2), digits_value(s + 8, 2)};
    if (!eo_nip_date_valid(d.year, d.month, d.day)) return false;
    if (out) *out = d;
    return true;
}

static eo_status nip_fail(eo_err *err, const char *code)
{
    if (err) eo_err_field(err, "nip", code);
    return EO_ERR_INVALID;
}

eo_status eo_nip_validate(const char *nip, eo_nip_info *out, eo_err *err)
{
    if (!all_digits(nip, EO_NIP_LEN)) return nip_fail(err, "nip_format");

    eo_nip_info info;
    memset(&info, 0, sizeof(info));
    info.birth.year = digits_value(nip, 4);
    info.birth.month = digits_value(nip + 4, 2);
    info.birth.day = digits_value(nip + 6, 2);
    if (info.birth.year < EO_NIP_MIN_BIRTH_YEAR || info.birth.year > EO_NIP_MAX_BIRTH_YEAR ||
        !eo_nip_date_valid(info.birth.year, info.birth.month, info.birth.day))
        return nip_fail(err, "nip_birth_date");

    info.tmt_year = digits_value(nip + 8, 4);
    int d13_14 = digits_value(nip + 12, 2);
    if (d13_14 >= 1 && d13_14 <= 12) {
        info.type = EO_NIP_PNS;
        info.tmt_month = d13_14;
        /* CPNS appointment needs an adult: TMT no earlier than the 18th birthday's month. */
        int tmt = info.tmt_year * 12 + info.tmt_month;
        int adult = (info.birth.year + 18) * 12 + info.birth.month;
        if (tmt < adult || info.tmt_year > EO_NIP_MAX_TMT_YEAR) return nip_fail(err, "nip_tmt");
    } else if (nip[12] == '2' && nip[13] >= '1' && nip[13] <= '9') {
        info.type = EO_NIP_PPPK;
        info.pppk_phase = nip[13] - '0';
        if (info.tmt_year < EO_PPPK_MIN_YEAR || info.tmt_year > EO_NIP_MAX_TMT_YEAR ||
            info.tmt_year < info.birth.year + 18)
            return nip_fail(err, "nip_tmt");
    } else {
        return nip_fail(err, "nip_tmt");
    }

    if (nip[14] == '1')
        info.gender = 'L';
    else if (nip[14] == '2')
        info.gender = 'P';
    else
        return nip_fail(err, "nip_gender");

    info.sequence = digits_value(nip + 15, 3);
    if (info.sequence == 0) return nip_fail(err, "nip_sequence");

    if (out) *out = info;
    return EO_OK;
}

static eo_status nik_fail(eo_err *err, const char *code)
{
    if (err) eo_err_field(err, "nik", code);
    return EO_ERR_INVALID;
}

eo_status eo_nik_validate(const char *nik, eo_nik_info *out, eo_err *err)
{
    if (!all_digits(nik, EO_NIK_LEN)) return nik_fail(err, "nik_format");

    eo_nik_info info;
    memset(&info, 0, sizeof(info));
    info.province = digits_value(nik, 2);
    /* Province codes run 11 (Aceh) .. 94 (Papua); regency and district are never 00. */
    if (info.province < 11 || info.province > 94 || digits_value(nik + 2, 2) == 0 || digits_value(nik + 4, 2) == 0)
        return nik_fail(err, "nik_region");
    memcpy(info.region, nik, 6);
    info.region[6] = '\0';

    int dd = digits_value(nik + 6, 2);
    info.gender = dd > 40 ? 'P' : 'L';
    info.birth_day = dd > 40 ? dd - 40 : dd;
    info.birth_month = digits_value(nik + 8, 2);
    info.birth_yy = digits_value(nik + 10, 2);
    /* The century is not encoded: accept a date that exists in 19YY or 20YY
     * (only 29 February of year 00 differs, and 2000 was a leap year). */
    if (!eo_nip_date_valid(1900 + info.birth_yy, info.birth_month, info.birth_day) &&
        !eo_nip_date_valid(2000 + info.birth_yy, info.birth_month, info.birth_day))
        return nik_fail(err, "nik_birth_date");

    info.sequence = digits_value(nik + 12, 4);
    if (info.sequence == 0) return nik_fail(err, "nik_sequence");

    if (out) *out = info;
    return EO_OK;
}

bool eo_nik_consistent_with(const eo_nik_info *nik, eo_nip_date birth, char gender)
{
    return nik && nik->birth_day == birth.day && nik->birth_month == birth.month && nik->birth_yy == birth.year % 100 &&
           nik->gender == gender;
}

static bool nip_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

const char *eo_nip_normalize(const char *in, char *buf, size_t len)
{
    if (!in || !len) return NULL;
    while (nip_space(*in)) in++;
    size_t n = strlen(in);
    while (n > 0 && nip_space(in[n - 1])) n--;
    if (n >= len) n = 0;
    memcpy(buf, in, n);
    buf[n] = '\0';
    return buf;
}
