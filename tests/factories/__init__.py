"""factory-boy factories shared by the test suite. All data is synthetic."""

from __future__ import annotations

import datetime as dt

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from comeforward.accounts.models import Organisation, User
from comeforward.cases.models import Case, CaseTeamMember, PartnerGrant
from comeforward.people.models import Person
from comeforward.roles import ROLE_ORGANISATION_TYPES, OrganisationType, Role

TEST_PASSWORD = "correct horse battery staple 2026"

#: The organisation type each role is given by default in tests.
DEFAULT_ORG_TYPE = {
    role: (
        OrganisationType.POLICE_FORCE
        if OrganisationType.POLICE_FORCE in kinds
        else sorted(kinds)[0]
    )
    for role, kinds in ROLE_ORGANISATION_TYPES.items()
}


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    code = factory.Sequence(lambda n: f"test-org-{n}")
    kind = OrganisationType.POLICE_FORCE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    role = Role.INVESTIGATOR
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class TotpDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Test authenticator"
    confirmed = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_names = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = dt.date(1985, 4, 1)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"CF-2026-{n + 1:06d}")
    person = factory.SubFactory(PersonFactory)
    owning_organisation = factory.SubFactory(OrganisationFactory)


class CaseTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseTeamMember

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)


class PartnerGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerGrant

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.INDEPENDENT_ASSESSOR
