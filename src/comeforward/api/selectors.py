"""Reads of the integration API, always starting from what the user (or the client's service
principal) may see, through the owning apps' selectors."""

from __future__ import annotations

import datetime as dt

from django.http import Http404

from comeforward.cases import selectors as case_selectors
from comeforward.people import selectors as people_selectors
from comeforward.roles import Role

from .models import ApiClient

#: Most people one lookup returns.
PEOPLE_LIMIT = 50


def api_clients_visible_to(user):
    """Administrators see the clients of their own organisation; nobody else sees any."""
    if not user.has_role(Role.ADMINISTRATOR):
        return ApiClient.objects.none()
    return ApiClient.objects.filter(organisation_id=user.organisation_id).select_related(
        "principal", "organisation"
    )


def api_client_get_for_admin(user, *, client_id: int) -> ApiClient:
    client = api_clients_visible_to(user).filter(pk=client_id).first()
    if client is None:
        raise Http404("No such API client")
    return client


def api_clients_all():
    """Every client (the operator's command line only)."""
    return ApiClient.objects.select_related("principal", "organisation").order_by("pk")


def api_client_by_prefix(prefix: str) -> ApiClient | None:
    return ApiClient.objects.filter(token_prefix=prefix).select_related("principal").first()


def _people(user):
    return people_selectors.people_visible_to(
        user, visible_case_ids=case_selectors.cases_visible_to(user).values("pk")
    )


def person_get_for_user(user, *, person_id: int):
    person = _people(user).filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person, or you do not have access to them")
    return person


def people_lookup(
    user,
    *,
    name: str = "",
    date_of_birth: dt.date | None = None,
    pnc: str = "",
    ni: str = "",
    limit: int = PEOPLE_LIMIT,
) -> list:
    """People on cases the user may see, matching every criterion given (at least one)."""
    people = _people(user)
    if name.strip():
        people = people.filter(pk__in=people_selectors.person_ids_matching_name(name))
    if date_of_birth is not None:
        people = people.filter(date_of_birth=date_of_birth)
    if pnc.strip():
        value = pnc.strip().upper().replace(" ", "")
        people = people.filter(pk__in=people_selectors.person_ids_with_identifier("pnc", value))
    if ni.strip():
        value = ni.strip().upper().replace(" ", "")
        people = people.filter(pk__in=people_selectors.person_ids_with_identifier("ni", value))
    return list(people.prefetch_related("aliases").order_by("family_name", "pk")[:limit])
