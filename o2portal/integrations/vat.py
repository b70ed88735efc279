"""Checking a customer's EU VAT number before granting the reverse charge.

    VatChecker.check(number) -> VatCheck   never raises: a service that does not answer
                                           gives result "unavailable"

The built-in checker works offline (format and check digits, python-stdnum). Setting
O2PORTAL_VAT_CHECK=vies asks the EU's VIES service through python-stdnum's `check_vies`
(it needs the `zeep` SOAP client installed); a number with a bad format is refused without
asking. When VIES does not answer, the order goes through on the format and the order
records "unavailable", so that staff can check it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from stdnum.eu import vat as eu_vat

from o2portal.core import clock
from o2portal.core.settings import get_settings

VALID, INVALID, UNAVAILABLE = "valid", "invalid", "unavailable"
VIES_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class VatCheck:
    number: str
    result: str  # valid | invalid | unavailable
    source: str  # format | vies
    checked_at: datetime


class VatChecker(Protocol):
    def check(self, number: str) -> VatCheck: ...


class OfflineVatChecker:
    """Format and check digits only: what can be known without the network."""

    def check(self, number: str) -> VatCheck:
        result = VALID if eu_vat.is_valid(number or "") else INVALID
        return VatCheck(number, result, "format", clock.now())


class ViesVatChecker:
    def check(self, number: str) -> VatCheck:
        if not eu_vat.is_valid(number or ""):
            return VatCheck(number, INVALID, "format", clock.now())
        try:
            answer = eu_vat.check_vies(number, timeout=VIES_TIMEOUT_SECONDS)
        except Exception:  # noqa: BLE001 - down, slow, a SOAP fault or no client: unknown
            return VatCheck(number, UNAVAILABLE, "vies", clock.now())
        valid = bool(answer.get("valid")) if isinstance(answer, dict) else bool(answer["valid"])
        return VatCheck(number, VALID if valid else INVALID, "vies", clock.now())


def vat_checker() -> VatChecker:
    return ViesVatChecker() if get_settings().vat_check == "vies" else OfflineVatChecker()
