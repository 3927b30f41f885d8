"""Synthetic national-scale data for benchmarks (ARCHITECTURE.md §6: 1 million people
records, 100,000 referrals a year). Every name is generated from made-up syllables and every
record is clearly fictional; a seed is only allowed in demo mode.

Rows are written in batches straight to the tables — ``COPY`` on PostgreSQL, batched
``INSERT`` elsewhere — with the derived search columns computed by the same functions the
models use (``people.models.search_name_for``, ``people.domain.matching.soundex``). One audit
record describes the whole run.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from comeforward.accounts import selectors as account_selectors
from comeforward.accounts import services as account_services
from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases.domain.sla import DEFAULT_RULES, OPEN
from comeforward.cases.domain.states import CaseState
from comeforward.errors import DomainError
from comeforward.people.domain.matching import search_name_for, soundex
from comeforward.roles import OrganisationType, Role

from .data import DEMO_PASSWORD, demo_totp_key

SEED_FORCE = ("Seedshire Police (synthetic)", "seedshire-police")
SEED_DOMAIN = "seed.example"
SEED_ROLES = (Role.SUPERVISOR, Role.INVESTIGATOR, Role.INTAKE_OFFICER)
REFERENCE_YEAR = 2019  # synthetic cases are numbered in a year no real case will use

_ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w"]
_ONSETS += ["br", "ch", "cl", "dr", "fl", "gr", "sh", "st", "th", "tr", "wh"]
_VOWELS = ["a", "e", "i", "o", "u", "ay", "ee", "oo", "ai", "ea"]
_CODAS = ["", "n", "r", "s", "t", "l", "m", "nd", "rt", "ck", "ll", "ss", "ng"]
_ENDINGS = ["", "son", "ton", "by", "well", "ford", "ham", "ley", "more", "field", "wood"]

#: How seeded cases spread over the workflow (open cases dominate, as in a live scheme).
STATE_WEIGHTS = {
    CaseState.REFERRED: 4,
    CaseState.SAFEGUARDING_SCREEN: 4,
    CaseState.STRATEGY_DISCUSSION: 1,
    CaseState.DEVICES_RECEIVED: 6,
    CaseState.FORENSIC_REVIEW: 8,
    CaseState.INTERVIEW: 4,
    CaseState.ASSESSMENT: 6,
    CaseState.DECISION: 3,
    CaseState.CAUTIONED: 3,
    CaseState.IN_TREATMENT: 10,
    CaseState.COMPLETED: 10,
    CaseState.REFERRED_FOR_PROSECUTION: 6,
    CaseState.NO_FURTHER_ACTION: 5,
    CaseState.CLOSED: 30,
}


class SeedNotAllowed(DomainError):
    code = "SEED_NOT_ALLOWED"


def seed_email(role: str) -> str:
    return f"{role.replace('_', '-')}@{SEED_DOMAIN}"


def _syllable(rng: random.Random) -> str:
    return rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)


def name_pools(rng: random.Random, *, given: int = 400, family: int = 5000):
    """Fictional given and family names (made-up syllables, so no real person's name is
    intended). A family name list of 5,000 gives realistic bucket sizes at 1M people."""
    given_names = sorted(
        {(_syllable(rng) + rng.choice(["", "a", "o", "y"])).title() for _ in range(given * 2)}
    )[:given]
    family_names = sorted(
        {
            (_syllable(rng) + _syllable(rng) + rng.choice(_ENDINGS)).title()
            for _ in range(family * 2)
        }
    )[:family]
    return given_names, family_names


@dataclass
class SeedResult:
    people: int
    cases: int
    tasks: int
    team_memberships: int
    seconds: float
    status_changes: int = 0
    recommendations: int = 0
    follow_up_events: int = 0
    equality_records: int = 0

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _sealed(value: str) -> str:
    """``value`` as ``EncryptedTextField`` stores it (blank stays blank)."""
    from comeforward.encryption.keys import encrypt_text

    return encrypt_text(value) if value else ""


def _write(table: str, columns: list[str], rows: Iterable[tuple], batch: int) -> int:
    """Append rows to ``table``: COPY on PostgreSQL, batched INSERT otherwise."""
    count = 0
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - table and columns are constants of this module
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _new_ids(table: str, after: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE id > %s ORDER BY id", [after])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _seed_world():
    """The synthetic force and one user per seeded role (idempotent)."""
    org = account_selectors.organisations_all().filter(code=SEED_FORCE[1]).first()
    if org is None:
        org = account_services.organisation_create(
            actor=None, name=SEED_FORCE[0], code=SEED_FORCE[1], kind=OrganisationType.POLICE_FORCE
        )
    users = {}
    for role in SEED_ROLES:
        email = seed_email(role)
        user = account_selectors.user_by_email(email)
        if user is None:
            user = account_services.user_create(
                actor=None,
                email=email,
                full_name=f"Seed {role.replace('_', ' ').title()}",
                organisation=org,
                role=role,
                password=DEMO_PASSWORD,
            )
            TOTPDevice.objects.create(
                user=user, name="Seed authenticator", key=demo_totp_key(email), confirmed=True
            )
        users[role] = user
    return org, users


def seed(
    *,
    people: int,
    cases: int,
    batch: int = 10_000,
    random_seed: int = 2026,
    years: int = 2,
    outcomes: bool = True,
) -> SeedResult:
    """Append ``people`` synthetic people and ``cases`` cases (each on a new person), referred
    over the last ``years`` years. With ``outcomes`` (the default) each case also gets the
    status history that led to its state, closed cases a plausible route (diverted, breached,
    prosecuted or no further action), decided cases a recommendation, disposed cases
    follow-up events from PNC checks and some people equality-monitoring answers
    (``_seed_outcomes``; issue 14.9)."""
    if not settings.DEMO_MODE and not getattr(settings, "TESTING", False):
        raise SeedNotAllowed("Synthetic data may only be loaded in demo mode")
    if cases > people:
        raise SeedNotAllowed(
            "Each seeded case needs its own person: ask for at least as many people as cases",
            details={"people": people, "cases": cases},
        )
    started = timezone.now()
    rng = random.Random(random_seed)
    given_names, family_names = name_pools(rng)
    sound = {name: soundex(name) for name in family_names}
    now = timezone.now()
    with transaction.atomic():
        org, users = _seed_world()
        first_person = _max_id("people_person")

        def person_rows() -> Iterator[tuple]:
            for _ in range(people):
                given = rng.choice(given_names)
                if rng.random() < 0.2:
                    given = f"{given} {rng.choice(given_names)}"
                family = rng.choice(family_names)
                dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 56))
                yield (given, family, dob, now, search_name_for(given, family), sound[family])

        made_people = _write(
            "people_person",
            [
                "given_names",
                "family_name",
                "date_of_birth",
                "created_at",
                "search_name",
                "family_soundex",
            ],
            person_rows(),
            batch,
        )
        new_people = _new_ids("people_person", first_person)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, search_name FROM people_person WHERE id > %s ORDER BY id",
                [first_person],
            )
            names = cursor.fetchall()
        _write(
            "people_personnameword",
            ["person_id", "word"],
            ((pk, word) for pk, name in names for word in sorted(set(name.split()))),
            batch,
        )
        person_ids = new_people[:cases]
        prefix = f"CF-{REFERENCE_YEAR}-"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM cases_case WHERE reference LIKE %s", [prefix + "%"]
            )
            start_number = int(cursor.fetchone()[0]) + 1
        if start_number + cases > 1_000_000:
            raise SeedNotAllowed("Synthetic references are limited to 999,999 cases")
        states = list(STATE_WEIGHTS)
        weights = [STATE_WEIGHTS[s] for s in states]
        first_case = _max_id("cases_case")
        case_states: list[str] = []
        case_times: list[tuple[dt.datetime, dt.datetime]] = []

        def case_rows() -> Iterator[tuple]:
            for n, person_id in enumerate(person_ids):
                state = rng.choices(states, weights)[0]
                case_states.append(state)
                created = now - dt.timedelta(
                    days=rng.randrange(365 * years), minutes=rng.randrange(1440)
                )
                changed = created + (now - created) * rng.random()
                case_times.append((created, changed))
                yield (
                    f"{prefix}{start_number + n:06d}",
                    person_id,
                    "self_referral",
                    state,
                    changed,
                    org.pk,
                    created,
                )

        made_cases = _write(
            "cases_case",
            [
                "reference",
                "person_id",
                "route",
                "state",
                "state_changed_at",
                "owning_organisation_id",
                "created_at",
            ],
            case_rows(),
            batch,
        )
        case_ids = _new_ids("cases_case", first_case)
        opened = {rule.opened_by: rule for rule in DEFAULT_RULES}
        today = timezone.localdate()

        def task_rows() -> Iterator[tuple]:
            for case_id, state in zip(case_ids, case_states, strict=True):
                rule = opened.get(OPEN if state == CaseState.REFERRED else state)
                if rule is None or state not in rule.open_during:
                    continue
                due = today + dt.timedelta(days=rng.randrange(-10, 30))
                yield (case_id, rule.kind, rule.label, rule.role, due, now)

        made_tasks = _write(
            "cases_casetask",
            ["case_id", "kind", "label", "assigned_role", "due", "created_at"],
            task_rows(),
            batch,
        )

        def team_rows() -> Iterator[tuple]:
            for case_id in case_ids:
                if rng.random() < 0.01:
                    yield (case_id, users[Role.INVESTIGATOR].pk, now)
                if rng.random() < 0.005:
                    yield (case_id, users[Role.INTAKE_OFFICER].pk, now)

        made_team = _write(
            "cases_caseteammember", ["case_id", "user_id", "added_at"], team_rows(), batch
        )
        extra = (
            _seed_outcomes(
                case_ids,
                case_states,
                case_times,
                person_ids,
                random.Random(random_seed + 1),
                now,
                batch,
            )  # fmt: skip
            if outcomes
            else {}
        )
        result = SeedResult(
            made_people,
            made_cases,
            made_tasks,
            made_team,
            round((timezone.now() - started).total_seconds(), 1),
            **extra,
        )
        audit_record(
            actor=None,
            operation=Operation.COLLECT,
            subject_type="seed",
            scope="demo.seed",
            details={**result.as_dict(), "synthetic": True},
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "people_person",
                "people_personnameword",
                "cases_case",
                "cases_casetask",
                "cases_caseteammember",
                "cases_casestatuschange",
                "decisions_recommendation",
                "statistics_followupevent",
                "statistics_equalitymonitoring",
            ):
                cursor.execute(f"ANALYZE {table}")
    return result


S = CaseState
_MAIN_PATH: list[str] = [
    S.REFERRED,
    S.SAFEGUARDING_SCREEN,
    S.DEVICES_RECEIVED,
    S.FORENSIC_REVIEW,
    S.INTERVIEW,
    S.ASSESSMENT,
    S.DECISION,
]
_DIVERTED: list[str] = [*_MAIN_PATH, S.CAUTIONED, S.IN_TREATMENT]
#: Criteria of the default policy that a not-eligible person typically fails (synthetic mix).
_CRITERIA = ["E1", "E2", "E3", "E5", "E7", "E8", "E11", "E13"]


def _path_to(state: str, rng: random.Random) -> tuple[list[str], str]:
    """A plausible route to ``state`` and the recommendation it implies ("" for none)."""
    if state in _MAIN_PATH:
        return _MAIN_PATH[: _MAIN_PATH.index(state) + 1], ""
    if state == S.CAUTIONED:
        return [*_MAIN_PATH, S.CAUTIONED], "divert"
    if state == S.IN_TREATMENT:
        return _DIVERTED, "divert"
    if state == S.COMPLETED:
        return [*_DIVERTED, S.COMPLETED], "divert"
    if state == S.REFERRED_FOR_PROSECUTION:
        if rng.random() < 0.1:  # breach means prosecution
            return [*_DIVERTED, S.BREACHED, S.REFERRED_FOR_PROSECUTION], "divert"
        return [*_MAIN_PATH, S.REFERRED_FOR_PROSECUTION], "prosecute"
    if state == S.NO_FURTHER_ACTION:
        # e.g. a possible card-fraud victim: nothing found on the devices
        return [*_MAIN_PATH[: rng.randrange(3, 7)], S.NO_FURTHER_ACTION], ""
    if state == S.CLOSED:
        pick = rng.random()
        if pick < 0.6:
            return [*_DIVERTED, S.COMPLETED, S.CLOSED], "divert"
        if pick < 0.85:
            route, advice = _path_to(S.REFERRED_FOR_PROSECUTION, rng)
            return [*route, S.CLOSED], advice
        return [*_MAIN_PATH[: rng.randrange(3, 7)], S.NO_FURTHER_ACTION, S.CLOSED], ""
    return [S.REFERRED, state], ""


def _seed_outcomes(case_ids, case_states, case_times, person_ids, rng, now, batch) -> dict:
    """Status histories, recommendations, follow-up events and equality answers for the
    seeded cases (synthetic; rates are plausible, not real: re-arrest about 4 % and
    reconviction about 2 % a year after a caution, higher after prosecution)."""
    changes: list[tuple] = []
    recommendations: list[tuple] = []
    events: list[tuple] = []
    for case_id, state, (created, changed) in zip(case_ids, case_states, case_times, strict=True):
        path, advice = _path_to(state, rng)
        steps = len(path) - 1
        span = changed - created
        for k in range(1, steps + 1):
            at = created + span * (k / steps) if steps else changed
            changes.append((case_id, path[k - 1], path[k], at, "Synthetic history"))
        if advice:
            decided_at = created + span * (path.index(S.DECISION) / max(steps, 1))
            fired = (
                sorted(rng.sample(_CRITERIA, rng.randint(1, 2))) if advice == "prosecute" else []
            )
            recommendations.append(
                (case_id, "Synthetic policy", "seed", advice, json.dumps(fired), "[]", "{}",
                 "{}", "{}", decided_at)
            )  # fmt: skip
        disposed = S.CAUTIONED in path or S.REFERRED_FOR_PROSECUTION in path
        if disposed:
            disposal = (created + span * (path.index(
                S.CAUTIONED if S.CAUTIONED in path else S.REFERRED_FOR_PROSECUTION
            ) / max(steps, 1))).date()  # fmt: skip
            yearly = 0.04 if advice == "divert" and S.BREACHED not in path else 0.12
            day = disposal
            while True:
                day = day + dt.timedelta(days=365)
                if day > now.date():
                    break
                kind = "pnc_check_clear"
                if rng.random() < yearly:
                    kind = "rearrest"
                elif rng.random() < yearly / 2:
                    kind = "reconviction"
                found = (
                    day - dt.timedelta(days=rng.randrange(1, 300))
                    if kind != "pnc_check_clear"
                    else day
                )
                events.append((case_id, kind, found, "PNC check (synthetic)", now))
    made_changes = _write(
        "cases_casestatuschange", ["case_id", "from_state", "to_state", "at", "reason"],
        iter(changes), batch,
    )  # fmt: skip
    made_recommendations = _write(
        "decisions_recommendation",
        ["case_id", "policy_name", "policy_version", "outcome", "fired", "unknown", "result",
         "facts", "fact_sources", "created_at"],
        iter(recommendations), batch,
    )  # fmt: skip
    made_events = _write(
        "statistics_followupevent", ["case_id", "kind", "date", "source", "recorded_at"],
        iter(events), batch,
    )  # fmt: skip
    sexes, ethnicities = ["male"] * 18 + ["female", ""], ["white"] * 14 + [
        "asian", "asian", "black", "mixed", "other", "prefer_not_to_say", "", "",
    ]  # fmt: skip
    disability = ["no"] * 12 + ["yes", "yes", "prefer_not_to_say", "", ""]
    made_equality = _write(
        "statistics_equalitymonitoring",
        ["person_id", "sex", "ethnicity", "disability", "recorded_at"],
        (
            # Ethnicity and disability are encrypted at rest (EncryptedTextField).
            (
                pid,
                rng.choice(sexes),
                _sealed(rng.choice(ethnicities)),
                _sealed(rng.choice(disability)),
                now,
            )
            for pid in person_ids
            if rng.random() < 0.8  # a fifth of people never answered
        ),
        batch,
    )
    return {
        "status_changes": made_changes,
        "recommendations": made_recommendations,
        "follow_up_events": made_events,
        "equality_records": made_equality,
    }
