"""Every form's errors are in plain words and each links to its own field (issue 20.5):
the GOV.UK error-message pattern built from the field's label, never Django's stock text."""

from django import forms

from comeforward.web.jinja2 import form_error_list


class _Form(forms.Form):
    family_name = forms.CharField(label="Family name", max_length=5)
    route = forms.ChoiceField(
        label="How did the referral come in?",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(label="Number of devices", min_value=1)
    when = forms.DateField(label="Date of interview")
    note = forms.CharField(
        label="Note", required=False, error_messages={"max_length": "Too long"}, max_length=2
    )
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("The referral cannot be recorded as it stands")


def test_required_fields_say_what_to_enter_or_select():
    form = _Form(data={})
    assert form["family_name"].errors == ["Enter family name"]
    assert form["route"].errors == ["Select an answer: How did the referral come in?"]
    assert form["count"].errors == ["Enter number of devices"]


def test_limits_and_formats_in_plain_words():
    form = _Form(
        data={
            "family_name": "Abcdefg",
            "route": "z",
            "count": "0",
            "when": "31/2/2026",
            "note": "abc",
        }
    )
    assert form["family_name"].errors == ["Family name must be 5 characters or fewer"]
    assert form["route"].errors == [
        "Select one of the options listed for: How did the referral come in?"
    ]
    assert form["count"].errors == ["Number of devices must be 1 or more"]
    assert form["when"].errors == ["Date of interview must be a real date, like 31/3/1980"]
    assert form["note"].errors == ["Too long"]  # a form's own message is kept


def test_the_summary_lists_every_error_in_page_order_each_linked_to_its_field():
    form = _Form(data={"count": "x"})
    form.is_valid()
    assert form_error_list(form) == [
        {"text": "The referral cannot be recorded as it stands", "href": "#id_family_name"},
        {"text": "Enter family name", "href": "#id_family_name"},
        # radios: the GOV.UK macro's first option takes the field name when idPrefix is empty
        {"text": "Select an answer: How did the referral come in?", "href": "#route"},
        {"text": "Number of devices must be a number, like 3", "href": "#id_count"},
        {"text": "Enter date of interview", "href": "#id_when"},
    ]
    assert all(item["href"] != "#main-content" for item in form_error_list(form))


def test_a_text_box_with_a_limit_counts_characters_and_one_without_does_not():
    from django.template import engines

    class Notes(forms.Form):
        limited = forms.CharField(label="Reason", max_length=2000, widget=forms.Textarea)
        free = forms.CharField(label="Free", widget=forms.Textarea)

    template = engines["jinja2"].from_string(
        '{% import "includes/forms.html" as f %}'
        "{{ f.textarea_field(form.limited) }}|{{ f.textarea_field(form.free) }}"
    )
    limited, free = template.render({"form": Notes()}).split("|")
    assert 'data-maxlength="2000"' in limited and "govuk-character-count" in limited
    assert "govuk-character-count" not in free
