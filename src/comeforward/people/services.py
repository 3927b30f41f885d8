"""Writes about people."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record

from .models import Person


def person_create(
    *, actor, given_names: str, family_name: str, date_of_birth: dt.date | None
) -> Person:
    with transaction.atomic():
        person = Person.objects.create(
            given_names=given_names.strip(),
            family_name=family_name.strip(),
            date_of_birth=date_of_birth,
        )
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="person",
            subject_id=person.pk,
            scope="person.identity",
        )
    return person
