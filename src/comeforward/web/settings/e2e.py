"""Settings for the real-browser tests: a live server on loopback, demo assets served."""

from __future__ import annotations

from .test import *  # noqa: F403

DEMO_MODE = True
