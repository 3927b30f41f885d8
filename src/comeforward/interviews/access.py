"""Who may record and read interviews (ARCHITECTURE.md §5 need-to-know).

The admission narrative is police-only: partners (assessors, treatment providers) given access
to the case see that an interview took place and what was admitted, never the narrative.
"""

from __future__ import annotations

from comeforward.roles import Role

RECORDERS = (Role.INVESTIGATOR, Role.SUPERVISOR)
POLICE_CASE_ROLES = frozenset(
    {
        Role.INTAKE_OFFICER,
        Role.INVESTIGATOR,
        Role.FORENSIC_EXAMINER,
        Role.OFFENDER_MANAGER,
        Role.SUPERVISOR,
    }
)
SUMMARY_VIEWERS = POLICE_CASE_ROLES | {Role.INDEPENDENT_ASSESSOR}
