"""Money and dates as a French (or English) reader expects them, with Babel."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_percent

from o2portal.core.clock import PARIS
from o2portal.core.i18n import translate

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def money(cents: int, lang: str = "fr") -> str:
    """12345 → '123,45 €' (integer cents in, text out; no float arithmetic on amounts)."""
    return _money(cents, lang)


@lru_cache(maxsize=8192)
def _money(cents: int, lang: str) -> str:
    """Babel takes some 17 µs an amount; a page shows the same prices again and again."""
    euros, rest = divmod(abs(cents), 100)
    amount = Decimal(euros) + Decimal(rest) / 100
    text = format_currency(amount, "EUR", locale=_LOCALES.get(lang, "fr_FR"))
    return f"-{text}" if cents < 0 else text


def percent(basis_points: int, lang: str = "fr") -> str:
    """1250 → '12,5 %' (basis points in, no float)."""
    value = Decimal(basis_points) / 10000
    return format_percent(value, locale=_LOCALES.get(lang, "fr_FR"), decimal_quantization=False)


def day(value: date | datetime | None, lang: str = "fr") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date()
    return _day(value, lang)


@lru_cache(maxsize=8192)
def _day(value: date, lang: str) -> str:
    """Babel takes some 25 µs a date: a list of 25 products asked it 25 times an event."""
    return format_date(value, format="medium", locale=_LOCALES.get(lang, "fr_FR"))


def moment(value: datetime | None, lang: str = "fr") -> str:
    if value is None:
        return ""
    return _moment(value, lang)


@lru_cache(maxsize=16384)
def _moment(value: datetime, lang: str) -> str:
    """Babel takes some 15 µs a moment: a ticket's page shows each message's, at each
    reading of the thread and each piece of news."""
    return format_datetime(
        value.astimezone(PARIS), format="short", tzinfo=PARIS, locale=_LOCALES.get(lang, "fr_FR")
    )


@lru_cache(maxsize=4096)
def days_left(days: int, lang: str = "fr") -> str:
    """The signed distance to an expiry in words: 'dans 12 jours', 'aujourd'hui',
    'expiré depuis 10 jours' (never '-10'). Kept once made: a list shows one per row."""
    if days == 0:
        return translate("days.today", lang)
    key = "days.in" if days > 0 else "days.ago"
    return translate(key + ("_one" if abs(days) == 1 else ""), lang, n=abs(days))


def formatted_iban(value: str) -> str:
    """FR7630006000011234567890189 → FR76 3000 6000 0112 3456 7890 189 (as a RIB prints it)."""
    compact = "".join(str(value).split())
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def waited(delta: timedelta, lang: str = "fr") -> str:
    """How long something has waited, shortly: '12 min', '3 h 05', '2 j 4 h' ('2 d 4 h')."""
    minutes = max(0, int(delta.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} {'j' if lang == 'fr' else 'd'} {hours} h"
    if hours:
        return f"{hours} h {minutes:02d}"
    return f"{minutes} min"
