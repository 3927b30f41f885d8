"""Forms for the register pages. Dates use the browser's date input (works without
JavaScript: browsers without a picker accept ``YYYY-MM-DD``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from comeforward.law import Matter
from comeforward.law.facts import CAUTIONS, OFFENCE_LABELS, SCH3_PARAGRAPH, Offence

from .domain import (
    ArmsLevel,
    BreachOutcome,
    DisregardReason,
    MappaCategory,
    MappaLevel,
    NotificationKind,
    ParticularKind,
    VisitOutcome,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


def _date(
    label: StrOrPromise,
    *,
    required: bool = True,
    help_text: StrOrPromise = "",
    past: bool = False,
) -> forms.DateField:
    """``past``: the date cannot be after today (``ui.forms``' ``not_after_today``)."""
    field = forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput)
    field.not_after_today = past  # type: ignore[attr-defined]
    return field


class NotificationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of notification"), choices=NotificationKind.choices, widget=forms.RadioSelect
    )
    date = _date(_("Date notified"))
    matters = forms.MultipleChoiceField(
        label=_("Matters changed"),
        required=False,
        choices=[(m.value, MATTER_LABELS[m]) for m in Matter],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For changes, bank or passport details and residing with a child"),
    )
    changed_on = _date(_("Date of the change"), required=False, help_text=_("For changes only"))
    departure = _date(
        _("Date of departure"), required=False, help_text=_("For foreign travel only")
    )
    police_station = forms.CharField(label=_("Police station"), required=False, max_length=200)
    received_by_name = forms.CharField(
        label=_("Received by"),
        required=False,
        max_length=200,
        help_text=_("Leave blank if you received it yourself"),
    )
    particular_kind = forms.ChoiceField(
        label=_("New particular notified"),
        required=False,
        choices=[("", _("None"))] + list(ParticularKind.choices),
        help_text=_("A new name or home address replaces the current one; history is kept"),
    )
    particular_value = forms.CharField(
        label=_("The particular"),
        required=False,
        max_length=1000,
        help_text=_(
            "Address, name, or full number (numbers are stored encrypted and shown masked)"
        ),
    )
    particular_detail = forms.CharField(
        label=_("Further detail"),
        required=False,
        max_length=1000,
        help_text=_("Bank and sort code, issuing country, who lives there…"),
    )
    particular_from = _date(
        _("From"), required=False, help_text=_("For example, first day of a stay")
    )
    particular_to = _date(_("To"), required=False, help_text=_("Last day, or expiry"))
    ends = forms.MultipleChoiceField(
        label=_("Particulars this notification ends"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    details = forms.CharField(
        label=_("Details notified"), required=False, widget=forms.Textarea, max_length=4000
    )

    def __init__(self, *args, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends"].choices = [
            (str(p.pk), f"{p.get_kind_display()}: {p.masked or p.value}") for p in current
        ]

    def particulars(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("particular_kind"):
            return []
        return [
            {
                "kind": data["particular_kind"],
                "value": data["particular_value"],
                "detail": data["particular_detail"],
                "valid_from": data["particular_from"],
                "valid_to": data["particular_to"],
            }
        ]


class PeriodForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why the time is not counted"),
        choices=DisregardReason.choices,
        widget=forms.RadioSelect,
    )
    began_on = _date(_("Began on"))
    ended_on = _date(_("Ended on"), required=False, help_text=_("Leave blank if still going on"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea, max_length=4000
    )


class PeriodEndForm(forms.Form):
    ended_on = _date(_("Ended on"))


class TripForm(forms.Form):
    departure = _date(_("Date of departure"))
    departure_time = forms.TimeField(
        label=_("Time of departure"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("If known: the 12-hour rule counts from it"),
    )
    planned_return = _date(_("Date of return"), required=False)
    destinations = forms.CharField(label=_("Countries, in order"), max_length=300)
    departure_point = forms.CharField(label=_("Point of departure from the UK"), required=False)
    arrival_point = forms.CharField(label=_("Point of arrival abroad"), required=False)
    return_point = forms.CharField(label=_("Point of arrival back in the UK"), required=False)
    carrier = forms.CharField(label=_("Carriers out and back"), required=False, max_length=200)
    accommodation = forms.CharField(
        label=_("Accommodation for the first night"), required=False, max_length=1000
    )
    known_on = _date(
        _("Date the person knew the details"),
        help_text=_("Decides whether 7 days' or 12 hours' notice was needed"),
    )
    notified_on = _date(
        _("Date notified"), required=False, help_text=_("Leave blank if not notified")
    )
    police_station = forms.CharField(label=_("Police station"), required=False, max_length=200)


class TripReturnForm(forms.Form):
    returned_on = _date(_("Date of return to the UK"))
    notified_on = _date(
        _("Return notified on"),
        required=False,
        help_text=_("Needed if the return date or point was not given, or changed"),
    )


class TripNoticeForm(forms.Form):
    notified_on = _date(_("Date the travel notice was given"))
    police_station = forms.CharField(label=_("Police station"), required=False, max_length=200)


class BreachOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in BreachOutcome.choices if c[0]],
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        label=_("Further evidence"), required=False, widget=forms.Textarea, max_length=4000
    )
    notes = forms.CharField(
        label=_("Reasons"), required=False, widget=forms.Textarea, max_length=4000
    )


class ManagementForm(forms.Form):
    manager = forms.ChoiceField(label=_("Offender manager"), required=False, choices=[])
    area = forms.CharField(label=_("Area"), required=False, max_length=100)
    mappa_category = forms.ChoiceField(
        label=_("MAPPA category"),
        required=False,
        choices=[("", _("Not set")), *MappaCategory.choices],
    )
    mappa_level = forms.ChoiceField(
        label=_("MAPPA level"), required=False, choices=[("", _("Not set")), *MappaLevel.choices]
    )

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].choices = [("", _("Not assigned"))] + [
            (str(u.pk), u.full_name) for u in managers
        ]


class ReviewStepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=[], widget=forms.RadioSelect)
    on = _date(_("Date"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea, max_length=4000
    )

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .domain import ReviewStatus

        self.fields["step"].choices = [(s, ReviewStatus(s).label) for s in steps]


class HomeVisitForm(forms.Form):
    date = _date(_("Date of the visit"))
    announced = forms.TypedChoiceField(
        label=_("Was the visit announced?"),
        choices=[("yes", _("Announced")), ("no", _("Unannounced"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=VisitOutcome.choices, widget=forms.RadioSelect
    )
    next_due = _date(
        _("Next visit due"),
        required=False,
        help_text=_("Leave blank to follow the schedule for the ARMS level (awaiting sign-off)"),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea, max_length=4000
    )


class ArmsForm(forms.Form):
    assessed_on = _date(_("Date of the ARMS assessment"))
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Not given")), *ArmsLevel.choices]
    )
    next_due = _date(_("Next ARMS assessment due"))


class BreachForm(forms.Form):
    kind = forms.CharField(label=_("Deadline missed"), max_length=16)
    due = forms.DateField(required=False)
    event_ref = forms.CharField(required=False, max_length=100)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea, max_length=4000
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea, max_length=4000
    )


class EnterRecordForm(forms.Form):
    """A person already subject to the notification requirements, from their caution."""

    offence = forms.ChoiceField(
        label=_("Offence"),
        choices=[(o.value, f"{OFFENCE_LABELS[o]} ({SCH3_PARAGRAPH[o]})") for o in Offence],
        widget=forms.RadioSelect,
    )
    offence_date = _date(_("Date of the offence"), past=True)
    offender_dob = _date(_("Date of birth"))
    youngest_depicted_age = forms.IntegerField(
        label=_("Age of the youngest person depicted"),
        min_value=0,
        max_value=17,
        required=False,
        help_text=_("When the photograph was taken (Sch 3 para 95(a)); leave blank if unknown"),
    )
    disposal_type = forms.ChoiceField(
        label=_("Disposal"),
        choices=[(c.value, c.value.replace("_", " ").capitalize()) for c in sorted(CAUTIONS)],
        widget=forms.RadioSelect,
    )
    relevant_date = _date(
        _("Date of the caution"), help_text=_("The relevant date (s.82(6))"), past=True
    )
    no_fixed_abode = forms.BooleanField(label=_("No fixed abode"), required=False)


# --- Transfers between forces (13.7) --------------------------------------------------------

MAX_TRANSFER_FILE_BYTES = 20 * 1024 * 1024


class TransferExportForm(forms.Form):
    to_force = forms.CharField(
        label=_("Code of the receiving force"),
        help_text=_(
            "The force the person has moved to, as its installation names it "
            "(for example, its organisation code)"
        ),
        max_length=100,
        error_messages={"required": _("Enter the code of the receiving force")},
    )
    reason = forms.CharField(
        label=_("Why the record is being transferred"),
        help_text=_("For example, the person has notified a move to the other force's area"),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": _("Give the reason for the transfer")},
    )


class TransferFileForm(forms.Form):
    file = forms.FileField(
        label=_("Transfer file (JSON)"),
        error_messages={"required": _("Choose the file")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TRANSFER_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than a transfer file can be"))
        return upload


class TransferRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the transfer is refused"),
        help_text=_(
            "The sending force keeps the record; tell them the reason by your usual secure channel"
        ),
        max_length=4000,
        widget=forms.Textarea,
        error_messages={"required": _("Give the reason for refusing the transfer")},
    )
