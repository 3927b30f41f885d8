"""Every refusal a member of the public can meet on the /ask/ pages, in their language
(issue 20.9, docs/welsh.md).

Services raise ``DomainError``s with English messages and stable codes (docs/interfaces.md); the
public pages show them through :func:`public_message`, which translates the fixed messages
(listed here with ``gettext_noop`` so that they are extracted) and rebuilds the few that carry
numbers or words from their ``details``.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_noop as N_

from comeforward.errors import DomainError

#: The fixed messages (abuse.py, reference.py, selectors.py, services.py).
FIXED = (
    N_("This form has expired or was changed. Start again."),
    N_("This form has expired. Start again."),
    N_("This was sent too quickly. Wait a few seconds, then send it again."),
    N_("This message has already been sent."),
    N_("This page has expired. Enter your reference again."),
    N_("Leave the last field empty, then send your message again."),
    N_(
        "The service is busy. Send your message again: your browser will first do a short "
        "check, which can take up to a minute. JavaScript must be turned on while the service "
        "is this busy."
    ),
    N_("This check has already been used. Send your message again."),
    N_("Too many messages have been sent. Try again later."),
    N_("Your reference is too long. It is 7 words."),
    N_("We could not find an enquiry with that reference."),
    N_("Enter your message"),
    N_("This enquiry is closed. If you have come forward, speak to your case officer."),
)


def public_message(error: DomainError) -> str:
    """The refusal in the active language."""
    details = error.details or {}
    if error.code == "ENQUIRY_REFERENCE_MALFORMED" and "words" in details:
        count = int(details["words"])
        return ngettext(
            "Enter all 7 words of your reference. You entered %(count)d.",
            "Enter all 7 words of your reference. You entered %(count)d.",
            count,
        ) % {"count": count}
    if error.code == "ENQUIRY_REFERENCE_MALFORMED" and "unknown_words" in details:
        word = error.message.split("’", 1)[0].lstrip("‘")
        return gettext("‘%(word)s’ is not one of the words we use. Check the spelling.") % {
            "word": word
        }
    if error.code == "ENQUIRY_MESSAGE_INVALID" and "max_chars" in details:
        return gettext("Your message must be %(limit)s characters or fewer") % {
            "limit": f"{int(details['max_chars']):,}"
        }
    return gettext(error.message)
