"""What the store tests share: each test runs on a fresh GeoPackage and on PostGIS."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def store_url(request, tmp_path) -> str:
    if request.param == "gpkg":
        return str(tmp_path / "frontline.gpkg")
    return str(request.getfixturevalue("postgis_url"))
