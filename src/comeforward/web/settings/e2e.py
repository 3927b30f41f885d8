"""Settings for the real-browser tests: a live server on loopback, demo assets served."""

from __future__ import annotations

from .test import *  # noqa: F403
from .test import VAR_DIR

DEMO_MODE = True
# The live server commits for real, so the audit anchor is on (ADR 0008): the journeys end
# with `audit verify`, which then compares the chain with it.
AUDIT_ANCHOR_PATH = VAR_DIR / "audit-anchor.log"
