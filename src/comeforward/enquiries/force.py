"""Which force an anonymous enquiry goes to (issue 11.8; docs/need-to-know.md).

Each enquiry belongs to one police force, and only that force's responders read it. The
public channel cannot ask the enquirer (that would identify where they live), so the force is
configuration of the deployment: one ``/ask/`` service per force.

- ``ENQUIRY_FORCE`` (setting, an organisation code, e.g. ``"northshire-police"``) names it;
- unset, the one police force in the database is used (a single-force deployment, the demo);
- otherwise — no force, several forces and no setting, or a code that is not a police
  force — the channel refuses new enquiries (``ENQUIRY_CHANNEL_NOT_CONFIGURED``, HTTP 503)
  rather than guess (fail closed).
"""

from __future__ import annotations

from django.conf import settings

from comeforward.accounts import selectors as account_selectors
from comeforward.accounts.roles import OrganisationType

from .errors import EnquiryChannelNotConfigured


def enquiry_force():
    """The organisation new enquiries belong to (raises ``EnquiryChannelNotConfigured``)."""
    forces = account_selectors.organisations_of_kind(OrganisationType.POLICE_FORCE)
    code = getattr(settings, "ENQUIRY_FORCE", None)
    if code:
        force = forces.filter(code=code).first()
        if force is None:
            raise EnquiryChannelNotConfigured(
                "The enquiry service is not available at the moment.",
                details={"setting": "ENQUIRY_FORCE", "problem": "not a police force"},
            )
        return force
    found = list(forces[:2])
    if len(found) != 1:
        raise EnquiryChannelNotConfigured(
            "The enquiry service is not available at the moment.",
            details={"setting": "ENQUIRY_FORCE", "problem": "not set", "forces": len(found)},
        )
    return found[0]
