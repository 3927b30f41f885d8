"""The one form-page helper (``comeforward.ui.forms``): refusals on the form, success back."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from comeforward.errors import DomainError
from comeforward.ui.forms import show_refusal, submit


class _Form(forms.Form):
    date = forms.CharField()
    reason = forms.CharField(required=False)


def _request(method: str = "post", data: dict | None = None):
    request = getattr(RequestFactory(), method)("/x", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_fields_own_sentence_is_shown_on_it() -> None:
    form = _Form({"date": "x"})
    assert form.is_valid()
    show_refusal(
        form,
        DomainError("Cannot record", details={"fields": {"date": "The date cannot be ahead"}}),
    )
    assert form.errors == {"date": ["The date cannot be ahead"]}


def test_a_code_shows_the_refusals_message_on_the_field() -> None:
    form = _Form({"date": "x"})
    assert form.is_valid()
    show_refusal(
        form, DomainError("The date is in the future", details={"fields": {"date": "future"}})
    )
    assert form.errors == {"date": ["The date is in the future"]}


def test_a_refusal_naming_no_field_of_the_form_goes_above_it() -> None:
    form = _Form({"date": "x"})
    assert form.is_valid()
    show_refusal(form, DomainError("Not now", details={"fields": {"elsewhere": "Wrong"}}))
    assert form.non_field_errors() == ["Not now"] and "date" not in form.errors


def test_submit_runs_the_action_and_redirects_with_a_message() -> None:
    request = _request(data={"date": "2026-01-01"})
    seen = []
    response = submit(request, _Form(request.POST), seen.append, success="Saved", then="/back")
    assert response is not None and response.status_code == 302 and response.url == "/back"
    assert seen == [{"date": "2026-01-01", "reason": ""}]
    assert [m.message for m in get_messages(request)] == ["Saved"]


def test_submit_shows_the_form_again_on_get_invalid_input_or_refusal() -> None:
    get = _request("get")
    assert submit(get, _Form(), lambda d: None, success="x", then="/") is None
    invalid = _request(data={})
    form = _Form(invalid.POST)
    assert submit(invalid, form, lambda d: None, success="x", then="/") is None
    assert "date" in form.errors

    def refuse(_data):
        raise DomainError("No", details={"fields": {"reason": "Give the reason"}})

    refused = _request(data={"date": "d"})
    form = _Form(refused.POST)
    assert submit(refused, form, refuse, success="x", then="/") is None
    assert form.errors == {"reason": ["Give the reason"]}
    assert list(get_messages(refused)) == []
