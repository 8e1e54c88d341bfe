#include "core/tpp_export.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char *const headers[] = {"nip",       "nama",    "unit_kode",   "unit_nama", "kelas_jabatan",
                                      "tpp_dasar", "kinerja", "kehadiran",   "potongan",  "total",
                                      "status",    "catatan", "fingerprint", NULL};

static void csv_text(FILE *f, const char *s)
{
    s = s ? s : "";
    bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula) fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A text cell and the comma after it. */
static void csv_cell(FILE *f, const char *s)
{
    csv_text(f, s);
    fputc(',', f);
}

eo_status eo_tpp_export_csv(const eo_tpp_export_row *rows, size_t n, char **out, size_t *len, eo_err *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = open_memstream(out, len);
    if (!f) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    for (int i = 0; headers[i]; i++) fprintf(f, "%s%s", i ? "," : "", headers[i]);
    fputs("\r\n", f);
    for (size_t i = 0; i < n; i++) {
        const eo_tpp_export_row *r = &rows[i];
        csv_cell(f, r->nip);
        csv_cell(f, r->name);
        csv_cell(f, r->unit_code);
        csv_cell(f, r->unit_name);
        fprintf(f, "%d,%lld,%lld,%lld,%lld,%lld,", r->class_grade, r->base, r->kinerja, r->kehadiran, r->deduction,
                r->total);
        csv_cell(f, r->status);
        csv_cell(f, r->issues);
        csv_text(f, r->fingerprint);
        fputs("\r\n", f);
    }
    if (fclose(f) != 0 || !*out) {
        free(*out);
        *out = NULL;
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    return EO_OK;
}

static eo_status read_all(const char *path, char **out, size_t *len, eo_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "xlsx: cannot reopen %s", path);
    char *buf = NULL;
    size_t cap = 0, at = 0;
    for (;;) {
        if (at == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, ncap);
            if (!nb) break;
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + at, 1, cap - at, f);
        at += got;
        if (got == 0) break;
    }
    bool bad = ferror(f) || !buf;
    fclose(f);
    if (bad) {
        free(buf);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    *out = buf;
    *len = at;
    return EO_OK;
}

eo_status eo_tpp_export_xlsx(const eo_tpp_export_row *rows, size_t n, const char *month, const char *tmp_dir,
                             char **out, size_t *len, eo_err *err)
{
    *out = NULL;
    *len = 0;
    char path[512];
    snprintf(path, sizeof path, "%s/eoffice-tpp-XXXXXX", tmp_dir && *tmp_dir ? tmp_dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "xlsx: mkstemp failed in %s", tmp_dir);
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
                                .tmpdir = (char *)(tmp_dir && *tmp_dir ? tmp_dir : "/tmp")};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        unlink(path);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0");
    lxw_worksheet *rekap = workbook_add_worksheet(wb, "Rekap");
    lxw_worksheet *pot = workbook_add_worksheet(wb, "Potongan");
    for (lxw_col_t c = 0; headers[c]; c++) worksheet_write_string(rekap, 0, c, headers[c], bold);
    static const char *const ph[] = {"nip", "nama", "tanggal", "kode", "persen", "jumlah", NULL};
    for (lxw_col_t c = 0; ph[c]; c++) worksheet_write_string(pot, 0, c, ph[c], bold);
    lxw_row_t prow = 1;
    for (size_t i = 0; i < n; i++) {
        const eo_tpp_export_row *r = &rows[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        worksheet_write_string(rekap, row, 0, r->nip, NULL);
        worksheet_write_string(rekap, row, 1, r->name, NULL);
        worksheet_write_string(rekap, row, 2, r->unit_code, NULL);
        worksheet_write_string(rekap, row, 3, r->unit_name, NULL);
        worksheet_write_number(rekap, row, 4, r->class_grade, NULL);
        worksheet_write_number(rekap, row, 5, (double)r->base, money);
        worksheet_write_number(rekap, row, 6, (double)r->kinerja, money);
        worksheet_write_number(rekap, row, 7, (double)r->kehadiran, money);
        worksheet_write_number(rekap, row, 8, (double)r->deduction, money);
        worksheet_write_number(rekap, row, 9, (double)r->total, money);
        worksheet_write_string(rekap, row, 10, r->status, NULL);
        worksheet_write_string(rekap, row, 11, r->issues ? r->issues : "", NULL);
        worksheet_write_string(rekap, row, 12, r->fingerprint, NULL);
        const json_t *lines = r->deductions;
        size_t k;
        const json_t *l;
        json_array_foreach(lines, k, l)
        {
            worksheet_write_string(pot, prow, 0, r->nip, NULL);
            worksheet_write_string(pot, prow, 1, r->name, NULL);
            worksheet_write_string(pot, prow, 2, json_string_value(json_object_get(l, "date")), NULL);
            worksheet_write_string(pot, prow, 3, json_string_value(json_object_get(l, "code")), NULL);
            worksheet_write_number(pot, prow, 4, json_number_value(json_object_get(l, "pct")), NULL);
            worksheet_write_number(pot, prow, 5, (double)json_integer_value(json_object_get(l, "amount")), money);
            prow++;
        }
    }
    char title[64];
    snprintf(title, sizeof title, "Rekap TPP %.7s", month ? month : "");
    lxw_doc_properties props = {.title = title};
    workbook_set_properties(wb, &props);
    lxw_error e = workbook_close(wb);
    eo_status st = e == LXW_NO_ERROR ? read_all(path, out, len, err)
                                     : eo_fail_log(err, EO_ERR_INTERNAL, "internal", "xlsx: %s", lxw_strerror(e));
    unlink(path);
    return st;
}
