"""Every operation of the published OpenAPI document, fed generated requests (valid and
invalid) by schemathesis: no server error, and every answer matches what the document says
(status codes, media types, JSON schemas)."""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from api.app import create_app

TOKEN = "schemathesis-token"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


# The app opens its store on the first request, so the schema can be loaded at collection
# and the store filled by the fixture below before any request is made.
STORE = Path(tempfile.mkdtemp(prefix="frontline-schemathesis-")) / "frontline.gpkg"
atexit.register(shutil.rmtree, STORE.parent, True)
APP = create_app(str(STORE), token=TOKEN, max_body=200_000)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# Drawing a map or running the language model takes a second or more a call: those
# operations skip the coverage phase (a hundred-odd boundary combinations each).
few = schemathesis.openapi.from_asgi("/openapi.json", APP, config=SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}}}))


@pytest.fixture(scope="module", autouse=True)
def filled_store(api_store_url):
    """A copy of the filled store, since generated articles are really ingested into it."""
    with closing(sqlite3.connect(api_store_url)) as src, closing(sqlite3.connect(STORE)) as dst:
        src.backup(dst)


SLOW = "^/(render|geoparse|articles)"
SUPPRESS = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


def call(case) -> None:
    if case.operation.path == "/articles" and case.headers is None:
        case.headers = {"Authorization": f"Bearer {TOKEN}"}
    case.call_and_validate(checks=CHECKS)


@pytest.mark.slow
@schema.exclude(path_regex=SLOW).parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=SUPPRESS)
def test_reading_matches_the_openapi_document(case):
    call(case)


@pytest.mark.slow
@few.include(path_regex=SLOW).parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=SUPPRESS)
def test_maps_parsing_and_ingesting_match_the_openapi_document(case):
    """Each of these calls draws a map or runs the language model: few examples."""
    call(case)
