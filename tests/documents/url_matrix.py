"""URL patterns of the documents app, permission-tested in tests/documents/test_documents.py."""

COVERED = {
    "documents/<int:case_id>/generate",
    "documents/<int:case_id>/<int:document_id>.pdf",
}
