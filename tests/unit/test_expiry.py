"""Expiry arithmetic (SPEC.md "Renewal"), stated as properties and checked with hypothesis."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from o2portal.products.expiry import (
    DOMAIN_GRACE_DAYS,
    DOMAIN_RESTORE_DAYS,
    add_years,
    days_left,
    domain_phase,
    release_date,
    renewal_dates,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
years_ok = st.integers(min_value=1, max_value=3)
years_bad = st.integers(min_value=-50, max_value=50).filter(lambda y: not 1 <= y <= 3)
non_domain = st.sampled_from(["hosting", "server"])
any_kind = st.sampled_from(["hosting", "server", "domain"])


def _leap_days_between(start: date, end: date) -> int:
    """How many 29 Februaries fall in (start, end]."""
    count = 0
    for year in range(start.year, end.year + 1):
        if calendar.isleap(year) and start < date(year, 2, 29) <= end:
            count += 1
    return count


# ---------------------------------------------------------------- add_years


@given(days, years_ok)
def test_add_years_keeps_month_and_day_except_29_february(day, years):
    result = add_years(day, years)
    assert result.year == day.year + years
    assert result.month == day.month
    if (day.month, day.day) == (2, 29) and not calendar.isleap(result.year):
        assert result.day == 28
    else:
        assert result.day == day.day


@given(days, years_ok)
def test_add_years_never_loses_a_day(day, years):
    """Exactly 365 days a year plus every 29 February crossed: never less than 365 × years,
    never more than 366 × years."""
    length = (add_years(day, years) - day).days
    assert length == 365 * years + _leap_days_between(day, add_years(day, years))
    assert 365 * years <= length <= 366 * years


@given(days, days, years_ok)
def test_add_years_keeps_the_order_of_dates(a, b, years):
    assume(a <= b)
    assert add_years(a, years) <= add_years(b, years)


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2023, 2, 28), 1, date(2024, 2, 28)),
        (date(2025, 12, 31), 3, date(2028, 12, 31)),
        (date(2026, 3, 1), 2, date(2028, 3, 1)),
    ],
)
def test_add_years_examples(day, years, expected):
    assert add_years(day, years) == expected


# ---------------------------------------------------------------- renewal_dates


@given(any_kind, days, st.integers(min_value=0, max_value=3000), years_ok)
def test_early_renewal_adds_the_period_to_the_current_expiry(kind, today, ahead, years):
    """Renewing in advance (expiry today or later) never loses the remaining time."""
    expiry = today + timedelta(days=ahead)
    dates = renewal_dates(kind, expiry, years, today)
    assert dates is not None
    assert dates.base == expiry
    assert dates.new_expiry == add_years(expiry, years)
    assert dates.needs_restore is False
    # The time left before renewing is kept whole, and a full period is added to it.
    assert days_left(dates.new_expiry, today) >= days_left(expiry, today) + 365 * years


@given(non_domain, days, st.integers(min_value=1, max_value=3000), years_ok)
def test_expired_hosting_or_server_renews_from_today(kind, today, late, years):
    expiry = today - timedelta(days=late)
    dates = renewal_dates(kind, expiry, years, today)
    assert dates is not None
    assert dates.base == today
    assert dates.new_expiry == add_years(today, years)
    assert dates.needs_restore is False


@given(days, st.integers(min_value=1, max_value=DOMAIN_GRACE_DAYS), years_ok)
def test_domain_in_grace_renews_from_its_old_expiry_without_restore(today, late, years):
    expiry = today - timedelta(days=late)
    dates = renewal_dates("domain", expiry, years, today)
    assert dates is not None
    assert dates.base == expiry
    assert dates.new_expiry == add_years(expiry, years)
    assert dates.needs_restore is False


@given(
    days,
    st.integers(min_value=DOMAIN_GRACE_DAYS + 1, max_value=DOMAIN_RESTORE_DAYS),
    years_ok,
)
def test_domain_in_restore_needs_the_restore_fee(today, late, years):
    expiry = today - timedelta(days=late)
    dates = renewal_dates("domain", expiry, years, today)
    assert dates is not None
    assert dates.base == expiry
    assert dates.new_expiry == add_years(expiry, years)
    assert dates.needs_restore is True


@given(days, st.integers(min_value=DOMAIN_RESTORE_DAYS + 1, max_value=5000), years_ok)
def test_released_domain_cannot_be_renewed(today, late, years):
    assert renewal_dates("domain", today - timedelta(days=late), years, today) is None


@given(any_kind, days, st.integers(min_value=-400, max_value=400), years_bad)
def test_years_outside_1_to_3_raise(kind, today, offset, years):
    with pytest.raises(ValueError):
        renewal_dates(kind, today + timedelta(days=offset), years, today)


def test_years_are_checked_before_the_domain_phase():
    today = date(2026, 6, 1)
    with pytest.raises(ValueError):
        renewal_dates("domain", today - timedelta(days=400), 4, today)


# ---------------------------------------------------------------- domain_phase


@pytest.mark.parametrize(
    ("late", "phase"),
    [
        (-365, "active"),
        (-1, "active"),
        (0, "active"),
        (1, "grace"),
        (30, "grace"),
        (31, "restore"),
        (50, "restore"),
        (51, "released"),
        (365, "released"),
    ],
)
def test_domain_phase_boundaries(late, phase):
    expiry = date(2026, 3, 15)
    assert domain_phase(expiry, expiry + timedelta(days=late)) == phase


@given(days, st.integers(min_value=-1000, max_value=1000))
def test_domain_phase_matches_renewal_dates(expiry, late):
    today = expiry + timedelta(days=late)
    phase = domain_phase(expiry, today)
    dates = renewal_dates("domain", expiry, 1, today)
    if phase == "released":
        assert dates is None
    else:
        assert dates is not None
        assert dates.needs_restore is (phase == "restore")


@given(days)
def test_release_date_is_the_first_released_day(expiry):
    released = release_date(expiry)
    assert domain_phase(expiry, released) == "released"
    assert domain_phase(expiry, released - timedelta(days=1)) == "restore"


@given(days, days)
def test_days_left_is_the_signed_distance(expiry, today):
    assert today + timedelta(days=days_left(expiry, today)) == expiry
