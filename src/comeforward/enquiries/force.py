"""Which force an anonymous enquiry goes to (issue 11.8; docs/need-to-know.md).

Each enquiry belongs to one police force, and only that force's responders read it. The
public channel cannot ask the enquirer (that would identify where they live), so the force is
configuration of the deployment: one ``/ask/`` service per force.

- ``ENQUIRY_FORCE`` (setting, an organisation code, e.g. ``"northshire-police"``) names it;
- unset, the one police force in the database is used (a single-force deployment, the demo);
- otherwise — no force yet, several forces and no setting, or a code that is not a police
  force — the question is still kept (the enquirer loses nothing) but with **no force**:
  nobody reads it (fail closed) until an operator assigns the waiting enquiries with
  ``comeforward enquiries_assign_force CODE``. A warning is logged each time.
"""

from __future__ import annotations

import logging

from django.conf import settings

from comeforward.accounts import selectors as account_selectors
from comeforward.roles import OrganisationType

from .errors import EnquiryForceUnknown

logger = logging.getLogger(__name__)


def police_force_by_code(code: str):
    """The police force with organisation code ``code`` (``EnquiryForceUnknown`` if none)."""
    force = (
        account_selectors.organisations_of_kind(OrganisationType.POLICE_FORCE)
        .filter(code=(code or "").strip())
        .first()
    )
    if force is None:
        raise EnquiryForceUnknown("There is no police force with that code", details={"code": code})
    return force


def enquiry_force():
    """The organisation new enquiries belong to, or ``None`` when it cannot be decided."""
    code = getattr(settings, "ENQUIRY_FORCE", None)
    if code:
        try:
            return police_force_by_code(code)
        except EnquiryForceUnknown:
            logger.warning("ENQUIRY_FORCE=%r is not a police force: enquiry kept unassigned", code)
            return None
    found = list(account_selectors.organisations_of_kind(OrganisationType.POLICE_FORCE)[:2])
    if len(found) == 1:
        return found[0]
    logger.warning(
        "ENQUIRY_FORCE is not set and there are %s police forces: enquiry kept unassigned",
        "several" if found else "no",
    )
    return None
