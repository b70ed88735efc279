"""Administrative contacts in a real browser (issue 15): an agency orders hosting for a
client who accepts. The client owns it and the invoice carries the client's billing
identity (a Belgian business: reverse charge), paid by the agency with its own card; the
agency, now the product's administrative contact, renews it, and the client reads that
in their contacts' actions and is emailed."""

from __future__ import annotations

import io
import json
import re
import uuid

from playwright.sync_api import expect
from pypdf import PdfReader
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Invoice, Order
from o2portal.core import formatting
from o2portal.core.db import read_session, transaction
from o2portal.products.contact_models import ProductContact
from o2portal.products.models import Product
from tests.e2e.conftest import (
    FRESH_PASSWORD,
    eventually,
    fresh_customer,
    log_in,
    wait_signed_in,
)
from tests.e2e.test_renewals import fill_card, flat

BELGIAN = {
    "account_type": "entreprise",
    "company_name": "Brasserie du Coin",
    "vat_number": "BE0403170701",
    "country": "BE",
    "address_line1": "12 rue Haute",
    "postal_code": "1000",
    "city": "Bruxelles",
}


def _customer_id(email: str) -> int:
    with read_session() as session:
        return session.exec(select(Customer.id).where(Customer.email == email)).one()


def _belgian_business(email: str) -> int:
    with transaction() as session:
        customer = session.exec(select(Customer).where(Customer.email == email)).one()
        for name, value in BELGIAN.items():
            setattr(customer, name, value)
        session.add(customer)
        return customer.id


def _hosting_of(client_id: int, domain: str) -> Product | None:
    with read_session() as session:
        return session.exec(
            select(Product).where(
                Product.customer_id == client_id,
                Product.kind == "hosting",
                Product.name == domain,
            )
        ).first()


def _pdf_text(page, path: str) -> str:
    response = page.request.get(path)
    assert response.status == 200, path
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def test_an_agency_orders_hosting_for_a_client_who_accepts_then_renews_it(new_context, smtp):
    client_email = fresh_customer("brasserie")
    client_id = _belgian_business(client_email)
    agency_email = fresh_customer("agence")
    agency_id = _customer_id(agency_email)
    domain = f"brasserie-{uuid.uuid4().hex[:6]}.fr"

    # The agency fills its cart and proposes it to the client's account.
    agency = new_context().new_page()
    log_in(agency, agency_email, FRESH_PASSWORD, next_path="/order")
    wait_signed_in(agency)
    agency.locator("#tier-cloud").click()
    agency.locator("#hosting-domain").fill(domain)
    agency.locator("#add-hosting").click()
    expect(agency.locator("#cart-lines")).to_contain_text(domain)
    agency.locator("#for-client").click()
    # Bad input first: its own address, said by the field, nothing proposed.
    agency.locator("#client_email").fill(agency_email)
    agency.locator("#propose-submit").click()
    expect(agency.locator("#client_email-error")).to_contain_text("votre propre adresse")
    agency.locator("#client_email").fill(client_email)
    agency.locator("#propose-submit").click()
    expect(agency.locator("#order-proposed")).to_contain_text(client_email)
    expect(agency.locator("#cart-empty")).to_be_visible()
    proposed = smtp.wait_for(
        lambda m: m["To"] == client_email and "propose une commande" in m["Subject"], timeout=30
    )
    assert domain in smtp.text_of(proposed) and "/contacts" in smtp.text_of(proposed)

    # The client sees it priced for them (reverse charge: no VAT) and accepts.
    client = new_context().new_page()
    log_in(client, client_email, FRESH_PASSWORD, next_path="/")
    wait_signed_in(client)
    expect(client.locator("#client-orders-waiting")).to_be_visible()
    client.goto("/contacts")
    received = client.locator("#client-orders-received")
    expect(received).to_contain_text(domain)
    expect(received).to_contain_text("Autoliquidation")
    card = received.locator("[id^=received-order-]").first
    proposal_id = card.get_attribute("id").rsplit("-", 1)[1]
    expect(client.locator(f"#proposal-vat-{proposal_id}")).to_have_text(formatting.money(0))
    expect(client.locator(f"#proposal-ttc-{proposal_id}")).to_have_text(formatting.money(2112))
    client.locator(f"#accept-order-{proposal_id}").click()  # the terms not ticked
    expect(client.locator(f"#terms-error-{proposal_id}")).to_be_visible()
    client.locator(f"#terms-{proposal_id}").check()
    client.locator(f"#accept-order-{proposal_id}").click()
    expect(client.locator("#client-orders-message")).to_contain_text("Commande acceptée")

    # The agency pays it with its own card, from its /contacts.
    agency.goto("/contacts")
    sent = agency.locator("#client-orders-sent")
    expect(sent).to_contain_text("Acceptée, à payer")
    expect(sent).to_contain_text(formatting.money(2112))
    agency.locator(f"#pay-order-{proposal_id}").click()
    expect(agency.locator("#client-order-pay")).to_contain_text("Brasserie du Coin")
    fill_card(agency, "4242 4242 4242 4242")
    agency.locator("#client-order-form-submit").click()
    expect(agency.locator("#pay-message")).to_contain_text("au nom du titulaire")
    assert not re.search(r"F\d{4}-\d{6}", agency.locator("#pay-message").inner_text())

    # The client owns it; the invoice is theirs, with their billing identity.
    hosting = eventually(lambda: _hosting_of(client_id, domain))
    assert hosting is not None
    with read_session() as session:
        invoice = session.exec(
            select(Invoice)
            .join(Order, Order.id == Invoice.order_id)
            .where(Order.agent_id == agency_id, Order.kind == "order")
        ).one()
        link = session.exec(
            select(ProductContact).where(ProductContact.product_id == hosting.id)
        ).one()
    assert invoice.customer_id == client_id and invoice.total_ttc_cents == 2112
    billed = json.loads(invoice.customer_snapshot_json)
    assert (billed["company_name"], billed["vat_number"]) == ("Brasserie du Coin", "BE0403170701")
    assert (link.contact_id, link.role, link.status) == (agency_id, "administrative", "active")
    client.goto("/services")
    expect(client.locator("#services-table")).to_contain_text(domain)
    client.goto("/invoices")
    expect(client.locator("#invoices-table")).to_contain_text(invoice.number)
    text = flat(_pdf_text(client, f"/files/invoices/{invoice.id}.pdf"))
    assert "Brasserie du Coin" in text and "BE0403170701" in text and "Bruxelles" in text
    assert "Autoliquidation" in text
    # The agency never gets the client's invoice.
    assert agency.request.get(f"/files/invoices/{invoice.id}.pdf").status == 404
    agency.goto("/invoices")
    expect(agency.get_by_role("heading", name="Factures", level=1)).to_be_visible()
    expect(agency.locator("main")).not_to_contain_text(invoice.number)

    # The agency, now its administrative contact, renews it with its own card.
    agency.goto("/services")
    managed = agency.locator("#services-managed")
    expect(managed).to_contain_text(domain)
    expect(managed).to_contain_text("contact administratif")
    agency.locator(f"#managed-renew-{hosting.id}").click()
    expect(agency.locator("#managed-for")).to_contain_text("Brasserie du Coin")
    expect(agency.locator("#renew-for-holder")).to_be_visible()
    agency.locator("#quote-ttc").wait_for()
    expect(agency.locator("#product-invoices")).to_have_count(0)
    fill_card(agency, "4242 4242 4242 4242")
    agency.locator("#renew-form-submit").click()
    expect(agency.locator("#pay-message")).to_contain_text("au nom du titulaire")

    with read_session() as session:
        renewal = session.exec(
            select(Invoice)
            .join(Order, Order.id == Invoice.order_id)
            .where(Order.agent_id == agency_id, Order.kind == "renewal")
        ).one()
    assert renewal.customer_id == client_id
    assert json.loads(renewal.customer_snapshot_json)["vat_number"] == "BE0403170701"
    told = smtp.wait_for(
        lambda m: m["To"] == client_email and "renouvelé" in smtp.text_of(m), timeout=30
    )
    assert domain in told["Subject"]
    client.goto("/contacts")
    actions = client.locator("#contacts-actions")
    expect(actions).to_contain_text("a renouvelé le produit")
    expect(actions).to_contain_text("a payé la commande qu'il vous a proposée")
    client.goto("/invoices")
    expect(client.locator("#invoices-table")).to_contain_text(renewal.number)
