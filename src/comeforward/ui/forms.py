"""One way to handle a form page: GET shows the form; a valid POST calls the service; a refusal
from the service (:class:`~comeforward.errors.DomainError`) is shown on the form — never a
traceback, nothing saved (the service refused before writing); success flashes a message and
goes back to the page the work belongs to (CONVENTIONS: thin views, services do the work).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import override

from comeforward.errors import DomainError

#: Characters removed from every free-text field (issue 11.8): the bidirectional embedding and
#: override controls U+202A–U+202E and isolates U+2066–U+2069 (they can make a name, a note or
#: an exhibit reference *display* differently from what is stored — "Trojan Source", CVE-2021-
#: 42574), and the C0/C1 control characters and DEL, except tab, line feed and carriage return
#: (the line breaks a text area sends).
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """*value* without bidirectional overrides/isolates and control characters."""
    return UNSAFE_TEXT.sub("", value)


_plain_to_python = forms.CharField.to_python


def _clean_to_python(self: forms.CharField, value: Any) -> Any:
    value = _plain_to_python(self, value)
    if isinstance(value, str) and self.strip and value:
        value = clean_text(value).strip()
        if not value:
            return self.empty_value
    return value


#: Dates no case can hold (issue 11.8): year 9999 overflowed date arithmetic (a 500).
#: The same range as the statute engine's input (``comeforward.law.parsing``).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)

_plain_date_to_python = forms.DateField.to_python


def _not_after_today(field: forms.DateField) -> bool:
    """Dates of birth (by label, read in English: a translated label must not lose the
    check), and any date field marked ``not_after_today = True``."""
    with override("en"):
        label = str(field.label or "")
    return bool(getattr(field, "not_after_today", False)) or "birth" in label.lower()


def _checked_date_to_python(self: forms.DateField, value: Any) -> Any:
    value = _plain_date_to_python(self, value)
    if value is None:
        return value
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise forms.ValidationError(
            f"Enter a real date between {EARLIEST_DATE.year} and {LATEST_DATE.year}",
            code="date_out_of_range",
        )
    if _not_after_today(self) and value > dt.date.today():
        raise forms.ValidationError(
            f"{self.label or 'The date'} must be today or in the past", code="date_in_future"
        )
    return value


def install_text_cleaning() -> None:
    """Make every form field in the application clean its input in one place (issue 11.8):

    - every ``CharField`` (and its subclasses: email, slug, URL, regex, model-form text
      fields) removes the characters :func:`clean_text` removes, after Django's own strip.
      Fields with ``strip=False`` — passwords — are left exactly as typed;
    - every ``DateField`` refuses dates before 1900 or after 2199, and dates of birth (or
      fields marked ``not_after_today``) after today.

    The one shared place every form's input passes through is the field's ``to_python``;
    there is no common base form, so the web app installs this once at start-up
    (``WebConfig.ready``)."""
    forms.CharField.to_python = _clean_to_python
    forms.DateField.to_python = _checked_date_to_python


#: Where a refusal naming no field of the form goes: a field's name, ``None`` (above the
#: form), or a function of the refusal choosing one (``"email"`` for USER_ALREADY_EXISTS…).
Field = str | Callable[[DomainError], str | None] | None


def show_refusal(
    form: forms.Form,
    refusal: DomainError,
    *,
    field: Field = None,
    message: Callable[[DomainError], str] | None = None,
) -> None:
    """Put a service's refusal on *form*, GOV.UK style (the error summary links to fields).

    ``refusal.details["fields"]`` names the fields at fault. A field's own text is shown when it
    is a sentence for the user (it starts with a capital letter: "Enter the date of the
    change"); a code ("required", "future") is not shown — the refusal's message is, on that
    field. A refusal that names no field of the form goes on *field* (above the form when
    ``None``); when it names some, its sentences about anything else go above the form. The
    refusal stays on the form as ``form.refusal``, for a page that also shows its stable code
    (the exhibits' import pages: ``Error code: REPORT_SEAL_MISMATCH``).

    *message* words every refusal in a channel's own way (the anonymous enquiry pages show
    ``public_message(refusal)``, never a service's text): that sentence goes on *field* alone.
    """
    setattr(form, "refusal", refusal)  # noqa: B010 - forms.Form declares no such attribute
    chosen = field(refusal) if callable(field) else field
    if message is not None:
        form.add_error(chosen, message(refusal))
        return
    fields = (refusal.details or {}).get("fields", {})
    named = {name: text for name, text in fields.items() if name in form.fields}
    for name, text in named.items():
        form.add_error(name, text if _sentence(text) else refusal.message)
    if not named:
        form.add_error(chosen, refusal.message)
        return
    for name, text in fields.items():  # a sentence about something the form does not ask
        if name not in named and _sentence(text):
            form.add_error(None, text)


def _sentence(text: object) -> bool:
    return isinstance(text, str) and text[:1].isupper()


@dataclass(frozen=True)
class Outcome:
    """What came of a form's action: ``done`` with the action's ``result``; or not done — a
    GET, an invalid form, or the service's ``refusal`` (already shown on the form)."""

    done: bool
    result: Any = None
    refusal: DomainError | None = None

    def __bool__(self) -> bool:
        return self.done


def attempt(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    *,
    field: Field = None,
    message: Callable[[DomainError], str] | None = None,
) -> Outcome:
    """For a POST with a valid *form*, run ``action(form.cleaned_data)``. A refusal is put on
    the form (:func:`show_refusal` with *field* and *message*) and returned, so that a page
    can choose its status (the public pages: 429 for a rate limit). Nothing else is caught."""
    if request.method != "POST" or not form.is_valid():
        return Outcome(done=False)
    try:
        result = action(form.cleaned_data)
    except DomainError as refusal:
        show_refusal(form, refusal, field=field, message=message)
        return Outcome(done=False, refusal=refusal)
    return Outcome(done=True, result=result)


def _said(text: str | Callable[[Any], str], result: Any) -> str:
    return text(result) if callable(text) else text


def submit(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    *,
    success: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
    field: Field = None,
) -> HttpResponse | None:
    """For a valid POST run ``action(form.cleaned_data)``; on success flash *success* and
    redirect to the URL *then* (either may be a function of the action's result: the record
    it made). ``None`` when the form is to be shown (again): a GET, an invalid form, or a
    refusal (now on the form; one naming no field goes on *field*)."""
    outcome = attempt(request, form, action, field=field)
    if not outcome:
        return None
    messages.success(request, _said(success, outcome.result))
    return redirect(_said(then, outcome.result))


def form_page(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    *,
    success: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
    template: str,
    context: dict[str, Any],
    field: Field = None,
) -> HttpResponse:
    """The whole of a plain form page: :func:`submit`, or *template* with the form and
    *context* (a GET, an invalid form, a refusal)."""
    response = submit(request, form, action, success=success, then=then, field=field)
    return response or render(request, template, {"form": form, **context})


def reason_page(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[str], object],
    *,
    success: str,
    then: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """An administrator's page that does one thing to one thing with a reason (deactivate an
    account, reset its second factor, revoke an API client): *form* asks for ``reason``;
    ``action(reason)`` runs; a refusal goes on the reason."""
    return form_page(
        request,
        form,
        lambda data: action(data["reason"]),
        success=success,
        then=then,
        template=template,
        context=context,
        field="reason",
    )


def act(
    request: HttpRequest,
    action: Callable[[], object],
    *,
    success: str | Callable[[Any], str],
    then: str,
    message: Callable[[DomainError], str] | None = None,
) -> HttpResponse:
    """A button that is not a form page (a POST that starts a run, completes a task, accepts a
    transfer): run ``action()``, flash *success* (or the refusal's message, or *message* of
    it) and go back to *then*. A refusal changed nothing (the service refused first)."""
    try:
        result = action()
    except DomainError as refusal:
        messages.error(request, message(refusal) if message else refusal.message)
    else:
        messages.success(request, _said(success, result))
    return redirect(then)


def refusals_as_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A JSON endpoint of a page (the security-key ceremony's): a refusal is the error shape
    of docs/interfaces.md, ``{"error": {"code", "message", "details"}}``, status 400."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as refusal:
            return JsonResponse(refusal.as_dict(), status=400)

    return wrapper


def case_form_page(
    request: HttpRequest,
    case: Any,
    form: forms.Form,
    *,
    template: str,
    title: str,
    button: str,
    act: Callable[[forms.Form], object],
    done: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form about a case (assessments, decisions): a valid POST runs ``act(form)`` and goes
    back to the case page; otherwise *template* with the title, case, form and button text."""
    response = submit(
        request,
        form,
        lambda _data: act(form),
        success=done,
        then=reverse("cases:detail", kwargs={"case_id": case.pk}),
    )
    if response is not None:
        return response
    context = {"title": title, "case": case, "form": form, "button_text": button}
    return render(request, template, context | (extra or {}))


# --- Errors in plain words, each linked to its field (GOV.UK error message pattern) ---------
#
# Every form in the service is a plain ``forms.Form``; the renderer below gives each of them a
# bound field whose ``errors`` replace Django's stock sentences ("This field is required.") with
# the GOV.UK pattern built from the field's own label ("Enter the date of birth", "Select an
# answer: How did the referral come in?"). A message a form wrote itself is kept as it is.

_CHOOSE_WIDGETS = (
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.CheckboxInput,
    forms.Select,
    forms.FileInput,
)
_STOCK_MESSAGES = {
    "required": "This field is required.",
    "invalid_choice": "Select a valid choice. %(value)s is not one of the available choices.",
    "invalid_date": "Enter a valid date.",
    "invalid_integer": "Enter a whole number.",
    "invalid_number": "Enter a number.",
    "invalid_email": "Enter a valid email address.",
}


def _lower_first(label: str) -> str:
    """ "Date of birth" → "date of birth"; "PNC number" stays as it is (an abbreviation)."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def plain_error(bound: BoundField, error: ValidationError) -> str:
    """The sentence a user sees for one of *bound*'s errors."""
    text = " ".join(str(message) for message in error)
    template = str(error.message)
    label = str(bound.label or "this answer").strip().rstrip(":")
    question = label.endswith("?")
    choose = isinstance(bound.field.widget, _CHOOSE_WIDGETS)
    params = error.params or {}
    if error.code == "required" and template == _STOCK_MESSAGES["required"]:
        if question:
            return f"{'Select' if choose else 'Enter'} an answer: {label}"
        return f"{'Select' if choose else 'Enter'} {_lower_first(label)}"
    if error.code == "invalid_choice" and template == _STOCK_MESSAGES["invalid_choice"]:
        return f"Select one of the options listed for: {label}"
    stock_limit = text.startswith("Ensure this value")  # Django's own limit messages
    if error.code in ("max_length", "min_length") and stock_limit:
        limit = params.get("limit_value")
        more_or_fewer = "or fewer" if error.code == "max_length" else "or more"
        return f"{label} must be {limit} characters {more_or_fewer}"
    if error.code in ("max_value", "min_value") and stock_limit:
        limit = params.get("limit_value")
        return f"{label} must be {limit} {'or less' if error.code == 'max_value' else 'or more'}"
    if error.code == "invalid":
        if template == _STOCK_MESSAGES["invalid_date"]:
            return f"{label} must be a real date, like 31/3/1980"
        if template in (_STOCK_MESSAGES["invalid_integer"], _STOCK_MESSAGES["invalid_number"]):
            return f"{label} must be a number, like 3"
        if template == _STOCK_MESSAGES["invalid_email"]:
            return "Enter an email address in the correct format, like name@example.com"
    return text


class PlainWordsBoundField(BoundField):
    """A bound field whose errors are in plain words and which knows its error-summary anchor."""

    @property
    def errors(self):  # type: ignore[override]
        data = self.form.errors.as_data().get(self.name, [])
        return self.form.error_class(
            [plain_error(self, error) for error in data], renderer=self.form.renderer
        )

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the input itself, or — for radios and checkboxes,
        whose GOV.UK macro falls back to the field name as ``idPrefix`` — the first option."""
        return self.id_for_label or self.html_name


class GovukFormRenderer(DjangoTemplates):
    """``FORM_RENDERER``: gives every form :class:`PlainWordsBoundField`."""

    bound_field_class = PlainWordsBoundField
