"""The labels that Python gives the staff pages are marked for translation (issue 20.9,
docs/welsh.md "Labels that Python supplies")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils.functional import Promise
from django.utils.translation import override

from comeforward.audit.operations import Operation, Outcome
from comeforward.enquiries.models import Direction, EnquiryStatus
from comeforward.exhibits.models import CustodyEventKind, ExhibitKind
from comeforward.roles import OrganisationType, Role
from comeforward.ui.forms import _not_after_today

SRC = Path(__file__).resolve().parents[2] / "src" / "comeforward"
POT = SRC / "locale" / "django.pot"
MARKED_CHOICES = [
    Role,
    OrganisationType,
    ExhibitKind,
    CustodyEventKind,
    Operation,
    Outcome,
    EnquiryStatus,
    Direction,
]
FORM_MODULES = sorted([*SRC.glob("*/forms.py"), *SRC.glob("*/*_forms.py")])


@pytest.mark.parametrize("choices", MARKED_CHOICES, ids=lambda c: c.__name__)
def test_choice_labels_are_lazy_and_in_the_catalogue_template(choices):
    pot = POT.read_text(encoding="utf-8")
    for value, label in choices.choices:
        assert isinstance(label, Promise), f"{choices.__name__}.{value}: label not marked"
        assert f'msgid "{label}"' in pot, f"{label!r} missing: run scripts/i18n.py extract"


@pytest.mark.parametrize("path", FORM_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_form_labels_and_help_texts_are_not_plain_literals(path):
    text = path.read_text(encoding="utf-8")
    plain = re.findall(r'\b(?:label|help_text|empty_label)="[^"\n]*"', text)
    assert plain == [], f"mark with _(…): {plain}"


def test_a_translated_date_of_birth_label_keeps_the_not_in_the_future_check():
    from django import forms
    from django.utils.translation import gettext_lazy as _

    field = forms.DateField(label=_("Date of birth"))
    with override("cy"):
        assert _not_after_today(field)
    assert not _not_after_today(forms.DateField(label=_("Date notified")))
