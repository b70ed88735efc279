"""The payment lifecycle: a charge whose answer was lost, or a process killed between the
charge and the invoice, is settled by reconciliation exactly once; a payment the gateway
never received is voided; a refusal is kept; card attempts are limited; a zero total needs
no card; money that can no longer buy what it was for becomes account credit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing import reconciliation
from o2portal.billing.models import Invoice, Order, Payment
from o2portal.billing.orders import CartItem
from o2portal.billing.payments import PaymentChoice
from o2portal.catalog.models import PromoCode
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.integrations import gateway as gateway_module
from o2portal.integrations.gateway import CardDetails
from o2portal.integrations.models import GatewayCharge
from o2portal.jobs import runner
from o2portal.products import domain_holds
from o2portal.products.models import Product
from tests.unit import test_renewals
from tests.unit.test_orders import order, person
from tests.unit.test_renewals import (
    DECLINED,
    T0,
    add_years,
    card,
    count,
    expiry_of,
    new_customer,
    new_product,
    renew,
)

shop = test_renewals.shop  # the fixture: the catalogue, the clock frozen at T0
LOST = "4000000000000036"  # the built-in gateway charges it and loses the answer
LATER = T0 + reconciliation.STALE_AFTER + timedelta(minutes=1)


def rows(model, *where) -> list:
    with read_session() as session:
        return list(session.exec(select(model).where(*where).order_by(model.id)).all())


def _available(name: str) -> bool:
    with read_session() as session:
        return domain_holds.is_available(session, name)


@pytest.fixture
def gateway_down():
    gateway = gateway_module.card_gateway()
    gateway.down = True
    yield gateway
    gateway.down = False


def reconcile(at=LATER) -> dict:
    with clock.frozen_at(at):
        return reconciliation.reconcile_payments()


# ------------------------------------------------------------ a lost answer


def test_a_lost_answer_leaves_the_payment_pending_then_reconciliation_settles_it_once(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    expiry = expiry_of(product_id)
    outcome = renew(customer_id, product_id, choice=card(LOST), key="lost-key-0001")
    assert (outcome.status, outcome.message_key) == ("pending", "pay.pending_gateway")
    [payment] = rows(Payment)
    assert payment.status == "processing" and count(Invoice) == 0
    # Meanwhile the form cannot be paid a second time, whatever the key.
    with pytest.raises(InvalidInput) as again:
        renew(customer_id, product_id, choice=card(), key="lost-key-0002")
    assert again.value.errors == {"years": "error.payment_in_progress"}
    assert [c.outcome for c in rows(GatewayCharge)] == ["succeeded"]
    # Too early: a charge may still be answering.
    assert reconcile(at=T0 + timedelta(minutes=2)) == {}
    assert reconcile() == {"completed": 1}
    assert reconcile() == {}
    assert [p.status for p in rows(Payment)] == ["succeeded"]
    assert len(rows(Invoice)) == 1
    assert expiry_of(product_id) == add_years(expiry, 1)
    # The original key now reads the outcome.
    assert renew(customer_id, product_id, key="lost-key-0001", expected=expiry).status == "paid"
    assert len(rows(Invoice)) == 1


def test_a_gateway_that_never_got_the_charge_voids_the_payment_and_frees_the_names(shop):
    buyer = person("void@example.fr")
    items = [CartItem("domain", code="fr", years=1, domain="jamais-debite.fr", action="register")]
    gateway = gateway_module.card_gateway()
    # Down exactly for the charge: the token was made, the charge never arrived.
    real_charge = gateway.charge

    def charge_while_down(**kwargs):
        gateway.down = True
        try:
            return real_charge(**kwargs)
        finally:
            gateway.down = False

    gateway.charge = charge_while_down
    try:
        outcome = order(buyer, items, "void-key-0001")
    finally:
        del gateway.charge
    assert outcome.status == "pending"
    assert not _available("jamais-debite.fr")  # held meanwhile
    assert reconcile() == {"voided": 1}
    [payment] = rows(Payment)
    assert (payment.status, payment.failure_reason) == ("failed", "no charge at the gateway")
    assert rows(Order)[0].status == "refused"
    assert _available("jamais-debite.fr")  # the name is free again
    assert count(Invoice) == 0 and count(GatewayCharge) == 0
    replay = order(buyer, items, "void-key-0001")
    assert (replay.status, replay.message_key) == ("failed", "error.payment_lost")


def test_an_unreachable_gateway_is_asked_again_at_the_next_run(shop, gateway_down):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    gateway_down.down = False
    assert (
        renew(customer_id, product_id, choice=card(LOST), key="late-key-0001").status == "pending"
    )
    gateway_down.down = True
    assert reconcile() == {"unreachable": 1}
    assert rows(Payment)[0].status == "processing"
    gateway_down.down = False
    assert reconcile() == {"completed": 1}
    assert count(Invoice) == 1


def test_money_that_can_no_longer_be_applied_becomes_account_credit(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id, "domain", "fr", name="perdu.fr")
    assert (
        renew(customer_id, product_id, choice=card(LOST), key="credit-key-0001").status == "pending"
    )
    # Meanwhile the domain was released: the renewal can no longer be applied.
    with transaction() as session:
        product = session.get(Product, product_id)
        product.status = "released"
        session.add(product)
    assert reconcile() == {"credited": 1}
    [payment] = rows(Payment)
    assert payment.status == "succeeded"  # the money was taken, and it is not lost
    with read_session() as session:
        customer = session.get(Customer, customer_id)
    assert customer.credit_balance_cents == payment.amount_cents
    assert rows(Order)[0].status == "cancelled" and count(Invoice) == 0


# ------------------------------------------------------------ kill -9 between charge and invoice

_KILLED = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import date, datetime
    from o2portal.billing.payments import PaymentChoice
    from o2portal.billing.renewals import renew_product
    from o2portal.core import clock
    from o2portal.integrations import gateway
    from o2portal.integrations.gateway import CardDetails

    real = gateway.LocalTestGateway.charge

    def charge_then_die(self, **kwargs):
        result = real(self, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)  # after the charge, before the invoice
        return result

    gateway.LocalTestGateway.charge = charge_then_die
    product_id, expiry = int(sys.argv[1]), date.fromisoformat(sys.argv[2])
    customer_id = int(sys.argv[3])
    with clock.frozen_at(datetime.fromisoformat(sys.argv[4])):
        renew_product(
            customer_id=customer_id,
            product_id=product_id,
            years=1,
            expected_expiry=expiry,
            choice=PaymentChoice("card", CardDetails("4242424242424242", 12, 2030, "123", "M")),
            key="killed-key-0001",
        )
    """
)


def test_a_process_killed_between_charge_and_invoice_is_settled_once_after_restart(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    expiry = expiry_of(product_id)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _KILLED,
            str(product_id),
            str(expiry),
            str(customer_id),
            T0.isoformat(),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    [payment] = rows(Payment)
    assert payment.status == "processing"
    assert [c.outcome for c in rows(GatewayCharge)] == ["succeeded"]  # the money is taken
    assert count(Invoice) == 0 and expiry_of(product_id) == expiry
    # After the restart, the job runner's reconciliation: once, and a second run is a no-op.
    with clock.frozen_at(LATER):
        first = runner.run_job("reconcile_payments", reconciliation.reconcile_payments)
    with clock.frozen_at(LATER + timedelta(minutes=1)):
        second = runner.run_job("reconcile_payments", reconciliation.reconcile_payments)
    assert first.summary == {"completed": 1} and second.summary == {}
    assert [p.status for p in rows(Payment)] == ["succeeded"]
    assert len(rows(Invoice)) == 1
    assert expiry_of(product_id) == add_years(expiry, 1)
    assert count(GatewayCharge) == 1


# ------------------------------------------------------------ limits and zero totals


def test_card_attempts_are_limited_per_account(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    for n in range(5):
        assert renew(
            customer_id, product_id, choice=card(DECLINED), key=f"t-key-{n:04d}"
        ).status == ("declined")
    with pytest.raises(InvalidInput) as refused:
        renew(customer_id, product_id, choice=card(), key="t-key-0005")
    assert refused.value.errors == {"method": "error.card_attempts"}
    assert count(GatewayCharge) == 5  # the sixth never reached the gateway
    # An hour later the account may try again.
    with clock.frozen_at(T0 + timedelta(hours=1, minutes=1)):
        assert renew(customer_id, product_id, choice=card(), key="t-key-0006").status == "paid"


def test_card_attempts_are_limited_per_address(shop):
    for n in range(10):
        customer_id = new_customer(f"c{n}@example.com")
        product_id = new_product(customer_id)
        assert renew(
            customer_id, product_id, choice=card(DECLINED), key=f"ip-key-{n:04d}"
        ).status == ("declined")
    other = new_customer("other@example.com")
    with pytest.raises(InvalidInput):
        renew(other, new_product(other), choice=card(), key="ip-key-0010")


def test_a_100_percent_promo_order_completes_without_a_card(shop):
    buyer = person("free@example.fr")
    with transaction() as session:
        session.add(PromoCode(code="OFFERT", kind="percent", value=10000))
    items = [CartItem("domain", code="fr", years=1, domain="cadeau.fr", action="register")]
    outcome = order(buyer, items, "free-key-0001", choice=PaymentChoice("none"), promo="OFFERT")
    assert outcome.status == "paid" and outcome.invoice_number
    [invoice] = rows(Invoice)
    assert invoice.total_ttc_cents == 0 and invoice.payment_method == "none"
    assert count(GatewayCharge) == 0 and count(Payment) == 0
    assert [p.name for p in rows(Product)] == ["cadeau.fr"]
    # Whatever means was picked, nothing is charged for nothing.
    again = order(
        buyer,
        [CartItem("domain", code="fr", years=1, domain="cadeau2.fr", action="register")],
        "free-key-0002",
        choice=PaymentChoice("card", CardDetails("4242424242424242", 12, 2030, "1", "A")),
        promo="OFFERT",
    )
    assert again.status == "paid" and count(GatewayCharge) == 0


def test_no_means_is_refused_when_there_is_something_to_pay(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    with pytest.raises(InvalidInput) as refused:
        renew(customer_id, product_id, choice=PaymentChoice("none"), key="none-key-0001")
    assert refused.value.errors == {"method": "error.choice_invalid"}
