"""PDF documents generated from Jinja templates with WeasyPrint, stamped with the protective
marking on every page, stored with their SHA-256, every generation audited as a *disclose*.

Kinds of document — an app declares its own from its case extension (docs/extensions.md)::

    from comeforward.documents.registry import DocumentKind

    WRITTEN_NOTICE = DocumentKind(
        key="written_notice",                      # stable, stored on each Document
        title="Written notice of requirements",    # shown to users and in the PDF
        template="register/pdf/written_notice.html",  # extends "documents/pdf_base.html"
        context=lambda user, case: {...},          # read through YOUR selectors, scoped to user
        roles=frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR}),
    )

    class RegisterExtension(CaseExtension):
        def document_kinds(self):
            return (WRITTEN_NOTICE,)

``context`` returns the template context, or raises ``DocumentUnavailable`` (for example, no
caution recorded yet) with a message the user sees. Templates extend
``documents/pdf_base.html`` (block ``body``) and may import the pages' own partials.
``document_generate(*, actor, case, kind, justification)`` renders, hashes, stores and
audits; the justification (the purpose the user chose) is required (DPA 2018 s.62).
The renderer fetches nothing from the network: only files under the static directories.
"""
