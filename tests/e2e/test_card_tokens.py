"""The card number never crosses the websocket: the pay form gives the card to the
gateway's own endpoint from the browser and sends the portal only the token, or the
gateway's complaint about a field, shown under that field."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import FRESH_PASSWORD, customer_with_domain, log_in, wait_signed_in
from tests.e2e.test_renewals import fill_card

GOOD, BAD = "4242 4242 4242 4242", "4242 4242 4242 4241"


def test_only_the_token_goes_to_the_portal(page: Page):
    email, _customer_id, product_id = customer_with_domain("carte", 65)

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
