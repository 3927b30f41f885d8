"""Case references from a locked counter (issue 19.4): ``CF-YYYY-NNNNNN``, one after the other,
never the same twice — also when several intakes open cases at the same moment on PostgreSQL
(a real database, threads with their own connections; skipped on SQLite, which serialises
writers itself)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from comeforward.cases import services as case_services
from comeforward.cases.models import Case, CaseReferenceCounter
from comeforward.cases.services import case_open

from ..factories import CaseFactory, PersonFactory


def _number(reference: str) -> int:
    return int(reference.rsplit("-", 1)[1])


@pytest.mark.django_db
def test_references_follow_each_other_and_start_above_existing_ones(police_force):
    year = timezone.now().year
    CaseFactory(reference=f"CF-{year}-000041", owning_organisation=police_force)
    first = case_open(actor=None, person=PersonFactory(), owning_organisation=police_force)
    second = case_open(actor=None, person=PersonFactory(), owning_organisation=police_force)
    assert (first.reference, second.reference) == (f"CF-{year}-000042", f"CF-{year}-000043")
    assert CaseReferenceCounter.objects.get(year=year).last == 43
    # a case made without the counter (imported data) is never given again
    CaseFactory(reference=f"CF-{year}-000050", owning_organisation=police_force)
    third = case_open(actor=None, person=PersonFactory(), owning_organisation=police_force)
    assert third.reference == f"CF-{year}-000051"


#: Every app but ``audit``: a committing test's tables are flushed afterwards, and the audit
#: table's triggers refuse that (append-only); this test writes no audit records.
NOT_AUDIT = [
    app.split(".apps.")[0] for app in settings.INSTALLED_APPS if app != "comeforward.audit"
]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, available_apps=NOT_AUDIT)
def test_concurrent_intakes_on_postgresql_get_distinct_references(police_force, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (SQLite serialises writers)")
    monkeypatch.setattr(case_services, "audit_record", lambda **_: None)
    threads_n, per_thread = 8, 5
    people = [[PersonFactory() for _ in range(per_thread)] for _ in range(threads_n)]
    start = threading.Barrier(threads_n)
    made: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def intake(batch):
        try:
            start.wait()
            for person in batch:
                case = case_open(actor=None, person=person, owning_organisation=police_force)
                with lock:
                    made.append(case.reference)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            with lock:
                failures.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=intake, args=(b,)) for b in people]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not failures, failures
    assert len(made) == len(set(made)) == threads_n * per_thread
    numbers = sorted(_number(r) for r in made)
    assert numbers == list(range(numbers[0], numbers[0] + threads_n * per_thread))
    assert Case.objects.filter(reference__in=made).count() == threads_n * per_thread
