"""7z, RAR, ISO 9660, gzip, bzip2 and xz are walked through libarchive with the bomb limits and
error codes of ZIP/TAR (issue 16 item 7). Archives are made here: 7z and ISO 9660 with
libarchive's own writer, gzip/bzip2/xz with the standard library, RAR 4 (which no free tool
writes) byte by byte from RARLAB's technote as a stored archive."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import json
import lzma
import random
import struct
import tarfile
import zlib
from pathlib import Path

import pytest
from comeforward_triage import filetype
from comeforward_triage.containers import ArchiveLimits
from comeforward_triage.run import RunOptions, triage_run

libarchive = pytest.importorskip("libarchive")

DATA = random.Random(167).randbytes(300_000)
TEXT = b"plain words of a benign document\n" * 2000


def _write(fmt: str, members: dict[str, bytes], filters: list[str] | None = None) -> bytes:
    buf = io.BytesIO()

    def write(chunk: bytes) -> int:
        buf.write(chunk)
        return len(chunk)

    with libarchive.custom_writer(write, fmt, filter_name=(filters or [None])[0]) as w:
        for name, data in members.items():
            w.add_file_from_memory(name, len(data), data)
    return buf.getvalue()


def _tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _rar4(members: dict[str, bytes], encrypted: bool = False) -> bytes:
    """A RAR 4 archive with *members* stored (method 0x30), after RARLAB's RAR 4 technote:
    marker block, archive header (0x73), one file header (0x74) per member followed by its data,
    end of archive (0x7b). Each header's CRC is the low 16 bits of CRC-32 from HEAD_TYPE on."""

    def block(kind: int, flags: int, body: bytes) -> bytes:
        head = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(head) & 0xFFFF) + head

    out = b"Rar!\x1a\x07\x00" + block(0x73, 0, b"\x00" * 6)
    for name, data in members.items():
        raw = name.encode()
        body = struct.pack(
            "<IIBIIBBHI",
            len(data),  # PACK_SIZE
            len(data),  # UNP_SIZE
            3,  # HOST_OS: Unix
            zlib.crc32(data),
            0x5A_F1_00_00,  # FTIME (DOS date/time)
            20,  # UNP_VER
            0x30,  # METHOD: store
            len(raw),
            0o100644 << 0,  # ATTR
        )
        # 0x8000: LONG_BLOCK (data follows); 0x04: the file is encrypted with a password
        out += block(0x74, 0x8000 | (0x04 if encrypted else 0), body + raw) + data
    return out + block(0x7B, 0x4000, b"")


def _run(tmp_path: Path, limits: ArchiveLimits | None = None) -> tuple[dict, dict]:
    report = triage_run(
        RunOptions(
            source=str(tmp_path / "ev"),
            out=str(tmp_path / "o"),
            perceptual=False,
            limits=limits or ArchiveLimits(),
        )
    )
    recs = {
        r["path"]: r for r in map(json.loads, (tmp_path / "o/files.jsonl").read_text().splitlines())
    }
    return report, recs


def test_signatures_are_detected_from_content() -> None:
    iso = _write("iso9660", {"a.txt": b"a"})
    cases = {
        "application/x-7z-compressed": _write("7zip", {"a": TEXT}),
        "application/vnd.rar": _rar4({"a": b"a"}),
        "application/gzip": gzip.compress(TEXT),
        "application/x-bzip2": bz2.compress(TEXT),
        "application/x-xz": lzma.compress(TEXT),
        "application/x-iso9660-image": iso,
    }
    for kind, blob in cases.items():
        assert filetype.detect_first(blob) == kind
        assert filetype.is_container(kind)
        if kind != filetype.ISO9660:
            assert filetype.detect(blob[: filetype.HEAD_BYTES]) == kind
    assert filetype.detect(b"BZh9 not bzip2") is None
    assert filetype.detect(iso[: filetype.HEAD_BYTES]) is None  # CD001 lies beyond the head
    assert filetype.detect_first(iso[: filetype.ISO9660_MIN - 1]) is None
    assert filetype.probe_iso9660(io.BytesIO(iso)) == filetype.ISO9660


def test_every_format_is_walked_with_the_right_digests(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    members = {"docs/words.txt": TEXT, "bin/data.bin": DATA}
    (ev / "a.7z").write_bytes(_write("7zip", members))
    (ev / "b.iso").write_bytes(_write("iso9660", members))
    (ev / "c.rar").write_bytes(_rar4({"stored.bin": DATA, "words.txt": TEXT}))
    inner = _tar({"inner/notes.txt": TEXT})
    (ev / "d.tar.gz").write_bytes(gzip.compress(inner))
    (ev / "e.bin.bz2").write_bytes(bz2.compress(DATA))
    (ev / "f.txt.xz").write_bytes(lzma.compress(TEXT))
    report, recs = _run(tmp_path)
    md5 = {k: r["md5"] for k, r in recs.items()}

    def h(b: bytes) -> str:
        return hashlib.md5(b).hexdigest()

    for arc in ("a.7z", "b.iso"):
        assert md5[f"{arc}!/docs/words.txt"] == h(TEXT)
        assert md5[f"{arc}!/bin/data.bin"] == h(DATA)
        assert recs[arc]["container"] == {"members": 2, "error": None}
    assert md5["c.rar!/stored.bin"] == h(DATA)
    assert md5["c.rar!/words.txt"] == h(TEXT)
    assert md5["d.tar.gz!/data"] == h(inner)  # the decompressed stream, then the TAR in it
    assert md5["d.tar.gz!/data!/inner/notes.txt"] == h(TEXT)
    assert recs["d.tar.gz!/data"]["type"] == "application/x-tar"
    assert md5["e.bin.bz2!/data"] == h(DATA)
    assert md5["f.txt.xz!/data"] == h(TEXT)
    assert recs["a.7z"]["type"] == "application/x-7z-compressed"
    assert report["totals"]["errors"] == 0


def test_bomb_limits_and_error_codes_match_zip_and_tar(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    zeros = b"\0" * (4 << 20)
    (ev / "bomb.gz").write_bytes(gzip.compress(zeros))  # ~4 KiB → 4 MiB
    (ev / "bomb.7z").write_bytes(_write("7zip", {"ok.txt": b"ok", "zeros": zeros}))
    (ev / "many.7z").write_bytes(_write("7zip", {f"m{i}": b"%d" % i for i in range(6)}))
    good = _write("7zip", {"a.txt": TEXT})
    (ev / "cut.7z").write_bytes(good[: len(good) // 2])
    nested = gzip.compress(gzip.compress(gzip.compress(b"three deep")))
    (ev / "deep.gz").write_bytes(nested)
    limits = ArchiveLimits(max_depth=2, max_ratio=50, max_members=5, ratio_floor=64 << 10)
    report, recs = _run(tmp_path, limits)
    assert recs["bomb.gz!/data"]["error_code"] == "ARCHIVE_RATIO_LIMIT"
    assert recs["bomb.gz!/data"]["md5"] is None
    assert recs["bomb.gz"]["container"]["error"].startswith("ARCHIVE_RATIO_LIMIT")
    assert recs["bomb.7z!/ok.txt"]["md5"] == hashlib.md5(b"ok").hexdigest()
    assert recs["bomb.7z!/zeros"]["error_code"] == "ARCHIVE_RATIO_LIMIT"
    assert recs["many.7z"]["container"]["error"].startswith("ARCHIVE_MEMBER_LIMIT")
    assert recs["cut.7z"]["container"]["error"].startswith("CORRUPT_ARCHIVE")
    assert recs["cut.7z"]["md5"] is not None  # the file itself is still hashed
    assert recs["deep.gz!/data!/data"]["container"]["error"].startswith("ARCHIVE_DEPTH_LIMIT")
    assert "deep.gz!/data!/data!/data" not in recs
    assert report["issues"]["by_code"]["ARCHIVE_RATIO_LIMIT"] >= 1


def test_total_limit_per_archive(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "big.iso").write_bytes(_write("iso9660", {"one": b"1" * 3000, "two": b"2" * 3000}))
    (ev / "huge.xz").write_bytes(lzma.compress(DATA))  # 300 kB of random bytes: ratio ~1
    _report, recs = _run(tmp_path, ArchiveLimits(max_total_bytes=5000))
    assert recs["big.iso!/one"]["error"] is None
    assert recs["big.iso!/two"]["error_code"] == "ARCHIVE_TOTAL_LIMIT"
    assert recs["huge.xz!/data"]["error_code"] == "ARCHIVE_TOTAL_LIMIT"
    assert recs["huge.xz!/data"]["md5"] is None


@pytest.mark.parametrize("workers", ["processes", "threads"])
def test_iso9660_is_found_past_the_head_by_every_reader(tmp_path: Path, workers: str) -> None:
    """``CD001`` lies at byte 32769, past the 512-byte head the native core hands back: the
    worker processes probe for it, the hashing threads see it in the first read."""
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "disc.img").write_bytes(_write("iso9660", {"readme.txt": TEXT}))
    triage_run(
        RunOptions(
            source=str(ev),
            out=str(tmp_path / "o"),
            perceptual=False,
            jobs=2,
            workers=workers,  # type: ignore[arg-type]
            reader="parallel",
        )
    )
    recs = {
        r["path"]: r for r in map(json.loads, (tmp_path / "o/files.jsonl").read_text().splitlines())
    }
    assert recs["disc.img"]["type"] == "application/x-iso9660-image"
    assert recs["disc.img!/readme.txt"]["md5"] == hashlib.md5(TEXT).hexdigest()


def test_encrypted_member_is_not_read(tmp_path: Path) -> None:
    """An encrypted member is ENCRYPTED and not hashed (as in a ZIP), even where libarchive
    could hand over its stored bytes (which would be the ciphertext)."""
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "locked.rar").write_bytes(_rar4({"secret.txt": b"ciphertext " * 50}, encrypted=True))
    _report, recs = _run(tmp_path)
    rec = recs["locked.rar!/secret.txt"]
    assert rec["error_code"] == "ENCRYPTED" and rec["md5"] is None
    assert recs["locked.rar"]["md5"] is not None
