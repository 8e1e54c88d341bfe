/* upload_ceiling: the bare HTTP answer to the check-in's request.
 *
 * The same ulfius/libmicrohttpd set-up as `eoffice serve` (cli/serve.c): thread
 * per connection with poll, or a pool of epoll threads; the same body limit, no
 * ulfius form parsing, no UTF-8 check. Every request's whole body is received
 * (ulfius reads it before the callback runs); the callback checks that it got
 * Content-Length bytes and answers 201 with a JSON body of the check-in
 * answer's size. No token, no multipart parse, no photo check, no storage, no
 * database: what the HTTP stack alone costs a 78 KB upload on this machine, so
 * the check-in figure can be read against it (bench/run, "CEILING" line).
 *
 * Build: cc -O2 -o upload_ceiling upload_ceiling.c -lulfius -lorcania -lmicrohttpd
 * Usage: upload_ceiling --port P [--http-threads T] [--max-body BYTES] [--answer-bytes N]
 * Runs until SIGTERM/SIGINT. Traffic only on 127.0.0.1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ulfius.h>
#include <unistd.h>

static char *g_answer;
static size_t g_answer_len;

static int whole_number(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

static int answer(const struct _u_request *req, struct _u_response *res, void *ud)
{
    (void)ud;
    const char *cl = u_map_get_case(req->map_header, "Content-Length");
    long want;
    if (!cl || !whole_number(cl, 1, 64L << 20, &want) || (size_t)want != req->binary_body_length) {
        ulfius_set_string_body_response(res, 400, "{\"title\":\"body not received whole\"}");
        return U_CALLBACK_COMPLETE;
    }
    u_map_put(res->map_header, "Content-Type", "application/json");
    ulfius_set_binary_body_response(res, 201, g_answer, g_answer_len);
    return U_CALLBACK_COMPLETE;
}

int main(int argc, char **argv)
{
    long port = 0, threads = 0, max_body = 2L << 20, answer_bytes = 700;
    for (int i = 1; i + 1 < argc; i += 2) {
        long *dst = !strcmp(argv[i], "--port")           ? &port
                    : !strcmp(argv[i], "--http-threads") ? &threads
                    : !strcmp(argv[i], "--max-body")     ? &max_body
                    : !strcmp(argv[i], "--answer-bytes") ? &answer_bytes
                                                         : NULL;
        if (!dst || !whole_number(argv[i + 1], 0, 1L << 30, dst)) {
            fprintf(stderr, "upload_ceiling: bad option %s %s\n", argv[i], argv[i + 1]);
            return 2;
        }
    }
    if (argc % 2 == 0 || port < 1 || port > 65535 || answer_bytes < 2 || threads > 1024) {
        fprintf(stderr, "usage: upload_ceiling --port P [--http-threads T] [--max-body B] [--answer-bytes N]\n");
        return 2;
    }
    g_answer_len = (size_t)answer_bytes;
    g_answer = malloc(g_answer_len);
    if (!g_answer) return 1;
    memset(g_answer, ' ', g_answer_len);
    g_answer[0] = '{';
    g_answer[g_answer_len - 1] = '}';

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct _u_instance inst;
    if (ulfius_init_instance(&inst, (unsigned int)port, &addr, NULL) != U_OK) return 1;
    inst.max_post_body_size = (size_t)max_body + 1;
    inst.check_utf8 = 0;
    inst.allowed_post_processor = U_POST_PROCESS_NONE;
    inst.timeout = 30;
    ulfius_set_default_endpoint(&inst, &answer, NULL);

    /* Blocked before the daemon's threads start, so they inherit it and the
     * signal reaches sigwait below. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct MHD_OptionItem ops[8];
    int n = 0;
    unsigned int flags = MHD_USE_ERROR_LOG | MHD_USE_ITC | MHD_USE_INTERNAL_POLLING_THREAD;
    if (threads > 0) {
        flags |= MHD_USE_EPOLL;
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, threads, NULL};
    } else {
        flags |= MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
    }
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)mhd_request_completed, NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)ulfius_uri_logger, NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &addr};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, 4000, NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    if (ulfius_start_framework_with_mhd_options(&inst, flags, ops) != U_OK) {
        fprintf(stderr, "upload_ceiling: cannot listen on 127.0.0.1:%ld\n", port);
        return 1;
    }
    int sig;
    sigwait(&set, &sig);
    ulfius_stop_framework(&inst);
    ulfius_clean_instance(&inst);
    free(g_answer);
    return 0;
}
