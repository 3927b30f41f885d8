"""Assessment forms. The instrument questions are generated from ``comeforward.risk``'s item
definitions, so that items are entered once and scored by the engine."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from comeforward.risk import definition

from .domain import INSTRUMENTS, RECOMMENDATIONS, RISK_LEVELS, TREATMENT_PATHWAYS

TRI_STATE = [("unknown", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]
SEP = "__"


class ReferForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Assessment service"), widget=forms.RadioSelect)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {str(o.pk): o for o in services}
        self.fields["organisation"].choices = [(k, o.name) for k, o in self.services.items()]


class ConflictForm(forms.Form):
    has_conflict = forms.ChoiceField(
        label=_("Do you have a conflict of interest in this case?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        widget=forms.RadioSelect,
        help_text=_("For example, you know the person, or have treated or assessed them before"),
    )
    details = forms.CharField(
        label=_("If yes, describe it"), required=False, max_length=2000, widget=forms.Textarea
    )


def _item_field(item: dict[str, Any]) -> forms.Field:
    label = f"{item['label']}"
    help_text = item["coding_notes"]
    if item["type"] == "bool":
        return forms.ChoiceField(
            label=label,
            choices=TRI_STATE,
            initial="unknown",
            required=False,
            widget=forms.RadioSelect,
            help_text=help_text,
        )
    if item["type"] == "choice":
        return forms.ChoiceField(
            label=label,
            choices=[("unknown", _("Not known"))] + [(c, c) for c in item["choices"]],
            initial="unknown",
            required=False,
            widget=forms.RadioSelect,
            help_text=help_text,
        )
    return forms.IntegerField(
        label=label, required=False, min_value=0, help_text=help_text + " Leave blank if not known."
    )


def missing_item_advice(spec: dict[str, Any]) -> str:
    """What may be left "Not known" for one instrument, in plain words, from the risk
    engine's own limit (``max_missing`` and ``required`` items): the page's advice and the
    engine's refusal cannot disagree (issue 20.5)."""
    short = spec["title"].split(" (")[0]
    items = spec["items"]
    required = [it for it in items if it.get("required")]
    optional_scored = [it for it in items if it.get("scored") and not it.get("required")]
    skip = f"Leave every item “Not known” to leave {short} out."
    limit = spec.get("max_missing")
    if required and len(required) == len(items):
        return f"Answer every item: {short} cannot be scored with any item “Not known”. {skip}"
    if limit == 0 or (limit is not None and not optional_scored):
        return (
            f"Answer every item: {short} has no published rule for unknown items, so it is "
            f"not scored if any item is “Not known”. {skip}"
        )
    need = (
        " These must be answered: " + "; ".join(it["label"] for it in required) + "."
        if required
        else ""
    )
    if limit is None:
        return (
            "You may leave items “Not known”: the result then shows the range of scores and "
            f"bands they allow, and no score where that range could be anything.{need} {skip}"
        )
    return (
        f"You may leave at most {limit} of the {len(optional_scored)} scored items "
        f"“Not known”; with more, {short} is not scored.{need} {skip}"
    )


def _unknown(value) -> bool:
    return value in ("unknown", "", None)


class AssessmentForm(forms.Form):
    risk_level = forms.ChoiceField(
        label=_("Overall risk (structured professional judgement)"),
        choices=list(RISK_LEVELS.items()),
        widget=forms.RadioSelect,
    )
    judgement = forms.CharField(
        label=_("Structured professional judgement: formulation and reasons"),
        max_length=10000,
        widget=forms.Textarea,
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=list(RECOMMENDATIONS.items()), widget=forms.RadioSelect
    )
    treatment_pathway = forms.ChoiceField(
        label=_("Treatment pathway"),
        choices=list(TREATMENT_PATHWAYS.items()),
        widget=forms.RadioSelect,
    )
    clinical_narrative = forms.CharField(
        label=_("Clinical narrative (seen by police only if you share it)"),
        max_length=50000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, from_case: dict[str, Any] | None = None, **kwargs):
        """``from_case``: CASIC items the case already records (key → ``CaseItem``): shown
        filled in, marked "Taken from the case", and not editable (not re-keyed)."""
        super().__init__(*args, **kwargs)
        self.instrument_titles = {}
        self.instrument_advice = {}
        self._specs = {}
        for name in INSTRUMENTS:
            spec = definition(name)
            self._specs[name] = spec
            self.instrument_titles[name] = spec["title"]
            self.instrument_advice[name] = missing_item_advice(spec)
            for item in spec["items"]:
                self.fields[f"{name}{SEP}{item['key']}"] = _item_field(item)
        for key, taken in (from_case or {}).items():
            field = self.fields[f"casic{SEP}{key}"]
            field.initial = "yes" if taken.value else "no"
            field.disabled = True
            field.help_text = f"Taken from the case: {taken.source}."

    def clean(self):
        """Every instrument's missing-item limit at once, each error on the first item left
        "Not known" (the engine would refuse the same values: ``risk.base``)."""
        data = super().clean()
        for name, spec in self._specs.items():
            keys = {it["key"]: it for it in spec["items"]}
            values = {k: data.get(f"{name}{SEP}{k}") for k in keys}
            if all(_unknown(v) for v in values.values()):
                continue  # not scored at all
            unknown = [k for k, v in values.items() if _unknown(v)]
            required = [k for k in unknown if keys[k].get("required")]
            scored = [k for k in unknown if keys[k].get("scored") and not keys[k].get("required")]
            limit = spec.get("max_missing")
            if required or (limit is not None and len(scored) > limit):
                first = (required or scored)[0]
                self.add_error(f"{name}{SEP}{first}", self.instrument_advice[name])
        return data

    def instrument_items(self) -> dict[str, dict[str, Any]]:
        """Items per instrument; an instrument with every item unknown is not scored."""
        items: dict[str, dict[str, Any]] = {}
        for key, value in self.cleaned_data.items():
            if SEP not in key:
                continue
            name, item = key.split(SEP, 1)
            if value in ("unknown", "", None):
                value = None
            elif value in ("yes", "no"):
                value = value == "yes"
            items.setdefault(name, {})[item] = value
        return {n: v for n, v in items.items() if any(x is not None for x in v.values())}

    def assessment_fields(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k]
            for k in (
                "risk_level",
                "judgement",
                "recommendation",
                "treatment_pathway",
                "clinical_narrative",
            )
        }
