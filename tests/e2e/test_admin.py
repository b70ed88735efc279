"""The staff area in a real browser, and a staff event sent by a customer's own socket."""

from __future__ import annotations

import json
import re
import time
import uuid

import socketio
from playwright.sync_api import Page, expect
from sqlmodel import func, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Invoice, Order, Payment
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from o2portal.web.staff.dashboard.state import AdminDashboardState
from tests.e2e.conftest import ARTIFACTS, eventually, log_in, wait_signed_in


def test_staff_finds_a_customer_by_domain_and_records_a_transfer(page: Page):
    log_in(page, "admin@o2portal.example", next_path="/admin/customers")
    page.locator("#customer-search").fill("dupont-photo")
    page.locator("#customer-search-go").click()
    page.locator("#customers-table").get_by_role("link", name="Marie Dupont").click()
    expect(page.locator("#customer-name")).to_have_text("Marie Dupont")
    expect(page.locator("#customer-products")).to_contain_text("dupont-photo.fr")

    with read_session() as session:
        marie = session.exec(
            select(Customer).where(Customer.email == "client@o2portal.example")
        ).one()
        order = session.exec(
            select(Order).where(
                Order.customer_id == marie.id,
                Order.status == "unpaid",
                Order.payment_method == "transfer",
            )
        ).first()
    assert order is not None
    # Every document on the file opens its PDF; the mails' state is in words.
    documents = page.locator("#customer-invoices a")
    expect(documents.first).to_be_visible()
    hrefs = documents.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(re.fullmatch(r"/files/(invoices|order-forms)/\d+\.pdf", h) for h in hrefs), hrefs
    assert f"/files/order-forms/{order.id}.pdf" in hrefs
    assert any(h.startswith("/files/invoices/") for h in hrefs)
    expect(page.locator("#customer-mails")).to_contain_text("Envoyé")
    expect(page.locator("#customer-mails")).not_to_contain_text("sent")
    page.goto("/admin/invoices")
    page.locator(f"#paid-transfer-{order.id}").click()
    expect(page.locator("#record-title")).to_contain_text(f"BC-{order.id:06d}")
    # The bank's reference first: without it, nothing is recorded.
    page.locator("#record-submit").click()
    expect(page.locator("#reference-error")).to_be_visible()
    with read_session() as session:
        assert session.get(Order, order.id).status == "unpaid"
    page.locator("#payment-reference").fill("VIR SEPA DUPONT 2026-12")
    page.locator("#record-submit").click()
    message = page.locator("#admin-message")
    expect(message).to_contain_text("facture F")
    number = re.search(r"F\d{4}-\d{6}", message.inner_text()).group(0)
    with read_session() as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == number)).one()
        assert session.get(Order, order.id).status == "paid"
    assert invoice.order_id == order.id and invoice.payment_method == "transfer"
    with read_session() as session:
        payment = session.exec(select(Payment).where(Payment.order_id == order.id)).one()
        recorded = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "payment.recorded", AuditEvent.target_id == order.id
            )
        ).one()
    assert payment.gateway_ref == "VIR SEPA DUPONT 2026-12"
    assert json.loads(recorded.details_json)["reference"] == "VIR SEPA DUPONT 2026-12"
    expect(page.locator("#admin-invoices")).to_contain_text(number)
    # The invoice's number opens its PDF, its customer's name their file.
    row = page.locator("#admin-invoices tr", has_text=number)
    expect(row.get_by_role("link", name=number)).to_have_attribute(
        "href", f"/files/invoices/{invoice.id}.pdf"
    )
    expect(row.get_by_role("link").nth(1)).to_have_attribute(
        "href", f"/admin/customers/{invoice.customer_id}"
    )


def test_dashboard_charts_render_with_demo_data(page: Page):
    log_in(page, "admin@o2portal.example", next_path="/admin")
    for chart in ("chart-revenue", "chart-expiries", "chart-customers", "chart-tickets"):
        expect(page.locator(f"#{chart} .recharts-surface").first).to_be_visible()
    # The demo has invoices, expiries within 90 days, a customer of this year and open
    # tickets to draw.
    for chart in ("chart-revenue", "chart-expiries", "chart-customers", "chart-tickets"):
        expect(page.locator(f"#{chart} .recharts-bar-rectangle").first).to_be_visible()
    # The tooltip names its values in words, with their unit.
    page.locator("#chart-revenue .recharts-bar-rectangle").last.hover()
    expect(page.locator("#chart-revenue .recharts-tooltip-wrapper")).to_contain_text("CA HT (€)")
    expect(page.locator("#kpi-customers")).not_to_have_text("0")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-dashboard.png"), full_page=True)


def test_support_reads_customers_but_cannot_edit(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin/customers")
    page.locator("#customer-search").fill("client@")
    page.locator("#customer-search-go").click()
    page.locator("#customers-table").get_by_role("link", name="Marie Dupont").click()
    expect(page.locator("#customer-name")).to_have_text("Marie Dupont")
    expect(page.locator("#customer-save")).to_have_count(0)
    expect(page.locator("#act-as")).to_have_count(0)
    page.goto("/admin/audit")
    expect(page.get_by_text("Accès refusé").first).to_be_visible()


def test_admin_acts_as_a_customer_and_comes_back(page: Page):
    log_in(page, "admin@o2portal.example", next_path="/admin/customers")
    page.locator("#customer-search").fill("paul")
    page.locator("#customer-search-go").click()
    page.locator("#customers-table").get_by_role("link", name="Paul Bernard").click()
    page.locator("#act-as").click()
    expect(page.locator("#acting-banner")).to_be_visible()
    expect(page.locator("#who")).to_have_text("Paul Bernard")
    # No personal-data export while acting: the link is replaced by why, and the route
    # refuses it anyway.
    page.goto("/profile")
    page.locator("#tab-data").click()
    expect(page.locator("#export-link")).to_have_count(0)
    expect(page.get_by_text("réservé au client lui-même")).to_be_visible()
    assert page.request.get("/files/my-data.json").status == 403
    page.goto("/admin")
    expect(page.locator("#access-denied")).to_be_visible()  # a customer's session
    page.locator("#stop-acting").click()
    page.wait_for_url(re.compile(r"/admin/customers/\d+/?$"))
    expect(page.locator("#who")).to_have_text("Sophie Laurent")
    with read_session() as session:
        actions = {e.action for e in session.exec(select(AuditEvent)).all()}
    assert {"staff.act_as_start", "staff.act_as_stop"} <= actions


def test_a_customer_socket_sending_a_staff_event_is_refused_and_audited(new_context, base_url):
    context = new_context()
    page = context.new_page()
    log_in(page, "client@o2portal.example")
    wait_signed_in(page)
    cookie = next(c["value"] for c in context.cookies() if c["name"] == "o2p_session")

    def refusals() -> int:
        with read_session() as session:
            return session.exec(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "admin.refused", AuditEvent.actor_role == "customer")
            ).one()

    before = refusals()
    received: list = []
    client = socketio.Client()
    client.on("event", received.append, namespace="/_event")
    client.connect(
        f"{base_url}?token={uuid.uuid4()}",
        socketio_path="/_event",
        transports=["websocket"],
        namespaces=["/_event"],
        headers={"Cookie": f"o2p_session={cookie}"},
    )
    try:
        client.emit(
            "event",
            {
                "name": AdminDashboardState.get_full_name() + ".load",
                "payload": {},
                "router_data": {"pathname": "/admin", "query": {}, "asPath": "/admin"},
            },
            namespace="/_event",
        )
        assert eventually(lambda: refusals() == before + 1)
        time.sleep(0.5)
    finally:
        client.disconnect()
    text = str(received)
    assert "forbidden" in text  # the refusal's toast, and nothing else
    # Nothing of the staff dashboard came back.
    assert "customers" not in text and "outbox" not in text.lower()
