"""The API is public and read-only, and its documentation says so: no "Authorize"."""

import json

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_schema_declares_no_authentication_and_only_get(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    assert "securitySchemes" not in schema.get("components", {})
    assert "public" in schema["info"]["description"].lower()
    methods = {method for path in schema["paths"].values() for method in path}
    assert methods == {"get"}


def test_the_docs_page_offers_get_only(client):
    html = client.get("/api/docs/").content.decode()
    assert "api-docs.js" in html
    with open(finders.find("js/api-docs.js"), encoding="utf-8") as script:
        assert 'supportedSubmitMethods: ["get"]' in script.read()
