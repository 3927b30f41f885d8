"""Service-level clocks: which task a workflow event opens, for which role, due when.

Each rule says which case state opens a task, the states during which the task stays open,
the role that does it, and how many working days it may take.

One rule closes every task (issue 20.4, docs/tasks.md): a task is done as soon as **either**
the work it stands for is recorded — ``DONE_WHEN`` reads it from the case's facts, the same
facts the workflow guards read — **or** the case leaves the states the task belongs to, **or**
someone in its role (or a supervisor) marks it done. Whichever comes first closes it once,
with one audit record; a task already done is never closed again.

The defaults come from the research and are flagged where unverified: they are configuration
(Django setting ``COMEFORWARD_SLAS`` overrides the working days, per kind), to be agreed with
the scheme's partners before use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from .states import CaseState as S
from .workflow import CaseFacts

OPEN = "__open__"  # the event of a case being opened (state REFERRED)


@dataclass(frozen=True)
class TaskRule:
    kind: str
    label: str
    opened_by: str  # a CaseState value, or OPEN
    open_during: frozenset[str]
    role: str  # comeforward.roles.Role value (kept as text: cases.domain imports no Django)
    working_days: int
    source: str
    needs_legal_signoff: bool = True


DEFAULT_RULES: tuple[TaskRule, ...] = (
    TaskRule(
        kind="safeguarding_screen",
        label="Safeguarding screen",
        opened_by=OPEN,
        # A fast exit out of the scheme keeps the person's safeguarding work open.
        open_during=frozenset(
            {S.REFERRED, S.SAFEGUARDING_SCREEN, S.INVESTIGATION, S.REFERRED_FOR_PROSECUTION}
        ),
        role="intake_officer",
        working_days=1,
        source="domain-rules §5.2 S1, S2 (same day) and S6 (LADO within one working day) [M]",
    ),
    TaskRule(
        kind="forensic_examination",
        label="Forensic examination of the devices",
        opened_by=S.DEVICES_RECEIVED,
        open_during=frozenset({S.DEVICES_RECEIVED, S.FORENSIC_REVIEW}),
        role="forensic_examiner",
        working_days=20,
        source="scheme service level, not from statute: to be agreed with the force [D]",
    ),
    TaskRule(
        kind="interview",
        label="Interview under caution",
        opened_by=S.INTERVIEW,
        open_during=frozenset({S.INTERVIEW}),
        role="investigator",
        working_days=10,
        source="scheme service level, not from statute: to be agreed with the force [D]",
    ),
    TaskRule(
        kind="independent_assessment",
        label="Independent assessment",
        opened_by=S.ASSESSMENT,
        open_during=frozenset({S.ASSESSMENT}),
        role="independent_assessor",
        working_days=20,
        source="scheme service level: to be agreed with the assessment service [D]",
    ),
    TaskRule(
        kind="decision",
        label="Decision",
        opened_by=S.DECISION,
        open_during=frozenset({S.DECISION}),
        role="supervisor",
        working_days=5,
        source="scheme service level: to be agreed with the force [D]",
    ),
    TaskRule(
        kind="investigation",
        label="Criminal investigation: prepare the file for the CPS",
        opened_by=S.INVESTIGATION,
        open_during=frozenset({S.INVESTIGATION}),
        role="investigator",
        working_days=20,
        source="scheme service level: to be agreed with the force [D]",
    ),
    TaskRule(
        kind="treatment_referral",
        label="Refer to a treatment provider",
        opened_by=S.CAUTIONED,
        open_during=frozenset({S.CAUTIONED}),
        role="investigator",
        working_days=5,
        source="scheme service level: to be agreed with the treatment provider [D]",
    ),
)


def configured_rules(overrides: Mapping[str, Mapping] | None = None) -> tuple[TaskRule, ...]:
    """The default rules with ``overrides`` applied: ``{"kind": {"working_days": 2, …}}``.

    Only ``working_days`` and ``role`` may be overridden; unknown kinds are an error so that a
    typing mistake in settings cannot silently switch a clock off.
    """
    overrides = dict(overrides or {})
    unknown = set(overrides) - {rule.kind for rule in DEFAULT_RULES}
    if unknown:
        raise ValueError(f"COMEFORWARD_SLAS names unknown task kinds: {sorted(unknown)}")
    rules = []
    for rule in DEFAULT_RULES:
        change = dict(overrides.get(rule.kind, {}))
        bad = set(change) - {"working_days", "role"}
        if bad:
            raise ValueError(f"COMEFORWARD_SLAS[{rule.kind!r}] cannot set {sorted(bad)}")
        rules.append(replace(rule, **change))
    return tuple(rules)


#: The recorded work that completes each task kind, read from the case's facts. A kind with no
#: entry (``investigation``: the file is sent outside the system) closes only when the case
#: moves on or by hand.
DONE_WHEN: dict[str, Callable[[CaseFacts], bool]] = {
    "safeguarding_screen": lambda f: f.safeguarding_screened,
    "forensic_examination": lambda f: f.exhibits_received > 0 and f.exhibits_untriaged == 0,
    "interview": lambda f: f.interview_recorded,
    "independent_assessment": lambda f: f.assessment_complete,
    "decision": lambda f: f.decision_final,
    "treatment_referral": lambda f: f.treatment_referred,
}


def kinds_done_by_work(facts: CaseFacts, open_kinds: set[str]) -> set[str]:
    """Of ``open_kinds``, those whose work the case's facts show as recorded."""
    return {kind for kind in open_kinds if kind in DONE_WHEN and DONE_WHEN[kind](facts)}


def rules_opened_by(event: str, rules: tuple[TaskRule, ...]) -> list[TaskRule]:
    return [rule for rule in rules if rule.opened_by == event]


def kinds_done_on_entering(state: str, rules: tuple[TaskRule, ...]) -> set[str]:
    """Task kinds that are finished when a case enters ``state`` (it left their states)."""
    return {rule.kind for rule in rules if state not in rule.open_during}


def due_status(due, today) -> str:
    """``"overdue"`` after the due date, ``"due_today"`` on it, else ``"due"``."""
    if today > due:
        return "overdue"
    if today == due:
        return "due_today"
    return "due"
