"""People known to the scheme. Extended by the case-work issue (aliases, addresses, household)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Person(models.Model):
    given_names = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["family_name", "given_names", "date_of_birth"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"
