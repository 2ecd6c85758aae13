"""Optional online fallback for names the embedded gazetteer lacks (off by default).

geopy's Nominatim client with a User-Agent, one request a second at most (Nominatim's usage
policy) and a JSON cache in the data directory, so the same name is never asked twice.
Only mentions with no gazetteer candidate at all reach it.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from geo.gazetteer.format import data_dir
from geo.gazetteer.index import Place
from geo.models import KINDS

USER_AGENT = "frontline/0.1 (news geoparser; offline by default)"
CACHE_FILE = "nominatim-cache.json"
MIN_DELAY_S = 1.0


class OnlineGeocoder:
    def __init__(self, domain: str = "nominatim.openstreetmap.org", scheme: str = "https",
                 cache: Path | None = None, min_delay: float = MIN_DELAY_S,
                 timeout: float = 10.0) -> None:
        from geopy.geocoders import Nominatim

        self._client = Nominatim(user_agent=USER_AGENT, domain=domain, scheme=scheme,
                                 timeout=timeout)
        self._cache_path = cache or data_dir() / CACHE_FILE
        self._cache: dict[str, dict | None] = self._read_cache()
        self._min_delay = min_delay
        self._last = 0.0
        self._lock = threading.Lock()
        self.requests = 0

    def _read_cache(self) -> dict[str, dict | None]:
        try:
            return json.loads(self._cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_cache(self) -> None:
        self._cache_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._cache_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._cache, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._cache_path)

    def geocode(self, name: str) -> Place | None:
        """The top Nominatim hit for ``name``, or None (also on network errors)."""
        from geopy.exc import GeopyError

        key = name.strip().lower()
        with self._lock:
            if key in self._cache:
                return _place(self._cache[key])
            wait = self._min_delay - (time.monotonic() - self._last)
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()
            self.requests += 1
            try:
                hit = self._client.geocode(name, addressdetails=True, language="en")
            except GeopyError:
                return None
            record = None if hit is None else {
                "name": hit.raw.get("name") or name, "lat": hit.latitude, "lon": hit.longitude,
                "osm": f"osm:{hit.raw.get('osm_type', '')[:1]}{hit.raw.get('osm_id', '')}",
                "country": (hit.raw.get("address", {}).get("country_code") or "").upper(),
                "kind": _kind(hit.raw),
            }
            self._cache[key] = record
            self._write_cache()
            return _place(record)


def _kind(raw: dict) -> str:
    addresstype = raw.get("addresstype") or raw.get("type") or ""
    if addresstype in ("city", "town", "village", "hamlet", "suburb"):
        return "settlement"
    if addresstype == "state":
        return "admin1"
    if addresstype == "country":
        return "country"
    return "other"


def _place(record: dict | None) -> Place | None:
    if record is None:
        return None
    kind = record["kind"] if record["kind"] in KINDS else "other"
    return Place(record["osm"], record["name"], kind, float(record["lat"]), float(record["lon"]),
                 0, record["country"], None, (), False, "nominatim")
