"""Translations (issue 20.9, docs/welsh.md): extract the marked strings, update the Welsh
catalogue and compile it, in Python (Babel), so that no system gettext is needed.

    python scripts/i18n.py extract   # src/comeforward/locale/django.pot from code and templates
    python scripts/i18n.py update    # merge the template into locale/cy/LC_MESSAGES/django.po
    python scripts/i18n.py compile   # django.po -> django.mo (committed; a test checks it)
"""

from __future__ import annotations

import subprocess
import sys
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "comeforward" / "locale"
POT = LOCALE / "django.pot"
LANGUAGES = ("cy",)
KEYWORDS = ["gettext_lazy", "gettext_noop", "N_", "ngettext:1,2", "pgettext:1c,2"]


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def compiled(language: str) -> bytes:
    """The .mo the committed .po compiles to (fuzzy entries left out, as msgfmt does, and
    untranslated plural entries too: Babel would fill their forms with the English ones by
    index, and Welsh's form for one is index 1, the English plural: "1 days")."""
    with po_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    for message in list(catalog):
        if message.id and message.pluralizable and not any(message.string):
            catalog.delete(message.id, context=message.context)
    out = BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def extract() -> None:
    args = [sys.executable, "-m", "babel.messages.frontend", "extract"]
    subprocess.run(
        [
            *args,
            "-F",
            str(LOCALE / "babel.cfg"),
            *[f"-k{k}" for k in KEYWORDS],
            "--no-location",
            "--sort-output",
            "--project=comeforward",
            "-o",
            str(POT),
            str(ROOT),
        ],
        check=True,
        cwd=ROOT,
    )


def update() -> None:
    with POT.open("rb") as handle:
        template = read_po(handle)
    for language in LANGUAGES:
        path = po_path(language)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False)


def compile_all() -> None:
    for language in LANGUAGES:
        po_path(language).with_suffix(".mo").write_bytes(compiled(language))


if __name__ == "__main__":
    {"extract": extract, "update": update, "compile": compile_all}[sys.argv[1]]()
