from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TransitionForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason or note (recorded in the case history)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%Y-%m-%d"]
DATE_HINT = "For example, 31/3/1980"


def _date(label: str, *, hint: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=hint,
        error_messages={"invalid": f"{label} must be a real date, like 31/3/1980"},
    )


class IntakeForm(forms.Form):
    """Record a self-referral. Only a name is required (domain-rules §4; users-and-security:
    no needless mandatory fields); everything else can be added later."""

    given_names = forms.CharField(label=_("Given names"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=200)
    date_of_birth = _date("Date of birth", hint=f"Optional. {DATE_HINT}")
    route = forms.ChoiceField(label=_("How did the referral come in?"), choices=[], initial="")
    decision = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from .domain.routes import ROUTES

        super().__init__(*args, **kwargs)
        self.fields["route"].choices = list(ROUTES.items())
        self.fields["route"].error_messages["required"] = "Select how the referral came in"

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("given_names") or "").strip()
            and not (cleaned.get("family_name") or "").strip()
        ):
            self.add_error("family_name", _("Enter the person's name"))
        return cleaned


class AliasForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Type of name"),
        choices=[
            ("alias", _("Alias")),
            ("previous", _("Previous or birth name")),
            ("nickname", _("Nickname or online name")),
        ],
    )


class AddressForm(forms.Form):
    line_1 = forms.CharField(label=_("Address line 1"), max_length=200)
    line_2 = forms.CharField(label=_("Address line 2"), required=False, max_length=200)
    town = forms.CharField(label=_("Town or city"), required=False, max_length=100)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    lived_from = _date("Lived here from")
    lived_to = _date("Lived here until", hint=f"Leave empty if they still live here. {DATE_HINT}")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("lived_from"), cleaned.get("lived_to")
        if start and end and end < start:
            self.add_error("lived_to", _("The end date must be after the start date"))
        return cleaned


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of contact"),
        choices=[("phone", _("Phone")), ("email", _("Email")), ("other", _("Other"))],
    )
    value = forms.CharField(label=_("Number or address"), max_length=200)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        help_text=_("For example, safe to leave a message"),
    )


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of identifier"),
        choices=[
            ("pnc", _("PNC number")),
            ("ni", _("National Insurance number")),
            ("passport", _("Passport number")),
        ],
    )
    value = forms.CharField(label=_("Number"), max_length=40)


class HouseholdMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    relationship = forms.CharField(label=_("Relationship"), required=False, max_length=100)
    date_of_birth = _date("Date of birth")
    is_child = forms.BooleanField(
        label=_("This is a child (under 18)"),
        required=False,
        help_text=_("A child is also flagged from their date of birth"),
    )


class OccupationForm(forms.Form):
    title = forms.CharField(label=_("Job or role"), max_length=200)
    organisation_name = forms.CharField(label=_("Employer or organisation"), required=False)
    is_volunteering = forms.BooleanField(label=_("This is volunteering"), required=False)
    works_with_children = forms.BooleanField(
        label=_("Works or volunteers with children"),
        required=False,
        help_text=_("For example school, sport, faith, health, childcare or youth groups"),
    )
    started_on = _date("Started")
    ended_on = _date("Ended", hint=f"Leave empty if they still do this. {DATE_HINT}")


class IdentityForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=200)
    date_of_birth = _date("Date of birth")

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("given_names") or "").strip()
            and not (cleaned.get("family_name") or "").strip()
        ):
            self.add_error("family_name", _("Enter the person's name"))
        return cleaned


#: kind in the URL → (form, title, people service name)
PERSON_DETAIL_FORMS = {
    "identity": (IdentityForm, "Change name or date of birth", "person_identity_update"),
    "alias": (AliasForm, "Add another name", "person_alias_add"),
    "address": (AddressForm, "Add an address", "person_address_add"),
    "contact": (ContactForm, "Add contact details", "person_contact_add"),
    "identifier": (IdentifierForm, "Add an identifier", "person_identifier_add"),
    "household": (HouseholdMemberForm, "Add a household member", "person_household_member_add"),
    "occupation": (OccupationForm, "Add a job or volunteering role", "person_occupation_add"),
}


class MergeForm(forms.Form):
    other_reference = forms.CharField(
        label=_("Reference of the case whose person record is the same person"),
        max_length=20,
        help_text=_(
            "For example, CF-2026-000123. That record is merged into this one; both "
            "histories are kept."
        ),
    )
    reason = forms.CharField(
        label=_("Why are these the same person?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TeamAddForm(forms.Form):
    """Allocate a police officer of the force to the case team (need-to-know)."""

    user = forms.ChoiceField(label=_("Who should join the case team?"), widget=forms.RadioSelect)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(u.pk): u for u in candidates}
        self.fields["user"].choices = [
            (key, f"{u.full_name} ({u.get_role_display()})") for key, u in self.candidates.items()
        ]
        self.fields["user"].error_messages["required"] = "Select who should join the team"


class AccessEndForm(forms.Form):
    """Why a partner's access is ended (kept in the audit record)."""

    reason = forms.CharField(
        label=_("Why is this access being ended?"),
        max_length=500,
        help_text=_("For example, the assessment is complete, or the case was referred in error."),
        error_messages={"required": _("Enter why the access is being ended")},
    )


class CaseListForm(forms.Form):
    """The cases list's filters, sort and page (a GET form: the address can be bookmarked).
    Every value is checked; an unknown one is an error shown on the page, never a 500."""

    stage = forms.ChoiceField(label=_("Stage"), required=False)
    mine = forms.BooleanField(label=_("Only cases I am on the team of"), required=False)
    officer = forms.TypedChoiceField(
        label=_("Officer on the case team"), required=False, coerce=int, empty_value=None
    )
    overdue = forms.BooleanField(label=_("Only cases with an overdue task"), required=False)
    sort = forms.ChoiceField(required=False)
    order = forms.ChoiceField(required=False, choices=[("", ""), ("asc", "asc"), ("desc", "desc")])
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)

    def __init__(self, *args, officers=(), **kwargs):
        from .domain.states import STATE_LABELS
        from .selectors import CASE_LIST_SORTS

        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("Any stage"))] + [
            (state.value, label) for state, label in STATE_LABELS.items()
        ]
        self.fields["officer"].choices = [("", _("Any officer"))] + [
            (str(user.pk), user.full_name) for user in officers
        ]
        self.fields["sort"].choices = [("", "")] + [(key, key) for key in CASE_LIST_SORTS]

    def filters(self):
        from .selectors import CaseListFilters

        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "changed"
        order = data.get("order") or ("asc" if sort in ("reference", "name", "stage") else "desc")
        return CaseListFilters(
            stage=data.get("stage") or "",
            mine=bool(data.get("mine")),
            officer_id=data.get("officer"),
            overdue=bool(data.get("overdue")),
            sort=sort,
            descending=order == "desc",
            page=data.get("page") or 1,
        )
