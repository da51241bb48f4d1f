"""Working days: Monday to Friday, less England's bank holidays (substitute days included)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import (
    add_working_days,
    bank_holidays_between,
    is_working_day,
    working_days_between,
)

# The reference: the package's own lookup, asked one day at a time.
ENGLAND = holidays.country_holidays("GB", subdiv="ENG")


def reference_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in ENGLAND


def reference_count(start: date, end: date) -> int:
    days = (end - start).days
    return sum(reference_working_day(start + timedelta(days=i)) for i in range(1, days + 1))


def test_the_bank_holidays_are_the_ones_published_for_england_with_substitute_days():
    # gov.uk's list for England and Wales, 2026 and 2027. Boxing Day 2026 is a Saturday, so
    # Monday 28 December is the day off; Christmas and Boxing Day 2027 fall at the weekend, so
    # both Monday 27 and Tuesday 28 are. Days at a weekend are not listed: they are not
    # working days anyway.
    assert bank_holidays_between(date(2025, 12, 31), date(2027, 12, 31)) == [
        date(2026, 1, 1),
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 4),  # early May
        date(2026, 5, 25),  # spring
        date(2026, 8, 31),  # summer
        date(2026, 12, 25),
        date(2026, 12, 28),  # Boxing Day (substitute day)
        date(2027, 1, 1),
        date(2027, 3, 26),  # Good Friday
        date(2027, 3, 29),  # Easter Monday
        date(2027, 5, 3),  # early May
        date(2027, 5, 31),  # spring
        date(2027, 8, 30),  # summer
        date(2027, 12, 27),  # Christmas Day (substitute day)
        date(2027, 12, 28),  # Boxing Day (substitute day)
    ]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Thu 24 Dec 2026 to Tue 29 Dec: Fri 25 Christmas, the weekend with Boxing Day on the
        # Saturday, Mon 28 the substitute day; only Tue 29 is worked.
        (date(2026, 12, 24), date(2026, 12, 29), 1),
        # Fri 24 Dec 2027 to Wed 29 Dec: Christmas and Boxing Day at the weekend, both
        # substitute days (Mon 27, Tue 28) off.
        (date(2027, 12, 24), date(2027, 12, 29), 1),
        # Easter 2027: Thu 25 Mar to Tue 30 Mar, Good Friday 26 and Easter Monday 29 off.
        (date(2027, 3, 25), date(2027, 3, 30), 1),
        # Early May, spring and summer bank holidays 2027 (all Mondays).
        (date(2027, 4, 30), date(2027, 5, 4), 1),
        (date(2027, 5, 28), date(2027, 6, 1), 1),
        (date(2027, 8, 27), date(2027, 8, 31), 1),
        # Over New Year: Thu 31 Dec 2026 and Mon 4 Jan 2027 (Fri 1 Jan off).
        (date(2026, 12, 30), date(2027, 1, 4), 2),
        # A one-off: the Queen's state funeral, Mon 19 Sep 2022.
        (date(2022, 9, 16), date(2022, 9, 20), 1),
        # No bank holiday: Fri 21 Feb 2025 to Mon 10 Mar 2025 is 5 + 5 + 1.
        (date(2025, 2, 21), date(2025, 3, 10), 11),
        # The same, from a Saturday and a Sunday.
        (date(2025, 2, 22), date(2025, 3, 10), 11),
        (date(2025, 2, 23), date(2025, 3, 10), 11),
        # Two weeks over Christmas 2025 (Thu 25, Fri 26 off) from Mon 15 Dec.
        (date(2025, 12, 15), date(2025, 12, 29), 8),
    ],
)
def test_working_days_between_skip_weekends_and_bank_holidays(start, end, expected):
    assert working_days_between(start, end) == expected
    assert reference_count(start, end) == expected


def test_no_working_days_when_the_end_is_not_after_the_start():
    day = date(2026, 12, 29)
    assert working_days_between(day, day) == 0
    assert working_days_between(day, day - timedelta(days=30)) == 0
    assert bank_holidays_between(date(2027, 1, 1), date(2026, 12, 1)) == []


def test_the_start_day_is_not_counted_but_the_end_day_is():
    # Tue 29 Dec 2026 is a working day; Mon 28 (substitute day) and Fri 1 Jan are not.
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 30)) == 1
    assert working_days_between(date(2026, 12, 28), date(2026, 12, 29)) == 1
    assert working_days_between(date(2026, 12, 31), date(2027, 1, 1)) == 0


@pytest.mark.parametrize(
    "start",
    [date(2025, 3, 12), date(2026, 12, 26), date(2026, 12, 27), date(2027, 12, 25)],
)
def test_two_years_match_counting_day_by_day(start):
    end = start + timedelta(days=731)
    fast = working_days_between(start, end)
    assert fast == reference_count(start, end)
    # Two years hold ~522 weekdays, of which 16 are bank holidays in England.
    assert 500 <= fast <= 510


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # From Thu 24 Dec 2026 the next working day is Tue 29 Dec (Fri 25 and Mon 28 off).
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2026, 12, 23), 2, date(2026, 12, 29)),
        # Ten working days from Fri 18 Dec 2026: 21–24 Dec, 29–31 Dec, 4–6 Jan.
        (date(2026, 12, 18), 10, date(2027, 1, 6)),
        # From Fri 24 Dec 2027: both substitute days (Mon 27, Tue 28) are passed over.
        (date(2027, 12, 24), 1, date(2027, 12, 29)),
        # Easter 2027: from Thu 25 Mar, the next working day is Tue 30 Mar.
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        # A landing on a bank holiday moves on: five working days from Mon 26 Apr 2027 pass
        # Mon 3 May (early May).
        (date(2027, 4, 26), 5, date(2027, 5, 4)),
        # From a weekend: five working days from Sat 22 Feb 2025 end on Fri 28 Feb.
        (date(2025, 2, 22), 5, date(2025, 2, 28)),
        (date(2025, 2, 23), 10, date(2025, 3, 7)),
        # From a bank holiday itself (Christmas Day 2026).
        (date(2026, 12, 25), 1, date(2026, 12, 29)),
    ],
)
def test_add_working_days_passes_over_weekends_and_bank_holidays(start, n, expected):
    assert add_working_days(start, n) == expected


def test_adding_no_working_days_stays_on_the_start_day():
    assert add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)
    assert add_working_days(date(2026, 12, 24), -3) == date(2026, 12, 24)


def test_is_working_day():
    assert is_working_day(date(2026, 12, 29))
    assert not is_working_day(date(2026, 12, 28))  # substitute day for Boxing Day
    assert not is_working_day(date(2026, 12, 26))  # Boxing Day, a Saturday
    assert not is_working_day(date(2027, 3, 26))  # Good Friday


DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=DAYS, end=DAYS)
def test_the_fast_count_equals_counting_day_by_day(start, end):
    expected = reference_count(start, end) if end > start else 0
    assert working_days_between(start, end) == expected


@settings(max_examples=300, deadline=None)
@given(start=DAYS, end=DAYS)
def test_adding_the_count_lands_on_the_last_working_day_up_to_the_end(start, end):
    n = working_days_between(start, end)
    landed = add_working_days(start, n)
    if n == 0:
        assert landed == start
        return
    last = end
    while not reference_working_day(last):
        last -= timedelta(days=1)
    assert landed == last


@settings(max_examples=300, deadline=None)
@given(start=DAYS, n=st.integers(min_value=1, max_value=600))
def test_added_days_land_on_a_working_day_that_many_working_days_on(start, n):
    landed = add_working_days(start, n)
    assert reference_working_day(landed)
    assert reference_count(start, landed) == n


def test_the_stored_table_is_what_the_installed_package_gives_for_every_year():
    # domain/bank_holidays_eng.py spares a session loading the package; it must agree with it
    # (a new release that adds a day: write the table again with domain.calendar.table_source).
    from domain.bank_holidays_eng import WEEKDAY_BANK_HOLIDAYS
    from domain.calendar import _compute

    years = range(min(WEEKDAY_BANK_HOLIDAYS), max(WEEKDAY_BANK_HOLIDAYS) + 1)
    assert list(WEEKDAY_BANK_HOLIDAYS) == list(years)
    from_package = _compute(years)
    for year in years:
        stored = tuple(date(year, m, d) for m, d in WEEKDAY_BANK_HOLIDAYS[year])
        assert stored == from_package[year], year


def test_years_in_the_table_do_not_load_the_package_and_later_years_do():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from datetime import date\n"
        "from domain.calendar import bank_holidays_between\n"
        "assert bank_holidays_between(date(2025, 12, 31), date(2027, 12, 31))\n"
        "print('holidays' in sys.modules)\n"
        "later = bank_holidays_between(date(2059, 12, 31), date(2060, 12, 31))\n"
        "print(' '.join(d.isoformat() for d in later))\n"
        "print('holidays' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "False"  # the table's years: the package is not loaded
    expected = [d for d in sorted(ENGLAND[date(2060, 1, 1) : date(2061, 1, 1)]) if d.weekday() < 5]
    assert out[1].split() == [d.isoformat() for d in expected]  # from the package, ...
    assert out[2] == "False"  # ... which is unloaded again
