"""``comeforward leads`` (docs/interfaces.md §10): JSON out, stable codes, exit 2 on refusal."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from comeforward.roles import Role


def test_team_add_names_a_member_and_prints_json(make_user, capsys):
    user = make_user(Role.INVESTIGATOR, full_name="Lee Leads")
    call_command("leads", "team", "add", "--user", user.email, "--kind", "member")
    out = json.loads(capsys.readouterr().out)
    assert out["user"] == user.email
    assert out["kind"] == "member"


def test_an_unknown_user_is_refused_with_its_code(db, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("leads", "team", "add", "--user", "nobody@example.org", "--kind", "member")
    assert exit_.value.code == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "UNKNOWN_USER"
