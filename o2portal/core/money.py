"""Money in integer cents: VAT arithmetic, document totals, euros typed by people, and the
EU member states (for VAT), from python-stdnum's list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.eu import vat as eu_vat

from o2portal.core.errors import InvalidInput

# stdnum lists "xi" (Northern Ireland, for goods only): not a member state for services.
EU_COUNTRIES = frozenset(c.upper() for c in eu_vat.MEMBER_STATES if c != "xi")
FRENCH_VAT_BP = 2000  # basis points: 2000 = 20 %


def vat_cents(ht_cents: int, rate_bp: int) -> int:
    """VAT on an amount HT, rounded half up to the cent (integers only)."""
    if ht_cents < 0:
        return -vat_cents(-ht_cents, rate_bp)
    return (ht_cents * rate_bp + 5000) // 10000


@dataclass(frozen=True)
class Totals:
    ht: int
    vat: int
    ttc: int


def totals_for(line_totals_ht: list[int], rate_bp: int) -> Totals:
    """VAT is computed once on the document's total HT, so totals always add up."""
    ht = sum(line_totals_ht)
    vat = vat_cents(ht, rate_bp)
    return Totals(ht, vat, ht + vat)


def parse_euros(text: str | None, field: str) -> int:
    """'12,50' or '12.50' or '12' → 1250 cents; refuses anything else (never a float)."""
    raw = (text or "").strip().replace("\u202f", "").replace(" ", "").replace("€", "")
    match = re.fullmatch(r"(\d{1,7})(?:[.,](\d{1,2}))?", raw)
    if not match:
        raise InvalidInput({field: "error.amount_invalid"})
    cents = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if cents <= 0:
        raise InvalidInput({field: "error.amount_invalid"})
    return cents
