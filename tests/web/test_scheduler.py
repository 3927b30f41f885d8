"""The scheduler queues each daily job once a day at or after its time (web/scheduler.py)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from comeforward.web import scheduler
from comeforward.web.scheduler import ScheduleError, due_jobs, parse_schedule

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_parse_schedule_from_the_environment_form():
    assert parse_schedule("register_sweep=02:00, enquiries_purge=23:59") == {
        "register_sweep": dt.time(2, 0),
        "enquiries_purge": dt.time(23, 59),
    }


@pytest.mark.parametrize(
    "raw",
    ["register_sweep=2:00", "register_sweep=24:00", "register_sweep=02:60", "nightly=02:00"],
)
def test_parse_schedule_refuses_bad_times_and_unknown_jobs(raw):
    with pytest.raises(ScheduleError):
        parse_schedule(raw)


def test_not_due_before_its_time():
    schedule = {"register_sweep": dt.time(2, 0)}
    # 01:59 in London in winter (GMT) is 01:59 UTC.
    assert due_jobs(at("2026-12-03T01:59:59+00:00"), schedule, {}, LONDON) == []


def test_due_at_its_time_when_never_queued():
    schedule = {"register_sweep": dt.time(2, 0)}
    assert due_jobs(at("2026-12-03T02:00:00+00:00"), schedule, {}, LONDON) == ["register_sweep"]


def test_not_due_again_once_queued_today():
    schedule = {"register_sweep": dt.time(2, 0)}
    last = {"register_sweep": at("2026-12-03T02:00:05+00:00")}
    assert due_jobs(at("2026-12-03T14:00:00+00:00"), schedule, last, LONDON) == []


def test_catches_up_a_missed_run_later_the_same_day():
    schedule = {"register_sweep": dt.time(2, 0)}
    last = {"register_sweep": at("2026-12-02T02:00:05+00:00")}  # yesterday's
    assert due_jobs(at("2026-12-03T09:30:00+00:00"), schedule, last, LONDON) == ["register_sweep"]


def test_local_time_in_summer_is_an_hour_before_utc():
    schedule = {"register_sweep": dt.time(2, 0)}
    # 02:00 BST = 01:00 UTC on 1 July.
    assert due_jobs(at("2026-07-01T00:59:00+00:00"), schedule, {}, LONDON) == []
    assert due_jobs(at("2026-07-01T01:00:00+00:00"), schedule, {}, LONDON) == ["register_sweep"]


def test_a_time_in_the_spring_gap_still_runs_that_day():
    # 29 March 2026: clocks go 01:00 GMT → 02:00 BST; 01:30 does not exist.
    schedule = {"register_sweep": dt.time(1, 30)}
    assert due_jobs(at("2026-03-29T01:29:00+00:00"), schedule, {}, LONDON) == []
    assert due_jobs(at("2026-03-29T01:30:00+00:00"), schedule, {}, LONDON) == ["register_sweep"]


def test_a_time_that_happens_twice_runs_at_the_first():
    # 25 October 2026: clocks go 02:00 BST → 01:00 GMT; 01:30 happens twice.
    schedule = {"register_sweep": dt.time(1, 30)}
    first = at("2026-10-25T00:30:00+00:00")  # 01:30 BST
    assert due_jobs(first, schedule, {}, LONDON) == ["register_sweep"]
    queued = {"register_sweep": first}
    assert due_jobs(at("2026-10-25T01:30:00+00:00"), schedule, queued, LONDON) == []


@pytest.mark.django_db
def test_tick_queues_each_due_job_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    schedule = parse_schedule(
        "register_sweep=02:00,treatment_condition_sweep=02:15,enquiries_purge=03:00,"
        "statistics_refresh=04:00"
    )
    now = at("2026-12-03T02:20:00+00:00")
    assert scheduler.tick(schedule, now=now) == ["register_sweep", "treatment_condition_sweep"]
    assert scheduler.tick(schedule, now=now) == []
    assert scheduler.tick(schedule, now=at("2026-12-03T03:00:00+00:00")) == ["enquiries_purge"]
    assert scheduler.tick(schedule, now=at("2026-12-03T04:00:00+00:00")) == ["statistics_refresh"]
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == sorted(job.task_path for job in scheduler.JOBS.values())
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}


@pytest.mark.django_db
def test_the_scheduler_command_refuses_a_bad_schedule(settings):
    settings.COMEFORWARD_SCHEDULE = "register_sweep=25:00"
    with pytest.raises(CommandError, match="COMEFORWARD_SCHEDULE"):
        call_command("scheduler", "--once")
