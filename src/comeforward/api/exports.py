"""Exports of case lists, task queues, register lists and audit extracts as CSV or ODS
(issue 18.4; docs/api.md "Exports").

Each export is a disclosure out of the system (DPA 2018 s.62): it is audited *before* the file
is made, with the purpose given as the justification, and the file is watermarked with who
made it, when, why and the audit record's number — in rows above the table and a closing row
below it — so a copy found later says where it came from. Cells that a spreadsheet would run as
a formula (``= + - @``, tab, carriage return) are prefixed with ``'`` (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import F

from comeforward.audit import trail
from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases import selectors as case_selectors
from comeforward.errors import DomainError
from comeforward.register import selectors as register_selectors
from comeforward.roles import CASEWORK_ROLES, Role
from comeforward.ui.forms import clean_text

#: Most rows one export holds (narrow it with filters beyond this).
EXPORT_LIMIT = 10_000
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


class ExportNotAllowed(DomainError):
    code = "ROLE_NOT_PERMITTED"


class PurposeRequired(DomainError):
    code = "PURPOSE_REQUIRED"


@dataclass(frozen=True)
class ExportKind:
    key: str
    title: str
    roles: frozenset[str]
    header: tuple[str, ...]


KINDS: dict[str, ExportKind] = {
    "cases": ExportKind(
        "cases",
        "Case list",
        frozenset(CASEWORK_ROLES),
        (
            "Reference",
            "State",
            "Route",
            "Given names",
            "Family name",
            "Date of birth",
            "State changed at",
            "Created at",
        ),
    ),
    "tasks": ExportKind(
        "tasks",
        "Task queue",
        frozenset(CASEWORK_ROLES),
        ("Case", "Task", "Assigned role", "Due", "Status"),
    ),
    "register": ExportKind(
        "register",
        "Register list",
        frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR}),
        (
            "Case",
            "Given names",
            "Family name",
            "Period",
            "Last day",
            "Next due",
            "Overdue",
            "ARMS level",
            "MAPPA category",
            "MAPPA level",
        ),
    ),
    "audit": ExportKind(
        "audit",
        "Audit extract",
        frozenset({Role.ADMINISTRATOR}),
        (
            "Seq",
            "Occurred at (UTC)",
            "Operation",
            "Actor",
            "Role",
            "Organisation",
            "Subject",
            "Subject id",
            "Reference",
            "Scope",
            "Justification",
            "Outcome",
            "Hash",
        ),
    ),
}


def _rows_cases(user, filters):
    cases = case_selectors.cases_visible_to(user)
    if filters.get("state"):
        cases = cases.filter(state__in=filters["state"])
    for c in cases.order_by("-pk")[:EXPORT_LIMIT]:
        p = c.person
        yield (
            c.reference,
            (
                c.reference,
                c.get_state_display(),
                c.route,
                p.given_names,
                p.family_name,
                p.date_of_birth,
                c.state_changed_at,
                c.created_at,
            ),
        )


def _rows_tasks(user, filters):
    for t in case_selectors.task_queue(user, limit=100):
        yield f"task:{t.pk}", (t.case.reference, t.label, t.assigned_role, t.due, t.status)


def _rows_register(user, filters):
    records = register_selectors.records_visible_to(user).filter(active=True)
    records = records.order_by(F("next_due").asc(nulls_last=True), "pk")[:EXPORT_LIMIT]
    for r in records:
        p = r.case.person
        yield (
            f"register:{r.pk}",
            (
                r.case.reference,
                p.given_names,
                p.family_name,
                r.period_text,
                r.last_day,
                r.next_due,
                r.overdue_count,
                r.arms_level,
                r.mappa_category,
                r.mappa_level,
            ),
        )


def _rows_audit(user, filters):
    events = trail.trail_events(
        user, on_or_after=filters.get("on_or_after"), on_or_before=filters.get("on_or_before")
    )
    for e in events[:EXPORT_LIMIT]:
        yield (
            f"audit:{e.seq}",
            (
                e.seq,
                e.occurred_at,
                e.operation,
                e.actor_email,
                e.actor_role,
                e.actor_organisation,
                e.subject_type,
                e.subject_id,
                e.subject_ref,
                e.scope,
                e.justification,
                e.outcome,
                e.hash,
            ),
        )


ROWS = {
    "cases": _rows_cases,
    "tasks": _rows_tasks,
    "register": _rows_register,
    "audit": _rows_audit,
}


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    content: bytes
    rows: int
    audit_seq: int


def export_make(
    *, actor, kind: str, fmt: str, purpose: str, filters=None, via: str = "web"
) -> Export:
    """Make one export for ``actor`` (a person, or an API client's service principal): check
    the role, audit the disclosure with its purpose, then write the watermarked file."""
    spec = KINDS[kind]
    if fmt not in FORMATS:
        raise DomainError(f"Unknown format {fmt!r}", details={"format": fmt})
    if not actor.has_role(*spec.roles):
        raise ExportNotAllowed(
            f"Your role cannot export the {spec.title.lower()}",
            details={"kind": kind, "role": actor.role},
        )
    purpose = " ".join(clean_text(purpose or "").split())
    if len(purpose) < 5:
        raise PurposeRequired(
            "Say what the export is for (at least 5 characters)", details={"field": "purpose"}
        )
    filters = filters or {}
    keyed = list(ROWS[kind](actor, filters))
    event = audit_record(
        actor=actor,
        operation=Operation.DISCLOSE,
        subject_type="export",
        subject_id=kind,
        scope=f"export.{kind}",
        justification=purpose,
        details={
            "format": fmt,
            "via": via,
            "rows": len(keyed),
            "records": [k for k, _ in keyed][:500],
            "filters": {k: str(v) for k, v in filters.items() if v},
        },
    )
    now = dt.datetime.now(dt.UTC)
    organisation = getattr(actor.organisation, "name", "")
    marking = getattr(settings, "PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")
    watermark = [
        (marking, f"{spec.title} exported from comeforward"),
        ("Exported by", f"{actor.full_name} <{actor.email}>", organisation),
        ("Exported at (UTC)", now.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("Purpose", purpose),
        ("Audit record", str(event.seq)),
        (),
    ]
    footer = [
        (),
        (
            f"End of export: {len(keyed)} rows",
            f"exported by {actor.email} for: {purpose}",
            f"audit record {event.seq}",
            marking,
        ),
    ]
    table = [*watermark, spec.header, *(row for _, row in keyed), *footer]
    text = [[_cell(v) for v in row] for row in table]
    content = _csv(text) if fmt == "csv" else _ods(text, spec.title)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    return Export(
        filename=f"comeforward-{kind}-{stamp}-audit{event.seq}.{fmt}",
        content_type=FORMATS[fmt],
        content=content,
        rows=len(keyed),
        audit_seq=event.seq,
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    elif isinstance(value, dt.date):
        value = value.isoformat()
    text = str(value)
    if text and text[0] in "=+-@\t\r":
        text = "'" + text
    return text


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: spreadsheets read UTF-8


_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def _ods(rows: list[list[str]], title: str) -> bytes:
    """A minimal OpenDocument spreadsheet (ODF 1.2): one sheet of text cells."""
    body = []
    for row in rows:
        cells = (
            "".join(
                f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
                "</table:table-cell>"
                for v in row
            )
            or "<table:table-cell/>"
        )
        body.append(f"<table:table-row>{cells}</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(title)}">'
        + "".join(body)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as ods:
        ods.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        ods.writestr("META-INF/manifest.xml", _MANIFEST)
        ods.writestr("content.xml", content)
    return buffer.getvalue()
