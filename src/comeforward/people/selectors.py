"""Reads about people. A person is visible to a user who can see one of their cases."""

from __future__ import annotations

from .models import Person


def people_visible_to(user, *, visible_case_ids):
    return Person.objects.filter(cases__id__in=visible_case_ids).distinct()
