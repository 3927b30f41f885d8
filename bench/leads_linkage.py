"""Bench (issue 15.7): bulk-lead record linkage with Splink (DuckDB) against an exact-match
baseline (first name + surname + date of birth), on a seeded synthetic truth set.

    uv run python bench/leads_linkage.py --people 100000 --leads 100000 [--seed 15]

What it generates (all fictional): ``--people`` people already held; ``--leads`` lead records
of which ``--held`` (default 60%) are people held, the rest new people, and ``--dupes``
(default 10%) extra lead records that repeat another lead (within-batch duplicates). Every
lead copy gets realistic errors, each independently: a typo in a name (8%: substitution,
deletion or adjacent transposition), forename and surname swapped (3%), a moved address
(25%: new postcode and street), a date-of-birth digit wrong (3%), e-mail missing (40%) or
changed (10%), phone missing (50%); 2% of leads share a card with another lead (shared cards
are a fraud indicator, not a linkage field, so they must not create links).

It runs the app's own model (``comeforward.leads.linkage.score``: EM per batch, the app's
blocking rules) on people + leads as one ``dedupe`` job, then the baseline as one SQL join,
both in this process; and prints, for the baseline and for the model at the review and the
accept thresholds: precision, recall, time, and the peak resident memory of the process
(``ru_maxrss``: Python, pandas and DuckDB together). Ratio printed: the model's time over
the baseline's, and its recall over the baseline's.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import string
import sys
import time

import numpy as np
import pandas as pd


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _names(rng, n, syllables, lo, hi):
    parts = rng.integers(0, len(syllables), size=(n, hi))
    lengths = rng.integers(lo, hi + 1, size=n)
    return sorted(
        {"".join(syllables[p] for p in row[:k]) for row, k in zip(parts, lengths, strict=True)}
    )


def _zipf_pick(rng, values, n, a=1.1):
    ranks = rng.zipf(a, size=n * 2)
    ranks = ranks[ranks <= len(values)][:n]
    while len(ranks) < n:
        more = rng.zipf(a, size=n)
        ranks = np.concatenate([ranks, more[more <= len(values)]])[:n]
    return np.asarray(values, dtype=object)[ranks - 1]


def _typo(rng, word: str) -> str:
    if len(word) < 3:
        return word + "e"
    i = int(rng.integers(0, len(word) - 1))
    kind = int(rng.integers(0, 3))
    if kind == 0:
        return word[:i] + string.ascii_lowercase[int(rng.integers(0, 26))] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def generate(people: int, leads: int, held: float, dupes: float, seed: int):
    rng = np.random.default_rng(seed)
    syl = [
        "an",
        "ber",
        "cal",
        "dor",
        "el",
        "fin",
        "gar",
        "hol",
        "is",
        "jen",
        "kin",
        "lan",
        "mor",
        "nes",
        "ol",
        "par",
        "quin",
        "ros",
        "sten",
        "tor",
        "ul",
        "ven",
        "wil",
        "yar",
        "zen",
        "ash",
        "brook",
        "croft",
        "dale",
        "ford",
        "ham",
        "ley",
        "ton",
        "well",
        "wood",
    ]
    surnames = _names(rng, 60000, syl, 2, 4)
    firsts = _names(rng, 3000, syl, 1, 3)
    total = people + int(leads * (1 - held)) + 10
    ident = pd.DataFrame(
        {
            "first_name": _zipf_pick(rng, firsts, total, 1.05),
            "surname": _zipf_pick(rng, surnames, total, 1.02),
            "dob": (
                pd.Timestamp("1940-01-01")
                + pd.to_timedelta(rng.integers(0, 65 * 365, size=total), unit="D")
            ).strftime("%Y-%m-%d"),
            "postcode": [
                f"T{a}{b}{c}{d}"
                for a, b, c, d in zip(
                    rng.integers(1, 99, total),
                    rng.integers(0, 9, total),
                    rng.choice(list("ABDEFGHJLNPQRSTUWXYZ"), total),
                    rng.choice(list("ABDEFGHJLNPQRSTUWXYZ"), total),
                    strict=True,
                )
            ],
            "address": [
                f"{n} {s} road"
                for n, s in zip(
                    rng.integers(1, 300, total), rng.choice(surnames, total), strict=True
                )
            ],
            "phone": [f"07{x:09d}" for x in rng.integers(0, 10**9, total)],
        }
    )
    ident["email"] = (
        ident["first_name"]
        + "."
        + ident["surname"]
        + rng.integers(1, 999, total).astype(str)
        + "@example.test"
    )
    ident["truth"] = np.arange(total)
    people_df = ident.iloc[:people].copy()
    people_df["unique_id"] = ["P" + str(i) for i in range(people)]
    people_df["source"] = "person"
    n_held = int(leads * held)
    held_ids = rng.choice(people, size=n_held, replace=False)
    new_ids = np.arange(people, people + (leads - n_held))
    base = np.concatenate([held_ids, new_ids])
    n_dupes = int(leads * dupes)
    base = np.concatenate([base, rng.choice(base, size=n_dupes, replace=True)])
    leads_df = ident.iloc[base].copy().reset_index(drop=True)
    m = len(leads_df)
    r = rng.random((8, m))
    first = leads_df["first_name"].to_numpy(dtype=object)
    last = leads_df["surname"].to_numpy(dtype=object)
    for i in np.nonzero(r[0] < 0.08)[0]:
        if r[7, i] < 0.5:
            first[i] = _typo(rng, first[i])
        else:
            last[i] = _typo(rng, last[i])
    swap = r[1] < 0.03
    first[swap], last[swap] = last[swap].copy(), first[swap].copy()
    leads_df["first_name"], leads_df["surname"] = first, last
    moved = r[2] < 0.25
    leads_df.loc[moved, "postcode"] = [f"M{x}" for x in rng.integers(0, 10**6, int(moved.sum()))]
    leads_df.loc[moved, "address"] = [
        f"{x} new street" for x in rng.integers(1, 999, int(moved.sum()))
    ]
    dob = leads_df["dob"].to_numpy(dtype=object)
    for i in np.nonzero(r[3] < 0.03)[0]:
        d = list(dob[i])
        pos = int(rng.choice([2, 3, 5, 6, 8, 9]))
        d[pos] = str((int(d[pos]) + 1) % 10)
        candidate = "".join(d)
        try:
            pd.Timestamp(candidate)
            dob[i] = candidate
        except ValueError:
            pass
    leads_df["dob"] = dob
    leads_df.loc[r[4] < 0.40, "email"] = None
    changed = (r[4] >= 0.40) & (r[4] < 0.50)
    leads_df.loc[changed, "email"] = [
        f"other{x}@example.test" for x in rng.integers(0, 10**8, int(changed.sum()))
    ]
    leads_df.loc[r[5] < 0.5, "phone"] = None
    leads_df["unique_id"] = ["L" + str(i) for i in range(m)]
    leads_df["source"] = "lead"
    cols = [
        "unique_id",
        "source",
        "first_name",
        "surname",
        "dob",
        "postcode",
        "address",
        "email",
        "phone",
        "truth",
    ]
    return people_df[cols], leads_df[cols]


def truth_pairs(people_df, leads_df) -> set[tuple[str, str]]:
    """Every lead–person and lead–lead pair that is the same identity."""
    pairs: set[tuple[str, str]] = set()
    person_of = dict(zip(people_df["truth"], people_df["unique_id"], strict=True))
    by_truth = leads_df.groupby("truth")["unique_id"].apply(list)
    for truth, ids in by_truth.items():
        if truth in person_of:
            for lid in ids:
                pairs.add((lid, person_of[truth]))
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add(tuple(sorted((a, b))))
    return pairs


def _norm(a: str, b: str) -> tuple[str, str]:
    if a.startswith("P") and b.startswith("L"):
        return b, a
    if a.startswith("L") and b.startswith("L"):
        return tuple(sorted((a, b)))  # type: ignore[return-value]
    return a, b


def measure(found: set, truth: set) -> tuple[float, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(truth) if truth else 1.0
    return precision, recall


def baseline(people_df, leads_df) -> set[tuple[str, str]]:
    import duckdb

    con = duckdb.connect()
    records = pd.concat([people_df, leads_df], ignore_index=True)
    con.register("records", records)
    rows = con.execute(
        """select l.unique_id, r.unique_id from records l join records r
           on l.first_name = r.first_name and l.surname = r.surname and l.dob = r.dob
           and l.unique_id < r.unique_id
           where not (l.source = 'person' and r.source = 'person')"""
    ).fetchall()
    return {_norm(a, b) for a, b in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--held", type=float, default=0.6)
    parser.add_argument("--dupes", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)

    from comeforward.leads import linkage

    t0 = time.perf_counter()
    people_df, leads_df = generate(args.people, args.leads, args.held, args.dupes, args.seed)
    truth = truth_pairs(people_df, leads_df)
    t_gen = time.perf_counter() - t0
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs; python {platform.python_version()}"
    )
    print(
        f"generated {len(people_df):,} people, {len(leads_df):,} lead records, "
        f"{len(truth):,} true pairs in {t_gen:.1f}s (seed {args.seed})"
    )

    t0 = time.perf_counter()
    base = baseline(people_df, leads_df)
    t_base = time.perf_counter() - t0
    bp, br = measure(base, truth)
    print(
        f"baseline exact first+surname+dob: {len(base):,} links, precision {bp:.4f}, "
        f"recall {br:.4f}, {t_base:.1f}s, peak RSS {_peak_mib():,.0f} MiB"
    )

    frame = pd.concat([people_df, leads_df], ignore_index=True).drop(columns=["truth"])
    frame = frame.astype(object).where(frame.notna(), None)
    t0 = time.perf_counter()
    rows, parameters = linkage.score(frame, estimate=True)
    t_model = time.perf_counter() - t0
    print(
        f"splink (DuckDB, EM per batch): {len(rows):,} pairs at weight >= "
        f"{linkage.REVIEW_WEIGHT}, {t_model:.1f}s, peak RSS {_peak_mib():,.0f} MiB; "
        f"{'; '.join(parameters['notes'])}"
    )
    rows = rows[~((rows["source_l"] == "person") & (rows["source_r"] == "person"))]
    results: dict[str, tuple[float, float]] = {}
    sweep = (
        ("review", linkage.REVIEW_WEIGHT),
        ("accept", linkage.ACCEPT_WEIGHT),
        *(
            (f"sweep (not the app's setting) {w:g}", w)
            for w in (4.0, 6.0, 8.0, 9.0, 11.0, 12.0, 13.0, 14.0)
        ),
    )
    for label, weight in sweep:
        chosen = rows[rows["match_weight"] >= weight]
        found = {
            _norm(a, b) for a, b in zip(chosen["unique_id_l"], chosen["unique_id_r"], strict=True)
        }
        p, r = measure(found, truth)
        results.setdefault(label, (p, r))
        print(
            f"splink at {label} threshold (weight >= {weight}): {len(found):,} links, "
            f"precision {p:.4f}, recall {r:.4f}"
        )
    ap, ar = results["accept"]
    print(
        f"ratio: time splink/baseline {t_model / max(t_base, 1e-9):.1f}x; "
        f"recall splink(accept)/baseline {ar / max(br, 1e-9):.2f}x; "
        f"precision splink(accept) {ap:.4f} vs baseline {bp:.4f}"
    )
    goal = ap >= 0.98 and ar >= 0.95
    print(
        "goal precision >= 0.98 and recall >= 0.95 at the accept threshold: "
        + ("met" if goal else "NOT met")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
