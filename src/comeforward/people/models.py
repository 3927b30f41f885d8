"""People known to the scheme: names and aliases, addresses with history, contact details,
typed identifiers, household members and occupations (domain-rules §5.2 S1: record every
child in the household and any work or volunteering with children).

Normalised name columns (``search_name``, ``family_soundex``) are filled on save from
``people.domain.matching`` so that search and duplicate checks use indexed lookups at
national scale (ARCHITECTURE.md §6: 1 million people records). Merging never deletes: the
merged record points to the survivor (``merged_into``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .domain.matching import search_name_for, soundex


class Person(models.Model):
    given_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    search_name = models.CharField(max_length=420, blank=True, default="", editable=False)
    family_soundex = models.CharField(max_length=4, blank=True, default="", editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    #: The language of the documents given to the person (issue 20.9, docs/welsh.md): ``en``
    #: or ``cy``; kept when a document is generated as the person's own copy.
    language = models.CharField(
        max_length=2, choices=[("en", "English"), ("cy", "Cymraeg")], default="en", db_default="en"
    )

    class Meta:
        indexes = [
            models.Index(fields=["family_name", "given_names", "date_of_birth"]),
            models.Index(fields=["date_of_birth"], name="people_person_dob"),
            models.Index(fields=["family_soundex"], name="people_person_soundex"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = search_name_for(self.given_names, self.family_name)
        self.family_soundex = soundex(self.family_name)
        super().save(*args, **kwargs)
        PersonNameWord.sync(self.pk)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="aliases")
    given_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, default="alias")  # alias, maiden name, nickname…
    search_name = models.CharField(max_length=420, blank=True, default="", editable=False)
    family_soundex = models.CharField(max_length=4, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["family_soundex"], name="people_alias_soundex")]

    def save(self, *args, **kwargs):
        self.search_name = search_name_for(self.given_names, self.family_name)
        self.family_soundex = soundex(self.family_name)
        super().save(*args, **kwargs)
        PersonNameWord.sync(self.person_id)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)


class PersonNameWord(models.Model):
    """One normalised word of a person's names or aliases: name search is a B-tree prefix
    lookup here (``word LIKE 'smi%'``; Django adds the ``varchar_pattern_ops`` index on
    PostgreSQL), which stays fast at millions of rows where a trigram index over syllable-
    sharing names does not (measured by bench/case_pages.py)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_words")
    word = models.CharField(max_length=100, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "word"], name="one_name_word")]

    @classmethod
    def sync(cls, person_id: int) -> None:
        """Rebuild the words of one person from their names and aliases."""
        names = [Person.objects.filter(pk=person_id).values_list("search_name", flat=True).get()]
        names += PersonAlias.objects.filter(person_id=person_id).values_list(
            "search_name", flat=True
        )
        words = {word[:100] for name in names for word in name.split()}
        cls.objects.filter(person_id=person_id).exclude(word__in=words).delete()
        cls.objects.bulk_create(
            [cls(person_id=person_id, word=word) for word in sorted(words)],
            ignore_conflicts=True,
        )


class Address(models.Model):
    """An address with its history: ``lived_to`` empty means the current address."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    lived_from = models.DateField(null=True, blank=True)
    lived_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-lived_from", "-pk"]


class ContactDetail(models.Model):
    KINDS = [("phone", "Phone"), ("email", "Email"), ("other", "Other")]
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(max_length=16, choices=KINDS)
    value = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True)  # e.g. "safe to leave a message"
    created_at = models.DateTimeField(default=timezone.now)


class PersonIdentifier(models.Model):
    KINDS = [("pnc", "PNC number"), ("ni", "National Insurance number"), ("passport", "Passport")]
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="identifiers")
    kind = models.CharField(max_length=16, choices=KINDS)
    value = models.CharField(max_length=40)  # stored normalised (upper case, no spaces)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"], name="people_identifier_lookup")]


class HouseholdMember(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="household")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    is_child = models.BooleanField(default=False)  # under 18 (from date of birth, or stated)
    created_at = models.DateTimeField(default=timezone.now)


class Occupation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="occupations")
    title = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    is_volunteering = models.BooleanField(default=False)
    works_with_children = models.BooleanField(default=False)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)


class PersonMerge(models.Model):
    """An immutable record of one merge: which record was merged into which, by whom, why."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
