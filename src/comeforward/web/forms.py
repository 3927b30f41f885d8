"""One way to handle a form page: GET shows the form; a valid POST calls the service; a refusal
from the service (:class:`~comeforward.errors.DomainError`) is shown on the form — never a
traceback, nothing saved (the service refused before writing); success flashes a message and
goes back to the page the work belongs to (CONVENTIONS: thin views, services do the work).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from comeforward.errors import DomainError


def show_refusal(form: forms.Form, refusal: DomainError) -> None:
    """Put a service's refusal on *form*, GOV.UK style (the error summary links to fields).

    ``refusal.details["fields"]`` names the fields at fault. A field's own text is shown when it
    is a sentence for the user (it starts with a capital letter: "Enter the date of the
    change"); a code ("required", "future") is not shown — the refusal's message is, on that
    field. A refusal that names no field of the form goes above the form.
    """
    named = {
        name: text
        for name, text in (refusal.details or {}).get("fields", {}).items()
        if name in form.fields
    }
    for name, text in named.items():
        own = isinstance(text, str) and text[:1].isupper()
        form.add_error(name, text if own else refusal.message)
    if not named:
        form.add_error(None, refusal.message)


def submit(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    *,
    success: str,
    then: str,
) -> HttpResponse | None:
    """For a valid POST run ``action(form.cleaned_data)``; on success flash *success* and
    redirect to the URL *then*. ``None`` when the form is to be shown (again): a GET, an
    invalid form, or a refusal (now on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        action(form.cleaned_data)
    except DomainError as refusal:
        show_refusal(form, refusal)
        return None
    messages.success(request, success)
    return redirect(then)


def case_form_page(
    request: HttpRequest,
    case: Any,
    form: forms.Form,
    *,
    template: str,
    title: str,
    button: str,
    act: Callable[[forms.Form], object],
    done: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form about a case (assessments, decisions): a valid POST runs ``act(form)`` and goes
    back to the case page; otherwise *template* with the title, case, form and button text."""
    response = submit(
        request,
        form,
        lambda _data: act(form),
        success=done,
        then=reverse("cases:detail", kwargs={"case_id": case.pk}),
    )
    if response is not None:
        return response
    context = {"title": title, "case": case, "form": form, "button_text": button}
    return render(request, template, context | (extra or {}))
