/* The one table of feature modules: adding a module is one entry here. */
#include "api/http.h"

// clang-format off
#define EO_MODULE_LIST(X) \
    X(health) \
    X(jwks) \
    X(identity) \
    X(me) \
    X(admin) \
    X(presensi) \
    X(corrections) \
    X(extra_locations) \
    X(mobile) \
    X(lkh) \
    X(profile) \
    X(rpi) \
    X(plataran) \
    X(competency) \
    X(integration) \
    X(absence) \
    X(settings_changes) \
    X(tpp) \
    X(directory) \
    X(notifications) \
    /* one line per module, ending in a backslash */
// clang-format on

#define DECLARE(name) extern const eo_module eo_module_##name;
EO_MODULE_LIST(DECLARE)

#define ENTRY(name) &eo_module_##name,
static const eo_module *const modules[] = {EO_MODULE_LIST(ENTRY) NULL};

const eo_module *const *eo_modules(void) { return modules; }
