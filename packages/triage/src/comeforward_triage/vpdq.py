"""vPDQ: perceptual hashes of video, matched like images (issue 16 item 8).

Meta's vPDQ (forensic-triage.md §2.6, after ``vpdq/README.md``): a video is sampled at one
frame a second; each sampled frame gets a PDQ hash and quality (our PDQ, :mod:`.perceptual`,
the same hash as for stills); the video's vPDQ is that bag of frame hashes. Two videos are
compared on their *unique* frame hashes of quality ≥ 50 (``QUALITY_THRESHOLD``, §2.2):

* ``query_percent`` — of the device video's frames, the share with a reference frame within
  Hamming distance 31 (``MATCH_RADIUS``, §2.2: "vPDQ uses the same D = 31 and F = 50");
* ``reference_percent`` — of the reference video's frames, the share with a device frame within
  that distance;

and match when ``reference_percent ≥ REFERENCE_MATCH_PERCENT`` (80 %) and ``query_percent ≥
QUERY_MATCH_PERCENT`` (0 %) — the example thresholds of §2.6, so that a device video that
*contains* a known clip matches. Both are configuration [awaiting operational sign-off].

Decoding is by PyAV (FFmpeg's libraries in the ``av`` wheel). Frames exist only in memory, one
at a time, as the input of the PDQ function; none is stored, written or shown. A video that
cannot be decoded gets no vPDQ (counted, never guessed); a stream with more frames or pixels
than :data:`MAX_SAMPLED_FRAMES` / the PDQ pixel limit is cut there and says so.

Reference sets carry vPDQ entries (algorithm ``vpdq``, :mod:`.hashsets`): each is one frame,
stored as a 4-byte video number and the frame's 32-byte PDQ hash, so that a set's frames can be
grouped back into its videos (:func:`group_reference`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from . import filetype
from .pdqconst import MATCH_RADIUS, QUALITY_THRESHOLD

if TYPE_CHECKING:  # numpy is imported where a video is hashed or matched (issue 16 item 1)
    import numpy as np

#: Seconds between sampled frames (vPDQ's default of one frame a second).
SECONDS_PER_HASH = 1.0
#: Match thresholds, per cent (forensic-triage.md §2.6 example values) [awaiting sign-off].
REFERENCE_MATCH_PERCENT = 80.0
QUERY_MATCH_PERCENT = 0.0
#: At most this many frames are hashed per video (~2 hours at one a second).
MAX_SAMPLED_FRAMES = 7200
#: Video types (recognised by :mod:`.filetype`) that are given a vPDQ: every one of them.
VIDEO_TYPES = filetype.VIDEO_TYPES


@dataclass
class VideoHash:
    """The vPDQ of one video: its sampled frames' PDQ hashes (hex) and qualities."""

    hashes: list[str] = field(default_factory=list)
    qualities: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    truncated: bool = False

    def matchable(self) -> np.ndarray:
        """uint8 [k, 32]: the unique frame hashes of quality ≥ 50."""
        import numpy as np

        good = sorted(
            {h for h, q in zip(self.hashes, self.qualities, strict=True) if q >= QUALITY_THRESHOLD}
        )
        if not good:
            return np.empty((0, 32), np.uint8)
        return np.frombuffer(bytes.fromhex("".join(good)), np.uint8).reshape(-1, 32)


def hash_video(source: bytes | IO[bytes]) -> VideoHash | None:
    """The vPDQ of a video held in *source* (bytes or a seekable binary stream), or ``None``
    when it holds no decodable video stream."""
    import av

    from .perceptual import _pdq_from_image

    stream_in = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    out = VideoHash()
    try:
        with av.open(stream_in, mode="r") as container:
            if not container.streams.video:
                return None
            vstream = container.streams.video[0]
            vstream.thread_type = "AUTO"
            next_at = 0.0
            for frame in container.decode(vstream):
                t = frame.time if frame.time is not None else next_at
                if t + 1e-6 < next_at:
                    continue
                if len(out.hashes) >= MAX_SAMPLED_FRAMES:
                    out.truncated = True
                    break
                result = _pdq_from_image(frame.to_image(), "fast")
                out.hashes.append(result.hash)
                out.qualities.append(result.quality)
                out.seconds.append(round(float(t), 3))
                next_at = float(t) + SECONDS_PER_HASH
    except (av.FFmpegError, OSError, ValueError, EOFError) as exc:
        if not out.hashes:
            return None
        out.truncated = True  # a damaged tail: what was decoded is kept, and flagged
        del exc
    return out if out.hashes else None


def _within(a: np.ndarray, b: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray]:
    """For frames *a* [n,32] and *b* [m,32]: which of *a* have a partner in *b* within
    *radius*, and which of *b* have one in *a* (brute force, as vPDQ's reference matcher)."""
    import numpy as np

    if not len(a) or not len(b):
        return np.zeros(len(a), bool), np.zeros(len(b), bool)
    xa = np.unpackbits(a, axis=1).astype(np.uint8)
    xb = np.unpackbits(b, axis=1).astype(np.uint8)
    # Hamming distance = popcount(a xor b) = |a| + |b| - 2 a·b over the bit vectors
    dist = xa.sum(1, dtype=np.int32)[:, None] + xb.sum(1, dtype=np.int32)[None, :]
    dist -= 2 * (xa.astype(np.int32) @ xb.astype(np.int32).T)
    close = dist <= radius
    return close.any(1), close.any(0)


def compare(
    query: np.ndarray, reference: np.ndarray, radius: int = MATCH_RADIUS
) -> tuple[float, float]:
    """``(query_percent, reference_percent)`` for two videos' matchable frames."""
    q_hit, r_hit = _within(query, reference, radius)
    q = 100.0 * q_hit.mean() if len(q_hit) else 0.0
    r = 100.0 * r_hit.mean() if len(r_hit) else 0.0
    return float(q), float(r)


def is_match(query_percent: float, reference_percent: float) -> bool:
    return (
        reference_percent >= REFERENCE_MATCH_PERCENT
        and query_percent >= QUERY_MATCH_PERCENT
        and reference_percent > 0
    )


def group_reference(rows: np.ndarray) -> dict[int, np.ndarray]:
    """``vpdq`` entries (uint8 [N, 36]: video number big-endian, then the frame hash) →
    video number → its unique frame hashes [k, 32]."""
    import numpy as np

    if not len(rows):
        return {}
    ids = rows[:, :4].copy().view(">u4").reshape(-1)
    order = np.argsort(ids, kind="stable")
    ids, rows = ids[order], rows[order]
    bounds = np.flatnonzero(np.diff(ids)) + 1
    out: dict[int, np.ndarray] = {}
    for part_ids, part in zip(np.split(ids, bounds), np.split(rows, bounds), strict=True):
        out[int(part_ids[0])] = np.unique(part[:, 4:], axis=0)
    return out


def best_match(
    query: np.ndarray, videos: Sequence[tuple[Any, np.ndarray]], radius: int = MATCH_RADIUS
) -> tuple[Any, float, float] | None:
    """The reference video (its key from *videos*) that *query* matches with the highest
    reference share (then query share, then order), or ``None``."""
    best: tuple[Any, float, float] | None = None
    for key, frames in videos:
        q, r = compare(query, frames, radius)
        if is_match(q, r) and (best is None or (r, q) > (best[2], best[1])):
            best = (key, q, r)
    return best


# -- the run's video phase -------------------------------------------------------------------


@dataclass
class VideoSummary:
    """What report.json says about video (``pdq.video``)."""

    enabled: bool
    reason: str | None = None
    videos: int = 0
    hashed: int = 0
    frames: int = 0
    not_hashed: int = 0
    in_archives: int = 0
    low_quality: int = 0
    reference_videos: int = 0
    queried: int = 0
    matched: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "reason": self.reason,
            "method": "vPDQ: PDQ of one frame a second; match when ≥ "
            f"{REFERENCE_MATCH_PERCENT:g} % of a reference video's frames and ≥ "
            f"{QUERY_MATCH_PERCENT:g} % of the device video's have a partner within Hamming "
            f"distance {MATCH_RADIUS} (frames of quality < {QUALITY_THRESHOLD} not used)",
            "videos": self.videos,
            "hashed": self.hashed,
            "frames": self.frames,
            "not_hashed": self.not_hashed,
            "in_archives": self.in_archives,
            "low_quality": self.low_quality,
            "reference_videos": self.reference_videos,
            "queried": self.queried,
            "matched": self.matched,
        }


def _reference_videos(sets: Sequence[Any]) -> list[tuple[tuple[int, int, int], Any, np.ndarray]]:
    """Every reference video of every (non known-good) set: ((severity, set order, number),
    (set name, code), frames)."""
    import numpy as np

    from .hashsets.model import CATEGORY_CODES
    from .match import SEVERITY

    known_good = CATEGORY_CODES["KNOWN_GOOD"]
    out = []
    for order, ls in enumerate(sets):
        rows_of = getattr(ls.rs, "vpdq_rows", None)
        if ls.known_good_only or rows_of is None:
            continue
        rows, codes = rows_of(flags=True)
        if not len(rows):
            continue
        code_of: dict[int, int] = {}
        ids = rows[:, :4].copy().view(">u4").reshape(-1)
        for vid, code in zip(ids.tolist(), codes.tolist(), strict=True):
            code_of.setdefault(int(vid), int(code))
        for vid, frames in group_reference(np.asarray(rows)).items():
            code = code_of[vid]
            if code & 0b111 == known_good:
                continue
            from .hashsets.model import Entry

            category = Entry.from_code(code).category
            sev = SEVERITY.get(category, len(SEVERITY))
            out.append(((sev, order, vid), (ls.name, code), frames))
    out.sort(key=lambda t: t[0])
    return out


def match_videos(
    records: Sequence[dict[str, Any]],
    sets: Sequence[Any],
    source: Any,
    *,
    enabled: bool,
    jobs: int = 1,
) -> VideoSummary:
    """Give every video of the run a vPDQ and match those with no exact match and not
    known-good against the reference sets' videos (most serious category first, then the
    highest share of the reference video matched). Like the PDQ phase it runs over the run's
    own copies of the records and writes no journal, so a resumed run repeats it."""
    from concurrent.futures import ThreadPoolExecutor

    videos = [r for r in records if r.get("type") in VIDEO_TYPES and r.get("md5")]
    summary = VideoSummary(enabled=enabled, videos=len(videos))
    if not enabled:
        summary.reason = "perceptual hashing off"
        return summary
    if not videos:
        return summary
    try:
        import av  # noqa: F401
    except ImportError as exc:
        summary.enabled = False
        summary.reason = f"no video decoder (PyAV): {exc}"
        summary.not_hashed = len(videos)
        return summary
    reference = _reference_videos(sets)
    summary.reference_videos = len(reference)
    wanted: dict[str, list[dict[str, Any]]] = {}
    for rec in videos:
        if "!/" in rec["path"]:
            summary.in_archives += 1  # archive members are not opened again after the run
            continue
        wanted.setdefault(rec["path"], []).append(rec)
    openers = _openers(source, wanted)

    def work(path: str) -> VideoHash | None:
        opener = openers.get(path)
        if opener is None:
            return None
        stream = opener()
        try:
            return hash_video(stream)
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()

    paths = sorted(wanted)
    with ThreadPoolExecutor(max(1, jobs), thread_name_prefix="vpdq") as ex:
        hashed = list(ex.map(work, paths))
    from .hashsets.model import Entry
    from .match import add_flags

    for path, vh in zip(paths, hashed, strict=True):
        for rec in wanted[path]:
            if vh is None:
                summary.not_hashed += 1
                rec["warnings"].append("VPDQ_FAILED: no decodable video stream")
                continue
            summary.hashed += 1
            summary.frames += len(vh.hashes)
            if vh.truncated:
                rec["warnings"].append(
                    f"VPDQ_PARTIAL: {len(vh.hashes)} frames hashed, the rest not decoded"
                )
            frames = vh.matchable()
            if not len(frames):
                summary.low_quality += 1
                continue
            if rec.get("match") is not None or rec.get("known_good") or not reference:
                continue
            summary.queried += 1
            best: tuple[Any, float, float] | None = None
            for _key, ref, ref_frames in reference:
                q, r = compare(frames, ref_frames)
                if is_match(q, r):
                    best = (ref, q, r)
                    break  # sorted most serious first: the first match is the one reported
            if best is None:
                continue
            (set_name, code), q, r = best
            entry = Entry.from_code(code)
            match: dict[str, Any] = {
                "category": entry.category,
                "set": set_name,
                "via": "vpdq",
                "distance": None,
                "query_percent": round(q, 1),
                "reference_percent": round(r, 1),
            }
            add_flags(match, entry)
            rec["match"] = match
            summary.matched += 1
    return summary


def _openers(source: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    """Openers of the files at *wanted* paths, from a second walk of the source (metadata
    only: an image source does not check or hash the image again)."""
    if hasattr(source, "verify_on_walk"):
        source.verify_on_walk = False
    found: dict[str, Any] = {}
    for ef in source.walk():
        if ef.path in wanted and ef.opener is not None:
            found[ef.path] = ef.opener
            if len(found) == len(wanted):
                break
    return found
