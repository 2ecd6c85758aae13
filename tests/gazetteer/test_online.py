"""The online fallback against a Nominatim-shaped server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.usefixtures("gazetteer")

ANSWERS = {
    "Kositsa": [{"lat": "51.1612", "lon": "35.2031", "name": "Kositsa",
                 "display_name": "Kositsa, Kursk Oblast, Russia",
                 "osm_type": "node", "osm_id": 123, "addresstype": "village",
                 "address": {"country_code": "ru"}}],
}


class _Nominatim(BaseHTTPRequestHandler):
    calls: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        q = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        type(self).calls.append(q)
        body = json.dumps(ANSWERS.get(q, [])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nominatim():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Nominatim.calls = []
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


# a Russian border village that neither GeoNames cities500 nor the Ukrainian codifier holds
TEXT = "Russian troops attacked the village of Kositsa near Sudzha on Tuesday."


def test_offline_an_unknown_name_only_lies_about_the_articles_locality():
    from geo.parse.geoparse import Geoparser

    parser = Geoparser()
    assert parser.online is None
    got = {t.name: t for t in parser.parse(TEXT).toponyms}
    kositsa, sudzha = got["Kositsa"], got["Sudzha"]
    assert (kositsa.lat, kositsa.lon) == (sudzha.lat, sudzha.lon)
    assert (kositsa.kind, kositsa.precision, kositsa.score) == ("other", 3, 0.1)


def test_online_fallback_resolves_and_caches(nominatim, tmp_path):
    from geo.gazetteer.online import OnlineGeocoder
    from geo.parse.geoparse import Geoparser

    geocoder = OnlineGeocoder(domain=nominatim, scheme="http", cache=tmp_path / "c.json",
                              min_delay=0.0)
    parser = Geoparser(online=geocoder)
    t = next(t for t in parser.parse(TEXT).toponyms if t.name == "Kositsa")
    assert (round(t.lat, 2), round(t.lon, 2)) == (51.16, 35.2)
    assert t.admin1 == "RU-KRS" and t.place_id == "osm:n123"
    parser.parse(TEXT)
    assert _Nominatim.calls.count("Kositsa") == 1  # the second parse hit the cache
    again = OnlineGeocoder(domain=nominatim, scheme="http", cache=tmp_path / "c.json")
    assert again.geocode("Kositsa") is not None and again.requests == 0
