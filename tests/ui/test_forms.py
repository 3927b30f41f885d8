"""The one form-page helper (``comeforward.ui.forms``): refusals on the form, success back."""

from __future__ import annotations

import json

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from comeforward.errors import DomainError
from comeforward.ui.forms import act, attempt, reason_page, refusals_as_json, show_refusal, submit


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


# --- The helpers every view uses instead of catching a refusal (issue 19.3) -----------------


def _refuse(message="No", **details):
    def action(*_args):
        raise DomainError(message, details=details, code="NOT_NOW")

    return action


def test_a_refusal_naming_no_field_goes_on_the_field_chosen() -> None:
    form = _Form({"date": "x"})
    assert form.is_valid()
    show_refusal(form, DomainError("Not now"), field="reason")
    assert form.errors == {"reason": ["Not now"]}
    chosen = _Form({"date": "x"})
    assert chosen.is_valid()
    show_refusal(
        chosen,
        DomainError("Taken", code="TAKEN"),
        field=lambda r: "date" if r.code == "TAKEN" else None,
    )
    assert chosen.errors == {"date": ["Taken"]}


def test_sentences_about_fields_the_form_does_not_ask_go_above_it() -> None:
    form = _Form({"date": "x"})
    assert form.is_valid()
    fields = {"date": "Enter the date", "expires_at": "The expiry must be in the future"}
    show_refusal(form, DomainError("Cannot", details={"fields": fields}))
    assert form.errors == {
        "date": ["Enter the date"],
        "__all__": ["The expiry must be in the future"],
    }


def test_a_channel_words_refusals_its_own_way() -> None:
    form = _Form({"date": "x"})
    assert form.is_valid()
    refusal = DomainError("internal text", details={"fields": {"date": "Also internal"}})
    show_refusal(form, refusal, field="date", message=lambda r: f"public: {r.code}")
    assert form.errors == {"date": ["public: INVALID_INPUT"]}


def test_attempt_gives_the_result_or_the_refusal_shown_on_the_form() -> None:
    request = _request(data={"date": "d"})
    done = attempt(request, _Form(request.POST), lambda data: data["date"].upper())
    assert (bool(done), done.result, done.refusal) == (True, "D", None)
    form = _Form(request.POST)
    refused = attempt(request, form, _refuse("Not now"))
    assert not refused and refused.refusal is not None and refused.refusal.code == "NOT_NOW"
    assert form.non_field_errors() == ["Not now"]
    assert not attempt(_request("get"), _Form(), lambda data: 1)
    assert list(get_messages(request)) == []  # attempt flashes nothing (the public pages)


def test_submit_may_go_to_and_speak_of_what_the_action_made() -> None:
    request = _request(data={"date": "7"})
    response = submit(
        request,
        _Form(request.POST),
        lambda data: int(data["date"]),
        success=lambda made: f"Record {made} opened",
        then=lambda made: f"/records/{made}/",
    )
    assert response is not None and response.url == "/records/7/"
    assert [m.message for m in get_messages(request)] == ["Record 7 opened"]


def test_reason_page_runs_with_the_reason_or_shows_the_refusal_on_it(monkeypatch) -> None:
    from django.http import HttpResponse

    def render(request, template, context):  # the form page as drawn: its template and errors
        return HttpResponse(f"{template} {context['title']} {dict(context['form'].errors)}")

    monkeypatch.setattr("comeforward.ui.forms.render", render)
    request = _request(data={"date": "d", "reason": "because"})
    seen = []
    response = reason_page(
        request,
        _Form(request.POST),
        seen.append,
        success="Done",
        then="/list",
        template="decisions/form_page.html",
        context={"title": "Do it", "button_text": "Go"},
    )
    assert (response.status_code, response.url, seen) == (302, "/list", ["because"])
    refused = _request(data={"date": "d", "reason": "because"})
    page = reason_page(
        refused,
        _Form(refused.POST),
        _refuse("Already done"),
        success="Done",
        then="/list",
        template="decisions/form_page.html",
        context={"title": "Do it", "button_text": "Go"},
    )
    assert page.content.decode() == ("decisions/form_page.html Do it {'reason': ['Already done']}")


def test_act_flashes_the_success_or_the_refusal_and_goes_back() -> None:
    request = _request()
    response = act(request, lambda: 3, success=lambda n: f"{n} links", then="/batch")
    assert response.url == "/batch"
    refused = _request()
    response = act(
        refused,
        _refuse("Not yours"),
        success="x",
        then="/case",
        message=lambda r: f"{r.message} ({r.code})",
    )
    assert response.url == "/case"
    assert [m.message for m in get_messages(request)] == ["3 links"]
    assert [(m.level_tag, m.message) for m in get_messages(refused)] == [
        ("error", "Not yours (NOT_NOW)")
    ]


def test_refusals_as_json_answer_with_the_error_shape() -> None:
    @refusals_as_json
    def endpoint(request):
        _refuse("Bad key", credential="x")()

    response = endpoint(_request())
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "error": {"code": "NOT_NOW", "message": "Bad key", "details": {"credential": "x"}}
    }
