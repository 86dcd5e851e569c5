"""The OpenAPI schema and the interactive docs, which must work with no internet access."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_lists_the_paths(schema):
    assert {"/api/v1/me", "/api/v1/tokens", "/api/v1/tokens/{token_id}"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/tokens"]) == {"get", "post"}
    assert schema["info"]["title"] == "Prostir API"


def test_openapi_names_both_ways_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_openapi_documents_the_error_shape_on_every_operation(schema):
    assert "ErrorOut" in schema["components"]["schemas"]
    for operations in schema["paths"].values():
        for operation in operations.values():
            ref = operation["responses"]["default"]["content"]["application/json"]["schema"]
            assert ref == {"$ref": "#/components/schemas/ErrorOut"}


def test_openapi_never_exposes_a_tokens_digest(schema):
    listed = schema["components"]["schemas"]["TokenOut"]["properties"]
    assert "digest" not in listed
    assert "token" not in listed


def test_docs_page_loads_only_local_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(urls) == 5  # the stylesheet, two icons, the Swagger UI bundle and its start-up
    assert all(url.startswith("/api/v1/docs/assets/") for url in urls), urls
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert b"".join(asset.streaming_content)


def test_docs_settings_point_at_our_schema_and_no_online_validator(client):
    html = client.get("/api/v1/docs").content.decode()
    assert '"url": "/api/v1/openapi.json"' in html
    assert '"validatorUrl": null' in html


def test_only_the_swagger_files_are_served(client):
    response = client.get("/api/v1/docs/assets/redoc.standalone.js.map")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/docs/assets/..%2F__init__.py").status_code == 404
    assert client.post("/api/v1/docs/assets/swagger-ui.css").status_code == 405
