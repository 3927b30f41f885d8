"""The OpenAPI 3.1 schema at a stable URL and the rendered reference page (issue 18.1, 18.4:
the page must work under the service's Content Security Policy: no CDN, no inline script)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_1_with_problems_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "Problem" in schema["components"]["schemas"]
    for item in schema["paths"].values():
        for operation in item.values():
            assert operation["x-scope"]
            problem = operation["responses"]["403"]["content"]
            assert list(problem) == ["application/problem+json"]
            assert operation["security"] == [{"ClientToken": []}]


def test_the_reference_page_lists_every_operation_under_the_csp(client):
    schema = client.get("/api/v1/openapi.json").json()
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    for item in schema["paths"].values():
        for operation in item.values():
            assert f'id="op-{operation["operationId"]}"' in page
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "https:" not in policy
    for tag in re.findall(r"<script[^>]*>", page):  # the layout's own: local or nonce'd
        assert 'src="/static/' in tag or "nonce=" in tag, tag
    assert not re.search(r'(src|href)="(https?:)?//', page)
