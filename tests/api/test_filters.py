"""The event filters that ``frontline render``, ``map`` and ``export`` share, parsed for real."""

from __future__ import annotations

import argparse
from datetime import date

import pytest

from api.cli import build_parser
from api.commands.filters import add_filters, chosen_oblast, event_query
from api.errors import UsageError
from geo.store import EventQuery


def query(*argv: str) -> EventQuery:
    p = argparse.ArgumentParser()
    add_filters(p)
    return event_query(p.parse_args(argv))


def test_no_filters_is_everything():
    assert query() == EventQuery()


def test_every_filter_reaches_the_query():
    q = query("--bbox", "36.5,47.5,38.5,49.5", "--start", "2025-06-01", "--end", "2025-06-30",
              "--type", "Strike,capture", "--type", "strike", "--status", "disputed",
              "--actor", "ru", "--claimant", "Russian Ministry of Defense, Russia",
              "--claimant", " Russian Ministry of Defense, Russia ", "--outlet", "Kyiv Independent",
              "--q", "  Lyman  ")
    assert q == EventQuery(
        bbox=(36.5, 47.5, 38.5, 49.5), start=date(2025, 6, 1), end=date(2025, 6, 30),
        types=("strike", "capture"), statuses=("disputed",), actors=("RU",),
        claimants=("Russian Ministry of Defense, Russia",), outlets=("Kyiv Independent",),
        text="Lyman")


@pytest.mark.parametrize(("argv", "start", "end"), [
    (("--datetime", "2025-06-01/.."), date(2025, 6, 1), None),
    (("--datetime", "../2025-06-30"), None, date(2025, 6, 30)),
    (("--datetime", "2025-06-01/2025-06-30"), date(2025, 6, 1), date(2025, 6, 30)),
    (("--datetime", "2025-06-06T23:30:00Z"), date(2025, 6, 6), date(2025, 6, 6)),
    (("--start", "2025-06-06T12:00:00+03:00"), date(2025, 6, 6), None),
])
def test_dates_and_intervals(argv, start, end):
    q = query(*argv)
    assert (q.start, q.end) == (start, end)


def test_oblast_by_name_or_code_and_text_alias():
    p = argparse.ArgumentParser()
    add_filters(p)
    args = p.parse_args(["--oblast", "donetsk", "--text", "shelling"])
    assert chosen_oblast(args) == ("UA-14", "Donetsk")
    assert event_query(args) == EventQuery(oblasts=("UA-14",), text="shelling")
    assert query("--oblast", "UA-14").oblasts == ("UA-14",)


@pytest.mark.parametrize(("argv", "message"), [
    (("--bbox", "1,2,3"), "--bbox: expected minlon,minlat,maxlon,maxlat, got 3 numbers"),
    (("--bbox", "a,b,c,d"), "is not four comma-separated numbers"),
    (("--bbox", "38,47,36,49"), "needs minlon < maxlon"),
    (("--oblast", "Atlantis"), "--oblast: unknown admin-1 unit 'Atlantis'"),
    (("--start", "June"), "--start: 'June' is not a date"),
    (("--end", "2025-13-01"), "--end: '2025-13-01' is not a date"),
    (("--start", "2025-06-02", "--end", "2025-06-01"), "--start 2025-06-02 is after --end"),
    (("--datetime", "2025-06-30/2025-06-01"), "ends before it starts"),
    (("--datetime", "2025-06-01/2025-06-02/.."), "more than one '/'"),
    (("--datetime", "soon/.."), "--datetime start: 'soon' is not a date"),
    (("--datetime", "2025-06-01/..", "--end", "2025-06-30"), "either --datetime or"),
    (("--type", "strike,parade"), "--type: unknown value 'parade'"),
    (("--status", "rumoured"), "--status: unknown value 'rumoured'"),
    (("--actor", "NATO"), "--actor: unknown value 'NATO'"),
])
def test_bad_values_are_one_line_usage_errors(argv, message):
    with pytest.raises(UsageError) as caught:
        query(*argv)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_bbox_and_oblast_are_exclusive(capsys):
    with pytest.raises(SystemExit):
        query("--bbox", "36,47,38,49", "--oblast", "UA-14")
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize("command", [
    ["render", "--out", "m.png"], ["map", "--out", "m.html"],
    ["export", "--format", "csv", "--out", "-"],
])
def test_the_commands_share_the_filters(command):
    argv = [*command, "--oblast", "Donetsk", "--datetime", "2025-06-01/..", "--type", "strike",
            "--claimant", "Ukrainian General Staff", "--outlet", "Reuters", "--q", "Lyman"]
    assert event_query(build_parser().parse_args(argv)) == EventQuery(
        oblasts=("UA-14",), start=date(2025, 6, 1), types=("strike",),
        claimants=("Ukrainian General Staff",), outlets=("Reuters",), text="Lyman")
