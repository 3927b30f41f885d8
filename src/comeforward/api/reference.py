"""The API reference page's content, read from the published OpenAPI schema itself so the
page and ``/api/v1/openapi.json`` cannot disagree."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .scopes import SCOPES

METHODS = ("get", "post", "put", "patch", "delete")


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return str(kind)


def reference_context(request) -> dict[str, Any]:
    from .api import api

    schema = api.get_openapi_schema(path_prefix=reverse("api-v1:api-root"))
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            operations.append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "scope": operation.get("x-scope", ""),
                    "tag": (operation.get("tags") or ["other"])[0],
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type(p.get("schema", {})),
                            "description": p.get("description", "")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": [
                        {"media": media, "type": _type(content.get("schema", {}))}
                        for media, content in body.items()
                    ],
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    components = []
    for name, component in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(component.get("required", []))
        components.append(
            {
                "name": name,
                "description": component.get("description", ""),
                "fields": [
                    {
                        "name": field,
                        "type": _type(spec),
                        "required": field in required,
                        "description": spec.get("description", ""),
                    }
                    for field, spec in component.get("properties", {}).items()
                ],
            }
        )
    return {
        "title": "Integration API reference",
        "schema_url": reverse("api-v1:openapi-json"),
        "info": schema.get("info", {}),
        "openapi_version": schema.get("openapi", ""),
        "operations": operations,
        "components": components,
        "scopes": SCOPES,
    }
