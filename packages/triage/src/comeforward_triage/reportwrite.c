/* Report lines of a run's records in C (issue 16 item 5): the fast paths of
 * report._case_file_node (CASE/UCO File nodes) and of the record loop of report.dfxml (DFXML
 * fileobjects). The Python code stays the definition.
 *
 * CASE:
 * For records[start:stop] it returns two byte strings: the File nodes, one JSON line each,
 * joined by ",\n" — the bytes report._case_file_node gives — and the investigative action's
 * result list, ``[{"@id": "kb:file-…"}, …]`` as json.dumps writes it. Node ids are version-5
 * UUIDs (RFC 4122 §4.3: SHA-1 of the namespace and the name) of
 * ``"file:" + json.dumps([path, inode, deleted])``.
 *
 * DFXML: dfxml_files(records, first_id) gives the ``<fileobject>`` elements, joined by "\n", with
 * ids counting from first_id; element text escaped as report._text does (&, <, > and, as \xNN,
 * the control characters and U+FFFE/U+FFFF that XML 1.0 cannot carry).
 *
 * Both are deliberately narrow: a record must be a dict whose path is a str that encodes to UTF-8
 * (no lone surrogates), size an int, inode an int or None (or absent), deleted a bool, and each
 * digest absent, None, "" or an ASCII str. On anything else it returns None before writing a
 * byte, and the Python code makes the document (and raises what it raises): results are those
 * of the Python code by construction. Tests compare both on generated records.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reportwrite.h"
#include "digests.h"

typedef struct {
    char *p;
    size_t n, cap;
    int failed;
} buf_t;

static int buf_reserve(buf_t *b, size_t more)
{
    if (b->failed)
        return -1;
    if (b->n + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->n + more)
        cap *= 2;
    char *grown = realloc(b->p, cap);
    if (grown == NULL) {
        b->failed = 1;
        return -1;
    }
    b->p = grown;
    b->cap = cap;
    return 0;
}

static void put(buf_t *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

#define PUTS(b, lit) put((b), (lit), sizeof(lit) - 1)

static const char HEX[] = "0123456789abcdef";

static void put_u4(buf_t *b, unsigned c)
{
    char e[6] = {'\\', 'u', HEX[(c >> 12) & 0xf], HEX[(c >> 8) & 0xf], HEX[(c >> 4) & 0xf],
                 HEX[c & 0xf]};
    put(b, e, 6);
}

/* The two characters of a short escape (json: \" \\ \b \f \n \r \t), or 0. */
static char short_escape(unsigned c)
{
    switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return 0;
    }
}

/* json.encoder.encode_basestring (ensure_ascii=False): UTF-8 as is, quotes, backslashes and
 * control characters escaped. */
static void put_json_str(buf_t *b, const unsigned char *s, size_t n)
{
    if (buf_reserve(b, 2 + 6 * n) < 0)
        return;
    b->p[b->n++] = '"';
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        memcpy(b->p + b->n, s + run, i - run);
        b->n += i - run;
        run = i + 1;
        char e = short_escape(c);
        if (e) {
            b->p[b->n++] = '\\';
            b->p[b->n++] = e;
        } else {
            put_u4(b, c);
        }
    }
    memcpy(b->p + b->n, s + run, n - run);
    b->n += n - run;
    b->p[b->n++] = '"';
}

/* json.encoder.encode_basestring_ascii: printable ASCII as is, everything else escaped
 * (code points above U+FFFF as a UTF-16 surrogate pair). *s* is valid UTF-8. */
static void put_json_ascii(buf_t *b, const unsigned char *s, size_t n)
{
    if (buf_reserve(b, 2 + 12 * n) < 0)
        return;
    b->p[b->n++] = '"';
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len = 1;
        if (c >= 0xf0)
            c &= 0x07, len = 4;
        else if (c >= 0xe0)
            c &= 0x0f, len = 3;
        else if (c >= 0xc0)
            c &= 0x1f, len = 2;
        for (size_t k = 1; k < len; k++)
            c = (c << 6) | (s[i + k] & 0x3f);
        i += len;
        if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
            b->p[b->n++] = (char)c;
            continue;
        }
        char e = short_escape(c);
        if (e) {
            b->p[b->n++] = '\\';
            b->p[b->n++] = e;
        } else if (c >= 0x10000) {
            c -= 0x10000;
            put_u4(b, 0xd800 | ((c >> 10) & 0x3ff));
            put_u4(b, 0xdc00 | (c & 0x3ff));
        } else {
            put_u4(b, c);
        }
    }
    b->p[b->n++] = '"';
}

static void put_ll(buf_t *b, long long v)
{
    char tmp[32];
    int k = snprintf(tmp, sizeof(tmp), "%lld", v);
    put(b, tmp, (size_t)k);
}

static PyObject *K_PATH, *K_SIZE, *K_INODE, *K_DELETED, *K_ERROR, *K_MTIME, *K_ALG[3];
static const char *const ALG[3] = {"md5", "sha1", "sha256"};
static const char *const LABEL[3] = {"MD5", "SHA1", "SHA256"};

/* One record's fields, or -1: not a shape this code writes (the caller returns None). */
typedef struct {
    const unsigned char *path;
    Py_ssize_t path_n;
    long long size, inode;
    int has_inode, deleted;
    const char *digest[3];
    Py_ssize_t digest_n[3];
} fields_t;

/* The fields both reports read: path (UTF-8), size, inode; deleted as found (borrowed, NULL
 * when absent) for the caller's own rule. -1: not a shape this code writes. */
typedef struct {
    const unsigned char *path;
    Py_ssize_t path_n;
    long long size, inode;
    int has_inode;
    PyObject *deleted;
} common_t;

static int as_ll(PyObject *o, long long *out)
{
    int overflow = 0;
    *out = PyLong_AsLongLongAndOverflow(o, &overflow);
    return overflow || (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

static int common_fields(PyObject *rec, common_t *c)
{
    if (!PyDict_CheckExact(rec))
        return -1;
    PyObject *path = PyDict_GetItemWithError(rec, K_PATH);
    PyObject *size = PyDict_GetItemWithError(rec, K_SIZE);
    PyObject *inode = PyDict_GetItemWithError(rec, K_INODE);
    c->deleted = PyDict_GetItemWithError(rec, K_DELETED);
    if (PyErr_Occurred() || path == NULL || size == NULL || !PyUnicode_CheckExact(path) ||
        !PyLong_CheckExact(size) || (inode != NULL && inode != Py_None && !PyLong_CheckExact(inode)))
        return -1;
    c->path = (const unsigned char *)PyUnicode_AsUTF8AndSize(path, &c->path_n);
    if (c->path == NULL) /* lone surrogates: the Python code says what happens */
        return -1;
    c->has_inode = inode != NULL && inode != Py_None;
    c->inode = 0;
    if (as_ll(size, &c->size) < 0 || (c->has_inode && as_ll(inode, &c->inode) < 0))
        return -1;
    return 0;
}

static int get_fields(PyObject *rec, fields_t *f)
{
    common_t c;
    if (common_fields(rec, &c) < 0 || (c.deleted != Py_True && c.deleted != Py_False))
        return -1;
    f->path = c.path;
    f->path_n = c.path_n;
    f->size = c.size;
    f->inode = c.inode;
    f->has_inode = c.has_inode;
    f->deleted = c.deleted == Py_True;
    for (int a = 0; a < 3; a++) {
        PyObject *d = PyDict_GetItemWithError(rec, K_ALG[a]);
        f->digest[a] = NULL;
        f->digest_n[a] = 0;
        if (d == NULL) {
            if (PyErr_Occurred())
                return -1;
            continue;
        }
        if (d == Py_None)
            continue;
        if (!PyUnicode_CheckExact(d) || !PyUnicode_IS_ASCII(d))
            return -1;
        f->digest[a] = (const char *)PyUnicode_DATA(d);
        f->digest_n[a] = PyUnicode_GET_LENGTH(d);
    }
    return 0;
}

/* str(uuid.uuid5(namespace, name)) of the record, into u[37]. */
static int node_uuid(const unsigned char *ns, const fields_t *f, buf_t *scratch, char u[37])
{
    scratch->n = 0;
    put(scratch, (const char *)ns, 16);
    PUTS(scratch, "file:[");
    put_json_ascii(scratch, f->path, (size_t)f->path_n);
    PUTS(scratch, ", ");
    if (f->has_inode)
        put_ll(scratch, f->inode);
    else
        PUTS(scratch, "null");
    if (f->deleted)
        PUTS(scratch, ", true]");
    else
        PUTS(scratch, ", false]");
    if (scratch->failed)
        return -1;
    unsigned char h[20];
    digests_sha1(scratch->p, scratch->n, h);
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x50); /* version 5 */
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    char *o = u;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *o++ = '-';
        *o++ = HEX[h[i] >> 4];
        *o++ = HEX[h[i] & 0xf];
    }
    *o = 0;
    return 0;
}

static void put_size(buf_t *b, long long size)
{
    PUTS(b, "\"uco-observable:sizeInBytes\": {\"@type\": \"xsd:integer\", \"@value\": \"");
    put_ll(b, size);
    PUTS(b, "\"}");
}

static void put_node(buf_t *b, const fields_t *f, const char *u)
{
    PUTS(b, "{\"@id\": \"kb:file-");
    put(b, u, 36);
    PUTS(b, "\", \"@type\": \"uco-observable:File\", \"uco-core:hasFacet\": [{\"@id\": "
            "\"kb:file-facet-");
    put(b, u, 36);
    PUTS(b, "\", \"@type\": \"uco-observable:FileFacet\", \"uco-observable:fileName\": ");
    const unsigned char *slash = NULL;
    for (Py_ssize_t i = f->path_n; i > 0; i--)
        if (f->path[i - 1] == '/') {
            slash = f->path + i - 1;
            break;
        }
    if (slash == NULL)
        put_json_str(b, f->path, (size_t)f->path_n);
    else
        put_json_str(b, slash + 1, (size_t)(f->path + f->path_n - slash - 1));
    PUTS(b, ", \"uco-observable:filePath\": ");
    put_json_str(b, f->path, (size_t)f->path_n);
    PUTS(b, ", ");
    put_size(b, f->size);
    PUTS(b, ", \"uco-observable:isDirectory\": false}");
    int first = 1;
    for (int a = 0; a < 3; a++) {
        if (f->digest_n[a] == 0)
            continue;
        if (first) {
            PUTS(b, ", {\"@id\": \"kb:content-data-facet-");
            put(b, u, 36);
            PUTS(b, "\", \"@type\": \"uco-observable:ContentDataFacet\", ");
            put_size(b, f->size);
            PUTS(b, ", \"uco-observable:hash\": [");
            first = 0;
        } else {
            PUTS(b, ", ");
        }
        PUTS(b, "{\"@id\": \"kb:hash-");
        put(b, ALG[a], strlen(ALG[a]));
        PUTS(b, "-");
        put(b, u, 36);
        PUTS(b, "\", \"@type\": \"uco-types:Hash\", \"uco-types:hashMethod\": \"");
        put(b, LABEL[a], strlen(LABEL[a]));
        PUTS(b, "\", \"uco-types:hashValue\": {\"@type\": \"xsd:hexBinary\", \"@value\": \"");
        if (buf_reserve(b, (size_t)f->digest_n[a]) == 0) {
            for (Py_ssize_t i = 0; i < f->digest_n[a]; i++) {
                char c = f->digest[a][i];
                b->p[b->n++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
            }
        }
        PUTS(b, "\"}}");
    }
    if (!first)
        PUTS(b, "]}");
    PUTS(b, "]}");
}

PyObject *case_files(PyObject *self, PyObject *args)
{
    Py_buffer ns;
    PyObject *records;
    Py_ssize_t start, stop;
    if (!PyArg_ParseTuple(args, "y*O!nn", &ns, &PyList_Type, &records, &start, &stop))
        return NULL;
    if (ns.len != 16 || start < 0 || stop < start || stop > PyList_GET_SIZE(records)) {
        PyBuffer_Release(&ns);
        PyErr_SetString(PyExc_ValueError, "case_files: a 16-byte namespace and a slice");
        return NULL;
    }
    buf_t nodes = {0}, results = {0}, scratch = {0};
    PyObject *out = NULL;
    int bail = 0;
    PUTS(&results, "[");
    for (Py_ssize_t i = start; i < stop && !bail; i++) {
        fields_t f;
        char u[37];
        if (get_fields(PyList_GET_ITEM(records, i), &f) < 0 ||
            node_uuid(ns.buf, &f, &scratch, u) < 0) {
            bail = 1;
            break;
        }
        if (i > start) {
            PUTS(&nodes, ",\n");
            PUTS(&results, ", ");
        }
        put_node(&nodes, &f, u);
        PUTS(&results, "{\"@id\": \"kb:file-");
        put(&results, u, 36);
        PUTS(&results, "\"}");
    }
    PUTS(&results, "]");
    if (nodes.failed || results.failed) {
        PyErr_NoMemory();
    } else if (bail) {
        PyErr_Clear(); /* a shape this code does not write: the Python path decides */
        out = Py_NewRef(Py_None);
    } else {
        out = Py_BuildValue("(y#y#)", nodes.p ? nodes.p : "", (Py_ssize_t)nodes.n, results.p,
                            (Py_ssize_t)results.n);
    }
    free(nodes.p);
    free(results.p);
    free(scratch.p);
    PyBuffer_Release(&ns);
    return out;
}

/* -- DFXML ------------------------------------------------------------------------------ */

/* report._text: & < > escaped; C0 controls other than tab, LF, CR and U+FFFE/U+FFFF as \xNN. */
static void put_xml_text(buf_t *b, const unsigned char *s, size_t n)
{
    if (buf_reserve(b, 7 * n) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c == '&') {
            memcpy(b->p + b->n, "&amp;", 5), b->n += 5;
        } else if (c == '<') {
            memcpy(b->p + b->n, "&lt;", 4), b->n += 4;
        } else if (c == '>') {
            memcpy(b->p + b->n, "&gt;", 4), b->n += 4;
        } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            char e[4] = {'\\', 'x', HEX[c >> 4], HEX[c & 0xf]};
            memcpy(b->p + b->n, e, 4), b->n += 4;
        } else if (c == 0xef && i + 2 < n && s[i + 1] == 0xbf && (s[i + 2] & 0xfe) == 0xbe) {
            memcpy(b->p + b->n, s[i + 2] == 0xbe ? "\\xfffe" : "\\xffff", 6), b->n += 6;
            i += 2;
        } else {
            b->p[b->n++] = (char)c;
        }
    }
}

/* A str value, or NULL with *n = 0 for None / absent / "" (what `if value:` skips); -1: bail. */
static int opt_str(PyObject *rec, PyObject *key, const unsigned char **v, Py_ssize_t *n)
{
    PyObject *o = PyDict_GetItemWithError(rec, key);
    *v = NULL;
    *n = 0;
    if (o == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (o == Py_None)
        return 0;
    if (!PyUnicode_CheckExact(o))
        return -1;
    *v = (const unsigned char *)PyUnicode_AsUTF8AndSize(o, n);
    return *v == NULL ? -1 : 0;
}

static int put_fileobject(buf_t *b, PyObject *rec, Py_ssize_t id)
{
    common_t c;
    if (common_fields(rec, &c) < 0 ||
        (c.deleted != NULL && c.deleted != Py_None && c.deleted != Py_True &&
         c.deleted != Py_False))
        return -1;
    Py_ssize_t error_n, mtime_n, digest_n[3];
    const unsigned char *error, *mtime, *digest[3];
    if (opt_str(rec, K_ERROR, &error, &error_n) < 0 || opt_str(rec, K_MTIME, &mtime, &mtime_n) < 0)
        return -1;
    for (int a = 0; a < 3; a++)
        if (opt_str(rec, K_ALG[a], &digest[a], &digest_n[a]) < 0)
            return -1;
    PUTS(b, "<fileobject>\n<filename>");
    put_xml_text(b, c.path, (size_t)c.path_n);
    PUTS(b, "</filename>\n");
    if (error_n > 0) {
        PUTS(b, "<error>");
        put_xml_text(b, error, (size_t)error_n);
        PUTS(b, "</error>\n");
    }
    PUTS(b, "<id>");
    put_ll(b, (long long)id);
    PUTS(b, "</id>\n<filesize>");
    put_ll(b, c.size);
    PUTS(b, "</filesize>\n");
    if (c.deleted == Py_True)
        PUTS(b, "<alloc>0</alloc>\n");
    else
        PUTS(b, "<alloc>1</alloc>\n");
    if (c.has_inode) {
        PUTS(b, "<inode>");
        put_ll(b, c.inode);
        PUTS(b, "</inode>\n");
    }
    if (mtime_n > 0) {
        PUTS(b, "<mtime>");
        put_xml_text(b, mtime, (size_t)mtime_n);
        PUTS(b, "</mtime>\n");
    }
    for (int a = 0; a < 3; a++) {
        if (digest_n[a] == 0)
            continue;
        PUTS(b, "<hashdigest type='");
        put(b, ALG[a], strlen(ALG[a]));
        PUTS(b, "'>");
        put(b, (const char *)digest[a], (size_t)digest_n[a]);
        PUTS(b, "</hashdigest>\n");
    }
    PUTS(b, "</fileobject>");
    return 0;
}

PyObject *dfxml_files(PyObject *self, PyObject *args)
{
    PyObject *records;
    Py_ssize_t first_id;
    if (!PyArg_ParseTuple(args, "O!n", &PyList_Type, &records, &first_id))
        return NULL;
    buf_t out = {0};
    int bail = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(records); i++) {
        if (i > 0)
            PUTS(&out, "\n");
        if (put_fileobject(&out, PyList_GET_ITEM(records, i), first_id + i) < 0) {
            bail = 1;
            break;
        }
    }
    PyObject *res = NULL;
    if (out.failed) {
        PyErr_NoMemory();
    } else if (bail) {
        PyErr_Clear(); /* a shape this code does not write: the Python loop decides */
        res = Py_NewRef(Py_None);
    } else {
        res = PyBytes_FromStringAndSize(out.p ? out.p : "", (Py_ssize_t)out.n);
    }
    free(out.p);
    return res;
}

int reportwrite_init(void)
{
    K_PATH = PyUnicode_InternFromString("path");
    K_SIZE = PyUnicode_InternFromString("size");
    K_INODE = PyUnicode_InternFromString("inode");
    K_DELETED = PyUnicode_InternFromString("deleted");
    K_ERROR = PyUnicode_InternFromString("error");
    K_MTIME = PyUnicode_InternFromString("mtime");
    for (int a = 0; a < 3; a++)
        K_ALG[a] = PyUnicode_InternFromString(ALG[a]);
    if (!K_PATH || !K_SIZE || !K_INODE || !K_DELETED || !K_ERROR || !K_MTIME || !K_ALG[0] ||
        !K_ALG[1] || !K_ALG[2])
        return -1;
    return 0;
}
