/* Files embedded at build time (cmake/embed.cmake): migrations, seeds, openapi.yaml. */
#ifndef EO_RESOURCES_H
#define EO_RESOURCES_H
#include <stddef.h>

typedef struct {
    const char *name; /* path relative to the source tree, e.g. "db/migrations/0001_master.sql" */
    const char *data; /* NUL-terminated */
    size_t len;
} eo_resource;

extern const eo_resource eo_resources[]; /* ends with a {NULL} entry, sorted by name */

/* The resource with this exact name, or NULL. */
const eo_resource *eo_resource_find(const char *name);

#endif
