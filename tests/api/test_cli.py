from __future__ import annotations

import json
import os

from api import cli
from api.cli import main


def test_lookup_prints_pokrovsk_first(capsys, gazetteer):
    assert main(["gazetteer", "lookup", "Pokrovsk", "--country", "UA"]) == 0
    first_line = capsys.readouterr().out.splitlines()[0]
    assert "704422" in first_line and "UA-14" in first_line


def test_lookup_json_and_unknown(capsys, gazetteer):
    assert main(["gazetteer", "lookup", "Кривий Ріг", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["geonameid"] == 703845 and found[0]["admin1"] == "UA-12"
    assert main(["gazetteer", "lookup", "Xqzzyvillebourg"]) == 1
    assert "no place named" in capsys.readouterr().out


def test_oblast_at(capsys):
    assert main(["gazetteer", "oblast-at", "36.47", "45.36"]) == 0  # Kerch
    assert capsys.readouterr().out.strip() == "UA-43"


def test_parsing_runs_on_one_blas_thread_unless_the_user_chose(monkeypatch) -> None:
    for var in cli.BLAS_THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    cli.one_blas_thread()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"

    monkeypatch.delenv("OPENBLAS_NUM_THREADS")
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    cli.one_blas_thread()
    assert "OPENBLAS_NUM_THREADS" not in os.environ
    assert os.environ["OMP_NUM_THREADS"] == "4"
