"""The home page: each role lands on its own work queue."""

from __future__ import annotations

from django.shortcuts import render

from comeforward.cases import selectors as case_selectors
from comeforward.decisions import selectors as decision_selectors
from comeforward.register import selectors as register_selectors
from comeforward.roles import Role

from .home import HOME_PAGES


def home(request):
    user = request.user
    page = HOME_PAGES[user.role]
    queue = case_selectors.work_queue(user, states=page.queue_states)
    tasks = case_selectors.task_queue(user) if page.queue_states else []
    context = {"title": page.title, "page": page, "queue": queue, "tasks": tasks}
    if user.role == Role.SUPERVISOR:
        context["awaiting_approval"] = decision_selectors.decisions_awaiting_approval_by(user)
    if user.role == Role.OFFENDER_MANAGER:
        context["new_records"] = register_selectors.new_records(user)
        context["initial_due"] = register_selectors.initial_notifications_due(user)
    return render(request, "frontend/home.html", context)
