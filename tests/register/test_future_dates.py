"""The register refuses an offence or a caution (the relevant date) after today with
``DATE_IN_FUTURE`` naming the field, and records nothing (issue 11.8 leftover)."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.law.errors import DateInFuture
from comeforward.register import services
from comeforward.register.domain import RecordFacts
from comeforward.register.forms import EnterRecordForm
from comeforward.register.models import RegisterRecord
from comeforward.ui.forms import install_text_cleaning

pytestmark = pytest.mark.django_db
D = dt.date


def _facts(**changes) -> RecordFacts:
    values = {
        "offence": "CJA1988_S160",
        "offence_date": D(2025, 1, 10),
        "offender_dob": D(1980, 5, 1),
        "youngest_depicted_age": 12,
        "disposal_type": "simple_caution",
        "relevant_date": D(2025, 3, 1),
    }
    return RecordFacts(**(values | changes))


@pytest.mark.parametrize("field", ["offence_date", "relevant_date"])
def test_a_future_offence_or_caution_date_is_refused(case, fixed_today, field):
    fixed_today(D(2025, 3, 1))
    with pytest.raises(DateInFuture) as refusal:
        services.register_open(actor=None, case=case, facts=_facts(**{field: D(2025, 3, 2)}))
    assert refusal.value.code == "DATE_IN_FUTURE"
    assert refusal.value.details == {"field": field, "value": "2025-03-02", "today": "2025-03-01"}
    assert not RegisterRecord.objects.exists()
    assert not AuditEvent.objects.filter(scope="register.record").exists()


def test_dates_of_today_are_accepted(case, fixed_today):
    fixed_today(D(2025, 3, 1))
    record = services.register_open(actor=None, case=case, facts=_facts(offence_date=D(2025, 3, 1)))
    assert record.relevant_date == D(2025, 3, 1)


def test_the_enter_record_form_refuses_future_dates():
    install_text_cleaning()  # what WebConfig.ready does
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    form = EnterRecordForm({"offence_date": tomorrow, "relevant_date": tomorrow})
    form.is_valid()
    assert "must be today or in the past" in form.errors["offence_date"][0]
    assert "must be today or in the past" in form.errors["relevant_date"][0]
