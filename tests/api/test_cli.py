from __future__ import annotations

import json

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
