/* VICS record scanner (issue 16 item 6): the fast path of hashsets/formats/vics.py.
 *
 * It walks a VICS JSON document the way jsonstream.iter_records does (descending into the
 * values of the container keys value/media/d/results/cases at any depth; every other value is
 * a field) and converts each record (an object whose fields name a hash, MediaID or Category
 * and no CaseID/CaseNumber) the way VicsParser._record does: digests of MD5/SHA1/SHA256/PDQ,
 * AlternativeHashes and MediaFiles[].MD5/SHA1/SHA256, de-duplicated per record, with the raw
 * category key (categories.raw_category_key) and the Series/VictimIdentified flag codes
 * (vics.parse_flag, model.flag_code).
 *
 * It is deliberately narrow: it accepts only strict JSON in valid UTF-8 and only the value
 * shapes it converts exactly like the Python code. On anything else (invalid JSON, an escape in
 * a key or in a converted string, a repeated field, a hash that is not exactly its hex width, a
 * float category, nesting deeper than it keeps...) it stops *before* the record it could not
 * convert and says so ("bail"); the Python path then takes over from that record, so results
 * and error messages are those of the Python code by construction.
 *
 * Streaming: the caller feeds the unconsumed tail plus the next block; the scanner resumes from
 * its state (kept in a bytearray the caller owns) and reports how many bytes it consumed. It
 * commits its state after each object or array it enters or leaves, and an interrupted record
 * is parsed again from its start on the next call.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vicsscan.h"

#define VS_MAXDEPTH 32
#define VS_MAXH 16
#define VS_CATMAX 64
#define VS_SKIPDEPTH 256
#define VS_MAXCATS 256

enum { ALG_MD5, ALG_SHA1, ALG_SHA256, ALG_PDQ, NALG };
static const int WIDTH[NALG] = {16, 20, 32, 32};

enum {
    K_NONE = 0,
    K_MD5,
    K_SHA1,
    K_SHA256,
    K_PDQ,
    K_CATEGORY,
    K_SERIES,
    K_VICTIM,
    K_ALT,
    K_MEDIAFILES,
    K_MEDIAID,
    K_CASEID,
    K_CASENUMBER,
    K_CONTAINER,
    K_HASHNAME,
    K_HASHVALUE,
};

typedef struct {
    unsigned char kind;  /* 'A' array, 'O' object */
    unsigned char after; /* an element/field was read: expect ',' or the close */
    unsigned short seen; /* record-level keys already read (a repeat bails) */
    unsigned char rec, cas, has_cat, catlen;
    unsigned char series, victim, nh, pad;
    char cat[VS_CATMAX];
    unsigned char halg[VS_MAXH];
    unsigned char hd[VS_MAXH][32];
} frame_t;

typedef struct {
    int depth;
    int started;
    int done;
    frame_t f[VS_MAXDEPTH];
} vstate_t;

/* results of the value parsers */
#define VS_OK 0
#define VS_MORE (-1) /* the buffer ended inside the value */
#define VS_BAIL (-2) /* not a shape this scanner converts (or not strict JSON) */

typedef struct {
    unsigned char *p;
    size_t n, cap;
} buf_t;

static int buf_put(buf_t *b, const void *src, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
    return 0;
}

typedef struct {
    buf_t dig[NALG], ser[NALG], vic[NALG], cat[NALG];
    char cats[VS_MAXCATS][VS_CATMAX];
    unsigned char catlens[VS_MAXCATS];
    int ncats;
    long long records, nohash;
} out_t;

typedef struct {
    const unsigned char *s, *end;
    const unsigned char *p;
} cur_t;

static inline void ws(cur_t *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
        c->p++;
}

static inline int hexval(unsigned char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* One UTF-8 sequence starting at p (a byte >= 0x80): its length, 0 if invalid, -1 if cut. */
static int utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned char b = p[0];
    int n;
    unsigned int cp;
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2;
        cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        cp = b & 0x07;
    } else
        return 0;
    if (end - p < n)
        return -1;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

/* Scan a string whose opening quote is at c->p. On VS_OK c->p is after the closing quote and
 * [*a, *b) is the raw content; *plain: no escape and no byte >= 0x80 in it. */
static int scan_string(cur_t *c, const unsigned char **a, const unsigned char **b, int *plain)
{
    const unsigned char *p = c->p + 1, *end = c->end;
    int pl = 1;
    *a = p;
    for (;;) {
        while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80)
            p++;
        if (p >= end)
            return VS_MORE;
        unsigned char ch = *p;
        if (ch == '"')
            break;
        if (ch < 0x20)
            return VS_BAIL;
        pl = 0;
        if (ch == '\\') {
            if (end - p < 2)
                return VS_MORE;
            unsigned char e = p[1];
            if (e == 'u') {
                if (end - p < 6)
                    return VS_MORE;
                unsigned int v = 0;
                for (int i = 2; i < 6; i++) {
                    int h = hexval(p[i]);
                    if (h < 0)
                        return VS_BAIL;
                    v = (v << 4) | (unsigned)h;
                }
                if (v >= 0xD800 && v <= 0xDFFF)
                    return VS_BAIL; /* surrogates: left to the Python path */
                p += 6;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                       e == 'r' || e == 't') {
                p += 2;
            } else
                return VS_BAIL;
        } else {
            int n = utf8_len(p, end);
            if (n < 0)
                return VS_MORE;
            if (n == 0)
                return VS_BAIL;
            p += n;
        }
    }
    *b = p;
    *plain = pl;
    c->p = p + 1;
    return VS_OK;
}

/* Scan a number at c->p. *is_int: no fraction or exponent. Floats that overflow a double are
 * refused by yajl (ijson), so they bail. */
static int scan_number(cur_t *c, int *is_int)
{
    const unsigned char *p = c->p, *end = c->end, *start = c->p;
    int integer = 1;
    if (p < end && *p == '-')
        p++;
    if (p >= end)
        return VS_MORE;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return VS_BAIL;
    if (p < end && *p == '.') {
        integer = 0;
        p++;
        if (p >= end)
            return VS_MORE;
        if (!(*p >= '0' && *p <= '9'))
            return VS_BAIL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        integer = 0;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end)
            return VS_MORE;
        if (!(*p >= '0' && *p <= '9'))
            return VS_BAIL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p >= end)
        return VS_MORE; /* the number may go on in the next block */
    if (!integer) {
        char tmp[64];
        size_t n = (size_t)(p - start);
        if (n >= sizeof tmp)
            return VS_BAIL;
        memcpy(tmp, start, n);
        tmp[n] = 0;
        errno = 0;
        double d = strtod(tmp, NULL);
        if (d == HUGE_VAL || d == -HUGE_VAL)
            return VS_BAIL;
    }
    *is_int = integer;
    c->p = p;
    return VS_OK;
}

static int scan_literal(cur_t *c, const char *word)
{
    size_t n = strlen(word);
    size_t have = (size_t)(c->end - c->p);
    if (memcmp(c->p, word, have < n ? have : n) != 0)
        return VS_BAIL;
    if (have < n)
        return VS_MORE;
    c->p += n;
    return VS_OK;
}

/* Skip (and validate) one whole value at c->p (after whitespace). */
static int skip_value(cur_t *c)
{
    unsigned char stack[VS_SKIPDEPTH];
    int depth = 0;
    int expect_value = 1;
    for (;;) {
        if (depth == 0 && !expect_value)
            return VS_OK;
        ws(c);
        if (c->p >= c->end)
            return VS_MORE;
        unsigned char ch = *c->p;
        if (expect_value) {
            int r;
            const unsigned char *a, *b;
            int plain, is_int;
            switch (ch) {
            case '{':
            case '[':
                if (depth >= VS_SKIPDEPTH)
                    return VS_BAIL;
                stack[depth++] = ch;
                c->p++;
                ws(c);
                if (c->p >= c->end)
                    return VS_MORE;
                if (*c->p == (ch == '{' ? '}' : ']')) {
                    c->p++;
                    depth--;
                    expect_value = 0;
                    break;
                }
                if (ch == '{') {
                    if (*c->p != '"')
                        return VS_BAIL;
                    if ((r = scan_string(c, &a, &b, &plain)) != VS_OK)
                        return r;
                    ws(c);
                    if (c->p >= c->end)
                        return VS_MORE;
                    if (*c->p != ':')
                        return VS_BAIL;
                    c->p++;
                }
                continue; /* expect a value */
            case '"':
                if ((r = scan_string(c, &a, &b, &plain)) != VS_OK)
                    return r;
                break;
            case 't':
                if ((r = scan_literal(c, "true")) != VS_OK)
                    return r;
                break;
            case 'f':
                if ((r = scan_literal(c, "false")) != VS_OK)
                    return r;
                break;
            case 'n':
                if ((r = scan_literal(c, "null")) != VS_OK)
                    return r;
                break;
            default:
                if ((r = scan_number(c, &is_int)) != VS_OK)
                    return r;
            }
            expect_value = 0;
        } else {
            unsigned char open = stack[depth - 1];
            if (ch == ',') {
                c->p++;
                expect_value = 1;
                if (open == '{') {
                    const unsigned char *a, *b;
                    int plain, r;
                    ws(c);
                    if (c->p >= c->end)
                        return VS_MORE;
                    if (*c->p != '"')
                        return VS_BAIL;
                    if ((r = scan_string(c, &a, &b, &plain)) != VS_OK)
                        return r;
                    ws(c);
                    if (c->p >= c->end)
                        return VS_MORE;
                    if (*c->p != ':')
                        return VS_BAIL;
                    c->p++;
                }
            } else if (ch == (open == '{' ? '}' : ']')) {
                c->p++;
                depth--;
            } else
                return VS_BAIL;
        }
    }
}

/* The string value at c->p as plain ASCII with the spaces around it stripped. */
static int plain_string(cur_t *c, const unsigned char **a, const unsigned char **b)
{
    int plain, r = scan_string(c, a, b, &plain);
    if (r != VS_OK)
        return r;
    if (!plain)
        return VS_BAIL;
    while (*a < *b && **a == ' ')
        (*a)++;
    while (*b > *a && (*b)[-1] == ' ')
        (*b)--;
    return VS_OK;
}

static int lower_eq(const unsigned char *a, const unsigned char *b, const char *word)
{
    size_t n = (size_t)(b - a);
    if (n != strlen(word))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = a[i];
        if (ch >= 'A' && ch <= 'Z')
            ch += 32;
        if (ch != (unsigned char)word[i])
            return 0;
    }
    return 1;
}

/* A hash value (VicsParser._record/_decode): null or a blank string → *got = 0; a string of
 * exactly the width in hex → the digest; anything else bails (the Python path raises). */
static int parse_hash(cur_t *c, int alg, unsigned char *out, int *got)
{
    ws(c);
    if (c->p >= c->end)
        return VS_MORE;
    if (*c->p == 'n') {
        *got = 0;
        return scan_literal(c, "null");
    }
    if (*c->p != '"')
        return VS_BAIL;
    const unsigned char *a, *b;
    int r = plain_string(c, &a, &b);
    if (r != VS_OK)
        return r;
    if (a == b) {
        *got = 0;
        return VS_OK;
    }
    if (b - a != 2 * WIDTH[alg])
        return VS_BAIL;
    for (int i = 0; i < WIDTH[alg]; i++) {
        int h = hexval(a[2 * i]), l = hexval(a[2 * i + 1]);
        if (h < 0 || l < 0)
            return VS_BAIL;
        out[i] = (unsigned char)(h << 4 | l);
    }
    *got = 1;
    return VS_OK;
}

static int add_hash(frame_t *f, int alg, const unsigned char *d)
{
    if (f->nh >= VS_MAXH)
        return VS_BAIL;
    f->halg[f->nh] = (unsigned char)alg;
    memcpy(f->hd[f->nh], d, (size_t)WIDTH[alg]);
    f->nh++;
    return VS_OK;
}

static int digits_value(const unsigned char *a, const unsigned char *b, int neg, char *out,
                        unsigned char *outlen)
{
    /* str(int(text)) for ASCII digits: no leading zeros, "-0" → "0" */
    if (b - a > 18)
        return VS_BAIL;
    while (a < b - 1 && *a == '0')
        a++;
    int zero = (b - a == 1 && *a == '0');
    int n = 0;
    if (neg && !zero)
        out[n++] = '-';
    while (a < b)
        out[n++] = (char)*a++;
    *outlen = (unsigned char)n;
    return VS_OK;
}

/* categories.raw_category_key */
static int parse_category(cur_t *c, frame_t *f)
{
    ws(c);
    if (c->p >= c->end)
        return VS_MORE;
    unsigned char ch = *c->p;
    int r;
    f->has_cat = 1;
    if (ch == 'n') {
        memcpy(f->cat, "null", 4);
        f->catlen = 4;
        return scan_literal(c, "null");
    }
    if (ch == 't' || ch == 'f') {
        const char *w = ch == 't' ? "true" : "false";
        f->catlen = (unsigned char)strlen(w);
        memcpy(f->cat, w, f->catlen);
        return scan_literal(c, w);
    }
    if (ch == '-' || (ch >= '0' && ch <= '9')) {
        const unsigned char *start = c->p;
        int is_int;
        if ((r = scan_number(c, &is_int)) != VS_OK)
            return r;
        if (!is_int)
            return VS_BAIL;
        int neg = *start == '-';
        return digits_value(start + neg, c->p, neg, f->cat, &f->catlen);
    }
    if (ch != '"')
        return VS_BAIL;
    const unsigned char *a, *b;
    if ((r = plain_string(c, &a, &b)) != VS_OK)
        return r;
    if (a == b || lower_eq(a, b, "null") || lower_eq(a, b, "none")) {
        memcpy(f->cat, "null", 4);
        f->catlen = 4;
        return VS_OK;
    }
    const unsigned char *s = a;
    int neg = 0;
    if (*s == '+' || *s == '-') {
        neg = *s == '-';
        s++;
    }
    int alldigits = s < b;
    for (const unsigned char *q = s; q < b; q++)
        if (*q < '0' || *q > '9')
            alldigits = 0;
    if (alldigits)
        return digits_value(s, b, neg, f->cat, &f->catlen);
    if (b - a >= VS_CATMAX)
        return VS_BAIL;
    memcpy(f->cat, a, (size_t)(b - a));
    f->catlen = (unsigned char)(b - a);
    return VS_OK;
}

/* vics.parse_flag + model.flag_code: 0 unknown, 1 false, 2 true */
static int parse_flag(cur_t *c, int series, unsigned char *code)
{
    ws(c);
    if (c->p >= c->end)
        return VS_MORE;
    unsigned char ch = *c->p;
    int r;
    if (ch == 'n') {
        *code = 0;
        return scan_literal(c, "null");
    }
    if (ch == 't') {
        *code = 2;
        return scan_literal(c, "true");
    }
    if (ch == 'f') {
        *code = 1;
        return scan_literal(c, "false");
    }
    if (ch == '-' || (ch >= '0' && ch <= '9')) {
        const unsigned char *start = c->p;
        int is_int;
        if ((r = scan_number(c, &is_int)) != VS_OK)
            return r;
        if (!is_int)
            return VS_BAIL;
        int nonzero = 0;
        for (const unsigned char *q = start; q < c->p; q++)
            if (*q >= '1' && *q <= '9')
                nonzero = 1;
        *code = nonzero ? 2 : 1;
        return VS_OK;
    }
    if (ch != '"')
        return VS_BAIL;
    const unsigned char *a, *b;
    if ((r = plain_string(c, &a, &b)) != VS_OK)
        return r;
    static const char *truths[] = {"true", "t", "yes", "y", "1", NULL};
    static const char *falses[] = {"false", "f", "no", "n", "0", NULL};
    if (a == b || lower_eq(a, b, "null") || lower_eq(a, b, "none")) {
        *code = 0;
        return VS_OK;
    }
    for (int i = 0; truths[i]; i++)
        if (lower_eq(a, b, truths[i])) {
            *code = 2;
            return VS_OK;
        }
    for (int i = 0; falses[i]; i++)
        if (lower_eq(a, b, falses[i])) {
            *code = 1;
            return VS_OK;
        }
    *code = series ? 2 : 0;
    return VS_OK;
}

static int key_id(const unsigned char *a, const unsigned char *b)
{
    static const struct {
        const char *w;
        int id;
    } keys[] = {
        {"md5", K_MD5},
        {"sha1", K_SHA1},
        {"sha256", K_SHA256},
        {"pdq", K_PDQ},
        {"category", K_CATEGORY},
        {"series", K_SERIES},
        {"victimidentified", K_VICTIM},
        {"alternativehashes", K_ALT},
        {"mediafiles", K_MEDIAFILES},
        {"mediaid", K_MEDIAID},
        {"caseid", K_CASEID},
        {"casenumber", K_CASENUMBER},
        {"value", K_CONTAINER},
        {"media", K_CONTAINER},
        {"d", K_CONTAINER},
        {"results", K_CONTAINER},
        {"cases", K_CONTAINER},
        {"hashname", K_HASHNAME},
        {"hashvalue", K_HASHVALUE},
        {NULL, 0},
    };
    if (b - a > 20)
        return K_NONE;
    for (int i = 0; keys[i].w; i++)
        if (lower_eq(a, b, keys[i].w))
            return keys[i].id;
    return K_NONE;
}

/* An object key at c->p (a '"'), then the ':' and the whitespace after it. */
static int read_key(cur_t *c, int *id)
{
    const unsigned char *a, *b;
    int plain, r;
    ws(c);
    if (c->p >= c->end)
        return VS_MORE;
    if (*c->p != '"')
        return VS_BAIL;
    if ((r = scan_string(c, &a, &b, &plain)) != VS_OK)
        return r;
    for (const unsigned char *x = a; x < b; x++)
        if (*x == '\\')
            return VS_BAIL; /* escaped keys are left to the Python path */
    *id = plain ? key_id(a, b) : K_NONE; /* non-ASCII keys never lower-case to these */
    ws(c);
    if (c->p >= c->end)
        return VS_MORE;
    if (*c->p != ':')
        return VS_BAIL;
    c->p++;
    ws(c);
    if (c->p >= c->end)
        return VS_MORE;
    return VS_OK;
}

/* A list of objects read by *item* (AlternativeHashes, MediaFiles); null is an empty list;
 * other elements are ignored, as the Python code ignores non-dict elements. */
static int parse_list(cur_t *c, frame_t *f, int (*item)(cur_t *, frame_t *))
{
    int r;
    if (*c->p == 'n')
        return scan_literal(c, "null");
    if (*c->p != '[')
        return VS_BAIL;
    c->p++;
    ws(c);
    if (c->p >= c->end)
        return VS_MORE;
    if (*c->p == ']') {
        c->p++;
        return VS_OK;
    }
    for (;;) {
        ws(c);
        if (c->p >= c->end)
            return VS_MORE;
        if (*c->p == '{')
            r = item(c, f);
        else
            r = skip_value(c);
        if (r != VS_OK)
            return r;
        ws(c);
        if (c->p >= c->end)
            return VS_MORE;
        if (*c->p == ']') {
            c->p++;
            return VS_OK;
        }
        if (*c->p != ',')
            return VS_BAIL;
        c->p++;
    }
}

/* Iterate the fields of the object at c->p ('{'), calling field(c, f, id, state) for each. */
static int parse_object(cur_t *c, frame_t *f, void *state,
                        int (*field)(cur_t *, frame_t *, int, void *))
{
    int r, id;
    c->p++;
    ws(c);
    if (c->p >= c->end)
        return VS_MORE;
    if (*c->p == '}') {
        c->p++;
        return VS_OK;
    }
    for (;;) {
        if ((r = read_key(c, &id)) != VS_OK)
            return r;
        if ((r = field(c, f, id, state)) != VS_OK)
            return r;
        ws(c);
        if (c->p >= c->end)
            return VS_MORE;
        if (*c->p == '}') {
            c->p++;
            return VS_OK;
        }
        if (*c->p != ',')
            return VS_BAIL;
        c->p++;
    }
}

typedef struct {
    int seen_name, seen_value, alg;
    const unsigned char *value;
} alt_state;

static int alt_field(cur_t *c, frame_t *f, int id, void *st)
{
    alt_state *s = st;
    int r;
    if (id == K_HASHNAME) {
        if (s->seen_name++)
            return VS_BAIL;
        if (*c->p != '"')
            return skip_value(c); /* str() of a non-string names no hash */
        const unsigned char *a, *b;
        int plain;
        if ((r = scan_string(c, &a, &b, &plain)) != VS_OK)
            return r;
        if (!plain)
            return VS_BAIL;
        char name[16];
        int n = 0;
        for (const unsigned char *q = a; q < b; q++) {
            if (*q == '-' || *q == '_')
                continue;
            if (n >= (int)sizeof name - 1)
                return VS_OK; /* too long to name a hash */
            unsigned char ch = *q;
            name[n++] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
        }
        name[n] = 0;
        static const char *algs[] = {"md5", "sha1", "sha256", "pdq"};
        for (int i = 0; i < NALG; i++)
            if (strcmp(name, algs[i]) == 0)
                s->alg = i;
        return VS_OK;
    }
    if (id == K_HASHVALUE) {
        if (s->seen_value++)
            return VS_BAIL;
        s->value = c->p;
    }
    return skip_value(c);
}

static int alt_item(cur_t *c, frame_t *f)
{
    alt_state s = {0, 0, -1, NULL};
    int r = parse_object(c, f, &s, alt_field);
    if (r != VS_OK)
        return r;
    if (s.alg >= 0 && s.value) {
        cur_t v = {c->s, c->end, s.value};
        unsigned char d[32];
        int got;
        if ((r = parse_hash(&v, s.alg, d, &got)) != VS_OK)
            return r;
        if (got)
            return add_hash(f, s.alg, d);
    }
    return VS_OK;
}

static int media_field(cur_t *c, frame_t *f, int id, void *st)
{
    unsigned *seen = st;
    if (id == K_MD5 || id == K_SHA1 || id == K_SHA256) {
        if (*seen & (1u << id))
            return VS_BAIL;
        *seen |= 1u << id;
        int alg = id == K_MD5 ? ALG_MD5 : id == K_SHA1 ? ALG_SHA1 : ALG_SHA256;
        unsigned char d[32];
        int got, r = parse_hash(c, alg, d, &got);
        if (r != VS_OK)
            return r;
        return got ? add_hash(f, alg, d) : VS_OK;
    }
    return skip_value(c);
}

static int media_item(cur_t *c, frame_t *f)
{
    unsigned seen = 0;
    return parse_object(c, f, &seen, media_field);
}

/* One field of a walked object (its key read; c->p at the value). */
static int record_field(cur_t *c, frame_t *f, int id)
{
    int r;
    if (id == K_NONE || id == K_CONTAINER || id == K_HASHNAME || id == K_HASHVALUE)
        return skip_value(c);
    if (f->seen & (1u << id))
        return VS_BAIL; /* a repeated field: the Python dict keeps the last, left to it */
    f->seen |= (unsigned short)(1u << id);
    switch (id) {
    case K_MD5:
    case K_SHA1:
    case K_SHA256:
    case K_PDQ: {
        int alg = id - K_MD5;
        unsigned char d[32];
        int got;
        if (id != K_PDQ)
            f->rec = 1;
        if ((r = parse_hash(c, alg, d, &got)) != VS_OK)
            return r;
        return got ? add_hash(f, alg, d) : VS_OK;
    }
    case K_CATEGORY:
        f->rec = 1;
        return parse_category(c, f);
    case K_SERIES:
        return parse_flag(c, 1, &f->series);
    case K_VICTIM:
        return parse_flag(c, 0, &f->victim);
    case K_ALT:
        f->rec = 1;
        return parse_list(c, f, alt_item);
    case K_MEDIAFILES:
        f->rec = 1;
        return parse_list(c, f, media_item);
    case K_MEDIAID:
        f->rec = 1;
        return skip_value(c);
    case K_CASEID:
    case K_CASENUMBER:
        f->cas = 1;
        return skip_value(c);
    }
    return skip_value(c);
}

static int emit(out_t *o, frame_t *f)
{
    if (!f->rec || f->cas)
        return VS_OK;
    o->records++;
    const char *cat = f->has_cat ? f->cat : "null";
    int catlen = f->has_cat ? f->catlen : 4;
    int ci = -1;
    for (int i = 0; i < o->ncats; i++)
        if (o->catlens[i] == catlen && memcmp(o->cats[i], cat, (size_t)catlen) == 0) {
            ci = i;
            break;
        }
    if (ci < 0) {
        if (o->ncats >= VS_MAXCATS)
            return VS_BAIL;
        ci = o->ncats++;
        memcpy(o->cats[ci], cat, (size_t)catlen);
        o->catlens[ci] = (unsigned char)catlen;
    }
    uint16_t ci16 = (uint16_t)ci;
    int kept = 0;
    for (int i = 0; i < f->nh; i++) {
        int alg = f->halg[i], dup = 0;
        for (int j = 0; j < i && !dup; j++)
            dup = f->halg[j] == alg && memcmp(f->hd[j], f->hd[i], (size_t)WIDTH[alg]) == 0;
        if (dup)
            continue;
        kept++;
        if (buf_put(&o->dig[alg], f->hd[i], (size_t)WIDTH[alg]) < 0 ||
            buf_put(&o->ser[alg], &f->series, 1) < 0 || buf_put(&o->vic[alg], &f->victim, 1) < 0 ||
            buf_put(&o->cat[alg], &ci16, 2) < 0)
            return -3;
    }
    if (!kept)
        o->nohash++;
    return VS_OK;
}

static void frame_init(frame_t *f, unsigned char kind)
{
    memset(f, 0, offsetof(frame_t, cat));
    f->kind = kind;
}

/* status: 0 more input wanted, 1 document complete, 2 bail */
static int scan(vstate_t *st, const unsigned char *s, size_t n, int final, out_t *o,
                size_t *consumed)
{
    vstate_t cur_state; /* working copy; st holds the last commit */
    vstate_t *w = &cur_state;
    cur_t c = {s, s + n, s};
    size_t committed = 0;
    int lo = 0, r;
    memcpy(w, st, offsetof(vstate_t, f) + sizeof(frame_t) * (size_t)st->depth);
    lo = w->depth;

#define COMMIT()                                                                                 \
    do {                                                                                         \
        if (lo >= 0 && lo < w->depth)                                                            \
            memcpy(&st->f[lo], &w->f[lo], sizeof(frame_t) * (size_t)(w->depth - lo));           \
        st->depth = w->depth;                                                                    \
        st->started = w->started;                                                                \
        st->done = w->done;                                                                      \
        lo = w->depth;                                                                           \
        committed = (size_t)(c.p - s);                                                           \
    } while (0)

    if (!w->started) {
        ws(&c);
        if (c.p >= c.end)
            goto more;
        if (*c.p != '{' && *c.p != '[')
            goto bail;
        frame_init(&w->f[0], *c.p == '{' ? 'O' : 'A');
        w->depth = 1;
        w->started = 1;
        lo = 0;
        c.p++;
        COMMIT();
    }
    for (;;) {
        if (w->depth == 0) {
            ws(&c);
            if (c.p < c.end)
                goto bail; /* trailing data */
            COMMIT();
            *consumed = committed;
            return final ? 1 : 0;
        }
        int d = w->depth - 1;
        frame_t *f = &w->f[d];
        if (d < lo)
            lo = d;
        ws(&c);
        if (c.p >= c.end)
            goto more;
        unsigned char ch = *c.p;
        if (f->kind == 'A') {
            if (ch == ']') {
                c.p++;
                goto pop;
            }
            if (f->after) {
                if (ch != ',')
                    goto bail;
                c.p++;
                ws(&c);
                if (c.p >= c.end)
                    goto more;
                ch = *c.p;
            }
            if (ch == '{' || ch == '[') {
                if (w->depth >= VS_MAXDEPTH)
                    goto bail;
                f->after = 1;
                frame_init(&w->f[w->depth], ch == '{' ? 'O' : 'A');
                w->depth++;
                c.p++;
                COMMIT();
                continue;
            }
            if ((r = skip_value(&c)) != VS_OK)
                goto fail;
            f->after = 1;
            continue;
        }
        /* object */
        if (ch == '}') {
            c.p++;
            r = emit(o, f);
            if (r == -3)
                return -1;
            if (r != VS_OK)
                goto bail; /* before this record: the Python path converts it */
            goto pop;
        }
        if (f->after) {
            if (ch != ',')
                goto bail;
            c.p++;
        }
        int id;
        if ((r = read_key(&c, &id)) != VS_OK)
            goto fail;
        ch = *c.p;
        if (id == K_CONTAINER && (ch == '{' || ch == '[')) {
            if (w->depth >= VS_MAXDEPTH)
                goto bail;
            f->after = 1;
            frame_init(&w->f[w->depth], ch == '{' ? 'O' : 'A');
            w->depth++;
            c.p++;
            COMMIT();
            continue;
        }
        if ((r = record_field(&c, f, id)) != VS_OK)
            goto fail;
        f->after = 1;
        continue;
    pop:
        w->depth--;
        if (w->depth > 0) {
            w->f[w->depth - 1].after = 1;
            if (w->depth - 1 < lo)
                lo = w->depth - 1;
        }
        COMMIT();
        continue;
    fail:
        if (r == VS_MORE)
            goto more;
        goto bail;
    }
more:
    *consumed = committed;
    return final ? 2 : 0;
bail:
    *consumed = committed;
    return 2;
#undef COMMIT
}

static void out_free(out_t *o)
{
    for (int a = 0; a < NALG; a++) {
        free(o->dig[a].p);
        free(o->ser[a].p);
        free(o->vic[a].p);
        free(o->cat[a].p);
    }
}

PyObject *vics_scan(PyObject *self, PyObject *args)
{
    Py_buffer state, data;
    int final;
    if (!PyArg_ParseTuple(args, "w*y*p:vics_scan", &state, &data, &final))
        return NULL;
    PyObject *result = NULL;
    out_t *o = NULL;
    if ((size_t)state.len != sizeof(vstate_t)) {
        PyErr_SetString(PyExc_ValueError, "vics_scan: state has the wrong size");
        goto done;
    }
    o = calloc(1, sizeof(out_t));
    if (!o) {
        PyErr_NoMemory();
        goto done;
    }
    size_t consumed = 0;
    int status;
    vstate_t *st = (vstate_t *)state.buf;
    if (st->depth < 0 || st->depth > VS_MAXDEPTH) {
        PyErr_SetString(PyExc_ValueError, "vics_scan: state is not a scanner state");
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    status = scan(st, data.buf, (size_t)data.len, final, o, &consumed);
    Py_END_ALLOW_THREADS
    if (status < 0) {
        PyErr_NoMemory();
        goto done;
    }
    PyObject *cats = PyList_New(o->ncats);
    PyObject *outs = PyTuple_New(NALG);
    if (!cats || !outs) {
        Py_XDECREF(cats);
        Py_XDECREF(outs);
        goto done;
    }
    for (int i = 0; i < o->ncats; i++) {
        PyObject *t = PyUnicode_DecodeASCII(o->cats[i], o->catlens[i], "strict");
        if (!t) {
            Py_DECREF(cats);
            Py_DECREF(outs);
            goto done;
        }
        PyList_SET_ITEM(cats, i, t);
    }
    for (int a = 0; a < NALG; a++) {
        PyObject *item;
        if (o->dig[a].n == 0) {
            item = Py_None;
            Py_INCREF(item);
        } else
            item = Py_BuildValue("(y#y#y#y#)", o->dig[a].p, (Py_ssize_t)o->dig[a].n, o->ser[a].p,
                                 (Py_ssize_t)o->ser[a].n, o->vic[a].p, (Py_ssize_t)o->vic[a].n,
                                 o->cat[a].p, (Py_ssize_t)o->cat[a].n);
        if (!item) {
            Py_DECREF(cats);
            Py_DECREF(outs);
            goto done;
        }
        PyTuple_SET_ITEM(outs, a, item);
    }
    result = Py_BuildValue("(niLLNN)", (Py_ssize_t)consumed, status, o->records, o->nohash, cats,
                           outs);
done:
    if (o) {
        out_free(o);
        free(o);
    }
    PyBuffer_Release(&state);
    PyBuffer_Release(&data);
    return result;
}

size_t vics_state_size(void) { return sizeof(vstate_t); }
