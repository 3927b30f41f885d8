"""``triage run`` with perceptual matching, end to end, on the benign ThreatExchange photographs.

The evidence is generated here from ``shared/testdata/pdq`` (re-encoded at another JPEG
quality, resized, rotated 90°, mirrored); the reference set holds only the *originals'* PDQ
hashes, so every match below is perceptual.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from comeforward_triage import cli
from comeforward_triage.hashsets import compile_hashset, open_hashset
from comeforward_triage.perceptual import hamming, pdq_from_path
from comeforward_triage.run import RunOptions, triage_run
from comeforward_triage.vicsexport import VICS2_UK_CASES
from evidence_fixtures import PDQ_DATA
from PIL import Image, ImageOps

pytestmark = pytest.mark.skipif(not PDQ_DATA.is_dir(), reason="shared/testdata/pdq missing")

VARIANTS = ("requality.jpg", "resized.jpg", "rot90.jpg", "mirror.png")


def _originals() -> dict[str, Image.Image]:
    """One benign photograph per category (mutually > 100 bits apart)."""
    exif = Image.open(PDQ_DATA / "reg-test-input" / "exif-rotn" / "exif-rotn-1.jpg")
    exif.draft("RGB", (1008, 756))  # decode at 1/4 scale: keeps the test quick
    return {
        "A": Image.open(PDQ_DATA / "bridge-mods" / "aaa-orig.jpg").convert("RGB"),
        "B": Image.open(PDQ_DATA / "reg-test-input" / "pen-and-coaster.png").convert("RGB"),
        "C": exif.convert("RGB"),
    }


def _variants(im: Image.Image) -> dict[str, tuple[Image.Image, dict]]:
    small = im.resize((im.width * 2 // 3, im.height * 2 // 3), Image.Resampling.BILINEAR)
    return {
        "requality.jpg": (im, {"quality": 40}),
        "resized.jpg": (small, {"quality": 70}),
        "rot90.jpg": (im.transpose(Image.Transpose.ROTATE_90), {"quality": 85}),
        "mirror.png": (ImageOps.mirror(im), {}),
    }


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Evidence tree, reference set and known-good set, built once for this module."""
    root = tmp_path_factory.mktemp("pdq-run")
    ev = root / "ev"
    originals = _originals()
    orig_dir = root / "originals"
    orig_dir.mkdir()
    rows = []
    for cat, im in originals.items():
        path = orig_dir / f"{cat}.png"
        im.save(path)
        series = "true" if cat == "A" else ""
        victim = "false" if cat == "A" else ""
        rows.append(f",{pdq_from_path(path).hash},{cat},{series},{victim}")
        for name, (variant, kw) in _variants(im).items():
            (ev / cat).mkdir(parents=True, exist_ok=True)
            variant.save(ev / cat / name, **kw)
    # exact: a copy of category A material whose MD5 the set lists as C → md5 wins over PDQ
    originals["A"].save(ev / "exact.jpg", quality=55)
    # known-good: another copy of A whose MD5 is in the known-good set → never PDQ-matched
    originals["A"].save(ev / "kg.jpg", quality=65)
    # low quality (flat, texture-less picture): PDQ quality 3, never matched
    lowq = PDQ_DATA / "reg-test-input" / "labelme-subset" / "q0003.jpg"
    (ev / "lowq.jpg").write_bytes(lowq.read_bytes())
    # new material: a picture in no set (generated noise), stored twice, plus a non-image
    noise = np.random.default_rng(5).integers(0, 256, (300, 400, 3), dtype=np.uint8)
    Image.fromarray(noise).save(ev / "new.png")
    (ev / "copies").mkdir()
    (ev / "copies" / "new-again.png").write_bytes((ev / "new.png").read_bytes())
    (ev / "notes.txt").write_bytes(b"not a picture")

    md5_exact = hashlib.md5((ev / "exact.jpg").read_bytes()).hexdigest()
    csv = root / "ref.csv"
    csv.write_text(
        "md5,pdq,category,series,victim_identified\n" + "\n".join(rows) + f"\n{md5_exact},,C,,\n"
    )
    compile_hashset(csv, "csv", out=root / "ref.cfhs")
    kg_csv = root / "kg.csv"
    kg_csv.write_text("md5\n" + hashlib.md5((ev / "kg.jpg").read_bytes()).hexdigest() + "\n")
    compile_hashset(kg_csv, "csv", out=root / "kg.cfhs", profile="known-good")
    return {
        "root": root,
        "ev": ev,
        "ref": root / "ref.cfhs",
        "kg": root / "kg.cfhs",
        "orig_hash": {cat: pdq_from_path(orig_dir / f"{cat}.png").hash for cat in originals},
    }


def _run(scene: dict, out: Path, **kw) -> tuple[dict, dict[str, dict]]:
    report = triage_run(
        RunOptions(
            source=str(scene["ev"]),
            out=str(out),
            hashsets=[str(scene["ref"])],
            known_good=[str(scene["kg"])],
            exhibit="JS/1",
            examiner="DC Smith",
            jobs=2,
            **kw,
        )
    )
    lines = (out / "files.jsonl").read_text().splitlines()
    return report, {r["path"]: r for r in map(json.loads, lines)}


@pytest.fixture(scope="module")
def result(scene: dict) -> tuple[dict, dict[str, dict], Path]:
    out = scene["root"] / "out"
    report, recs = _run(scene, out)
    return report, recs, out


def test_every_variant_matches_its_original(scene: dict, result) -> None:
    _, recs, _ = result
    for cat, orig in scene["orig_hash"].items():
        for name in VARIANTS:
            rec = recs[f"{cat}/{name}"]
            device = pdq_from_path(scene["ev"] / cat / name)
            expected = min(hamming(orig, v) for v in device.dihedral)  # independent check
            assert expected <= 31, (cat, name, expected)
            flags = {"series": True, "victim_identified": False} if cat == "A" else {}
            assert rec["match"] == {
                "category": cat,
                "set": "ref.cfhs",
                "via": "pdq",
                "distance": expected,
                **flags,
            }, (cat, name)
            assert rec["pdq"] == device.hash and rec["pdq_quality"] == device.quality
            assert "pdq_dihedral" not in rec
    # a lossless mirror of the bridge (odd filter window): the flip variant is exact
    assert recs["A/mirror.png"]["match"]["distance"] == 0
    # rotated copies do not match on their own hash: only a dihedral variant brings them in
    assert hamming(recs["A/rot90.jpg"]["pdq"], scene["orig_hash"]["A"]) > 31


def test_exact_match_wins_and_known_good_is_excluded(result) -> None:
    _, recs, _ = result
    assert recs["exact.jpg"]["match"] == {
        "category": "C",
        "set": "ref.cfhs",
        "via": "md5",
        "distance": None,
    }
    assert recs["kg.jpg"]["match"] is None and recs["kg.jpg"]["known_good"] is True
    assert recs["lowq.jpg"]["pdq_quality"] < 50 and recs["lowq.jpg"]["match"] is None
    assert recs["new.png"]["match"] is None and recs["notes.txt"]["pdq"] is None


def test_report_counts(result) -> None:
    report, _, out = result
    assert report["categories"] == {"A": 4, "B": 4, "C": 5, "UNCATEGORISED": 0}
    assert report["matches_by_method"] == {"pdq": 12, "md5": 1}
    assert report["known_good"] == 1
    assert report["unmatched_images"] == 3  # lowq, new.png, copies/new-again.png
    assert report["totals"]["images"] == 12 + 1 + 1 + 1 + 2
    pdq = dict(report["pdq"])
    video = pdq.pop("video")  # no video in this exhibit (tests/test_vpdq.py)
    assert video["videos"] == 0 and video["enabled"] is True
    assert pdq == {
        "enabled": True,
        "radius": 31,
        "quality_threshold": 50,
        "reference_hashes": 3,
        "queried": 12 + 2,
        "matched": 12,
        "low_quality": 1,
        "not_hashed": 0,
    }
    export = (out / "new-material.vics.json").read_bytes()
    assert report["new_material"] == {
        "path": "new-material.vics.json",
        "count": 2,
        "files": 3,
        "sha256": hashlib.sha256(export).hexdigest(),
        "format": "VICS 2.0 case (UK)",
    }
    assert json.loads((out / "report.json").read_text())["pdq"] == report["pdq"]
    assert any("Hamming distance 31" in text for text in report["limitations"])


def test_new_material_export_is_a_vics_case_our_parser_reads(scene: dict, result) -> None:
    _, recs, out = result
    doc = json.loads((out / "new-material.vics.json").read_text())
    assert doc["@odata.context"] == VICS2_UK_CASES
    (case,) = doc["value"]
    assert case["CaseNumber"] == "JS/1" and case["ContactName"] == "DC Smith"
    assert case["TotalMediaFiles"] == 2 and case["TotalPrecategorized"] == 0
    assert case["CaseID"].startswith("{") and case["CaseID"].endswith("}")
    by_path = {m["RelativeFilePath"]: m for m in case["Media"]}
    assert set(by_path) == {"copies/new-again.png", "lowq.jpg"}  # listing order: first copy
    new = by_path["copies/new-again.png"]
    rec = recs["new.png"]
    assert new == {
        "MediaID": 1,
        "MD5": rec["md5"].upper(),
        "SHA1": rec["sha1"].upper(),
        "MediaSize": rec["size"],
        "IsPrecategorized": False,
        "RelativeFilePath": "copies/new-again.png",
        "AlternativeHashes": [
            {"HashName": "SHA256", "HashValue": rec["sha256"].upper()},
            {"HashName": "PDQ", "HashValue": rec["pdq"]},
        ],
        "MediaFiles": [
            {
                "MD5": rec["md5"].upper(),
                "FileName": "new-again.png",
                "FilePath": "copies/new-again.png",
                "Deleted": False,
            },
            {
                "MD5": rec["md5"].upper(),
                "FileName": "new.png",
                "FilePath": "new.png",
                "Deleted": False,
            },
        ],
        "MimeType": "image/png",
    }
    # low-quality PDQ is not exported (it is never matched either, research §2.2)
    assert [h["HashName"] for h in by_path["lowq.jpg"]["AlternativeHashes"]] == ["SHA256"]
    # round trip through our own VICS reader
    info = compile_hashset(
        out / "new-material.vics.json",
        "vics",
        profile="uncategorised",
        out=scene["root"] / "new.cfhs",
    )
    assert info["entries"] == {"md5": 2, "sha1": 2, "sha256": 2, "pdq": 1}
    assert info["source"]["details"]["vics_version"] == "2.0"
    with open_hashset(scene["root"] / "new.cfhs") as rs:
        entry = rs.lookup("md5", bytes.fromhex(rec["md5"]))
        assert entry is not None and entry.category == "UNCATEGORISED"
        pdq_rows, _ = rs.pdq_hashes()
        assert bytes(pdq_rows[0]).hex() == rec["pdq"]


def test_radius_option_and_resume(scene: dict, result, capsys) -> None:
    report, recs, out = result
    out0 = scene["root"] / "out-r0"
    argv = ["triage", "run", str(scene["ev"]), "--out", str(out0), "--quiet", "--jobs", "2"]
    argv += ["--hashset", str(scene["ref"]), "--known-good", str(scene["kg"])]
    assert cli.main([*argv, "--pdq-radius", "0"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["pdq"]["radius"] == 0
    pdq_hits = {
        r["path"]
        for r in map(json.loads, (out0 / "files.jsonl").read_text().splitlines())
        if r["match"] and r["match"]["via"] == "pdq"
    }
    assert pdq_hits == {p for p, r in recs.items() if r["match"] and r["match"]["distance"] == 0}
    assert "A/mirror.png" in pdq_hits
    # the same --out with another radius is another run
    assert cli.main([*argv, "--pdq-radius", "31"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "RESUME_MISMATCH"
    assert cli.main([*argv, "--pdq-radius", "300"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "INVALID_ARGUMENTS"
    # running again over a finished run: matching repeats from the journal, same bytes
    before = (out / "files.jsonl").read_bytes(), (out / "new-material.vics.json").read_bytes()
    again, _ = _run(scene, out)
    assert again["run"]["files_hashed_this_session"] == 0
    after = (out / "files.jsonl").read_bytes(), (out / "new-material.vics.json").read_bytes()
    assert before == after and again["pdq"] == report["pdq"]
