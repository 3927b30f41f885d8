"""The statistics app's part of a case (the case-extension contract, docs/extensions.md): the
case page's "Equality monitoring and follow-up" section, its two case pages and the one
permission rule for them (``permissions.py``)."""

from __future__ import annotations

from comeforward.cases.extensions import CaseExtension

from . import selectors
from .domain import equality as equality_domain
from .permissions import may_read_equality, statistics_actions


class StatisticsExtension(CaseExtension):
    key = "statistics"
    title = "Equality monitoring and follow-up"
    order = 120
    panel_template = "statistics/_case_panel.html"

    def allowed_actions(self, user, case):
        return statistics_actions(user, case)

    def case_urls(self):
        from .case_urls import urlpatterns

        return urlpatterns

    def intake_next(self, user, case):
        """The intake journey goes on to the optional equality questions (issue 14.5) when
        the user may record them and none are recorded yet for the person."""
        from django.urls import reverse

        from .permissions import EQUALITY_RECORD, _caseworker

        if not _caseworker(user, case, EQUALITY_RECORD) or selectors.case_equality(case):
            return None
        return reverse("statistics:equality", args=[case.pk]) + "?from=intake"

    def panel(self, request, case):
        user = request.user
        actions = {a.key.split(".", 1)[1]: a for a in statistics_actions(user, case)}
        if not any(actions.values()):
            # Nothing to show or do for this user (the answers are special-category data).
            return None
        record = selectors.case_equality(case)
        values = None
        if record is not None and may_read_equality(user, case):
            values = [
                ("Age band at referral", selectors.person_age_band(case)),
                ("Sex", equality_domain.category("sex", record.sex)),
                ("Ethnic group", equality_domain.category("ethnicity", record.ethnicity)),
                ("Disability", equality_domain.category("disability", record.disability)),
            ]
        return {
            "recorded": record is not None,
            "recorded_at": record.recorded_at if record else None,
            "answers": values,
            "events": selectors.case_follow_up_events(case),
            "actions": actions,
        }
