"""Dates in news text, resolved to calendar days with an honest precision.

News rarely writes a full date: "on Sunday", "June 6", "last night". Such mentions are only
meaningful against a reference day: the article's publication date when it is known,
otherwise the latest full date the text itself states (an article cannot predate what it
reports). A month and day without a year take the year of the reference, or the latest
year the text states; with neither, they stay unresolved rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

DAY, MONTH, YEAR = "day", "month", "year"
# A month-day that would fall this far after the publication date belongs to the year before.
FUTURE_SLACK = timedelta(days=7)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = (r"(?P<{g}>jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|"
             r"june?|july?|aug(?:ust|\.)?|sept?(?:ember|\.)?|oct(?:ober|\.)?|"
             r"nov(?:ember|\.)?|dec(?:ember|\.)?)")
_WEEKDAYS = {"monday": MO, "tuesday": TU, "wednesday": WE, "thursday": TH, "friday": FR,
             "saturday": SA, "sunday": SU}
_WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_YEAR_RE = r"(?P<year>(?:19|20)\d\d)(?![\d,]\d)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in (
        ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
        ("mdy", rf"\b(?:{_WEEKDAY_RE},?\s+)?{_MONTH_RE.format(g='month')}\s+"
                rf"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR_RE})?"),
        ("dmy", rf"\b(?:{_WEEKDAY_RE},?\s+)?(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
                rf"(?:\s+of)?\s+{_MONTH_RE.format(g='month')}\b(?:,?\s+{_YEAR_RE})?"),
        ("my", rf"\b{_MONTH_RE.format(g='month')}\s+(?:of\s+)?{_YEAR_RE}"),
        ("in_month", rf"\b(?:in|since|during|early|late|mid-?|until|last)\s+"
                     rf"{_MONTH_RE.format(g='month')}\b(?!\s+\d)"),
        ("year", rf"\b(?:in|since|during|of|early|late|mid-?|until|by)\s+{_YEAR_RE}"),
        ("days_ago", r"\b(?P<n>\d+|one|two|three|four|five|six|seven)\s+days?\s+ago\b"),
        ("weeks_ago", r"\b(?P<n>a|one|two|three|\d)\s+weeks?\s+ago\b"),
        ("yesterday", r"\byesterday\b"),
        ("last_night", r"\b(?:last\s+night|overnight)\b"),
        ("last_year", r"\b(?:last|previous|past)\s+year\b(?!'s)"),
        ("this_year", r"\b(?:this|the\s+current)\s+year\b(?!'s)"),
        ("last_month", r"\b(?:last|previous)\s+month\b(?!'s)"),
        ("today", r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b"),
        ("weekday", rf"\b(?P<weekday>{_WEEKDAY_RE})\b"),
    )
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_RELATIVE = {"days_ago", "weeks_ago", "yesterday", "last_night", "today", "weekday", "last_year",
             "this_year", "last_month"}
_COARSE = {"last_year": YEAR, "this_year": YEAR, "last_month": MONTH}


@dataclass(frozen=True)
class DateMention:
    """A date expression at ``start``..``end`` of the text; ``value`` None when unresolved."""

    start: int
    end: int
    text: str
    value: date | None
    precision: str | None
    relative: bool = False
    # "text": resolved against the article's date or a year/day the text states.
    basis: str | None = None


def _month(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")[:4 if token.lower().startswith("sept") else 3]]


def _raw_mentions(text: str) -> list[tuple[str, re.Match[str]]]:
    """Non-overlapping matches, earlier patterns (fuller dates) winning ties."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, re.Match[str]]] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if name in ("mdy", "dmy") and not _valid_day(m):
                continue
            if name == "mdy" and m.group("month").lower() == "may" and not m.group("year") \
                    and not text[m.start():m.start() + 1].isupper():
                continue  # "may 6 units": the modal verb, not the month
            taken.append((m.start(), m.end()))
            found.append((name, m))
    found.sort(key=lambda nm: nm[1].start())
    return found


def _valid_day(m: re.Match[str]) -> bool:
    return 1 <= int(m.group("day")) <= 31


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _stated_years(found: list[tuple[str, re.Match[str]]]) -> list[int]:
    return [int(m.group("year")) for name, m in found
            if name in ("iso", "mdy", "dmy", "my", "year") and m.group("year")]


def _year_for(month: int, day: int, published: date | None, years: list[int]) -> int | None:
    if published is not None:
        candidate = _safe_date(published.year, month, day)
        if candidate is not None and candidate > published + FUTURE_SLACK:
            return published.year - 1
        return published.year
    return max(years) if years else None


def find_dates(text: str, published: date | None = None) -> list[DateMention]:
    """Every date expression in ``text``, resolved where the article allows it."""
    found = _raw_mentions(text)
    years = _stated_years(found)
    absolute: dict[int, DateMention] = {}
    for i, (name, m) in enumerate(found):
        if name not in _RELATIVE:
            absolute[i] = _absolute(name, m, published, years)
    days = [d.value for d in absolute.values() if d.value and d.precision == DAY]
    reference = published or (max(days) if days else None)
    mentions = []
    for i, (name, m) in enumerate(found):
        if i in absolute:
            mentions.append(absolute[i])
        else:
            value = _relative(name, m, reference)
            basis = None if value is None else ("published" if published else "text")
            precision = _COARSE.get(name, DAY) if value else None
            mentions.append(DateMention(m.start(), m.end(), m.group(0), value,
                                        precision, True, basis))
    return mentions


def _absolute(name: str, m: re.Match[str], published: date | None,
              years: list[int]) -> DateMention:
    basis = "text"
    value: date | None
    if name == "iso":
        value = _safe_date(int(m.group("year")), int(m.group("mnum")), int(m.group("day")))
        precision = DAY
    elif name in ("mdy", "dmy"):
        month, day = _month(m.group("month")), int(m.group("day"))
        year = int(m.group("year")) if m.group("year") else _year_for(month, day, published,
                                                                       years)
        if not m.group("year"):
            basis = "published" if published else "text"
        value = _safe_date(year, month, day) if year else None
        precision = DAY
    elif name == "my":
        value, precision = date(int(m.group("year")), _month(m.group("month")), 1), MONTH
    elif name == "in_month":
        month = _month(m.group("month"))
        year = _year_for(month, 1, published, years)
        value, precision = (date(year, month, 1) if year else None), MONTH
        basis = "published" if published else "text"
    else:
        value, precision = date(int(m.group("year")), 1, 1), YEAR
    return DateMention(m.start(), m.end(), m.group(0), value,
                       precision if value else None, False, basis if value else None)


def _relative(name: str, m: re.Match[str], reference: date | None) -> date | None:
    if reference is None:
        return None
    if name == "today":
        return reference
    if name in ("last_year", "this_year"):
        return date(reference.year - (name == "last_year"), 1, 1)
    if name == "last_month":
        return (reference.replace(day=1) - timedelta(days=1)).replace(day=1)
    if name in ("yesterday", "last_night"):
        return reference - timedelta(days=1)
    if name == "weeks_ago":
        n = m.group("n").lower()
        return reference - timedelta(weeks=int(n) if n.isdigit() else _SPAN_WORDS[n])
    if name == "days_ago":
        n = m.group("n").lower()
        return reference - timedelta(days=int(n) if n.isdigit() else _NUMBER_WORDS[n])
    weekday = _WEEKDAYS[m.group("weekday").lower()]
    # The latest such weekday on or before the reference: news speaks of the past week.
    result: date = reference + relativedelta(weekday=weekday(-1))
    return result


_SPAN_WORDS = {**_NUMBER_WORDS, "a": 1, "an": 1, "eight": 8, "nine": 9, "ten": 10,
               "eleven": 11, "twelve": 12}
_SPAN_UNITS = {"day": (DAY, "days"), "week": (MONTH, "weeks"), "month": (MONTH, "months"),
               "year": (YEAR, "years")}


def span_before(day: date, count: str, unit: str) -> tuple[date, str] | None:
    """The day ``count`` ``unit``s before ``day`` and how precisely a span told in words
    dates it ("after five months under X control" is a month, never a day). None for a
    count or unit that is not a plain number of days, weeks, months or years."""
    n = int(count) if count.isdigit() else _SPAN_WORDS.get(count.lower())
    unit = unit.lower().rstrip("s")
    if n is None or not 0 < n <= 100 or unit not in _SPAN_UNITS:
        return None
    precision, key = _SPAN_UNITS[unit]
    then: date = day - relativedelta(**{key: n})
    if precision != DAY:
        then = then.replace(day=1) if precision == MONTH else date(then.year, 1, 1)
    return then, precision


def reference_date(text: str, published: date | None = None) -> date | None:
    """The day relative expressions in ``text`` are read against (None if unknown)."""
    if published is not None:
        return published
    days = [d.value for d in find_dates(text) if d.value and d.precision == DAY
            and not d.relative]
    return max(days) if days else None
