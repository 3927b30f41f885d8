"""One way to handle a form page: GET shows the form; a valid POST calls the service; a refusal
from the service (:class:`~comeforward.errors.DomainError`) is shown on the form — never a
traceback, nothing saved (the service refused before writing); success flashes a message and
goes back to the page the work belongs to (CONVENTIONS: thin views, services do the work).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

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
    """Dates of birth (by label), and any date field marked ``not_after_today = True``."""
    return (
        bool(getattr(field, "not_after_today", False)) or "birth" in str(field.label or "").lower()
    )


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


def show_refusal(form: forms.Form, refusal: DomainError) -> None:
    """Put a service's refusal on *form*, GOV.UK style (the error summary links to fields).

    ``refusal.details["fields"]`` names the fields at fault. A field's own text is shown when it
    is a sentence for the user (it starts with a capital letter: "Enter the date of the
    change"); a code ("required", "future") is not shown — the refusal's message is, on that
    field. A refusal that names no field of the form goes above the form.
    """
    named = {
        name: text
        for name, text in (refusal.details or {}).get("fields", {}).items()
        if name in form.fields
    }
    for name, text in named.items():
        own = isinstance(text, str) and text[:1].isupper()
        form.add_error(name, text if own else refusal.message)
    if not named:
        form.add_error(None, refusal.message)


def submit(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    *,
    success: str,
    then: str,
) -> HttpResponse | None:
    """For a valid POST run ``action(form.cleaned_data)``; on success flash *success* and
    redirect to the URL *then*. ``None`` when the form is to be shown (again): a GET, an
    invalid form, or a refusal (now on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        action(form.cleaned_data)
    except DomainError as refusal:
        show_refusal(form, refusal)
        return None
    messages.success(request, success)
    return redirect(then)


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
