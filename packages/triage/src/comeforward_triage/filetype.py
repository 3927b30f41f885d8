"""File type detection from magic bytes, never from the name.

Signatures: JPEG (ISO/IEC 10918-1 SOI marker), PNG (RFC 2083 §3.1), GIF (GIF87a/GIF89a),
BMP, TIFF (TIFF 6.0 §2 byte-order header), WebP (RIFF....WEBP), HEIF/AVIF (ISO/IEC 23008-12
``ftyp`` brands), ZIP (APPNOTE.TXT §4.3.7 local header / §4.3.16 end of central directory),
POSIX tar (``ustar`` at offset 257, POSIX.1-1988 §10.1.1). Only the first
:data:`HEAD_BYTES` bytes are looked at.

Videos (issue 12.2: an unmatched video is ungraded material, like an unmatched image) are
recognised by signature — ISO base media ``ftyp`` (MP4, QuickTime ``qt  ``, 3GP), AVI
(``RIFF....AVI ``), Matroska/WebM (EBML ``1A 45 DF A3``), FLV, ASF/WMV (header GUID),
MPEG program stream (pack start ``00 00 01 BA``) — and, where a listing has no type (the
file could not be read), by the name's extension (:func:`is_video_name`). Nothing here or
anywhere else decodes a frame.
"""

from __future__ import annotations

HEAD_BYTES = 512

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
CONTAINER_TYPES = frozenset({"application/zip", "application/x-tar"})
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
_FIRST_BYTES = frozenset(b"\xff\x89GBIMRP%\x1aF0\x00")


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
    if head[4:8] == b"ftyp":
        return _ftyp(head)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "application/zip"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "application/x-tar"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/x-matroska"  # Matroska and WebM (EBML header)
    if head.startswith(b"FLV\x01"):
        return "video/x-flv"
    if head.startswith(_ASF_GUID):
        return "video/x-ms-asf"
    if head.startswith(b"\x00\x00\x01\xba"):
        return "video/mpeg"
    return None


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
