"""Forms for the register pages. Dates use the browser's date input (works without
JavaScript: browsers without a picker accept ``YYYY-MM-DD``)."""

from __future__ import annotations

from django import forms

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
    label: str, *, required: bool = True, help_text: str = "", past: bool = False
) -> forms.DateField:
    """``past``: the date cannot be after today (``ui.forms``' ``not_after_today``)."""
    field = forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput)
    field.not_after_today = past  # type: ignore[attr-defined]
    return field


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
    police_station = forms.CharField(label="Police station", required=False, max_length=200)
    received_by_name = forms.CharField(
        label="Received by",
        required=False,
        max_length=200,
        help_text="Leave blank if you received it yourself",
    )
    particular_kind = forms.ChoiceField(
        label="New particular notified",
        required=False,
        choices=[("", "None")] + list(ParticularKind.choices),
        help_text="A new name or home address replaces the current one; history is kept",
    )
    particular_value = forms.CharField(
        label="The particular",
        required=False,
        max_length=1000,
        help_text="Address, name, or full number (numbers are stored encrypted and shown masked)",
    )
    particular_detail = forms.CharField(
        label="Further detail",
        required=False,
        max_length=1000,
        help_text="Bank and sort code, issuing country, who lives there…",
    )
    particular_from = _date("From", required=False, help_text="For example, first day of a stay")
    particular_to = _date("To", required=False, help_text="Last day, or expiry")
    ends = forms.MultipleChoiceField(
        label="Particulars this notification ends",
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    details = forms.CharField(
        label="Details notified", required=False, widget=forms.Textarea, max_length=4000
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
        label="Why the time is not counted",
        choices=DisregardReason.choices,
        widget=forms.RadioSelect,
    )
    began_on = _date("Began on")
    ended_on = _date("Ended on", required=False, help_text="Leave blank if still going on")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea, max_length=4000)


class PeriodEndForm(forms.Form):
    ended_on = _date("Ended on")


class TripForm(forms.Form):
    departure = _date("Date of departure")
    departure_time = forms.TimeField(
        label="Time of departure",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="If known: the 12-hour rule counts from it",
    )
    planned_return = _date("Date of return", required=False)
    destinations = forms.CharField(label="Countries, in order", max_length=300)
    departure_point = forms.CharField(label="Point of departure from the UK", required=False)
    arrival_point = forms.CharField(label="Point of arrival abroad", required=False)
    return_point = forms.CharField(label="Point of arrival back in the UK", required=False)
    carrier = forms.CharField(label="Carriers out and back", required=False, max_length=200)
    accommodation = forms.CharField(
        label="Accommodation for the first night", required=False, max_length=1000
    )
    known_on = _date(
        "Date the person knew the details",
        help_text="Decides whether 7 days' or 12 hours' notice was needed",
    )
    notified_on = _date("Date notified", required=False, help_text="Leave blank if not notified")
    police_station = forms.CharField(label="Police station", required=False, max_length=200)


class TripReturnForm(forms.Form):
    returned_on = _date("Date of return to the UK")
    notified_on = _date(
        "Return notified on",
        required=False,
        help_text="Needed if the return date or point was not given, or changed",
    )


class TripNoticeForm(forms.Form):
    notified_on = _date("Date the travel notice was given")
    police_station = forms.CharField(label="Police station", required=False, max_length=200)


class BreachOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in BreachOutcome.choices if c[0]],
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        label="Further evidence", required=False, widget=forms.Textarea, max_length=4000
    )
    notes = forms.CharField(label="Reasons", required=False, widget=forms.Textarea, max_length=4000)


class ManagementForm(forms.Form):
    manager = forms.ChoiceField(label="Offender manager", required=False, choices=[])
    area = forms.CharField(label="Area", required=False, max_length=100)
    mappa_category = forms.ChoiceField(
        label="MAPPA category", required=False, choices=[("", "Not set")] + MappaCategory.choices
    )
    mappa_level = forms.ChoiceField(
        label="MAPPA level", required=False, choices=[("", "Not set")] + MappaLevel.choices
    )

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].choices = [("", "Not assigned")] + [
            (str(u.pk), u.full_name) for u in managers
        ]


class ReviewStepForm(forms.Form):
    step = forms.ChoiceField(label="Step", choices=[], widget=forms.RadioSelect)
    on = _date("Date")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea, max_length=4000)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .domain import ReviewStatus

        self.fields["step"].choices = [(s, ReviewStatus(s).label) for s in steps]


class HomeVisitForm(forms.Form):
    date = _date("Date of the visit")
    announced = forms.TypedChoiceField(
        label="Was the visit announced?",
        choices=[("yes", "Announced"), ("no", "Unannounced")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=VisitOutcome.choices, widget=forms.RadioSelect
    )
    next_due = _date(
        "Next visit due",
        required=False,
        help_text="Leave blank to follow the schedule for the ARMS level (awaiting sign-off)",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea, max_length=4000)


class ArmsForm(forms.Form):
    assessed_on = _date("Date of the ARMS assessment")
    level = forms.ChoiceField(
        label="Level", required=False, choices=[("", "Not given")] + ArmsLevel.choices
    )
    next_due = _date("Next ARMS assessment due")


class BreachForm(forms.Form):
    kind = forms.CharField(label="Deadline missed", max_length=16)
    due = forms.DateField(required=False)
    event_ref = forms.CharField(required=False, max_length=100)
    evidence = forms.CharField(
        label="Evidence", required=False, widget=forms.Textarea, max_length=4000
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea, max_length=4000)


class EnterRecordForm(forms.Form):
    """A person already subject to the notification requirements, from their caution."""

    offence = forms.ChoiceField(
        label="Offence",
        choices=[(o.value, f"{OFFENCE_LABELS[o]} ({SCH3_PARAGRAPH[o]})") for o in Offence],
        widget=forms.RadioSelect,
    )
    offence_date = _date("Date of the offence", past=True)
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
    relevant_date = _date("Date of the caution", help_text="The relevant date (s.82(6))", past=True)
    no_fixed_abode = forms.BooleanField(label="No fixed abode", required=False)


# --- Transfers between forces (13.7) --------------------------------------------------------

MAX_TRANSFER_FILE_BYTES = 20 * 1024 * 1024


class TransferExportForm(forms.Form):
    to_force = forms.CharField(
        label="Code of the receiving force",
        help_text="The force the person has moved to, as its installation names it "
        "(for example, its organisation code)",
        max_length=100,
        error_messages={"required": "Enter the code of the receiving force"},
    )
    reason = forms.CharField(
        label="Why the record is being transferred",
        help_text="For example, the person has notified a move to the other force's area",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for the transfer"},
    )


class TransferFileForm(forms.Form):
    file = forms.FileField(
        label="Transfer file (JSON)",
        error_messages={"required": "Choose the file"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TRANSFER_FILE_BYTES:
            raise forms.ValidationError("The file is larger than a transfer file can be")
        return upload


class TransferRefuseForm(forms.Form):
    reason = forms.CharField(
        label="Why the transfer is refused",
        help_text="The sending force keeps the record; tell them the reason by your usual "
        "secure channel",
        max_length=4000,
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for refusing the transfer"},
    )
