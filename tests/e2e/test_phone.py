"""The customer pages on a phone (390 px): no page scrolls sideways, and the first row of
each list shows its primary action on the screen, where a finger reaches it and it works."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Locator, Page, expect

from o2portal.billing.orders import CartItem, checkout
from o2portal.billing.payments import PaymentChoice
from o2portal.support.tickets import open_ticket
from tests.e2e.conftest import DEMO_PASSWORD, FRESH_PASSWORD, customer_with_domain, log_in

WIDTH = 390
PHONE = {"viewport": {"width": WIDTH, "height": 844}, "is_mobile": True, "has_touch": True}


def phone_customer(name: str) -> dict[str, int | str]:
    """A new customer with something in every list: a domain expiring in 10 days, an
    unpaid order form (bank transfer) and an open ticket about the domain."""
    email, customer_id, product_id = customer_with_domain(name, days_left=10)
    order = checkout(
        customer_id=customer_id,
        items=[CartItem("domain", domain=f"{name}-{customer_id}-bis.fr", action="register")],
        promo_code="",
        choice=PaymentChoice("transfer"),
        key=f"e2e-phone-{customer_id}",
        terms_accepted=True,
        withdrawal_waived=True,
    )
    ticket_id = open_ticket(
        customer_id,
        subject="Mon site ne répond plus depuis ce matin, que se passe-t-il ?",
        department="technique",
        priority=None,
        product_id=product_id,
        body="Bonjour, la page d'accueil affiche une erreur.",
    )
    return {"email": email, "product": product_id, "order": order.order_id, "ticket": ticket_id}


def signed_in(page: Page) -> None:
    """The shell knows who is there (the name itself is hidden on a phone)."""
    expect(page.locator("#who")).to_have_text(re.compile(r"\S"))


def on_phone(new_context, email: str, path: str, password: str = FRESH_PASSWORD) -> Page:
    page = new_context(**PHONE).new_page()
    log_in(page, email, password, next_path=path)
    page.wait_for_url(re.compile(re.escape(path) + r"/?$"))
    signed_in(page)
    return page


def fits(page: Page) -> None:
    """Nothing on the page is wider than the screen: it does not scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, (page.url, width)


def on_screen(locator: Locator, what: str) -> None:
    """Across the screen's width, before anything is scrolled sideways."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None, what
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (what, box)


def card_on_screen(row: Locator, what: str) -> None:
    """Every value of a list's row (name, status, expiry…) within the screen's width."""
    cells = row.locator("th, td")
    assert cells.count() > 0, what
    for i in range(cells.count()):
        if cells.nth(i).is_visible():
            on_screen(cells.nth(i), f"{what}, cell {i}")


def reachable(page: Page, locator: Locator, what: str) -> None:
    """On the screen and not covered: brought into view vertically only, the point at the
    centre of its first box (a link may take two lines) is the element or inside it."""
    on_screen(locator, what)
    locator.evaluate("e => e.scrollIntoView({block: 'center', inline: 'nearest'})")
    on_screen(locator, what)
    # Asked again for up to 5 s: a passing overlay (a toast, the socket's reconnection
    # notice on a slow machine) or a late reflow is not a layout that covers the control.
    deadline = time.monotonic() + 5
    while True:
        hit = locator.evaluate(
            """e => { const r = e.getClientRects()[0];
                      const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                      return at !== null && (e === at || e.contains(at)); }"""
        )
        if hit or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
        # The page may have grown above it meanwhile (a banner drawn late): into view again.
        locator.evaluate("e => e.scrollIntoView({block: 'center', inline: 'nearest'})")
    assert hit, f"{what}: covered by something else"


def first_row(page: Page, table_id: str) -> Locator:
    row = page.locator(f"#{table_id} tbody tr").first
    expect(row).to_be_visible()
    return row


def test_dashboard_renew_and_pay_on_a_phone(new_context):
    who = phone_customer("tel-accueil")
    page = on_phone(new_context, who["email"], "/")
    row = first_row(page, "expiring-table")
    expect(row).to_contain_text("tel-accueil-")
    card_on_screen(row, "expiring product")
    fits(page)
    renew = row.get_by_role("button", name="Renouveler")
    reachable(page, renew, "Renouveler")
    unpaid = first_row(page, "unpaid-table")
    card_on_screen(unpaid, "unpaid order form")
    reachable(page, page.locator(f"#dash-pay-{who['order']}"), "Régler")
    renew.click()
    page.wait_for_url(re.compile(rf"/services/{who['product']}$"))
    expect(page.locator("#renew")).to_be_visible()
    fits(page)


def test_services_list_and_a_product_on_a_phone(new_context):
    who = phone_customer("tel-comptes")
    page = on_phone(new_context, who["email"], "/services")
    row = first_row(page, "services-table")
    card_on_screen(row, "product")
    expect(row).to_contain_text("jours")  # the time left shows with the expiry
    # Each value carries its column's title, which the card shows above it, in French
    # or in English.
    kind = row.locator("td").first
    expect(kind).to_have_attribute("data-label", "Type")
    fits(page)
    page.locator("#lang-switch").click()
    expect(kind).to_have_attribute("data-label", "Kind")
    expect(row.locator("td[data-label=Expiry]")).to_be_visible()
    fits(page)
    page.locator("#lang-switch").click()
    expect(kind).to_have_attribute("data-label", "Type")
    reachable(page, row.get_by_role("link").first, "the product's name")
    # The card's primary action: Renouveler opens the product at its renewal form.
    renew = row.get_by_role("button", name="Renouveler")
    reachable(page, renew, "Renouveler")
    renew.click()
    page.wait_for_url(re.compile(rf"/services/{who['product']}#renew$"))
    expect(page.locator("#product-name")).to_be_visible()
    expect(page.locator("#renew-form-submit")).to_be_visible()
    reachable(page, page.locator("#renew-form-submit"), "the renewal's button")
    fits(page)


def test_invoices_pay_and_pdf_on_a_phone(new_context):
    who = phone_customer("tel-factures")
    page = on_phone(new_context, who["email"], "/invoices")
    row = first_row(page, "orders-table")
    card_on_screen(row, "order form")
    fits(page)
    pay = page.locator(f"#pay-{who['order']}")
    reachable(page, pay, "Payer")
    pay.click()
    expect(page.locator("#pay-form")).to_be_visible()
    fits(page)

    # The demo customer's invoices (read only): the first one's PDF.
    client = on_phone(new_context, "client@o2portal.example", "/invoices", password=DEMO_PASSWORD)
    invoice = first_row(client, "invoices-table")
    card_on_screen(invoice, "invoice")
    pdf = invoice.locator(".o2-pdf-link")
    reachable(client, pdf, "PDF")
    fits(client)
    with client.expect_download() as download:
        pdf.click()
    assert download.value.suggested_filename.endswith(".pdf")
    answer = client.context.request.get(pdf.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"


def test_order_page_and_its_history_on_a_phone(new_context):
    who = phone_customer("tel-commande")
    page = on_phone(new_context, who["email"], "/order")
    fits(page)
    choose = page.locator("#tier-grow")
    reachable(page, choose, "an offer's button")
    choose.click()
    expect(choose).to_have_text(re.compile("Choisi"))
    row = first_row(page, "order-history")
    card_on_screen(row, "order")
    pay = row.locator(f"#history-pay-{who['order']}")
    reachable(page, pay, "the order form's Régler")
    fits(page)
    pay.click()
    page.wait_for_url(re.compile(rf"/invoices\?pay={who['order']}$"))
    expect(page.locator("#pay-form")).to_be_visible()


def test_tickets_and_a_ticket_on_a_phone(new_context):
    who = phone_customer("tel-tickets")
    page = on_phone(new_context, who["email"], "/tickets")
    row = first_row(page, "tickets-table")
    card_on_screen(row, "ticket")
    fits(page)
    subject = row.get_by_role("link")
    reachable(page, subject, "the ticket's subject")
    subject.click()
    page.wait_for_url(re.compile(rf"/tickets/{who['ticket']}$"))
    expect(page.locator("#send")).to_be_visible()
    reachable(page, page.locator("#send"), "Envoyer")
    fits(page)


def test_faq_questions_start_on_the_left_and_chevrons_line_up_on_a_phone(new_context):
    who = phone_customer("tel-faq")
    page = on_phone(new_context, who["email"], "/")
    page.goto("/faq")
    signed_in(page)
    triggers = page.locator("#faq-list .AccordionTrigger")
    expect(triggers.first).to_be_visible()
    fits(page)
    chevron_x = set()
    for i in range(min(6, triggers.count())):
        trigger = triggers.nth(i)
        on_screen(trigger, f"question {i}")
        box = trigger.bounding_box()
        question = trigger.locator("> :first-child").bounding_box()
        chevron = trigger.locator(".AccordionChevron").bounding_box()
        # The question starts at the left of its line, the chevron ends at the right.
        assert question["x"] - box["x"] <= 24, (i, box, question)
        assert box["x"] + box["width"] - (chevron["x"] + chevron["width"]) <= 24, (i, chevron)
        chevron_x.add(round(chevron["x"]))
        align = trigger.locator("p").first.evaluate("e => getComputedStyle(e).textAlign")
        assert align in ("start", "left"), (i, align)
    assert len(chevron_x) == 1, chevron_x
    first = triggers.first
    reachable(page, first, "the first question")
    first.click()
    expect(page.locator("#faq-list [data-state=open]").first).to_be_visible()
    fits(page)


def test_profile_tabs_on_a_phone(new_context):
    who = phone_customer("tel-fiche")
    page = on_phone(new_context, who["email"], "/profile")
    page.locator("#o2-hydrated").wait_for(state="attached")
    for tab in ("details", "security", "data"):
        page.locator(f"#tab-{tab}").click()
        page.wait_for_timeout(300)
        fits(page)
    page.locator("#tab-security").click()
    sign_in = first_row(page, "sign-ins")
    card_on_screen(sign_in, "sign-in")
    page.locator("#tab-details").click()
    edit = page.locator("#details-edit")
    reachable(page, edit, "Modifier")
    edit.click()
    expect(page.locator("#phone")).to_be_visible()
    fits(page)
