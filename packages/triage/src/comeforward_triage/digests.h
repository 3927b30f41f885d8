/* MD5 + SHA-1 + SHA-256 of one stream, owned wholly by the native core: see digests.c. */
#ifndef COMEFORWARD_DIGESTS_H
#define COMEFORWARD_DIGESTS_H

#include <stddef.h>
#include <stdint.h>

/* The three digests take the same bytes in lockstep, so one byte count and one buffer of a
 * partial block serve all three. */
typedef struct {
    uint32_t md5[4], sha1[5], sha256[8];
    uint64_t total;         /* bytes taken */
    unsigned char buf[64];  /* a partial block: buf[0..num) */
    size_t num;
} digests_t;

/* Use the SHA extensions for SHA-1/SHA-256 (1) or the portable code (0); returns 1 if the
 * instructions are used after the call (asked for and present). */
int digests_use_sha_ni(int on);
void digests_init(digests_t *d);
void digests_update(digests_t *d, const void *data, size_t n);
/* Whole blocks, straight from the caller's buffer (d->num must be 0). */
void digests_blocks(digests_t *d, const unsigned char *p, size_t nblocks);
/* SHA-1 and SHA-256 only, whole blocks, no byte counting (the engine pairs MD5 itself). */
void digests_sha_blocks(digests_t *d, const unsigned char *p, size_t nblocks);
/* SHA-1 of one short message in one call (CASE node ids, reportwrite.c). */
void digests_sha1(const void *data, size_t n, unsigned char out[20]);
void digests_final(digests_t *d, unsigned char md5[16], unsigned char sha1[20],
                   unsigned char sha256[32]);

#endif
