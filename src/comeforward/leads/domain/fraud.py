"""Card-fraud indicators (users-and-security §2.4 checks 1–6, 9 and 10): pure rules.

Each rule looks at one lead (and, for the shared-payer rule, the rest of its batch) and, when
it fires, returns an :class:`Indicator` with the evidence it used — so that the page can show
*why* a lead is on the "possible victim of card fraud" path. A lead with any indicator is on
that path (:func:`on_fraud_path`); the path has its own outcome, "no further action —
possible fraud victim", counted apart in the statistics (check 13).

Rules never treat a missing value as evidence either way: ``unknown`` fires nothing, and
the corroboration gate (``workflow``) stops action on payment data alone whatever the rules say.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: A shared IP address or e-mail paying with at least this many different cards, or in at
#: least this many different names, is a suspected card-testing cluster (check 3/4).
#: [M] operational threshold, awaiting sign-off.
SHARED_PAYER_THRESHOLD = 3

_PO_BOX = ("PO BOX", "P.O. BOX", "POBOX", "P O BOX")

Lead = Mapping[str, Any]


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    evidence: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "evidence": list(self.evidence)}


def card_verification(lead: Lead) -> Indicator | None:
    """Check 1: card verification (AVS/CVV) absent or failed."""
    value = lead.get("card_verification", "unknown")
    if value in {"failed", "absent"}:
        return Indicator(
            "CARD_VERIFICATION_ABSENT_OR_FAILED",
            "Card verification absent or failed",
            (f"card_verification = {value} in the supplied record",),
        )
    return None


def payment_without_access(lead: Lead) -> Indicator | None:
    """Check 2: the account never accessed the site after paying ("payment-only")."""
    if lead.get("accessed_after_payment") == "no":
        return Indicator(
            "PAYMENT_WITHOUT_ACCESS",
            "Payment with no later access",
            ("accessed_after_payment = no: no log-in or download after the payment",),
        )
    return None


def chargeback_or_stolen(lead: Lead) -> Indicator | None:
    """Check 5: a chargeback, or the card reported stolen."""
    evidence = []
    if lead.get("chargeback") == "yes":
        evidence.append("chargeback = yes: the cardholder disputed the payment")
    if lead.get("card_reported_stolen") == "yes":
        evidence.append("card_reported_stolen = yes: the card was reported stolen")
    if evidence:
        return Indicator(
            "CHARGEBACK_OR_STOLEN_CARD", "Chargeback or card reported stolen", tuple(evidence)
        )
    return None


def merchant_classification(lead: Lead) -> Indicator | None:
    """Check 6: the site paid was adult-only or itself a fraud."""
    value = lead.get("merchant_classification", "unknown")
    if value in {"adult_only", "fraud"}:
        label = "adult-only" if value == "adult_only" else "a fraud"
        return Indicator(
            "MERCHANT_ADULT_ONLY_OR_FRAUD",
            "Merchant classified as adult-only or fraud",
            (f"merchant {lead.get('merchant', '')!r} is classified as {label}",),
        )
    return None


def timestamp_ambiguity(lead: Lead) -> Indicator | None:
    """Check 9: the time cannot be placed on one UTC instant from what was supplied."""
    reason = lead.get("time_ambiguity", "")
    if reason:
        return Indicator(
            "TIMESTAMP_ZONE_AMBIGUOUS",
            "Time or time zone ambiguous",
            (
                f"time as supplied: {lead.get('time_original', '')!r}, "
                f"zone as supplied: {lead.get('zone_original', '')!r}",
                reason,
            ),
        )
    return None


def billing_only_address(lead: Lead) -> Indicator | None:
    """Check 10: the only address known is a billing address (or a PO box)."""
    address = str(lead.get("address", "")).upper()
    evidence = []
    if lead.get("address_use") == "billing_only":
        evidence.append("address_use = billing_only: not known to be where anyone lives")
    if any(marker in address for marker in _PO_BOX):
        evidence.append("the address is a PO box")
    if evidence:
        return Indicator("BILLING_ONLY_ADDRESS", "Billing-only address", tuple(evidence))
    return None


SINGLE_LEAD_RULES: tuple[Callable[[Lead], Indicator | None], ...] = (
    card_verification,
    payment_without_access,
    chargeback_or_stolen,
    merchant_classification,
    timestamp_ambiguity,
    billing_only_address,
)


def shared_payers(
    leads: Sequence[Lead], *, threshold: int = SHARED_PAYER_THRESHOLD
) -> dict[int, Indicator]:
    """Checks 3 and 4: one IP address or one e-mail paying with ``threshold`` or more
    different cards, or in ``threshold`` or more different names, within the batch.
    Returns the indicator for every lead (by index) in such a cluster."""
    found: dict[int, list[str]] = defaultdict(list)
    for key in ("ip", "email"):
        groups: dict[str, list[int]] = defaultdict(list)
        for index, lead in enumerate(leads):
            value = lead.get(key) or ""
            if value:
                groups[value].append(index)
        for value, members in groups.items():
            cards = {leads[i].get("card_hash") or leads[i].get("card_last4") for i in members}
            cards.discard("")
            cards.discard(None)
            names = {str(leads[i].get("full_name", "")).lower() for i in members}
            names.discard("")
            label = "IP address" if key == "ip" else "e-mail address"
            lines = ", ".join(str(leads[i].get("line", i + 1)) for i in members)
            if len(cards) >= threshold:
                for i in members:
                    found[i].append(
                        f"{label} {value} paid with {len(cards)} different cards (lines {lines})"
                    )
            if len(names) >= threshold:
                for i in members:
                    found[i].append(
                        f"{label} {value} paid in {len(names)} different names (lines {lines})"
                    )
    return {
        i: Indicator(
            "SHARED_PAYER_MANY_CARDS_OR_NAMES",
            "One IP address or credential paying with many cards or names",
            tuple(evidence),
        )
        for i, evidence in found.items()
    }


def indicators_for_batch(leads: Sequence[Lead]) -> list[list[Indicator]]:
    """Every lead's indicators, in the order of ``leads``."""
    shared = shared_payers(leads)
    result = []
    for index, lead in enumerate(leads):
        fired = [ind for rule in SINGLE_LEAD_RULES if (ind := rule(lead)) is not None]
        if index in shared:
            fired.append(shared[index])
        result.append(fired)
    return result


def on_fraud_path(indicators: Iterable[Indicator | Mapping[str, Any]]) -> bool:
    return any(True for _ in indicators)
