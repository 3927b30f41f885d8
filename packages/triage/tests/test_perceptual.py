"""PDQ hashing: reference vectors, fast-mode tolerance, quality gate, formats, dihedral set.

Test images are the benign ThreatExchange photographs in ``shared/testdata/pdq`` and images
generated here from seeded noise. Expected hashes: research ``forensic-triage.md`` §2.5.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pdqhash
import pytest
from comeforward_triage.errors import InvalidHash
from comeforward_triage.perceptual import (
    DIHEDRAL_NAMES,
    FAST_MODE_TOLERANCE_BITS,
    MATCH_RADIUS,
    ImageTooLarge,
    compute_pdq,
    compute_pdq_path,
    dihedral_variants,
    hamming,
    hashes_to_array,
    is_matchable,
    pdq_from_bytes,
    pdq_from_path,
)
from PIL import Image


def _find_testdata() -> Path:
    for parent in Path(__file__).resolve().parents:
        for candidate in (
            parent / "shared" / "testdata" / "pdq",
            parent.parent / "shared" / "testdata" / "pdq",
        ):
            if candidate.is_dir():
                return candidate
    return Path("/work/shared/testdata/pdq")


PDQ_DATA = _find_testdata()
REG = PDQ_DATA / "reg-test-input"
BRIDGE = REG / "dih" / "bridge-1-original.jpg"
pytestmark = pytest.mark.skipif(not PDQ_DATA.is_dir(), reason="shared/testdata/pdq missing")

# §2.5 A — Java reference (PDQHasherTest.java)
JAVA_BRIDGE_1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
JAVA_BRIDGE_2 = "30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af"

# §2.5 B — C++ CLI (CImg decode, 512x512 resize), with quality
CPP_HASHES = {
    "dih/b-1-original.jpg": "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22",
    "dih/b-2-rotate-90.jpg": "b0a10efd71cc3f429413d48d0ffffe12e34e0e17ada952a9d29684210aa9e5af",
    "dih/b-3-rotate-180.jpg": "adad5a64b5a142e55362a09057dacd5ae63b847fc23794b766b319361fc93188",
    "dih/b-4-rotate-270.jpg": "a5f4a457a48995e8c9065c275aaa5498b61ba4bdf8fcf80387c32f8b0bfc4f05",
    "dih/b-5-flipx.jpg": "f8f80f31e0f417b00e37f5cd028f980fb36ed02a9662c1e233e6cc634e9c64dd",
    "dih/b-6-flipy.jpg": "8dad2599b1a1bd1853625f6553da32a1e63b7280c2374b4866b366c91bc9ce77",
    "dih/b-7-flip-plus-1.jpg": "f0a1f102f1dcc0bd9c5309720fff018de34ef1e8ada9a956d2967ade0ea91a50",
    "dih/b-8-flip-minus-1.jpg": "a5f05ba8a4896a17c106a3da5aaaab07b61b5b42f8fc07fc83c3d0740bfcb0fa",
    "labelme-subset/q0122.jpg": "cfb2009ddd21c6dab0846a7745b5984757a8a4535b3377aea2591d32b33ff840",
    "labelme-subset/q0291.jpg": "a0fe94f1e5cc1cc8dd855948498dc9243f7ca27336f036d7f212b74bc103c9a7",
    "labelme-subset/q0746.jpg": "3049d96239e24d4dca2c55512b8b9b77425f4dbcf575a0a95555aaab5554aaaa",
    "labelme-subset/q1050.jpg": "489db672e9190276d452aeab41eba20f02375fe4092d88defdf491a5c55c5f70",
    "labelme-subset/q2821.jpg": "b150231ffae4710ffcf4f18bb574b109a576f14bb8543189f8743289f174b109",
    "pen-and-coaster.png": "1f811b9d2e7fbc6613c0c3f30e041f9df69b836303e10f067fcdfc12c02d01f9",
}
# Meta's conformance rule for a different decoder: ≤ 10 bits at quality ≥ 80 (research §2.2).
META_TOLERANCE_BITS = 10

ALL_IMAGES = sorted(p for p in PDQ_DATA.rglob("*") if p.suffix in (".jpg", ".png", ".webp"))


def _pdqhash_hex(vector: np.ndarray) -> str:
    return np.packbits(np.asarray(vector, dtype=np.uint8)).tobytes().hex()


def _textured(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """Seeded, non-photographic test picture: smooth blobs + noise (quality 100)."""
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w] / max(w, h)
    base = np.zeros((h, w, 3))
    for _ in range(12):
        cx, cy, r = rng.random(3)
        colour = rng.random(3) * 255
        mask = ((x - cx) ** 2 + (y - cy) ** 2) < (0.05 + 0.2 * r) ** 2
        base[mask] = colour
    base += rng.normal(0, 8, base.shape)
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")


def _encode(im: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kwargs)
    return buf.getvalue()


# ---------------------------------------------------------------- reference correctness


def test_reference_mode_reproduces_java_hash_of_bridge_exactly() -> None:
    assert compute_pdq_path(BRIDGE, mode="reference") == (JAVA_BRIDGE_1, 100)
    assert compute_pdq_path(REG / "dih" / "bridge-2-rotate-90.jpg", mode="reference") == (
        JAVA_BRIDGE_2,
        100,
    )


def test_reference_mode_equals_pdqhash_on_full_resolution_pixels_all_eight_variants() -> None:
    pixels = np.asarray(Image.open(BRIDGE).convert("RGB"))
    vectors, quality = pdqhash.compute_dihedral(pixels)
    ours = pdq_from_path(BRIDGE, mode="reference")
    assert ours is not None
    assert ours.quality == quality == 100
    assert list(ours.dihedral) == [_pdqhash_hex(v) for v in vectors]
    assert ours.dihedral[0] == JAVA_BRIDGE_1


@pytest.mark.parametrize("path", ALL_IMAGES, ids=lambda p: str(p.relative_to(PDQ_DATA)))
def test_fast_mode_within_measured_tolerance_of_reference(path: Path) -> None:
    fast = pdq_from_path(path)
    ref = pdq_from_path(path, mode="reference")
    assert fast is not None and ref is not None
    assert (fast.width, fast.height) == (ref.width, ref.height)
    assert hamming(fast.hash, ref.hash) <= FAST_MODE_TOLERANCE_BITS
    assert abs(fast.quality - ref.quality) <= 1


def test_twelve_megapixel_photo_is_hashed_from_an_eighth_scale_decode() -> None:
    fast = pdq_from_path(REG / "exif-rotn" / "exif-rotn-1.jpg")
    assert fast is not None
    assert (fast.width, fast.height, fast.scale) == (4032, 3024, 8)
    assert fast.quality == 100


def test_bridge_is_decoded_at_quarter_scale_and_small_images_at_full_scale() -> None:
    assert pdq_from_path(BRIDGE).scale == 4  # 1600x1004
    assert pdq_from_path(REG / "labelme-subset" / "q0122.jpg").scale == 1  # 256x256


@pytest.mark.parametrize("name", sorted(CPP_HASHES))
def test_fast_mode_within_meta_tolerance_of_cpp_reference(name: str) -> None:
    pdq_hash, quality = compute_pdq_path(REG / name.replace("dih/b-", "dih/bridge-"))
    assert quality == 100
    assert hamming(pdq_hash, CPP_HASHES[name]) <= META_TOLERANCE_BITS


def test_fast_mode_bridge_within_two_bits_of_java_reference() -> None:
    pdq_hash, _ = compute_pdq_path(BRIDGE)
    assert hamming(pdq_hash, JAVA_BRIDGE_1) == 2


# ---------------------------------------------------------------- quality gate


@pytest.mark.parametrize(("name", "quality"), [("q0003.jpg", 3), ("q0004.jpg", 4)])
def test_low_quality_images_are_recorded_but_never_matchable(name: str, quality: int) -> None:
    result = pdq_from_path(REG / "labelme-subset" / name)
    assert result is not None
    assert result.quality == quality
    assert len(result.hash) == 64
    assert result.matchable is False


@pytest.mark.parametrize(
    ("quality", "expected"), [(0, False), (49, False), (50, True), (100, True)]
)
def test_quality_threshold_edges(quality: int, expected: bool) -> None:
    assert is_matchable(quality) is expected


def test_flat_image_has_quality_zero() -> None:
    flat = Image.new("RGB", (200, 100), (120, 130, 140))
    assert compute_pdq(_encode(flat, "PNG"))[1] == 0


# ---------------------------------------------------------------- bridge-mods and dihedral


BRIDGE_MODS = sorted((PDQ_DATA / "bridge-mods").glob("*.jpg"))


@pytest.mark.parametrize("path", BRIDGE_MODS, ids=lambda p: p.name)
def test_bridge_mods_match_original_within_radius(path: Path) -> None:
    original, _ = compute_pdq_path(BRIDGE)
    modified, quality = compute_pdq_path(path)
    assert quality >= 50
    assert hamming(original, modified) <= MATCH_RADIUS


DIH_FILES = sorted((REG / "dih").glob("bridge-*.jpg"))


def test_exact_dihedral_variants_match_the_rotated_files() -> None:
    original = pdq_from_path(BRIDGE)
    files = [compute_pdq_path(p)[0] for p in DIH_FILES]
    distances = [hamming(a, b) for a, b in zip(original.dihedral, files, strict=True)]
    assert distances == [0, 0, 8, 6, 6, 0, 0, 8]
    # ... and every rotated file is far from every other variant (no accidental matches)
    for i, file_hash in enumerate(files):
        for j, variant in enumerate(original.dihedral):
            if i != j:
                assert hamming(file_hash, variant) > 90


def test_dihedral_variants_from_hash_alone() -> None:
    original = pdq_from_path(BRIDGE)
    variants = dihedral_variants(original.hash)
    assert len(variants) == len(DIHEDRAL_NAMES) == 8
    assert variants[0] == original.hash
    assert variants[6] == original.dihedral[6]  # transpose is exact
    files = [compute_pdq_path(p)[0] for p in DIH_FILES]
    assert [hamming(a, b) for a, b in zip(variants, files, strict=True)] == [
        0,
        14,
        6,
        4,
        4,
        14,
        0,
        6,
    ]


def test_dihedral_variants_from_hash_are_a_group_action() -> None:
    h = JAVA_BRIDGE_1
    rot90 = dihedral_variants(h)[1]
    # rotating four times (by bits) returns the original; flip twice is identity
    r = h
    for _ in range(4):
        r = dihedral_variants(r)[1]
    assert r == h
    assert dihedral_variants(dihedral_variants(h)[4])[4] == h
    assert dihedral_variants(rot90)[3] == h


# ---------------------------------------------------------------- formats and modes


@pytest.mark.parametrize(
    ("fmt", "kwargs", "max_bits"),
    [
        ("PNG", {}, 0),
        ("BMP", {}, 0),
        ("TIFF", {}, 0),
        ("WEBP", {"lossless": True}, 0),
        ("JPEG", {"quality": 95}, 8),
        ("GIF", {}, 16),
    ],
)
def test_every_supported_format_hashes_close_to_the_lossless_original(
    fmt: str, kwargs: dict[str, object], max_bits: int
) -> None:
    im = _textured(1)
    expected = compute_pdq(_encode(im, "PNG"))
    got = compute_pdq(_encode(im, fmt, **kwargs))
    assert expected is not None and got is not None
    assert expected[1] == 100 and got[1] >= 50
    assert hamming(expected[0], got[0]) <= max_bits


def test_gif_uses_the_first_frame() -> None:
    first, second = _textured(2), _textured(3)
    animated = io.BytesIO()
    first.save(animated, "GIF", save_all=True, append_images=[second], duration=100)
    single = compute_pdq(_encode(first, "GIF"))
    assert compute_pdq(animated.getvalue()) == single
    assert hamming(single[0], compute_pdq(_encode(second, "GIF"))[0]) > MATCH_RADIUS


def test_alpha_is_ignored_like_the_java_reference() -> None:
    rgb = _textured(4)
    rgba = rgb.copy()
    rgba.putalpha(Image.new("L", rgb.size, 0))  # fully transparent
    assert compute_pdq(_encode(rgba, "PNG")) == compute_pdq(_encode(rgb, "PNG"))


def test_sixteen_bit_grey_matches_eight_bit_grey() -> None:
    grey = np.asarray(_textured(5).convert("L"), dtype=np.uint16)
    eight = compute_pdq(_encode(Image.fromarray(grey.astype(np.uint8), "L"), "PNG"))
    im16 = Image.fromarray((grey * 257).astype("<u2"))
    assert im16.mode == "I;16"
    sixteen = compute_pdq(_encode(im16, "PNG"))
    assert sixteen == eight


def test_exif_orientation_is_not_applied() -> None:
    """ADR 0101: the hash is of the stored pixels, whatever the Orientation tag says."""
    im = _textured(6)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW on display
    plain = compute_pdq(_encode(im, "PNG"))
    tagged = compute_pdq(_encode(im, "PNG", exif=exif))
    assert Image.open(io.BytesIO(_encode(im, "PNG", exif=exif))).getexif()[0x0112] == 6
    assert tagged == plain


def test_data_and_path_give_the_same_result(tmp_path: Path) -> None:
    data = BRIDGE.read_bytes()
    assert compute_pdq(data) == compute_pdq_path(BRIDGE)
    assert pdq_from_bytes(data) == pdq_from_path(BRIDGE)


# ---------------------------------------------------------------- not images, edge sizes


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", b"%PDF-1.7\n", b"\xff\xd8\xff\xe0" + b"\x00" * 40],
    ids=["empty", "text", "pdf", "jpeg-magic-only"],
)
def test_non_images_give_none(data: bytes) -> None:
    assert compute_pdq(data) is None


def test_truncated_jpeg_gives_none() -> None:
    data = BRIDGE.read_bytes()
    assert compute_pdq(data[: len(data) // 3]) is None


def test_unsupported_format_gives_none() -> None:
    assert compute_pdq(_encode(_textured(7), "PPM")) is None


@pytest.mark.parametrize(("w", "h"), [(4, 100), (100, 4), (1, 1)])
def test_images_below_five_pixels_get_zero_hash_quality_zero(w: int, h: int) -> None:
    result = pdq_from_bytes(_encode(Image.new("RGB", (w, h), (9, 9, 9)), "PNG"))
    assert result is not None
    assert (result.hash, result.quality) == ("0" * 64, 0)
    assert result.matchable is False


def test_five_pixel_image_is_hashed() -> None:
    rng = np.random.default_rng(8)
    im = Image.fromarray(rng.integers(0, 256, (5, 5, 3), dtype=np.uint8), "RGB")
    result = compute_pdq(_encode(im, "PNG"))
    assert result is not None and result[0] != "0" * 64


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_decompression_bomb_raises_image_too_large() -> None:
    with pytest.raises(ImageTooLarge) as caught:
        compute_pdq(_png_header_only(30_000, 30_000))
    assert caught.value.code == "IMAGE_TOO_LARGE"


def test_unknown_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown PDQ mode"):
        compute_pdq(BRIDGE.read_bytes(), mode="approximate")  # type: ignore[arg-type]


# ---------------------------------------------------------------- hamming and packing


def test_hamming_exact_values() -> None:
    zero, ones = "0" * 64, "f" * 64
    assert hamming(zero, zero) == 0
    assert hamming(zero, ones) == 256
    assert hamming(zero, "8" + "0" * 63) == 1
    assert hamming(zero, "0" * 63 + "1") == 1
    assert hamming(JAVA_BRIDGE_1, CPP_HASHES["dih/b-1-original.jpg"]) == 8


@pytest.mark.parametrize("bad", ["", "0" * 63, "0" * 65, "g" * 64, None])
def test_hamming_rejects_malformed_hashes(bad: object) -> None:
    with pytest.raises(InvalidHash) as caught:
        hamming("0" * 64, bad)  # type: ignore[arg-type]
    assert caught.value.code == "INVALID_HASH"


def test_hashes_to_array_round_trips() -> None:
    arr = hashes_to_array([JAVA_BRIDGE_1, "0" * 63 + "1"])
    assert arr.shape == (2, 32) and arr.dtype == np.uint8
    assert arr[0].tobytes().hex() == JAVA_BRIDGE_1
    assert arr[1, 31] == 1 and arr[1, :31].sum() == 0


def test_truncated_jpeg_gives_none_even_if_another_library_allowed_truncation() -> None:
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # what importing WeasyPrint does
    try:
        data = BRIDGE.read_bytes()
        assert compute_pdq(data[: len(data) // 3]) is None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
