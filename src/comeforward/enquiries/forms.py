"""Forms for the enquiry pages. Validation only; the work is in services and selectors."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from comeforward.errors import DomainError

from . import abuse, reference
from .conf import setting
from .public_messages import public_message

HONEYPOT_FIELD = "leave_blank"


class _HoneypotMixin(forms.Form):
    leave_blank = forms.CharField(required=False, label=_("Leave this field empty"))

    def clean_leave_blank(self) -> str:
        value = self.cleaned_data.get("leave_blank", "")
        try:
            abuse.honeypot_check(value)
        except DomainError as error:
            raise forms.ValidationError(public_message(error), code=error.code)
        return value


class QuestionForm(_HoneypotMixin):
    message = forms.CharField(
        label=_("Your question"),
        help_text=_(
            "Do not include your name, address, phone number, email address or anything "
            "else that could identify you or anyone else."
        ),
        widget=forms.Textarea,
        error_messages={"required": _("Enter your question")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput)
    #: Proof of work, filled in by proof-of-work.js while the service is busy (abuse.py).
    proof = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = setting("ENQUIRY_MESSAGE_MAX_CHARS")
        self.fields["message"].max_length = limit
        self.fields["message"].validators.append(
            MaxLengthValidator(
                limit,
                message=_("Your question must be %(limit)s characters or fewer")
                % {"limit": f"{limit:,}"},
            )
        )

    def clean_form_token(self) -> abuse.FormToken:
        try:
            return abuse.form_token_read(self.cleaned_data["form_token"])
        except DomainError as error:
            raise forms.ValidationError(public_message(error), code=error.code)


class ReturnForm(forms.Form):
    reference = forms.CharField(
        label=_("Your reference"),
        help_text=_("The 7 words you were given. Capital letters and spaces do not matter."),
        error_messages={"required": _("Enter your reference")},
    )
    challenge = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    proof = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def clean_reference(self) -> str:
        try:
            return reference.reference_normalise(self.cleaned_data["reference"])
        except DomainError as error:
            raise forms.ValidationError(public_message(error), code=error.code)


class FollowUpForm(_HoneypotMixin):
    message = forms.CharField(
        label=_("Send another message"),
        help_text=_("Do not include anything that could identify you or anyone else."),
        widget=forms.Textarea,
        error_messages={"required": _("Enter your message")},
    )
    thread_token = forms.CharField(widget=forms.HiddenInput)


# --- staff ----------------------------------------------------------------------------------


class ReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Reply"),
        help_text=_("The person will see this when they next return with their reference."),
        widget=forms.Textarea,
        error_messages={"required": _("Enter your reply")},
    )


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas, for example: eligibility, treatment"),
    )


class MergeForm(forms.Form):
    other = forms.CharField(
        label=_("Enquiry to combine into this one"),
        help_text=_("Its designation, for example ENQ-7KQ2-M9XD"),
        error_messages={"required": _("Enter the other enquiry's designation")},
    )
    justification = forms.CharField(
        label=_("Why are these from the same person?"),
        widget=forms.Textarea,
        error_messages={"required": _("Give the reason for combining these enquiries")},
    )


class ConvertForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference the person presented"),
        help_text=_("All 7 words. Capital letters and spaces do not matter."),
        error_messages={"required": _("Enter the reference the person presented")},
    )
    given_names = forms.CharField(
        label=_("Given names"), max_length=200, error_messages={"required": _("Enter given names")}
    )
    family_name = forms.CharField(
        label=_("Family name"), max_length=200, error_messages={"required": _("Enter family name")}
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"],
        help_text=_("For example, 27/03/1985"),
        error_messages={"invalid": _("Enter the date of birth as day/month/year, like 27/03/1985")},
    )
    consent = forms.BooleanField(
        label=(
            "The person has agreed that their anonymous enquiry may be linked to their case "
            "and read by the case team"
        ),
        required=False,
    )
    consent_note = forms.CharField(
        label=_("How consent was given (optional)"),
        required=False,
        max_length=500,
    )

    def clean_reference(self) -> str:
        try:
            return reference.reference_normalise(self.cleaned_data["reference"])
        except DomainError as error:
            raise forms.ValidationError(public_message(error), code=error.code)
