"""Equality monitoring (issue 14.5): outcomes by age band, sex, ethnicity and disability,
where recorded. Unrecorded values are a category of their own ("Not recorded"), never
guessed. Categories follow the ONS 2021 Census harmonised standards (ethnicity: the five
high-level groups; disability: the Equality Act 2010 definition as a yes/no question)."""

from __future__ import annotations

NOT_RECORDED = "Not recorded"

AGE_BANDS = ("18–24", "25–34", "35–44", "45–54", "55–64", "65 and over", "Under 18")

SEX = {"female": "Female", "male": "Male", "prefer_not_to_say": "Prefer not to say"}
ETHNICITY = {
    "asian": "Asian, Asian British, Asian Welsh",
    "black": "Black, Black British, Black Welsh, Caribbean or African",
    "mixed": "Mixed or multiple ethnic groups",
    "white": "White",
    "other": "Other ethnic group",
    "prefer_not_to_say": "Prefer not to say",
}
DISABILITY = {"yes": "Disabled", "no": "Not disabled", "prefer_not_to_say": "Prefer not to say"}

DIMENSIONS = {
    "age_band": ("Age band at referral", None),
    "sex": ("Sex", SEX),
    "ethnicity": ("Ethnicity", ETHNICITY),
    "disability": ("Disability", DISABILITY),
}


def age_band(age: int | None) -> str:
    if age is None:
        return NOT_RECORDED
    if age < 18:
        return "Under 18"
    for upper, label in ((24, "18–24"), (34, "25–34"), (44, "35–44"), (54, "45–54"), (64, "55–64")):
        if age <= upper:
            return label
    return "65 and over"


def category(dimension: str, value) -> str:
    """The published category for a recorded value (unknown codes: not recorded)."""
    if dimension == "age_band":
        return age_band(value)
    labels = DIMENSIONS[dimension][1] or {}
    return labels.get(value or "", NOT_RECORDED)


def categories(dimension: str) -> tuple[str, ...]:
    if dimension == "age_band":
        return (*AGE_BANDS, NOT_RECORDED)
    return (*(DIMENSIONS[dimension][1] or {}).values(), NOT_RECORDED)
