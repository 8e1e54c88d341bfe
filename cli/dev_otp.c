/* eoffice dev-otp NIP: the current TOTP code of a (demo) account, so that
 * developers and the API tests can sign in without a phone. Development
 * only: it decrypts a secret that production must never reveal. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/http.h"
#include "cli/cli.h"
#include "core/totp.h"
#include "db/identity.h"

/* Exit status when every step the server would accept now is used up. */
#define EXIT_WAIT 3

int eo_cmd_dev_otp(int argc, char **argv)
{
    bool unused = argc == 3 && strcmp(argv[1], "--unused") == 0;
    if (eo_cli_wants_help(argc, argv) || (argc != 2 && !unused)) {
        fprintf(eo_cli_wants_help(argc, argv) ? stdout : stderr,
                "usage: eoffice dev-otp [--unused] NIP\n\nPrints the account's current 6-digit OTP code. Only with "
                "EOFFICE_ENV=dev; needs DATABASE_URL and EOFFICE_SECRET_KEY.\n"
                "  --unused  the code of the earliest time step the server still accepts (the\n"
                "            current or the next one, newer than the last code used), so\n"
                "            scripts can sign in again without waiting; exit %d with the seconds to\n"
                "            wait on stderr when all three are used\n",
                EXIT_WAIT);
        return eo_cli_wants_help(argc, argv) ? 0 : 2;
    }
    const char *nip = argv[argc - 1];
    eo_config cfg;
    char msg[256];
    static const unsigned char zero[32];
    if (eo_config_load(&cfg, msg, sizeof msg) != EO_OK) {
        fprintf(stderr, "eoffice dev-otp: configuration error: %s\n", msg);
        return 2;
    }
    if (!cfg.dev_mode) {
        fprintf(stderr, "eoffice dev-otp: refused: only allowed with EOFFICE_ENV=dev\n");
        return 2;
    }
    if (sodium_init() < 0 || sodium_memcmp(cfg.secret_key, zero, 32) == 0) {
        fprintf(stderr, "eoffice dev-otp: EOFFICE_SECRET_KEY is required\n");
        return 2;
    }
    int rc = 1;
    eo_err err;
    eo_err_init(&err);
    eo_db *db = NULL;
    eo_pool *pool = eo_cli_open_pool(1, &db);
    if (!pool) return 1;
    eo_db_account a;
    bool found = false;
    if (eo_db_account_by_nip(db, nip, false, &a, &found, &err) != EO_OK) {
        fprintf(stderr, "eoffice dev-otp: %s\n", err.log_detail);
        goto done;
    }
    if (!found || !a.has_totp) {
        fprintf(stderr, "eoffice dev-otp: %s has no account with an authenticator\n", nip);
        goto done;
    }
    unsigned char secret[EO_TOTP_SECRET_LEN];
    if (eo_totp_open(cfg.secret_key, a.totp_sealed, sizeof a.totp_sealed, a.totp_nonce, sizeof a.totp_nonce, secret,
                     &err) != EO_OK) {
        fprintf(stderr, "eoffice dev-otp: %s\n", err.log_detail);
        goto done;
    }
    long long now = (long long)time(NULL);
    long long step = eo_totp_step(now);
    if (unused) {
        /* The server accepts steps now-1..now+1 newer than the last one used. The previous
         * step is not offered: it could expire between this print and the sign-in. */
        long long earliest = a.totp_last_step + 1 > step ? a.totp_last_step + 1 : step;
        if (earliest > step + 1) {
            sodium_memzero(secret, sizeof secret);
            fprintf(stderr, "%lld\n", (earliest - 1) * 30 - now + 1);
            rc = EXIT_WAIT;
            goto done;
        }
        step = earliest;
    }
    char code[8];
    eo_totp_code_at(secret, sizeof secret, step, EO_TOTP_DIGITS, code, sizeof code);
    sodium_memzero(secret, sizeof secret);
    printf("%s\n", code);
    rc = 0;
done:
    eo_db_release(db);
    eo_pool_destroy(pool);
    eo_err_clear(&err);
    return rc;
}
