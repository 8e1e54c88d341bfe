/* Human text for problem codes, Indonesian and English. */
#ifndef EO_API_MESSAGES_H
#define EO_API_MESSAGES_H

#include <stdbool.h>

typedef struct {
    const char *code;
    const char *id; /* Bahasa Indonesia (default) */
    const char *en;
} eo_message;

/* The title for code in the chosen language, or NULL when the code is unknown. */
const char *eo_message_title(const char *code, bool en);
/* The whole table, ending with {NULL} (for the test that every code has text). */
const eo_message *eo_messages(void);

#endif
