"""The reverse charge is granted on a checked VAT number, and the order keeps the check's
result and date: offline by default (format and check digits), VIES behind a setting
(valid, refused, or not answering)."""

from __future__ import annotations

import pytest
from stdnum.eu import vat as eu_vat

from o2portal.billing.models import Order
from o2portal.billing.payments import PaymentChoice
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput
from o2portal.core.settings import reload_settings
from o2portal.integrations.vat import OfflineVatChecker, ViesVatChecker
from tests.unit import test_renewals
from tests.unit.test_renewals import T0, count, new_customer, new_product, renew

shop = test_renewals.shop
BELGIAN = {
    "account_type": "entreprise",
    "company_name": "Brasserie du Coin",
    "vat_number": "BE0403170701",
    "country": "BE",
    "postal_code": "1000",
    "city": "Bruxelles",
}


@pytest.fixture
def vies(monkeypatch):
    """VIES behind the setting, with its answer chosen by the test (no network here)."""
    monkeypatch.setenv("O2PORTAL_VAT_CHECK", "vies")
    reload_settings()
    answers = {}

    def check_vies(number, timeout=30, verify=True):
        answer = answers["next"]
        if isinstance(answer, Exception):
            raise answer
        return {"valid": answer, "countryCode": number[:2]}

    monkeypatch.setattr(eu_vat, "check_vies", check_vies)
    yield answers
    monkeypatch.delenv("O2PORTAL_VAT_CHECK")
    reload_settings()


def order_of(outcome) -> Order:
    with read_session() as session:
        return session.get(Order, outcome.order_id)


def test_offline_the_order_keeps_a_format_check(shop):
    business = new_customer("be@example.be", **BELGIAN)
    product = new_product(business, "domain", "com", name="biere.com")
    outcome = renew(business, product, choice=PaymentChoice("transfer"), key="vat-key-0001")
    order = order_of(outcome)
    assert order.vat_rate_bp == 0 and order.vat_check == "valid"
    assert order.vat_checked_at == T0


def test_a_french_customer_has_no_check(shop):
    customer = new_customer("fr@example.fr")
    product = new_product(customer)
    order = order_of(renew(customer, product, choice=PaymentChoice("transfer"), key="vat-key-0002"))
    assert order.vat_rate_bp == 2000 and order.vat_check == "" and order.vat_checked_at is None


def test_vies_confirms_the_number(shop, vies):
    vies["next"] = True
    business = new_customer("be@example.be", **BELGIAN)
    product = new_product(business, "domain", "com", name="biere.com")
    order = order_of(renew(business, product, choice=PaymentChoice("transfer"), key="vat-key-0003"))
    assert (order.vat_rate_bp, order.vat_check) == (0, "valid")


def test_vies_refusing_the_number_refuses_the_order_and_writes_nothing(shop, vies):
    vies["next"] = False
    business = new_customer("be@example.be", **BELGIAN)
    product = new_product(business, "domain", "com", name="biere.com")
    with pytest.raises(InvalidInput) as refused:
        renew(business, product, choice=PaymentChoice("transfer"), key="vat-key-0004")
    assert refused.value.errors == {"method": "error.vat_not_confirmed"}
    assert count(Order) == 0


def test_vies_not_answering_lets_the_order_through_and_says_so(shop, vies):
    vies["next"] = TimeoutError("VIES did not answer")
    business = new_customer("be@example.be", **BELGIAN)
    product = new_product(business, "domain", "com", name="biere.com")
    order = order_of(renew(business, product, choice=PaymentChoice("transfer"), key="vat-key-0005"))
    assert (order.vat_rate_bp, order.vat_check) == (0, "unavailable")


def test_the_checkers_on_their_own():
    assert OfflineVatChecker().check("BE0403170701").result == "valid"
    assert OfflineVatChecker().check("BE0403170702").result == "invalid"
    # A bad format is refused without asking VIES.
    check = ViesVatChecker().check("BE0403170702")
    assert (check.result, check.source) == ("invalid", "format")
