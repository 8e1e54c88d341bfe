#include "core/resources.h"

#include <string.h>

const eo_resource *eo_resource_find(const char *name)
{
    for (const eo_resource *r = eo_resources; r->name; r++)
        if (strcmp(r->name, name) == 0) return r;
    return NULL;
}
