"""Deployment check: the triage worker has a signing key (issue 11.4).

Without one every worker job would fail with ``TRIAGE_SIGNING_KEY_UNAVAILABLE``: production
must name an existing private key file, mode 0600 (docs/triage-report-signing.md).
"""

from __future__ import annotations

import os
import stat

from django.conf import settings
from django.core.checks import Error, register


@register("comeforward", deploy=True)
def triage_signing_key_check(app_configs=None, **kwargs) -> list[Error]:
    path = getattr(settings, "TRIAGE_SIGNING_KEY_FILE", None)
    if getattr(settings, "TRIAGE_SIGNING_KEY_AUTOCREATE", False):
        return []
    hint = "Make one with `comeforward triage keygen --out FILE` and set "
    hint += "COMEFORWARD_TRIAGE_SIGNING_KEY_FILE to FILE"
    if not path:
        return [Error("No triage signing key is configured", hint=hint, id="exhibits.E001")]
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return [
            Error(f"The triage signing key {path} does not exist", hint=hint, id="exhibits.E001")
        ]
    if stat.S_IMODE(mode) & 0o077:
        return [
            Error(
                f"The triage signing key {path} may be read by others than its owner",
                hint=f"chmod 600 {path}",
                id="exhibits.E002",
            )
        ]
    return []
