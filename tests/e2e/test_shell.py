"""The shell: what the browser receives, the language switch, a phone-sized screen."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core.db import read_session
from tests.e2e.conftest import ARTIFACTS, DEMO_PASSWORD, log_in, wait_signed_in

PAGES = ["/", "/services", "/order", "/invoices", "/tickets", "/contacts", "/faq", "/profile"]


def test_no_secret_reaches_the_browser(new_context):
    context = new_context()
    page = context.new_page()
    frames: list[str] = []

    def watch(ws):
        def keep(payload):
            frames.append(
                payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
            )

        ws.on("framereceived", keep)

    page.on("websocket", watch)
    log_in(page, "client@o2portal.example")
    wait_signed_in(page)
    for path in PAGES:
        page.goto(path)
        page.locator("#o2-hydrated").wait_for(state="attached")
        page.wait_for_timeout(300)

    received = "".join(frames)
    # We did capture the state the pages show...
    assert "dupont-photo.fr" in received
    assert "Marie" in received
    # ...and none of the secrets.
    session_cookie = next(c["value"] for c in context.cookies() if c["name"] == "o2p_session")
    assert session_cookie not in received
    assert DEMO_PASSWORD not in received
    assert "$2b$" not in received
    with read_session() as session:
        customers = session.exec(select(Customer)).all()
    # (A deleted account has no hash left at all.)
    for customer in customers:
        if customer.password_hash:
            assert customer.password_hash not in received
    assert "o2p_session" not in received


def test_language_switch_to_english_and_back(page):
    log_in(page, "client@o2portal.example")
    wait_signed_in(page)
    page.goto("/services")
    expect(page.get_by_role("heading", name="Mes comptes")).to_be_visible()
    page.locator("#lang-switch").click()
    expect(page.get_by_role("heading", name="My services")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="My services")).to_be_visible()
    page.locator("#lang-switch").click()
    expect(page.get_by_role("heading", name="Mes comptes")).to_be_visible()


def test_phone_sized_screen_uses_the_menu(new_context):
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, "client@o2portal.example")
    # The dashboard, drawn and connected (the login page's own mark would not do: a menu
    # opened while the page changes closes again, seen once on a loaded machine).
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("main h1")).to_be_visible()
    page.locator("#o2-hydrated").wait_for(state="attached")
    expect(page.locator(".o2-sidebar")).to_be_hidden()
    menu = page.locator("#mobile-menu")
    expect(menu).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-dashboard.png"), full_page=True)
    menu.click()
    page.get_by_role("menuitem", name="Factures").click()
    page.wait_for_url(re.compile(r"/invoices/?$"))
    expect(page.locator("main h1")).to_have_text("Factures")
    # Nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width


def test_every_form_field_has_a_visible_label(page):
    for path in ("/login", "/signup", "/forgot-password"):
        page.goto(path)
        page.locator("#o2-hydrated").wait_for(state="attached")
        inputs = page.locator("main input:not([type=hidden]), main select")
        assert inputs.count() > 0
        for i in range(inputs.count()):
            field_id = inputs.nth(i).get_attribute("id")
            assert field_id, f"{path}: an input without id"
            label = page.locator(f"label[for='{field_id}']")
            expect(label).to_be_visible()


def test_websocket_refuses_other_origins(base_url):
    import base64
    import http.client
    import os
    from urllib.parse import urlsplit

    host = urlsplit(base_url)

    def handshake(origin: str) -> int:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        conn.request(
            "GET",
            "/_event/?EIO=4&transport=websocket",
            headers={
                "Origin": origin,
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
            },
        )
        status = conn.getresponse().status
        conn.close()
        return status

    assert handshake(base_url) == 101
    assert handshake("http://evil.example") != 101


def test_html_in_faq_answers_is_shown_as_text(page):
    from o2portal.content.models import FaqEntry
    from o2portal.core.db import transaction

    with transaction() as session:
        entry = FaqEntry(
            topic="Test",
            question="Question piégée zzqx",
            answer='<img src=x onerror="window.__pwned=1"> <b>gras</b> [lien](javascript:alert(1))',
        )
        session.add(entry)
    page.goto("/faq")
    page.locator("#faq-search").fill("zzqx")
    page.get_by_text("Question piégée zzqx").click()
    answer = page.locator("#faq-list")
    expect(answer).to_contain_text("<b>gras</b>")
    assert answer.locator("img").count() == 0
    assert answer.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("window.__pwned === undefined")


def _hydration(message: str) -> bool:
    """React's hydration errors (minified in production: #418, #419, #423, #425)."""
    return re.search(r"ydrat|error #(418|419|423|425)", message) is not None


def test_the_customer_shell_stays_on_screen_from_page_to_page(new_context):
    """The customer's header and side bar are drawn once around their pages
    (layout.customer_shell_wraps): from the dashboard to the list, a product and the FAQ,
    they are the same elements, not drawn again. A staff page and a visitor's page show
    none of them, only their own layout."""
    page = new_context().new_page()
    broken: list[str] = []  # React's hydration errors: the HTML said another thing
    page.on("console", lambda m: broken.append(m.text) if _hydration(m.text) else None)
    page.on("pageerror", lambda e: broken.append(str(e)) if _hydration(str(e)) else None)
    log_in(page, "client@o2portal.example")
    wait_signed_in(page)
    page.evaluate("document.querySelector('.o2-header').dataset.kept = 'yes'")
    page.locator(".o2-sidebar a[href='/services']").click()
    expect(page.locator("#services-total")).to_be_visible()
    page.locator("main a[href^='/services/']").first.click()
    expect(page).to_have_url(re.compile(r"/services/\d+$"))
    expect(page.get_by_text("Date d'expiration:")).to_be_visible()
    product = page.url
    page.locator(".o2-sidebar a[href='/faq']").click()
    expect(page.get_by_role("heading", name="Questions fréquentes")).to_be_visible()
    expect(page.locator(".o2-header")).to_have_count(1)
    expect(page.locator(".o2-sidebar")).to_have_count(1)
    assert page.evaluate("document.querySelector('.o2-header').dataset.kept") == "yes"
    # A product's page loaded anew: its HTML is the fallback without a shell; the shell
    # comes once the page is in the browser, without a hydration error.
    page.goto(product)
    expect(page.get_by_text("Date d'expiration:")).to_be_visible()
    expect(page.locator(".o2-sidebar")).to_have_count(1)
    assert broken == []

    page.locator("#logout").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto("/faq")  # a visitor's FAQ: the visitor's header, no side bar
    expect(page.get_by_role("heading", name="Questions fréquentes")).to_be_visible()
    expect(page.locator(".o2-header")).to_have_count(1)
    expect(page.locator(".o2-sidebar")).to_have_count(0)

    staff = new_context().new_page()
    log_in(staff, "admin@o2portal.example", next_path="/admin")
    expect(staff).to_have_url(re.compile(r"/admin"))
    staff.locator("#o2-hydrated").wait_for(state="attached")
    expect(staff.locator(".o2-header")).to_have_count(1)  # the staff's own
    expect(staff.locator(".o2-staff-page")).to_have_count(1)
    expect(staff.locator(".o2-sidebar a[href='/services']")).to_have_count(0)
    # A staff page with an id, loaded anew (the fallback HTML): no customer shell, ever.
    with read_session() as session:
        client = session.exec(
            select(Customer).where(Customer.email == "client@o2portal.example")
        ).one()
    staff.on("console", lambda m: broken.append(m.text) if _hydration(m.text) else None)
    staff.on("pageerror", lambda e: broken.append(str(e)) if _hydration(str(e)) else None)
    staff.goto(f"/admin/customers/{client.id}")
    staff.locator("#o2-hydrated").wait_for(state="attached")
    expect(staff.locator(".o2-staff-page")).to_have_count(1)
    expect(staff.locator(".o2-sidebar a[href='/services']")).to_have_count(0)
    assert broken == []
