/* The arrival-time table (api/arrival.c): the key of a connection (IPv4 address and
 * port) and the open-addressing table behind it. The property that matters: a
 * request is never stamped with another connection's arrival time, and a time
 * just noted is found again.
 *
 * Input: 7-byte operations. Byte 0: bits 0-1 the operation (0 note, 1 take,
 * 2 note then take, 3 flood: note byte 1 * 8 connections of one address, to fill
 * probe runs), bit 2 an IPv6 address instead (never keyed); bytes 1-4 the IPv4
 * address, bytes 5-6 the port. Every noted time encodes its key and a generation,
 * so a wrong slot is detected. The harness takes everything it noted at the end,
 * so each input starts from an empty table. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>

#include "api/arrival.h"
#include "tests/fuzz/fuzz.h"

#define MAX_KEYS  1024
#define FLOOD_TOP 0xFFu /* flood addresses are 255.x.x.x; ordinary ones never are */

typedef struct {
    unsigned long long key;
    unsigned gen;
    bool live; /* noted and not yet taken (it may still have been overwritten) */
} shadow;

static unsigned long long key_of(uint32_t addr, uint16_t port) { return ((unsigned long long)addr << 16) | port; }

static struct sockaddr_in sa4(uint32_t addr, uint16_t port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(addr);
    return a;
}

/* The time noted for (key, gen): exact in a double (key < 2^48, gen < 16). */
static double stamp(unsigned long long key, unsigned gen) { return (double)(key * 16 + (gen & 15u)); }

static void check_take(uint32_t addr, uint16_t port, shadow *sh)
{
    struct sockaddr_in a = sa4(addr, port);
    double at = -1;
    bool found = eo_arrival_take((const struct sockaddr *)&a, &at);
    if (!found) return;
    unsigned long long k = key_of(addr, port);
    EO_FUZZ_ASSERT(at >= 0 && (unsigned long long)at / 16 == k); /* this connection's time, nobody else's */
    if (sh) {
        EO_FUZZ_ASSERT(sh->live);                                          /* never a time already taken */
        EO_FUZZ_ASSERT(((unsigned long long)at & 15u) == (sh->gen & 15u)); /* the latest one */
        sh->live = false;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static shadow keys[MAX_KEYS];
    size_t n_keys = 0;
    uint32_t floods[8];
    unsigned flood_count[8];
    size_t n_floods = 0;
    for (size_t off = 0; off + 7 <= size; off += 7) {
        const uint8_t *op = data + off;
        uint32_t addr = (uint32_t)op[1] << 24 | (uint32_t)op[2] << 16 | (uint32_t)op[3] << 8 | op[4];
        uint16_t port = (uint16_t)(op[5] << 8 | op[6]);
        if (op[0] & 4) {
            struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
            memcpy(&a6.sin6_addr, op + 1, 4);
            double at = 0;
            eo_arrival_note((const struct sockaddr *)&a6, 1.0);
            EO_FUZZ_ASSERT(!eo_arrival_take((const struct sockaddr *)&a6, &at));
            continue;
        }
        unsigned kind = op[0] & 3u;
        if (kind == 3) {
            if (n_floods == 8) continue;
            addr = (FLOOD_TOP << 24) | (addr & 0xFFFFFFu);
            unsigned count = (unsigned)op[1] * 8u;
            floods[n_floods] = addr;
            flood_count[n_floods++] = count;
            for (unsigned i = 0; i < count; i++) {
                struct sockaddr_in a = sa4(addr, (uint16_t)i);
                eo_arrival_note((const struct sockaddr *)&a, stamp(key_of(addr, (uint16_t)i), 0));
            }
            continue;
        }
        if ((addr >> 24) == FLOOD_TOP) addr &= 0x7FFFFFFFu;
        unsigned long long k = key_of(addr, port);
        shadow *sh = NULL;
        for (size_t i = 0; i < n_keys && !sh; i++)
            if (keys[i].key == k) sh = &keys[i];
        if (kind == 1) {
            check_take(addr, port, sh);
            continue;
        }
        if (!sh) {
            if (n_keys == MAX_KEYS) continue;
            sh = &keys[n_keys++];
            *sh = (shadow){.key = k};
        }
        sh->gen++;
        sh->live = true;
        struct sockaddr_in a = sa4(addr, port);
        eo_arrival_note((const struct sockaddr *)&a, stamp(k, sh->gen));
        if (kind == 2) {
            double at = -1;
            /* Just noted: its own slot or a free one or the home slot, all within the probe run. */
            EO_FUZZ_ASSERT(eo_arrival_take((const struct sockaddr *)&a, &at));
            EO_FUZZ_ASSERT(at == stamp(k, sh->gen));
            sh->live = false;
        }
    }
    /* Leave the table empty for the next input. */
    for (size_t i = 0; i < n_keys; i++) check_take((uint32_t)(keys[i].key >> 16), (uint16_t)keys[i].key, &keys[i]);
    for (size_t f = 0; f < n_floods; f++)
        for (unsigned i = 0; i < flood_count[f]; i++) check_take(floods[f], (uint16_t)i, NULL);
    return 0;
}
