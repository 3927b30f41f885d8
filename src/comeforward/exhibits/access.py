"""Who may do what with exhibits (ARCHITECTURE.md §5 need-to-know).

The case's visibility decides *which* cases (team, force supervisors); these roles decide
*what*. A forensic examiner imports results only for cases whose team they are on: the
supervisor adds the examiner to the team when the devices come in (decision recorded in the
exhibits app's README section of the report; simplest rule that keeps need-to-know).
"""

from __future__ import annotations

from comeforward.roles import Role

RECORDERS = (Role.INTAKE_OFFICER, Role.INVESTIGATOR)
EXAMINERS = (Role.FORENSIC_EXAMINER,)
VIEWERS = frozenset({*RECORDERS, *EXAMINERS, Role.SUPERVISOR, Role.OFFENDER_MANAGER})
#: May hand out the new-material export for the national database (an audited disclosure):
#: the examiners who made it and the force's supervisors of the case.
DISCLOSERS = (Role.FORENSIC_EXAMINER, Role.SUPERVISOR)
