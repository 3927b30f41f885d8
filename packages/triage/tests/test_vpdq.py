"""Video perceptual hashing (vPDQ, issue 16 item 8) on synthetic videos only: textured frames
made of smoothed noise and bars (no imagery), encoded with PyAV. A reference video's frames are
compiled into a set (``vpdq-text``); a re-encoded copy of it on the device matches, an unrelated
video does not, and the report counts what was hashed and matched."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from comeforward_triage import filetype, vpdq
from comeforward_triage.hashsets import compile_hashset
from comeforward_triage.run import RunOptions, triage_run

av = pytest.importorskip("av")


GRID = (18, 24)


def _frames(seed: int, seconds: int, size: tuple[int, int]) -> list[np.ndarray]:
    """One textured picture per second: a 24×18 grid of random levels, upscaled smoothly (PDQ
    quality well above 50; survives re-encoding and resizing)."""
    rng = np.random.default_rng(seed)
    w, h = size
    out = []
    for _ in range(seconds):
        gh, gw = GRID
        grid = rng.integers(0, 256, (gh, gw)).astype(np.float32)
        ys = np.linspace(0, gh - 1, h)[:, None]
        xs = np.linspace(0, gw - 1, w)[None, :]
        y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
        y1, x1 = np.minimum(y0 + 1, gh - 1), np.minimum(x0 + 1, gw - 1)
        fy, fx = ys - y0, xs - x0
        img = (
            grid[y0, x0] * (1 - fy) * (1 - fx)
            + grid[y1, x0] * fy * (1 - fx)
            + grid[y0, x1] * (1 - fy) * fx
            + grid[y1, x1] * fy * fx
        )
        out.append(np.repeat(img.clip(0, 255).astype(np.uint8)[:, :, None], 3, axis=2))
    return out


def _video(
    frames: list[np.ndarray], *, fps: int = 5, codec: str = "mpeg4", fmt: str = "mp4"
) -> bytes:
    buf = io.BytesIO()
    with av.open(buf, "w", format=fmt) as c:
        s = c.add_stream(codec, rate=fps)
        s.height, s.width = frames[0].shape[:2]
        s.pix_fmt = "yuv420p"
        s.bit_rate = 4_000_000
        for picture in frames:
            for _ in range(fps):  # each picture held for one second
                for p in s.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                    c.mux(p)
        for p in s.encode():
            c.mux(p)
    return buf.getvalue()


def _resize(frames: list[np.ndarray], w: int, h: int) -> list[np.ndarray]:
    from PIL import Image

    return [np.asarray(Image.fromarray(f).resize((w, h), Image.BILINEAR)) for f in frames]


def test_hash_and_compare_videos() -> None:
    pictures = _frames(1, 6, (192, 144))
    original = vpdq.hash_video(_video(pictures))
    assert original is not None and len(original.hashes) == 6  # one frame a second
    assert min(original.qualities) >= 50
    copy = vpdq.hash_video(_video(_resize(pictures, 160, 120), codec="libvpx", fmt="webm"))
    other = vpdq.hash_video(_video(_frames(2, 6, (192, 144))))
    assert copy is not None and other is not None
    q, r = vpdq.compare(copy.matchable(), original.matchable())
    assert r >= 80 and vpdq.is_match(q, r)
    q, r = vpdq.compare(other.matchable(), original.matchable())
    assert r < 80 and not vpdq.is_match(q, r)
    # a clip: the first half of the original inside a longer device video still matches the
    # clip as a reference (query share is 0 % by default), not the other way round
    clip = vpdq.hash_video(_video(pictures[:3]))
    longer = vpdq.hash_video(_video(pictures[:3] + _frames(3, 6, (192, 144))))
    assert clip is not None and longer is not None
    assert vpdq.is_match(*vpdq.compare(longer.matchable(), clip.matchable()))
    assert vpdq.hash_video(b"not a video at all") is None


def test_video_signatures() -> None:
    assert filetype.detect(_video(_frames(4, 1, (64, 48)))[:512]) == "video/mp4"
    webm = _video(_frames(4, 1, (64, 48)), codec="libvpx", fmt="webm")
    assert filetype.detect(webm[:512]) == "video/x-matroska"  # WebM is Matroska (EBML)
    avi = _video(_frames(4, 1, (64, 48)), fmt="avi")
    assert filetype.detect(avi[:512]) == "video/x-msvideo"
    assert all(filetype.is_video(k) for k in ("video/mp4", "video/x-matroska", "video/x-msvideo"))
    assert vpdq.VIDEO_TYPES == filetype.VIDEO_TYPES  # one set of video types


def test_run_matches_a_reencoded_video_and_counts_videos(tmp_path: Path) -> None:
    pictures = _frames(11, 5, (192, 144))
    reference = vpdq.hash_video(_video(pictures))
    assert reference is not None
    lines = [
        f"ref-video-1,{i},{q},{h},{t},A"
        for i, (h, q, t) in enumerate(
            zip(reference.hashes, reference.qualities, reference.seconds, strict=True)
        )
    ]
    unrelated = vpdq.hash_video(_video(_frames(12, 5, (192, 144))))
    assert unrelated is not None
    lines += [
        f"ref-video-2,{i},{q},{h},,B"
        for i, (h, q) in enumerate(zip(unrelated.hashes, unrelated.qualities, strict=True))
    ]
    src = tmp_path / "ref.vpdq.txt"
    src.write_text("# synthetic reference videos\n" + "\n".join(lines) + "\n")
    info = compile_hashset(src, "vpdq-text", out=tmp_path / "ref.cfhs")
    assert info["entries"]["vpdq"] == len(lines)

    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "holiday.webm").write_bytes(
        _video(_resize(pictures, 160, 120), codec="libvpx", fmt="webm")
    )
    (ev / "other.mp4").write_bytes(_video(_frames(13, 5, (192, 144))))
    (ev / "broken.mp4").write_bytes(_video(_frames(14, 2, (64, 48)))[:40])
    (ev / "notes.txt").write_text("not a video")
    out = tmp_path / "out"
    report = triage_run(
        RunOptions(source=str(ev), out=str(out), hashsets=[str(tmp_path / "ref.cfhs")], jobs=2)
    )
    recs = {r["path"]: r for r in map(json.loads, (out / "files.jsonl").read_text().splitlines())}
    match = recs["holiday.webm"]["match"]
    assert match["via"] == "vpdq" and match["category"] == "A"
    assert match["reference_percent"] >= 80
    assert recs["other.mp4"]["match"] is None
    video = report["pdq"]["video"]
    assert video["videos"] == 3 and video["hashed"] == 2 and video["not_hashed"] == 1
    assert video["reference_videos"] == 2 and video["matched"] == 1
    assert video["frames"] == 10
    assert report["matches_by_method"].get("vpdq") == 1
    # no frame is written anywhere: the run's folder holds only its reports
    assert not [p for p in out.rglob("*") if p.suffix.lower() in (".png", ".jpg", ".ppm")]
