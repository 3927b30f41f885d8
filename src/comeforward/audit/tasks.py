"""Background work for the audit trail."""

from __future__ import annotations

import logging

from django_tasks import task

from .selectors import audit_chain_verify

logger = logging.getLogger(__name__)


@task()
def audit_chain_verify_task() -> dict:
    """Verify the whole chain in the background (scheduled nightly in production)."""
    count, broken = audit_chain_verify()
    if broken is not None:
        logger.error("Audit chain broken at record %s: %s", broken.seq, broken.reason)
        return {"ok": False, "records": count, "seq": broken.seq, "reason": broken.reason}
    return {"ok": True, "records": count}
