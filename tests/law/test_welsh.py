"""The law engine's Welsh renderings (issue 20.9; draft translations, docs/welsh.md): the
period in words and the explanations behind the dates; an explanation without a Welsh
rendering stays English and says so (``lang`` ``en``), never a guess."""

from __future__ import annotations

import pytest

from comeforward.law import RULESET, Trace, period_text
from comeforward.law.periods import NotificationPeriod
from comeforward.law.welsh import period_text_welsh, period_words


@pytest.mark.parametrize(
    ("months", "welsh"),
    [
        (24, "2 flynedd"),
        (12, "1 flwyddyn"),
        (18, "1 flwyddyn 6 mis"),
        (42, "3 blynedd 6 mis"),
        (60, "5 mlynedd"),
        (84, "7 mlynedd"),
        (120, "10 mlynedd"),
        (6, "6 mis"),
    ],
)
def test_period_words(months, welsh):
    period = NotificationPeriod(False, months, "S82_CAUTIONED")
    assert period_words(months) == welsh
    # The Welsh is a rendering of the engine's own English text.
    assert period_text_welsh(period_text(period)) == welsh


def test_period_texts_the_register_stores():
    assert period_text_welsh("Indefinite") == "Amhenodol"
    assert period_text_welsh("To be determined; if notifiable: 2 years") == (
        "I’w benderfynu; os yw’n hysbysadwy: 2 flynedd"
    )
    assert period_text_welsh("a fortnight") is None  # not the engine's: shown as written


def test_explanations_in_welsh_fall_back_to_marked_english():
    trace = Trace(RULESET)
    trace.explain("English only.")
    trace.explain("Both.", welsh="Y ddau.")
    assert trace.explanations == ["English only.", "Both."]
    assert trace.explanations_in("cy") == [("English only.", "en"), ("Y ddau.", "cy")]
    assert trace.explanations_in("en") == [("English only.", "en"), ("Both.", "en")]
