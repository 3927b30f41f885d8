"""Statistics pages (issue 14.7): a dashboard, one page per theme, CSV/ODS exports, the
quarterly report PDF, the pseudonymised extract and the follow-up event form. Every figure
comes from ``selectors.published_figures`` (suppressed, materialised)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comeforward.cases import selectors as case_selectors
from comeforward.documents.render import render_pdf
from comeforward.ui.forms import submit as submit_form
from comeforward.ui.permissions import role_required

from . import exports, selectors, services
from .forms import ExtractForm, FollowUpEventForm

TEMPLATES = "statistics/"


def _figures(request):
    period = request.GET.get("period", "quarter")
    if period not in selectors.PERIODS:
        period = "quarter"
    return selectors.published_figures(request.user, period)


def _context(request, figures, **extra):
    return {
        "figures": figures,
        "pages": selectors.PAGES,
        "can_refresh": request.user.has_role(*services.REFRESH_ROLES),
        "can_extract": request.user.has_role(*selectors.EXTRACT_ROLES),
        **extra,
    }


def _no_figures(request):
    """The plain answer for an organisation that gets no figures (not an empty page)."""
    reason = selectors.no_figures_reason(request.user)
    if reason is None:
        return None
    context = {"title": "Statistics", "reason": reason, "pages": selectors.PAGES}
    return render(request, TEMPLATES + "no_figures.html", context)


@role_required(*selectors.STATISTICS_ROLES)
def index(request):
    if (answer := _no_figures(request)) is not None:
        return answer
    figures = _figures(request)
    context = _context(
        request,
        figures,
        title="Statistics dashboard",
        table_ids=selectors.DASHBOARD_TABLES,
    )
    return render(request, TEMPLATES + "dashboard.html", context)


@role_required(*selectors.STATISTICS_ROLES)
def page(request, name: str):
    if name not in selectors.PAGES:
        raise Http404
    if (answer := _no_figures(request)) is not None:
        return answer
    title, table_ids = selectors.PAGES[name]
    figures = _figures(request)
    extra = {}
    if name == "costs":
        extra = {
            "assumptions": selectors.unit_cost_assumptions(),
            "cost_model": selectors.unit_cost_model_name(),
        }
    context = _context(request, figures, title=title, table_ids=table_ids, page=name, **extra)
    return render(request, TEMPLATES + "page.html", context)


@role_required(*selectors.STATISTICS_ROLES)
def export(request, table_id: str, fmt: str):
    if fmt not in ("csv", "ods"):
        raise Http404
    figures = _figures(request)
    if figures is None:
        raise Http404
    as_of = figures.computed_at.strftime("%Y-%m-%d %H:%M UTC")
    if table_id == "all" and fmt == "ods":
        body = exports.tables_ods(figures.tables.values(), as_of=as_of)
    elif table_id not in figures.tables:
        raise Http404
    elif fmt == "csv":
        response = HttpResponse(
            exports.table_csv(figures.tables[table_id], as_of=as_of),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{table_id}.csv"'
        return response
    else:
        body = exports.tables_ods([figures.tables[table_id]], as_of=as_of)
    response = HttpResponse(body, content_type="application/vnd.oasis.opendocument.spreadsheet")
    response["Content-Disposition"] = f'attachment; filename="{table_id}.ods"'
    return response


@role_required(*selectors.STATISTICS_ROLES)
def report(request):
    figures = _figures(request)
    if figures is None:
        raise Http404
    sections = [
        (title, [figures.tables[t] for t in ids if t in figures.tables])
        for title, ids in selectors.PAGES.values()
    ]
    pdf = render_pdf(
        TEMPLATES + "pdf/quarterly.html",
        {
            "figures": figures,
            "sections": sections,
            "organisation": request.user.organisation,
            "generated_by": request.user,
            "generated_at": timezone.now(),
            "assumptions": selectors.unit_cost_assumptions(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="quarterly-statistics.pdf"'
    return response


@require_POST
@role_required(*services.REFRESH_ROLES)
def refresh(request):
    services.figures_refresh(organisation_id=request.user.organisation_id, full=True)
    messages.success(request, _("The figures have been recalculated."))
    return redirect("stats:index")


#: The session key holding an extract authorised (and audited) by the POST, for the one GET
#: that downloads it (post/redirect/get: a refresh never re-sends the form).
EXTRACT_SESSION_KEY = "statistics_extract_authorised"


@role_required(*selectors.EXTRACT_ROLES)
def extract(request):
    form = ExtractForm(request.POST or None)

    def authorise(data: dict) -> None:
        study = services.extract_authorise(
            actor=request.user, purpose=data["purpose"], study=data["study"], kind="record_level"
        )
        request.session[EXTRACT_SESSION_KEY] = study

    done = submit_form(
        request,
        form,
        authorise,
        success=_("The extract was recorded in the audit trail with its purpose."),
        then=reverse("stats:extract-download"),
    )
    if done is not None:
        return done
    context = {"title": "Pseudonymised extract", "form": form, "columns": selectors.EXTRACT_COLUMNS}
    return render(request, TEMPLATES + "extract.html", context, status=400 if form.errors else 200)


@role_required(*selectors.EXTRACT_ROLES)
def extract_download(request):
    """The extract the POST just authorised (once: the session entry is consumed)."""
    study = request.session.pop(EXTRACT_SESSION_KEY, None)
    if not study:
        return redirect("stats:extract")
    rows = selectors.extract_rows(request.user, study=study, as_of=timezone.localdate())
    response = StreamingHttpResponse(
        exports.rows_csv(selectors.EXTRACT_COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="pseudonymised-extract.csv"'
    return response


@role_required(*selectors.FOLLOW_UP_ROLES)
def follow_up_new(request):
    form = FollowUpEventForm(request.POST or None)

    def record(data: dict) -> None:
        case = case_selectors.case_get_by_reference_for_user(
            request.user, reference=data["reference"]
        )
        services.follow_up_event_record(
            actor=request.user,
            case=case,
            kind=data["kind"],
            date=data["date"],
            source=data["source"],
        )

    reference = (request.POST.get("reference") or "").strip().upper()
    done = submit_form(
        request,
        form,
        record,
        success=_("Follow-up event recorded on %(reference)s.") % {"reference": reference},
        then=reverse("stats:follow-up"),
    )
    if done is not None:
        return done
    context = {"title": "Record a follow-up check", "form": form, "submit": "Record"}
    return render(
        request, TEMPLATES + "follow_up.html", context, status=400 if form.errors else 200
    )
