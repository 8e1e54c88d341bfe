/* eoffice serve: configuration, pool, modules, the HTTP daemon, graceful stop. */
#include <arpa/inet.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/http.h"
#include "api/framing.h"
#include "api/metrics.h"
#include "api/router.h"
#include "cli/cli.h"

/* How long shutdown waits for in-flight requests before closing connections. */
#define DRAIN_SECONDS 15

/* One malloc arena per CPU (at least 2) instead of glibc's 8 per CPU: with a
 * thread per connection, 256 uploads in flight spread their 78 KB bodies over
 * 16 arenas on 2 cores, each keeping its own free memory; 2 arenas made the
 * check-in phase's peak RSS 71.5 MB instead of 74.6-75.3 MB at 256 connections
 * at the same throughput (bench/README.md). MALLOC_ARENA_MAX, when set, wins. */
static void malloc_arenas(void)
{
    if (getenv("MALLOC_ARENA_MAX")) return;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    mallopt(M_ARENA_MAX, cpus < 2 ? 2 : (int)(cpus > 64 ? 64 : cpus));
}

static int start_daemon(struct _u_instance *inst, const eo_config *cfg, struct sockaddr_in *addr)
{
    /* Without the framing check, the callbacks below would hand ulfius state it cannot read. */
    if (!eo_framing_available()) {
        fprintf(stderr, "eoffice serve: the HTTP framing check cannot be installed (see api/framing.c)\n");
        return U_ERROR;
    }
    struct MHD_OptionItem ops[8];
    int n = 0;
    unsigned int flags = MHD_USE_ERROR_LOG | MHD_USE_ITC | MHD_USE_INTERNAL_POLLING_THREAD;
    if (cfg->http_threads > 0) {
        /* A fixed pool of epoll threads; handlers block on the database, so the
         * pool is sized above the core count (see README, "Concurrency"). */
        flags |= MHD_USE_EPOLL;
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, cfg->http_threads, NULL};
    } else {
        flags |= MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
    }
    /* ulfius requires its completion and URI-log callbacks when the daemon is started with
     * explicit options; ours wrap them: the framing check (api/framing.h) runs before ulfius
     * sees a request, and the URI logger notes when each request started to arrive. */
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)eo_framing_request_completed, NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)eo_framing_uri_logger, NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, addr};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout_s, NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, 4000, NULL};
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    return ulfius_start_framework_with_mhd_options(inst, flags, ops);
}

int eo_cmd_serve(int argc, char **argv)
{
    if (eo_cli_wants_help(argc, argv) || argc > 1) {
        printf("usage: eoffice serve\n\nRuns the HTTP server on EOFFICE_BIND:EOFFICE_PORT (metrics on\n"
               "EOFFICE_METRICS_BIND:EOFFICE_METRICS_PORT) until SIGINT or SIGTERM,\n"
               "then stops accepting connections and finishes in-flight requests (up to %d s).\n"
               "All configuration comes from the environment: see README.md.\n",
               DRAIN_SECONDS);
        return eo_cli_wants_help(argc, argv) ? 0 : 2;
    }
    malloc_arenas();
    static eo_app app;
    char msg[256];
    if (eo_config_load(&app.cfg, msg, sizeof(msg)) != EO_OK) {
        fprintf(stderr, "eoffice serve: configuration error: %s\n", msg);
        return 1;
    }
    if (!app.cfg.jwt_private_key_file[0]) {
        fprintf(stderr, "eoffice serve: configuration error: EOFFICE_JWT_PRIVATE_KEY_FILE is required\n");
        return 1;
    }
    static const unsigned char zero[32];
    if (memcmp(app.cfg.secret_key, zero, sizeof(zero)) == 0) {
        fprintf(stderr, "eoffice serve: configuration error: EOFFICE_SECRET_KEY is required "
                        "(64 hexadecimal characters; e.g. `openssl rand -hex 32`)\n");
        return 1;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)app.cfg.port)};
    if (inet_pton(AF_INET, app.cfg.bind_address, &addr.sin_addr) != 1) {
        fprintf(stderr, "eoffice serve: configuration error: EOFFICE_BIND must be an IPv4 address\n");
        return 1;
    }

    /* Signals are taken by sigwait below, never by a worker thread. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    int rc = 1;
    eo_err err;
    eo_err_init(&err);
    struct _u_instance inst;
    bool inst_ready = false;
    struct eo_metrics_listener *metrics_listener = NULL;
    int modules_up = 0; /* how many of eo_modules() have started */
    app.pool = eo_pool_create(app.cfg.database_url, app.cfg.db_pool_size, app.cfg.db_pool_wait_ms,
                              app.cfg.db_statement_timeout_ms);
    app.metrics = eo_metrics_create();
    if (!app.pool || !app.metrics) {
        fprintf(stderr, "eoffice serve: out of memory\n");
        goto done;
    }
    for (const eo_module *const *m = eo_modules(); *m; m++, modules_up++) {
        if ((*m)->start && (*m)->start(&app, &err) != EO_OK) {
            fprintf(stderr, "eoffice serve: %s module: %s\n", (*m)->name, err.log_detail);
            goto done;
        }
    }

    if (ulfius_init_instance(&inst, (unsigned int)app.cfg.port, &addr, NULL) != U_OK) {
        fprintf(stderr, "eoffice serve: cannot initialise the HTTP instance\n");
        goto done;
    }
    inst_ready = true;
    /* One byte over the largest limit, so the router can tell "too large" from "exactly the limit". */
    size_t largest =
        app.cfg.max_upload_bytes > app.cfg.max_body_bytes ? app.cfg.max_upload_bytes : app.cfg.max_body_bytes;
    inst.max_post_body_size = largest + 1;
    /* Binary photo parts must not be dropped; handlers validate their own text fields. */
    inst.check_utf8 = 0;
    /* Bodies are read raw (binary_body) and multipart strictly by core/multipart.c:
     * ulfius's own form parsing would only cost a pass over every upload and a
     * second copy of each photo in map_post_body, which nothing reads. */
    inst.allowed_post_processor = U_POST_PROCESS_NONE;
    inst.timeout = (unsigned int)app.cfg.connection_timeout_s;
    ulfius_set_default_endpoint(&inst, &eo_router_dispatch, &app);
    if (start_daemon(&inst, &app.cfg, &addr) != U_OK) {
        fprintf(stderr, "eoffice serve: cannot listen on %s:%d\n", app.cfg.bind_address, app.cfg.port);
        goto done;
    }
    if (app.cfg.metrics_port > 0) {
        metrics_listener = eo_metrics_listen(&app, msg, sizeof msg);
        if (!metrics_listener) {
            fprintf(stderr, "eoffice serve: metrics listener: %s\n", msg);
            ulfius_stop_framework(&inst);
            goto done;
        }
        fprintf(stderr, "{\"level\":\"info\",\"msg\":\"metrics listening\",\"url\":\"http://%s:%d/metrics\"}\n",
                app.cfg.metrics_bind, app.cfg.metrics_port);
    }
    fprintf(stderr,
            "{\"level\":\"info\",\"msg\":\"listening\",\"url\":\"http://%s:%d\",\"mode\":\"%s\",\"threads\":%d,"
            "\"db_pool\":%d,\"env\":\"%s\"}\n",
            app.cfg.bind_address, app.cfg.port, app.cfg.http_threads ? "epoll-pool" : "thread-per-connection",
            app.cfg.http_threads, app.cfg.db_pool_size, app.cfg.dev_mode ? "dev" : "production");

    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, "{\"level\":\"info\",\"msg\":\"shutting down\",\"signal\":%d}\n", sig);

    /* Stop accepting, then let in-flight requests finish. */
    atomic_store(&eo_router_draining, true);
    /* Quiescing hands the listening socket back to us: close it so new
     * connections are refused at once instead of queueing in the backlog. */
    MHD_socket listen_fd = MHD_quiesce_daemon(inst.mhd_daemon);
    if (listen_fd != MHD_INVALID_SOCKET) close(listen_fd);
    for (int i = 0; i < DRAIN_SECONDS * 10 && atomic_load(&eo_router_in_flight) > 0; i++) usleep(100000);
    ulfius_stop_framework(&inst);
    rc = 0;
done:
    eo_metrics_listener_stop(metrics_listener);
    if (inst_ready) ulfius_clean_instance(&inst);
    for (int i = modules_up - 1; i >= 0; i--)
        if (eo_modules()[i]->stop) eo_modules()[i]->stop(&app);
    eo_err_clear(&err);
    eo_metrics_destroy(app.metrics);
    eo_pool_destroy(app.pool);
    if (rc == 0) fprintf(stderr, "{\"level\":\"info\",\"msg\":\"stopped\"}\n");
    return rc;
}
