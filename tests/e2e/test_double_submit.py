"""Every button that moves money or changes a product, pressed twice in a real browser.

For each pay button: a real double click, then two clicks 30 ms, 400 ms and 1,000 ms
apart. Each time exactly one order form is paid, one invoice issued, one gateway charge
made, the expiry moves once, and the page shows one success message.
"""

from __future__ import annotations

import time
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, func, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Invoice, Order
from o2portal.billing.orders import CartItem, checkout
from o2portal.billing.payments import PaymentChoice
from o2portal.core.db import read_session, transaction
from o2portal.integrations.models import GatewayCharge
from o2portal.products.expiry import add_years
from o2portal.products.models import Product
from tests.e2e.conftest import FRESH_PASSWORD, fresh_customer, log_in, wait_signed_in

# (how the button is pressed, milliseconds between the two clicks)
PRESSES = [("dblclick", 0), ("clicks", 30), ("clicks", 400), ("clicks", 1000)]
PRESS_IDS = ["dblclick", "30ms", "400ms", "1000ms"]


def press_twice(page: Page, selector: str, how: str, gap_ms: int) -> None:
    """Two real presses of the mouse where the button is, whatever the page does between
    them (a disabled button ignores the second one, as it would for a person)."""
    button = page.locator(selector)
    button.scroll_into_view_if_needed()
    if how == "dblclick":
        button.dblclick()
        return
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(gap_ms)
    page.mouse.click(x, y)


def settle(page: Page) -> None:
    """Let any queued second event reach the server and come back."""
    page.wait_for_timeout(1500)


def customer_id(email: str) -> int:
    with read_session() as session:
        return session.exec(select(Customer.id).where(Customer.email == email)).one()


def counts(customer: int) -> tuple[int, int, int]:
    """(paid order forms, invoices) of the customer, and the gateway's successful charges."""
    with read_session() as session:
        paid = session.exec(
            select(func.count())
            .select_from(Order)
            .where(Order.customer_id == customer, Order.status == "paid")
        ).one()
        invoices = session.exec(
            select(func.count()).select_from(Invoice).where(Invoice.customer_id == customer)
        ).one()
        charges = session.exec(
            select(func.count())
            .select_from(GatewayCharge)
            .where(GatewayCharge.outcome == "succeeded")
        ).one()
    return paid, invoices, charges


def add_domain(customer: int, name: str, expiry: date) -> int:
    with transaction() as session:
        product = Product(
            customer_id=customer,
            kind="domain",
            name=name,
            offer_code=name.rsplit(".", 1)[-1],
            start_date=expiry - timedelta(days=365),
            expiry_date=expiry,
        )
        session.add(product)
        session.flush()
        return product.id


def expiry_of(product_id: int) -> date:
    with read_session() as session:
        return session.get(Product, product_id).expiry_date


def fill_card(page: Page, number: str = "4242 4242 4242 4242") -> None:
    page.locator("#card_number").fill(number)
    page.locator("#card_expiry").fill("12/30")
    page.locator("#card_cvc").fill("123")
    page.locator("#card_holder").fill("Camille Profil")


def sign_in(page: Page, email: str, password: str = FRESH_PASSWORD) -> None:
    log_in(page, email, password)
    wait_signed_in(page)


def unpaid_form(customer: int, method: str = "transfer") -> int:
    """An order form for a new domain, left unpaid (as by a customer who chose transfer)."""
    name = f"double-{uuid.uuid4().hex[:10]}.fr"
    outcome = checkout(
        customer_id=customer,
        items=[CartItem(kind="domain", domain=name, action="register", years=1)],
        promo_code="",
        choice=PaymentChoice(method),
        key=uuid.uuid4().hex,
        terms_accepted=True,
        withdrawal_waived=True,
    )
    return outcome.order_id


@pytest.mark.parametrize(("how", "gap"), PRESSES, ids=PRESS_IDS)
def test_renewal_on_the_product_page_is_paid_once(page: Page, how: str, gap: int):
    email = fresh_customer("renew2x")
    customer = customer_id(email)
    before = date.today() + timedelta(days=40)
    product_id = add_domain(customer, f"renew2x-{uuid.uuid4().hex[:8]}.fr", before)
    start = counts(customer)
    sign_in(page, email)
    page.goto(f"/services/{product_id}")
    page.locator("#quote-ttc").wait_for()
    fill_card(page)
    press_twice(page, "#renew-form-submit", how, gap)
    expect(page.locator("#pay-message")).to_contain_text("Paiement accepté")
    settle(page)
    expect(page.locator("#pay-message")).to_have_count(1)
    expect(page.locator("#pay-message")).to_contain_text("Paiement accepté")
    paid, invoices, charges = counts(customer)
    assert (paid - start[0], invoices - start[1], charges - start[2]) == (1, 1, 1)
    assert expiry_of(product_id) == add_years(before, 1)


@pytest.mark.parametrize(("how", "gap"), PRESSES, ids=PRESS_IDS)
def test_unpaid_order_form_on_invoices_is_paid_once(page: Page, how: str, gap: int):
    email = fresh_customer("pay2x")
    customer = customer_id(email)
    order_id = unpaid_form(customer)
    start = counts(customer)
    sign_in(page, email)
    page.goto("/invoices")
    page.locator(f"#pay-{order_id}").click()
    fill_card(page)
    press_twice(page, "#pay-form-submit", how, gap)
    expect(page.locator("#pay-message")).to_contain_text("Paiement accepté")
    settle(page)
    expect(page.locator("#pay-message")).to_have_count(1)
    expect(page.locator("#pay-message")).to_contain_text("Paiement accepté")
    paid, invoices, charges = counts(customer)
    assert (paid - start[0], invoices - start[1], charges - start[2]) == (1, 1, 1)
    with read_session() as session:
        assert session.get(Order, order_id).status == "paid"


def test_the_dashboard_pay_button_opens_that_order_form(page: Page):
    """The dashboard's «Payer» leads to the same payment panel, for that order form."""
    email = fresh_customer("dash2x")
    customer = customer_id(email)
    order_id = unpaid_form(customer)
    start = counts(customer)
    sign_in(page, email)
    page.locator(f"#dash-pay-{order_id}").click()
    fill_card(page)
    press_twice(page, "#pay-form-submit", "dblclick", 0)
    expect(page.locator("#pay-message")).to_contain_text("Paiement accepté")
    settle(page)
    expect(page.locator("#pay-message")).to_have_count(1)
    paid, invoices, charges = counts(customer)
    assert (paid - start[0], invoices - start[1], charges - start[2]) == (1, 1, 1)


@pytest.mark.parametrize(("how", "gap"), PRESSES, ids=PRESS_IDS)
def test_checkout_of_the_cart_is_paid_once(page: Page, how: str, gap: int):
    email = fresh_customer("cart2x")
    customer = customer_id(email)
    name = f"cart2x-{uuid.uuid4().hex[:10]}"
    start = counts(customer)
    sign_in(page, email)
    page.goto("/order")
    page.locator("#tab-domain").click()
    page.locator("#domain-search").fill(f"{name}.fr")
    page.locator("#domain-check").click()
    page.locator("#add-domain").click()
    expect(page.locator("#cart-lines")).to_contain_text(f"{name}.fr")
    fill_card(page)
    page.locator("#terms").check()
    page.locator("#withdrawal").check()
    press_twice(page, "#order-form-submit", how, gap)
    expect(page.locator("#order-done")).to_contain_text("Commande payée")
    settle(page)
    expect(page.locator("#order-done")).to_have_count(1)
    expect(page.locator("#pay-message")).to_have_count(0)
    paid, invoices, charges = counts(customer)
    assert (paid - start[0], invoices - start[1], charges - start[2]) == (1, 1, 1)
    with read_session() as session:
        names = session.exec(
            select(Product.name).where(Product.customer_id == customer, Product.kind == "domain")
        ).all()
    assert names.count(f"{name}.fr") == 1


@pytest.mark.parametrize(("how", "gap"), PRESSES, ids=PRESS_IDS)
def test_staff_records_a_transfer_once(new_context, how: str, gap: int):
    email = fresh_customer("staffpay2x")
    customer = customer_id(email)
    order_id = unpaid_form(customer)
    start = counts(customer)
    page = new_context().new_page()
    sign_in(page, "admin@o2portal.example", "Demo-o2portal-2026")
    page.goto("/admin/invoices")
    page.locator("#invoice-search").fill(email)
    page.locator("#invoice-search-go").click()
    page.locator(f"#paid-transfer-{order_id}").click()
    page.locator("#payment-reference").fill("VIR-DEUX-CLICS")
    press_twice(page, "#record-submit", how, gap)
    expect(page.locator("#admin-message")).to_contain_text("F20")
    settle(page)
    expect(page.locator("#admin-message")).to_have_count(1)
    with read_session() as session:
        paid = session.exec(
            select(func.count())
            .select_from(Order)
            .where(Order.customer_id == customer, Order.status == "paid")
        ).one()
        invoices = session.exec(
            select(func.count()).select_from(Invoice).where(Invoice.customer_id == customer)
        ).one()
    assert (paid - start[0], invoices - start[1]) == (1, 1)


@pytest.mark.parametrize(("how", "gap"), PRESSES, ids=PRESS_IDS)
def test_staff_renewal_by_hand_moves_the_expiry_once(new_context, how: str, gap: int):
    email = fresh_customer("staffrenew2x")
    customer = customer_id(email)
    before = date.today() + timedelta(days=20)
    name = f"staff2x-{uuid.uuid4().hex[:8]}.fr"
    product_id = add_domain(customer, name, before)
    page = new_context().new_page()
    sign_in(page, "admin@o2portal.example", "Demo-o2portal-2026")
    page.goto("/admin/products")
    page.locator("#product-search").fill(name)
    page.locator("#product-search-go").click()
    page.locator(f"#product-{product_id}").click()
    page.locator("#renew-years").select_option("1")
    page.locator("#renew-reason").fill("Geste commercial après incident")
    press_twice(page, "#product-renew", how, gap)
    expect(page.locator("#admin-message")).to_be_visible()
    settle(page)
    expect(page.locator("#admin-message")).to_have_count(1)
    assert expiry_of(product_id) == add_years(before, 1)
    with read_session() as session:
        from o2portal.core.models import AuditEvent

        renewals = session.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == "staff.product_renewed",
                AuditEvent.target_id == product_id,
                col(AuditEvent.target_type) == "product",
            )
        ).one()
    assert renewals == 1


def test_a_renewal_event_replayed_over_a_new_socket_charges_once(new_context, base_url):
    """The renewal event the browser sent, replayed twice over a new websocket of the same
    tab (as a reconnecting socket would): one charge, and the same outcome each time."""
    import websocket

    email = fresh_customer("replay")
    customer = customer_id(email)
    before = date.today() + timedelta(days=50)
    product_id = add_domain(customer, f"replay-{uuid.uuid4().hex[:8]}.fr", before)
    context = new_context()
    page = context.new_page()
    sent: list[str] = []
    sockets: list[str] = []

    def watch(ws):
        sockets.append(ws.url)
        ws.on("framesent", lambda payload: sent.append(payload if isinstance(payload, str) else ""))

    page.on("websocket", watch)
    sign_in(page, email)
    page.goto(f"/services/{product_id}")
    page.locator("#quote-ttc").wait_for()
    fill_card(page)
    page.locator("#renew-form-submit").click()
    expect(page.locator("#pay-message")).to_contain_text("Paiement accepté")
    start = counts(customer)
    with read_session() as session:
        number = session.exec(select(Invoice.number).where(Invoice.customer_id == customer)).one()
    frame = next(f for f in sent if ".renew" in f and '"event"' in f)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    page.close()  # the tab's socket drops; the same tab (token) now reconnects

    answered: list[str] = []
    ws = websocket.create_connection(
        sockets[-1], header=[f"Cookie: {cookie}"], origin=base_url, timeout=15
    )
    try:
        namespace = frame[2 : frame.index(",")] if frame.startswith("42/") else ""
        assert ws.recv().startswith("0")  # engine.io open
        ws.send(f"40{namespace},")
        for _ in range(2):
            ws.send(frame)
        deadline = time.monotonic() + 20
        while len(answered) < 2 and time.monotonic() < deadline:
            message = ws.recv()
            if message == "2":
                ws.send("3")  # engine.io ping
            elif "new_token" in message:
                raise AssertionError("the replay was not taken as the same tab")
            elif "pay_message_rx_state_" in message and number in message:
                answered.append(message)
    finally:
        ws.close()
    # Both replays answered with the first outcome (the invoice the click issued), and
    # nothing more was charged, invoiced or renewed.
    assert len(answered) == 2
    assert counts(customer) == start
    assert expiry_of(product_id) == add_years(before, 1)
