"""One sequential reader on a spinning disk (forensic-triage.md §4 "I/O"; ADR 0102, addendum 4).

A directory tree is read in parallel only where that costs nothing extra; on a disk the kernel
reports as rotational — or when asked — every file is opened and read by the one reader thread,
in walk order, and the report says so and why.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from comeforward_triage.pipeline import reading
from comeforward_triage.run import RunOptions, triage_run
from comeforward_triage.sources import directory, open_source
from evidence_fixtures import make_tree


def _fake_sysfs(root: Path, dev: str, rotational: str, *, partition: bool) -> None:
    """``sys/dev/block/MAJ:MIN`` as Linux lays it out: a link into ``devices``; a partition's
    directory has no ``queue`` of its own, its disk's has."""
    disk = root / "devices" / "pci0" / "block" / "sdz"
    disk.mkdir(parents=True)
    (disk / "queue").mkdir()
    (disk / "queue" / "rotational").write_text(rotational + "\n")
    target = disk / "sdz1" if partition else disk
    target.mkdir(exist_ok=True)
    (root / "dev" / "block").mkdir(parents=True)
    os.symlink(target, root / "dev" / "block" / dev)


def _dev(path: Path) -> str:
    st = os.stat(path)
    return f"{os.major(st.st_dev)}:{os.minor(st.st_dev)}"


@pytest.mark.parametrize(("flag", "expected"), [("1", True), ("0", False)])
@pytest.mark.parametrize("partition", [False, True])
def test_the_kernels_rotational_flag_is_read(tmp_path: Path, flag, expected, partition) -> None:
    sysfs = tmp_path / "sys"
    _fake_sysfs(sysfs, _dev(tmp_path), flag, partition=partition)
    spinning, why = directory.rotational_disk(str(tmp_path), sysfs=str(sysfs))
    assert spinning is expected
    assert why == f"block device {_dev(tmp_path)} (sdz) reports rotational={flag}"


def test_no_block_device_means_unknown(tmp_path: Path) -> None:
    assert directory.rotational_disk(str(tmp_path), sysfs=str(tmp_path / "nothing"))[0] is None
    assert directory.rotational_disk(str(tmp_path / "missing"))[0] is None


SEEKING, CACHED = 0.008, 0.00002  # seconds per probe read: a spinning disk, the page cache


def test_the_policy(tmp_path: Path, monkeypatch) -> None:
    """The reader follows what the reads measure, not the rotational flag alone (ADR 0102,
    addendum 6): a disk that says it spins but reads without seeking (a VM's virtual disk, the
    page cache) is read in parallel; the flag decides only when nothing could be measured."""
    source = open_source(str(tmp_path))
    for spinning, latency, policy, parallel in [
        (True, SEEKING, "auto", False),
        (True, CACHED, "auto", True),  # a virtual disk that reports rotational=1
        (None, SEEKING, "auto", False),  # a USB bridge hiding a spinning disk
        (None, CACHED, "auto", True),
        (True, None, "auto", False),  # nothing to measure: the flag decides
        (None, None, "auto", True),
        (False, SEEKING, "auto", True),  # the kernel knows an SSD: not probed
        (True, SEEKING, "parallel", True),
        (False, CACHED, "sequential", False),
    ]:
        monkeypatch.setattr(type(source), "rotational", lambda self, s=spinning: (s, "test"))
        monkeypatch.setattr(type(source), "read_latency", lambda self, t=latency: (t, "probe"))
        assert reading(source, policy)[0] is parallel, (spinning, latency, policy)
    monkeypatch.setattr(type(source), "rotational", lambda self: (True, "sda says 1"))
    monkeypatch.setattr(type(source), "read_latency", lambda self: (SEEKING, "probe"))
    assert (
        reading(source)[1]
        == "sequential: reads take 8.00 ms a file (probe), a disk seeking; sda says 1"
    )
    monkeypatch.setattr(type(source), "read_latency", lambda self: (CACHED, "probe"))
    assert (
        reading(source)[1] == "parallel: reads take 0.02 ms a file (probe), no seeking; sda says 1"
    )


def test_the_probe_reads_files_of_the_tree(tmp_path: Path) -> None:
    """read_latency times real reads of files across folders; an empty tree has none."""
    assert directory.read_latency(str(tmp_path)) == (None, "no file to measure")
    for d in range(5):
        (tmp_path / f"d{d}").mkdir()
        for i in range(3):
            (tmp_path / f"d{d}" / f"f{i}").write_bytes(b"x" * 100)
    latency, how = directory.read_latency(str(tmp_path), files=6)
    assert latency is not None and 0 <= latency < 1
    assert how == "median of 6 files read out of order"
    image = type("Raw", (), {"PARALLEL_SMALL_READS": False, "NAME": "raw"})()
    assert reading(image, "parallel") == (False, "sequential: one reader for a raw image")  # type: ignore[arg-type]


def test_on_a_spinning_disk_one_thread_reads_every_file_in_walk_order(
    tmp_path: Path, monkeypatch
) -> None:
    ev = tmp_path / "ev"
    make_tree(ev)
    for i in range(40):
        (ev / "many" / f"f{i:02d}").parent.mkdir(exist_ok=True)
        (ev / "many" / f"f{i:02d}").write_bytes(bytes([i]) * (i * 1000))
    (ev / "big.bin").write_bytes(b"b" * (3 << 20))
    monkeypatch.setattr(directory.DirectorySource, "rotational", lambda self: (True, "faked"))
    monkeypatch.setattr(directory.DirectorySource, "read_latency", lambda self: (SEEKING, "p"))
    opened: list[tuple[str, str]] = []
    real = directory._open_readonly

    def spy(path: bytes):
        opened.append((threading.current_thread().name, os.fsdecode(path)))
        return real(path)

    monkeypatch.setattr(directory, "_open_readonly", spy)
    report = triage_run(
        RunOptions(source=str(ev), out=str(tmp_path / "o"), jobs=2, perceptual=False)
    )
    assert report["run"]["workers"] == "threads"
    assert (
        report["run"]["reader"]
        == "sequential: reads take 8.00 ms a file (p), a disk seeking; faked"
    )
    walk = [str(ev / ef.path) for ef in open_source(str(ev)).walk() if ef.opener is not None]
    assert {name for name, _ in opened} == {"triage-reader"}
    assert [path for _, path in opened] == walk
    listing = [
        json.loads(x)["path"] for x in (tmp_path / "o" / "files.jsonl").read_text().splitlines()
    ]
    assert len(listing) == len(walk)
