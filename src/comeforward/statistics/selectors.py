"""Reads of the statistics app. Pages and the API read the materialised figures only
(``FiguresSnapshot``), never the case tables, so they stay fast at national scale (issue
14.9); every figure in them has been through disclosure control (``domain.suppression``).

**For the API** (branch ``api``): :func:`published_figures` is the one function to publish
from — scoped to the user's force, suppressed, with the time the figures were computed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied

from comeforward.errors import DomainError
from comeforward.roles import OrganisationType, Role

from . import sources
from .domain import costs as unit_costs
from .domain import equality
from .domain.followup import WINDOWS_YEARS, anniversary
from .domain.funnel import leaving_reason
from .domain.tables import Table
from .models import EqualityMonitoring, FiguresSnapshot, FollowUpEvent

#: Who sees the published (suppressed) statistics: analysts, and supervisors (chief
#: officers hold the supervisor role in this service).
STATISTICS_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR})
#: Who may take a pseudonymised record-level extract (issue 14.6): analysts only.
EXTRACT_ROLES = frozenset({Role.ANALYST})
#: Who may record a follow-up event from a PNC check (on cases they can see).
FOLLOW_UP_ROLES = frozenset({Role.SUPERVISOR, Role.OFFENDER_MANAGER, Role.INVESTIGATOR})
#: Who may record (and see) equality-monitoring answers: the same caseworkers, and the intake
#: officer who asks the questions at intake (issue 14.5).
EQUALITY_ROLES = FOLLOW_UP_ROLES | {Role.INTAKE_OFFICER}

PERIODS = ("month", "quarter")

PAGES = {
    "funnel": (
        "The funnel",
        ["funnel_quarter", "funnel_month", "conversion", "leaving_reasons", "criteria"],
    ),
    "time": (
        "Time, backlog and workload",
        [
            "timing",
            "backlog",
            "workload",
            "workload_team",
            "open_cases_team",
            "devices_waiting",
        ],
    ),
    "outcomes": ("Outcomes", ["breaches", "follow_up", "safeguarding_referrals", "children"]),
    "equality": (
        "Equality monitoring",
        ["equality_age_band", "equality_sex", "equality_ethnicity", "equality_disability"],
    ),
    "costs": ("Cost and police time", ["costs"]),
}
DASHBOARD_TABLES = [
    "funnel_quarter",
    "conversion",
    "timing",
    "backlog",
    "devices_waiting",
    "follow_up",
]


class PeriodInvalid(DomainError):
    code = "PERIOD_INVALID"


@dataclass(frozen=True)
class PublishedFigures:
    organisation_id: int
    computed_at: dt.datetime
    as_of: dt.date
    headline: dict
    tables: dict[str, Table]
    period: str
    #: When the refresh last found the figures still current (None: not checked since).
    checked_at: dt.datetime | None = None
    #: Whether a write has been audited since the records were read (the figures may lag).
    changed_since: bool = False

    @property
    def funnel(self) -> Table:
        return self.tables["funnel_month" if self.period == "month" else "funnel_quarter"]

    def as_dict(self) -> dict:
        """JSON-ready (for the API): published values only."""
        return {
            "organisation": self.organisation_id,
            "computed_at": self.computed_at.isoformat().replace("+00:00", "Z"),
            "changed_since": self.changed_since,
            "as_of": self.as_of.isoformat(),
            "period": self.period,
            "headline": self.headline,
            "tables": {
                key: {k: v for k, v in table.as_dict().items() if k != "chart"}
                for key, table in self.tables.items()
            },
        }


def _require(user, roles) -> None:
    if not (user.is_authenticated and user.is_active and user.has_role(*roles)):
        raise PermissionDenied


def latest_snapshot(organisation_id: int) -> FiguresSnapshot | None:
    return (
        FiguresSnapshot.objects.filter(organisation_id=organisation_id)
        .order_by("-computed_at", "-pk")
        .first()
    )


def published_figures(user, period: str = "quarter") -> PublishedFigures | None:
    """The published figures of ``user``'s force as of the last refresh, after disclosure
    control; None when no refresh has run yet. ``period``: ``"month"`` or ``"quarter"`` (which
    funnel ``.funnel`` gives). Raises ``PermissionDenied`` for roles that may not see
    statistics and ``PeriodInvalid`` (code ``PERIOD_INVALID``) for another period."""
    _require(user, STATISTICS_ROLES)
    if period not in PERIODS:
        raise PeriodInvalid(
            "The period must be month or quarter", details={"period": period, "allowed": PERIODS}
        )
    snapshot = latest_snapshot(user.organisation_id)
    if snapshot is None:
        return None
    data = snapshot.data
    return PublishedFigures(
        organisation_id=snapshot.organisation_id,
        computed_at=snapshot.computed_at,
        as_of=dt.date.fromisoformat(data["as_of"]),
        headline=data["headline"],
        tables={key: Table.from_dict(value) for key, value in data["tables"].items()},
        period=period,
        checked_at=snapshot.checked_at,
        changed_since=sources.changed_since(snapshot.audit_seq),
    )


def no_figures_reason(user) -> str | None:
    """Why ``user``'s organisation gets no figures, in plain words (None: a police force, which
    does). Figures are computed per police force, from the cases it owns. A local authority
    (or another partner) owns no cases, and the records do not say which organisation a
    safeguarding referral went to (the agency is written in words): counting "referrals made
    to you" would mean guessing, so none are counted (fail closed; docs/statistics.md §Who
    sees what)."""
    organisation = user.organisation
    if organisation.kind == OrganisationType.POLICE_FORCE:
        return None
    return (
        f"{organisation.name} is a {organisation.get_kind_display().lower()}. Statistics are "
        "published for each police force, from the cases the force owns, and this service "
        "cannot yet tell which safeguarding referrals were made to your organisation (the "
        "referral records name the agency in words, not as an organisation), so it publishes "
        "no figures for your organisation rather than guess. Ask the police force's analysts "
        "for its published statistics: they include safeguarding referrals made and their "
        "outcomes, with small numbers suppressed."
    )


def unit_cost_assumptions() -> list[tuple[str, str]]:
    return unit_costs.load(sources._unit_costs_path()).assumptions()


def unit_cost_model_name() -> str:
    model = unit_costs.load(sources._unit_costs_path()).raw["model"]
    return f"{model['name']} ({model['version']}): {model['status']}"


# --- the pseudonymised record-level extract (issues 14.6 and 14.8; docs/statistics.md) ------

EXTRACT_COLUMNS = (
    "pseudonym",
    "referral_month",
    "route",
    "age_band",
    "sex",
    "ethnicity",
    "disability",
    "current_stage",
    "devices_examined",
    "eligible",
    "criteria_not_met",
    "outcome",
    "days_referral_to_recommendation",
    "days_referral_to_disposal",
    "disposal_month",
    "cautioned",
    "treatment_started",
    "treatment_completed",
    "breach_confirmed",
    "left_route_reason",
    "follow_up_years_complete",
    *(f"rearrest_within_{y}y" for y in WINDOWS_YEARS),
    *(f"reconviction_within_{y}y" for y in WINDOWS_YEARS),
    "days_disposal_to_first_rearrest",
    "days_disposal_to_first_reconviction",
)


def pseudonym(case_id: int, study: str) -> str:
    """A stable pseudonym for a case within one study (HMAC-SHA256 keyed by the service's
    secret and the study code): the same case has the same pseudonym in every extract of a
    study, and unlinkable pseudonyms across studies. Only the service can re-identify."""
    key = hashlib.sha256(("comeforward-statistics-extract:" + settings.SECRET_KEY).encode())
    digest = hmac.new(key.digest(), f"{study}:{case_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def _yes_no(value) -> str:
    return "" if value is None else ("yes" if value else "no")


def extract_rows(user, *, study: str, as_of: dt.date) -> Iterator[dict]:
    """One row per case of the analyst's force, pseudonymised: no names, no dates of birth, no
    references, no exact dates (months, and days counted from the referral or the disposal).
    Call ``services.extract_authorise`` first: it audits the extract with its purpose."""
    _require(user, EXTRACT_ROLES)
    inputs = sources.gather(user.organisation_id, as_of)
    for r in inputs.records:
        disposal = r.disposal_on
        events = inputs.follow_up_events.get(r.case_id, [])
        complete = [y for y in WINDOWS_YEARS if disposal and anniversary(disposal, y) <= as_of]
        row = {
            "pseudonym": pseudonym(r.case_id, study),
            "referral_month": r.referred_on.strftime("%Y-%m"),
            "route": r.route,
            "age_band": equality.age_band(r.age_at_referral),
            "sex": r.sex or "not_recorded",
            "ethnicity": r.ethnicity or "not_recorded",
            "disability": r.disability or "not_recorded",
            "current_stage": r.state,
            "devices_examined": _yes_no(r.devices_examined_on is not None),
            "eligible": _yes_no(r.eligible) or "unknown",
            "criteria_not_met": ";".join(r.ineligible_rules),
            "outcome": r.outcome,
            "days_referral_to_recommendation": (
                (r.recommended_on - r.referred_on).days if r.recommended_on else ""
            ),
            "days_referral_to_disposal": (disposal - r.referred_on).days if disposal else "",
            "disposal_month": disposal.strftime("%Y-%m") if disposal else "",
            "cautioned": _yes_no(r.cautioned_on is not None),
            "treatment_started": _yes_no(r.treatment_started_on is not None),
            "treatment_completed": _yes_no(r.treatment_completed_on is not None),
            "breach_confirmed": _yes_no(r.breach_confirmed_on is not None),
            "left_route_reason": leaving_reason(r) or "",
            "follow_up_years_complete": max(complete, default=0),
        }
        for kind, prefix in (("rearrest", "rearrest"), ("reconviction", "reconviction")):
            days = sorted(
                (day - disposal).days
                for k, day in events
                if k == kind and disposal is not None and day > disposal
            )
            for y in WINDOWS_YEARS:
                if y not in complete or disposal is None:
                    row[f"{prefix}_within_{y}y"] = ""
                else:
                    end = (anniversary(disposal, y) - disposal).days
                    row[f"{prefix}_within_{y}y"] = _yes_no(bool(days) and days[0] <= end)
            row[f"days_disposal_to_first_{prefix}"] = days[0] if days else ""
        yield row


# --- one case (its case-page section and pages; the case is already loaded for the user) ------


def case_equality(case) -> EqualityMonitoring | None:
    """The equality-monitoring answers of the case's person, if any were recorded."""
    return EqualityMonitoring.objects.filter(person_id=case.person_id).first()


def case_follow_up_events(case) -> list[FollowUpEvent]:
    return list(FollowUpEvent.objects.filter(case=case).order_by("-date", "-pk"))


def person_age_band(case) -> str:
    """The age band at referral, derived from the date of birth (never asked)."""
    dob = getattr(case.person, "date_of_birth", None)
    if dob is None:
        return equality.NOT_RECORDED
    opened = case.created_at.date()
    age = opened.year - dob.year - ((opened.month, opened.day) < (dob.month, dob.day))
    return equality.age_band(age)
