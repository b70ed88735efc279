"""Expiry arithmetic: the one place that says how dates move when a product is renewed.

Rules (SPEC.md "Renewal"): renewing adds the period to the current expiry, so renewing
early never loses a day; an expired hosting account (or server) renews from today; a
domain renews at the normal price up to 30 days after expiry (from its old expiry date,
as registries do), is restored with a fee up to 50 days, then it is released.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from o2portal.core.clock import add_years
from o2portal.core.errors import InvalidInput
from o2portal.integrations.ca import MAX_DAYS

# "Expiring soon", everywhere (dashboard list, /services badge and filter): the last month,
# from the D-30 reminder of the default schedule on. The dashboard said 60 days and the
# badge 30; 30 keeps the badge meaningful (a sixth of a yearly cycle would be orange at
# 60), and the D-60 mail is an early notice, not an alarm. The dashboard's title says the
# same number (a test checks it).
EXPIRING_SOON_DAYS = 30
DOMAIN_GRACE_DAYS = 30
DOMAIN_RESTORE_DAYS = 50
MAX_RENEWAL_YEARS = 3
CERTIFICATE_RENEW_DAYS = 30
# The renewed certificate covers the days left and one more year (366 days across a 29
# February): within what the CA signs for.
assert CERTIFICATE_RENEW_DAYS + 366 <= MAX_DAYS


def domain_phase(expiry: date, today: date) -> str:
    """active, grace (renewable at the normal price), restore (with a fee), or released."""
    late = (today - expiry).days
    if late <= 0:
        return "active"
    if late <= DOMAIN_GRACE_DAYS:
        return "grace"
    if late <= DOMAIN_RESTORE_DAYS:
        return "restore"
    return "released"


@dataclass(frozen=True)
class RenewalDates:
    base: date  # the date the period is added to
    new_expiry: date
    needs_restore: bool  # a domain past its grace period pays the restoration fee


def renewal_dates(kind: str, expiry: date, years: int, today: date) -> RenewalDates | None:
    """Where a renewal of `years` takes the expiry; None when it can no longer be renewed."""
    if not 1 <= years <= MAX_RENEWAL_YEARS:
        raise ValueError("a renewal is for 1 to 3 years")
    if kind == "domain":
        phase = domain_phase(expiry, today)
        if phase == "released":
            return None
        return RenewalDates(expiry, add_years(expiry, years), phase == "restore")
    base = max(expiry, today)
    return RenewalDates(base, add_years(base, years), False)


def renewable_from(kind: str, expiry: date) -> date | None:
    """The first day a product may be renewed: for a certificate, CERTIFICATE_RENEW_DAYS
    before its expiry; None for the others (any day)."""
    if kind != "ssl":
        return None
    return expiry - timedelta(days=CERTIFICATE_RENEW_DAYS)


def too_early(kind: str, expiry: date, today: date) -> date | None:
    """The day renewing opens when it is not open yet today; None when it is."""
    opens = renewable_from(kind, expiry)
    return opens if opens is not None and today < opens else None


def refuse_too_early(kind: str, expiry: date, today: date) -> None:
    """InvalidInput {"years": "renew.too_early|<the day it opens>"} before that day."""
    opens = too_early(kind, expiry, today)
    if opens is not None:
        raise InvalidInput({"years": f"renew.too_early|{opens.isoformat()}"})


def days_left(expiry: date, today: date) -> int:
    return (expiry - today).days


def release_date(expiry: date) -> date:
    return expiry + timedelta(days=DOMAIN_RESTORE_DAYS + 1)
