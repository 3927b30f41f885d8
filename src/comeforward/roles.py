"""Roles and organisation types: who does what in the scheme (ARCHITECTURE.md §1).

Pure definitions, no database: navigation, home pages and scoping read from here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    POLICE_FORCE = "police_force", _("Police force")
    ASSESSMENT_SERVICE = "assessment_service", _("Assessment service")
    TREATMENT_PROVIDER = "treatment_provider", _("Treatment provider")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")


class Role(models.TextChoices):
    INTAKE_OFFICER = "intake_officer", _("Intake officer")
    INVESTIGATOR = "investigator", _("Investigator")
    FORENSIC_EXAMINER = "forensic_examiner", _("Digital forensic examiner")
    INDEPENDENT_ASSESSOR = "independent_assessor", _("Independent assessor")
    TREATMENT_PROVIDER = "treatment_provider", _("Treatment provider")
    OFFENDER_MANAGER = "offender_manager", _("Offender manager")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Which organisation types may employ each role. Independence of assessment (domain-rules
#: §4.7) and of treatment is enforced here: a police user can never hold the assessor role.
ROLE_ORGANISATION_TYPES: dict[str, frozenset[str]] = {
    Role.INTAKE_OFFICER: frozenset({OrganisationType.POLICE_FORCE}),
    Role.INVESTIGATOR: frozenset({OrganisationType.POLICE_FORCE}),
    Role.FORENSIC_EXAMINER: frozenset({OrganisationType.POLICE_FORCE}),
    Role.INDEPENDENT_ASSESSOR: frozenset({OrganisationType.ASSESSMENT_SERVICE}),
    Role.TREATMENT_PROVIDER: frozenset({OrganisationType.TREATMENT_PROVIDER}),
    Role.OFFENDER_MANAGER: frozenset({OrganisationType.POLICE_FORCE}),
    Role.SUPERVISOR: frozenset({OrganisationType.POLICE_FORCE}),
    Role.ANALYST: frozenset({OrganisationType.POLICE_FORCE, OrganisationType.LOCAL_AUTHORITY}),
    Role.ADMINISTRATOR: frozenset(OrganisationType.values),
}

#: Roles that must be offered WebAuthn as a second factor (ARCHITECTURE.md §5).
PRIVILEGED_ROLES = frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR})

#: Roles that work on individual cases (everything except pseudonymised statistics/admin).
CASEWORK_ROLES = frozenset(
    {
        Role.INTAKE_OFFICER,
        Role.INVESTIGATOR,
        Role.FORENSIC_EXAMINER,
        Role.INDEPENDENT_ASSESSOR,
        Role.TREATMENT_PROVIDER,
        Role.OFFENDER_MANAGER,
        Role.SUPERVISOR,
    }
)
