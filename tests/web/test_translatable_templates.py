"""The staff interface is translatable (issue 20.9, docs/welsh.md): no template of a marked
app shows text outside translation markers (``{{ _("…") }}``, ``{% trans %}``). The check is
a heuristic over each template's tokens and AST (``tests/web/translatable.py``); it covers
the apps listed in ``MARKED`` and so ratchets: add an app once its templates are marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import engines

from .translatable import unmarked_text

SRC = Path(__file__).resolve().parents[2] / "src" / "comeforward"
#: Apps whose templates are marked for translation.
MARKED = (
    "frontend",
    "cases",
    "decisions",
    "treatment",
    "register",
    "documents",
    "enquiries",
    "assessments",
    "exhibits",
    "safeguarding",
    "interviews",
    "statistics",
    "accounts",
    "audit",
    "leads",
    "api",
)
#: Text that is deliberately not translated, per template, with the reason.
ALLOWED = {
    # The language switch and the review notice: each in the language it speaks of, by
    # design (the link to English says so in English; the Welsh-only notice is Welsh).
    "enquiries/jinja2/enquiries/public/layout.html": {
        "Change the language to",
        "Newid yr iaith i’r",
        "fersiwn Saesneg",
        "Mae’r fersiwn Gymraeg hon yn aros am adolygiad gan gyfieithydd. Os nad yw rhywbeth yn "
        "glir, darllenwch y",
    },
}


def _templates():
    for app in MARKED:
        yield from sorted((SRC / app).rglob("jinja2/**/*.html"))


@pytest.mark.parametrize("path", list(_templates()), ids=lambda p: str(p.relative_to(SRC)))
def test_staff_templates_show_no_unmarked_text(path):
    env = engines["jinja2"].env
    allowed = ALLOWED.get(str(path.relative_to(SRC)), set())
    assert [text for text in unmarked_text(env, path) if text not in allowed] == []


def test_every_app_with_templates_is_marked():
    """Every app that has Jinja templates is in ``MARKED``: a new app's pages are checked too."""
    apps = sorted({path.parent.name for path in SRC.glob("*/jinja2")})
    assert "cases" in apps
    assert [app for app in apps if app not in MARKED] == []


def test_the_check_finds_unmarked_text(tmp_path):
    """The heuristic can fail: literal text, a macro's text key and a conditional's branch."""
    env = engines["jinja2"].env
    template = tmp_path / "t.html"
    template.write_text(
        '<p class="govuk-body">Not marked</p><p>{{ _("Marked") }}</p>'
        '{{ govukButton({"text": "Save", "classes": "govuk-button--secondary"}) }}'
        '<td>{{ x if x else "None yet" }}</td><span aria-label="Close">×</span>'
        "{% trans n=1 %}Marked {{ n }}{% endtrans %}<script>var a = 'code';</script>"
    )
    assert unmarked_text(env, template) == ["Close", "Not marked", "None yet", "Save"]
