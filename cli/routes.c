#include <stdio.h>

#include "api/http.h"
#include "cli/cli.h"

int eo_cmd_routes(int argc, char **argv)
{
    if (eo_cli_wants_help(argc, argv)) {
        printf("usage: eoffice routes\n\nPrints 'METHOD PATH FLAGS' for every route the server answers\n"
               "(used by the test that compares the code with openapi.yaml).\n");
        return 0;
    }
    for (const eo_module *const *m = eo_modules(); *m; m++)
        for (const eo_route *r = (*m)->routes; r->method; r++)
            printf("%s %s%s%s\n", r->method, r->pattern, (r->flags & EO_R_AUTH) ? " auth" : "",
                   (r->flags & EO_R_UPLOAD) ? " upload" : "");
    return 0;
}
