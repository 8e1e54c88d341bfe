/* Import validation (core/import.c): header rules and per-row checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/import.h"

#define EMP_HEADER                                                                                                     \
    "nip,nik,name,gender,birth_date,employee_type,unit_code,position,position_type,rank,"                              \
    "office_location_code,work_schedule,supervisor_nip,office_email\n"

static eo_import_batch *parse(eo_import_kind kind, const char *text)
{
    eo_import_batch *b = eo_import_batch_new(kind);
    assert_non_null(b);
    eo_csv *csv = eo_csv_open_mem(text, strlen(text), NULL);
    assert_non_null(csv);
    eo_import_parse(b, csv);
    eo_csv_close(csv);
    return b;
}

/* True when b holds an error (line, field, code). */
static int has_error(const eo_import_batch *b, int line, const char *field, const char *code)
{
    for (size_t i = 0; i < b->n_kept; i++)
        if (b->errors[i].line == line && strcmp(b->errors[i].field, field) == 0 && strcmp(b->errors[i].code, code) == 0)
            return 1;
    return 0;
}

static void dump_errors(const eo_import_batch *b)
{
    for (size_t i = 0; i < b->n_kept; i++)
        fprintf(stderr, "  %d: %s: %s %s\n", b->errors[i].line, b->errors[i].field, b->errors[i].code,
                b->errors[i].detail);
}

static void test_kind_names(void **state)
{
    (void)state;
    eo_import_kind k;
    assert_true(eo_import_kind_parse("employees", &k));
    assert_int_equal(k, EO_IMPORT_EMPLOYEES);
    assert_string_equal(eo_import_kind_name(EO_IMPORT_LOCATIONS), "locations");
    assert_false(eo_import_kind_parse("Employees", &k));
    assert_false(eo_import_kind_parse(NULL, &k));
    assert_string_equal(eo_import_error_text("nip_format"), "NIP must be 18 digits");
    assert_string_equal(eo_import_error_text("no_such_code"), "no_such_code");
}

static void test_units_valid(void **state)
{
    (void)state;
    eo_import_batch *b = parse(EO_IMPORT_UNITS, "name,parent_code,code\r\n"
                                                "Biro SDM,SETJEN, BIRO-SDM \r\n"
                                                "Sekretariat Jenderal,,SETJEN\r\n");
    dump_errors(b);
    assert_int_equal(b->n_errors, 0);
    assert_int_equal(b->n_rows, 2);
    assert_string_equal(b->rows.units[0].code, "BIRO-SDM"); /* trimmed */
    assert_string_equal(b->rows.units[0].parent_code, "SETJEN");
    assert_int_equal(b->rows.units[0].line, 2);
    assert_null(b->rows.units[1].parent_code);
    assert_true(eo_import_has_column(b, "parent_code"));
    eo_import_batch_free(b);

    b = parse(EO_IMPORT_UNITS, "code,name\nA,Unit A\n");
    assert_int_equal(b->n_errors, 0);
    assert_false(eo_import_has_column(b, "parent_code"));
    eo_import_batch_free(b);
}

static void test_header_errors(void **state)
{
    (void)state;
    eo_import_batch *b = parse(EO_IMPORT_UNITS, "code,nama,code\nA,B,C\n");
    assert_true(has_error(b, 1, "header", "unknown_column"));
    assert_true(has_error(b, 1, "header", "duplicate_column"));
    assert_true(has_error(b, 1, "header", "missing_column"));
    assert_int_equal(b->n_rows, 0);
    eo_import_batch_free(b);

    b = parse(EO_IMPORT_UNITS, "");
    assert_true(has_error(b, 1, "file", "empty_file"));
    eo_import_batch_free(b);

    b = parse(EO_IMPORT_UNITS, "code,name\n");
    assert_true(has_error(b, 1, "file", "no_rows"));
    eo_import_batch_free(b);
}

static void test_units_row_errors(void **state)
{
    (void)state;
    eo_import_batch *b = parse(EO_IMPORT_UNITS, "code,name,parent_code\n"
                                                "A B,Unit,\n"  /* 2: code format */
                                                "X,,\n"        /* 3: name required */
                                                "Y,Unit Y,Y\n" /* 4: parent self */
                                                "Z,Unit Z\n"   /* 5: field count */
                                                "Q,Unit Q,\n"
                                                "Q,Again,\n"   /* 7: duplicate */
                                                "\"open,x\n"); /* 8: broken quote */
    assert_true(has_error(b, 2, "code", "code_format"));
    assert_true(has_error(b, 3, "name", "required"));
    assert_true(has_error(b, 4, "parent_code", "parent_self"));
    assert_true(has_error(b, 5, "row", "field_count"));
    assert_true(has_error(b, 7, "code", "duplicate_in_file"));
    assert_true(has_error(b, 8, "csv", "csv_unterminated_quote"));
    assert_int_equal(b->n_errors, 6);
    eo_import_batch_free(b);
}

static void test_locations(void **state)
{
    (void)state;
    eo_import_batch *b = parse(EO_IMPORT_LOCATIONS, "code,name,latitude,longitude,radius_m,time_zone,unit_code\n"
                                                    "KMK,Kantor Kemenkes,-6.2297,106.8308,150,Asia/Jakarta,KEMENKES\n"
                                                    "JYP,SD Jayapura,-2.5337,140.7181,200,Asia/Jayapura,\n"
                                                    "BAD1,Bad,-91,106,150,Asia/Jakarta,\n"
                                                    "BAD2,Bad,abc,181,5,Jakarta,\n"
                                                    "BAD3,Bad,1e2,0x10,100.5,Asia/,\n");
    assert_int_equal(b->n_rows, 2);
    assert_true(b->rows.locations[0].latitude < -6.2 && b->rows.locations[0].latitude > -6.3);
    assert_int_equal(b->rows.locations[0].radius_m, 150);
    assert_string_equal(b->rows.locations[0].unit_code, "KEMENKES");
    assert_null(b->rows.locations[1].unit_code);
    assert_true(has_error(b, 4, "latitude", "out_of_range"));
    assert_true(has_error(b, 5, "latitude", "number_format"));
    assert_true(has_error(b, 5, "longitude", "out_of_range"));
    assert_true(has_error(b, 5, "radius_m", "out_of_range"));
    assert_true(has_error(b, 5, "time_zone", "time_zone_format"));
    assert_true(has_error(b, 6, "latitude", "number_format"));
    assert_true(has_error(b, 6, "longitude", "number_format"));
    assert_true(has_error(b, 6, "radius_m", "number_format"));
    assert_true(has_error(b, 6, "time_zone", "time_zone_format"));
    eo_import_batch_free(b);
}

static void test_employees_valid(void **state)
{
    (void)state;
    eo_import_batch *b =
        parse(EO_IMPORT_EMPLOYEES,
              EMP_HEADER "198503122010121003,3174051203850001,Budi Santoso,L,1985-03-12,PNS,BIRO-SDM,"
                         "Analis SDM Aparatur,fungsional,III/c,KMK,5HK,199001152015032001,budi@kemkes.go.id\n"
                         "199001152015032001,1606025501900002,\"Sari, S.Pd.\",P,1990-01-15,PNS,BIRO-SDM,"
                         "Kepala Bagian,struktural,IV/a,KMK,5HK,,\n"
                         "198702022022212001,1606024202870003,Rina,P,1987-02-02,PPPK,SDN1-SEKAYU,Guru,,IX,,6HKS,,\n");
    dump_errors(b);
    assert_int_equal(b->n_errors, 0);
    assert_int_equal(b->n_rows, 3);
    eo_import_employee *e = &b->rows.employees[0];
    assert_string_equal(e->nip, "198503122010121003");
    assert_string_equal(e->nik, "3174051203850001");
    assert_int_equal(e->gender, 'L');
    assert_string_equal(e->birth_date, "1985-03-12");
    assert_string_equal(e->employee_type, "PNS");
    assert_string_equal(e->position_type, "fungsional");
    assert_string_equal(e->supervisor_nip, "199001152015032001");
    assert_string_equal(b->rows.employees[1].name, "Sari, S.Pd.");
    assert_null(b->rows.employees[1].supervisor_nip);
    assert_null(b->rows.employees[1].office_email);
    assert_string_equal(b->rows.employees[2].employee_type, "PPPK");
    assert_string_equal(b->rows.employees[2].position_type, "pelaksana"); /* default */
    assert_false(b->rows.employees[2].position_type_given);
    assert_true(e->position_type_given);
    assert_string_equal(b->rows.employees[2].rank, "IX");
    eo_import_batch_free(b);
}

static void test_employees_minimal_header(void **state)
{
    (void)state;
    eo_import_batch *b = parse(EO_IMPORT_EMPLOYEES, "unit_code,employee_type,birth_date,gender,name,nik,nip\n"
                                                    "U1,PNS,1985-03-12,L,Budi,3174051203850001,198503122010121003\n");
    dump_errors(b);
    assert_int_equal(b->n_errors, 0);
    assert_false(eo_import_has_column(b, "supervisor_nip"));
    assert_true(eo_import_has_column(b, "nik"));
    eo_import_batch_free(b);

    b = parse(EO_IMPORT_EMPLOYEES, "nip,nik,name,gender,birth_date,unit_code,golongan\n");
    assert_true(has_error(b, 1, "header", "unknown_column"));
    assert_true(has_error(b, 1, "header", "missing_column"));
    eo_import_batch_free(b);
}

static void test_employees_errors(void **state)
{
    (void)state;
    eo_import_batch *b =
        parse(EO_IMPORT_EMPLOYEES, EMP_HEADER
              /* 2: NIP birth date invalid (30 Feb), NIK region bad */
              "198502302010121003,1074051203850001,A,L,1985-02-28,PNS,U1,,,,,,,\n"
              /* 3: gender disagrees with NIP, NIK says male too */
              "198503122010121003,3174051203850001,B,P,1985-03-12,PNS,U1,,,,,,,\n"
              /* 4: birth date disagrees with NIP; type disagrees (NIP is PNS) */
              "198503122010121004,3174051203850002,C,L,1985-03-13,PPPK,U1,,,,,,,\n"
              /* 5: NIK birth date differs from the (consistent) NIP/birth_date */
              "198503122010121005,3174051303850003,D,L,1985-03-12,PNS,U1,,,,,,,\n"
              /* 6: rank wrong for PNS, IV/f and PPPK-style; email bad; position_type bad */
              "198503122010121006,3174051203850004,E,L,1985-03-12,PNS,U1,Guru,guru,IX,,,,x@y\n"
              /* 7: PPPK with PNS rank; supervisor is self; bad date format */
              "198702022022212001,1606024202870003,F,P,02-02-1987,PPPK,U1,,,III/a,,,198702022022212001,\n"
              /* 8: missing unit, bad location code, bad gender, bad type */
              "198503122010121007,3174051203850005,G,X,1985-03-12,ASN,,,,,K M K,,,\n"
              /* 9: NIP format, NIK sequence, I/e does not exist, position_type without position */
              "19850312201012100,3174051203850000,H,L,1985-03-12,PNS,U1,,struktural,I/e,,,12345,\n"
              /* 10: duplicate of line 3's NIP */
              "198503122010121003,3174051203850001,B2,L,1985-03-12,PNS,U1,,,,,,,\n");
    assert_true(has_error(b, 2, "nip", "nip_birth_date"));
    assert_true(has_error(b, 2, "nik", "nik_region"));
    assert_true(has_error(b, 3, "gender", "gender_mismatch_nip"));
    assert_true(has_error(b, 3, "nik", "nik_mismatch"));
    assert_true(has_error(b, 4, "birth_date", "birth_date_mismatch_nip"));
    assert_true(has_error(b, 4, "employee_type", "employee_type_mismatch_nip"));
    assert_true(has_error(b, 4, "nik", "nik_mismatch"));
    assert_true(has_error(b, 5, "nik", "nik_mismatch"));
    assert_true(has_error(b, 6, "rank", "rank_invalid"));
    assert_true(has_error(b, 6, "office_email", "email_invalid"));
    assert_true(has_error(b, 6, "position_type", "position_type_invalid"));
    assert_true(has_error(b, 7, "rank", "rank_invalid"));
    assert_true(has_error(b, 7, "supervisor_nip", "supervisor_self"));
    assert_true(has_error(b, 7, "birth_date", "date_format"));
    assert_true(has_error(b, 8, "unit_code", "required"));
    assert_true(has_error(b, 8, "office_location_code", "code_format"));
    assert_true(has_error(b, 8, "gender", "gender_invalid"));
    assert_true(has_error(b, 8, "employee_type", "employee_type_invalid"));
    assert_true(has_error(b, 9, "nip", "nip_format"));
    assert_true(has_error(b, 9, "nik", "nik_sequence"));
    assert_true(has_error(b, 9, "rank", "rank_invalid"));
    assert_true(has_error(b, 9, "position_type", "position_required"));
    assert_true(has_error(b, 9, "supervisor_nip", "nip_format"));
    assert_false(has_error(b, 10, "nip", "duplicate_in_file")); /* line 3 was rejected */
    assert_int_equal(b->n_rows, 1);                             /* only line 10 is clean */
    eo_import_batch_free(b);
}

static void test_email_and_rank_accepted(void **state)
{
    (void)state;
    eo_import_batch *b = parse(
        EO_IMPORT_EMPLOYEES, EMP_HEADER
        "198503122010121003,3174051203850001,A,L,1985-03-12,PNS,U1,,,IV/e,,,,a.b+c@dinkes.musibanyuasinkab.go.id\n"
        "198503122010121004,3174051203850002,A,L,1985-03-12,PNS,U1,,,I/a,,,,x@kemkes.go.id\n"
        "198702022022212002,1606024202870004,F,P,1987-02-02,PPPK,U1,,,XVII,,,,\n"
        "198702022022212003,1606024202870005,F,P,1987-02-02,PPPK,U1,,,XVIII,,,,a@b\n"
        "198702022022212004,1606024202870006,F,P,1987-02-02,PPPK,U1,,,,,,,a b@c.id\n"
        "198702022022212005,1606024202870007,F,P,1987-02-02,PPPK,U1,,,,,,,a@@c.id\n"
        "198702022022212006,1606024202870008,F,P,1987-02-02,PPPK,U1,,,,,,,a@c..id\n");
    assert_int_equal(b->n_rows, 3);
    assert_true(has_error(b, 5, "rank", "rank_invalid"));
    assert_true(has_error(b, 5, "office_email", "email_invalid"));
    assert_true(has_error(b, 6, "office_email", "email_invalid"));
    assert_true(has_error(b, 7, "office_email", "email_invalid"));
    assert_true(has_error(b, 8, "office_email", "email_invalid"));
    assert_int_equal(b->n_errors, 5);
    eo_import_batch_free(b);
}

static void test_error_cap(void **state)
{
    (void)state;
    eo_import_batch *b = eo_import_batch_new(EO_IMPORT_UNITS);
    for (int i = 0; i < EO_IMPORT_MAX_ERRORS + 10; i++) eo_import_add_error(b, i, "code", "required", NULL);
    assert_int_equal(b->n_errors, EO_IMPORT_MAX_ERRORS + 10);
    assert_int_equal(b->n_kept, EO_IMPORT_MAX_ERRORS);
    eo_import_batch_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_units_valid),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_units_row_errors),
        cmocka_unit_test(test_locations),
        cmocka_unit_test(test_employees_valid),
        cmocka_unit_test(test_employees_minimal_header),
        cmocka_unit_test(test_employees_errors),
        cmocka_unit_test(test_email_and_rank_accepted),
        cmocka_unit_test(test_error_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
