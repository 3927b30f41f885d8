"""A triage run by the real engine over generated evidence made from the benign
ThreatExchange photographs in ``shared/testdata/pdq`` (no other imagery, ever).

Evidence: two perceptual variants of the bridge photograph (reference entry: category A,
VICS ``Series`` and ``VictimIdentified`` true), a mirrored pen-and-coaster (category B,
``Series`` true, ``VictimIdentified`` false), an exact MD5 match (category C, no flags), a
texture-less picture (PDQ quality below 50), generated noise stored twice (new material) and
a text file. The reference set holds only the originals' PDQ hashes and one MD5.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from comeforward_triage.hashsets import compile_hashset
from comeforward_triage.perceptual import pdq_from_path
from comeforward_triage.run import RunOptions, triage_run
from PIL import Image, ImageOps

from .triage_files import TEST_SIGNER


def shared_dir() -> Path:
    candidate = Path(__file__).resolve().parents[2].parent / "shared"
    return candidate if candidate.is_dir() else Path("/work/shared")


PDQ_DATA = shared_dir() / "testdata" / "pdq"


def build_scene(root: Path) -> dict:
    """Evidence tree ``root/ev``, reference set ``root/ref.cfhs``; nothing is run yet."""
    ev = root / "ev"
    for folder in ("A", "B", "copies"):
        (ev / folder).mkdir(parents=True)
    bridge = PDQ_DATA / "bridge-mods"
    (ev / "A" / "shrunk.jpg").write_bytes((bridge / "shrink-a-little.jpg").read_bytes())
    (ev / "A" / "blurred.jpg").write_bytes((bridge / "blur-a-little.jpg").read_bytes())
    pen = Image.open(PDQ_DATA / "reg-test-input" / "pen-and-coaster.png").convert("RGB")
    pen = pen.resize((pen.width // 2, pen.height // 2), Image.Resampling.BILINEAR)
    (root / "pen.png").parent.mkdir(exist_ok=True)
    pen.save(root / "pen.png")
    ImageOps.mirror(pen).save(ev / "B" / "pen-mirrored.jpg", quality=80)
    pen.save(ev / "exact.jpg", quality=60)
    lowq = PDQ_DATA / "reg-test-input" / "labelme-subset" / "q0003.jpg"
    (ev / "lowq.jpg").write_bytes(lowq.read_bytes())
    noise = np.random.default_rng(11).integers(0, 256, (120, 160, 3), dtype=np.uint8)
    Image.fromarray(noise).save(ev / "new.png")
    (ev / "copies" / "new-again.png").write_bytes((ev / "new.png").read_bytes())
    (ev / "notes.txt").write_bytes(b"not a picture")

    bridge_pdq = pdq_from_path(bridge / "aaa-orig.jpg").hash
    pen_pdq = pdq_from_path(root / "pen.png").hash
    md5_exact = hashlib.md5((ev / "exact.jpg").read_bytes()).hexdigest()  # noqa: S324
    csv = root / "ref.csv"
    csv.write_text(
        "md5,pdq,category,series,victim_identified\n"
        f",{bridge_pdq},A,true,true\n"
        f",{pen_pdq},B,true,false\n"
        f"{md5_exact},,C,,\n"
    )
    compile_hashset(csv, "csv", out=root / "ref.cfhs")
    return {"root": root, "ev": ev, "ref": root / "ref.cfhs"}


def run_scene(scene: dict, out: Path, *, exhibit: str = "JS/1") -> dict:
    return triage_run(
        RunOptions(
            source=str(scene["ev"]),
            out=str(out),
            hashsets=[str(scene["ref"])],
            known_good=[],
            exhibit=exhibit,
            examiner="DC Smith",
            jobs=1,
            quiet=True,
            signing_key=TEST_SIGNER,
        )
    )
