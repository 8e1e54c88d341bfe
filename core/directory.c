#include "core/directory.h"

#include <stdio.h>
#include <string.h>

#include "core/parse.h"

size_t eo_dir_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

bool eo_dir_has_control(const char *s, bool allow_newline)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (allow_newline && (*p == '\n' || *p == '\r' || *p == '\t')) continue;
        if (*p < 0x20 || *p == 0x7F) return true;
        /* C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8 */
        if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) return true;
    }
    return false;
}

static bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

eo_status eo_dir_query_parse(const char *q, eo_dir_query *out, eo_err *err)
{
    memset(out, 0, sizeof *out);
    if (!q) {
        eo_err_field(err, "q", "missing_field");
        return err->status;
    }
    size_t n = strlen(q);
    if (n > 4 * EO_DIR_QUERY_MAX) {
        eo_err_field(err, "q", "too_long");
        return err->status;
    }
    if (!eo_utf8_valid(q, n) || eo_dir_has_control(q, true)) {
        eo_err_field(err, "q", "invalid_value");
        return err->status;
    }
    while (n && is_space(*q)) q++, n--;
    while (n && is_space(q[n - 1])) n--;
    size_t chars = eo_dir_chars(q, n);
    if (chars > EO_DIR_QUERY_MAX) {
        eo_err_field(err, "q", "too_long");
        return err->status;
    }
    if (chars < EO_DIR_QUERY_MIN) {
        eo_err_field(err, "q", n ? "too_short" : "missing_field");
        return err->status;
    }
    memcpy(out->text, q, n);
    out->text[n] = '\0';
    out->nip = strspn(out->text, "0123456789") == n;
    if (out->nip && n > 18) {
        eo_err_field(err, "q", "too_long");
        return err->status;
    }
    return EO_OK;
}

bool eo_dir_skill_normalise(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    bool pending_space = false;
    if (eo_dir_has_control(in, true)) return false;
    for (const char *p = in; *p; p++) {
        if (is_space(*p)) {
            pending_space = o > 0;
            continue;
        }
        if (o + 2 >= cap) return false;
        if (pending_space) out[o++] = ' ';
        pending_space = false;
        out[o++] = *p;
    }
    out[o] = '\0';
    size_t chars = eo_dir_chars(out, o);
    return chars >= 1 && chars <= EO_DIR_SKILL_MAX;
}

static char fold(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }

bool eo_dir_skill_same(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (fold(*a) != fold(*b)) return false;
    return *a == *b;
}

eo_status eo_dir_skills_normalise(const json_t *in, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!json_is_array(in)) {
        eo_err_field(err, "skills", "invalid_type");
        return err->status;
    }
    /* A list longer than this cannot come down to 30 distinct tags honestly. */
    if (json_array_size(in) > 4 * EO_DIR_SKILLS_MAX) {
        eo_err_field(err, "skills", "too_long");
        return err->status;
    }
    json_t *list = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(in, i, v)
    {
        char field[32], tag[4 * EO_DIR_SKILL_MAX + 1];
        snprintf(field, sizeof field, "skills[%zu]", i);
        if (!json_is_string(v)) {
            eo_err_field(err, field, "invalid_type");
            continue;
        }
        if (json_string_length(v) > 4 * EO_DIR_SKILL_MAX + 64 ||
            !eo_dir_skill_normalise(json_string_value(v), tag, sizeof tag)) {
            eo_err_field(err, field, "invalid_value");
            continue;
        }
        bool dup = false;
        size_t j;
        json_t *seen;
        json_array_foreach(list, j, seen) dup = dup || eo_dir_skill_same(json_string_value(seen), tag);
        if (!dup) json_array_append_new(list, json_string(tag));
    }
    if (err->status == EO_OK && json_array_size(list) > EO_DIR_SKILLS_MAX) eo_err_field(err, "skills", "too_long");
    if (err->status != EO_OK) {
        json_decref(list);
        return err->status;
    }
    *out = list;
    return EO_OK;
}

eo_status eo_dir_text_check(const char *field, const char *s, size_t max, bool required, eo_err *err)
{
    if (!s) {
        if (required) eo_err_field(err, field, "missing_field");
        return err->status;
    }
    size_t n = strlen(s);
    if (eo_dir_chars(s, n) > max)
        eo_err_field(err, field, "too_long");
    else if (!eo_utf8_valid(s, n) || eo_dir_has_control(s, true))
        eo_err_field(err, field, "invalid_value");
    else if (required && strspn(s, " \t\r\n") == n)
        eo_err_field(err, field, "missing_field");
    return err->status;
}
