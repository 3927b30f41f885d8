/*
 * Native walk-and-hash core of the triage engine (ADR 0102, addendum 3).
 *
 * Python spends ~35-40 us of CPU per file on lstat, open/read/close, three hashlib objects,
 * hex digests and the mtime string; on a tree of small files that kept the engine at ~72 % of
 * "single-core hashlib x cores" (forensic-triage.md section 4). These functions do that
 * per-file work in C, with the GIL released, with digests it owns wholly (digests.c: no
 * OpenSSL, issue 19 item 6):
 *
 *   lstat_names(dir, names)                  -> list of (mode, size, inode, mtime) | errno
 *   Engine(keep_max, head_bytes)             two lanes, fed batch by batch (worker processes):
 *     .add(dir, names, sizes, tag) / .run(finish, budget) -> [(tag, [result])] / .pending()
 *   hash_names(dir, names, sizes, keep_max, head_bytes) -> [result]   (one batch, to the end)
 *   hash_path(path, size, keep_max, head_bytes)          -> result
 *   Digest3() / digest3(data)                 MD5+SHA-1+SHA-256 of one in-memory stream
 *                                             (the hashing threads: disk images, one reader)
 *
 * The two lanes compress a block of each lane's file at once (md5x2.c; shax2.c where the CPU
 * has the SHA extensions): more hashing per core-second than one stream at a time.
 *
 * A result is (stage, errno, nbytes, md5, sha1, sha256, head, data):
 *   stage 0 ok; 1 open failed; 2 first read failed; 3 end-of-file probe failed;
 *   4 a later read failed after nbytes bytes (digests None).
 * The reads mirror the Python reader byte for byte (hashing.first_read_size, EOF_PROBE, CHUNK):
 * first read of size+1 (at most CHUNK), a probe of EOF_PROBE bytes when the first read came
 * back short of CHUNK, then CHUNK-sized reads to end of file, so that errors carry the same
 * codes and byte counts whichever path read the file.
 *
 * Files are opened O_RDONLY | O_NOFOLLOW | O_NONBLOCK (| O_NOATIME where permitted): the walk
 * changes nothing on the evidence and follows no link. Nothing here keeps, shows or sends
 * content: `data` is returned only when the caller asks for it (perceptual hashing of images,
 * in memory, in the same process).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digests.h"
#include "md5x2.h"
#include "shax2.h"
#include "reportwrite.h"
#include "vicsscan.h"

#define CHUNK (1 << 20)
#define EOF_PROBE (1 << 12)
#define HEAD_MAX 1024
/* Digests advance by at most this much at a time, so that the three passes (and the two
 * lanes) read the same bytes from the core's L1 cache rather than from memory. */
#define SLICE (16 << 10)

#ifndef O_NOATIME
#define O_NOATIME 0
#endif

/* the SHA extensions are there (and not switched off by set_sha_pairing): SHA-1 and SHA-256
 * of the two lanes are computed together too (shax2.c) */
static int SHA_PAIRED;

typedef struct {
    int stage;
    int err;
    long long nbytes;
    unsigned char md5[16], sha1[20], sha256[32];
    unsigned char head[HEAD_MAX];
    Py_ssize_t head_len;
    int kept;   /* data holds the whole content (perhaps empty) */
    char *data; /* malloc'd copy of the content when kept */
    Py_ssize_t data_len;
} result_t;

/* One lane of the hashing engine: the file it is reading, its current chunk, its digests.
 * Two lanes run side by side so that each digest - a single dependent chain per stream - can
 * compress a block of each lane's file at once (md5x2.c, shax2.c). The three digests take
 * the same bytes in lockstep (digests.c, whose state words the paired functions advance
 * directly on whole blocks; digests.c does partial blocks, padding and single streams). */
typedef struct {
    int active;        /* a file is open and hashing */
    int fd;
    struct batch *batch; /* the file's batch and result */
    result_t *r;
    char *buf;         /* current chunk: buf[off..len) not yet given to MD5 */
    size_t len, off;
    digests_t d;
    long long n;       /* bytes read so far */
    int keeping;
    size_t kcap;
} lane_t;

/* Files added together (one directory unit, or one large file): they finish in any order,
 * and the batch is handed back when all of them have. */
typedef struct batch {
    struct batch *next;
    int dirfd;         /* names are opened relative to it (AT_FDCWD: absolute paths) */
    PyObject *names;   /* tuple of bytes, owned: read without the GIL (bytes are immutable) */
    long long *sizes;
    result_t *res;
    Py_ssize_t count, started, done;
    PyObject *tag;     /* owned; returned with the results */
} batch_t;

typedef struct {
    long long keep_max;
    size_t head_bytes;
    batch_t *first, *last; /* FIFO of batches not yet handed back */
    lane_t lane[2];
    long long paired, alone; /* bytes given to MD5 two lanes at once / one lane alone */
} engine_t;

static int lane_init(lane_t *L)
{
    memset(L, 0, sizeof(*L));
    L->fd = -1;
    L->buf = malloc(CHUNK + EOF_PROBE);
    return L->buf ? 0 : -1;
}

static void lane_free(lane_t *L)
{
    if (L->fd >= 0)
        close(L->fd);
    free(L->buf);
}

static ssize_t read_once(int fd, char *buf, size_t n)
{
    /* one read() as Python's unbuffered FileIO.read does, retried on EINTR (PEP 475) */
    ssize_t got;
    do {
        got = read(fd, buf, n);
    } while (got < 0 && errno == EINTR);
    return got;
}

/* Append to the kept copy; on failure (no memory) stop keeping: the caller then has no data
 * for perceptual hashing (PDQ skipped), never a wrong digest. */
static void keep_append(lane_t *L, const char *p, size_t n)
{
    result_t *r = L->r;
    if (!L->keeping || n == 0)
        return;
    if ((size_t)r->data_len + n > L->kcap) {
        size_t want = L->kcap ? L->kcap : 65536;
        while (want < (size_t)r->data_len + n)
            want *= 2;
        char *grown = realloc(r->data, want);
        if (grown == NULL) {
            free(r->data);
            r->data = NULL;
            r->data_len = 0;
            L->keeping = 0;
            return;
        }
        r->data = grown;
        L->kcap = want;
    }
    memcpy(r->data + r->data_len, p, n);
    r->data_len += (Py_ssize_t)n;
}

/* A chunk was read into buf[0..len): digested as the lanes pair up. */
static void lane_chunk(lane_t *L, size_t len)
{
    keep_append(L, L->buf, len);
    L->n += (long long)len;
    L->len = len;
    L->off = 0;
}

static void lane_fail(lane_t *L, int stage, int err)
{
    L->r->stage = stage;
    L->r->err = err;
    if (stage == 4)
        L->r->nbytes = L->n;
    free(L->r->data);
    L->r->data = NULL;
    L->r->data_len = 0;
    if (L->fd >= 0)
        close(L->fd);
    L->fd = -1;
    L->active = 0;
    L->batch->done++;
}

static void lane_finish(lane_t *L)
{
    result_t *r = L->r;
    close(L->fd);
    L->fd = -1;
    L->active = 0;
    r->nbytes = L->n;
    digests_final(&L->d, r->md5, r->sha1, r->sha256);
    r->kept = L->keeping;
    L->batch->done++;
    if (!L->keeping) {
        free(r->data);
        r->data = NULL;
        r->data_len = 0;
    }
}

static int open_evidence(int dirfd, const char *name)
{
    int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
    int fd;
    do {
        fd = openat(dirfd, name, flags | O_NOATIME);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0 && (errno == EPERM || errno == EACCES) && O_NOATIME != 0) {
        do { /* O_NOATIME needs ownership of the file: fall back */
            fd = openat(dirfd, name, flags);
        } while (fd < 0 && errno == EINTR);
    }
    return fd;
}

/* Open the next file of the engine on lane L and read its first chunk (mirroring the Python
 * reader: first read of size+1, at most CHUNK; an EOF probe when it came back short). Returns
 * 0 when no file is left; 1 otherwise (L->active tells whether the file is still hashing: an
 * empty file or an error ends it at once). */
static int lane_start(engine_t *E, lane_t *L)
{
    batch_t *b = E->first;
    while (b != NULL && b->started >= b->count)
        b = b->next;
    if (b == NULL)
        return 0;
    Py_ssize_t i = b->started++;
    result_t *r = &b->res[i];
    long long size_hint = b->sizes[i];
    L->batch = b;
    L->r = r;
    L->n = 0;
    L->len = L->off = 0;
    L->kcap = 0;
    L->keeping = E->keep_max >= 0 && size_hint <= E->keep_max;
    L->fd = open_evidence(b->dirfd, PyBytes_AS_STRING(PyTuple_GET_ITEM(b->names, i)));
    if (L->fd < 0) {
        lane_fail(L, 1, errno);
        return 1;
    }
    size_t want = (size_hint >= CHUNK || size_hint < 0) ? CHUNK : (size_t)size_hint + 1;
    ssize_t got = read_once(L->fd, L->buf, want);
    if (got < 0) {
        lane_fail(L, 2, errno);
        return 1;
    }
    size_t chunk = (size_t)got;
    r->head_len = (Py_ssize_t)(chunk < E->head_bytes ? chunk : E->head_bytes);
    memcpy(r->head, L->buf, (size_t)r->head_len);
    if (chunk < CHUNK && chunk > 0) {
        ssize_t rest = read_once(L->fd, L->buf + chunk, EOF_PROBE);
        if (rest < 0) {
            lane_fail(L, 3, errno);
            return 1;
        }
        chunk += (size_t)rest;
        if (rest == 0 && E->keep_max >= 0 && (long long)chunk <= E->keep_max)
            L->keeping = 1; /* the whole file in one read: kept as the Python path keeps it */
    }
    digests_init(&L->d);
    L->active = 1;
    if (chunk == 0)
        lane_finish(L);
    else
        lane_chunk(L, chunk);
    return 1;
}

/* MD5 has taken the whole chunk: read the next one, or finish the file at end of file. */
static void lane_advance(lane_t *L)
{
    ssize_t got = read_once(L->fd, L->buf, CHUNK);
    if (got < 0)
        lane_fail(L, 4, errno);
    else if (got == 0)
        lane_finish(L);
    else
        lane_chunk(L, (size_t)got);
}

/* 1 when lane L has bytes waiting for MD5; 0 when the engine has no file left for it. */
static int lane_ready(engine_t *E, lane_t *L)
{
    for (;;) {
        if (!L->active) {
            if (!lane_start(E, L))
                return 0;
            continue;
        }
        if (L->off < L->len)
            return 1;
        lane_advance(L);
    }
}

/* Bring lane L to a block boundary with at least one whole block waiting: 1 if so; else its
 * waiting bytes went to its digests (which buffer a partial block) and 0 is returned. */
static int lane_align(lane_t *L)
{
    size_t pend = L->len - L->off;
    if (L->d.num != 0) {
        size_t t = 64 - L->d.num;
        if (t > pend)
            t = pend;
        digests_update(&L->d, L->buf + L->off, t);
        L->off += t;
        pend -= t;
    }
    if (pend < 64 || L->d.num != 0) {
        digests_update(&L->d, L->buf + L->off, pend);
        L->off = L->len;
        return 0;
    }
    return 1;
}

/* Compress `blocks` whole blocks waiting on each lane, both lanes at once. */
static void pair_blocks(lane_t *A, lane_t *B, size_t blocks)
{
    const unsigned char *pa = (const unsigned char *)A->buf + A->off;
    const unsigned char *pb = (const unsigned char *)B->buf + B->off;
    size_t bytes = blocks * 64;
    md5x2_blocks(A->d.md5, B->d.md5, pa, pb, blocks);
    if (SHA_PAIRED) {
        sha1x2_blocks(A->d.sha1, B->d.sha1, pa, pb, blocks);
        sha256x2_blocks(A->d.sha256, B->d.sha256, pa, pb, blocks);
    } else { /* no SHA extensions (or pairing switched off): SHA one stream at a time */
        digests_sha_blocks(&A->d, pa, blocks);
        digests_sha_blocks(&B->d, pb, blocks);
    }
    A->d.total += bytes;
    B->d.total += bytes;
    A->off += bytes;
    B->off += bytes;
}

static PyObject *hex_str(const unsigned char *d, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char out[64];
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    return PyUnicode_FromStringAndSize(out, (Py_ssize_t)(2 * n));
}

/* Build the Python result and free the kept copy. */
static PyObject *result_obj(result_t *r)
{
    PyObject *md5, *sha1, *sha256, *head, *data, *out;
    int ok = r->stage == 0;
    md5 = ok ? hex_str(r->md5, 16) : Py_NewRef(Py_None);
    sha1 = ok ? hex_str(r->sha1, 20) : Py_NewRef(Py_None);
    sha256 = ok ? hex_str(r->sha256, 32) : Py_NewRef(Py_None);
    head = (r->stage == 0 || r->stage >= 3)
               ? PyBytes_FromStringAndSize((const char *)r->head, r->head_len)
               : Py_NewRef(Py_None);
    data = r->kept ? PyBytes_FromStringAndSize(r->data, r->data_len) : Py_NewRef(Py_None);
    free(r->data);
    r->data = NULL;
    if (md5 == NULL || sha1 == NULL || sha256 == NULL || head == NULL || data == NULL) {
        Py_XDECREF(md5);
        Py_XDECREF(sha1);
        Py_XDECREF(sha256);
        Py_XDECREF(head);
        Py_XDECREF(data);
        return NULL;
    }
    out = Py_BuildValue("(iiLNNNNN)", r->stage, r->err, r->nbytes, md5, sha1, sha256, head, data);
    return out;
}

/* Names of a list of bytes, kept alive by the list the caller passed (not mutated meanwhile:
 * the list is copied to a tuple first). */
static PyObject *as_tuple(PyObject *seq, const char *what)
{
    PyObject *t = PySequence_Tuple(seq);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t); i++) {
        if (!PyBytes_Check(PyTuple_GET_ITEM(t, i))) {
            Py_DECREF(t);
            return PyErr_Format(PyExc_TypeError, "%s must be bytes", what);
        }
    }
    return t;
}

static int open_dir(const char *path)
{
    int fd;
    Py_BEGIN_ALLOW_THREADS
    do {
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    Py_END_ALLOW_THREADS
    if (fd < 0)
        PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
    return fd;
}

/* Hash until every file added so far is done (finish), or - without finish - until one lane
 * has nothing left to start while the other still has a file open: then the caller may add
 * more files, so that a large file is paired with the next small ones rather than hashed
 * alone. With finish, budget > 0 bounds the bytes hashed alone before returning (so that the
 * caller can look for more files now and then). */
static void engine_run(engine_t *E, int finish, long long budget)
{
    lane_t *A = &E->lane[0], *B = &E->lane[1];
    long long alone = 0;
    for (;;) {
        int a = lane_ready(E, A);
        int b = lane_ready(E, B);
        if (!a && !b)
            return;
        if (a && b) {
            int ra = lane_align(A);
            int rb = lane_align(B);
            if (ra && rb) {
                size_t na = (A->len - A->off) / 64, nb = (B->len - B->off) / 64;
                size_t blocks = na < nb ? na : nb;
                if (blocks > SLICE / 64)
                    blocks = SLICE / 64;
                pair_blocks(A, B, blocks);
                E->paired += (long long)blocks * 128;
            }
            continue;
        }
        if (!finish || (budget > 0 && alone >= budget))
            return;
        lane_t *L = a ? A : B; /* one lane left: OpenSSL, one stream */
        digests_update(&L->d, L->buf + L->off, L->len - L->off);
        alone += (long long)(L->len - L->off);
        E->alone += (long long)(L->len - L->off);
        L->off = L->len;
    }
}

static int engine_init(engine_t *E, long long keep_max, size_t head_bytes)
{
    memset(E, 0, sizeof(*E));
    E->keep_max = keep_max;
    E->head_bytes = head_bytes;
    int ok = 1;
    for (int i = 0; i < 2; i++)
        ok = (lane_init(&E->lane[i]) == 0) && ok;
    return ok ? 0 : -1;
}

static void batch_free(batch_t *b)
{
    if (b->dirfd >= 0 && b->dirfd != AT_FDCWD)
        close(b->dirfd);
    if (b->res != NULL)
        for (Py_ssize_t i = 0; i < b->count; i++)
            free(b->res[i].data);
    free(b->res);
    free(b->sizes);
    Py_XDECREF(b->names);
    Py_XDECREF(b->tag);
    free(b);
}

static void engine_free(engine_t *E)
{
    for (int i = 0; i < 2; i++)
        lane_free(&E->lane[i]);
    batch_t *b = E->first;
    while (b != NULL) {
        batch_t *next = b->next;
        batch_free(b);
        b = next;
    }
    E->first = E->last = NULL;
}

/* Queue a batch: dir (NULL: names are absolute paths), names (sequence of bytes), sizes. */
static int engine_add(engine_t *E, const char *dir, PyObject *names_in, PyObject *sizes_in,
                      PyObject *tag)
{
    batch_t *b = calloc(1, sizeof(batch_t));
    if (b == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->dirfd = AT_FDCWD;
    b->names = as_tuple(names_in, "names");
    if (b->names == NULL)
        goto fail;
    b->count = PyTuple_GET_SIZE(b->names);
    PyObject *sizes = PySequence_Tuple(sizes_in);
    if (sizes == NULL)
        goto fail;
    if (PyTuple_GET_SIZE(sizes) != b->count) {
        Py_DECREF(sizes);
        PyErr_SetString(PyExc_ValueError, "names and sizes differ in length");
        goto fail;
    }
    b->sizes = calloc((size_t)(b->count ? b->count : 1), sizeof(long long));
    b->res = calloc((size_t)(b->count ? b->count : 1), sizeof(result_t));
    if (b->sizes == NULL || b->res == NULL) {
        Py_DECREF(sizes);
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < b->count; i++) {
        b->sizes[i] = PyLong_AsLongLong(PyTuple_GET_ITEM(sizes, i));
        if (b->sizes[i] == -1 && PyErr_Occurred()) {
            Py_DECREF(sizes);
            goto fail;
        }
    }
    Py_DECREF(sizes);
    if (dir != NULL) {
        b->dirfd = open_dir(dir);
        if (b->dirfd < 0)
            goto fail;
    }
    b->tag = Py_NewRef(tag);
    if (E->last != NULL)
        E->last->next = b;
    else
        E->first = b;
    E->last = b;
    return 0;
fail:
    batch_free(b);
    return -1;
}

/* Hand back the finished batches, in the order they were added: [(tag, [result, ...]), ...]. */
static PyObject *engine_collect(engine_t *E)
{
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    batch_t **link = &E->first, *prev = NULL;
    while (*link != NULL) {
        batch_t *b = *link;
        if (b->done < b->count) {
            prev = b;
            link = &b->next;
            continue;
        }
        PyObject *results = PyList_New(b->count);
        for (Py_ssize_t i = 0; results != NULL && i < b->count; i++) {
            PyObject *item = result_obj(&b->res[i]);
            if (item == NULL) {
                Py_CLEAR(results);
                break;
            }
            PyList_SET_ITEM(results, i, item);
        }
        PyObject *pair = results != NULL ? PyTuple_Pack(2, b->tag, results) : NULL;
        Py_XDECREF(results);
        if (pair == NULL || PyList_Append(out, pair) < 0) {
            Py_XDECREF(pair);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(pair);
        *link = b->next;
        if (E->last == b)
            E->last = prev;
        batch_free(b);
    }
    return out;
}

/* "YYYY-MM-DDTHH:MM:SS.ffffffZ" (microseconds truncated from the nanoseconds), or "" when
 * the year is outside 1..9999 (the caller then records no mtime, as Python's datetime does). */
static void format_mtime(long long sec, long nsec, char out[32])
{
    struct tm tm;
    time_t t = (time_t)sec;
    out[0] = '\0';
    if ((long long)t != sec || gmtime_r(&t, &tm) == NULL)
        return;
    long long year = (long long)tm.tm_year + 1900;
    if (year < 1 || year > 9999)
        return;
    snprintf(out, 32, "%04lld-%02d-%02dT%02d:%02d:%02d.%06ldZ", year, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, nsec / 1000);
}

typedef struct {
    int err;
    mode_t mode;
    long long size, ino, sec;
    long nsec;
    char mtime[32];
} stat_t;

static PyObject *lstat_names(PyObject *self, PyObject *args)
{
    const char *dir;
    PyObject *names_in;
    if (!PyArg_ParseTuple(args, "yO:lstat_names", &dir, &names_in))
        return NULL;
    PyObject *names = as_tuple(names_in, "names");
    if (names == NULL)
        return NULL;
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    stat_t *st = calloc((size_t)(count ? count : 1), sizeof(stat_t));
    if (st == NULL) {
        Py_DECREF(names);
        return PyErr_NoMemory();
    }
    int dirfd = open_dir(dir);
    if (dirfd < 0) {
        free(st);
        Py_DECREF(names);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < count; i++) {
        struct stat sb;
        const char *name = PyBytes_AS_STRING(PyTuple_GET_ITEM(names, i));
        if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            st[i].err = errno;
            continue;
        }
        st[i].mode = sb.st_mode;
        st[i].size = (long long)sb.st_size;
        st[i].ino = (long long)sb.st_ino;
        st[i].sec = (long long)sb.st_mtim.tv_sec;
        st[i].nsec = sb.st_mtim.tv_nsec;
        format_mtime(st[i].sec, st[i].nsec, st[i].mtime);
    }
    close(dirfd);
    Py_END_ALLOW_THREADS
    PyObject *out = PyList_New(count);
    for (Py_ssize_t i = 0; out != NULL && i < count; i++) {
        PyObject *item;
        if (st[i].err)
            item = PyLong_FromLong(st[i].err);
        else if (st[i].mtime[0])
            item = Py_BuildValue("(iLLs)", (int)st[i].mode, st[i].size, st[i].ino, st[i].mtime);
        else
            item = Py_BuildValue("(iLLO)", (int)st[i].mode, st[i].size, st[i].ino, Py_None);
        if (item == NULL) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, i, item);
    }
    free(st);
    Py_DECREF(names);
    return out;
}

/* One batch, hashed to the end: the simple entry points below. */
static PyObject *hash_batch(const char *dir, PyObject *names, PyObject *sizes, long long keep_max,
                            Py_ssize_t head_bytes)
{
    engine_t E;
    if (engine_init(&E, keep_max, (size_t)head_bytes) < 0) {
        engine_free(&E);
        return PyErr_NoMemory();
    }
    if (engine_add(&E, dir, names, sizes, Py_None) < 0) {
        engine_free(&E);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    engine_run(&E, 1, 0);
    Py_END_ALLOW_THREADS
    PyObject *done = engine_collect(&E);
    engine_free(&E);
    if (done == NULL)
        return NULL;
    PyObject *results = Py_NewRef(PyTuple_GET_ITEM(PyList_GET_ITEM(done, 0), 1));
    Py_DECREF(done);
    return results;
}

static int head_arg(Py_ssize_t head_bytes)
{
    if (head_bytes < 0 || head_bytes > HEAD_MAX) {
        PyErr_Format(PyExc_ValueError, "head_bytes must be 0..%d", HEAD_MAX);
        return -1;
    }
    return 0;
}

static PyObject *hash_names(PyObject *self, PyObject *args)
{
    const char *dir;
    PyObject *names, *sizes;
    long long keep_max;
    Py_ssize_t head_bytes;
    if (!PyArg_ParseTuple(args, "yOOLn:hash_names", &dir, &names, &sizes, &keep_max,
                          &head_bytes))
        return NULL;
    if (head_arg(head_bytes) < 0)
        return NULL;
    return hash_batch(dir, names, sizes, keep_max, head_bytes);
}

static PyObject *hash_path(PyObject *self, PyObject *args)
{
    PyObject *path, *size;
    long long keep_max;
    Py_ssize_t head_bytes;
    if (!PyArg_ParseTuple(args, "SO!Ln:hash_path", &path, &PyLong_Type, &size, &keep_max,
                          &head_bytes))
        return NULL;
    if (head_arg(head_bytes) < 0)
        return NULL;
    PyObject *names = PyTuple_Pack(1, path);
    PyObject *sizes = PyTuple_Pack(1, size);
    PyObject *out = NULL;
    if (names != NULL && sizes != NULL)
        out = hash_batch(NULL, names, sizes, keep_max, head_bytes);
    Py_XDECREF(names);
    Py_XDECREF(sizes);
    if (out == NULL)
        return NULL;
    PyObject *one = Py_NewRef(PyList_GET_ITEM(out, 0));
    Py_DECREF(out);
    return one;
}

/* ---- Digest3: MD5 + SHA-1 + SHA-256 of one stream, for the threaded pipeline ------------ */

/* A per-object lock (as hashlib's objects have): update() releases the GIL for large inputs,
 * so two threads sharing one object must not advance its state at once. The lock is taken
 * without holding the GIL when it is contended (no deadlock with a thread waiting for the
 * GIL while holding the lock). */
typedef struct {
    PyObject_HEAD
    digests_t d;
    int done;
    PyThread_type_lock lock;
} Digest3Object;

/* Below this many bytes the GIL is kept: releasing it costs more than hashing. */
#define GIL_MIN 4096

static void digest3_lock(Digest3Object *self)
{
    if (!PyThread_acquire_lock(self->lock, NOWAIT_LOCK)) {
        Py_BEGIN_ALLOW_THREADS
        PyThread_acquire_lock(self->lock, WAIT_LOCK);
        Py_END_ALLOW_THREADS
    }
}

static int Digest3_init(Digest3Object *self, PyObject *args, PyObject *kwds)
{
    if (!PyArg_ParseTuple(args, ":Digest3"))
        return -1;
    if (self->lock == NULL) {
        self->lock = PyThread_allocate_lock();
        if (self->lock == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    digest3_lock(self);
    digests_init(&self->d);
    self->done = 0;
    PyThread_release_lock(self->lock);
    return 0;
}

static void Digest3_dealloc(Digest3Object *self)
{
    if (self->lock != NULL)
        PyThread_free_lock(self->lock);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int digest3_ready(Digest3Object *self)
{
    if (self->lock == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Digest3 not initialised");
        return 0;
    }
    return 1;
}

static PyObject *Digest3_update(Digest3Object *self, PyObject *arg)
{
    Py_buffer view;
    if (!digest3_ready(self))
        return NULL;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    int taken;
    if (view.len >= GIL_MIN) {
        Py_BEGIN_ALLOW_THREADS
        PyThread_acquire_lock(self->lock, WAIT_LOCK);
        taken = self->done;
        if (!taken)
            digests_update(&self->d, view.buf, (size_t)view.len);
        PyThread_release_lock(self->lock);
        Py_END_ALLOW_THREADS
    } else {
        digest3_lock(self);
        taken = self->done;
        if (!taken)
            digests_update(&self->d, view.buf, (size_t)view.len);
        PyThread_release_lock(self->lock);
    }
    PyBuffer_Release(&view);
    if (taken) {
        PyErr_SetString(PyExc_ValueError, "digests already taken");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *Digest3_hexdigests(Digest3Object *self, PyObject *unused)
{
    unsigned char m[16], s1[20], s2[32];
    if (!digest3_ready(self))
        return NULL;
    digest3_lock(self);
    int taken = self->done;
    self->done = 1;
    if (!taken)
        digests_final(&self->d, m, s1, s2);
    PyThread_release_lock(self->lock);
    if (taken) {
        PyErr_SetString(PyExc_ValueError, "digests already taken");
        return NULL;
    }
    return Py_BuildValue("(NNN)", hex_str(m, 16), hex_str(s1, 20), hex_str(s2, 32));
}

static PyMethodDef Digest3_methods[] = {
    {"update", (PyCFunction)Digest3_update, METH_O,
     "update(data): add bytes (the GIL is released for 4 KiB and more)."},
    {"hexdigests", (PyCFunction)Digest3_hexdigests, METH_NOARGS,
     "hexdigests() -> (md5, sha1, sha256): once."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Digest3Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "comeforward_triage._native.Digest3",
    .tp_basicsize = sizeof(Digest3Object),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Digest3(): MD5, SHA-1 and SHA-256 of one stream, updated together.",
    .tp_methods = Digest3_methods,
    .tp_init = (initproc)Digest3_init,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)Digest3_dealloc,
};

static PyObject *digest3(PyObject *self, PyObject *arg)
{
    digests_t d;
    Py_buffer view;
    unsigned char m[16], s1[20], s2[32];
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    digests_init(&d);
    if (view.len >= GIL_MIN) {
        Py_BEGIN_ALLOW_THREADS
        digests_update(&d, view.buf, (size_t)view.len);
        Py_END_ALLOW_THREADS
    } else {
        digests_update(&d, view.buf, (size_t)view.len);
    }
    digests_final(&d, m, s1, s2);
    PyBuffer_Release(&view);
    return Py_BuildValue("(NNN)", hex_str(m, 16), hex_str(s1, 20), hex_str(s2, 32));
}

/* ---- Engine: the hashing engine as a Python object, fed batch by batch ------------------- */

typedef struct {
    PyObject_HEAD
    engine_t e;
    int ready; /* engine_init succeeded */
    int busy;  /* run() in progress (the GIL is released meanwhile) */
} EngineObject;

static int Engine_init(EngineObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"keep_max", "head_bytes", NULL};
    long long keep_max;
    Py_ssize_t head_bytes;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "Ln:Engine", kwlist, &keep_max, &head_bytes))
        return -1;
    if (head_arg(head_bytes) < 0)
        return -1;
    if (self->ready) {
        PyErr_SetString(PyExc_RuntimeError, "Engine already initialised");
        return -1;
    }
    if (engine_init(&self->e, keep_max, (size_t)head_bytes) < 0) {
        engine_free(&self->e);
        PyErr_NoMemory();
        return -1;
    }
    self->ready = 1;
    return 0;
}

static void Engine_dealloc(EngineObject *self)
{
    if (self->ready)
        engine_free(&self->e);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int engine_usable(EngineObject *self)
{
    if (!self->ready) {
        PyErr_SetString(PyExc_RuntimeError, "Engine not initialised");
        return 0;
    }
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "Engine is running in another thread");
        return 0;
    }
    return 1;
}

static PyObject *Engine_add(EngineObject *self, PyObject *args)
{
    PyObject *dir_obj, *names, *sizes, *tag;
    if (!PyArg_ParseTuple(args, "OOOO:add", &dir_obj, &names, &sizes, &tag))
        return NULL;
    if (!engine_usable(self))
        return NULL;
    const char *dir = NULL;
    if (dir_obj != Py_None) {
        if (!PyBytes_Check(dir_obj))
            return PyErr_Format(PyExc_TypeError, "dir must be bytes or None");
        dir = PyBytes_AS_STRING(dir_obj);
    }
    if (engine_add(&self->e, dir, names, sizes, tag) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *Engine_run(EngineObject *self, PyObject *args)
{
    int finish;
    long long budget;
    if (!PyArg_ParseTuple(args, "pL:run", &finish, &budget))
        return NULL;
    if (!engine_usable(self))
        return NULL;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    engine_run(&self->e, finish, budget);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    return engine_collect(&self->e);
}

static PyObject *Engine_pending(EngineObject *self, PyObject *unused)
{
    if (!self->ready)
        Py_RETURN_FALSE;
    return PyBool_FromLong(self->e.first != NULL);
}

static PyObject *Engine_stats(EngineObject *self, PyObject *unused)
{
    return Py_BuildValue("(LL)", self->e.paired, self->e.alone);
}

static PyMethodDef Engine_methods[] = {
    {"stats", (PyCFunction)Engine_stats, METH_NOARGS,
     "stats() -> (paired, alone): bytes MD5-hashed two lanes at once / one lane alone (the\n"
     "last partial blocks of files are counted in neither)."},
    {"add", (PyCFunction)Engine_add, METH_VARARGS,
     "add(dir, names, sizes, tag): queue files (dir None: names are absolute paths)."},
    {"run", (PyCFunction)Engine_run, METH_VARARGS,
     "run(finish, budget) -> [(tag, [result, ...])]: hash; hand back the finished batches.\n"
     "Without finish, returns as soon as one lane has nothing left to start, so that more\n"
     "files can be added to pair with a large one; with finish, budget > 0 bounds the bytes\n"
     "hashed by one lane alone before returning."},
    {"pending", (PyCFunction)Engine_pending, METH_NOARGS,
     "pending() -> bool: some batch is not handed back yet."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject EngineType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "comeforward_triage._native.Engine",
    .tp_basicsize = sizeof(EngineObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Engine(keep_max, head_bytes): two-lane hashing engine fed batch by batch.",
    .tp_methods = Engine_methods,
    .tp_init = (initproc)Engine_init,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)Engine_dealloc,
};

static PyObject *set_sha_pairing(PyObject *self, PyObject *arg)
{
    int on = PyObject_IsTrue(arg);
    if (on < 0)
        return NULL;
    int was = SHA_PAIRED;
    SHA_PAIRED = on && shax2_available();
    return PyBool_FromLong(was);
}

static PyObject *set_sha_ni(PyObject *self, PyObject *arg)
{
    int on = PyObject_IsTrue(arg);
    if (on < 0)
        return NULL;
    return PyBool_FromLong(digests_use_sha_ni(on));
}

static PyObject *sha_paired(PyObject *self, PyObject *unused)
{
    return PyBool_FromLong(SHA_PAIRED);
}

static PyMethodDef methods[] = {
    {"digest3", digest3, METH_O,
     "digest3(data) -> (md5, sha1, sha256) hex digests of a bytes-like object."},
    {"sha_paired", sha_paired, METH_NOARGS,
     "sha_paired() -> bool: SHA-1/SHA-256 of the two lanes run together (SHA extensions)."},
    {"set_sha_pairing", set_sha_pairing, METH_O,
     "set_sha_pairing(on) -> bool (previous): switch SHA pairing (tests; off without the CPU\n"
     "instructions whatever is asked)."},
    {"set_sha_ni", set_sha_ni, METH_O,
     "set_sha_ni(on) -> bool (now in use): SHA-1/SHA-256 of one stream with the SHA extensions\n"
     "or the portable code (tests; off without the CPU instructions whatever is asked)."},
    {"lstat_names", lstat_names, METH_VARARGS,
     "lstat_names(dir, names) -> [(mode, size, inode, mtime) | errno]: lstat each name in dir."},
    {"hash_names", hash_names, METH_VARARGS,
     "hash_names(dir, names, sizes, keep_max, head_bytes) -> [result]: read and hash each file."},
    {"hash_path", hash_path, METH_VARARGS,
     "hash_path(path, size, keep_max, head_bytes) -> result: read and hash one file."},
    {"case_files", case_files, METH_VARARGS,
     "case_files(namespace, records, start, stop) -> (nodes, results) | None: the CASE File\n"
     "nodes of records[start:stop] (reportwrite.c; report._case_file_node), None if a record\n"
     "is not of a shape it writes."},
    {"dfxml_files", dfxml_files, METH_VARARGS,
     "dfxml_files(records, first_id) -> bytes | None: the DFXML fileobjects of records\n"
     "(reportwrite.c; report.dfxml), None if a record is not of a shape it writes."},
    {"vics_scan", vics_scan, METH_VARARGS,
     "vics_scan(state, data, final) -> (consumed, status, records, without_hash, categories,\n"
     "outputs): convert the VICS records in data (vicsscan.c; hashsets/formats/vics.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native", "Native walk-and-hash core (see native.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__native(void)
{
    SHA_PAIRED = shax2_available();
    if (reportwrite_init() < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyType_Ready(&EngineType) < 0 || PyType_Ready(&Digest3Type) < 0 ||
        PyModule_AddObjectRef(m, "Digest3", (PyObject *)&Digest3Type) < 0 ||
        PyModule_AddObjectRef(m, "Engine", (PyObject *)&EngineType) < 0 ||
        PyModule_AddIntConstant(m, "CHUNK", CHUNK) < 0 ||
        PyModule_AddIntConstant(m, "EOF_PROBE", EOF_PROBE) < 0 ||
        PyModule_AddIntConstant(m, "VICS_STATE_SIZE", (long)vics_state_size()) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
