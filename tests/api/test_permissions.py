"""The API's role rules are the web pages' own: each equals the ``allowed_roles`` of the view
that does the same thing, so the two cannot drift apart (issue 18.2: same need-to-know)."""

from __future__ import annotations

import pytest

from comeforward.api import calls
from comeforward.audit import views as audit_views
from comeforward.cases import views as case_views
from comeforward.exhibits import views as exhibit_views
from comeforward.register import views as register_views


@pytest.mark.parametrize(
    ("rule", "view"),
    [
        (calls.CASE_READERS, case_views.case_list),
        (calls.CASE_READERS, case_views.case_detail),
        (calls.INTAKE_ROLES, case_views.intake),
        (calls.REGISTER_READERS, register_views.register_detail),
        (calls.NOTIFICATION_RECORDERS, register_views.notification_new),
        (calls.EXHIBIT_VIEWERS, exhibit_views.exhibit_detail),
        (calls.TRIAGE_IMPORTERS, exhibit_views.examination_import),
        (calls.AUDIT_READERS, audit_views.trail),
    ],
    ids=lambda v: getattr(v, "__name__", "rule"),
)
def test_api_rule_equals_the_web_view(rule, view):
    assert frozenset(rule) == view.allowed_roles
