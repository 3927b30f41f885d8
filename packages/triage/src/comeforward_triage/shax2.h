/* SHA-1 and SHA-256 of two independent streams at once: see shax2.c. */
#ifndef COMEFORWARD_SHAX2_H
#define COMEFORWARD_SHAX2_H

#include <stddef.h>
#include <stdint.h>

/* 1 when this CPU has the SHA extensions (and SSSE3, SSE4.1) the functions below use. */
int shax2_available(void);
/* Compress n 64-byte blocks of stream A (state sa: h0..h7, data pa) and of stream B. */
void sha256x2_blocks(uint32_t sa[8], uint32_t sb[8], const unsigned char *pa,
                     const unsigned char *pb, size_t n);
/* The same for SHA-1 (state h0..h4). */
void sha1x2_blocks(uint32_t sa[5], uint32_t sb[5], const unsigned char *pa,
                   const unsigned char *pb, size_t n);
/* One stream (same instructions). */
void sha256x1_blocks(uint32_t st[8], const unsigned char *p, size_t n);
void sha1x1_blocks(uint32_t st[5], const unsigned char *p, size_t n);

#endif
