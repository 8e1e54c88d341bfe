/* Printable profile benchmark: renders a full profile (every section, a
 * long-serving employee's history) with core/profile_pdf.c N times and
 * prints the median, p90 and the PDF's size. Run: bench/profile_pdf [N]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"
#include "core/parse.h"
#include "core/profile.h"
#include "core/profile_pdf.h"

static json_t *record(const char *fmt, int i)
{
    char buf[1024];
    snprintf(buf, sizeof(buf), fmt, i, i, i, i);
    json_t *data = json_loads(buf, 0, NULL);
    if (!data) {
        fprintf(stderr, "bad record JSON: %s\n", buf);
        exit(2);
    }
    return json_pack("{s:o, s:n}", "data", data, "pending_change");
}

int main(int argc, char **argv)
{
    long long runs = 50;
    if (argc > 1 && !eo_parse_int(argv[1], 1, 100000, &runs)) runs = 50;
    int n = (int)runs;
    static const struct {
        const char *section, *fmt;
        int count;
    } fill[] = {
        {"identity",
         "{\"birthplace\":\"Palembang %d\",\"religion\":\"Islam\",\"marital_status\":\"kawin\",\"blood_type\":\"O\","
         "\"address\":\"Jl. Jenderal Sudirman No. %d, Kelurahan Talang Semut, Kecamatan Bukit Kecil, Kota "
         "Palembang, Sumatera Selatan\",\"personal_phone\":\"+62 "
         "812-%04d-7788\",\"personal_email\":\"pegawai%d@example.id\","
         "\"tmt_cpns\":\"1998-03-01\",\"tmt_pns\":\"1999-06-01\"}",
         1},
        {"family",
         "{\"name\":\"Anggota Keluarga Ke-%d Siti Nurhaliza Ramadhani\",\"relation\":\"anak\","
         "\"birth_date\":\"2005-01-%02d\",\"occupation\":\"Pelajar %d\"}",
         5},
        {"rank",
         "{\"golongan\":\"III/a\",\"tmt\":\"2001-04-%02d\",\"sk_number\":\"KP.03.01/II/%d/2001\","
         "\"sk_date\":\"2001-03-%02d\"}",
         8},
        {"position",
         "{\"position\":\"Analis Sumber Daya Manusia Aparatur Ahli Madya %d\",\"unit\":\"Biro Organisasi "
         "dan Sumber Daya Manusia, Sekretariat Jenderal %d\",\"tmt\":\"2010-01-%02d\","
         "\"sk_number\":\"KP.02.02/II/%d/2010\",\"sk_date\":\"2009-12-20\"}",
         7},
        {"education",
         "{\"level\":\"S1\",\"institution\":\"Universitas Sriwijaya %d\",\"major\":\"Ilmu Administrasi "
         "Negara %d\",\"graduation_year\":19%02d,\"certificate_number\":\"UNSRI/%d\"}",
         5},
        {"team",
         "{\"team\":\"Tim Reformasi Birokrasi dan Zona Integritas %d\",\"role\":\"Anggota\","
         "\"start_date\":\"2015-01-%02d\",\"end_date\":\"2015-12-31\",\"sk_number\":\"HK.02/%d\","
         "\"sk_date\":\"2015-01-0%d\"}",
         6},
        {"award",
         "{\"name\":\"Satyalancana Karya Satya %d Tahun\",\"year\":20%02d,\"issuer\":\"Presiden Republik "
         "Indonesia %d\",\"sk_number\":\"Keppres %d/TK/2014\"}",
         5},
        {"competency",
         "{\"activity\":\"Pelatihan Teknis Manajemen Aparatur Sipil Negara Angkatan %d\","
         "\"organiser\":\"BPSDM Kesehatan %d\",\"jp\":%d,\"start_date\":\"2018-08-%02d\","
         "\"end_date\":\"2018-09-30\"}",
         15},
        {"assignment",
         "{\"activity\":\"Verifikasi dan validasi data kepegawaian daerah %d\",\"kind\":\"penugasan\","
         "\"location\":\"Kabupaten %d\",\"start_date\":\"2023-05-%02d\",\"end_date\":\"2023-05-28\","
         "\"sk_number\":\"ST.01/%d\",\"description\":\"Pendampingan pemutakhiran data mandiri ASN dan "
         "verifikasi dokumen pendukung di unit kerja daerah.\"}",
         12},
    };
    json_t *sections = json_object();
    int total = 0;
    for (size_t s = 0; s < sizeof(fill) / sizeof(fill[0]); s++) {
        eo_profile_section sec;
        if (!eo_profile_section_parse(fill[s].section, &sec)) return 2;
        json_t *records = json_array();
        for (int i = 1; i <= fill[s].count; i++) json_array_append_new(records, record(fill[s].fmt, i));
        total += fill[s].count;
        json_object_set_new(sections, fill[s].section,
                            json_pack("{s:s, s:o, s:[]}", "title", eo_profile_section_title(sec), "records", records,
                                      "pending_additions"));
    }
    json_t *profile =
        json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}, s:o, s:[]}", "employee", "nip", "197806252003121001",
                  "name", "Dr. Hendra Gunawan, S.H., M.H.", "employee_type", "PNS", "rank", "IV/b", "position",
                  "Kepala Bagian Perencanaan dan Pengadaan SDM", "unit", "code", "KEMENKES-ROSDM", "name",
                  "Biro Organisasi dan Sumber Daya Manusia", "sections", sections, "hidden_sections");
    double *ms = calloc((size_t)n, sizeof(double));
    size_t size = 0;
    for (int i = 0; i < n; i++) {
        unsigned char *pdf = NULL;
        size_t len = 0;
        eo_err err;
        eo_err_init(&err);
        double t0 = bench_now_ms();
        if (eo_profile_pdf_render(profile, "PRF-197806252003121001-000000000000", 1796058000.0, &pdf, &len, &err) !=
            EO_OK) {
            fprintf(stderr, "render failed: %s %s\n", err.code, err.log_detail);
            return 1;
        }
        ms[i] = bench_now_ms() - t0;
        size = len;
        if (i == 0 && argc > 2) {
            FILE *f = fopen(argv[2], "wb");
            if (f) {
                fwrite(pdf, 1, len, f);
                fclose(f);
            }
        }
        free(pdf);
    }
    qsort(ms, (size_t)n, sizeof(double), bench_cmp_double);
    printf("profile PDF (%d records in 9 sections, %zu bytes): median %.1f ms, p90 %.1f ms, min %.1f ms over %d runs\n",
           total, size, ms[n / 2], ms[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1], ms[0], n);
    free(ms);
    json_decref(profile);
    return 0;
}
