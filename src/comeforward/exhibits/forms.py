from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CustodyEventKind, ExhibitKind, TriageReader
from .services import MANUAL_CUSTODY_EVENTS

REFERENCE = re.compile(r"^[A-Z]{1,5}/\d{1,5}$")


class ExhibitForm(forms.Form):
    reference = forms.CharField(
        label=_("Exhibit reference"),
        help_text=_("The officer's initials and a number, for example JS/1"),
        max_length=20,
        error_messages={"required": _("Enter the exhibit reference")},
    )
    kind = forms.ChoiceField(
        label=_("Type of device"),
        choices=ExhibitKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the type of device")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        error_messages={"required": _("Enter a description of the device")},
    )
    make = forms.CharField(label=_("Make (optional)"), required=False, max_length=100)
    model = forms.CharField(label=_("Model (optional)"), required=False, max_length=100)
    serial_number = forms.CharField(
        label=_("Serial number (optional)"), required=False, max_length=100
    )
    seal_number = forms.CharField(label=_("Seal number"), required=False, max_length=50)
    storage_location = forms.CharField(
        label=_("Storage location"),
        max_length=200,
        error_messages={"required": _("Enter where the exhibit is stored")},
    )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        if not REFERENCE.match(reference):
            raise forms.ValidationError(
                _("Enter the reference as initials, a slash and a number, for example JS/1")
            )
        return reference


class CustodyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[(k.value, k.label) for k in MANUAL_CUSTODY_EVENTS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what happened to the exhibit")},
    )
    to_location = forms.CharField(
        label=_("To (new location, or who it was returned to)"), required=False, max_length=200
    )
    purpose = forms.CharField(
        label=_("Purpose or authority"),
        max_length=500,
        error_messages={"required": _("Enter the purpose of the movement")},
    )
    seal_number = forms.CharField(
        label=_("New seal number (optional)"), required=False, max_length=50
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") in (CustodyEventKind.MOVED, CustodyEventKind.RETURNED)
            and not (data.get("to_location") or "").strip()
        ):
            self.add_error("to_location", _("Enter where the exhibit went, or who received it"))
        return data


class ExaminationForm(forms.Form):
    report = forms.FileField(
        label=_("report.json"),
        help_text=_("The report written by the triage run"),
        error_messages={"required": _("Choose the report.json file")},
    )
    signature = forms.FileField(
        label=_("report.json.sig"),
        help_text=_(
            "The signature written beside the report by the triage workstation. "
            "A report without one is refused"
        ),
        required=False,  # the service refuses an unsigned report with REPORT_UNSIGNED
    )
    files_listing = forms.FileField(
        label=_("files.jsonl"),
        help_text=_("The files listing from the same run (its hash is sealed in the report)"),
        error_messages={"required": _("Choose the files.jsonl file")},
    )
    new_material = forms.FileField(
        label=_("new-material.vics.json (optional)"),
        help_text=_(
            "The export of unmatched images from the same run, for the national "
            "database (its hash is sealed in the report)"
        ),
        required=False,
    )


class TriageJobForm(forms.Form):
    source_path = forms.CharField(
        label=_("Path of the image or folder on the triage worker"),
        help_text=_(
            "For example /evidence/CF-2026-000123/JS-1.E01. The worker opens it read-only."
        ),
        max_length=1000,
        error_messages={"required": _("Enter the path of the image or folder")},
    )
    reader = forms.ChoiceField(
        label=_("How should a folder be read?"),
        choices=TriageReader.choices,
        initial=TriageReader.AUTO,
        required=False,
        help_text=_("Only matters for a folder: an image is always read by one reader."),
    )

    def clean_reader(self) -> str:
        return self.cleaned_data.get("reader") or TriageReader.AUTO


#: Why the new-material export is handed out (recorded as the disclosure's justification).
DISCLOSURE_PURPOSES = {
    "caid": "Submission to the national Child Abuse Image Database (CAID) for grading and "
    "victim identification",
    "victim_identification": "Referral to a victim identification team",
    "other": "Another purpose",
}


class NewMaterialDisclosureForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose of the disclosure"),
        choices=list(DISCLOSURE_PURPOSES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the purpose of the disclosure")},
    )
    detail = forms.CharField(
        label=_("Reference or authority (needed for another purpose)"),
        required=False,
        max_length=300,
    )

    def clean(self):
        data = super().clean()
        if data.get("purpose") == "other" and not (data.get("detail") or "").strip():
            self.add_error("detail", _("Describe the purpose of the disclosure"))
        return data

    def justification(self) -> str:
        purpose = DISCLOSURE_PURPOSES[self.cleaned_data["purpose"]]
        detail = (self.cleaned_data.get("detail") or "").strip()
        return f"{purpose}: {detail}" if detail else purpose


class TriageSigningKeyForm(forms.Form):
    """A supervisor registers an examiner's workstation key (issue 11.4)."""

    name = forms.CharField(
        label=_("Name of the workstation"),
        help_text=_("For example DFU laptop 3"),
        max_length=200,
        error_messages={"required": _("Enter a name for the workstation")},
    )
    examiner = forms.ChoiceField(
        label=_("Examiner who uses it (optional)"),
        required=False,
        choices=[("", _("Not one person"))],
    )
    public_key = forms.CharField(
        label=_("Public key"),
        help_text=_(
            "Paste the public key that comeforward triage keygen printed, or the "
            "contents of the .pub file. It starts with ed25519:"
        ),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": _("Paste the workstation's public key")},
    )

    def __init__(self, *args, examiners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._examiners = {str(u.pk): u for u in examiners}
        self.fields["examiner"].choices = [("", _("Not one person"))] + [
            (str(u.pk), u.full_name) for u in examiners
        ]

    def clean_examiner(self):
        return self._examiners.get(self.cleaned_data.get("examiner") or "")


class TriageSigningKeyRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the key being revoked?"),
        help_text=_("For example: the laptop was lost, or the key was replaced"),
        max_length=500,
        error_messages={"required": _("Enter why the key is being revoked")},
    )


GRADING_PROFILES = [
    ("", _("Letters A, B, C or “not indecent” in the file")),
    ("numeric-abc", "Numeric 1/2/3 = A/B/C, 0 = uncategorised (awaiting sign-off)"),
]


class GradingForm(forms.Form):
    grading_file = forms.FileField(
        label=_("Grading file"),
        help_text=_(
            "VICS JSON (1.x or 2.0) or CSV from your grading tool, keyed by hash. "
            "The file is checked in full: if any line is wrong, nothing is applied."
        ),
        error_messages={"required": _("Choose the grading file")},
    )
    profile = forms.ChoiceField(
        label=_("How the file writes categories"),
        choices=GRADING_PROFILES,
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )


class SampleReviewForm(forms.Form):
    sample_size = forms.IntegerField(
        label=_("How many ungraded items did you review?"),
        min_value=1,
        error_messages={"required": _("Enter how many items you reviewed")},
    )
    reason = forms.CharField(
        label=_("Why a sample is enough here"),
        max_length=5000,
        widget=forms.Textarea,
        help_text=_("How the sample was chosen and what it showed"),
        error_messages={"required": _("Give the reasons for relying on a sample")},
    )


class FindingsForm(forms.Form):
    production = forms.BooleanField(
        label=_("Production (for example camera originals)"), required=False
    )
    distribution = forms.BooleanField(
        label=_("Distribution (for example file-sharing folders or sent items)"), required=False
    )
    contact_offending = forms.BooleanField(
        label=_("Indicators of contact offending"), required=False
    )
    youngest_depicted_age = forms.IntegerField(
        label=_("Apparent age of the youngest person depicted, in years (optional)"),
        help_text=_(
            "Leave blank if not known. Under 16 decides whether the person must notify "
            "the police (Sexual Offences Act 2003, Schedule 3)."
        ),
        required=False,
        min_value=0,
        max_value=17,
        error_messages={
            "invalid": _("Enter the age as a whole number of years, or leave it blank"),
            "min_value": _("The age cannot be below 0"),
            "max_value": "Enter an age under 18, or leave it blank if the person depicted "
            "may be an adult",
        },
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=5000, widget=forms.Textarea
    )
