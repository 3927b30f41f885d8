"""Who may see and record safeguarding (ARCHITECTURE.md §5 need-to-know; brief)."""

from __future__ import annotations

from comeforward.roles import Role

#: Record screens and referrals: the officers who meet the person and their supervisors.
RECORDERS = (Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR)
#: See the safeguarding panel: police case-work roles (never partners: assessors and treatment
#: providers get what they need through their own referral).
VIEWERS = frozenset({*RECORDERS, Role.OFFENDER_MANAGER})
