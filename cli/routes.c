#include <stdio.h>

#include "api/app.h"
#include "cli/cli.h"

int eo_cmd_routes(int argc, char **argv)
{
    if (eo_cli_wants_help(argc, argv)) {
        printf("usage: eoffice routes\n\nPrints 'METHOD PATH FLAGS' for every route the server answers\n"
               "(used by the test that compares the code with openapi.yaml).\n");
        return 0;
    }
    for (const eo_route *const *t = eo_route_tables(); *t; t++)
        for (const eo_route *r = *t; r->method; r++)
            printf("%s %s%s%s\n", r->method, r->pattern, (r->flags & EO_R_AUTH) ? " auth" : "",
                   (r->flags & EO_R_UPLOAD) ? " upload" : "");
    return 0;
}
