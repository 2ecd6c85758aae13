"""What the API tests share: the filled store, read directly and through the app."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from geo.store import open_store


@pytest.fixture(scope="module")
def store(api_store_url):
    with open_store(api_store_url) as s:
        yield s


@pytest.fixture(scope="module")
def client(api_store_url):
    with TestClient(create_app(api_store_url)) as c:
        yield c
