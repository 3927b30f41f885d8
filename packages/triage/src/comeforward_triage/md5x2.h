/* MD5 of two independent streams at once: see md5x2.c. */
#ifndef COMEFORWARD_MD5X2_H
#define COMEFORWARD_MD5X2_H

#include <stddef.h>
#include <stdint.h>

/* Compress nblocks 64-byte blocks of stream A (state sa, data pa) and of stream B (sb, pb). */
void md5x2_blocks(uint32_t sa[4], uint32_t sb[4], const unsigned char *pa,
                  const unsigned char *pb, size_t nblocks);

/* Compress nblocks 64-byte blocks of one stream. */
void md5x1_blocks(uint32_t st[4], const unsigned char *p, size_t nblocks);

#endif
