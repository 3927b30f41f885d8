"""Find user-visible text in a Jinja template that is not marked for translation (issue 20.9,
docs/welsh.md): a heuristic over the template's lexical tokens and its AST.

- Literal text (the lexer's ``data`` tokens, with every ``{{ }}``/``{% %}`` replaced by a
  placeholder so that tags split by an expression still read as tags): what remains outside
  HTML tags, comments, ``<script>``, ``<style>`` and ``<code>``, plus the values of the
  attributes a person reads or hears (``aria-label``, ``title``, ``alt``, ``placeholder``).
- String constants in expressions that are output as such: the branches of a conditional
  expression (``{{ a if b else "None" }}``), a constant output on its own, and the values of the
  GOV.UK macros' text keys (``{"text": "Continue"}``, ``"titleText"``, ``"html"`` …), unless
  wrapped in ``_()``/``gettext``/``ngettext``.

Not text: whitespace, punctuation, numbers, and the tokens in ``NOT_TEXT``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from jinja2 import nodes

#: Tokens that look like words but are not text to translate: proper names of services and
#: formats, units, and the names of the two languages (each written in its own language).
NOT_TEXT = frozenset(
    {
        "SHA-256",
        "SHA",
        "PDF",
        "CSV",
        "JSON",
        "GOV.UK",
        "English",
        "Cymraeg",
        "MB",
        "KB",
        "UTC",
        "am",
        "pm",
        "cy",
        "en",
        "en-GB",
    }
)
TEXT_KEYS = frozenset(
    {
        "text",
        "html",
        "titleText",
        "descriptionText",
        "label",
        "hint",
        "legend",
        "caption",
        "value_text",
        "summaryText",
    }
)
GETTEXT = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext"})
_PLACEHOLDER = "\x00"
_DROP = re.compile(r"<!--.*?-->|<(script|style|code)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^<>]*>")
_ATTRIBUTE = re.compile(r"""\b(?:aria-label|title|alt|placeholder)\s*=\s*"([^"]*)\"""", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-.]*[A-Za-z]|[A-Za-z]")


def _words(text: str) -> list[str]:
    text = html.unescape(text.replace(_PLACEHOLDER, " "))
    return [w for w in _WORD.findall(text) if w not in NOT_TEXT and len(w) > 1]


def _reads_as_text(value: str) -> bool:
    """A constant a person reads: words, with a capital letter or a space (a lone lower-case
    token such as a CSS class, an id or a suffix is not)."""
    tokens = value.split()
    if tokens and all(("-" in t or "_" in t) and t == t.lower() for t in tokens):
        return False  # CSS classes, ids
    return bool(_words(value)) and (" " in value.strip() or value[:1].isupper())


def _literal_text(env, source: str) -> list[str]:
    parts, in_trans, after_begin = [], False, False
    for _, kind, value in env.lex(source):
        if after_begin and kind == "name":
            in_trans = {"trans": True, "endtrans": False}.get(value, in_trans)
        if kind != "whitespace":
            after_begin = kind == "block_begin"
        # The text of a {% trans %} block is marked: a placeholder, like an expression.
        parts.append(value if kind == "data" and not in_trans else _PLACEHOLDER)
    skeleton = _DROP.sub(" ", "".join(parts))
    found = [" ".join(v.split()) for v in _ATTRIBUTE.findall(skeleton) if _words(v)]
    outside = _TAG.sub(_PLACEHOLDER, skeleton)
    for chunk in outside.split(_PLACEHOLDER):
        if _words(chunk):
            found.append(" ".join(chunk.split()))
    return found


def _is_gettext(node) -> bool:
    return isinstance(node, nodes.Call) and getattr(node.node, "name", "") in GETTEXT


def _constants(node, found: list[str], *, shown: bool) -> None:
    """Walk an expression; ``shown``: its value is output as it is."""
    if _is_gettext(node):
        return
    if isinstance(node, nodes.Const):
        if shown and isinstance(node.value, str) and _reads_as_text(node.value):
            found.append(node.value)
        return
    if isinstance(node, nodes.CondExpr):
        _constants(node.test, found, shown=False)
        _constants(node.expr1, found, shown=shown)
        if node.expr2 is not None:
            _constants(node.expr2, found, shown=shown)
        return
    if isinstance(node, nodes.Concat | nodes.Add | nodes.Or) and shown:
        for child in node.iter_child_nodes():
            _constants(child, found, shown=True)
        return
    if isinstance(node, nodes.Pair):
        key = node.key.value if isinstance(node.key, nodes.Const) else None
        _constants(node.value, found, shown=key in TEXT_KEYS)
        return
    for child in node.iter_child_nodes():
        _constants(child, found, shown=False)


def _expression_text(env, source: str) -> list[str]:
    found: list[str] = []
    tree = env.parse(source)
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if not isinstance(child, nodes.TemplateData):
                _constants(child, found, shown=True)
    for node in tree.find_all((nodes.Call, nodes.Dict, nodes.Assign)):
        if isinstance(node, nodes.Dict):
            for pair in node.items:
                _constants(pair, found, shown=False)
    return found


def unmarked_text(env, path: Path) -> list[str]:
    """The pieces of user-visible text in the template at ``path`` not marked for translation."""
    source = path.read_text()
    return _literal_text(env, source) + sorted(set(_expression_text(env, source)))
