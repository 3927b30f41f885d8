"""The Jinja2 environment: GOV.UK Frontend macros, Django helpers, protective marking."""

from __future__ import annotations

from typing import Any

import jinja2
from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader


def current_language() -> str:
    """``cy`` while Welsh is active, else ``en`` (the page's ``lang`` attribute)."""
    return "cy" if (translation.get_language() or "").startswith("cy") else "en"


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


#: Month names for Welsh pages and documents (issue 20.9).
WELSH_MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)


def uk_date(value) -> str:
    """``2 March 2026`` (GOV.UK style: no leading zero, full month); ``2 Mawrth 2026`` while
    Welsh is active."""
    if not value:
        return ""
    if hasattr(value, "astimezone") and getattr(value, "tzinfo", None):
        value = timezone.localtime(value)
    if current_language() == "cy":
        return f"{value.day} {WELSH_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {value:%B %Y}"


def period(value: str) -> str:
    """A notification period as the law engine wrote it ("2 years"), in the active language:
    Welsh from ``law.welsh`` (draft, docs/welsh.md); text it does not know stays as written."""
    if current_language() != "cy":
        return value
    from comeforward.law.welsh import period_text_welsh

    return period_text_welsh(value or "") or value


def explanations(*traces) -> list[tuple[str, str]]:
    """The law engine's explanations of one or more traces as ``(text, lang)`` in the active
    language (an explanation without a Welsh rendering stays English, marked ``en``)."""
    return [item for trace in traces for item in trace.explanations_in(current_language())]


def uk_datetime(value) -> str:
    if not value:
        return ""
    value = timezone.localtime(value)
    hour = value.strftime("%I").lstrip("0")
    at = "am" if current_language() == "cy" else "at"  # "2 Mawrth 2026 am 3:05pm"
    return f"{uk_date(value)} {at} {hour}:{value:%M}{value:%p}".replace("AM", "am").replace(
        "PM", "pm"
    )


def environment(**options: Any) -> Environment:
    options.setdefault("undefined", jinja2.ChainableUndefined)
    extensions = list(options.pop("extensions", []))
    if "jinja2.ext.i18n" not in extensions:
        extensions.append("jinja2.ext.i18n")
    env = Environment(extensions=extensions, **options)  # noqa: S701 - autoescape in settings
    # Strings marked with {{ _("…") }} or {% trans %} are Django gettext messages (issue 20.9):
    # translated at render time into the active language (docs/welsh.md).
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=translation.gettext,
        ngettext=translation.ngettext,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
        newstyle=True,
    )
    env.loader = ChoiceLoader(
        [
            env.loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "settings": settings,
            "protective_marking": settings.PROTECTIVE_MARKING,
            "service_name": settings.SERVICE_NAME,
            "form_error_list": form_error_list,
            "form_choices": form_choices,
            "current_language": current_language,
            "explanations": explanations,
        }
    )
    env.filters.update({"uk_date": uk_date, "uk_datetime": uk_datetime, "period": period})
    return env


def form_error_list(form) -> list[dict[str, str]]:
    """Django form errors as the GOV.UK error summary's ``errorList``: every error at once, in
    the order of the fields on the page, each linked to its own field (a form-wide error links
    to the first field the user can see)."""
    visible = [field for field in form if not field.is_hidden]
    first = f"#{_anchor(visible[0])}" if visible else "#main-content"
    items = [{"text": str(error), "href": first} for error in form.non_field_errors()]
    for field in form:
        if field.name not in form.errors or field.name == "__all__":
            continue
        href = "#main-content" if field.is_hidden else f"#{_anchor(field)}"
        items.extend({"text": str(error), "href": href} for error in field.errors)
    return items


def _anchor(field) -> str:
    return getattr(field, "anchor", None) or field.id_for_label or field.html_name


def form_choices(bound_field) -> list[dict[str, object]]:
    """A choice field's options as GOV.UK radios/checkboxes ``items``."""
    value = bound_field.value()
    values = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    return [
        {"value": str(key), "text": str(label), "checked": str(key) in values}
        for key, label in bound_field.field.choices
    ]
