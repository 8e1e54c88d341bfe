/* Profile section rules and the PDM state machine (core/profile.c), table-driven:
 * each row is a section, a JSON record and the field errors it must give
 * ("" = valid). Today is fixed at 2026-11-30. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/profile.h"
#include "core/profile_pdf.h"

static int today(void)
{
    int d = 0;
    assert_true(eo_profile_date("2026-11-30", &d));
    return d;
}

static const struct {
    eo_profile_section s;
    bool pppk;
    const char *json;
    const char *want; /* "field:code field:code" in order, "" when valid */
} cases[] = {
    /* identity */
    {EO_SEC_IDENTITY, false,
     "{\"birthplace\":\"Palembang\",\"religion\":\"Islam\",\"marital_status\":\"kawin\",\"blood_type\":\"O\","
     "\"address\":\"Jl. Merdeka No. 1\\nSekayu\",\"personal_phone\":\"+62 812-3456-7890\","
     "\"personal_email\":\"dewi@example.id\",\"tmt_cpns\":\"2019-03-01\",\"tmt_pns\":\"2020-06-01\"}",
     ""},
    {EO_SEC_IDENTITY, false,
     "{\"birthplace\":\"Bandung\",\"religion\":\"Islam\",\"marital_status\":\"kawin\","
     "\"address\":\"x\",\"tmt_cpns\":\"2020-06-01\",\"tmt_pns\":\"2019-03-01\"}",
     "data.tmt_pns:tmt_order"},
    {EO_SEC_IDENTITY, false,
     "{\"birthplace\":\"Bandung\",\"religion\":\"Jedi\",\"marital_status\":\"kawin\","
     "\"address\":\"x\",\"blood_type\":\"C\"}",
     "data.religion:invalid_value data.blood_type:invalid_value"},
    {EO_SEC_IDENTITY, false, "{\"religion\":\"Islam\",\"marital_status\":\"kawin\",\"address\":\"x\",\"evil\":1}",
     "data.evil:unknown_field data.birthplace:missing_field"},
    {EO_SEC_IDENTITY, false,
     "{\"birthplace\":\"A\",\"religion\":\"Islam\",\"marital_status\":\"kawin\","
     "\"address\":\"x\",\"tmt_cpns\":\"2030-01-01\"}",
     "data.tmt_cpns:date_in_future"},
    {EO_SEC_IDENTITY, false,
     "{\"birthplace\":\"A\",\"religion\":\"Islam\",\"marital_status\":\"kawin\","
     "\"address\":\"x\",\"tmt_pns\":\"2020-01-01\"}",
     "data.tmt_cpns:missing_field"},
    {EO_SEC_IDENTITY, true,
     "{\"birthplace\":\"A\",\"religion\":\"Islam\",\"marital_status\":\"kawin\","
     "\"address\":\"x\",\"tmt_cpns\":\"2020-01-01\"}",
     "data.tmt_cpns:not_applicable"},
    {EO_SEC_IDENTITY, false,
     "{\"birthplace\":\"A\",\"religion\":\"Islam\",\"marital_status\":\"kawin\","
     "\"address\":\"x\",\"personal_phone\":\"12ab\",\"personal_email\":\"no-at\"}",
     "data.personal_phone:invalid_value data.personal_email:invalid_value"},
    {EO_SEC_IDENTITY, false,
     "{\"birthplace\":\"A\\u0007\",\"religion\":\"Islam\",\"marital_status\":\"kawin\","
     "\"address\":\"   \"}",
     "data.birthplace:invalid_value data.address:missing_field"},
    {EO_SEC_IDENTITY, false, "{\"birthplace\":7,\"religion\":\"Islam\",\"marital_status\":\"kawin\",\"address\":\"x\"}",
     "data.birthplace:invalid_type"},
    /* family */
    {EO_SEC_FAMILY, false, "{\"name\":\"Siti Aisyah\",\"relation\":\"istri\",\"birth_date\":\"1990-02-28\"}", ""},
    {EO_SEC_FAMILY, false, "{\"name\":\"Anak\",\"relation\":\"sepupu\",\"birth_date\":\"2027-01-01\"}",
     "data.relation:invalid_value data.birth_date:date_in_future"},
    {EO_SEC_FAMILY, false, "{\"name\":\"A\",\"relation\":\"anak\",\"birth_date\":\"2023-02-29\"}",
     "data.birth_date:invalid_value"},
    {EO_SEC_FAMILY, false, "{\"name\":\"Ñoño Ümar\",\"relation\":\"anak\",\"birth_date\":\"2024-02-29\"}", ""},
    /* rank */
    {EO_SEC_RANK, false,
     "{\"golongan\":\"III/a\",\"tmt\":\"2019-03-01\",\"sk_number\":\"SK-1\",\"sk_date\":\"2019-02-01\"}", ""},
    {EO_SEC_RANK, false,
     "{\"golongan\":\"IV/f\",\"tmt\":\"2019-03-01\",\"sk_number\":\"SK-1\",\"sk_date\":\"2019-02-01\"}",
     "data.golongan:invalid_value"},
    {EO_SEC_RANK, false,
     "{\"golongan\":\"IX\",\"tmt\":\"2019-03-01\",\"sk_number\":\"SK-1\",\"sk_date\":\"2019-02-01\"}",
     "data.golongan:invalid_value"},
    {EO_SEC_RANK, true,
     "{\"golongan\":\"IX\",\"tmt\":\"2019-03-01\",\"sk_number\":\"SK-1\",\"sk_date\":\"2019-02-01\"}", ""},
    {EO_SEC_RANK, false,
     "{\"golongan\":\"III/b\",\"tmt\":\"2027-04-01\",\"sk_number\":\"SK-2\",\"sk_date\":\"2026-11-01\"}", ""},
    {EO_SEC_RANK, false,
     "{\"golongan\":\"III/b\",\"tmt\":\"2028-04-01\",\"sk_number\":\"SK-2\",\"sk_date\":\"2026-12-01\"}",
     "data.tmt:date_in_future data.sk_date:date_in_future"},
    /* position */
    {EO_SEC_POSITION, false,
     "{\"position\":\"Analis SDM Aparatur Ahli Pertama\",\"unit\":\"Biro OSDM\","
     "\"tmt\":\"2020-01-02\",\"sk_number\":\"KP.01/2020\",\"sk_date\":\"2019-12-20\"}",
     ""},
    {EO_SEC_POSITION, false,
     "{\"position\":\"X\",\"unit\":\"Y\",\"tmt\":\"2020-01-02\",\"sk_number\":\"S\","
     "\"sk_date\":\"2020-02-01\"}",
     "data.sk_date:sk_after_tmt"},
    /* education */
    {EO_SEC_EDUCATION, false,
     "{\"level\":\"S1\",\"institution\":\"Universitas Sriwijaya\",\"major\":\"Hukum\","
     "\"graduation_year\":2011}",
     ""},
    {EO_SEC_EDUCATION, false, "{\"level\":\"SMA\",\"institution\":\"SMAN 1 Sekayu\",\"graduation_year\":2006}", ""},
    {EO_SEC_EDUCATION, false, "{\"level\":\"S1\",\"institution\":\"U\",\"graduation_year\":2011}",
     "data.major:missing_field"},
    {EO_SEC_EDUCATION, false, "{\"level\":\"S4\",\"institution\":\"U\",\"graduation_year\":2031}",
     "data.level:invalid_value data.graduation_year:out_of_range"},
    {EO_SEC_EDUCATION, false, "{\"level\":\"SD\",\"institution\":\"SDN 1\",\"graduation_year\":\"1999\"}",
     "data.graduation_year:invalid_type"},
    {EO_SEC_EDUCATION, false, "{\"level\":\"SD\",\"institution\":\"SDN 1\",\"graduation_year\":1985}",
     "data.graduation_year:out_of_range"}, /* born 1990 (ctx) */
    /* team */
    {EO_SEC_TEAM, false,
     "{\"team\":\"Tim Reformasi Birokrasi\",\"role\":\"Anggota\",\"start_date\":\"2024-01-15\","
     "\"end_date\":\"2024-12-31\",\"sk_number\":\"SK/12\",\"sk_date\":\"2024-01-10\"}",
     ""},
    {EO_SEC_TEAM, false,
     "{\"team\":\"T\",\"role\":\"R\",\"start_date\":\"2024-01-15\",\"end_date\":\"2023-12-31\","
     "\"sk_date\":\"2024-02-01\"}",
     "data.end_date:end_before_start data.sk_date:sk_after_tmt"},
    /* award */
    {EO_SEC_AWARD, false, "{\"name\":\"Satyalancana Karya Satya X Tahun\",\"year\":2022,\"issuer\":\"Presiden RI\"}",
     ""},
    {EO_SEC_AWARD, false, "{\"name\":\"A\",\"year\":2027,\"issuer\":\"B\"}", "data.year:out_of_range"},
    /* competency */
    {EO_SEC_COMPETENCY, false,
     "{\"activity\":\"Pelatihan Dasar CPNS\",\"organiser\":\"BPSDM\",\"jp\":120,"
     "\"start_date\":\"2019-08-01\",\"end_date\":\"2019-09-30\"}",
     ""},
    {EO_SEC_COMPETENCY, false,
     "{\"activity\":\"P\",\"organiser\":\"O\",\"jp\":0,\"start_date\":\"2019-08-01\","
     "\"end_date\":\"2019-07-30\"}",
     "data.jp:out_of_range data.end_date:end_before_start"},
    {EO_SEC_COMPETENCY, false,
     "{\"activity\":\"P\",\"organiser\":\"O\",\"jp\":1.5,\"start_date\":\"2019-08-01\","
     "\"end_date\":\"2026-12-01\"}",
     "data.jp:invalid_type data.end_date:date_in_future"},
    /* assignment */
    {EO_SEC_ASSIGNMENT, false,
     "{\"activity\":\"Verifikasi data ASN\",\"kind\":\"penugasan\",\"location\":\"Jakarta\","
     "\"start_date\":\"2025-05-05\",\"end_date\":\"2025-05-09\"}",
     ""},
    {EO_SEC_ASSIGNMENT, false, "{\"activity\":\"V\",\"kind\":\"cuti\",\"start_date\":\"2026-12-05\"}",
     "data.kind:invalid_value data.start_date:date_in_future"},
};

static void test_sections(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_error_t je;
        json_t *j = json_loads(cases[i].json, 0, &je);
        if (!j) fail_msg("case %zu: bad JSON: %s", i, je.text);
        eo_profile_ctx ctx = {.today = today(), .pppk = cases[i].pppk, .birth_year = 1990};
        eo_err err;
        eo_err_init(&err);
        eo_profile_validate(cases[i].s, j, &ctx, &err);
        char got[512] = "";
        size_t n = 0;
        for (int f = 0; f < err.n_fields; f++)
            n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s:%s", f ? " " : "", err.fields[f].field,
                                  err.fields[f].code);
        if (strcmp(got, cases[i].want) != 0) fail_msg("case %zu: want \"%s\", got \"%s\"", i, cases[i].want, got);
        eo_err_clear(&err);
        json_decref(j);
    }
}

static void test_text_and_dates(void **state)
{
    (void)state;
    int d;
    assert_true(eo_profile_date("2000-02-29", &d));
    assert_false(eo_profile_date("1900-02-29", &d));
    assert_false(eo_profile_date("1899-12-31", &d));
    assert_false(eo_profile_date("2020-13-01", &d));
    assert_false(eo_profile_date("2020-1-01", &d));
    assert_false(eo_profile_date("2020-01-01x", &d));
    assert_true(eo_profile_date("1970-01-01", &d));
    assert_int_equal(d, 0);
    assert_int_equal(eo_profile_year_of(today()), 2026);
    /* 2026-11-30 17:00 UTC is 2026-12-01 00:00 WIB. */
    int dec1;
    assert_true(eo_profile_date("2026-12-01", &dec1));
    assert_int_equal(eo_profile_day_of(1796058000.0), dec1);
    assert_true(eo_profile_text_ok("Ñoño", 4, false));
    assert_false(eo_profile_text_ok("Ñoño", 3, false));
    assert_false(eo_profile_text_ok("a\nb", 10, false));
    assert_true(eo_profile_text_ok("a\nb", 10, true));
    assert_false(eo_profile_text_ok("\xc3\x28", 10, false));
    json_t *j = json_pack("[i]", 1);
    eo_err err;
    eo_err_init(&err);
    eo_profile_ctx ctx = {.today = today()};
    assert_int_equal(eo_profile_validate(EO_SEC_AWARD, j, &ctx, &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].field, "data");
    eo_err_clear(&err);
    json_decref(j);
    eo_profile_section s;
    for (int i = 0; i < EO_SEC_COUNT; i++) {
        assert_true(eo_profile_section_parse(eo_profile_section_name((eo_profile_section)i), &s));
        assert_int_equal(s, i);
        assert_true(strlen(eo_profile_section_title(s)) > 0);
    }
    assert_false(eo_profile_section_parse("skills", &s));
    assert_false(eo_profile_section_atasan_visible(EO_SEC_FAMILY));
    assert_false(eo_profile_section_atasan_visible(EO_SEC_IDENTITY));
    assert_true(eo_profile_section_atasan_visible(EO_SEC_RANK));
}

/* PDM: status x action x (author, decider, bystander) -> next state or code. */
static const struct {
    eo_pdm_action a;
    int who; /* 0 author, 1 decider, 2 other */
    const char *out[4];
} pdm[] = {
    {EO_PDM_APPROVE, 0, {"pdm_own_change", "pdm_own_change", "pdm_own_change", "pdm_own_change"}},
    {EO_PDM_APPROVE, 1, {"approved", "pdm_not_pending", "pdm_not_pending", "pdm_not_pending"}},
    {EO_PDM_APPROVE, 2, {"pdm_not_decider", "pdm_not_decider", "pdm_not_decider", "pdm_not_decider"}},
    {EO_PDM_REJECT, 0, {"pdm_own_change", "pdm_own_change", "pdm_own_change", "pdm_own_change"}},
    {EO_PDM_REJECT, 1, {"rejected", "pdm_not_pending", "pdm_not_pending", "pdm_not_pending"}},
    {EO_PDM_REJECT, 2, {"pdm_not_decider", "pdm_not_decider", "pdm_not_decider", "pdm_not_decider"}},
    {EO_PDM_WITHDRAW, 0, {"withdrawn", "pdm_not_pending", "pdm_not_pending", "pdm_not_pending"}},
    {EO_PDM_WITHDRAW, 1, {"pdm_not_author", "pdm_not_author", "pdm_not_author", "pdm_not_author"}},
    {EO_PDM_WITHDRAW, 2, {"pdm_not_author", "pdm_not_author", "pdm_not_author", "pdm_not_author"}},
};

static void test_pdm(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(pdm) / sizeof(pdm[0]); i++)
        for (int st = 0; st < 4; st++) {
            eo_err err;
            eo_err_init(&err);
            eo_pdm_status next = EO_PDM_PENDING;
            eo_status r =
                eo_pdm_transition((eo_pdm_status)st, pdm[i].a, pdm[i].who == 0, pdm[i].who != 2, "alasan", &next, &err);
            const char *got = r == EO_OK ? eo_pdm_status_name(next) : err.code;
            if (strcmp(got, pdm[i].out[st])) fail_msg("row %zu state %d: want %s got %s", i, st, pdm[i].out[st], got);
            eo_err_clear(&err);
        }
    eo_err err;
    eo_err_init(&err);
    eo_pdm_status next;
    assert_int_equal(eo_pdm_transition(EO_PDM_PENDING, EO_PDM_REJECT, false, true, " \n", &next, &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].code, "missing_field");
    eo_err_clear(&err);
    eo_err_init(&err);
    assert_int_equal(eo_pdm_transition(EO_PDM_PENDING, EO_PDM_REJECT, false, true, NULL, &next, &err), EO_ERR_INVALID);
    eo_err_clear(&err);
    char big[1102];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    eo_err_init(&err);
    assert_int_equal(eo_pdm_transition(EO_PDM_PENDING, EO_PDM_REJECT, false, true, big, &next, &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].code, "too_long");
    eo_err_clear(&err);
    /* proposal shapes */
    static const struct {
        eo_profile_section s;
        eo_pdm_op op;
        bool rec, data;
        const char *want;
    } shapes[] = {
        {EO_SEC_FAMILY, EO_PDM_ADD, false, true, ""},
        {EO_SEC_FAMILY, EO_PDM_ADD, true, true, "record_id:not_allowed"},
        {EO_SEC_FAMILY, EO_PDM_EDIT, false, true, "record_id:missing_field"},
        {EO_SEC_FAMILY, EO_PDM_EDIT, true, false, "data:missing_field"},
        {EO_SEC_FAMILY, EO_PDM_DELETE, true, false, ""},
        {EO_SEC_FAMILY, EO_PDM_DELETE, true, true, "data:not_allowed"},
        {EO_SEC_IDENTITY, EO_PDM_DELETE, true, false, "op:invalid_value"},
    };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        eo_err_init(&err);
        eo_pdm_proposal_check(shapes[i].s, shapes[i].op, shapes[i].rec, shapes[i].data, &err);
        char got[128] = "";
        if (err.n_fields) snprintf(got, sizeof(got), "%s:%s", err.fields[0].field, err.fields[0].code);
        if (strcmp(got, shapes[i].want)) fail_msg("shape %zu: want %s got %s", i, shapes[i].want, got);
        eo_err_clear(&err);
    }
    eo_pdm_op op;
    assert_true(eo_pdm_op_parse("delete", &op));
    assert_int_equal(op, EO_PDM_DELETE);
    assert_false(eo_pdm_op_parse("remove", &op));
    eo_pdm_status st;
    assert_true(eo_pdm_status_parse("withdrawn", &st));
    assert_false(eo_pdm_status_parse("draft", &st));
}

/* The printable profile renders an A4 PDF for any profile shape, including empty sections. */
static void test_pdf_render(void **state)
{
    (void)state;
    json_t *p = json_loads("{\"employee\":{\"nip\":\"199305212019032001\",\"name\":\"Dewi Łukasz\"},"
                           "\"sections\":{\"award\":{\"records\":[{\"data\":{\"name\":\"Teladan\",\"year\":2022}}],"
                           "\"pending_additions\":[]},\"family\":{\"records\":[],\"pending_additions\":[]}},"
                           "\"hidden_sections\":[\"identity\"]}",
                           0, NULL);
    assert_non_null(p);
    unsigned char *pdf = NULL;
    size_t len = 0;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_profile_pdf_render(p, "PRF-test", 1796058000.0, &pdf, &len, &err), EO_OK);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    assert_non_null(memmem(pdf, len, "%%EOF", 5));
    free(pdf);
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_text_and_dates),
        cmocka_unit_test(test_pdm),
        cmocka_unit_test(test_pdf_render),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
