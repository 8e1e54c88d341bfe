#include "core/csv.h"
#include "core/parse.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CSV_EOF (-1)

struct eo_csv {
    FILE *file;
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    int pending[3]; /* pushed-back bytes, used in LIFO order */
    int n_pending;

    size_t max_bytes;
    int max_fields;
    char *buf; /* max_bytes + max_fields (one NUL per field) */
    size_t len;
    char **fields;
    int n_fields;

    int line;
    bool started; /* BOM check done */
    const char *error;
    int error_line;
};

static eo_csv *csv_new(const eo_csv_limits *limits)
{
    eo_csv *c = calloc(1, sizeof(*c));
    if (!c) return NULL;
    c->max_bytes = limits && limits->max_record_bytes ? limits->max_record_bytes : 8192;
    c->max_fields = limits && limits->max_fields > 0 ? limits->max_fields : 64;
    c->buf = malloc(c->max_bytes + (size_t)c->max_fields);
    c->fields = calloc((size_t)c->max_fields, sizeof(char *));
    if (!c->buf || !c->fields) {
        eo_csv_close(c);
        return NULL;
    }
    c->line = 1;
    return c;
}

eo_csv *eo_csv_open_file(FILE *f, const eo_csv_limits *limits)
{
    eo_csv *c = csv_new(limits);
    if (c) c->file = f;
    return c;
}

eo_csv *eo_csv_open_mem(const char *data, size_t len, const eo_csv_limits *limits)
{
    eo_csv *c = csv_new(limits);
    if (c) {
        c->mem = (const unsigned char *)data;
        c->mem_len = len;
    }
    return c;
}

void eo_csv_close(eo_csv *csv)
{
    if (!csv) return;
    free(csv->buf);
    free(csv->fields);
    free(csv);
}

const char *eo_csv_error_code(const eo_csv *csv) { return csv->error; }
int eo_csv_error_line(const eo_csv *csv) { return csv->error_line; }

static int next_byte(eo_csv *c)
{
    if (c->n_pending > 0) return c->pending[--c->n_pending];
    if (c->file) {
        int ch = getc(c->file);
        if (ch == EOF) {
            if (ferror(c->file) && !c->error) {
                c->error = "csv_io";
                c->error_line = c->line;
            }
            return CSV_EOF;
        }
        return ch;
    }
    if (c->mem_pos >= c->mem_len) return CSV_EOF;
    return c->mem[c->mem_pos++];
}

static void push_back(eo_csv *c, int ch)
{
    if (ch != CSV_EOF && c->n_pending < 3) c->pending[c->n_pending++] = ch;
}

static eo_csv_result fail(eo_csv *c, const char *code, int line)
{
    c->error = code;
    c->error_line = line;
    return EO_CSV_ERROR;
}

static bool append(eo_csv *c, int ch)
{
    if (c->len >= c->max_bytes + (size_t)c->n_fields) return false;
    c->buf[c->len++] = (char)ch;
    return true;
}

static void skip_bom(eo_csv *c)
{
    int b[3];
    int n = 0;
    for (; n < 3; n++) {
        b[n] = next_byte(c);
        if (b[n] == CSV_EOF) break;
    }
    if (n == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) return;
    for (int i = n - 1; i >= 0; i--) push_back(c, b[i]);
}

eo_csv_result eo_csv_read(eo_csv *c, eo_csv_record *rec)
{
    if (c->error) return EO_CSV_ERROR;
    if (!c->started) {
        skip_bom(c);
        c->started = true;
    }

    int ch;
    for (;;) { /* skip empty lines */
        ch = next_byte(c);
        if (ch == CSV_EOF) return c->error ? EO_CSV_ERROR : EO_CSV_EOF;
        if (ch == '\n') {
            c->line++;
            continue;
        }
        if (ch == '\r') {
            int nx = next_byte(c);
            if (nx != '\n') push_back(c, nx);
            c->line++;
            continue;
        }
        break;
    }

    int rec_line = c->line;
    c->len = 0;
    c->n_fields = 0;
    for (;;) {
        if (c->n_fields >= c->max_fields) return fail(c, "csv_too_many_fields", rec_line);
        size_t start = c->len;
        if (ch == '"') {
            for (;;) {
                ch = next_byte(c);
                if (ch == CSV_EOF) return fail(c, c->error ? c->error : "csv_unterminated_quote", rec_line);
                if (ch == '"') {
                    ch = next_byte(c);
                    if (ch != '"') break; /* closing quote; ch is the byte after it */
                } else if (ch == '\n') {
                    c->line++;
                }
                if (ch == 0) return fail(c, "csv_nul_byte", c->line);
                if (!append(c, ch)) return fail(c, "csv_record_too_long", rec_line);
            }
            if (ch != ',' && ch != '\n' && ch != '\r' && ch != CSV_EOF) return fail(c, "csv_bad_quote", c->line);
        } else {
            while (ch != ',' && ch != '\n' && ch != '\r' && ch != CSV_EOF) {
                if (ch == '"') return fail(c, "csv_bad_quote", c->line);
                if (ch == 0) return fail(c, "csv_nul_byte", c->line);
                if (!append(c, ch)) return fail(c, "csv_record_too_long", rec_line);
                ch = next_byte(c);
            }
        }
        if (!eo_utf8_valid(c->buf + start, c->len - start)) return fail(c, "csv_invalid_utf8", c->line);
        c->buf[c->len++] = '\0'; /* room reserved: one NUL per field */
        c->fields[c->n_fields++] = c->buf + start;

        if (ch == ',') {
            ch = next_byte(c);
            continue;
        }
        if (ch == '\r') {
            int nx = next_byte(c);
            if (nx != '\n') push_back(c, nx);
            c->line++;
        } else if (ch == '\n') {
            c->line++;
        } else if (c->error) { /* EOF caused by a read error */
            return EO_CSV_ERROR;
        }
        break;
    }
    rec->line = rec_line;
    rec->n_fields = c->n_fields;
    rec->fields = c->fields;
    return EO_CSV_RECORD;
}
