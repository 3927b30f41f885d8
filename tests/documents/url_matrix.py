"""URL patterns of the documents app, permission-tested in tests/documents/test_documents.py."""

COVERED = {
    "cases/<int:case_id>/documents/generate",
    "cases/<int:case_id>/documents/<int:document_id>.pdf",
}
