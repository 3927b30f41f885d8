"""Two officers record the caution of one case at the same moment (issue 19.4): the
one-caution check runs inside the writing transaction under the case's row lock, so one is
recorded and the other refused with ``CAUTION_ALREADY_RECORDED`` — one caution, one register
record. Real PostgreSQL, threads with their own connections; skipped on SQLite."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections

from comeforward.cases import services as case_services
from comeforward.decisions import services
from comeforward.decisions.errors import CautionAlreadyRecorded
from comeforward.decisions.models import Caution
from comeforward.register import services as register_services
from comeforward.register.models import RegisterRecord
from comeforward.roles import Role

from .helpers import ELIGIBLE_CONFIRMED, S23_MET, decision_case

#: Every app but ``audit`` (its table refuses the flush after a committing test).
NOT_AUDIT = [
    app.split(".apps.")[0] for app in settings.INSTALLED_APPS if app != "comeforward.audit"
]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, available_apps=NOT_AUDIT)
def test_two_cautions_at_once_one_recorded_one_refused(
    monkeypatch, case_extensions, make_user, police_force
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (SQLite serialises writers)")
    for module in (services, case_services, register_services):
        monkeypatch.setattr(module, "audit_record", lambda **_: None)
    case_extensions.keep_facts("decisions")
    case_extensions.keep_policy_sources("Person record (age today)")
    case = decision_case(police_force)
    a, b = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
    decision = services.decision_record(
        actor=a, case=case, outcome="divert", reason_code="meets_criteria", reason_text="Ok"
    )
    services.decision_approve(actor=b, decision=decision, approve=True)

    # Widen the window: the first writer holds its transaction open after its check.
    transition = services.case_transition

    def slow_transition(**kwargs):
        result = transition(**kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(services, "case_transition", slow_transition)
    start = threading.Barrier(2)
    outcomes: list[object] = []
    lock = threading.Lock()

    def record(actor):
        try:
            start.wait()
            services.caution_record(
                actor=actor,
                case=case,
                kind="simple_caution",
                offences=["PCA1978_S1"],
                offence_date=dt.date(2025, 6, 1),
                youngest_depicted_age=12,
                caution_date=dt.date(2026, 3, 2),
                conditions=[],
                requirements=S23_MET,
            )
            result: object = "recorded"
        except BaseException as exc:  # noqa: BLE001 - compared below
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=record, args=(u,)) for u in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes.count("recorded") == 1, outcomes
    refused = [o for o in outcomes if o != "recorded"]
    assert len(refused) == 1 and isinstance(refused[0], CautionAlreadyRecorded), refused
    assert Caution.objects.filter(case=case).count() == 1
    assert RegisterRecord.objects.filter(case=case).count() == 1
