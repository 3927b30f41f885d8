"""The native walk-and-hash core (``_native.c``, ``md5x2.c``; ADR 0102, addendum 3).

Digests are compared with hashlib on generated files of every length around the MD5/SHA block
(64 bytes), the first-read and chunk boundaries, with files paired on the two lanes in every
combination; ``lstat`` results and mtime strings with Python's; errors with real ones (a
missing file, a directory read as a file) and, for the stages that cannot be caused on demand,
with the records the worker makes of them.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from comeforward_triage import filetype, native
from comeforward_triage.hashing import CHUNK, EOF_PROBE, ResumeState
from comeforward_triage.procpool import _Work
from comeforward_triage.sources.base import EvidenceFile
from comeforward_triage.sources.directory import StatInfo, lstat_all, mtime_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.skipif(
    not native.AVAILABLE and os.environ.get("COMEFORWARD_TRIAGE_PURE") == "1",
    reason="native core switched off for this run",
)

BOUNDARY_SIZES = sorted(
    {0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 511, 512, 513}
    | {EOF_PROBE - 1, EOF_PROBE, EOF_PROBE + 1, CHUNK - 65, CHUNK - 1, CHUNK, CHUNK + 1}
    | {CHUNK + EOF_PROBE, 2 * CHUNK + 63, 3 * CHUNK + 4097}
)


def _content(i: int, size: int) -> bytes:
    block = hashlib.sha256(f"{i}:{size}".encode()).digest() * 64  # 2 KiB, varies per file
    return (block * (size // len(block) + 1))[:size]


def _write(d: Path, sizes: list[int]) -> list[bytes]:
    names = []
    for i, size in enumerate(sizes):
        name = f"f{i:04d}".encode()
        (d / name.decode()).write_bytes(_content(i, size))
        names.append(name)
    return names


def _check(d: Path, names: list[bytes], results: list[native.Result], *, head: bool = True) -> None:
    assert len(results) == len(names)
    for name, (stage, err, n, md5, sha1, sha256, first, _) in zip(names, results, strict=True):
        data = (d / name.decode()).read_bytes()
        assert (stage, err, n) == (0, 0, len(data)), name
        assert md5 == hashlib.md5(data).hexdigest(), (name, len(data))
        assert sha1 == hashlib.sha1(data).hexdigest(), (name, len(data))
        assert sha256 == hashlib.sha256(data).hexdigest(), (name, len(data))
        if head:  # else: the head is what the first read (size hint + 1 bytes) brought
            assert first == data[: filetype.HEAD_BYTES]


def test_the_native_core_is_built_here() -> None:
    """``make test`` and CI install it (setup.py): the fast path must not silently vanish."""
    assert native.AVAILABLE, "comeforward_triage._native is not importable"
    assert native.describe() == "native"


def test_the_cores_read_sizes_are_the_python_readers() -> None:
    """Same first-read, probe and chunk sizes: the same errors and byte counts either way."""
    assert (native.core().CHUNK, native.core().EOF_PROBE) == (CHUNK, EOF_PROBE)


def test_it_can_be_switched_off() -> None:
    code = "from comeforward_triage import native; print(native.AVAILABLE, native.describe())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "COMEFORWARD_TRIAGE_PURE": "1"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0] == "False" and out[1] == "python"


@pytest.fixture(params=[True, False], ids=["sha-paired", "sha-per-lane"])
def sha_pairing(request):
    """Both ways of computing SHA-1/SHA-256 on paired lanes: the SHA extensions (where the CPU
    has them — else both runs go lane by lane) and one lane at a time (digests.c)."""
    was = native.core().set_sha_pairing(request.param)
    yield native.core().sha_paired()
    native.core().set_sha_pairing(was)


def test_sha_pairing_follows_the_cpu() -> None:
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    has_sha = " sha_ni" in flags and " sse4_1" in flags
    was = native.core().set_sha_pairing(True)
    try:
        assert native.core().sha_paired() is has_sha
    finally:
        native.core().set_sha_pairing(was)


def test_digests_match_hashlib_at_every_boundary(tmp_path: Path, sha_pairing) -> None:
    names = _write(tmp_path, BOUNDARY_SIZES)
    sizes = [(tmp_path / n.decode()).stat().st_size for n in names]
    core = native.core()
    for order in (names, names[::-1], names[::2], names[1:2]):
        picked = [sizes[names.index(n)] for n in order]
        _check(tmp_path, order, core.hash_names(bytes(tmp_path), order, picked, -1, 512))
    one = names[-1]
    res = core.hash_path(bytes(tmp_path / one.decode()), sizes[-1], -1, 512)
    _check(tmp_path, [one], [res])


@pytest.mark.parametrize("paired", [True, False], ids=["sha-paired", "sha-per-lane"])
@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=200_000), min_size=1, max_size=12))
def test_paired_lanes_give_each_file_its_own_digests(tmp_path_factory, paired, sizes) -> None:
    d = tmp_path_factory.mktemp("pairs")
    names = _write(d, sizes)
    was = native.core().set_sha_pairing(paired)
    try:
        _check(d, names, native.core().hash_names(bytes(d), names, sizes, -1, 512))
    finally:
        native.core().set_sha_pairing(was)


def test_wrong_size_hints_still_read_to_the_end(tmp_path: Path) -> None:
    """A file that grew or shrank since it was listed is read to its end, as in Python."""
    names = _write(tmp_path, [10, 70_000, CHUNK + 5])
    core = native.core()
    for hint in (0, 5, CHUNK - 1, CHUNK * 4):
        res = core.hash_names(bytes(tmp_path), names, [hint] * 3, -1, 512)
        _check(tmp_path, names, res, head=False)


def test_content_is_kept_only_when_asked(tmp_path: Path) -> None:
    names = _write(tmp_path, [0, 100, 5000, CHUNK + 10])
    sizes = [0, 100, 5000, CHUNK + 10]
    core = native.core()
    none = core.hash_names(bytes(tmp_path), names, sizes, -1, 512)
    assert [r[7] for r in none] == [None] * 4
    kept = core.hash_names(bytes(tmp_path), names, sizes, 5000, 512)
    assert kept[0][7] == b""
    assert kept[1][7] == (tmp_path / "f0001").read_bytes()
    assert kept[2][7] == (tmp_path / "f0002").read_bytes()
    assert kept[3][7] is None  # over keep_max
    assert (
        core.hash_names(bytes(tmp_path), names[3:], sizes[3:], CHUNK * 2, 512)[0][7]
        == (tmp_path / "f0003").read_bytes()
    )


def test_real_errors_have_their_stage_and_errno(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    names = _write(tmp_path, [3])
    res = native.core().hash_names(bytes(tmp_path), [b"gone", b"sub", *names], [1, 1, 3], -1, 64)
    assert res[0][:2] == (native.OPEN_FAILED, errno.ENOENT)
    assert res[0][3:] == (None, None, None, None, None)
    assert res[1][:2] == (native.FIRST_READ_FAILED, errno.EISDIR)
    _check(tmp_path, names, res[2:])  # the rest of the batch is unaffected
    with pytest.raises(OSError):
        native.core().hash_names(bytes(tmp_path / "nodir"), names, [3], -1, 64)
    with pytest.raises(ValueError):
        native.core().hash_names(bytes(tmp_path), names, [3, 4], -1, 64)
    with pytest.raises(ValueError):
        native.core().hash_names(bytes(tmp_path), names, [3], -1, 1 << 20)


def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    names = _write(tmp_path, [5])
    os.symlink(names[0].decode(), tmp_path / "link")
    res = native.core().hash_names(bytes(tmp_path), [b"link"], [5], -1, 64)
    assert res[0][:2] == (native.OPEN_FAILED, errno.ELOOP)


ZIP = b"PK\x03\x04"
EIO = "Input/output error"


def _ef(size: int = 10) -> EvidenceFile:
    return EvidenceFile(path="a/b.bin", size=size, opener=lambda: None, inode=7, mtime=None)


@pytest.mark.parametrize(
    ("res", "code", "error", "n", "failed"),
    [
        ((1, errno.EACCES, 0, *[None] * 5), "UNREADABLE", "Permission denied", 0, None),
        ((2, errno.EIO, 0, *[None] * 5), "READ_ERROR", EIO, 0, None),
        ((3, errno.EIO, 0, None, None, None, ZIP, None), "READ_ERROR", EIO, 0, True),
        (
            (4, errno.EIO, CHUNK, None, None, None, ZIP, None),
            "READ_ERROR",
            f"{EIO} (after {CHUNK} bytes)",
            CHUNK,
            True,
        ),
    ],
)  # fmt: skip
def test_failed_stages_become_the_python_paths_records(res, code, error, n, failed) -> None:
    """The same codes and messages as the Python reader (test_triage_run: faked errors)."""
    rec, got_n, kind, got_failed = _Work(ResumeState(), None)._from_native(_ef(), res)
    assert rec["error_code"] == code and rec["error"] == f"{code}: {error}"
    assert rec["md5"] is rec["sha1"] is rec["sha256"] is None
    assert (got_n, got_failed) == (n, failed)
    assert kind == (None if res[6] is None else "application/zip")


def test_lstat_matches_python(tmp_path: Path) -> None:
    names = _write(tmp_path, [0, 17])
    (tmp_path / "d").mkdir()
    os.symlink("nowhere", tmp_path / "dangling")
    os.mkfifo(tmp_path / "fifo")
    os.utime(tmp_path / "f0001", ns=(0, 1_234_567_891_987_654_321))
    all_names = [*names, b"d", b"dangling", b"fifo", b"missing"]
    got = lstat_all(bytes(tmp_path), all_names)
    for name, info in zip(all_names[:-1], got, strict=False):
        st_ = os.lstat(tmp_path / name.decode())
        assert info == StatInfo(st_.st_mode, st_.st_size, st_.st_ino, mtime_of(st_.st_mtime_ns))
    assert got[1].mtime == "2009-02-13T23:31:31.987654Z"  # type: ignore[union-attr]
    assert stat.S_ISLNK(got[3].mode) and stat.S_ISFIFO(got[4].mode)  # type: ignore[union-attr]
    missing = got[-1]
    assert isinstance(missing, OSError) and missing.errno == errno.ENOENT
    assert missing.strerror == os.strerror(errno.ENOENT)


@pytest.mark.parametrize(
    ("ns", "expected"),
    [
        (0, "1970-01-01T00:00:00.000000Z"),
        (1_700_000_000_123_456_999, "2023-11-14T22:13:20.123456Z"),
        (-1, "1969-12-31T23:59:59.999999Z"),
        (253402300800 * 10**9, None),  # year 10000
        (-62135596801 * 10**9, None),  # year 0
    ],
)
def test_mtime_strings_agree_with_the_native_core(tmp_path: Path, ns: int, expected) -> None:
    assert mtime_of(ns) == expected
    f = tmp_path / "t"
    f.write_bytes(b"")
    try:
        os.utime(f, ns=(0, ns))
    except (OverflowError, OSError):
        pytest.skip("the file system cannot hold this time")
    (info,) = native.core().lstat_names(bytes(tmp_path), [b"t"])
    assert info[3] == mtime_of(os.lstat(f).st_mtime_ns)


def test_the_engine_pairs_a_large_file_with_later_batches(tmp_path: Path, sha_pairing) -> None:
    """A large file stays on one lane across calls while later batches' small files run on
    the other; batches come back when complete, the later ones first."""
    big = tmp_path / "big.bin"
    big.write_bytes(_content(99, 5 * CHUNK + 3))
    small = tmp_path / "small"
    small.mkdir()
    names = _write(small, [40_000 + 17 * i for i in range(40)])
    sizes = [(small / n.decode()).stat().st_size for n in names]
    engine = native.core().Engine(-1, 512)
    engine.add(None, [bytes(big)], [big.stat().st_size], "big")
    assert engine.run(False, 0) == []  # one lane busy, nothing to pair with: hand back
    assert engine.pending()
    engine.add(bytes(small), names[:20], sizes[:20], "first")
    engine.add(bytes(small), names[20:], sizes[20:], "second")
    back = engine.run(False, 0)
    assert [tag for tag, _ in back] == ["first", "second"]
    for tag, results in back:
        _check(small, names[:20] if tag == "first" else names[20:], results)
    paired, alone = engine.stats()
    assert paired >= 2 * sum(sizes) - 2 * 64 * len(names) and alone == 0
    assert engine.pending()
    left = []
    while engine.pending():
        left += engine.run(True, 1 << 20)  # 1 MiB alone at a time
    assert [tag for tag, _ in left] == ["big"]
    _check(tmp_path, [b"big.bin"], left[0][1])
    assert engine.stats()[1] > 0
    with pytest.raises(TypeError):
        engine.add(str(small), names, sizes, "bad")


@pytest.mark.parametrize("size", [0, 1, 63, 64, 4095, 4096, 70_000, CHUNK + 3])
def test_digest3_for_the_threaded_pipeline_matches_hashlib(size: int) -> None:
    """``Digest3``/``digest3``: what the hashing threads use (disk images, the sequential
    reader) — one object for the three digests, the GIL released for 4 KiB and more."""
    data = _content(size, size)
    expected = (
        hashlib.md5(data).hexdigest(),
        hashlib.sha1(data).hexdigest(),
        hashlib.sha256(data).hexdigest(),
    )
    assert native.core().digest3(data) == expected
    d = native.core().Digest3()
    for start in range(0, size, 7919):
        d.update(memoryview(data)[start : start + 7919])
    assert d.hexdigests() == expected
    with pytest.raises(ValueError):
        d.hexdigests()
    with pytest.raises(ValueError):
        d.update(b"late")
    py = native._Hashlib()
    py.update(data)
    assert py.hexdigests() == expected


@pytest.fixture(params=[True, False], ids=["sha-ni", "portable"])
def sha_ni(request):
    """The core's own SHA-1/SHA-256 of one stream: with the SHA extensions (where the CPU has
    them) and the portable C code (digests.c)."""
    yield native.core().set_sha_ni(request.param)
    native.core().set_sha_ni(True)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000), cuts=st.lists(st.integers(0, 3000), max_size=6))
def test_own_digests_match_hashlib_however_the_stream_is_cut(sha_ni, data, cuts) -> None:
    """digests.c owns MD5/SHA-1/SHA-256 wholly (no OpenSSL context, issue 19 item 6): every
    length around the block and padding boundaries, split into updates of any shape."""
    expected = (
        hashlib.md5(data).hexdigest(),
        hashlib.sha1(data).hexdigest(),
        hashlib.sha256(data).hexdigest(),
    )
    assert native.core().digest3(data) == expected
    d = native.core().Digest3()
    start = 0
    for cut in sorted(c for c in cuts if c <= len(data)):
        d.update(data[start:cut])
        start = cut
    d.update(data[start:])
    assert d.hexdigests() == expected


@pytest.mark.parametrize("size", [55, 56, 63, 64, 119, 120, 128, 1 << 16, CHUNK + 1])
def test_own_digests_at_padding_boundaries(sha_ni, size: int) -> None:
    data = _content(size, size)
    assert native.core().digest3(data) == (
        hashlib.md5(data).hexdigest(),
        hashlib.sha1(data).hexdigest(),
        hashlib.sha256(data).hexdigest(),
    )


def test_the_core_does_not_link_openssl() -> None:
    """No OpenSSL context, no deprecated field: the module does not even load libcrypto."""
    so = native.core().__file__
    out = subprocess.run(["ldd", so], capture_output=True, text=True, check=False).stdout
    if not out:
        pytest.skip("ldd not available")
    assert "libcrypto" not in out


def test_digest3_shared_between_threads_is_locked() -> None:
    """update() releases the GIL for 4 KiB and more: a per-object lock keeps two threads that
    share one object from advancing its state at once. Each update is whole, so with the same
    chunk from every thread the result is the digest of the chunk repeated, whatever the order."""
    import threading

    chunk = _content(7, 1 << 16)
    d = native.core().Digest3()
    threads = [
        threading.Thread(target=lambda: [d.update(chunk) for _ in range(40)]) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    whole = chunk * 160
    assert d.hexdigests() == (
        hashlib.md5(whole).hexdigest(),
        hashlib.sha1(whole).hexdigest(),
        hashlib.sha256(whole).hexdigest(),
    )
