"""The written notice of requirements as a documents kind, with the person's deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.accounts.roles import Role
from comeforward.documents.registry import DocumentUnavailable, document_kind

from .conftest import cautioned_case, open_record

pytestmark = pytest.mark.django_db
D = dt.date


def test_notice_kind_lists_the_persons_deadlines(make_user, police_force, fixed_today):
    from django.template.loader import render_to_string

    fixed_today(D(2025, 3, 2))
    manager = make_user(Role.OFFENDER_MANAGER)
    case = cautioned_case(police_force)
    kind = document_kind("notification_notice")
    assert kind.roles == frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR})
    with pytest.raises(DocumentUnavailable):
        kind.context(manager, case)
    open_record(case, D(2025, 3, 1))
    context = kind.context(manager, case)
    html = render_to_string(
        kind.template,
        context
        | {
            "case": case,
            "document_title": kind.title,
            "generated_at": dt.datetime(2025, 3, 2, 12, 0, tzinfo=dt.UTC),
            "generated_by": manager,
            "marking": "OFFICIAL-SENSITIVE",
        },
    )
    assert "By 3 March 2025" in html
    assert "28 February 2027" in html
    assert "SOA 2003 s.83(1), (6): the initial notification is due within 3 days" in html
