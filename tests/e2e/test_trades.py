"""Change of holder in a real browser (issue 15): the holder offers a domain from its page,
the recipient sees the offer on their dashboard and accepts it on /trades; the domain is
then on the recipient's /services and gone from the holder's, whose past invoice stays on
their /invoices; the recipient renews it and the invoice is in their name; the registrar
is told of the new registrant."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Invoice, Order
from o2portal.core.db import read_session, transaction
from o2portal.integrations.models import RegistryDomain
from o2portal.products.models import HolderChange, Product
from tests.e2e.conftest import (
    FRESH_PASSWORD,
    customer_with_domain,
    eventually,
    fresh_customer,
    log_in,
    wait_signed_in,
)
from tests.e2e.test_renewals import fill_card


def _renew_by_card(page, product_id: int) -> str:
    """Renew for a year from the product's page; the invoice number."""
    page.goto(f"/services/{product_id}")
    page.locator("#quote-ttc").wait_for()
    fill_card(page, "4242 4242 4242 4242")
    page.locator("#renew-form-submit").click()
    expect(page.locator("#pay-message")).to_contain_text("Paiement accepté")
    return re.search(r"F\d{4}-\d{6}", page.locator("#pay-message").inner_text()).group(0)


def test_a_domain_changes_holder_and_its_renewal_is_billed_to_the_new_one(new_context):
    holder_email, holder_id, product_id = customer_with_domain("cede", 90)
    with read_session() as session:
        name = session.get(Product, product_id).name
    with transaction() as session:  # registered at the registry, as in life
        session.add(RegistryDomain(name=name, holder_ref=f"customer:{holder_id}"))
    recipient_email = fresh_customer("repreneur")
    with transaction() as session:
        recipient = session.exec(select(Customer).where(Customer.email == recipient_email)).one()
        recipient.first_name, recipient.last_name = "Paul", "Repreneur"
        recipient_id = recipient.id

    # The holder renews once (an invoice of theirs), then offers the domain.
    giver = new_context().new_page()
    log_in(giver, holder_email, FRESH_PASSWORD, next_path=f"/services/{product_id}")
    wait_signed_in(giver)
    old_invoice = _renew_by_card(giver, product_id)
    giver.goto(f"/services/{product_id}")
    giver.locator("#trade_email").fill(recipient_email)
    giver.locator("#trade-offer").click()
    expect(giver.locator("#trade_confirm-error")).to_contain_text("Cochez la case")
    giver.locator("#trade_confirm").check()
    giver.locator("#trade-offer").click()
    expect(giver.locator("#trade-message")).to_contain_text("Proposition envoyée")
    expect(giver.locator("#trade-pending-to")).to_contain_text(recipient_email)
    offer_id = eventually(lambda: _offer_of(product_id))
    assert offer_id

    # The recipient sees it on the dashboard and accepts it on /trades, after confirming.
    taker = new_context().new_page()
    log_in(taker, recipient_email, FRESH_PASSWORD)
    wait_signed_in(taker)
    expect(taker.locator("#trades-waiting")).to_contain_text("attend votre réponse")
    taker.locator("#trades-waiting").get_by_role("link").click()
    row = taker.locator(f"#trade-{offer_id}")
    expect(row).to_contain_text(name)
    expect(row).to_contain_text("Camille Profil")
    taker.locator(f"#trade-accept-{offer_id}").click()
    taker.locator(f"#trade-accept-confirm-{offer_id}").click()
    expect(taker.locator("#trades-message")).to_contain_text("désormais dans votre compte")
    expect(row).to_contain_text("Accepté")
    with read_session() as session:
        assert session.get(Product, product_id).customer_id == recipient_id

    # Shown on both accounts: the recipient's services, not the holder's; the holder's
    # past invoice is still theirs.
    taker.goto("/services")
    expect(taker.locator("#services-table")).to_contain_text(name)
    giver.goto("/services")
    giver.locator("#o2-hydrated").wait_for(state="attached")
    expect(giver.get_by_role("link", name=name, exact=True)).to_have_count(0)
    giver.goto("/invoices")
    expect(giver.locator("#invoices-table")).to_contain_text(old_invoice)
    giver.goto("/trades")
    expect(giver.locator(f"#trade-{offer_id}")).to_contain_text("Accepté")

    # The new holder renews: the order form and the invoice are in their name.
    new_invoice = _renew_by_card(taker, product_id)
    with read_session() as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == new_invoice)).one()
        order = session.get(Order, invoice.order_id)
        first = session.exec(select(Invoice).where(Invoice.number == old_invoice)).one()
    assert invoice.customer_id == recipient_id == order.customer_id
    snapshot = json.loads(order.billing_snapshot_json)
    assert (snapshot["first_name"], snapshot["last_name"]) == ("Paul", "Repreneur")
    assert first.customer_id == holder_id
    taker.goto("/invoices")
    expect(taker.locator("#invoices-table")).to_contain_text(new_invoice)
    expect(taker.locator("#invoices-table")).not_to_contain_text(old_invoice)

    # The registrar was told of the new registrant, after the commit.
    assert eventually(lambda: _registrant(name) == f"customer:{recipient_id}")


def _offer_of(product_id: int) -> int | None:
    with read_session() as session:
        found = session.exec(
            select(HolderChange.id).where(HolderChange.product_id == product_id)
        ).first()
    return found


def _registrant(name: str) -> str | None:
    with read_session() as session:
        return session.exec(
            select(RegistryDomain.holder_ref).where(RegistryDomain.name == name)
        ).one()
