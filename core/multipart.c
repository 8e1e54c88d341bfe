#include "core/multipart.h"

#include <string.h>
#include <strings.h>

#define FORM_DATA     "multipart/form-data"
#define FORM_DATA_LEN (sizeof(FORM_DATA) - 1)

/* RFC 9110 tchar. */
static bool is_tchar(unsigned char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* RFC 2046 bcharsnospace. */
static bool is_bchar(unsigned char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch && strchr("'()+_,-./:=?", ch));
}

static const char *skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t') p++;
    return p;
}

bool eo_multipart_is_form(const char *ct)
{
    return ct && strncasecmp(ct, FORM_DATA, FORM_DATA_LEN) == 0 &&
           (ct[FORM_DATA_LEN] == '\0' || ct[FORM_DATA_LEN] == ';' || ct[FORM_DATA_LEN] == ' ' ||
            ct[FORM_DATA_LEN] == '\t');
}

bool eo_multipart_boundary(const char *ct, char out[EO_MULTIPART_MAX_BOUNDARY + 1])
{
    out[0] = '\0';
    if (!eo_multipart_is_form(ct)) return false;
    const char *p = ct + FORM_DATA_LEN;
    /* libmicrohttpd takes the boundary from the first "boundary=" it finds. */
    const char *first = strstr(p, "boundary=");
    for (;;) {
        p = skip_ows(p);
        if (*p == '\0') return out[0] != '\0';
        if (out[0] || *p != ';') return false; /* the boundary is the last parameter */
        p = skip_ows(p + 1);
        const char *name = p;
        while (is_tchar((unsigned char)*p)) p++;
        size_t name_len = (size_t)(p - name);
        if (name_len == 0 || *p != '=') return false;
        p++;
        const char *val = p;
        size_t val_len;
        bool quoted = *p == '"';
        if (quoted) {
            val = ++p;
            while (*p && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20 && *p != 0x7F) p++;
            if (*p != '"') return false;
            val_len = (size_t)(p - val);
            p++;
        } else {
            while (is_tchar((unsigned char)*p)) p++;
            val_len = (size_t)(p - val);
        }
        if (val_len == 0) return false;
        if (name_len != 8 || strncasecmp(name, "boundary", 8) != 0) continue;
        if (strncmp(name, "boundary", 8) != 0 || name != first) return false;
        if (val_len > EO_MULTIPART_MAX_BOUNDARY || val[val_len - 1] == ' ') return false;
        for (size_t i = 0; i < val_len; i++)
            if (!is_bchar((unsigned char)val[i]) && !(quoted && val[i] == ' ')) return false;
        if (*p != '\0') return false; /* not even whitespace: libmicrohttpd would keep it */
        memcpy(out, val, val_len);
        out[val_len] = '\0';
    }
}

/* ------------------------------------------------------------ part headers */

typedef struct {
    const unsigned char *p, *end;
} cursor;

static void cur_ows(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t')) c->p++;
}

/* A parameter value: token or quoted-string without escapes (a backslash is
 * refused: parsers disagree on it). */
static bool cur_value(cursor *c, const unsigned char **v, size_t *n)
{
    if (c->p < c->end && *c->p == '"') {
        const unsigned char *s = ++c->p;
        while (c->p < c->end && *c->p != '"') {
            if (*c->p == '\\' || *c->p < 0x20 || *c->p == 0x7F) return false;
            c->p++;
        }
        if (c->p == c->end) return false;
        *v = s;
        *n = (size_t)(c->p - s);
        c->p++;
        return true;
    }
    const unsigned char *s = c->p;
    while (c->p < c->end && is_tchar(*c->p)) c->p++;
    *v = s;
    *n = (size_t)(c->p - s);
    return *n > 0;
}

/* "form-data; name=\"x\"; filename=\"y\"": exactly one name, at most one filename. */
static bool content_disposition(const unsigned char *v, size_t n, eo_multipart_part *part)
{
    cursor c = {v, v + n};
    if (n < 9 || strncasecmp((const char *)v, "form-data", 9) != 0) return false;
    c.p += 9;
    bool have_name = false;
    for (;;) {
        cur_ows(&c);
        if (c.p == c.end) break;
        if (*c.p != ';') return false;
        c.p++;
        cur_ows(&c);
        const unsigned char *pn = c.p;
        while (c.p < c.end && is_tchar(*c.p)) c.p++;
        size_t pn_len = (size_t)(c.p - pn);
        if (pn_len == 0 || c.p == c.end || *c.p != '=') return false;
        c.p++;
        const unsigned char *val;
        size_t val_len;
        if (!cur_value(&c, &val, &val_len)) return false;
        if (pn_len == 4 && strncasecmp((const char *)pn, "name", 4) == 0) {
            if (have_name || val_len == 0 || val_len > EO_MULTIPART_MAX_NAME) return false;
            for (size_t i = 0; i < val_len; i++)
                if (val[i] < 0x20 || val[i] > 0x7E) return false;
            memcpy(part->name, val, val_len);
            part->name[val_len] = '\0';
            have_name = true;
        } else if (pn_len == 8 && strncasecmp((const char *)pn, "filename", 8) == 0) {
            if (part->has_filename) return false;
            part->has_filename = true;
        }
    }
    return have_name;
}

enum { SEEN_CD = 1, SEEN_CT = 2, SEEN_CTE = 4 };

static bool header_line(const unsigned char *line, size_t n, eo_multipart_part *part, unsigned *seen)
{
    size_t colon = 0;
    while (colon < n && is_tchar(line[colon])) colon++;
    if (colon == 0 || colon == n || line[colon] != ':') return false; /* also "Name :" */
    for (size_t i = colon + 1; i < n; i++)
        if ((line[i] < 0x20 && line[i] != '\t') || line[i] == 0x7F) return false;
    const unsigned char *v = line + colon + 1, *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t')) end--;
    size_t vn = (size_t)(end - v);
    const char *name = (const char *)line;
    if (colon == 19 && strncasecmp(name, "Content-Disposition", 19) == 0) {
        if (*seen & SEEN_CD) return false;
        *seen |= SEEN_CD;
        return content_disposition(v, vn, part);
    }
    if (colon == 12 && strncasecmp(name, "Content-Type", 12) == 0) {
        if (*seen & SEEN_CT) return false;
        *seen |= SEEN_CT;
        return true;
    }
    if (colon == 25 && strncasecmp(name, "Content-Transfer-Encoding", 25) == 0) {
        if (*seen & SEEN_CTE) return false;
        *seen |= SEEN_CTE;
        /* RFC 7578 §4.7: deprecated; an encoded part would mean other bytes to another reader. */
        return (vn == 4 && strncasecmp((const char *)v, "7bit", 4) == 0) ||
               (vn == 4 && strncasecmp((const char *)v, "8bit", 4) == 0) ||
               (vn == 6 && strncasecmp((const char *)v, "binary", 6) == 0);
    }
    return true; /* e.g. a per-part Content-Length (OkHttp): harmless, unused */
}

/* ------------------------------------------------------------------- body */

static eo_status malformed(eo_err *err) { return eo_fail(err, EO_ERR_BAD_REQUEST, "multipart_invalid"); }

eo_status eo_multipart_parse(const char *content_type, const unsigned char *body, size_t len, eo_multipart_form *form,
                             eo_err *err)
{
    form->n = 0;
    if (!eo_multipart_is_form(content_type)) return eo_fail(err, EO_ERR_MEDIA_TYPE, "multipart_required");
    char b[EO_MULTIPART_MAX_BOUNDARY + 1];
    if (!eo_multipart_boundary(content_type, b)) return eo_fail(err, EO_ERR_BAD_REQUEST, "multipart_boundary_invalid");
    /* needle = CRLF "--" boundary; the first delimiter has no CRLF before it. */
    unsigned char needle[EO_MULTIPART_MAX_BOUNDARY + 4];
    size_t blen = strlen(b), nlen = blen + 4;
    memcpy(needle, "\r\n--", 4);
    memcpy(needle + 4, b, blen);
    if (!body) body = (const unsigned char *)"";
    const unsigned char *p = body, *end = body + len;
    if (len < nlen - 2 || memcmp(p, needle + 2, nlen - 2) != 0) return malformed(err); /* no preamble */
    p += nlen - 2;
    for (;;) {
        /* Just after a delimiter: "--" closes, CRLF opens a part. */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
            p += 2;
            break;
        }
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return malformed(err);
        p += 2;
        if (form->n == EO_MULTIPART_MAX_PARTS) return malformed(err);
        eo_multipart_part *part = &form->parts[form->n];
        memset(part, 0, sizeof(*part));
        unsigned seen = 0;
        for (int lines = 0;; lines++) {
            size_t room = (size_t)(end - p);
            if (room > EO_MULTIPART_MAX_HEADER + 2) room = EO_MULTIPART_MAX_HEADER + 2;
            const unsigned char *eol = memmem(p, room, "\r\n", 2);
            if (!eol) return malformed(err);
            if (eol == p) {
                p += 2;
                break;
            }
            if (lines == EO_MULTIPART_MAX_HEADERS || !header_line(p, (size_t)(eol - p), part, &seen))
                return malformed(err);
            p = eol + 2;
        }
        if (!(seen & SEEN_CD)) return malformed(err);
        const unsigned char *hit = memmem(p, (size_t)(end - p), needle, nlen);
        if (!hit) return malformed(err);
        part->data = p;
        part->len = (size_t)(hit - p);
        for (size_t k = 0; k < form->n; k++) {
            if (strcmp(form->parts[k].name, part->name) == 0) {
                eo_status st = eo_fail(err, EO_ERR_BAD_REQUEST, "multipart_field_repeated");
                if (err) eo_err_extra(err, "field", json_string(part->name));
                return st;
            }
        }
        form->n++;
        p = hit + nlen;
    }
    /* The epilogue: nothing, or the one CRLF clients end with. */
    if (p == end || (end - p == 2 && p[0] == '\r' && p[1] == '\n')) return EO_OK;
    return malformed(err);
}

const eo_multipart_part *eo_multipart_get(const eo_multipart_form *form, const char *name)
{
    for (size_t k = 0; k < form->n; k++)
        if (strcmp(form->parts[k].name, name) == 0) return &form->parts[k];
    return NULL;
}
