"""Forms for the register pages. Dates use the browser's date input (works without
JavaScript: browsers without a picker accept ``YYYY-MM-DD``)."""

from __future__ import annotations

from django import forms

from comeforward.law import Matter
from comeforward.law.facts import CAUTIONS, SCH3_PARAGRAPH, Offence

from .domain import DueKind, NotificationKind

MATTER_LABELS = {
    Matter.NAME: "Name (s.84(1)(a))",
    Matter.HOME_ADDRESS: "Home address (s.84(1)(b))",
    Matter.OTHER_ADDRESS: "Another address stayed at for a qualifying period (s.84(1)(c))",
    Matter.PRESCRIBED: "Prescribed change (s.84(1)(ca))",
    Matter.RELEASE: "Release from custody or detention (s.84(1)(d))",
    Matter.BANK_ACCOUNT: "Bank account (Regs 2012)",
    Matter.CARD: "Debit or credit card (Regs 2012)",
    Matter.PASSPORT: "Passport (Regs 2012)",
    Matter.IDENTITY_DOCUMENT: "Other identity document (Regs 2012)",
    Matter.CHILD_HOUSEHOLD: "Residing or staying with a child (Regs 2012)",
}


class DateInput(forms.DateInput):
    input_type = "date"


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput)


class NotificationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of notification", choices=NotificationKind.choices, widget=forms.RadioSelect
    )
    date = _date("Date notified")
    matters = forms.MultipleChoiceField(
        label="Matters changed",
        required=False,
        choices=[(m.value, MATTER_LABELS[m]) for m in Matter],
        widget=forms.CheckboxSelectMultiple,
        help_text="For changes, bank or passport details and residing with a child",
    )
    changed_on = _date("Date of the change", required=False, help_text="For changes only")
    departure = _date("Date of departure", required=False, help_text="For foreign travel only")
    details = forms.CharField(
        label="Details notified", required=False, widget=forms.Textarea, max_length=4000
    )


class HomeVisitForm(forms.Form):
    date = _date("Date of the visit")
    next_due = _date(
        "Next visit due",
        required=False,
        help_text="As set by the risk-management plan",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea, max_length=4000)


class ArmsForm(forms.Form):
    assessed_on = _date("Date of the ARMS assessment")
    next_due = _date("Next ARMS assessment due")


class BreachForm(forms.Form):
    kind = forms.ChoiceField(label="Deadline missed", choices=DueKind.choices)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea, max_length=4000)


class EnterRecordForm(forms.Form):
    """A person already subject to the notification requirements, from their caution."""

    offence = forms.ChoiceField(
        label="Offence",
        choices=[(o.value, f"{o.value} ({SCH3_PARAGRAPH[o]})") for o in Offence],
        widget=forms.RadioSelect,
    )
    offence_date = _date("Date of the offence")
    offender_dob = _date("Date of birth")
    youngest_depicted_age = forms.IntegerField(
        label="Age of the youngest person depicted",
        min_value=0,
        max_value=17,
        required=False,
        help_text="When the photograph was taken (Sch 3 para 95(a)); leave blank if unknown",
    )
    disposal_type = forms.ChoiceField(
        label="Disposal",
        choices=[(c.value, c.value.replace("_", " ").capitalize()) for c in sorted(CAUTIONS)],
        widget=forms.RadioSelect,
    )
    relevant_date = _date("Date of the caution", help_text="The relevant date (s.82(6))")
    no_fixed_abode = forms.BooleanField(label="No fixed abode", required=False)
