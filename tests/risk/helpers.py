"""Input builders shared by the risk tests (no conftest.py by project rule)."""

from __future__ import annotations

from typing import Any


def cport_items(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "age_35_or_younger": False,
        "prior_criminal_history": False,
        "contact_sexual_offending": False,
        "conditional_release_failure": False,
        "sexual_interest_in_children": False,
        "more_boy_than_girl_csem": False,
        "more_boy_than_girl_other": False,
    }
    return {**base, **overrides}


def casic_items(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "never_married": False,
        "csem_videos": False,
        "csem_stories": False,
        "interest_two_years_plus": False,
        "volunteered_with_children": False,
        "online_sexual_communication_with_minor": False,
    }
    return {**base, **overrides}


def ospdc_items(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sex": "male",
        "contact_adult_sexual_sanctions": 0,
        "contact_child_sexual_sanctions": 0,
        "noncontact_sexual_sanctions": 1,
        "iioc_sanctions": 1,
        "total_sanctions": 1,
        "age_at_start_of_followup": 40,
        "age_at_last_sexual_sanction": 40,
        "stranger_victim": False,
    }
    return {**base, **overrides}


def ospiic_items(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sex": "male",
        "contact_adult_sexual_sanctions": 0,
        "contact_child_sexual_sanctions": 0,
        "noncontact_sexual_sanctions": 1,
        "iioc_sanctions": 1,
    }
    return {**base, **overrides}


def rm2000_items(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "age": 40,
        "sexual_appearances": 1,
        "criminal_appearances": 1,
        "male_victim": False,
        "stranger_victim": False,
        "never_married": False,
        "noncontact_conviction": False,
        "iioc_modified": False,
    }
    return {**base, **overrides}


def static99r_items(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "age_at_release": 37,
        "lived_with_partner_2_years": True,
        "index_nonsexual_violence": False,
        "prior_nonsexual_violence": False,
        "prior_sex_offence_charges": 0,
        "prior_sex_offence_convictions": 0,
        "prior_sentencing_dates": 0,
        "noncontact_sex_offence": False,
        "unrelated_victim": False,
        "stranger_victim": False,
        "male_victim": False,
        "has_category_a_offence": True,
    }
    return {**base, **overrides}


def points(result: Any) -> dict[str, Any]:
    return {i.key: i.points for i in result.items}
