"""The integration API's scopes: ``resource:action`` (issue 18.2; docs/api.md "Scopes").

Pure definitions. Each API operation names exactly one scope (``security.ClientToken``); a
client's token carries the scopes an administrator granted it. A scope is only half of a
permission: the client acts as a service principal in one role of one organisation, so the
same need-to-know rules as the web pages still decide which records it sees and what it may do.
"""

from __future__ import annotations

SCOPES: dict[str, str] = {
    "cases:read": "List and read the cases the client may see",
    "cases:create": "Record a self-referral (opens a case)",
    "people:read": "Look up people on the cases the client may see",
    "register:read": "Read register records (notification requirements) and notifications",
    "register:write": "Record a notification made in person (s.87)",
    "exhibits:read": "Read exhibits and their examinations",
    "triage:import": "Import a signed triage report as an examination",
    "tasks:read": "Read the client's open tasks",
    "statistics:read": "Read the published, suppressed statistics",
    "audit:read": "Extract the audit trail (data protection officer)",
}

#: Scopes that only a client acting as an administrator (the data protection officer's
#: stand-in until a DPO role exists) may hold.
ADMINISTRATOR_ONLY = frozenset({"audit:read"})


def unknown_scopes(scopes) -> list[str]:
    return sorted(set(scopes) - set(SCOPES))
