"""Unit tests of the perceptual matching phase (pdqmatch.py) on generated 256-bit hashes."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
from comeforward_triage.hashsets import compile_hashset, open_hashset
from comeforward_triage.match import LoadedSet
from comeforward_triage.pdqmatch import match_pdq

RNG = random.Random(20240611)
BASE = RNG.getrandbits(256)


def hx(value: int) -> str:
    return f"{value:064x}"


def flip(value: int, bits: int, offset: int = 0) -> int:
    """*value* with *bits* distinct bits flipped (starting at bit *offset*, every 7th bit)."""
    for k in range(bits):
        value ^= 1 << ((offset + 7 * k) % 256)
    return value


def far(seed: int) -> str:
    """A hash ~128 bits from everything else here."""
    return hx(random.Random(seed).getrandbits(256))


def image(pdq: str, *, quality: int = 100, variants: list[str] | None = None, **extra) -> dict:
    rec = {
        "path": extra.pop("path", "x.jpg"),
        "is_image": True,
        "pdq": pdq,
        "pdq_quality": quality,
        "pdq_dihedral": variants if variants is not None else [pdq] + [far(i) for i in range(7)],
        "match": None,
        "known_good": False,
    }
    rec.update(extra)
    return rec


def make_set(tmp_path: Path, name: str, rows: list[tuple[str, str]], **kw) -> LoadedSet:
    csv = tmp_path / f"{name}.csv"
    csv.write_text("pdq,category\n" + "".join(f"{h},{c}\n" for h, c in rows))
    out = tmp_path / f"{name}.cfhs"
    compile_hashset(csv, "csv", out=out)
    return LoadedSet(open_hashset(out), kw.get("known_good_only", False))


def test_most_serious_category_wins_then_smallest_distance(tmp_path: Path) -> None:
    one = make_set(tmp_path, "one", [(hx(flip(BASE, 5)), "C"), (hx(flip(BASE, 20)), "A")])
    two = make_set(tmp_path, "two", [(hx(flip(BASE, 10, 3)), "A"), (hx(flip(BASE, 2)), "B")])
    rec = image(hx(BASE))
    summary = match_pdq([rec], [one, two])
    assert rec["match"] == {"category": "A", "set": "two.cfhs", "via": "pdq", "distance": 10}
    assert summary.matched == 1 and summary.queried == 1 and summary.reference_hashes == 4


def test_equal_category_and_distance_goes_to_the_first_set(tmp_path: Path) -> None:
    one = make_set(tmp_path, "one", [(hx(flip(BASE, 4)), "B")])
    two = make_set(tmp_path, "two", [(hx(flip(BASE, 4, 1)), "B")])
    rec = image(hx(BASE))
    match_pdq([rec], [two, one])
    assert rec["match"]["set"] == "two.cfhs" and rec["match"]["distance"] == 4


def test_any_of_the_eight_variants_matches(tmp_path: Path) -> None:
    ref = make_set(tmp_path, "ref", [(hx(BASE), "C")])
    near = hx(flip(BASE, 7))
    variants = [far(100 + i) for i in range(8)]
    variants[5] = near  # e.g. the flip-y variant of the device image
    rec = image(far(99), variants=variants)
    match_pdq([rec], [ref])
    assert rec["match"] == {"category": "C", "set": "ref.cfhs", "via": "pdq", "distance": 7}
    assert "pdq_dihedral" not in rec


@pytest.mark.parametrize(
    ("bits", "radius", "matched"),
    [(31, 31, True), (32, 31, False), (32, 32, True), (0, 0, True), (1, 0, False)],
)
def test_radius_is_inclusive(tmp_path: Path, bits: int, radius: int, matched: bool) -> None:
    ref = make_set(tmp_path, "ref", [(hx(flip(BASE, bits)), "B")])
    rec = image(hx(BASE))
    summary = match_pdq([rec], [ref], radius=radius)
    assert (rec["match"] is not None) is matched
    assert summary.matched == int(matched) and summary.radius == radius
    if matched:
        assert rec["match"]["distance"] == bits


def test_who_is_queried_and_what_is_counted(tmp_path: Path) -> None:
    ref = make_set(tmp_path, "ref", [(hx(BASE), "A")])
    exact = {"category": "C", "set": "ref.cfhs", "via": "md5", "distance": None}
    recs = {
        "exact": image(hx(BASE), match=dict(exact)),
        "known_good": image(hx(BASE), known_good=True),
        "q49": image(hx(BASE), quality=49),
        "q50": image(hx(BASE), quality=50),
        "no_pdq": {**image(hx(BASE)), "pdq": None, "pdq_quality": None, "pdq_dihedral": None},
        "not_image": image(hx(BASE), is_image=False),
        "unrelated": image(far(7)),
    }
    summary = match_pdq(list(recs.values()), [ref])
    assert recs["exact"]["match"] == exact  # exact match takes precedence
    assert recs["known_good"]["match"] is None
    assert recs["q49"]["match"] is None
    assert recs["q50"]["match"]["via"] == "pdq"
    assert recs["no_pdq"]["match"] is None and recs["not_image"]["match"] is None
    assert recs["unrelated"]["match"] is None
    assert summary.as_dict() == {
        "enabled": True,
        "radius": 31,
        "quality_threshold": 50,
        "reference_hashes": 1,
        "queried": 2,
        "matched": 1,
        "low_quality": 1,
        "not_hashed": 1,
    }
    assert all("pdq_dihedral" not in r for r in recs.values())


def test_known_good_entries_never_match_perceptually(tmp_path: Path) -> None:
    kg_entry = make_set(tmp_path, "mixed", [(hx(BASE), "KNOWN_GOOD")])
    kg_set = make_set(tmp_path, "nsrl", [(hx(BASE), "UNCATEGORISED")], known_good_only=True)
    rec = image(hx(BASE))
    summary = match_pdq([rec], [kg_entry, kg_set])
    assert rec["match"] is None and rec["known_good"] is False
    assert summary.reference_hashes == 0 and summary.queried == 1


def test_vics_flags_travel_with_the_match(tmp_path: Path) -> None:
    csv = tmp_path / "v.csv"
    csv.write_text(
        "pdq,category,series,victim_identified\n"
        f"{hx(BASE)},A,true,false\n{hx(flip(BASE, 200))},B,,\n"
    )
    compile_hashset(csv, "csv", out=tmp_path / "v.cfhs")
    ls = LoadedSet(open_hashset(tmp_path / "v.cfhs"), False)
    flagged, plain = image(hx(flip(BASE, 3))), image(hx(flip(BASE, 202)))
    match_pdq([flagged, plain], [ls])
    assert flagged["match"] == {
        "category": "A",
        "set": "v.cfhs",
        "via": "pdq",
        "distance": 3,
        "series": True,
        "victim_identified": False,
    }
    assert plain["match"] == {"category": "B", "set": "v.cfhs", "via": "pdq", "distance": 2}


def test_the_phase_is_idempotent_on_fresh_copies(tmp_path: Path) -> None:
    ref = make_set(tmp_path, "ref", [(hx(flip(BASE, 9)), "B"), (hx(flip(BASE, 30, 2)), "A")])
    recs = [image(hx(flip(BASE, k, 5)), path=f"{k}.jpg") for k in range(0, 40, 3)]
    first, second = copy.deepcopy(recs), copy.deepcopy(recs)
    assert match_pdq(first, [ref]) == match_pdq(second, [ref])
    assert first == second
    assert sum(r["match"] is not None for r in first) > 0


def test_no_reference_hashes_matches_nothing(tmp_path: Path) -> None:
    csv = tmp_path / "md5only.csv"
    csv.write_text("md5,category\n" + "0" * 32 + ",A\n")
    compile_hashset(csv, "csv", out=tmp_path / "m.cfhs")
    rec = image(hx(BASE))
    summary = match_pdq([rec], [LoadedSet(open_hashset(tmp_path / "m.cfhs"), False)])
    assert rec["match"] is None and summary.matched == 0 and summary.reference_hashes == 0
