"""Every form's free text and dates are cleaned in one place (issue 11.8).

Bidirectional overrides/isolates (U+202A–U+202E, U+2066–U+2069) make stored text display
differently from what it is ("Trojan Source"); C0/C1 control characters corrupt exports and
logs. Impossible dates (year 9999; a date of birth in the future) reached the services and
gave a 500. ``comeforward.ui.forms.install_text_cleaning`` fixes both for every form.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django import forms

import comeforward
from comeforward.cases.models import Case
from comeforward.roles import Role
from comeforward.ui.forms import clean_text

DIRTY = "  Al\u202eex\u2066 O\u2069\u202ab\u202b\u202c\u202d\x00r\x07i\x1b[31m\x7fe\x85n\x9f  "
CLEAN = "Alex Obri[31men"


def _all_forms() -> list[type[forms.BaseForm]]:
    found = []
    for module in pkgutil.walk_packages(comeforward.__path__, "comeforward."):
        if not module.name.rsplit(".", 1)[-1].endswith("forms"):
            continue
        loaded = importlib.import_module(module.name)
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == loaded.__name__:
                found.append(cls)
    return found


FORMS = _all_forms()


def _fields(kind):
    return [
        (f"{form.__module__}.{form.__name__}.{name}", field)
        for form in FORMS
        for name, field in form.base_fields.items()
        if isinstance(field, kind)
    ]


TEXT_FIELDS = [(n, f) for n, f in _fields(forms.CharField) if f.strip]
DATE_FIELDS = _fields(forms.DateField)


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("a\u202eb", "ab"),
        ("\u202a\u202b\u202c\u202d\u202e", ""),
        ("\u2066x\u2067y\u2068z\u2069", "xyz"),
        ("nul\x00bell\x07esc\x1bdel\x7f", "nulbellescdel"),
        ("c1\x80\x85\x9f", "c1"),
        ("tab\there\nnew line\r\nwindows", "tab\there\nnew line\r\nwindows"),
        ("Zoë O’Brien — café 日本 \u200d", "Zoë O’Brien — café 日本 \u200d"),
    ],
)
def test_clean_text(dirty, clean):
    assert clean_text(dirty) == clean


def test_the_search_found_the_application_forms():
    names = {form.__name__ for form in FORMS}
    assert {"IntakeForm", "QuestionForm", "ConvertForm", "TransitionForm"} <= names
    assert len(TEXT_FIELDS) >= 40
    assert len(DATE_FIELDS) >= 8


@pytest.mark.parametrize(("name", "field"), TEXT_FIELDS, ids=[n for n, _ in TEXT_FIELDS])
def test_every_text_field_of_every_form_strips_overrides_and_controls(name, field):
    assert field.to_python(DIRTY) == CLEAN
    assert field.to_python("\u202e \x00 ") == field.empty_value  # nothing left: empty


def test_passwords_are_left_exactly_as_typed():
    password = forms.CharField(strip=False, widget=forms.PasswordInput)
    assert password.to_python(" pa\u202ess\x07 ") == " pa\u202ess\x07 "


def test_a_bound_form_cleans_its_data():
    from comeforward.cases.forms import TransitionForm

    form = TransitionForm({"to_state": "closed", "reason": "Done \u202eedoc\u202c\x00."})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reason"] == "Done edoc."


def test_a_field_with_only_controls_is_required_and_empty():
    from comeforward.enquiries.forms import ReplyForm

    form = ReplyForm({"message": "\u202e\u2066\x07"})
    assert not form.is_valid()
    assert form.errors["message"] == ["Enter your reply"]


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "field"), DATE_FIELDS, ids=[n for n, _ in DATE_FIELDS])
@pytest.mark.parametrize("value", [dt.date(9999, 12, 31), dt.date(2200, 1, 1), dt.date(1, 1, 1)])
def test_every_date_field_refuses_dates_no_case_can_hold(name, field, value):
    with pytest.raises(forms.ValidationError) as error:
        field.to_python(value)
    assert error.value.code == "date_out_of_range"


@pytest.mark.parametrize(("name", "field"), DATE_FIELDS, ids=[n for n, _ in DATE_FIELDS])
def test_every_date_field_accepts_the_edges(name, field):
    assert field.to_python(dt.date(1900, 1, 1)) == dt.date(1900, 1, 1)
    assert field.to_python(dt.date.today()) == dt.date.today()


BIRTH_FIELDS = [(n, f) for n, f in DATE_FIELDS if "birth" in str(f.label).lower()]


def test_the_dates_of_birth_were_found():
    assert {n.rsplit(".", 2)[-2] for n, _ in BIRTH_FIELDS} >= {"IntakeForm", "ConvertForm"}


@pytest.mark.parametrize(("name", "field"), BIRTH_FIELDS, ids=[n for n, _ in BIRTH_FIELDS])
def test_a_date_of_birth_cannot_be_in_the_future(name, field):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(forms.ValidationError) as error:
        field.to_python(tomorrow)
    assert error.value.code == "date_in_future"


def test_other_dates_may_be_in_the_future():
    deadline = forms.DateField(label="Deadline")
    next_year = dt.date.today() + dt.timedelta(days=365)
    assert deadline.to_python(next_year) == next_year
    marked = forms.DateField(label="Held on")
    marked.not_after_today = True
    with pytest.raises(forms.ValidationError):
        marked.to_python(next_year)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("31/12/9999", "Enter a real date between 1900 and 2199"),
        (
            (dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y"),
            "Date of birth must be today or in the past",
        ),
    ],
)
def test_intake_page_explains_an_impossible_date_of_birth(make_user, sign_in, typed, error):
    response = sign_in(make_user(Role.INTAKE_OFFICER)).post(
        "/cases/intake",
        {"family_name": "Ex\u202eample", "date_of_birth": typed, "route": "other"},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Case.objects.count() == 0
