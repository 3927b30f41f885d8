"""The home page: each role lands on its own work queue."""

from __future__ import annotations

from django.shortcuts import render

from comeforward.cases import selectors as case_selectors

from .home import HOME_PAGES


def home(request):
    page = HOME_PAGES[request.user.role]
    queue = case_selectors.work_queue(request.user, states=page.queue_states)
    tasks = case_selectors.task_queue(request.user) if page.queue_states else []
    return render(
        request,
        "frontend/home.html",
        {"title": page.title, "page": page, "queue": queue, "tasks": tasks},
    )
