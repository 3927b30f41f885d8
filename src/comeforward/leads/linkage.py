"""Record linkage of bulk leads with Splink (the Ministry of Justice's library).

No Django here: the service passes plain records in and stores what comes back. One model,
two backends — DuckDB embedded by default, Spark when a national list outgrows one machine
(:func:`link` takes either). Lead records are deduplicated within the batch and linked to the
people already held in one ``link_and_dedupe`` job.

Comparisons (users-and-security §2.4; issue 15.2): names (exact full name, swapped
forename/surname, Damerau-Levenshtein ≤ 1 for a typo or transposition, Jaro-Winkler ≥ 0.92 /
0.88, surname only), date of birth (exact, one character out, day and month transposed, same
year only), postcode and address, e-mail (exact), phone. In a batch of ``TF_MIN_RECORDS`` or
more, the exact full-name and surname levels are term-frequency adjusted: agreeing on a common
name is weaker evidence than agreeing on a rare one. Parameters start from the priors below
and are then estimated per batch: u by random sampling, m by expectation maximisation (EM)
over two blocking passes (postcode; full name + date of birth). EM needs enough comparisons;
below ``EM_MIN_RECORDS`` records the priors are used and the run says so.

Every scored pair carries its match weight and the waterfall that explains it: the prior
weight, then each comparison's level and its weight (log2 of its Bayes factor, Splink's
``mw_`` column), summing to the match weight.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: Match weight at or above which a link is proposed outright (probability ≈ 0.999). [M]
#: Chosen by a stated rule on a choosing seed, not on the reported one (docs/leads.md §6): the
#: highest whole weight whose recall on the bench's seed-16 truth set at 100k is ≥ 0.97 —
#: precision first, since a wrong link is an accusation (Operation Ore).
ACCEPT_WEIGHT = 10.0
#: Match weight from which a pair goes to clerical review (probability ≈ 0.5). [M]
REVIEW_WEIGHT = 0.0
#: Fewer records than this: EM is not attempted (the priors are used, and the run says so).
EM_MIN_RECORDS = 200
#: Fewer records than this: no term-frequency adjustment (a name seen twice in a few hundred
#: records gets a frequency far above its frequency in the population, and so too little weight).
TF_MIN_RECORDS = 1000
#: The prior probability that two random records match, before estimation.
PRIOR_MATCH_PROBABILITY = 1e-4

COLUMNS = (
    "unique_id",
    "source",
    "first_name",
    "surname",
    "dob",
    "postcode",
    "address",
    "email",
    "phone",
)


@dataclass
class ScoredPair:
    left: str
    right: str
    match_weight: float
    match_probability: float
    waterfall: list[dict[str, Any]]

    @property
    def band(self) -> str:
        return "auto" if self.match_weight >= ACCEPT_WEIGHT else "review"


@dataclass
class LinkageResult:
    pairs: list[ScoredPair]
    parameters: dict[str, Any] = field(default_factory=dict)
    pairs_scored: int = 0


def _comparisons(*, tf: bool = False):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    # ``full_name`` is forename and surname together (added by :func:`score`). With ``tf``
    # the exact levels are term-frequency adjusted: an exact match on a common name
    # ("an anan") is weaker evidence than one on a rare name, so its u is that name's own
    # frequency in the batch rather than the average over all names.
    full_name_exact = cll.ExactMatchLevel("full_name", term_frequency_adjustments=tf)
    surname_exact = cll.ExactMatchLevel("surname", term_frequency_adjustments=tf)
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.And(cll.NullLevel("first_name"), cll.NullLevel("surname")),
            full_name_exact,
            cll.ColumnsReversedLevel("first_name", "surname", symmetrical=True),
            cll.And(
                cll.DamerauLevenshteinLevel("first_name", 1),
                cll.DamerauLevenshteinLevel("surname", 1),
            ),
            cll.And(
                cll.JaroWinklerLevel("first_name", 0.92), cll.JaroWinklerLevel("surname", 0.92)
            ),
            cll.And(
                cll.JaroWinklerLevel("first_name", 0.88), cll.JaroWinklerLevel("surname", 0.88)
            ),
            surname_exact,
            cll.ElseLevel(),
        ],
    ).configure(
        m_probabilities=[0.80, 0.03, 0.08, 0.04, 0.02, 0.02, 0.01],
        u_probabilities=[1e-5, 1e-6, 2e-5, 1e-4, 5e-4, 0.005, 0.9944],
    )
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            cll.DamerauLevenshteinLevel("dob", 1),
            # day and month swapped (03/07 written as 07/03); dates are ISO yyyy-mm-dd
            cll.CustomLevel(
                "substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"
                " and substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
                " and substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
                label_for_charts="Day and month transposed",
            ),
            cll.CustomLevel(
                "substr(dob_l, 1, 4) = substr(dob_r, 1, 4)", label_for_charts="Same year only"
            ),
            cll.ElseLevel(),
        ],
    ).configure(
        m_probabilities=[0.9, 0.06, 0.01, 0.02, 0.01],
        u_probabilities=[5e-5, 1e-3, 5e-5, 0.015, 0.98390],
    )
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.And(cll.NullLevel("postcode"), cll.NullLevel("address")),
            cll.And(cll.ExactMatchLevel("postcode"), cll.JaroWinklerLevel("address", 0.9)),
            cll.ExactMatchLevel("postcode"),
            cll.JaroWinklerLevel("address", 0.9),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=[0.7, 0.05, 0.05, 0.2], u_probabilities=[1e-6, 1e-4, 1e-4, 0.9998])
    email = cl.CustomComparison(
        output_column_name="email",
        comparison_levels=[
            cll.NullLevel("email"),
            # Exact only: addresses one character apart (an.other520@, an.other502@) are
            # usually different accounts, so a near match is not evidence of the same person.
            cll.ExactMatchLevel("email"),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=[0.75, 0.25], u_probabilities=[1e-6, 0.999999])
    phone = cl.CustomComparison(
        output_column_name="phone",
        comparison_levels=[cll.NullLevel("phone"), cll.ExactMatchLevel("phone"), cll.ElseLevel()],
    ).configure(m_probabilities=[0.7, 0.3], u_probabilities=[1e-6, 0.999999])
    return [name, dob, address, email, phone]


def blocking_rules():
    from splink import block_on

    # Each rule is narrow enough that a common name does not make it quadratic: at 1M records
    # "full name" alone would generate about a billion pairs (most of them different people
    # called the same), "full name + year of birth" a few tens of millions. A typo in the first
    # three letters of one name is still found through the other name's rule.
    return [
        block_on("dob", "substr(surname, 1, 3)"),
        block_on("dob", "substr(first_name, 1, 3)"),
        block_on("first_name", "surname", "substr(dob, 1, 4)"),
        "l.first_name = r.surname and l.surname = r.first_name"
        " and substr(l.dob, 1, 4) = substr(r.dob, 1, 4)",
        block_on("postcode", "substr(first_name, 1, 1)"),
        block_on("email"),
        block_on("phone"),
    ]


def settings(*, prior: float = PRIOR_MATCH_PROBABILITY, tf: bool = False):
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=_comparisons(tf=tf),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        additional_columns_to_retain=["source"],
    )


def duckdb_api():
    from splink import DuckDBAPI

    return DuckDBAPI()


def _frame(records: Sequence[dict[str, Any]]):
    import pandas as pd

    frame = pd.DataFrame([{c: (r.get(c) or None) for c in COLUMNS} for r in records])
    if frame.empty:
        frame = pd.DataFrame(columns=list(COLUMNS))
    return frame.astype(object).where(frame.notna(), None)


def _with_full_name(frame):
    """Add ``full_name`` (forename and surname together) for the full-name term frequency."""
    first = frame["first_name"].fillna("")
    last = frame["surname"].fillna("")
    full = (first + " " + last).str.strip()
    frame = frame.copy()
    frame["full_name"] = full.where(full != "", None)
    return frame


def _parameters(linker) -> dict[str, Any]:
    model = linker.misc.save_model_to_json()
    return {
        "probability_two_random_records_match": model["probability_two_random_records_match"],
        "comparisons": [
            {
                "name": comparison["output_column_name"],
                "levels": [
                    {
                        "label": level.get("label_for_charts", ""),
                        "m": level.get("m_probability"),
                        "u": level.get("u_probability"),
                    }
                    for level in comparison["comparison_levels"]
                    if not level.get("is_null_level")
                ],
            }
            for comparison in model["comparisons"]
        ],
    }


def score(frame, *, db_api=None, estimate: bool = True, threshold_weight: float = REVIEW_WEIGHT):
    """Run the model on a frame of records (columns ``COLUMNS``): returns (the scored pairs
    at or above ``threshold_weight`` as a pandas frame, the parameters used)."""
    from splink import Linker, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    api = db_api or duckdb_api()
    frame = _with_full_name(frame)
    tf = len(frame) >= TF_MIN_RECORDS
    table = api.register(frame, dataset_display_name="records")
    linker = Linker(table, settings(tf=tf), log_level=None)
    notes: list[str] = []
    if estimate and len(frame) >= EM_MIN_RECORDS:
        try:
            linker.training.estimate_u_using_random_sampling(
                max_pairs=min(1e6, float(len(frame)) ** 2)
            )
            # EM blocks: postcode first (names, date of birth, e-mail and phone are estimated
            # among pairs at one address, where most pairs are the same person whatever their
            # name's frequency), then full name + date of birth (address). Blocking on the
            # name alone lets the many different people who share a common name teach EM that
            # a different date of birth is normal for a match.
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on("postcode"), fix_u_probabilities=True
            )
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on("full_name", "dob"), fix_u_probabilities=True
            )
            notes.append("u by random sampling; m by EM (blocks: postcode; full name+dob)")
        except Exception as error:  # EM can fail to converge on small or odd batches
            table = api.register(frame, dataset_display_name="records_priors")
            linker = Linker(table, settings(tf=tf), log_level=None)
            notes.append(f"EM did not complete ({type(error).__name__}); priors used")
    else:
        notes.append(f"EM not run: {len(frame)} records (fewer than {EM_MIN_RECORDS}); priors used")
    if tf:
        notes.append("term-frequency adjustment on exact full name and exact surname")
    else:
        notes.append(f"no term-frequency adjustment: fewer than {TF_MIN_RECORDS} records")
    predictions = linker.inference.predict(threshold_match_weight=threshold_weight)
    rows = predictions.as_pandas_dataframe()
    parameters = _parameters(linker)
    parameters.update(notes=notes, accept_weight=ACCEPT_WEIGHT, review_weight=threshold_weight)
    return rows, parameters


def link(
    records: Sequence[dict[str, Any]],
    *,
    db_api=None,
    estimate: bool = True,
    threshold_weight: float = REVIEW_WEIGHT,
) -> LinkageResult:
    """Score the pairs among ``records`` (leads with ``source='lead'`` and people with
    ``source='person'``) and return those at or above ``threshold_weight``, lead first, each
    with its waterfall. Person–person pairs are dropped (they are the people app's business).
    ``estimate`` runs u sampling and EM on these records."""
    rows, parameters = score(
        _frame(records), db_api=db_api, estimate=estimate, threshold_weight=threshold_weight
    )
    prior = parameters["probability_two_random_records_match"]
    prior_weight = math.log2(prior / (1 - prior))
    pairs = []
    names = [c["name"] for c in parameters["comparisons"]]
    for row in rows.to_dict("records"):
        left, right = str(row["unique_id_l"]), str(row["unique_id_r"])
        sources = {row.get("source_l"), row.get("source_r")}
        if sources == {"person"}:
            continue
        waterfall = [{"name": "Prior", "level": "Before any comparison", "weight": prior_weight}]
        for name in names:
            mw = row.get(f"mw_{name}")
            gamma = row.get(f"gamma_{name}")
            if mw is None:
                continue
            waterfall.append(
                {
                    "name": name,
                    "level": _level_label(parameters, name, gamma),
                    "weight": float(mw),
                    "left": _values(row, name, "l"),
                    "right": _values(row, name, "r"),
                }
            )
        if row.get("source_l") == "person":  # keep the lead on the left
            left, right = right, left
            for step in waterfall:
                if "left" in step:
                    step["left"], step["right"] = step["right"], step["left"]
        pairs.append(
            ScoredPair(
                left=left,
                right=right,
                match_weight=float(row["match_weight"]),
                match_probability=float(row["match_probability"]),
                waterfall=waterfall,
            )
        )
    pairs.sort(key=lambda p: (-p.match_weight, p.left, p.right))
    return LinkageResult(pairs=pairs, parameters=parameters, pairs_scored=len(rows))


_COMPARED = {
    "name": ("first_name", "surname"),
    "dob": ("dob",),
    "address": ("postcode", "address"),
    "email": ("email",),
    "phone": ("phone",),
}


def _values(row: dict, name: str, side: str) -> str:
    parts = [row.get(f"{column}_{side}") for column in _COMPARED.get(name, ())]
    shown = [
        str(p)
        for p in parts
        if p not in (None, "") and not (isinstance(p, float) and math.isnan(p))
    ]
    return " ".join(shown) or "—"


def _level_label(parameters: dict, name: str, gamma) -> str:
    if gamma is None:
        return ""
    gamma = int(gamma)
    if gamma == -1:
        return "No value to compare"
    for comparison in parameters["comparisons"]:
        if comparison["name"] == name:
            levels = comparison["levels"]
            # levels exclude the null level; gamma counts down from the best level
            index = len(levels) - 1 - gamma
            if 0 <= index < len(levels):
                return levels[index]["label"]
    return str(gamma)
