/*
 * MD5 (RFC 1321), SHA-1 and SHA-256 (FIPS 180-4) of one stream, owned wholly by the native
 * core (issue 19 item 6; ADR 0102, addendum 6): no OpenSSL context and none of its private
 * fields. The engine's paired lanes (md5x2.c, shax2.c) advance the same state words directly,
 * so a file can be hashed paired with another for a while and alone afterwards.
 *
 * Block functions: MD5 in C (md5x2.c, one stream); SHA-1/SHA-256 with the x86 SHA extensions
 * where the CPU has them (shax2.c), else the portable code below. Tests compare every digest
 * with hashlib on generated data of every length around the block boundaries, split into
 * updates of every shape, with and without the SHA extensions.
 */
#include "digests.h"

#include <string.h>

#include "md5x2.h"
#include "shax2.h"

/* Digests advance by at most this much at a time, so that the three passes read the same
 * bytes from the core's L1 cache rather than from memory. */
#define SLICE (16 << 10)

static int SHA_NI = -1; /* -1: not decided yet */

int digests_use_sha_ni(int on)
{
    SHA_NI = on && shax2_available();
    return SHA_NI;
}

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static inline uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

/* Portable SHA-256 (FIPS 180-4 §6.2), for CPUs without the SHA extensions. */
static void sha256_portable(uint32_t h[8], const unsigned char *p, size_t n)
{
    for (; n > 0; n--, p += 64) {
        uint32_t w[64];
        for (int i = 0; i < 16; i++)
            w[i] = be32(p + 4 * i);
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6],
                 k = h[7];
        for (int i = 0; i < 64; i++) {
            uint32_t t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) +
                          K256[i] + w[i];
            uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
    }
}

/* Portable SHA-1 (FIPS 180-4 §6.1). */
static void sha1_portable(uint32_t h[5], const unsigned char *p, size_t n)
{
    for (; n > 0; n--, p += 64) {
        uint32_t w[80];
        for (int i = 0; i < 16; i++)
            w[i] = be32(p + 4 * i);
        for (int i = 16; i < 80; i++)
            w[i] = ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20)
                f = (b & c) | (~b & d), k = 0x5a827999;
            else if (i < 40)
                f = b ^ c ^ d, k = 0x6ed9eba1;
            else if (i < 60)
                f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
            else
                f = b ^ c ^ d, k = 0xca62c1d6;
            uint32_t t = ROL(a, 5) + f + e + k + w[i];
            e = d, d = c, c = ROL(b, 30), b = a, a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
}

void digests_init(digests_t *d)
{
    static const uint32_t md5_iv[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    static const uint32_t sha1_iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
                                        0xc3d2e1f0};
    static const uint32_t sha256_iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    if (SHA_NI < 0)
        digests_use_sha_ni(1);
    memcpy(d->md5, md5_iv, sizeof(md5_iv));
    memcpy(d->sha1, sha1_iv, sizeof(sha1_iv));
    memcpy(d->sha256, sha256_iv, sizeof(sha256_iv));
    d->total = 0;
    d->num = 0;
}

void digests_sha_blocks(digests_t *d, const unsigned char *p, size_t nblocks)
{
    if (SHA_NI > 0) {
        sha1x1_blocks(d->sha1, p, nblocks);
        sha256x1_blocks(d->sha256, p, nblocks);
    } else {
        sha1_portable(d->sha1, p, nblocks);
        sha256_portable(d->sha256, p, nblocks);
    }
}

/* Compress whole blocks (no byte counting). */
static void compress3(digests_t *d, const unsigned char *p, size_t nblocks)
{
    while (nblocks > 0) {
        size_t s = nblocks < SLICE / 64 ? nblocks : SLICE / 64;
        md5x1_blocks(d->md5, p, s);
        digests_sha_blocks(d, p, s);
        p += s * 64;
        nblocks -= s;
    }
}

void digests_blocks(digests_t *d, const unsigned char *p, size_t nblocks)
{
    compress3(d, p, nblocks);
    d->total += (uint64_t)nblocks * 64;
}

void digests_update(digests_t *d, const void *data, size_t n)
{
    const unsigned char *p = data;
    d->total += n;
    if (d->num > 0) {
        size_t t = 64 - d->num;
        if (t > n)
            t = n;
        memcpy(d->buf + d->num, p, t);
        d->num += t;
        p += t;
        n -= t;
        if (d->num < 64)
            return;
        d->num = 0;
        compress3(d, d->buf, 1);
    }
    compress3(d, p, n / 64);
    p += n - n % 64;
    n %= 64;
    memcpy(d->buf, p, n);
    d->num = n;
}

void digests_final(digests_t *d, unsigned char md5[16], unsigned char sha1[20],
                   unsigned char sha256[32])
{
    /* total counts the buffered bytes already; the padding is not counted */
    uint64_t bits = d->total * 8;
    unsigned char last[128];
    size_t num = d->num;
    size_t len = num < 56 ? 64 : 128;
    memcpy(last, d->buf, num);
    last[num] = 0x80;
    memset(last + num + 1, 0, len - num - 1);
    unsigned char sha_last[128];
    memcpy(sha_last, last, len);
    for (int i = 0; i < 8; i++) {
        last[len - 8 + i] = (unsigned char)(bits >> (8 * i));      /* MD5: little-endian */
        sha_last[len - 1 - i] = (unsigned char)(bits >> (8 * i));  /* SHA: big-endian */
    }
    md5x1_blocks(d->md5, last, len / 64);
    digests_sha_blocks(d, sha_last, len / 64);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            md5[4 * i + j] = (unsigned char)(d->md5[i] >> (8 * j));
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++)
            sha1[4 * i + j] = (unsigned char)(d->sha1[i] >> (24 - 8 * j));
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++)
            sha256[4 * i + j] = (unsigned char)(d->sha256[i] >> (24 - 8 * j));
}

void digests_sha1(const void *data, size_t n, unsigned char out[20])
{
    static const uint32_t sha1_iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
                                        0xc3d2e1f0};
    uint32_t h[5];
    const unsigned char *p = data;
    size_t whole = n / 64, num = n % 64;
    unsigned char last[128];
    size_t len = num < 56 ? 64 : 128;
    uint64_t bits = (uint64_t)n * 8;
    if (SHA_NI < 0)
        digests_use_sha_ni(1);
    memcpy(h, sha1_iv, sizeof(h));
    if (whole > 0) {
        if (SHA_NI > 0)
            sha1x1_blocks(h, p, whole);
        else
            sha1_portable(h, p, whole);
    }
    memcpy(last, p + whole * 64, num);
    last[num] = 0x80;
    memset(last + num + 1, 0, len - num - 1);
    for (int i = 0; i < 8; i++)
        last[len - 1 - i] = (unsigned char)(bits >> (8 * i));
    if (SHA_NI > 0)
        sha1x1_blocks(h, last, len / 64);
    else
        sha1_portable(h, last, len / 64);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = (unsigned char)(h[i] >> (24 - 8 * j));
}
