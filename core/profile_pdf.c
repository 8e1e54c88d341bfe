#include "core/profile_pdf.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/profile.h"

#define PAGE_W   595.276f /* A4 in points */
#define PAGE_H   841.89f
#define MARGIN   50.0f
#define BOTTOM   60.0f /* the footer lives below this */
#define MAX_PAGE 200

typedef struct {
    HPDF_Doc doc;
    HPDF_Page page;
    HPDF_Page pages[MAX_PAGE];
    int n_pages;
    HPDF_Font font, bold;
    float y;
    HPDF_STATUS failed;
} pdf;

static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    (void)detail_no;
    pdf *p = user_data;
    if (!p->failed) p->failed = error_no;
}

static void new_page(pdf *p)
{
    if (p->n_pages >= MAX_PAGE) {
        p->failed = 1;
        return;
    }
    p->page = HPDF_AddPage(p->doc);
    HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    p->pages[p->n_pages++] = p->page;
    p->y = PAGE_H - MARGIN;
}

static void need(pdf *p, float h)
{
    if (p->y - h < BOTTOM) new_page(p);
}

static void text_at(pdf *p, HPDF_Font f, float size, float x, float y, const char *s)
{
    HPDF_Page_BeginText(p->page);
    HPDF_Page_SetFontAndSize(p->page, f, size);
    HPDF_Page_TextOut(p->page, x, y, s);
    HPDF_Page_EndText(p->page);
}

static float width_of(pdf *p, HPDF_Font f, float size, const char *s)
{
    HPDF_Page_SetFontAndSize(p->page, f, size);
    return HPDF_Page_TextWidth(p->page, s);
}

/* Writes s from x, wrapped at spaces (or anywhere when a word is too long) to
 * fit the right margin; one line per size * 1.35 points. */
static void paragraph(pdf *p, HPDF_Font f, float size, float x, const char *s)
{
    float max = PAGE_W - MARGIN - x, lh = size * 1.35f;
    size_t n = strlen(s), start = 0;
    char *line = malloc(n + 1);
    if (!line) {
        p->failed = 1;
        return;
    }
    while (start < n && !p->failed) {
        size_t best = 0, end = start;
        while (end < n) { /* extend to the next space while it fits */
            size_t next = end + 1;
            while (next < n && s[next] != ' ' && s[next] != '\n') next++;
            memcpy(line, s + start, next - start);
            line[next - start] = '\0';
            if (width_of(p, f, size, line) > max && best) break;
            best = next - start;
            end = next;
            if (s[end] == '\n') break;
        }
        if (best == 0) best = n - start;
        /* one word wider than the line: cut it at a UTF-8 boundary that fits */
        memcpy(line, s + start, best);
        line[best] = '\0';
        while (best > 1 && width_of(p, f, size, line) > max) {
            do best--;
            while (best > 1 && ((unsigned char)s[start + best] & 0xC0) == 0x80);
            line[best] = '\0';
        }
        need(p, lh);
        text_at(p, f, size, x, p->y - size, line);
        p->y -= lh;
        start += best;
        while (start < n && (s[start] == ' ' || s[start] == '\n')) start++;
    }
    free(line);
}

static void heading(pdf *p, const char *s)
{
    need(p, 40);
    p->y -= 10;
    text_at(p, p->bold, 12, MARGIN, p->y - 12, s);
    p->y -= 17;
    HPDF_Page_SetLineWidth(p->page, 0.6f);
    HPDF_Page_MoveTo(p->page, MARGIN, p->y);
    HPDF_Page_LineTo(p->page, PAGE_W - MARGIN, p->y);
    HPDF_Page_Stroke(p->page);
    p->y -= 6;
}

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "-";
}

/* "Label: value; Label: value" for one record's members, in display order. */
static char *record_line(eo_profile_section s, const json_t *data)
{
    const char *const *labels = NULL;
    const char *const *names = eo_profile_section_members(s, &labels);
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    out[0] = '\0';
    for (size_t i = 0; names && names[i]; i++) {
        const json_t *v = json_object_get(data, names[i]);
        char num[32];
        const char *t = NULL;
        if (json_is_string(v))
            t = json_string_value(v);
        else if (json_is_integer(v)) {
            snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
            t = num;
        } else if (json_is_real(v)) { /* JP of a partner's training may have decimals (7.5) */
            snprintf(num, sizeof(num), "%.2f", json_real_value(v));
            size_t e = strlen(num);
            while (e > 0 && num[e - 1] == '0') num[--e] = '\0';
            if (e > 0 && num[e - 1] == '.') num[--e] = '\0';
            t = num;
        }
        if (!t || !t[0]) continue;
        size_t need_len = len + strlen(labels[i]) + strlen(t) + 8;
        if (need_len > cap) {
            while (cap < need_len) cap *= 2;
            char *bigger = realloc(out, cap);
            if (!bigger) {
                free(out);
                return NULL;
            }
            out = bigger;
        }
        len += (size_t)snprintf(out + len, cap - len, "%s%s: %s", len ? "; " : "", labels[i], t);
    }
    return out;
}

static void section(pdf *p, eo_profile_section s, const json_t *sec)
{
    heading(p, eo_profile_section_title(s));
    const json_t *records = json_object_get(sec, "records"), *adds = json_object_get(sec, "pending_additions");
    if (json_array_size(records) == 0 && json_array_size(adds) == 0) {
        paragraph(p, p->font, 9.5f, MARGIN + 10, "Belum ada data.");
        return;
    }
    size_t i, k = 0;
    const json_t *r;
    for (int pass = 0; pass < 2; pass++) {
        json_array_foreach(pass ? adds : records, i, r)
        {
            char *line = record_line(s, json_object_get(r, "data"));
            if (!line) {
                p->failed = 1;
                return;
            }
            const json_t *pc = json_object_get(r, "pending_change");
            const char *mark = pass                        ? " [usulan baru, sedang diverifikasi]"
                               : (pc && !json_is_null(pc)) ? " [perubahan sedang diverifikasi]"
                                                           : "";
            size_t n = strlen(line) + strlen(mark) + 16;
            char *full = malloc(n);
            if (!full) {
                free(line);
                p->failed = 1;
                return;
            }
            snprintf(full, n, "%zu. %s%s", ++k, line, mark);
            paragraph(p, p->font, 9.5f, MARGIN + 10, full);
            p->y -= 3;
            free(full);
            free(line);
        }
    }
}

eo_status eo_profile_pdf_render(const json_t *profile, const char *doc_id, double now, unsigned char **out, size_t *len,
                                eo_err *err)
{
    *out = NULL;
    *len = 0;
    pdf *p = calloc(1, sizeof(*p));
    if (!p) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    p->doc = HPDF_New(on_error, p);
    if (!p->doc) {
        free(p);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(p->doc);
    HPDF_SetCurrentEncoder(p->doc, "UTF-8");
    const char *fn = HPDF_LoadTTFontFromFile(p->doc, EO_PDF_FONT, HPDF_TRUE);
    const char *fb = HPDF_LoadTTFontFromFile(p->doc, EO_PDF_FONT_BOLD, HPDF_TRUE);
    if (!fn || !fb || p->failed) {
        HPDF_Free(p->doc);
        free(p);
        return eo_fail_log(err, EO_ERR_UNAVAILABLE, "pdf_unavailable", "cannot load %s", EO_PDF_FONT);
    }
    p->font = HPDF_GetFont(p->doc, fn, "UTF-8");
    p->bold = HPDF_GetFont(p->doc, fb, "UTF-8");
    const json_t *emp = json_object_get(profile, "employee");
    HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, "Profil Pegawai");
    HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "e-Office");
    new_page(p);

    /* header: who */
    text_at(p, p->bold, 15, MARGIN, p->y - 15, "PROFIL PEGAWAI ASN");
    p->y -= 30;
    paragraph(p, p->bold, 13, MARGIN, str(emp, "name"));
    char line[600];
    snprintf(line, sizeof(line), "NIP %s · %s%s%s", str(emp, "nip"), str(emp, "employee_type"),
             json_is_string(json_object_get(emp, "rank")) ? " · Golongan " : "",
             json_is_string(json_object_get(emp, "rank")) ? str(emp, "rank") : "");
    paragraph(p, p->font, 10, MARGIN, line);
    snprintf(line, sizeof(line), "Jabatan: %s", str(emp, "position"));
    paragraph(p, p->font, 10, MARGIN, line);
    snprintf(line, sizeof(line), "Unit kerja: %s", str(json_object_get(emp, "unit"), "name"));
    paragraph(p, p->font, 10, MARGIN, line);

    const json_t *sections = json_object_get(profile, "sections");
    for (int i = 0; i < EO_SEC_COUNT && !p->failed; i++) {
        const json_t *sec = json_object_get(sections, eo_profile_section_name((eo_profile_section)i));
        if (sec) section(p, (eo_profile_section)i, sec);
    }
    if (json_array_size(json_object_get(profile, "hidden_sections")) > 0) {
        p->y -= 8;
        paragraph(p, p->font, 8.5f, MARGIN, "Data pribadi dan keluarga tidak ditampilkan untuk pencetak ini.");
    }

    /* footer on every page: when, which document, page n of N */
    char when[32];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
    for (int i = 0; i < p->n_pages && !p->failed; i++) {
        p->page = p->pages[i];
        snprintf(line, sizeof(line), "Dicetak %s · ID dokumen %s · Halaman %d/%d", when, doc_id, i + 1, p->n_pages);
        text_at(p, p->font, 7.5f, MARGIN, 30, line);
    }
    eo_status st = EO_OK;
    if (p->failed || HPDF_SaveToStream(p->doc) != HPDF_OK) {
        st = eo_fail_log(err, EO_ERR_INTERNAL, "internal", "libharu error 0x%04lx", (unsigned long)p->failed);
    } else {
        HPDF_UINT32 size = HPDF_GetStreamSize(p->doc);
        unsigned char *buf = malloc(size ? size : 1);
        HPDF_STATUS rs = buf ? HPDF_ReadFromStream(p->doc, buf, &size) : HPDF_FAILD_TO_ALLOC_MEM;
        if (rs != HPDF_OK && rs != HPDF_STREAM_EOF) {
            free(buf);
            st = eo_fail(err, EO_ERR_INTERNAL, "internal");
        } else {
            *out = buf;
            *len = size;
        }
    }
    HPDF_Free(p->doc);
    free(p);
    return st;
}
