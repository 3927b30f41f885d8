"""Background work for the audit trail."""

from __future__ import annotations

import logging

from django_tasks import task

from .selectors import audit_verify

logger = logging.getLogger(__name__)


@task()
def audit_chain_verify_task() -> dict:
    """Verify the whole chain and its anchor in the background (nightly in production)."""
    result = audit_verify()
    if not result.ok:
        logger.error("Audit trail check failed (%s): %s", result.code, result.message)
        return {
            "ok": False,
            "records": result.records,
            "code": result.code,
            "seq": result.details.get("seq"),
            "reason": result.details.get("reason", result.message),
        }
    return {"ok": True, "records": result.records}
