"""Request and response bodies of the integration API (OpenAPI components)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, field_validator

from comeforward.ui.forms import clean_text

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def _iso(pattern: re.Pattern, what: str):
    def check(value):
        if isinstance(value, str) and pattern.match(value):
            return value
        if isinstance(value, dt.date) and not isinstance(value, str):
            return value
        raise ValueError(f"Give the {what} in ISO 8601 form, like {_EXAMPLES[what]}")

    return BeforeValidator(check)


_EXAMPLES = {"date": "2026-03-31", "date and time": "2026-03-31T09:30:00Z"}


def _in_range(value):
    """The service's date range (1900-2199, as every form's: ui.forms); times in UTC."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(dt.UTC)
    if not 1900 <= value.year <= 2199:
        raise ValueError("The date must be between 1900 and 2199")
    return value


#: Dates and times only in ISO 8601 text (no numbers read as Unix time), 1900-2199.
IsoDate = Annotated[dt.date, _iso(_DATE, "date"), AfterValidator(_in_range)]
IsoDateTime = Annotated[dt.datetime, _iso(_DATETIME, "date and time"), AfterValidator(_in_range)]
#: Text with control characters and bidirectional overrides removed (the clean-up every web
#: form applies: ui.forms.clean_text), so nothing unprintable reaches a record.
#: Cleaned after the length limits are checked on what was sent.
Text = Annotated[str, AfterValidator(clean_text)]


class InputSchema(Schema):
    """A request body: unknown fields are refused (a misspelt field is never ignored)."""

    model_config = ConfigDict(extra="forbid")


class Problem(Schema):
    """RFC 9457 problem details (``application/problem+json``)."""

    type: str = Field(examples=["urn:comeforward:error:SCOPE_REQUIRED"])
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable error code (UPPER_SNAKE_CASE)")
    details: dict = Field(default_factory=dict)
    instance: str | None = None


class PersonSummary(Schema):
    id: int
    given_names: str
    family_name: str
    date_of_birth: dt.date | None


class CaseOut(Schema):
    id: int
    reference: str = Field(examples=["CF-2026-000123"])
    state: str
    state_label: str
    route: str
    owning_organisation: str = Field(description="The owning force's code")
    state_changed_at: dt.datetime
    created_at: dt.datetime
    person: PersonSummary


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null: end")


def _check_date(value: dt.date | None, *, not_after_today: bool) -> dt.date | None:
    if value is None:
        return value
    if value.year < 1900 or value.year > 2199:
        raise ValueError("The date must be between 1900 and 2199")
    if not_after_today and value > dt.date.today():
        raise ValueError("The date cannot be in the future")
    return value


class SelfReferralIn(InputSchema):
    """A self-referral. Give ``person_id`` to attach a person your force already holds (after
    your own duplicate check), or the person's name to record a new person."""

    person_id: int | None = Field(default=None, ge=1, le=2**62)
    given_names: Text = Field(default="", max_length=200)
    family_name: Text = Field(default="", max_length=200)
    date_of_birth: IsoDate | None = None

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, value):
        return _check_date(value, not_after_today=True)


class PersonOut(PersonSummary):
    aliases: list[str]
    case_references: list[str]


class PersonList(Schema):
    items: list[PersonOut]


class ParticularOut(Schema):
    kind: str
    label: str
    value: str | None = Field(description="Full value (names, addresses, dates); null if masked")
    masked: str | None = Field(description="Masked number (documents, accounts, cards)")
    valid_from: dt.date | None
    valid_to: dt.date | None


class TripOut(Schema):
    id: int
    departure: dt.date
    planned_return: dt.date | None
    returned_on: dt.date | None
    destinations: str
    departure_point: str
    arrival_point: str
    return_point: str
    carrier: str


class RegisterRecordOut(Schema):
    id: int
    case_id: int
    case_reference: str
    person: PersonSummary
    offence: str
    offence_date: dt.date
    disposal_type: str
    relevant_date: dt.date
    period: str
    last_day: dt.date | None = Field(description="null: indefinite")
    active: bool
    no_fixed_abode: bool
    next_due: dt.date | None
    initial_due: dt.date | None
    next_periodic_due: dt.date | None
    overdue_count: int
    arms_level: str
    mappa_category: str
    mappa_level: str


class RegisterRecordDetail(RegisterRecordOut):
    particulars: list[ParticularOut] = Field(description="Current particulars (s.83(5))")
    trips: list[TripOut]


class RegisterPage(Schema):
    items: list[RegisterRecordOut]
    next_cursor: str | None


class NotificationOut(Schema):
    id: int
    kind: str
    date: dt.date
    matters: list[str]
    changed_on: dt.date | None
    departure: dt.date | None
    police_station: str
    received_by_name: str
    recorded_at: dt.datetime


class NotificationList(Schema):
    items: list[NotificationOut]


class ParticularIn(InputSchema):
    kind: Literal[
        "name",
        "alias",
        "date_of_birth",
        "ni_number",
        "home_address",
        "other_address",
        "passport",
        "identity_document",
        "bank_account",
        "card",
        "child_household",
    ]
    value: Text = Field(min_length=1, max_length=500)
    detail: Text = Field(default="", max_length=500)
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None

    @field_validator("valid_from", "valid_to")
    @classmethod
    def _dates(cls, value):
        return _check_date(value, not_after_today=False)


class NotificationIn(InputSchema):
    """A notification made in person at a police station (SOA 2003 s.87)."""

    kind: Literal[
        "initial",
        "change",
        "periodic",
        "weekly",
        "travel",
        "child_household",
        "bank_passport",
        "return",
    ]
    date: IsoDate
    matters: list[Text] = Field(default_factory=list, max_length=20)
    changed_on: IsoDate | None = None
    departure: IsoDate | None = None
    details: Text = Field(default="", max_length=4000)
    particulars: list[ParticularIn] = Field(default_factory=list, max_length=50)
    police_station: Text = Field(default="", max_length=200)
    received_by_name: Text = Field(default="", max_length=200)

    @field_validator("date", "changed_on", "departure")
    @classmethod
    def _dates(cls, value):
        return _check_date(value, not_after_today=False)


class ExaminationOut(Schema):
    id: int
    imported_at: dt.datetime
    tool_name: str
    tool_version: str
    category_a: int
    category_b: int
    category_c: int
    uncategorised: int
    known_good: int
    unmatched_images: int
    total_files: int
    total_bytes: int
    report_sha256: str
    signer_fingerprint: str


class ExhibitOut(Schema):
    id: int
    case_id: int
    reference: str
    kind: str
    description: str
    make: str
    model: str
    serial_number: str
    seal_number: str
    storage_location: str
    disposal: str
    received_at: dt.datetime


class ExhibitDetail(ExhibitOut):
    examinations: list[ExaminationOut]


class ExhibitList(Schema):
    items: list[ExhibitOut]


class TaskOut(Schema):
    id: int
    case_id: int
    case_reference: str
    kind: str
    label: str
    assigned_role: str
    due: dt.date
    status: str = Field(description="overdue | due_today | due")


class TaskList(Schema):
    items: list[TaskOut]


class AuditEventOut(Schema):
    seq: int
    occurred_at: str
    operation: str
    actor_email: str
    actor_role: str
    actor_organisation: str
    subject_type: str
    subject_id: str
    subject_ref: str
    scope: str
    justification: str
    outcome: str
    details: dict
    prev_hash: str
    hash: str


class AuditPage(Schema):
    items: list[AuditEventOut]
    next_cursor: str | None


class Figure(Schema):
    table: str = Field(description="the table's id on the statistics pages")
    name: str = Field(description="table: row — column")
    value: int | float | None = Field(description="null: suppressed (small number)")
    shown: str = Field(description='as published, e.g. "fewer than 5" or "[c]"')
    suppressed: bool


class StatisticsOut(Schema):
    period: str = Field(description="month or quarter (the funnel's periods)")
    published_at: str = Field(description="when the figures were computed (UTC)")
    as_of: str = Field(description="the last day the figures cover")
    figures: list[Figure]
