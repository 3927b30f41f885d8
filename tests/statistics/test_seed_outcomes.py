"""``comeforward seed`` with outcomes (issue 14.9): histories consistent with each case's
state, recommendations for decided cases, follow-up events only after a disposal, and the
statistics computed over them."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from comeforward.accounts import selectors as account_selectors
from comeforward.cases.models import Case, CaseStatusChange
from comeforward.demo.seed import SEED_FORCE
from comeforward.statistics import services
from comeforward.statistics.models import EqualityMonitoring, FollowUpEvent

pytestmark = pytest.mark.django_db


def test_seed_outcomes_are_consistent(capsys):
    call_command("seed", people=400, cases=300, batch=100, years=4)
    result = json.loads(capsys.readouterr().out)
    assert result["status_changes"] == CaseStatusChange.objects.count() > 0
    assert result["follow_up_events"] == FollowUpEvent.objects.count() > 0
    assert result["equality_records"] == EqualityMonitoring.objects.count() > 0
    for case in Case.objects.all()[:300]:
        history = list(case.status_changes.values_list("from_state", "to_state"))
        if case.state == "referred":
            assert history == []
            continue
        assert history[-1][1] == case.state
        assert all(a[1] == b[0] for a, b in zip(history, history[1:], strict=False))
    for event in FollowUpEvent.objects.select_related("case")[:200]:
        assert event.date > event.case.created_at.date()
    force = account_selectors.organisations_all().get(code=SEED_FORCE[1])
    (snapshot,) = services.figures_refresh(organisation_id=force.pk)
    raw = snapshot.data["raw"]
    referred = sum(month.get("referrals", 0) for month in raw["funnel_by_month"].values())
    assert referred == 300 == snapshot.cases
    assert any(w["followed_up"] for w in raw["follow_up"])


def test_seed_without_outcomes_keeps_the_old_shape(capsys):
    call_command("seed", people=20, cases=10, no_outcomes=True)
    result = json.loads(capsys.readouterr().out)
    assert result["status_changes"] == 0 and CaseStatusChange.objects.count() == 0
