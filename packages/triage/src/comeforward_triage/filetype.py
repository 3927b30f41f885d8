"""File type detection from magic bytes, never from the name.

Signatures: JPEG (ISO/IEC 10918-1 SOI marker), PNG (RFC 2083 §3.1), GIF (GIF87a/GIF89a),
BMP, TIFF (TIFF 6.0 §2 byte-order header), WebP (RIFF....WEBP), HEIF/AVIF (ISO/IEC 23008-12
``ftyp`` brands), ZIP (APPNOTE.TXT §4.3.7 local header / §4.3.16 end of central directory),
POSIX tar (``ustar`` at offset 257, POSIX.1-1988 §10.1.1), 7-Zip (``7z\xbc\xaf\x27\x1c``, 7-Zip's
7zFormat.txt "SignatureHeader"), RAR 4 and 5 (``Rar!\x1a\x07\x00`` / ``Rar!\x1a\x07\x01\x00``,
RARLAB's technote), gzip (RFC 1952 §2.3.1: ID1 ID2 = 1f 8b, CM = 8), bzip2 (``BZh`` + block
size digit + the block magic ``1AY&SY``), xz (``\xfd7zXZ\x00``, The .xz File Format §2.1.1.1) and
ISO 9660 (ECMA-119 §8.4: the primary volume descriptor at sector 16, 2048-byte sectors, byte
32769 holds ``CD001``). :func:`detect` looks at the first :data:`HEAD_BYTES` bytes;
:func:`detect_first` at the first read of a file, which reaches the ISO 9660 identifier, and
:func:`probe_iso9660` reads those five bytes from a stream (the native core hands back only a
head of :data:`HEAD_BYTES`).

Videos (issue 12.2: an unmatched video is ungraded material, like an unmatched image) are
recognised by signature — ISO base media ``ftyp`` (MP4, QuickTime ``qt  ``, 3GP), AVI
(``RIFF....AVI ``), Matroska/WebM (EBML ``1A 45 DF A3``), FLV, ASF/WMV (header GUID),
MPEG program stream (pack start ``00 00 01 BA``) — and, where a listing has no type (the
file could not be read), by the name's extension (:func:`is_video_name`). Only :mod:`.vpdq`
decodes frames (in memory, one at a time, for a perceptual hash); nothing is stored or shown.
"""

from __future__ import annotations

#: 32 KiB system area + the volume descriptor's type byte + ``CD001`` (ISO 9660).
HEAD_BYTES = 512
#: Where ISO 9660's ``CD001`` is (ECMA-119 §8.4), and the least a file must hold to carry it.
ISO9660_AT = 32769
ISO9660_MIN = ISO9660_AT + 5
ISO9660 = "application/x-iso9660-image"

IMAGE_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/bmp",
        "image/tiff",
        "image/webp",
        "image/heif",
        "image/avif",
    }
)
#: Walked by the standard library (ZIP, TAR) or libarchive (the rest; :mod:`.containers`).
CONTAINER_TYPES = frozenset(
    {
        "application/zip",
        "application/x-tar",
        "application/x-7z-compressed",
        "application/vnd.rar",
        "application/gzip",
        "application/x-bzip2",
        "application/x-xz",
        "application/x-iso9660-image",
    }
)

VIDEO_TYPES = frozenset(
    {
        "video/mp4",
        "video/quicktime",
        "video/3gpp",
        "video/x-msvideo",
        "video/x-matroska",
        "video/x-flv",
        "video/x-ms-asf",
        "video/mpeg",
    }
)
#: Extensions of video files, for a listed file with no detected type (lower case, with dot).
VIDEO_EXTENSIONS = frozenset(
    {
        ".3g2",
        ".3gp",
        ".asf",
        ".avi",
        ".divx",
        ".f4v",
        ".flv",
        ".m2ts",
        ".m4v",
        ".mkv",
        ".mov",
        ".mp4",
        ".mpeg",
        ".mpg",
        ".mts",
        ".ogv",
        ".ts",
        ".vob",
        ".webm",
        ".wmv",
    }
)
_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


#: The first byte of every signature above that starts at offset 0: a head starting with
#: anything else can only be ``ftyp`` (offset 4) or ``ustar`` (offset 257) — checked first,
#: because most files of a disk are neither (this is called once per file).
_FIRST_BYTES = frozenset(b"\xff\x89GBIMRP%7\x1f\xfd\x1aF0\x00")


def detect(head: bytes) -> str | None:
    """Return a MIME type for the leading bytes of a file, or None when unknown."""
    if not head or head[0] not in _FIRST_BYTES:
        if head[4:8] == b"ftyp":
            return _ftyp(head)
        if len(head) >= 262 and head[257:262] == b"ustar":
            return "application/x-tar"
        return None
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"BM") and len(head) >= 26 and head[6:10] == b"\x00\x00\x00\x00":
        return "image/bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/x-matroska"  # Matroska and WebM (EBML header)
    if head[4:8] == b"ftyp":
        return _ftyp(head)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "application/zip"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "application/x-tar"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "application/x-7z-compressed"
    if head.startswith((b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")):
        return "application/vnd.rar"
    if head.startswith(b"\x1f\x8b\x08"):
        return "application/gzip"
    if head.startswith(b"BZh") and head[3:4].isdigit() and head[4:10] == b"1AY&SY":
        return "application/x-bzip2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "application/x-xz"
    if head.startswith(b"FLV\x01"):
        return "video/x-flv"
    if head.startswith(_ASF_GUID):
        return "video/x-ms-asf"
    if head.startswith(b"\x00\x00\x01\xba"):
        return "video/mpeg"
    return None


def detect_first(first: bytes) -> str | None:
    """The type from a file's first read (any length): :func:`detect` on its head, else ISO
    9660 if the read reaches the volume descriptor."""
    kind = detect(first[:HEAD_BYTES])
    if kind is None and len(first) >= ISO9660_MIN and first[ISO9660_AT:ISO9660_MIN] == b"CD001":
        return ISO9660
    return kind


def probe_iso9660(stream: object) -> str | None:
    """ISO 9660 if the seekable *stream* holds ``CD001`` at :data:`ISO9660_AT` (else None)."""
    try:
        stream.seek(ISO9660_AT)  # type: ignore[attr-defined]
        found = stream.read(5)  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):
        return None
    return ISO9660 if found == b"CD001" else None


def _ftyp(head: bytes) -> str:
    brand = head[8:12]
    if brand in (b"avif", b"avis"):
        return "image/avif"
    if brand in _HEIF_BRANDS:
        return "image/heif"
    if brand == b"qt  ":
        return "video/quicktime"
    if brand.startswith(b"3g"):
        return "video/3gpp"
    return "video/mp4"


def is_image(mime: str | None) -> bool:
    return mime in IMAGE_TYPES


def is_video(mime: str | None) -> bool:
    return mime in VIDEO_TYPES


def is_video_name(path: str) -> bool:
    """A video by its name's extension (only for a file whose bytes gave no type)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    return dot > 0 and name[dot:] in VIDEO_EXTENSIONS


def is_video_record(rec: dict) -> bool:
    """A listed file (``files.jsonl`` record) that is a video: by its detected type, or by
    its name when no type was detected."""
    kind = rec.get("type")
    if kind:
        return is_video(kind)
    path = rec.get("path")
    return isinstance(path, str) and is_video_name(path)


def is_container(mime: str | None) -> bool:
    return mime in CONTAINER_TYPES
