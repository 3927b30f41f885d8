"""``compile_hashset``: stream a source list into a sorted, de-duplicated ``.cfhs`` file.

Method (forensic-triage.md §3.2 "sorted fixed-width array + binary search"):

1. the parser streams :class:`HashBatch` blocks; categories are mapped per batch and each
   algorithm's digests spill to three temporary column files next to the output
   (``keys`` u64, ``rest`` bytes, ``codes`` u8) — memory stays flat however large the input;
2. per algorithm, the 8-byte keys are loaded (8 B/entry) and arg-sorted with numpy; ties on the
   key (rare for cryptographic hashes, common for repeated entries) are ordered by the remaining
   bytes; duplicates merge: the most serious category wins (docs/interfaces.md §7 counting rule) and
   flags keep the most informative value (True over False over unknown);
3. the sections are written, then the header with both checksums (fileformat.py), and the file
   is renamed into place, so a failed compile never leaves a half-written set.

Peak memory ≈ 8 B × 3 per entry of the largest algorithm (keys, order, sorted keys) + 1 B codes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from comeforward_triage.errors import (
    HashSetInputNotFound,
    InvalidArguments,
    MalformedHashSet,
    UnmappedCategory,
)

from . import fileformat as ff
from .categories import (
    CategoryMapper,
    CategoryProfile,
    fixed_profile,
    load_category_map,
    load_profile,
)
from .formats import ParseStats, get_format
from .model import (
    ALGORITHMS,
    CATEGORY_LABELS,
    CATEGORY_MASK,
    DIGEST_WIDTHS,
    ROW_ALGORITHMS,
    SERIES_SHIFT,
    VICTIM_SHIFT,
    HashBatch,
)

GATHER_CHUNK = 4_000_000


@dataclass
class _Spill:
    """Column files of one algorithm's unsorted entries."""

    algorithm: str
    directory: Path
    count: int = 0

    def __post_init__(self) -> None:
        self.width = DIGEST_WIDTHS[self.algorithm]
        base = self.directory / self.algorithm
        self.keys_path, self.rest_path, self.codes_path = (
            Path(f"{base}.keys"),
            Path(f"{base}.rest"),
            Path(f"{base}.codes"),
        )
        paths = (self.keys_path, self.rest_path, self.codes_path)
        self._files = [open(p, "wb") for p in paths]  # noqa: SIM115 (closed by close())

    def append(self, digests: np.ndarray, codes: np.ndarray) -> None:
        keys = digests[:, :8].copy().view(">u8").ravel().astype("<u8")
        self._files[0].write(keys.tobytes())
        self._files[1].write(np.ascontiguousarray(digests[:, 8:]).tobytes())
        self._files[2].write(codes.astype(np.uint8).tobytes())
        self.count += len(digests)

    def close(self) -> None:
        for f in self._files:
            f.close()


def _resolve_profile(
    parser_fixed: str | None, profile: str | None, category_map: str | Path | None
) -> CategoryProfile | None:
    if profile is not None and category_map is not None:
        raise InvalidArguments("Give either --profile or --category-map, not both.")
    if parser_fixed is not None:
        if profile is not None or category_map is not None:
            raise InvalidArguments(
                f"This format is always {parser_fixed}; --profile/--category-map do not apply.",
                details={"label": parser_fixed},
            )
        return fixed_profile(
            parser_fixed, reason="NSRL RDS v3 lists known files (forensic-triage.md §1.8)"
        )
    if profile is not None:
        return load_profile(profile)
    if category_map is not None:
        return load_category_map(category_map)
    return None


def _batch_codes(batch: HashBatch, mapper: CategoryMapper) -> np.ndarray:
    n = len(batch)
    if batch.category_index is not None:  # a table of raw keys and one index per digest
        table = [batch.raw_category] if isinstance(batch.raw_category, str) else batch.raw_category
        counts = np.bincount(batch.category_index, minlength=len(table)).tolist()
        # only keys some digest of this batch carries reach the mapper (as in the list form)
        table_codes = np.array(
            [mapper.code(raw, c) if c else 0 for raw, c in zip(table, counts, strict=True)],
            dtype=np.int16,
        )
        cats = table_codes[batch.category_index]
    elif isinstance(batch.raw_category, str):
        cats = np.full(n, mapper.code(batch.raw_category, n), dtype=np.int16)
    else:
        cache: dict[str, int] = {}
        values = []
        for raw in batch.raw_category:
            code = cache.get(raw)
            if code is None:
                code = cache[raw] = mapper.code(raw, 0)
            values.append(code)
        cats = np.array(values, dtype=np.int16)
        uniq, counts = np.unique(np.array(batch.raw_category, dtype=object), return_counts=True)
        for raw, c in zip(uniq.tolist(), counts.tolist(), strict=True):
            if cache[raw] < 0:
                mapper.unmapped[raw] = mapper.unmapped.get(raw, 0) + c
    codes = np.where(cats < 0, 0, cats).astype(np.uint8)
    if batch.series is not None:
        codes |= batch.series.astype(np.uint8) << SERIES_SHIFT
    if batch.victim_identified is not None:
        codes |= batch.victim_identified.astype(np.uint8) << VICTIM_SHIFT
    return codes


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(8 << 20):
            h.update(block)
    return h.hexdigest()


def _sort_dedupe(spill: _Spill, out_dir: Path) -> dict[str, Any]:
    """Sort one algorithm's entries, merge duplicates, write final column files."""
    n = spill.count
    rest_w = spill.width - 8
    keys = np.fromfile(spill.keys_path, dtype="<u8")
    order = np.argsort(keys)
    sorted_keys = keys[order]
    del keys
    rest_mm = (
        np.memmap(spill.rest_path, dtype=np.uint8, mode="r", shape=(n, rest_w))
        if n and rest_w
        else None
    )
    codes_mm = np.memmap(spill.codes_path, dtype=np.uint8, mode="r", shape=(n,))

    same_key = sorted_keys[1:] == sorted_keys[:-1]
    new_group = np.ones(n, dtype=bool)
    tie_pos = np.flatnonzero(same_key)
    if len(tie_pos):
        # order runs of equal keys by the remaining bytes, then compare neighbours
        in_run = np.zeros(n, dtype=bool)
        in_run[tie_pos] = True
        in_run[tie_pos + 1] = True
        pos = np.flatnonzero(in_run)
        sub = order[pos]
        sub_rest = rest_mm[sub]
        columns = [sub_rest[:, j] for j in range(rest_w - 1, -1, -1)] + [sorted_keys[pos]]
        order[pos] = sub[np.lexsort(columns)]
        tie_rest = rest_mm[order[tie_pos]]
        next_rest = rest_mm[order[tie_pos + 1]]
        identical = (tie_rest == next_rest).all(axis=1)
        new_group[tie_pos + 1] = ~identical
    starts = np.flatnonzero(new_group)
    unique = len(starts)

    sorted_codes = np.empty(n, dtype=np.uint8)
    for lo in range(0, n, GATHER_CHUNK):
        sorted_codes[lo : lo + GATHER_CHUNK] = codes_mm[order[lo : lo + GATHER_CHUNK]]
    conflicts = 0
    if unique != n:
        cat = sorted_codes & CATEGORY_MASK
        cat_min = np.minimum.reduceat(cat, starts)
        conflicts = int(np.count_nonzero(np.maximum.reduceat(cat, starts) != cat_min))
        series = np.maximum.reduceat((sorted_codes >> SERIES_SHIFT) & 3, starts)
        victim = np.maximum.reduceat((sorted_codes >> VICTIM_SHIFT) & 3, starts)
        final_codes = (cat_min | (series << SERIES_SHIFT) | (victim << VICTIM_SHIFT)).astype(
            np.uint8
        )
    else:
        final_codes = sorted_codes
    del sorted_codes

    prefix = out_dir / f"final-{spill.algorithm}"
    paths = {}
    if spill.algorithm in ROW_ALGORITHMS:
        rows_path = Path(f"{prefix}.rows")
        with open(rows_path, "wb") as fh:
            for lo in range(0, unique, GATHER_CHUNK):
                idx = starts[lo : lo + GATHER_CHUNK]
                block = np.empty((len(idx), spill.width), dtype=np.uint8)
                block[:, :8] = sorted_keys[idx].astype(">u8").view(np.uint8).reshape(-1, 8)
                block[:, 8:] = rest_mm[order[idx]]
                fh.write(block.tobytes())
        paths["rows"] = rows_path
    else:
        keys_path = Path(f"{prefix}.keys")
        sorted_keys[starts].astype("<u8").tofile(keys_path)
        paths["keys"] = keys_path
        rest_path = Path(f"{prefix}.rest")
        with open(rest_path, "wb") as fh:
            for lo in range(0, unique, GATHER_CHUNK):
                fh.write(
                    np.ascontiguousarray(rest_mm[order[starts[lo : lo + GATHER_CHUNK]]]).tobytes()
                )
        paths["rest"] = rest_path
    codes_path = Path(f"{prefix}.codes")
    final_codes.tofile(codes_path)
    paths["codes"] = codes_path
    counts = np.bincount(final_codes & CATEGORY_MASK, minlength=len(CATEGORY_LABELS))
    del rest_mm, codes_mm
    return {
        "algorithm": spill.algorithm,
        "count": unique,
        "input_count": n,
        "duplicates_merged": n - unique,
        "conflicting_duplicates": conflicts,
        "category_counts": {
            label: int(counts[i]) for i, label in enumerate(CATEGORY_LABELS) if counts[i]
        },
        "paths": paths,
    }


def compile_hashset(
    input_path: str | Path,
    fmt: str,
    *,
    out: str | Path,
    profile: str | None = None,
    category_map: str | Path | None = None,
    name: str | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """Compile ``input_path`` (format ``fmt``) into ``out`` and return the set's ``info()``.

    *progress*, if given, is called with ``("reading", records so far)`` after each batch and
    ``("sorting", entries)`` before the sort (the CLI shows it with rich on a terminal)."""
    parser = get_format(fmt)
    source = Path(input_path)
    if not source.is_file():
        raise HashSetInputNotFound("Hash-set input file not found.", details={"path": str(source)})
    prof = _resolve_profile(parser.fixed_label, profile, category_map)
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    mapper = CategoryMapper(prof)
    stats = ParseStats()
    input_sha256 = _sha256_file(source)

    with tempfile.TemporaryDirectory(prefix=".cfhs-", dir=out_path.parent) as tmp:
        tmp_dir = Path(tmp)
        spills: dict[str, _Spill] = {}
        try:
            for batch in parser.parse(source, stats):
                if len(batch) == 0:
                    continue
                spill = spills.get(batch.algorithm)
                if spill is None:
                    spill = spills[batch.algorithm] = _Spill(batch.algorithm, tmp_dir)
                spill.append(batch.digests, _batch_codes(batch, mapper))
                if progress is not None:
                    progress("reading", stats.records)
        finally:
            for spill in spills.values():
                spill.close()
        if mapper.unmapped:
            values = sorted(mapper.unmapped)
            raise UnmappedCategory(
                f"The set has category values with no mapping: {', '.join(values[:20])}"
                f"{' …' if len(values) > 20 else ''}. Give --profile or --category-map"
                " covering them"
                " ('null' = no category).",
                details={
                    "unmapped": values[:200],
                    "entries": {v: mapper.unmapped[v] for v in values[:200]},
                    "profile": prof.name if prof else None,
                },
            )
        if not spills:
            raise MalformedHashSet(
                "No hashes were found in the input.",
                details={"format": fmt, "records": stats.records, "skipped": stats.skipped},
            )
        if progress is not None:
            progress("sorting", sum(s.count for s in spills.values()))
        sections = [_sort_dedupe(spills[a], tmp_dir) for a in ALGORITHMS if a in spills]
        meta = _meta(sections, stats, source, fmt, input_sha256, prof, name or source.stem)
        tmp_out = tmp_dir / "out.cfhs"
        _assemble(tmp_out, meta, sections)
        os.replace(tmp_out, out_path)

    from .reader import open_hashset

    with open_hashset(out_path) as rs:
        return rs.info()


def _meta(
    sections: list[dict[str, Any]],
    stats: ParseStats,
    source: Path,
    fmt: str,
    input_sha256: str,
    prof: CategoryProfile | None,
    name: str,
) -> dict[str, Any]:
    offset = 0
    out_sections = []
    for s in sections:
        width = DIGEST_WIDTHS[s["algorithm"]]
        arrays = {}
        if s["algorithm"] in ROW_ALGORITHMS:
            arrays["rows"] = {"offset": offset, "width": width}
            offset = ff.align(offset + s["count"] * width, ff.ARRAY_ALIGN)
        else:
            arrays["keys"] = {"offset": offset, "width": 8}
            offset = ff.align(offset + s["count"] * 8, ff.ARRAY_ALIGN)
            arrays["rest"] = {"offset": offset, "width": width - 8}
            offset = ff.align(offset + s["count"] * (width - 8), ff.ARRAY_ALIGN)
        arrays["codes"] = {"offset": offset, "width": 1}
        offset = ff.align(offset + s["count"], ff.ARRAY_ALIGN)
        out_sections.append(
            {
                "algorithm": s["algorithm"],
                "layout": "rows" if s["algorithm"] in ROW_ALGORITHMS else "split",
                "count": s["count"],
                "digest_width": width,
                "arrays": arrays,
            }
        )
    return {
        "name": name,
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "byte_order": "little",
        "category_table": list(CATEGORY_LABELS),
        "code_bits": {"category": [0, 3], "series": [3, 2], "victim_identified": [5, 2]},
        "entries": {s["algorithm"]: s["count"] for s in sections},
        "category_counts": {s["algorithm"]: s["category_counts"] for s in sections},
        "duplicates_merged": sum(s["duplicates_merged"] for s in sections),
        "conflicting_duplicates": sum(s["conflicting_duplicates"] for s in sections),
        "source": {
            "file_name": source.name,
            "format": fmt,
            "sha256": input_sha256,
            "size": source.stat().st_size,
            "records": stats.records,
            "skipped": stats.skipped,
            "details": stats.source_details,
        },
        "profile": prof.as_dict() if prof else None,
        "needs_legal_signoff": bool(prof and prof.needs_legal_signoff),
        "sections": out_sections,
        "data_size": offset,
    }


def _assemble(path: Path, meta: dict[str, Any], sections: list[dict[str, Any]]) -> None:
    data_offset = ff.data_offset_for(ff.meta_length(meta))
    file_size = data_offset + meta["data_size"]
    content = hashlib.sha256()
    with open(path, "wb") as fh:
        fh.write(b"\0" * data_offset)
        for s, m in zip(sections, meta["sections"], strict=True):
            for array_name, spec in m["arrays"].items():
                pad = spec["offset"] - (fh.tell() - data_offset)
                if pad:
                    fh.write(b"\0" * pad)
                    content.update(b"\0" * pad)
                ff.copy_into(fh, str(s["paths"][array_name]), content)
        pad = file_size - fh.tell()
        fh.write(b"\0" * pad)
        content.update(b"\0" * pad)
        fh.seek(0)
        fh.write(ff.header_bytes(meta, file_size=file_size, content_sha256=content.digest()))
        fh.flush()
        os.fsync(fh.fileno())
