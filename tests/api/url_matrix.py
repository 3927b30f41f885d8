"""URL patterns of the api app whose permissions are tested in tests/api.

The API's own operations (``api/v1/…``) are all covered by the scope matrix
(test_scope_matrix.py walks every operation of the API, so none is listed by hand here).
"""

from comeforward.api.api import api as _api

COVERED = {
    # test_clients.py: administrators only (403 for every other role), own organisation only
    "account/api-clients/",
    "account/api-clients/new",
    "account/api-clients/<int:client_id>/revoke",
    # test_exports.py: each export kind for the roles that may see it
    "exports/",
    # test_reference.py: public, like the schema (no data)
    "api/v1/docs",
    # test_errors_limits.py: anything else under /api/v1/ is a 404 problem (no data)
    "api/v1/^.*$",
}


def _api_patterns():
    for pattern in _api.urls[0]:
        yield "api/v1/" + str(pattern.pattern)


COVERED |= set(_api_patterns())
