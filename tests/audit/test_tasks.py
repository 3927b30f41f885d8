"""Background work through the Django tasks API: immediate in tests, database queue in real life."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks.base import TaskResultStatus

from comeforward.audit.services import audit_record
from comeforward.audit.tasks import audit_chain_verify_task


@pytest.mark.django_db
def test_immediate_backend_runs_the_task_at_once():
    audit_record(actor=None, operation="collect", subject_type="case", scope="case")
    result = audit_chain_verify_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"ok": True, "records": 1}


@pytest.mark.django_db(
    transaction=True,
    # The audit table is never flushed (its triggers refuse it): this test writes no records.
    available_apps=["django.contrib.contenttypes", "django_tasks_db", "comeforward.web"],
)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_database_queue_is_drained_by_the_worker_command():
    """The real queue: enqueue in the database, then the worker command runs it.

    The worker manages its own connections, so this test commits for real.
    """
    from django_tasks import task_backends

    from comeforward.audit.models import AuditEvent

    task_backends._settings = None  # pick up the overridden TASKS
    try:
        records = AuditEvent.objects.count()
        result = audit_chain_verify_task.enqueue()
        assert result.status == TaskResultStatus.READY
        call_command("worker", "--batch", "--interval", "0")
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == {"ok": True, "records": records}
    finally:
        task_backends._settings = None
