"""PDQ perceptual hashes of image files, computed from a reduced-size decode.

Only hashes leave this module: image content is decoded into memory, reduced to a 64x64 luma
grid, and discarded. Nothing is written anywhere.

Algorithm (research ``forensic-triage.md`` §2.1, confirmed there against Meta's reference code
``facebook/ThreatExchange:pdq/cpp/hashing/pdqhashing.cpp``):

1. luma ``Y = 0.299 R + 0.587 G + 0.114 B`` (float);
2. two passes of a 1-D box filter along rows and columns, window ``ceil(dim / 128)``
   (the Jarosz tent filter);
3. decimation to 64x64 at ``floor((i + 0.5) * dim / 64)``;
4. quality = sum of ``int(|u - v| * 100 / 255)`` over neighbouring 64x64 pixels, ``// 90``,
   capped at 100;
5. DCT rows 1..16 (DC excluded) → 16x16 coefficients; bit ``16 i + j`` is set iff the
   coefficient is strictly greater than the lower median (Torben's median of 256 values);
6. hex = 16-bit words ``w[15] … w[0]`` (bit 255 first).

Because steps 2-3 are linear, they are applied here as two small matrices
``M_rows (64 x H)`` and ``M_cols (64 x W)``: ``grid = M_rows @ Y @ M_cols.T``. In ``fast`` mode
(the default) the image is decoded at 1/k scale (JPEG DCT scaling via :meth:`PIL.Image.draft`,
:meth:`PIL.Image.reduce` block averaging for other formats) and each reduced pixel gets the
*summed* full-resolution filter weights of the k x k block it averages — so the reduced decode
approximates the full-resolution reference filter instead of re-filtering a smaller picture.

Measured tolerance of ``fast`` against ``reference`` (full-resolution pixels), on the benign
ThreatExchange photographs in ``shared/testdata/pdq`` — see ``tests/test_perceptual.py``:
at most :data:`FAST_MODE_TOLERANCE_BITS` bits (Meta's own conformance rule allows 10 bits for
quality ≥ 80, research §2.2). ``reference`` mode reproduces the Java reference hash of
``bridge-1-original.jpg`` bit-for-bit (research §2.5 A).

EXIF orientation is **not** applied (ADR ``docs/adr/0101-pdq-exif-orientation.md``): the hash
is of the stored pixels, as in Meta's reference hashers; the eight dihedral variants make a
match independent of orientation.

Thresholds (research §2.2): a match is Hamming distance ≤ 31; hashes with quality < 50 are
recorded but never matched (:func:`is_matchable`).
"""

from __future__ import annotations

import io
import math
import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError

from comeforward_triage.errors import InvalidHash, TriageError

__all__ = [
    "DIHEDRAL_NAMES",
    "FAST_MODE_TOLERANCE_BITS",
    "MATCH_RADIUS",
    "MIN_HASHABLE_DIM",
    "QUALITY_THRESHOLD",
    "SUPPORTED_FORMATS",
    "ImageTooLarge",
    "PdqResult",
    "compute_pdq",
    "compute_pdq_path",
    "dihedral_variants",
    "hamming",
    "hashes_to_array",
    "is_matchable",
    "pdq_from_bytes",
    "pdq_from_path",
]

#: Match threshold ``PDQ_CONFIDENT_MATCH_THRESHOLD`` and the quality below which hashes are
#: recorded but never matched (research §2.2): defined numpy-free in :mod:`.pdqconst`.
from comeforward_triage.pdqconst import MATCH_RADIUS, QUALITY_THRESHOLD  # noqa: E402

#: Images with a side below this are not hashed: all-zero hash, quality 0 (research §2.1).
MIN_HASHABLE_DIM = 5
#: Largest ``fast``-vs-``reference`` difference measured on ``shared/testdata/pdq`` (bits).
FAST_MODE_TOLERANCE_BITS = 4
#: Order of :attr:`PdqResult.dihedral` and :func:`dihedral_variants` (pdqhash / reference order).
DIHEDRAL_NAMES = (
    "original",
    "rotate90",
    "rotate180",
    "rotate270",
    "flipx",
    "flipy",
    "flip_plus1",
    "flip_minus1",
)
#: Pillow decoders tried. The JPEG decoder also opens MPO (multi-picture JPEG, written by
#: many phones), whose first picture is hashed.
SUPPORTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF")
#: Pixel limit for JPEGs, which are decoded at up to 1/8 scale (Pillow's default bomb limit
#: still applies to formats that must be decoded in full).
MAX_JPEG_PIXELS = 1_000_000_000

Mode = Literal["fast", "reference"]

_LUMA_R, _LUMA_G, _LUMA_B = 0.299, 0.587, 0.114
_REDUCIBLE_MODES = ("RGB", "RGBA", "L", "LA", "CMYK")


class ImageTooLarge(TriageError):
    """The image declares more pixels than may be decoded safely (decompression bomb guard)."""

    code = "IMAGE_TOO_LARGE"


@dataclass(frozen=True, slots=True)
class PdqResult:
    """PDQ hash, quality and the eight dihedral variants of one image.

    ``dihedral`` is computed exactly from the DCT coefficients (research §2.1 step 9), in the
    order of :data:`DIHEDRAL_NAMES`; ``dihedral[0] == hash``. ``width``/``height`` are the
    stored (un-rotated) pixel dimensions; ``scale`` is the decode reduction factor used.
    """

    hash: str
    quality: int
    dihedral: tuple[str, ...]
    width: int
    height: int
    scale: int

    @property
    def matchable(self) -> bool:
        return is_matchable(self.quality)


def is_matchable(quality: int) -> bool:
    """True iff a hash of this quality may be matched (quality ≥ 50, research §2.2)."""
    return quality >= QUALITY_THRESHOLD


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def compute_pdq(data: bytes, *, mode: Mode = "fast") -> tuple[str, int] | None:
    """Return ``(hex hash, quality)`` of an image held in memory, or None if not decodable."""
    result = pdq_from_bytes(data, mode=mode)
    return None if result is None else (result.hash, result.quality)


def compute_pdq_path(
    path: str | os.PathLike[str], *, mode: Mode = "fast"
) -> tuple[str, int] | None:
    """Return ``(hex hash, quality)`` of an image file, or None if not decodable.

    The file is opened read-only; a missing or unreadable file raises :class:`OSError`.
    """
    result = pdq_from_path(path, mode=mode)
    return None if result is None else (result.hash, result.quality)


def pdq_from_bytes(data: bytes, *, mode: Mode = "fast") -> PdqResult | None:
    """Full :class:`PdqResult` of an image held in memory, or None if not decodable."""
    return _pdq_from_stream(io.BytesIO(data), mode)


def pdq_from_path(path: str | os.PathLike[str], *, mode: Mode = "fast") -> PdqResult | None:
    """Full :class:`PdqResult` of an image file, or None if not decodable."""
    with open(path, "rb") as fh:
        return _pdq_from_stream(fh, mode)


def hamming(a: str, b: str) -> int:
    """Hamming distance between two 64-hex-digit PDQ hashes."""
    return (_hex_to_int(a) ^ _hex_to_int(b)).bit_count()


def hashes_to_array(hashes: list[str] | tuple[str, ...]) -> np.ndarray:
    """Pack hex hashes into a ``uint8 [N, 32]`` array (big-endian, as :mod:`pdqindex` wants)."""
    out = np.empty((len(hashes), 32), dtype=np.uint8)
    for row, h in enumerate(hashes):
        _hex_to_int(h)  # validates
        out[row] = np.frombuffer(bytes.fromhex(h), dtype=np.uint8)
    return out


def dihedral_variants(pdq_hash: str) -> list[str]:
    """The eight dihedral variants of a hash, from the hash alone, in :data:`DIHEDRAL_NAMES` order.

    Rotations and flips of the image act on the 16x16 DCT coefficients as transposes and
    sign changes (research §2.1 step 9). A transpose permutes bits exactly; a sign change is
    approximated by inverting the bit, which is exact except for coefficients lying between
    the old and new median (close to zero). For the eight bridge photographs the variants of
    the original are within 14 bits of the hashes of the rotated files (measured in
    ``tests/test_perceptual.py``). Where the image is at hand, prefer the exact
    :attr:`PdqResult.dihedral`.
    """
    value = _hex_to_int(pdq_hash)
    bits = np.array([(value >> k) & 1 for k in range(256)], dtype=bool).reshape(16, 16)
    return [_bits_to_hex(v) for v in _dihedral_transforms(bits, invert=np.logical_not)]


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------


def _pdq_from_stream(stream: io.BufferedIOBase | io.BytesIO, mode: Mode) -> PdqResult | None:
    if mode not in ("fast", "reference"):
        raise ValueError(f"unknown PDQ mode {mode!r}")
    # A truncated image must not be hashed as if it were whole. Pillow's switch is global and
    # some libraries turn it on at import (WeasyPrint does, in the web worker), so make sure
    # it is off whenever we decode evidence.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(stream, formats=SUPPORTED_FORMATS) as im:
                return _pdq_from_image(im, mode)
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(str(exc), details={"limit_pixels": Image.MAX_IMAGE_PIXELS})
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        # Not an image, an unsupported format, or truncated / corrupt data.
        return None


def _pdq_from_image(im: Image.Image, mode: Mode) -> PdqResult:
    width, height = im.size
    if width * height > MAX_JPEG_PIXELS:
        raise ImageTooLarge(
            f"image declares {width}x{height} pixels",
            details={"width": width, "height": height, "limit_pixels": MAX_JPEG_PIXELS},
        )
    if width < MIN_HASHABLE_DIM or height < MIN_HASHABLE_DIM:
        zero = "0" * 64
        return PdqResult(zero, 0, (zero,) * 8, width, height, 1)
    scale = 1 if mode == "reference" else _choose_scale(width, height)
    if scale > 1 and im.format in ("JPEG", "MPO"):
        im.draft("RGB", (width // scale, height // scale))
    im.load()  # GIF / TIFF / WebP: first frame
    if im.size != (width, height):  # the JPEG decoder reduced (DCT scaling)
        scale = _inferred_scale(width, height, *im.size)
        luma = _luma(im)
    elif scale > 1 and im.mode in _REDUCIBLE_MODES:
        luma = _luma(im.reduce(scale))  # block mean on 8-bit data, in C
    else:
        luma = _luma(im)
        if scale > 1:
            luma = _block_mean(luma, scale)
    grid = _filter_matrix(height, scale) @ luma @ _filter_matrix(width, scale).T
    quality = _quality(grid)
    dct = _DCT @ grid @ _DCT.T
    variants = tuple(_bits_to_hex(_bits(v)) for v in _dihedral_transforms(dct, invert=np.negative))
    return PdqResult(variants[0], quality, variants, width, height, scale)


def _choose_scale(width: int, height: int) -> int:
    """Largest of 8, 4, 2, 1 not above half the reference filter window of the shorter side.

    Each reduced pixel then spans at most half a box-filter window, so its summed weights stay
    close to the full-resolution filter (measured: ≤ 4 bits on shared/testdata/pdq; 256 px
    images reduced 2x drifted by up to 30 bits, hence the rule).
    """
    half_window = (min(width, height) + 127) // 128 // 2
    for scale in (8, 4, 2):
        if scale <= half_window:
            return scale
    return 1


def _inferred_scale(width: int, height: int, reduced_w: int, reduced_h: int) -> int:
    for scale in (1, 2, 4, 8):
        if (reduced_w, reduced_h) == (-(-width // scale), -(-height // scale)):
            return scale
    raise ValueError(f"unexpected reduced size {reduced_w}x{reduced_h} of {width}x{height}")


def _luma(im: Image.Image) -> np.ndarray:
    """Luma as float64, reduced by block averaging if the decoder did not already reduce.

    Alpha is ignored (as Meta's Java reference does); 16-bit grey is scaled to 0..255.
    """
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        return np.asarray(im, dtype=np.float64) / 257.0
    if im.mode in ("I", "F"):
        return np.clip(np.asarray(im, dtype=np.float64), 0.0, 255.0)
    if im.mode == "L":
        return np.asarray(im, dtype=np.float64)
    rgb = np.asarray(im if im.mode == "RGB" else im.convert("RGB"), dtype=np.float32)
    luma = rgb[:, :, 0] * _LUMA_R + rgb[:, :, 1] * _LUMA_G + rgb[:, :, 2] * _LUMA_B
    return luma.astype(np.float64)


def _block_mean(luma: np.ndarray, scale: int) -> np.ndarray:
    """Mean of each ``scale x scale`` block; partial edge blocks average what they hold."""
    rows = np.add.reduceat(luma, np.arange(0, luma.shape[0], scale), axis=0)
    sums = np.add.reduceat(rows, np.arange(0, luma.shape[1], scale), axis=1)
    counts_r = np.diff(np.append(np.arange(0, luma.shape[0], scale), luma.shape[0]))
    counts_c = np.diff(np.append(np.arange(0, luma.shape[1], scale), luma.shape[1]))
    return sums / np.outer(counts_r, counts_c)


# --------------------------------------------------------------------------------------------
# Jarosz filter + decimation as a matrix, DCT, quality, bits
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _filter_matrix(length: int, scale: int) -> np.ndarray:
    """``64 x ceil(length / scale)`` weights: two box passes, decimation, block summation.

    Row ``i`` holds the weight of each input pixel in output sample ``i`` of the reference
    ``jaroszFilterFloat`` + ``decimateFloat`` (pdqhashing.cpp / downscaling.cpp).
    """
    full = (length + 127) // 128  # computeJaroszFilterWindowSize(length, 64)
    half = (full + 2) // 2
    left, right = full - half, half - 1
    pos = np.arange(length)
    lo = np.maximum(pos - left, 0)
    hi = np.minimum(pos + right, length - 1)
    inv_count = 1.0 / (hi - lo + 1)
    samples = np.floor((np.arange(64) + 0.5) * length / 64).astype(np.int64)
    weights = np.zeros((64, length + 1))
    for row, centre in enumerate(samples):
        outer = np.arange(lo[centre], hi[centre] + 1)  # first-pass outputs feeding the sample
        w = inv_count[centre] * inv_count[outer]
        np.add.at(weights[row], lo[outer], w)
        np.add.at(weights[row], hi[outer] + 1, -w)
    matrix = np.cumsum(weights, axis=1)[:, :length]
    if scale > 1:
        matrix = np.add.reduceat(matrix, np.arange(0, length, scale), axis=1)
    matrix.setflags(write=False)
    return matrix


def _dct_matrix() -> np.ndarray:
    i = np.arange(1, 17)[:, None]
    j = np.arange(64)[None, :]
    return math.sqrt(2.0 / 64.0) * np.cos(math.pi / 128.0 * i * (2 * j + 1))


_DCT = _dct_matrix()


def _quality(grid: np.ndarray) -> int:
    """Image-domain quality metric (``computePDQImageDomainQualityMetric``)."""
    vertical = np.trunc(np.abs((grid[:-1, :] - grid[1:, :]) * 100.0 / 255.0))
    horizontal = np.trunc(np.abs((grid[:, :-1] - grid[:, 1:]) * 100.0 / 255.0))
    total = int(vertical.sum() + horizontal.sum())
    return min(total // 90, 100)


def _bits(dct: np.ndarray) -> np.ndarray:
    """Bit ``16 i + j`` iff coefficient > lower median (Torben's median of 256 values)."""
    median = np.partition(dct.ravel(), 127)[127]
    return dct > median


def _bits_to_hex(bits: np.ndarray) -> str:
    return np.packbits(bits.ravel()[::-1].astype(np.uint8)).tobytes().hex()


def _dihedral_transforms(m: np.ndarray, *, invert) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    """The eight dihedral images of a 16x16 DCT (or its bits), reference order.

    Index ``i`` is DCT frequency ``i + 1``: even indices are odd frequencies, whose basis
    functions change sign under reflection (research §2.1 step 9).
    """
    idx = np.arange(16)
    even_rows = (idx % 2 == 0)[:, None] & np.ones((1, 16), dtype=bool)
    even_cols = even_rows.T
    odd_sum = ((idx[:, None] + idx[None, :]) % 2) == 1

    def neg(a: np.ndarray, where: np.ndarray) -> np.ndarray:
        return np.where(where, invert(a), a)

    t = m.T
    return [
        m,
        neg(t, even_rows),  # rotate 90
        neg(m, odd_sum),  # rotate 180
        neg(t, even_cols),  # rotate 270
        neg(m, even_rows),  # flip x
        neg(m, even_cols),  # flip y
        t,  # flip +1 (transpose)
        neg(t, odd_sum),  # flip -1
    ]


def _hex_to_int(value: str) -> int:
    if not isinstance(value, str) or len(value) != 64:
        raise InvalidHash("a PDQ hash is 64 hexadecimal digits", details={"hash": repr(value)})
    try:
        return int(value, 16)
    except ValueError:
        raise InvalidHash("a PDQ hash is 64 hexadecimal digits", details={"hash": value})
