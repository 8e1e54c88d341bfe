/* HTTP/1.1 framing verdicts (api/framing.h): which header sets are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "api/framing.h"

typedef struct {
    const char *version;
    const char *headers[6][2]; /* ends at the first NULL name */
    const char *want;          /* expected code, NULL = sound */
} verdict_case;

static const verdict_case cases[] = {
    {"HTTP/1.1", {{"Host", "x"}}, NULL},
    {"HTTP/1.1", {{"host", "x"}, {"Content-Length", "0"}}, NULL},
    {"HTTP/1.1", {{"Host", "x"}, {"content-length", "1234567890123456789"}}, NULL},
    {"HTTP/1.1", {{"Host", "x"}, {"Transfer-Encoding", "chunked"}}, NULL},
    {"HTTP/1.1", {{"Host", "x"}, {"Transfer-Encoding", " Chunked "}}, NULL},
    {"HTTP/1.0", {{"Content-Length", "2"}}, NULL},
    /* header names are tokens: no whitespace before the colon */
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Length ", "5"}}, "header_name_invalid"},
    {"HTTP/1.1", {{"Host", "x"}, {"Transfer-Encoding\t", "chunked"}}, "header_name_invalid"},
    {"HTTP/1.1", {{"Host ", "x"}}, "header_name_invalid"},
    {"HTTP/1.1", {{"Host", "x"}, {"", "x"}}, "header_name_invalid"},
    /* Host: exactly one in HTTP/1.1, never two */
    {"HTTP/1.1", {{"Accept", "*/*"}}, "host_header_invalid"},
    {"HTTP/1.1", {{"Host", "a"}, {"Host", "b"}}, "host_header_invalid"},
    {"HTTP/1.0", {{"Host", "a"}, {"HOST", "a"}}, "host_header_invalid"},
    /* Content-Length: one value of 1..19 digits */
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Length", "2"}, {"Content-Length", "37"}}, "content_length_invalid"},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Length", "2"}, {"Content-Length", "2"}}, "content_length_invalid"},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Length", "2, 2"}}, "content_length_invalid"},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Length", "-1"}}, "content_length_invalid"},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Length", "+1"}}, "content_length_invalid"},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Length", ""}}, "content_length_invalid"},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Length", "12345678901234567890"}}, "content_length_invalid"},
    /* Transfer-Encoding: a lone "chunked", never with Content-Length, never in HTTP/1.0 */
    {"HTTP/1.1", {{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}}, "framing_ambiguous"},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Length", "5"}, {"Transfer-Encoding", "gzip"}}, "framing_ambiguous"},
    {"HTTP/1.1", {{"Host", "x"}, {"Transfer-Encoding", "gzip, chunked"}}, "transfer_encoding_unsupported"},
    {"HTTP/1.1", {{"Host", "x"}, {"Transfer-Encoding", "chunked, gzip"}}, "transfer_encoding_unsupported"},
    {"HTTP/1.1", {{"Host", "x"}, {"Transfer-Encoding", "identity"}}, "transfer_encoding_unsupported"},
    {"HTTP/1.1",
     {{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}},
     "transfer_encoding_unsupported"},
    {"HTTP/1.0", {{"Transfer-Encoding", "chunked"}}, "transfer_encoding_unsupported"},
    /* Content-Type: one line; multipart/form-data with a boundary libmicrohttpd can use */
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Type", "multipart/form-data; boundary=abc"}}, NULL},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Type", "application/json"}}, NULL},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Type", "multipart/form-data"}}, "multipart_boundary_invalid"},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Type", "Multipart/Form-Data; boundary="}}, "multipart_boundary_invalid"},
    {"HTTP/1.1", {{"Host", "x"}, {"Content-Type", "multipart/form-dataX; boundary=a"}}, "multipart_boundary_invalid"},
    {"HTTP/1.1",
     {{"Host", "x"}, {"Content-Type", "application/json"}, {"Content-Type", "text/plain"}},
     "content_type_repeated"},
};

static void test_verdicts(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        eo_framing_scan s;
        memset(&s, 0, sizeof(s));
        for (int h = 0; h < 6 && cases[i].headers[h][0]; h++)
            eo_framing_scan_header(&s, cases[i].headers[h][0], cases[i].headers[h][1]);
        const char *got = eo_framing_verdict(&s, cases[i].version);
        if (cases[i].want == NULL) {
            if (got) fail_msg("case %zu: refused as %s", i, got);
        } else {
            if (!got) fail_msg("case %zu: accepted, want %s", i, cases[i].want);
            assert_string_equal(got, cases[i].want);
        }
    }
}

static void test_null_value_counts_as_empty(void **state)
{
    (void)state;
    eo_framing_scan s;
    memset(&s, 0, sizeof(s));
    eo_framing_scan_header(&s, "Host", "x");
    eo_framing_scan_header(&s, "Content-Length", NULL);
    eo_framing_scan_header(&s, NULL, "ignored");
    assert_string_equal(eo_framing_verdict(&s, "HTTP/1.1"), "content_length_invalid");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_null_value_counts_as_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
