/*
 * SHA-1 and SHA-256 of two independent streams at once, with the x86 SHA extensions
 * (ADR 0102, addendum 3).
 *
 * One stream waits on the latency of each SHA round instruction (sha1rnds4, sha256rnds2);
 * interleaving the rounds of two streams keeps the unit busy: ~1.6x the single-stream
 * throughput of OpenSSL's own SHA-NI code on the same core. The round structure is the one
 * Intel documents for the SHA extensions ("Intel SHA Extensions", 2013): message words
 * byte-swapped into four registers, sha*msg1/msg2 for the schedule, state kept as ABEF/CDGH
 * (SHA-256) and ABCD + E (SHA-1). The results are the standard FIPS 180-4 digests; tests
 * compare them with hashlib on generated data of every length around the block boundaries.
 *
 * Compiled for any x86-64 (per-function target attributes); shax2_available() says whether
 * this CPU has the instructions. sha*x1_blocks are the same rounds for one stream. Elsewhere
 * the engine uses the portable code of digests.c.
 */
#include "shax2.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

int shax2_available(void)
{
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return 0;
    return ssse3 && sse41 && ((b >> 29) & 1);
}

static const uint32_t K256[64] = {
    0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
    0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,
    0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
    0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
    0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,
    0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
    0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,
    0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2};

#define TGT __attribute__((target("sha,sse4.1,ssse3")))

/* one group of 4 rounds for one stream: S0/S1 state, W[4] message regs, g group */
#define SHA256_GROUP(S0, S1, W, g) do { \
    __m128i m_ = _mm_add_epi32(W[(g) & 3], _mm_loadu_si128((const __m128i *)&K256[4 * (g)])); \
    S1 = _mm_sha256rnds2_epu32(S1, S0, m_); \
    if ((g) >= 3 && (g) <= 14) { \
        __m128i t_ = _mm_alignr_epi8(W[(g) & 3], W[((g) + 3) & 3], 4); \
        W[((g) + 1) & 3] = _mm_add_epi32(W[((g) + 1) & 3], t_); \
        W[((g) + 1) & 3] = _mm_sha256msg2_epu32(W[((g) + 1) & 3], W[(g) & 3]); \
    } \
    m_ = _mm_shuffle_epi32(m_, 0x0E); \
    S0 = _mm_sha256rnds2_epu32(S0, S1, m_); \
    if ((g) >= 1 && (g) <= 12) \
        W[((g) + 3) & 3] = _mm_sha256msg1_epu32(W[((g) + 3) & 3], W[(g) & 3]); \
} while (0)

TGT static inline void sha256_load(const uint32_t st[8], __m128i *S0, __m128i *S1)
{
    __m128i t = _mm_loadu_si128((const __m128i *)&st[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&st[4]);
    t = _mm_shuffle_epi32(t, 0xB1);
    s1 = _mm_shuffle_epi32(s1, 0x1B);
    *S0 = _mm_alignr_epi8(t, s1, 8);
    *S1 = _mm_blend_epi16(s1, t, 0xF0);
}
TGT static inline void sha256_store(uint32_t st[8], __m128i S0, __m128i S1)
{
    __m128i t = _mm_shuffle_epi32(S0, 0x1B);
    S1 = _mm_shuffle_epi32(S1, 0xB1);
    S0 = _mm_blend_epi16(t, S1, 0xF0);
    S1 = _mm_alignr_epi8(S1, t, 8);
    _mm_storeu_si128((__m128i *)&st[0], S0);
    _mm_storeu_si128((__m128i *)&st[4], S1);
}

TGT void sha256x2_blocks(uint32_t sa[8], uint32_t sb[8], const unsigned char *pa, const unsigned char *pb, size_t n)
{
    const __m128i MASK = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i A0, A1, B0, B1;
    sha256_load(sa, &A0, &A1);
    sha256_load(sb, &B0, &B1);
    for (; n > 0; n--, pa += 64, pb += 64) {
        __m128i As0 = A0, As1 = A1, Bs0 = B0, Bs1 = B1;
        __m128i WA[4], WB[4];
        for (int i = 0; i < 4; i++) {
            WA[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pa + 16 * i)), MASK);
            WB[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pb + 16 * i)), MASK);
        }
#define G2(g) SHA256_GROUP(A0, A1, WA, g); SHA256_GROUP(B0, B1, WB, g);
        G2(0) G2(1) G2(2) G2(3) G2(4) G2(5) G2(6) G2(7)
        G2(8) G2(9) G2(10) G2(11) G2(12) G2(13) G2(14) G2(15)
#undef G2
        A0 = _mm_add_epi32(A0, As0); A1 = _mm_add_epi32(A1, As1);
        B0 = _mm_add_epi32(B0, Bs0); B1 = _mm_add_epi32(B1, Bs1);
    }
    sha256_store(sa, A0, A1);
    sha256_store(sb, B0, B1);
}

/* SHA-1: group j of 4 rounds; E[2] alternate (E[j&1] takes the message), W[4] */
#define SHA1_GROUP(ABCD, E, W, j) do { \
    if ((j) == 0) E[0] = _mm_add_epi32(E[0], W[0]); \
    else E[(j) & 1] = _mm_sha1nexte_epu32(E[(j) & 1], W[(j) & 3]); \
    E[((j) + 1) & 1] = ABCD; \
    if ((j) >= 3 && (j) <= 18) W[((j) + 1) & 3] = _mm_sha1msg2_epu32(W[((j) + 1) & 3], W[(j) & 3]); \
    ABCD = _mm_sha1rnds4_epu32(ABCD, E[(j) & 1], (j) / 5); \
    if ((j) >= 1 && (j) <= 16) W[((j) + 3) & 3] = _mm_sha1msg1_epu32(W[((j) + 3) & 3], W[(j) & 3]); \
    if ((j) >= 2 && (j) <= 17) W[((j) + 2) & 3] = _mm_xor_si128(W[((j) + 2) & 3], W[(j) & 3]); \
} while (0)

TGT void sha1x2_blocks(uint32_t sa[5], uint32_t sb[5], const unsigned char *pa, const unsigned char *pb, size_t n)
{
    const __m128i MASK = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
    __m128i XA = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)sa), 0x1B);
    __m128i XB = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)sb), 0x1B);
    __m128i EA0 = _mm_set_epi32((int)sa[4], 0, 0, 0), EB0 = _mm_set_epi32((int)sb[4], 0, 0, 0);
    for (; n > 0; n--, pa += 64, pb += 64) {
        __m128i XAs = XA, XBs = XB, EAs = EA0, EBs = EB0;
        __m128i WA[4], WB[4], EA[2], EB[2];
        EA[0] = EA0; EB[0] = EB0; EA[1] = EB[1] = _mm_setzero_si128();
        for (int i = 0; i < 4; i++) {
            WA[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pa + 16 * i)), MASK);
            WB[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pb + 16 * i)), MASK);
        }
#define G2(j) SHA1_GROUP(XA, EA, WA, j); SHA1_GROUP(XB, EB, WB, j);
        G2(0) G2(1) G2(2) G2(3) G2(4) G2(5) G2(6) G2(7) G2(8) G2(9)
        G2(10) G2(11) G2(12) G2(13) G2(14) G2(15) G2(16) G2(17) G2(18) G2(19)
#undef G2
        EA0 = _mm_sha1nexte_epu32(EA[0], EAs);
        EB0 = _mm_sha1nexte_epu32(EB[0], EBs);
        XA = _mm_add_epi32(XA, XAs);
        XB = _mm_add_epi32(XB, XBs);
    }
    _mm_storeu_si128((__m128i *)sa, _mm_shuffle_epi32(XA, 0x1B));
    _mm_storeu_si128((__m128i *)sb, _mm_shuffle_epi32(XB, 0x1B));
    sa[4] = (uint32_t)_mm_extract_epi32(EA0, 3);
    sb[4] = (uint32_t)_mm_extract_epi32(EB0, 3);
}

/* One stream (a file hashed alone, partial blocks, Digest3): the same rounds, not paired. */
TGT void sha256x1_blocks(uint32_t st[8], const unsigned char *p, size_t n)
{
    const __m128i MASK = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i A0, A1;
    sha256_load(st, &A0, &A1);
    for (; n > 0; n--, p += 64) {
        __m128i As0 = A0, As1 = A1;
        __m128i WA[4];
        for (int i = 0; i < 4; i++)
            WA[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), MASK);
#define G1(g) SHA256_GROUP(A0, A1, WA, g);
        G1(0) G1(1) G1(2) G1(3) G1(4) G1(5) G1(6) G1(7)
        G1(8) G1(9) G1(10) G1(11) G1(12) G1(13) G1(14) G1(15)
#undef G1
        A0 = _mm_add_epi32(A0, As0); A1 = _mm_add_epi32(A1, As1);
    }
    sha256_store(st, A0, A1);
}

TGT void sha1x1_blocks(uint32_t st[5], const unsigned char *p, size_t n)
{
    const __m128i MASK = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
    __m128i XA = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st), 0x1B);
    __m128i EA0 = _mm_set_epi32((int)st[4], 0, 0, 0);
    for (; n > 0; n--, p += 64) {
        __m128i XAs = XA, EAs = EA0;
        __m128i WA[4], EA[2];
        EA[0] = EA0; EA[1] = _mm_setzero_si128();
        for (int i = 0; i < 4; i++)
            WA[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), MASK);
#define G1(j) SHA1_GROUP(XA, EA, WA, j);
        G1(0) G1(1) G1(2) G1(3) G1(4) G1(5) G1(6) G1(7) G1(8) G1(9)
        G1(10) G1(11) G1(12) G1(13) G1(14) G1(15) G1(16) G1(17) G1(18) G1(19)
#undef G1
        EA0 = _mm_sha1nexte_epu32(EA[0], EAs);
        XA = _mm_add_epi32(XA, XAs);
    }
    _mm_storeu_si128((__m128i *)st, _mm_shuffle_epi32(XA, 0x1B));
    st[4] = (uint32_t)_mm_extract_epi32(EA0, 3);
}

#else /* not x86-64: never called (shax2_available() is 0) */

int shax2_available(void)
{
    return 0;
}

void sha256x2_blocks(uint32_t sa[8], uint32_t sb[8], const unsigned char *pa,
                     const unsigned char *pb, size_t n)
{
    (void)sa, (void)sb, (void)pa, (void)pb, (void)n;
}

void sha1x2_blocks(uint32_t sa[5], uint32_t sb[5], const unsigned char *pa,
                   const unsigned char *pb, size_t n)
{
    (void)sa, (void)sb, (void)pa, (void)pb, (void)n;
}

void sha256x1_blocks(uint32_t st[8], const unsigned char *p, size_t n)
{
    (void)st, (void)p, (void)n;
}

void sha1x1_blocks(uint32_t st[5], const unsigned char *p, size_t n)
{
    (void)st, (void)p, (void)n;
}

#endif
