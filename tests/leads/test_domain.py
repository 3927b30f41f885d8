"""Pure rules of the leads app: schema, grading, time zones, fraud indicators, the gate,
prioritisation. Each fraud rule is tested firing, not firing, and on 'unknown'."""

from __future__ import annotations

import pytest

from comeforward.leads.domain import fraud, priority, workflow
from comeforward.leads.domain.grading import InvalidGrading, parse_grading
from comeforward.leads.domain.schema import BatchRejected, card_hash, parse_batch, split_name
from comeforward.leads.domain.timestamps import parse_time

from .samples import csv_bytes, jsonl_bytes, payment_row, referral_row

KEY = b"k" * 32


# --- grading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2CP", "2/C/P", "2-c-p", " 2 C P "])
def test_grading_forms(text):
    assert str(parse_grading(text)) == "2CP"


@pytest.mark.parametrize("text", ["", "4AP", "1FP", "1AX", "1A", "AP1"])
def test_grading_refused(text):
    with pytest.raises(InvalidGrading):
        parse_grading(text)


# --- schema -----------------------------------------------------------------------------------


def test_payment_csv_card_number_becomes_keyed_hash_and_last_four():
    batch = parse_batch("payment", "x.csv", csv_bytes([payment_row()]), card_key=KEY)
    (row,) = batch.rows
    assert row.line == 2
    assert row.fields["card_hash"] == card_hash(KEY, "4111111111111111")
    assert row.fields["card_last4"] == "1111"
    assert "card_number" not in row.original
    assert row.original["card_number_hmac"] == row.fields["card_hash"]
    assert "4111" not in str(row.original).replace("1111", "")  # no full number anywhere
    assert row.original["cardholder_name"] == "Alan Testperson"
    assert row.fields["given_names"] == "Alan" and row.fields["family_name"] == "Testperson"
    assert row.fields["occurred_at_utc"] == "2002-03-05T03:15:00Z"


def test_card_hash_depends_on_the_key():
    assert card_hash(b"a", "4111111111111111") != card_hash(b"b", "4111111111111111")


def test_referral_jsonl():
    batch = parse_batch("referral", "r.jsonl", jsonl_bytes([referral_row()]), card_key=KEY)
    (row,) = batch.rows
    assert batch.file_format == "jsonl"
    assert row.line == 1
    assert row.fields["account_ids"] == ["username:jd01", "email:jd@example.test"]
    assert row.fields["file_hashes"] == ["d41d8cd98f00b204e9800998ecf8427e"]


def test_bad_rows_reported_with_line_numbers_and_nothing_returned():
    rows = [
        payment_row(),
        payment_row(cardholder_name=""),
        payment_row(date_of_birth="1970-13-01"),
        payment_row(card_number="12ab"),
        payment_row(merchant_classification="maybe"),
        payment_row(transaction_time="yesterday"),
    ]
    with pytest.raises(BatchRejected) as refused:
        parse_batch("payment", "x.csv", csv_bytes(rows), card_key=KEY)
    errors = refused.value.details["errors"]
    assert [(e["line"], e["code"]) for e in errors] == [
        (3, "REQUIRED"),
        (4, "BAD_DATE"),
        (5, "BAD_CARD"),
        (6, "NOT_A_CHOICE"),
        (7, "BAD_TIME"),
    ]
    assert refused.value.details["error_count"] == 5


def test_unknown_column_and_bad_json_lines_refused():
    data = jsonl_bytes([referral_row(colour="red")]) + b"not json\n"
    with pytest.raises(BatchRejected) as refused:
        parse_batch("referral", "r.jsonl", data, card_key=KEY)
    assert [(e["line"], e["code"]) for e in refused.value.details["errors"]] == [
        (1, "UNKNOWN_COLUMN"),
        (2, "NOT_JSON"),
    ]


def test_empty_and_non_utf8_files_refused():
    with pytest.raises(BatchRejected) as empty:
        parse_batch("payment", "x.csv", b"", card_key=KEY)
    assert empty.value.code == "BATCH_EMPTY"
    with pytest.raises(BatchRejected) as binary:
        parse_batch("payment", "x.csv", b"\xff\xfe\x00", card_key=KEY)
    assert binary.value.code == "BATCH_NOT_UTF8"


def test_split_name():
    assert split_name("Testperson, Alan James") == ("Alan James", "Testperson")
    assert split_name("Alan James Testperson") == ("Alan James", "Testperson")
    assert split_name("Cher") == ("", "Cher")


# --- time zones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("time", "zone", "utc"),
    [
        ("2002-03-04 21:15", "America/Chicago", "2002-03-05 03:15:00+00:00"),
        ("2002-03-04 21:15", "+02:00", "2002-03-04 19:15:00+00:00"),
        ("2002-03-04T21:15:00Z", "", "2002-03-04 21:15:00+00:00"),
        ("2002-03-04 21:15", "UTC", "2002-03-04 21:15:00+00:00"),
    ],
)
def test_certain_times(time, zone, utc):
    parsed = parse_time(time, zone)
    assert str(parsed.utc) == utc and parsed.ambiguity == ""


@pytest.mark.parametrize(
    ("time", "zone", "says"),
    [
        ("2002-03-04 21:15", "", "No time zone"),
        ("2002-03-04 21:15", "CST", "abbreviation"),
        ("2002-03-04 21:15", "Mars/Olympus", "not a known"),
        ("2002-10-27 01:30", "Europe/London", "happened twice"),
        ("2002-03-31 01:30", "Europe/London", "did not exist"),
    ],
)
def test_ambiguous_times_are_never_rekeyed(time, zone, says):
    parsed = parse_time(time, zone)
    assert parsed.utc is None
    assert says in parsed.ambiguity
    assert parsed.original == time and parsed.zone == zone


# --- fraud rules: each fires, does not fire, and 'unknown' is not evidence -------------------

RULES = [
    (
        fraud.card_verification,
        "card_verification",
        ["failed", "absent"],
        ["passed", "unknown"],
        "CARD_VERIFICATION_ABSENT_OR_FAILED",
    ),
    (
        fraud.payment_without_access,
        "accessed_after_payment",
        ["no"],
        ["yes", "unknown"],
        "PAYMENT_WITHOUT_ACCESS",
    ),
    (
        fraud.chargeback_or_stolen,
        "chargeback",
        ["yes"],
        ["no", "unknown"],
        "CHARGEBACK_OR_STOLEN_CARD",
    ),
    (
        fraud.chargeback_or_stolen,
        "card_reported_stolen",
        ["yes"],
        ["no", "unknown"],
        "CHARGEBACK_OR_STOLEN_CARD",
    ),
    (
        fraud.merchant_classification,
        "merchant_classification",
        ["adult_only", "fraud"],
        ["iioc", "unknown"],
        "MERCHANT_ADULT_ONLY_OR_FRAUD",
    ),
    (
        fraud.billing_only_address,
        "address_use",
        ["billing_only"],
        ["residential", "unknown"],
        "BILLING_ONLY_ADDRESS",
    ),
]


@pytest.mark.parametrize(("rule", "key", "fires", "quiet", "code"), RULES)
def test_single_lead_rules(rule, key, fires, quiet, code):
    for value in fires:
        indicator = rule({key: value, "merchant": "m.test"})
        assert indicator is not None and indicator.code == code
        assert indicator.evidence and any(
            value.replace("_", "-") in e.replace("_", "-") or value in e for e in indicator.evidence
        )
    for value in quiet:
        assert rule({key: value}) is None


def test_po_box_is_billing_only():
    indicator = fraud.billing_only_address(
        {"address": "PO Box 12, Testtown", "address_use": "unknown"}
    )
    assert indicator is not None and indicator.evidence == ("the address is a PO box",)


def test_timestamp_rule_shows_original_and_reason():
    indicator = fraud.timestamp_ambiguity(
        {
            "time_original": "2002-03-04 21:15",
            "zone_original": "CST",
            "time_ambiguity": "The zone 'CST' is an abbreviation that names several zones",
        }
    )
    assert indicator is not None and indicator.code == "TIMESTAMP_ZONE_AMBIGUOUS"
    assert "'CST'" in indicator.evidence[0]
    assert fraud.timestamp_ambiguity({"time_ambiguity": ""}) is None


def test_shared_payer_many_cards_from_one_ip():
    leads = [
        {"line": 2, "ip": "192.0.2.1", "card_hash": "a", "full_name": "A B"},
        {"line": 3, "ip": "192.0.2.1", "card_hash": "b", "full_name": "A B"},
        {"line": 4, "ip": "192.0.2.1", "card_hash": "c", "full_name": "A B"},
        {"line": 5, "ip": "192.0.2.2", "card_hash": "d", "full_name": "A B"},
    ]
    found = fraud.shared_payers(leads)
    assert sorted(found) == [0, 1, 2]
    assert found[0].evidence == (
        "IP address 192.0.2.1 paid with 3 different cards (lines 2, 3, 4)",
    )


def test_shared_payer_many_names_from_one_email_below_threshold_quiet():
    leads = [
        {"line": 2, "email": "x@example.test", "card_hash": "a", "full_name": "A One"},
        {"line": 3, "email": "x@example.test", "card_hash": "a", "full_name": "B Two"},
        {"line": 4, "email": "x@example.test", "card_hash": "a", "full_name": "C Three"},
    ]
    found = fraud.shared_payers(leads)
    assert found[1].evidence == (
        "e-mail address x@example.test paid in 3 different names (lines 2, 3, 4)",
    )
    assert fraud.shared_payers(leads[:2]) == {}


def test_indicators_for_batch_and_fraud_path():
    clean = {"card_verification": "passed", "accessed_after_payment": "yes"}
    suspect = {"card_verification": "failed", "chargeback": "yes"}
    result = fraud.indicators_for_batch([clean, suspect])
    assert result[0] == []
    assert [i.code for i in result[1]] == [
        "CARD_VERIFICATION_ABSENT_OR_FAILED",
        "CHARGEBACK_OR_STOLEN_CARD",
    ]
    assert not fraud.on_fraud_path(result[0]) and fraud.on_fraud_path(result[1])


# --- the gate ---------------------------------------------------------------------------------

GOOD = dict(
    state=workflow.ACTION_PROPOSED,
    corroborations=[workflow.Corroboration("subscriber_data", "ISP subscriber check")],
    batch_source="Payment processor X",
    proposal=workflow.Proposal("search", proposer_id=1),
    approver_id=2,
    approver_is_supervisor=True,
)


def test_gate_passes_with_corroboration_and_another_supervisor():
    assert workflow.authorisation_blockers(**GOOD) == []


@pytest.mark.parametrize(
    ("change", "blocker"),
    [
        ({"corroborations": []}, "independent corroboration"),
        (
            {"corroborations": [workflow.Corroboration("subscriber_data", "payment processor x")]},
            "independent corroboration",
        ),
        (
            {"corroborations": [workflow.Corroboration("gossip", "Neighbour")]},
            "independent corroboration",
        ),
        ({"approver_id": 1}, "must not be the person who proposed"),
        ({"approver_is_supervisor": False}, "Only a supervisor"),
        ({"state": workflow.RECEIVED, "proposal": None}, "proposed first"),
    ],
)
def test_gate_blocks(change, blocker):
    blockers = workflow.authorisation_blockers(**{**GOOD, **change})
    assert any(blocker in b for b in blockers), blockers
    with pytest.raises(workflow.LeadTransitionNotAllowed):
        workflow.check_authorisation(**{**GOOD, **change})


def test_nfa_fraud_victim_needs_the_fraud_path_and_a_reason():
    with pytest.raises(workflow.LeadTransitionNotAllowed):
        workflow.check_nfa_reason("possible_fraud_victim", on_fraud_path=False, text="x")
    with pytest.raises(workflow.LeadTransitionNotAllowed):
        workflow.check_nfa_reason("insufficient_evidence", on_fraud_path=False, text=" ")
    workflow.check_nfa_reason("possible_fraud_victim", on_fraud_path=True, text="chargeback")


# --- prioritisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("access", "kirat", "level"),
    [
        (None, None, "HIGH"),  # unknown is never low
        (False, None, "LOW"),
        (True, None, "IMMEDIATE"),
        (False, "MEDIUM", "MEDIUM"),
        (False, "VERY_HIGH", "IMMEDIATE"),
        (True, "LOW", "IMMEDIATE"),
        (None, "LOW", "HIGH"),
    ],
)
def test_urgency(access, kirat, level):
    urgency = priority.safeguarding_urgency(access_to_children=access, kirat=kirat)
    assert urgency.level == level
    assert urgency.days == priority.ACTION_TIMESCALE_DAYS[level]


@pytest.mark.parametrize(
    ("kinds", "indicators", "linked", "strength"),
    [
        (0, 0, True, "WEAK"),
        (1, 0, False, "MODERATE"),
        (1, 2, True, "WEAK"),
        (2, 2, True, "STRONG"),
        (2, 0, False, "MODERATE"),
    ],
)
def test_evidential_strength_is_separate_from_urgency(kinds, indicators, linked, strength):
    result, _ = priority.evidential_strength(
        independent_corroboration_kinds=kinds, fraud_indicators=indicators, linked_to_person=linked
    )
    assert result == strength
