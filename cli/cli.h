/* Subcommands of the eoffice binary: each is int eo_cmd_X(int argc, char **argv),
 * argv[0] being the subcommand name; returns the process exit status.
 * Each handles its own --help. Registered in cli/main.c's table. */
#ifndef EO_CLI_H
#define EO_CLI_H

#include "core/config.h"
#include "db/pool.h"

int eo_cmd_serve(int argc, char **argv);
int eo_cmd_migrate(int argc, char **argv);
int eo_cmd_seed_demo(int argc, char **argv);
int eo_cmd_import(int argc, char **argv);
int eo_cmd_grant_role(int argc, char **argv);
int eo_cmd_dev_otp(int argc, char **argv);
int eo_cmd_bench_tokens(int argc, char **argv);
int eo_cmd_routes(int argc, char **argv);
int eo_cmd_apikey(int argc, char **argv);
int eo_cmd_tpp_scores(int argc, char **argv);

/* Loads configuration for a command that only needs the database (DATABASE_URL)
 * and connects; returns the pool with one connection borrowed into *db, or NULL
 * after printing why. The caller releases *db and destroys the pool. */
eo_pool *eo_cli_open_pool(int size, eo_db **db);

/* True when argv has -h or --help. */
int eo_cli_wants_help(int argc, char **argv);

#endif
