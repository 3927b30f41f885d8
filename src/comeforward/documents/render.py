"""HTML → PDF with WeasyPrint and a URL fetcher that reaches no network.

Only ``static:`` references to files inside the configured static directories are served;
anything else (http, https, file, data outside them) is refused, so a document can never
make a request or read an arbitrary file.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from comeforward.errors import DomainError


class ForbiddenResource(DomainError):
    code = "DOCUMENT_RESOURCE_FORBIDDEN"


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    roots.append((Path(__file__).resolve().parent / "static").resolve())
    return roots


def restricted_url_fetcher(url: str, *args, **kwargs) -> dict:
    if url.startswith("static:"):
        relative = url.removeprefix("static:").lstrip("/")
        for root in _static_roots():
            candidate = (root / relative).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return {"string": candidate.read_bytes(), "filename": candidate.name}
    raise ForbiddenResource(f"Documents may not fetch {url!r}", details={"url": url})


def render_pdf(template: str, context: dict) -> bytes:
    """A tagged, accessible PDF (PDF/UA-1: structure tags, the document's title shown in the
    window and its language from ``<html lang>``) so that a person using a screen reader can
    read what they are given (issue 20.10; Public Sector Bodies Accessibility Regulations)."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url="static:/", url_fetcher=restricted_url_fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1")
