#include "core/profile.h"

#include <string.h>

#include "core/parse.h"

/* ---------------------------------------------------------------- sections */

static const char *const section_names[EO_SEC_COUNT] = {
    "identity", "family", "rank", "position", "education", "team", "award", "competency", "assignment",
};
static const char *const section_titles[EO_SEC_COUNT] = {
    "Data Pribadi",
    "Keluarga",
    "Riwayat Pangkat/Golongan",
    "Riwayat Jabatan",
    "Riwayat Pendidikan",
    "Tim Kerja",
    "Penghargaan",
    "Pengembangan Kompetensi",
    "Riwayat Kegiatan/Penugasan",
};

const char *eo_profile_section_name(eo_profile_section s) { return (unsigned)s < EO_SEC_COUNT ? section_names[s] : ""; }

const char *eo_profile_section_title(eo_profile_section s)
{
    return (unsigned)s < EO_SEC_COUNT ? section_titles[s] : "";
}

bool eo_profile_section_parse(const char *name, eo_profile_section *out)
{
    for (int i = 0; name && i < EO_SEC_COUNT; i++)
        if (strcmp(name, section_names[i]) == 0) {
            *out = (eo_profile_section)i;
            return true;
        }
    return false;
}

bool eo_profile_section_single(eo_profile_section s) { return s == EO_SEC_IDENTITY; }

bool eo_profile_section_atasan_visible(eo_profile_section s) { return s != EO_SEC_IDENTITY && s != EO_SEC_FAMILY; }

/* ---------------------------------------------------------------- dates and text */

/* Howard Hinnant's days_from_civil. */
static int days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int eo_profile_year_of(int z)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int m = mp + (mp < 10 ? 3 : -9);
    return y + (m <= 2);
}

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool eo_profile_date(const char *s, int *days)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) || !digits(s + 8, 2))
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
    int max = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > max) return false;
    *days = days_from_civil(y, m, d);
    return true;
}

int eo_profile_day_of(double unix_seconds)
{
    long long t = (long long)unix_seconds + 7 * 3600;
    long long day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    return (int)day;
}

bool eo_profile_text_ok(const char *s, size_t max_chars, bool multiline)
{
    size_t n = strlen(s);
    if (!eo_utf8_valid(s, n)) return false;
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch & 0xC0) != 0x80) chars++;
        if (ch == 0x7F) return false;
        if (ch < 0x20 && !(multiline && (ch == '\n' || ch == '\t'))) return false;
    }
    return chars <= max_chars;
}

/* ---------------------------------------------------------------- member specs */

typedef enum { F_TEXT, F_LONGTEXT, F_DATE, F_YEAR, F_INT, F_ENUM, F_PHONE, F_EMAIL } ftype;

typedef struct {
    const char *name;
    ftype type;
    bool required;
    long long max; /* characters (text), or the upper bound (int) */
    const char *const *choices;
} fspec;

static const char *const religions[] = {"Islam", "Kristen", "Katolik", "Hindu", "Buddha", "Konghucu", NULL};
static const char *const marital[] = {"belum_kawin", "kawin", "cerai_hidup", "cerai_mati", NULL};
static const char *const blood[] = {"A", "B", "AB", "O", NULL};
static const char *const relations[] = {"suami", "istri", "anak", "ayah", "ibu", NULL};
static const char *const levels[] = {"SD", "SMP", "SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3", NULL};
static const char *const pns_ranks[] = {"I/a",   "I/b",   "I/c",   "I/d",  "II/a", "II/b", "II/c", "II/d", "III/a",
                                        "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e", NULL};
static const char *const pppk_ranks[] = {"I", "II", "III", "IV",   "V",   "VI", "VII", "VIII", "IX",
                                         "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", NULL};
static const char *const assignment_kinds[] = {"kegiatan", "penugasan", NULL};

#define END                                                                                                            \
    {                                                                                                                  \
        NULL, F_TEXT, false, 0, NULL                                                                                   \
    }
static const fspec identity_f[] = {
    {"birthplace", F_TEXT, true, 100, NULL},      {"religion", F_ENUM, true, 0, religions},
    {"marital_status", F_ENUM, true, 0, marital}, {"blood_type", F_ENUM, false, 0, blood},
    {"address", F_LONGTEXT, true, 500, NULL},     {"personal_phone", F_PHONE, false, 0, NULL},
    {"personal_email", F_EMAIL, false, 0, NULL},  {"tmt_cpns", F_DATE, false, 0, NULL},
    {"tmt_pns", F_DATE, false, 0, NULL},          END,
};
static const fspec family_f[] = {
    {"name", F_TEXT, true, 200, NULL},
    {"relation", F_ENUM, true, 0, relations},
    {"birth_date", F_DATE, true, 0, NULL},
    {"occupation", F_TEXT, false, 100, NULL},
    END,
};
static const fspec rank_f[] = {
    {"golongan", F_ENUM, true, 0, NULL}, /* the list depends on PNS / PPPK */
    {"tmt", F_DATE, true, 0, NULL},      {"sk_number", F_TEXT, true, 100, NULL},
    {"sk_date", F_DATE, true, 0, NULL},  END,
};
static const fspec position_f[] = {
    {"position", F_TEXT, true, 200, NULL},  {"unit", F_TEXT, true, 200, NULL},  {"tmt", F_DATE, true, 0, NULL},
    {"sk_number", F_TEXT, true, 100, NULL}, {"sk_date", F_DATE, true, 0, NULL}, END,
};
static const fspec education_f[] = {
    {"level", F_ENUM, true, 0, levels},
    {"institution", F_TEXT, true, 200, NULL},
    {"major", F_TEXT, false, 200, NULL},
    {"graduation_year", F_YEAR, true, 0, NULL},
    {"certificate_number", F_TEXT, false, 100, NULL},
    END,
};
static const fspec team_f[] = {
    {"team", F_TEXT, true, 200, NULL},
    {"role", F_TEXT, true, 100, NULL},
    {"start_date", F_DATE, true, 0, NULL},
    {"end_date", F_DATE, false, 0, NULL},
    {"sk_number", F_TEXT, false, 100, NULL},
    {"sk_date", F_DATE, false, 0, NULL},
    END,
};
static const fspec award_f[] = {
    {"name", F_TEXT, true, 200, NULL},
    {"year", F_YEAR, true, 0, NULL},
    {"issuer", F_TEXT, true, 200, NULL},
    {"sk_number", F_TEXT, false, 100, NULL},
    END,
};
static const fspec competency_f[] = {
    {"activity", F_TEXT, true, 200, NULL},
    {"organiser", F_TEXT, true, 200, NULL},
    {"jp", F_INT, true, 1000, NULL},
    {"start_date", F_DATE, true, 0, NULL},
    {"end_date", F_DATE, true, 0, NULL},
    {"certificate_number", F_TEXT, false, 100, NULL},
    END,
};
static const fspec assignment_f[] = {
    {"activity", F_TEXT, true, 200, NULL},          {"kind", F_ENUM, true, 0, assignment_kinds},
    {"location", F_TEXT, false, 200, NULL},         {"start_date", F_DATE, true, 0, NULL},
    {"end_date", F_DATE, false, 0, NULL},           {"sk_number", F_TEXT, false, 100, NULL},
    {"description", F_LONGTEXT, false, 1000, NULL}, END,
};
#undef END

static const fspec *const specs[EO_SEC_COUNT] = {
    identity_f, family_f, rank_f, position_f, education_f, team_f, award_f, competency_f, assignment_f,
};

static const char *const *members_of(eo_profile_section s, const char *const **labels);

const char *const *eo_profile_section_members(eo_profile_section s, const char *const **labels)
{
    const char *const *l = NULL;
    const char *const *names = members_of(s, &l);
    if (labels) *labels = l;
    return names;
}

static void field_err(eo_err *err, const char *member, const char *code)
{
    char f[64];
    size_t n = strlen(member);
    if (n > 50) n = 50;
    memcpy(f, "data.", 5);
    memcpy(f + 5, member, n);
    f[5 + n] = '\0';
    eo_err_field(err, f, code);
}

static bool in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(s, list[i]) == 0) return true;
    return false;
}

static bool phone_ok(const char *s)
{
    size_t n = strlen(s), i = s[0] == '+' ? 1 : 0, d = 0;
    if (n > 20) return false;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            d++;
        else if (s[i] != ' ' && s[i] != '-')
            return false;
    }
    return d >= 8 && d <= 15;
}

typedef struct {
    bool set;
    int day; /* dates */
    long long num;
} fval;

/* One member against its spec; *v gets the parsed date/number when valid. */
static void check_member(const fspec *f, const json_t *j, const eo_profile_ctx *ctx, fval *v, eo_err *err)
{
    v->set = false;
    if (!j || json_is_null(j)) {
        if (f->required) field_err(err, f->name, "missing_field");
        return;
    }
    int this_year = eo_profile_year_of(ctx->today);
    if (f->type == F_YEAR || f->type == F_INT) {
        if (!json_is_integer(j)) {
            field_err(err, f->name, "invalid_type");
            return;
        }
        long long n = json_integer_value(j);
        long long lo = f->type == F_YEAR ? 1940 : 1, hi = f->type == F_YEAR ? this_year : f->max;
        if (n < lo || n > hi) {
            field_err(err, f->name, "out_of_range");
            return;
        }
        v->set = true;
        v->num = n;
        return;
    }
    if (!json_is_string(j)) {
        field_err(err, f->name, "invalid_type");
        return;
    }
    const char *s = json_string_value(j);
    if (strspn(s, " \t\r\n") == strlen(s)) {
        if (f->required) field_err(err, f->name, "missing_field");
        return;
    }
    switch (f->type) {
    case F_TEXT:
    case F_LONGTEXT:
        if (!eo_profile_text_ok(s, (size_t)f->max, f->type == F_LONGTEXT)) {
            bool utf = eo_profile_text_ok(s, (size_t)-1, f->type == F_LONGTEXT);
            field_err(err, f->name, utf ? "too_long" : "invalid_value");
            return;
        }
        break;
    case F_DATE:
        if (!eo_profile_date(s, &v->day)) {
            field_err(err, f->name, "invalid_value");
            return;
        }
        break;
    case F_ENUM: {
        const char *const *list = f->choices ? f->choices : ctx->pppk ? pppk_ranks : pns_ranks;
        if (!in_list(s, list)) {
            field_err(err, f->name, "invalid_value");
            return;
        }
        break;
    }
    case F_PHONE:
        if (!phone_ok(s)) {
            field_err(err, f->name, "invalid_value");
            return;
        }
        break;
    case F_EMAIL:
        if (!eo_email_valid(s)) {
            field_err(err, f->name, "invalid_value");
            return;
        }
        break;
    default: break;
    }
    v->set = true;
}

static int idx(const fspec *fs, const char *name)
{
    for (int i = 0; fs[i].name; i++)
        if (strcmp(fs[i].name, name) == 0) return i;
    return -1;
}

#define MAX_MEMBERS 8

/* Dates that cannot lie ahead of today. */
static void not_future(const fspec *fs, const fval *v, const char *name, const eo_profile_ctx *ctx, eo_err *err)
{
    int i = idx(fs, name);
    if (i >= 0 && v[i].set && v[i].day > ctx->today) field_err(err, name, "date_in_future");
}

/* a must not come after b (both set). */
static void order(const fspec *fs, const fval *v, const char *a, const char *b, const char *code, eo_err *err,
                  const char *report)
{
    int i = idx(fs, a), k = idx(fs, b);
    if (i >= 0 && k >= 0 && v[i].set && v[k].set && v[i].day > v[k].day) field_err(err, report, code);
}

eo_status eo_profile_validate(eo_profile_section s, const json_t *data, const eo_profile_ctx *ctx, eo_err *err)
{
    if ((unsigned)s >= EO_SEC_COUNT) {
        eo_err_field(err, "section", "invalid_value");
        return err->status;
    }
    if (!json_is_object(data)) {
        eo_err_field(err, "data", data ? "invalid_type" : "missing_field");
        return err->status;
    }
    const fspec *fs = specs[s];
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)data, key, val)
    {
        if (idx(fs, key) < 0) field_err(err, key, "unknown_field");
    }
    fval v[MAX_MEMBERS + 1];
    memset(v, 0, sizeof(v));
    for (int i = 0; fs[i].name && i <= MAX_MEMBERS; i++)
        check_member(&fs[i], json_object_get(data, fs[i].name), ctx, &v[i], err);

    switch (s) {
    case EO_SEC_IDENTITY:
        not_future(fs, v, "tmt_cpns", ctx, err);
        not_future(fs, v, "tmt_pns", ctx, err);
        order(fs, v, "tmt_cpns", "tmt_pns", "tmt_order", err, "tmt_pns");
        if (v[idx(fs, "tmt_pns")].set && !v[idx(fs, "tmt_cpns")].set) field_err(err, "tmt_cpns", "missing_field");
        if (ctx->pppk && (v[idx(fs, "tmt_cpns")].set || v[idx(fs, "tmt_pns")].set))
            field_err(err, "tmt_cpns", "not_applicable"); /* PPPK are never CPNS */
        break;
    case EO_SEC_FAMILY: not_future(fs, v, "birth_date", ctx, err); break;
    case EO_SEC_RANK:
        /* A promotion decree may name a TMT up to a year ahead (1 April / 1 October
         * rounds); the SK itself is signed already. A late (retroactive) SK is
         * common for rank, so the SK may be dated after its TMT. */
        if (v[idx(fs, "tmt")].set && v[idx(fs, "tmt")].day > ctx->today + 366) field_err(err, "tmt", "date_in_future");
        not_future(fs, v, "sk_date", ctx, err);
        break;
    case EO_SEC_POSITION:
        if (v[idx(fs, "tmt")].set && v[idx(fs, "tmt")].day > ctx->today + 366) field_err(err, "tmt", "date_in_future");
        not_future(fs, v, "sk_date", ctx, err);
        order(fs, v, "sk_date", "tmt", "sk_after_tmt", err, "sk_date"); /* installed by the decree, never before it */
        break;
    case EO_SEC_EDUCATION: {
        int y = idx(fs, "graduation_year"), l = idx(fs, "level");
        if (v[y].set && ctx->birth_year > 0 && v[y].num < ctx->birth_year + 5)
            field_err(err, "graduation_year", "out_of_range");
        /* From a diploma upwards the programme (jurusan) is part of the degree. */
        const char *lv = json_string_value(json_object_get(data, "level"));
        if (v[l].set && lv && (lv[0] == 'D' || (lv[0] == 'S' && lv[1] >= '1' && lv[1] <= '3')) &&
            !v[idx(fs, "major")].set)
            field_err(err, "major", "missing_field");
        break;
    }
    case EO_SEC_TEAM:
        not_future(fs, v, "start_date", ctx, err);
        not_future(fs, v, "sk_date", ctx, err);
        order(fs, v, "start_date", "end_date", "end_before_start", err, "end_date");
        order(fs, v, "sk_date", "start_date", "sk_after_tmt", err, "sk_date");
        break;
    case EO_SEC_AWARD:
        if (v[idx(fs, "year")].set && ctx->birth_year > 0 && v[idx(fs, "year")].num < ctx->birth_year)
            field_err(err, "year", "out_of_range");
        break;
    case EO_SEC_COMPETENCY:
        not_future(fs, v, "start_date", ctx, err);
        not_future(fs, v, "end_date", ctx, err);
        order(fs, v, "start_date", "end_date", "end_before_start", err, "end_date");
        break;
    case EO_SEC_ASSIGNMENT:
        not_future(fs, v, "start_date", ctx, err);
        order(fs, v, "start_date", "end_date", "end_before_start", err, "end_date");
        break;
    default: break;
    }
    return err->status;
}

/* ---------------------------------------------------------------- PDM */

static const char *const pdm_status_names[] = {"pending", "approved", "rejected", "withdrawn"};
static const char *const pdm_op_names[] = {"add", "edit", "delete"};

const char *eo_pdm_status_name(eo_pdm_status s) { return (unsigned)s < 4 ? pdm_status_names[s] : ""; }

bool eo_pdm_status_parse(const char *s, eo_pdm_status *out)
{
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, pdm_status_names[i]) == 0) {
            *out = (eo_pdm_status)i;
            return true;
        }
    return false;
}

const char *eo_pdm_op_name(eo_pdm_op op) { return (unsigned)op < 3 ? pdm_op_names[op] : ""; }

bool eo_pdm_op_parse(const char *s, eo_pdm_op *out)
{
    for (int i = 0; s && i < 3; i++)
        if (strcmp(s, pdm_op_names[i]) == 0) {
            *out = (eo_pdm_op)i;
            return true;
        }
    return false;
}

eo_status eo_pdm_transition(eo_pdm_status from, eo_pdm_action a, bool is_author, bool is_decider, const char *reason,
                            eo_pdm_status *next, eo_err *err)
{
    if (a == EO_PDM_WITHDRAW) {
        if (!is_author) return eo_fail(err, EO_ERR_FORBIDDEN, "pdm_not_author");
    } else {
        if (is_author) return eo_fail(err, EO_ERR_FORBIDDEN, "pdm_own_change");
        if (!is_decider) return eo_fail(err, EO_ERR_FORBIDDEN, "pdm_not_decider");
    }
    if (from != EO_PDM_PENDING) return eo_fail(err, EO_ERR_CONFLICT, "pdm_not_pending");
    if (a == EO_PDM_REJECT) {
        if (!reason || strspn(reason, " \t\r\n") == strlen(reason)) {
            eo_err_field(err, "reason", "missing_field");
            return err->status;
        }
        if (!eo_profile_text_ok(reason, 1000, true)) {
            eo_err_field(err, "reason", "too_long");
            return err->status;
        }
    }
    *next = a == EO_PDM_APPROVE ? EO_PDM_APPROVED : a == EO_PDM_REJECT ? EO_PDM_REJECTED : EO_PDM_WITHDRAWN;
    return EO_OK;
}

eo_status eo_pdm_proposal_check(eo_profile_section s, eo_pdm_op op, bool has_record, bool has_data, eo_err *err)
{
    if (op == EO_PDM_ADD && has_record) eo_err_field(err, "record_id", "not_allowed");
    if (op != EO_PDM_ADD && !has_record) eo_err_field(err, "record_id", "missing_field");
    if (op == EO_PDM_DELETE && has_data) eo_err_field(err, "data", "not_allowed");
    if (op != EO_PDM_DELETE && !has_data) eo_err_field(err, "data", "missing_field");
    if (op == EO_PDM_DELETE && eo_profile_section_single(s)) eo_err_field(err, "op", "invalid_value");
    return err->status;
}

/* ---------------------------------------------------------------- display */

static const char *const identity_n[] = {"birthplace",     "religion",       "marital_status", "blood_type", "address",
                                         "personal_phone", "personal_email", "tmt_cpns",       "tmt_pns",    NULL};
static const char *const identity_l[] = {
    "Tempat lahir",    "Agama",          "Status perkawinan", "Golongan darah", "Alamat",
    "Telepon pribadi", "E-mail pribadi", "TMT CPNS",          "TMT PNS",        NULL};
static const char *const family_n[] = {"name", "relation", "birth_date", "occupation", NULL};
static const char *const family_l[] = {"Nama", "Hubungan", "Tanggal lahir", "Pekerjaan", NULL};
static const char *const rank_n[] = {"golongan", "tmt", "sk_number", "sk_date", NULL};
static const char *const rank_l[] = {"Golongan", "TMT", "Nomor SK", "Tanggal SK", NULL};
static const char *const position_n[] = {"position", "unit", "tmt", "sk_number", "sk_date", NULL};
static const char *const position_l[] = {"Jabatan", "Unit kerja", "TMT", "Nomor SK", "Tanggal SK", NULL};
static const char *const education_n[] = {"level",           "institution",        "major",
                                          "graduation_year", "certificate_number", NULL};
static const char *const education_l[] = {"Jenjang", "Institusi", "Jurusan", "Tahun lulus", "Nomor ijazah", NULL};
static const char *const team_n[] = {"team", "role", "start_date", "end_date", "sk_number", "sk_date", NULL};
static const char *const team_l[] = {"Tim", "Peran", "Mulai", "Selesai", "Nomor SK", "Tanggal SK", NULL};
static const char *const award_n[] = {"name", "year", "issuer", "sk_number", NULL};
static const char *const award_l[] = {"Penghargaan", "Tahun", "Pemberi", "Nomor SK", NULL};
static const char *const competency_n[] = {"activity", "organiser",          "jp", "start_date",
                                           "end_date", "certificate_number", NULL};
static const char *const competency_l[] = {"Kegiatan", "Penyelenggara",    "JP", "Mulai",
                                           "Selesai",  "Nomor sertifikat", NULL};
static const char *const assignment_n[] = {"activity", "kind",      "location",    "start_date",
                                           "end_date", "sk_number", "description", NULL};
static const char *const assignment_l[] = {"Kegiatan", "Jenis",    "Lokasi", "Mulai",
                                           "Selesai",  "Nomor SK", "Uraian", NULL};

static const char *const *members_of(eo_profile_section s, const char *const **labels)
{
    static const char *const *const n[EO_SEC_COUNT] = {identity_n, family_n, rank_n,       position_n,  education_n,
                                                       team_n,     award_n,  competency_n, assignment_n};
    static const char *const *const l[EO_SEC_COUNT] = {identity_l, family_l, rank_l,       position_l,  education_l,
                                                       team_l,     award_l,  competency_l, assignment_l};
    if ((unsigned)s >= EO_SEC_COUNT) {
        *labels = NULL;
        return NULL;
    }
    *labels = l[s];
    return n[s];
}
