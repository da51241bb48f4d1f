"""Working-day arithmetic for visiting standards.

A working day is a Monday to Friday that is not a bank holiday in England. Bank holidays come
from the ``holidays`` package (country ``GB``, subdivision ``ENG``), including the
substitute days given when a holiday falls at a weekend ("Boxing Day (observed)" on Monday 28
December 2026) — those are the days the office is actually closed. Councils in Wales, Scotland
or Northern Ireland would need ``SUBDIVISION`` changed ("WLS", "SCT", "NIR").

Both functions count in whole weeks plus the bank holidays inside the range, never day by day
over long ranges (the caseload and dashboard call them for every family). ``holidays`` costs
~100 ms to import and some 12-20 MiB of Python objects (it loads every country's calendar),
and memory freed after a burst like that mostly stays with the process, so England's weekday
bank holidays for the years in ``domain/bank_holidays_eng.py`` are read from that table,
written from the package by ``table_source()`` (tests/unit/test_calendar.py checks every year
of it against the installed package, so a new release that adds a day fails until the table
is written again). Years outside it, or another subdivision, load the package on first use:
the years around the one asked for are computed at once and kept, and the package is then
unloaded again.
"""

from __future__ import annotations

import sys
import threading
from bisect import bisect_left, bisect_right
from datetime import date, timedelta

#: The ``holidays`` subdivision of the United Kingdom whose bank holidays are days off.
SUBDIVISION = "ENG"


#: Years computed at once around the one first asked for (so the package loads once a session).
_YEARS_BEFORE, _YEARS_AFTER = 5, 5
_by_year: dict[int, tuple[date, ...]] = {}
_lock = threading.Lock()


def _weekday_bank_holidays(year: int) -> tuple[date, ...]:
    """England's bank holidays in ``year`` that fall Monday to Friday, in date order."""
    days = _by_year.get(year)
    if days is not None:
        return days
    if SUBDIVISION == "ENG":
        from domain.bank_holidays_eng import WEEKDAY_BANK_HOLIDAYS

        listed = WEEKDAY_BANK_HOLIDAYS.get(year)
        if listed is not None:
            days = tuple(date(year, month, day) for month, day in listed)
            _by_year[year] = days
            return days
    with _lock:
        if year not in _by_year:
            _by_year.update(_compute(range(year - _YEARS_BEFORE, year + _YEARS_AFTER + 1)))
    return _by_year[year]


def _compute(years: range) -> dict[int, tuple[date, ...]]:
    loaded_before = set(sys.modules)
    import holidays  # lazy: see the module doc

    try:
        # The neighbouring years too, in case a substitute day ever crosses New Year.
        found = holidays.country_holidays(
            "GB", subdiv=SUBDIVISION, years=range(years.start - 1, years.stop + 1)
        )
        weekdays = sorted(d for d in found if d.weekday() < 5)
        return {y: tuple(d for d in weekdays if d.year == y) for y in years}
    finally:
        del holidays
        for name in [n for n in sys.modules if n not in loaded_before]:
            if name == "holidays" or name.startswith("holidays."):
                del sys.modules[name]


def table_source(years: range = range(2000, 2051)) -> str:
    """The text of ``domain/bank_holidays_eng.py``, from the installed ``holidays`` package:

    uv run python -c "from domain.calendar import table_source; print(table_source(), end='')" \\
        > domain/bank_holidays_eng.py
    """
    from importlib.metadata import version

    found = _compute(years)
    lines = [
        '"""England\'s bank holidays that fall Monday to Friday, substitute days included,',
        f"{years.start}-{years.stop - 1}: (month, day) by year, as ``holidays`` "
        f"{version('holidays')} gives them",
        "(country GB, subdivision ENG). Written by ``domain.calendar.table_source()``; read by",
        'domain/calendar.py so a session need not load the package (see its doc)."""',
        "",
        "WEEKDAY_BANK_HOLIDAYS: dict[int, tuple[tuple[int, int], ...]] = {",
    ]
    for year in years:
        days = ", ".join(f"({d.month}, {d.day})" for d in found[year])
        lines.append(f"    {year}: ({days}{',' if len(found[year]) == 1 else ''}),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def bank_holidays_between(start: date, end: date) -> list[date]:
    """England's bank holidays falling on weekdays after ``start`` up to and including ``end``."""
    if end <= start:
        return []
    found: list[date] = []
    for year in range(start.year, end.year + 1):
        days = _weekday_bank_holidays(year)
        lo = bisect_right(days, start) if year == start.year else 0
        hi = bisect_right(days, end) if year == end.year else len(days)
        found.extend(days[lo:hi])
    return found


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    if day.weekday() >= 5:
        return False
    days = _weekday_bank_holidays(day.year)
    i = bisect_left(days, day)
    return not (i < len(days) and days[i] == day)


def _weekdays_between(start: date, end: date) -> int:
    """Mondays to Fridays after ``start`` up to and including ``end`` (0 if end <= start)."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    count = weeks * 5
    # The last ``extra`` (< 7) days: weekdays among start+1 .. start+extra, shifted by whole weeks.
    first = start.weekday() + 1  # weekday number of start + 1 day, before wrapping
    count += sum(1 for i in range(first, first + extra) if i % 7 < 5)
    return count


def _add_weekdays(start: date, n: int) -> date:
    """The ``n``-th Monday-to-Friday after ``start`` (``start`` itself when n <= 0)."""
    if n <= 0:
        return start
    weeks, rest = divmod(n, 5)
    day = start + timedelta(weeks=weeks)  # any 7 days in a row hold exactly 5 weekdays
    if not rest:
        # The last of those weekdays: ``day`` itself, or the Friday before if it is a weekend.
        return day - timedelta(days=max(0, day.weekday() - 4))
    while rest:
        day += timedelta(days=1)
        if day.weekday() < 5:
            rest -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    if end <= start:
        return 0
    return _weekdays_between(start, end) - len(bank_holidays_between(start, end))


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself when n <= 0)."""
    if n <= 0:
        return start
    day = _add_weekdays(start, n)
    # Each bank holiday passed over pushes the answer on by one more weekday, which may pass
    # over another bank holiday: repeat until no new one is found (a handful of rounds at most).
    missing = len(bank_holidays_between(start, day))
    while missing:
        later = _add_weekdays(day, missing)
        missing = len(bank_holidays_between(day, later))
        day = later
    return day
