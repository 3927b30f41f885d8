"""The case-extension contract (cases/extensions.py): registration, actions, guards, swapping."""

from __future__ import annotations

import pytest

from comeforward.cases.extensions import (
    ActionNotAllowed,
    CaseExtension,
    ExtensionConflict,
    actions_for,
    allow,
    deny,
    extensions,
    extensions_overridden,
    register_extension,
    require_action,
)


class _Probe(CaseExtension):
    key = "probe"
    title = "Probe"

    def allowed_actions(self, user, case):
        yield allow("probe.look", "Look")
        yield deny("probe.touch", "Touch", "Only a supervisor can touch it")


class _Stray(CaseExtension):
    key = "stray"

    def allowed_actions(self, user, case):
        yield allow("probe.steal", "Steal")


def test_an_action_is_allowed_or_refused_with_its_reason():
    with extensions_overridden(_Probe(), only=True):
        assert require_action(None, None, "probe.look").allowed
        with pytest.raises(ActionNotAllowed) as refused:
            require_action(None, None, "probe.touch")
        assert refused.value.code == "ACTION_NOT_ALLOWED"
        assert "Only a supervisor" in str(refused.value)
        assert set(actions_for(None, None)) >= {"probe.look", "probe.touch"}


def test_an_extension_cannot_offer_another_extensions_actions():
    with extensions_overridden(_Stray(), only=True), pytest.raises(ExtensionConflict):
        actions_for(None, None)


def test_overriding_restores_the_registry():
    before = [type(e) for e in extensions()]
    with extensions_overridden(_Probe(), only=True) as now:
        assert [e.key for e in now] == ["probe"]
    assert [type(e) for e in extensions()] == before


def test_two_classes_cannot_claim_one_key():
    class Other(CaseExtension):
        key = "probe"

    with extensions_overridden(_Probe()), pytest.raises(ExtensionConflict):
        register_extension(Other())


def test_policy_sources_are_cited_apart_and_unknowns_dropped():
    from comeforward.cases.extensions import policy_fact_sources

    class Two(CaseExtension):
        key = "two"

        def policy_sources(self, case):
            return {"Screen": {"access_to_children": False}, "Children": {"x": None}}

    class One(CaseExtension):
        key = "one"
        policy_source = "Interview"

        def policy_facts(self, case):
            return {"admission_recorded": True, "offences": None}

    with extensions_overridden(Two(), One(), only=True):
        assert dict(policy_fact_sources(None)) == {
            "Screen": {"access_to_children": False},
            "Interview": {"admission_recorded": True},
        }


def test_a_refusal_keeps_the_apps_own_error_and_details():
    from comeforward.errors import DomainError

    class Mine(DomainError):
        code = "MINE_REFUSED"

    class App(CaseExtension):
        key = "app"

        def allowed_actions(self, user, case):
            yield deny("app.go", "Go", "Not yet", error=Mine, details={"state": "early"})
            yield deny("app.stop", "Stop", "Never", code="OTHER_CODE")

    with extensions_overridden(App(), only=True):
        with pytest.raises(Mine) as refused:
            require_action(None, None, "app.go")
        assert (refused.value.code, refused.value.details) == ("MINE_REFUSED", {"state": "early"})
        with pytest.raises(ActionNotAllowed) as refused:
            require_action(None, None, "app.stop")
        assert refused.value.code == "OTHER_CODE"
