"""The card number never crosses the websocket: the pay form gives the card to the
gateway's own endpoint from the browser and sends the portal only the token, or the
gateway's complaint about a field, shown under that field."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.products.models import Product
from tests.e2e.conftest import FRESH_PASSWORD, fresh_customer, log_in, wait_signed_in
from tests.e2e.test_renewals import fill_card

GOOD, BAD = "4242 4242 4242 4242", "4242 4242 4242 4241"


def test_only_the_token_goes_to_the_portal(page: Page):
    email = fresh_customer("carte")
    with transaction() as session:
        customer = session.exec(select(Customer).where(Customer.email == email)).one()
        product = Product(
            customer_id=customer.id,
            kind="domain",
            name=f"carte-{customer.id}.fr",
            offer_code="fr",
            start_date=clock.today() - timedelta(days=300),
            expiry_date=clock.today() + timedelta(days=65),
        )
        session.add(product)
        session.flush()
        product_id = product.id

    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(str(frame))))
    log_in(page, email, FRESH_PASSWORD)
    wait_signed_in(page)
    page.goto(f"/services/{product_id}")
    page.locator("#quote-ttc").wait_for()

    # A mistyped number: the gateway says so, under the field; nothing is paid.
    fill_card(page, BAD)
    with page.expect_response("**/gateway/v1/tokens") as answer:
        page.locator("#renew-form-submit").click()
    assert answer.value.status == 422
    expect(page.get_by_text("Ce numéro de carte n'est pas valide.").first).to_be_visible()

    fill_card(page, GOOD)
    with page.expect_request("**/gateway/v1/tokens") as request:
        page.locator("#renew-form-submit").click()
    assert "4242 4242 4242 4242" in (request.value.post_data or "")
    expect(page.locator("#pay-message")).to_contain_text("Paiement accepté")

    frames = "\n".join(sent)
    assert "card_token" in frames and "tok_test_" in frames
    for digits in (GOOD, BAD, GOOD.replace(" ", ""), BAD.replace(" ", ""), "12/30"):
        assert digits not in frames
