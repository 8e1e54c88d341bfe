#include "api/arrival.h"

#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/time.h>
#include <ulfius.h>

/* Open-addressing table; far larger than the connection limit, so it never fills
 * in practice, and a full probe run simply overwrites (the router then falls
 * back to dispatch time). */
#define SLOTS  16384
#define PROBES 16

typedef struct {
    unsigned long long key; /* (IPv4 address << 16 | port) + 1; 0 = empty */
    double at;
} slot;

static slot table[SLOTS];
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;

static unsigned long long key_of(const struct sockaddr *sa)
{
    if (!sa || sa->sa_family != AF_INET) return 0;
    const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
    return (((unsigned long long)in->sin_addr.s_addr << 16) | in->sin_port) + 1;
}

static size_t hash_of(unsigned long long k) { return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 50) % SLOTS; }

void eo_arrival_note(const struct sockaddr *addr, double at)
{
    unsigned long long k = key_of(addr);
    if (!k) return;
    size_t h = hash_of(k);
    pthread_mutex_lock(&table_mu);
    /* The connection's own slot if it has one, else the first free one. */
    size_t use = SLOTS;
    for (int i = 0; i < PROBES && use == SLOTS; i++)
        if (table[(h + (size_t)i) % SLOTS].key == k) use = (h + (size_t)i) % SLOTS;
    for (int i = 0; i < PROBES && use == SLOTS; i++)
        if (table[(h + (size_t)i) % SLOTS].key == 0) use = (h + (size_t)i) % SLOTS;
    if (use == SLOTS) use = h;
    table[use].key = k;
    table[use].at = at;
    pthread_mutex_unlock(&table_mu);
}

void *eo_arrival_uri_logger(void *cls, const char *uri, struct MHD_Connection *con)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci) {
        struct timeval tv;
        gettimeofday(&tv, NULL);
        eo_arrival_note(ci->client_addr, (double)tv.tv_sec + (double)tv.tv_usec / 1e6);
    }
    return ulfius_uri_logger(cls, uri);
}

bool eo_arrival_take(const struct sockaddr *addr, double *out)
{
    unsigned long long k = key_of(addr);
    if (!k) return false;
    size_t h = hash_of(k);
    bool found = false;
    pthread_mutex_lock(&table_mu);
    for (int i = 0; i < PROBES; i++) {
        size_t j = (h + (size_t)i) % SLOTS;
        if (table[j].key == k) {
            *out = table[j].at;
            table[j].key = 0;
            found = true;
            break;
        }
    }
    pthread_mutex_unlock(&table_mu);
    return found;
}
