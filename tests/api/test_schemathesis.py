"""Every operation of the published OpenAPI document, fed generated requests (valid and
invalid) by schemathesis with every check that applies to single requests: no server error,
every answer matches what the document says (status codes, media types, headers, JSON
schemas), every request the document calls valid is accepted and every one it calls invalid
refused, a missing token is refused, and a method it does not list is answered 405.

``FRONTLINE_SCHEMATHESIS_EXAMPLES`` raises the number of generated requests per operation,
and ``FRONTLINE_SCHEMATHESIS_REPORT`` names a JSON file that gets how many requests were
made: ``bench/api_conformance.py`` runs both to measure thousands of cases at once."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, settings
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from schemathesis.config import SchemathesisConfig
from shapely.geometry import box

from api.app import create_app
from maps.render import WINDOW

TOKEN = "schemathesis-token"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, positive_data_acceptance,
          negative_data_rejection, missing_required_header, unsupported_method,
          allow_header_conformance, ignored_auth]
# The default run draws the same examples every time, so its verdict is the code's and not
# the draw's; FRONTLINE_SCHEMATHESIS_EXAMPLES asks for that many fresh ones.
EXAMPLES = int(os.environ.get("FRONTLINE_SCHEMATHESIS_EXAMPLES", "0"))
REPORT = os.environ.get("FRONTLINE_SCHEMATHESIS_REPORT")
CASES = {"positive": 0, "negative": 0}


# The app opens its store on the first request, so the schema can be loaded at collection
# and the store filled by the fixture below before any request is made.
STORE = Path(tempfile.mkdtemp(prefix="frontline-schemathesis-")) / "frontline.gpkg"
atexit.register(shutil.rmtree, STORE.parent, True)
APP = create_app(str(STORE), token=TOKEN, max_body=200_000)
# Valid and invalid requests; a text over the size limit is refused with 413, as it should;
# the first parse waits for a worker to load the language model.
BOTH = {"request-timeout": 120, "generation": {"mode": "all"},
        "checks": {"negative_data_rejection": {
    "expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413", "415",
                          "422", "428", "429"]}}}
schema = schemathesis.openapi.from_asgi("/openapi.json", APP,
                                        config=SchemathesisConfig.from_dict(BOTH))
# Drawing a map or running the language model takes a second or more a call: those
# operations skip the coverage phase (a hundred-odd boundary combinations each).
few = schemathesis.openapi.from_asgi("/openapi.json", APP, config=SchemathesisConfig.from_dict(
    {**BOTH, "phases": {"coverage": {"enabled": False}}}))


@pytest.fixture(scope="module", autouse=True)
def filled_store(api_store_url):
    """A copy of the filled store, since generated articles are really ingested into it."""
    with closing(sqlite3.connect(api_store_url)) as src, closing(sqlite3.connect(STORE)) as dst:
        src.backup(dst)
    yield
    if REPORT:
        Path(REPORT).write_text(json.dumps(CASES))


SLOW = "^/(render|geoparse|articles)"
SUPPRESS = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


def ordered(case) -> bool:
    """What OpenAPI cannot say about a valid request: bbox corners and interval ends in
    order, a map's bbox meeting the mapped area, a map's size given by a template or by
    width and height (not both), and a tile inside its tile matrix. Invalid requests are
    left alone."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return True
    query = case.query or {}
    if case.operation.path.startswith("/render") and query.get("template") is not None and (
            query.get("width") is not None or query.get("height") is not None):
        return False
    where = case.path_parameters or {}
    if "tileMatrix" in where:
        z, row, col = (int(where[k]) for k in ("tileMatrix", "tileRow", "tileCol"))
        if not (0 <= row < 2 ** z and 0 <= col < 2 ** z):
            return False  # past the edge of the tile matrix: no tile
    bbox, when = query.get("bbox"), query.get("datetime")
    if isinstance(bbox, (str, list)):
        nums = [float(v) for v in (bbox.split(",") if isinstance(bbox, str) else bbox)]
        low, high = (nums[:2], nums[2:]) if len(nums) == 4 else (nums[:2], nums[3:5])
        if low[0] > high[0] or low[1] > high[1] or not _in_range(low + high,
                                                                 query.get("bbox-crs")):
            return False
        if case.operation.path.startswith("/render"):
            from api.crs import parse
            from api.params import parse_bbox

            lon0, lat0, lon1, lat1 = parse_bbox(",".join(map(str, nums)),
                                                parse(query.get("bbox-crs"))).bounds
            if not (lon0 < lon1 and lat0 < lat1
                    and box(lon0, lat0, lon1, lat1).intersects(box(*WINDOW))):
                return False
    if isinstance(when, str) and "/" in when:
        start, end = (part.strip()[:10] for part in when.split("/"))
        if ".." not in (start, end) and "" not in (start, end) and start > end:
            return False
    return _filter_ok(case, query)


EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"


def _in_range(corners: list[float], crs: str | None) -> bool:
    """Longitudes and latitudes on the globe (EPSG:4326 latitude first); projected
    coordinates within the CRS's area of use, metres from its false origin."""
    from api.crs import CRS84, CRS84H

    if crs in (None, CRS84, CRS84H, EPSG_4326):
        lon = corners[1::2] if crs == EPSG_4326 else corners[0::2]
        lat = corners[0::2] if crs == EPSG_4326 else corners[1::2]
        return all(-180 <= v <= 180 for v in lon) and all(-90 <= v <= 90 for v in lat)
    if str(crs).endswith("/3857"):
        return all(abs(v) <= 20_000_000 for v in corners)
    return all(100_000 <= v <= 900_000 for v in corners[0::2]) and \
        all(0 <= v <= 9_000_000 for v in corners[1::2])


def _filter_ok(case, query: dict) -> bool:
    """A CQL2 filter is valid when it parses and names the queryables (a grammar no
    OpenAPI pattern can state), and only the event collections take filters."""
    from api.collections import FILTERED
    from api.params import parse_filter
    from api.problems import ApiError

    cid = (case.path_parameters or {}).get("collectionId")
    if cid is not None and cid not in FILTERED and ("filter" in query or "sortby" in query):
        return False
    text = query.get("filter")
    if isinstance(text, str):
        try:
            parse_filter(text, query.get("filter-lang"))
        except ApiError:
            return False
    return True


def call(case) -> None:
    assume(ordered(case))
    if case.operation.path == "/articles" and case.headers is None:
        case.headers = {"Authorization": f"Bearer {TOKEN}"}
    mode = "negative" if case.meta and case.meta.generation.mode.is_negative else "positive"
    CASES[mode] += 1
    case.call_and_validate(checks=CHECKS)


@pytest.mark.slow
@schema.exclude(path_regex=SLOW).parametrize()
@settings(max_examples=EXAMPLES or 25, deadline=None, suppress_health_check=SUPPRESS,
          derandomize=not EXAMPLES)
def test_reading_matches_the_openapi_document(case):
    call(case)


@pytest.mark.slow
@few.include(path_regex=SLOW).parametrize()
@settings(max_examples=max(4, EXAMPLES // 10), deadline=None,
          suppress_health_check=SUPPRESS, derandomize=not EXAMPLES)
def test_maps_parsing_and_ingesting_match_the_openapi_document(case):
    """Each of these calls draws a map or runs the language model: few examples."""
    call(case)
