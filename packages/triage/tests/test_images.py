"""Raw (bare, MBR, GPT) and E01 images made with the real tools, walked through TSK."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from comeforward_triage import cli
from comeforward_triage.run import RunOptions, triage_run
from evidence_fixtures import digests, make_tree, need, run

pytest.importorskip("pytsk3")
pytest.importorskip("pyewf")


def _triage(tmp_path: Path, image: Path) -> tuple[dict, dict]:
    out = tmp_path / "out"
    report = triage_run(RunOptions(source=str(image), out=str(out), perceptual=False))
    recs = {r["path"]: r for r in map(json.loads, (out / "files.jsonl").read_text().splitlines())}
    return report, recs


def _ext4(tmp_path: Path, size_mib: int = 16) -> tuple[Path, dict[str, bytes]]:
    need("mkfs.ext4")
    tree = tmp_path / "tree"
    files = make_tree(tree)
    img = tmp_path / "fs.img"
    with open(img, "wb") as fh:
        fh.truncate(size_mib << 20)
    run("mkfs.ext4", "-q", "-F", "-d", tree, img)
    return img, files


def _check(recs: dict, files: dict[str, bytes], prefix: str = "p1/") -> None:
    for rel, data in files.items():
        rec = recs[prefix + rel]
        assert {k: rec[k] for k in ("md5", "sha1", "sha256")} == digests(data), rel
        assert rec["deleted"] is False and rec["error"] is None


def test_bare_ext4(tmp_path: Path) -> None:
    img, files = _ext4(tmp_path)
    report, recs = _triage(tmp_path, img)
    _check(recs, files)
    assert report["source"]["kind"] == "raw"
    assert report["source"]["volumes"][0]["fs_type"].startswith("ext")
    _same_as_tsk(img, recs)


def _same_as_tsk(img: Path, recs: dict, prefix: str = "p1/") -> None:
    """The same allocated regular files as The Sleuth Kit's own listing (``fls``), with the
    same content digests as its ``icat`` extraction of each inode."""
    need("fls", "icat")
    listing = subprocess.run(
        ["fls", "-r", "-p", "-F", str(img)], capture_output=True, text=True, check=True
    ).stdout
    tsk = {}
    for line in listing.splitlines():
        kind_inode, path = line.split("\t", 1)
        if not line.startswith("r/r") or "*" in kind_inode:
            continue
        inode = kind_inode.split()[-1].rstrip(":")
        content = subprocess.run(["icat", str(img), inode], capture_output=True, check=True).stdout
        tsk[prefix + path] = hashlib.sha256(content).hexdigest()
    ours = {p: r["sha256"] for p, r in recs.items() if not r["deleted"] and r["md5"]}
    assert ours == tsk


def _partitioned(
    tmp_path: Path, label: str, fs_img: Path, *, size_sectors: int | None = None
) -> Path:
    disk = tmp_path / "disk.img"
    fs_bytes = fs_img.stat().st_size
    with open(disk, "wb") as fh:
        fh.truncate(fs_bytes + (2 << 20))
    n = size_sectors or fs_bytes // 512
    if label == "gpt":
        need("sgdisk")
        run("sgdisk", "-n", f"1:2048:{2048 + n - 1}", "-t", "1:8300", disk)
    else:
        need("sfdisk")
        subprocess.run(
            ["sfdisk", "-q", str(disk)],
            input=f"label: dos\nstart=2048, size={n}, type=83\n",
            text=True,
            check=True,
            capture_output=True,
        )
    with open(disk, "r+b") as out, open(fs_img, "rb") as src:
        out.seek(2048 * 512)
        shutil.copyfileobj(src, out)
    return disk


@pytest.mark.parametrize("label", ["mbr", "gpt"])
def test_partitioned_ext4(tmp_path: Path, label: str) -> None:
    fs_img, files = _ext4(tmp_path)
    disk = _partitioned(tmp_path, label, fs_img)
    report, recs = _triage(tmp_path, disk)
    _check(recs, files)
    vols = report["source"]["volumes"]
    assert [v["name"] for v in vols] == ["p1"] and vols[0]["start"] == 2048 * 512


def test_partition_past_end_of_image(tmp_path: Path) -> None:
    fs_img, files = _ext4(tmp_path)
    disk = _partitioned(tmp_path, "mbr", fs_img)
    with open(disk, "r+b") as fh:  # MBR entry 1, sector count at offset 446 + 12
        fh.seek(446 + 12)
        fh.write(((64 << 20) // 512).to_bytes(4, "little"))
    report, recs = _triage(tmp_path, disk)
    vol = report["source"]["volumes"][0]
    assert vol["error"].startswith("PARTITION_BEYOND_IMAGE")
    _check(recs, files)  # the file system inside is still read


def test_e01_and_corrupt_e01(tmp_path: Path, capsys) -> None:
    need("ewfacquire")
    img, files = _ext4(tmp_path)
    target = tmp_path / "ev"
    run(
        "ewfacquire",
        "-u",
        "-t",
        target,
        "-c",
        "deflate:fast",
        "-f",
        "encase6",
        "-D",
        "test",
        "-e",
        "tester",
        "-E",
        "JS/1",
        "-N",
        "n",
        "-C",
        "c",
        "-q",
        img,
    )
    e01 = tmp_path / "ev.E01"
    report, recs = _triage(tmp_path, e01)
    _check(recs, files)
    _same_as_tsk(e01, recs)  # TSK reads the E01 through libewf
    assert report["source"]["kind"] == "e01"
    assert report["source"]["bytes"] == img.stat().st_size
    assert re.fullmatch(r"[0-9a-f]{32}", report["source"]["acquisition_hashes"]["md5"])
    bad = tmp_path / "bad.E01"
    bad.write_bytes(e01.read_bytes()[:200])
    rc = cli.main(["triage", "run", str(bad), "--out", str(tmp_path / "o2"), "--quiet"])
    assert rc == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "CORRUPT_IMAGE"


def test_ntfs_and_exfat(tmp_path: Path) -> None:
    need("mkfs.ntfs", "ntfscp")
    img = tmp_path / "ntfs.img"
    with open(img, "wb") as fh:
        fh.truncate(16 << 20)
    run("mkfs.ntfs", "-F", "-f", "-q", img)
    (tmp_path / "n.txt").write_bytes(b"ntfs content")
    run("ntfscp", img, tmp_path / "n.txt", "n.txt")
    report, recs = _triage(tmp_path, img)
    assert recs["p1/n.txt"]["md5"] == digests(b"ntfs content")["md5"]
    assert report["source"]["volumes"][0]["fs_type"] == "ntfs"
    need("mkfs.exfat")
    ex = tmp_path / "exfat.img"
    with open(ex, "wb") as fh:
        fh.truncate(16 << 20)
    run("mkfs.exfat", ex)
    report2 = triage_run(RunOptions(source=str(ex), out=str(tmp_path / "o3"), perceptual=False))
    assert report2["source"]["volumes"][0]["fs_type"] == "exfat"
    assert report2["totals"]["errors"] == 0


def test_fat_with_deleted_file(tmp_path: Path) -> None:
    need("mkfs.vfat", "mcopy", "mdel")
    img = tmp_path / "fat.img"
    with open(img, "wb") as fh:
        fh.truncate(16 << 20)
    run("mkfs.vfat", img)
    (tmp_path / "keep.txt").write_bytes(b"kept")
    (tmp_path / "gone.txt").write_bytes(b"deleted content")
    run("mcopy", "-i", img, tmp_path / "keep.txt", "::/KEEP.TXT")
    run("mcopy", "-i", img, tmp_path / "gone.txt", "::/GONE.TXT")
    run("mdel", "-i", img, "::/GONE.TXT")
    report, recs = _triage(tmp_path, img)
    assert recs["p1/KEEP.TXT"]["md5"] == digests(b"kept")["md5"]
    deleted = [r for r in recs.values() if r["deleted"]]
    assert len(deleted) == 1 and deleted[0]["path"].endswith("ONE.TXT")
    assert deleted[0]["md5"] == digests(b"deleted content")["md5"]  # clusters not reused yet
    assert report["totals"]["deleted"] == 1


def test_not_a_file_system(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.img"
    junk.write_bytes(b"\x01" * 100_000)
    assert cli.main(["triage", "run", str(junk), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "UNSUPPORTED_SOURCE"
