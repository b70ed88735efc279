"""Support tickets in a real browser: code and logs that read well, a staff reply that
arrives live, hostile Markdown shown as text, closing and reopening."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.core.db import read_session
from o2portal.core.settings import get_settings
from o2portal.support.models import Ticket, TicketAttachment, TicketMessage
from tests.e2e.conftest import FRESH_PASSWORD, eventually, fresh_customer, log_in, wait_signed_in

CODE = """Le formulaire plante :

```python
def send_contact(name: str) -> None:
    raise RuntimeError("SMTP refusé")
```
"""
LOG = "[29-Nov-2026 10:02:11 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function\n"


def open_ticket(page: Page, subject: str, body: str, log_file: Path | None = None) -> int:
    page.goto("/tickets/new")
    wait_signed_in(page)
    page.locator("#subject").fill(subject)
    page.locator("#department").select_option("technique")
    page.locator("#body").fill(body)
    if log_file is not None:
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name=re.compile("Joindre")).click()
        chooser.value.set_files(str(log_file))
        expect(page.locator(".o2-staged-file")).to_contain_text(log_file.name)
    page.locator("#send").click()
    page.wait_for_url(re.compile(r"/tickets/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def test_code_and_log_then_a_live_staff_reply_and_the_emails(new_context, smtp, tmp_path):
    customer = new_context().new_page()
    log_in(customer, "client@o2portal.example", next_path="/tickets")
    wait_signed_in(customer)
    log_file = tmp_path / "error_log"
    log_file.write_text(LOG)
    ticket_id = open_ticket(customer, "Formulaire en erreur 500", CODE, log_file)

    thread = customer.locator("#thread")
    expect(thread).to_contain_text("send_contact")
    # Highlighted: the code is split in coloured tokens, with a copy button beside it.
    block = thread.locator("pre").first
    expect(block.locator("span[style*='color']").first).to_be_visible()
    expect(thread.get_by_role("button", name="Copy code")).to_be_visible()
    link = thread.get_by_role("link", name=re.compile("error_log"))
    expect(link).to_be_visible()

    with read_session() as session:
        ticket = session.get(Ticket, ticket_id)
        attachment = session.exec(
            select(TicketAttachment).order_by(TicketAttachment.id.desc())
        ).first()
    assert ticket.subject == "Formulaire en erreur 500" and ticket.status == "open"
    stored = Path(get_settings().data_dir) / attachment.storage_path
    assert stored.read_text() == LOG and "assets" not in stored.parts
    assert link.get_attribute("href") == f"/files/attachments/{attachment.id}"
    # The file itself, through the guarded route, with the customer's own cookie.
    response = customer.request.get(f"/files/attachments/{attachment.id}")
    assert response.status == 200 and response.text() == LOG
    assert response.headers["content-type"].startswith("text/plain")

    support_mail = smtp.wait_for(lambda m: f"[Ticket #{ticket_id}]" in m["Subject"])
    assert support_mail["To"] == get_settings().support_email
    assert "send_contact" in smtp.text_of(support_mail)

    staff = new_context().new_page()
    log_in(staff, "support@o2portal.example", next_path=f"/admin/tickets/{ticket_id}")
    expect(staff.locator("#thread")).to_contain_text("send_contact")
    staff.locator("#body").fill("Bonjour, l'adresse d'expédition doit être **sur votre domaine**.")
    staff.locator("#send").click()
    expect(staff.locator("#thread")).to_contain_text("sur votre domaine")

    # The customer's page was not reloaded: the reply and the new status come by themselves.
    expect(customer.locator("#thread")).to_contain_text("sur votre domaine", timeout=15_000)
    expect(customer.locator("#ticket-status")).to_contain_text("Répondu")
    expect(customer.locator("#thread strong", has_text="sur votre domaine")).to_be_visible()

    reply_mail = smtp.wait_for(
        lambda m: m["To"] == "client@o2portal.example" and f"#{ticket_id}]" in m["Subject"]
    )
    text = smtp.text_of(reply_mail)
    assert "sur votre domaine" in text and f"/tickets/{ticket_id}" in text

    # And the other way: the customer answers, the staff page shows it without reload.
    customer.locator("#body").fill("Merci, c'est corrigé.")
    customer.locator("#send").click()
    expect(customer.locator("#thread")).to_contain_text("c'est corrigé")
    expect(staff.locator("#thread")).to_contain_text("c'est corrigé", timeout=15_000)


def test_hostile_markdown_is_shown_as_text(page: Page):
    log_in(page, fresh_customer("markdown"), FRESH_PASSWORD, next_path="/tickets")
    wait_signed_in(page)
    body = (
        "Essai\n\n"
        "<script>window.__pwned = 1</script>\n\n"
        'Une image <img src="x" onerror="window.__pwned = 2"> ici\n\n'
        "[clique](javascript:window.__pwned=3) et <b>gras brut</b>\n"
    )
    page.goto("/tickets/new")
    page.locator("#subject").fill("Test de contenu")
    page.locator("#body").fill(body)
    page.locator("#new-ticket-files-preview").click()
    expect(page.locator("#preview")).to_contain_text("Essai")
    page.locator("#send").click()
    page.wait_for_url(re.compile(r"/tickets/\d+$"))

    thread = page.locator("#thread")
    expect(thread).to_contain_text("Essai")
    expect(thread).to_contain_text("<b>gras brut</b>")
    assert thread.locator("img").count() == 0
    assert thread.locator("script").count() == 0
    assert thread.locator("b", has_text="gras brut").count() == 0
    for href in thread.locator("a").evaluate_all("links => links.map(a => a.href)"):
        assert not href.lower().startswith("javascript:"), href
    links = thread.get_by_role("link", name="clique")
    if links.count():
        links.first.click()
    assert page.evaluate("() => window.__pwned") is None


def _routing(ticket_id: int) -> tuple[str, str]:
    with read_session() as session:
        ticket = session.get(Ticket, ticket_id)
        return ticket.department, ticket.priority


def test_internal_note_stays_with_staff_and_close_reopen(new_context):
    customer = new_context().new_page()
    log_in(customer, fresh_customer("facturation"), FRESH_PASSWORD, next_path="/tickets")
    wait_signed_in(customer)
    ticket_id = open_ticket(customer, "Question de facturation", "Ma facture est-elle payée ?")

    staff = new_context().new_page()
    log_in(staff, "support@o2portal.example", next_path="/admin/tickets")
    expect(staff.locator("#queue-table")).to_contain_text("Question de facturation")
    # Who wrote last, and for how long the ticket has waited for the team.
    row = staff.locator("#queue-table tr", has_text="Question de facturation")
    expect(row.locator("td[data-label='Dernière réponse de']")).to_contain_text("Camille")
    expect(row.locator("td[data-label='Attend depuis']")).to_have_text(re.compile(r"^\d+ min$"))
    staff.goto(f"/admin/tickets/{ticket_id}")
    expect(staff.locator("#thread")).to_contain_text("Ma facture")
    # Routed to billing, urgent: saved at once.
    staff.locator("#route-department").select_option("facturation")
    staff.locator("#route-priority").select_option("urgente")
    assert eventually(lambda: _routing(ticket_id) == ("facturation", "urgente"))
    staff.reload()
    expect(staff.locator("#route-priority")).to_have_value("urgente")
    staff.locator("#internal-note").click()
    staff.locator("#body").fill("Note interne : vérifier le virement reçu hier.")
    staff.locator("#send").click()
    expect(staff.locator("#thread")).to_contain_text("vérifier le virement")
    with read_session() as session:
        note = session.exec(
            select(TicketMessage)
            .where(TicketMessage.ticket_id == ticket_id)
            .order_by(TicketMessage.id.desc())
        ).first()
    assert note.is_internal

    customer.reload()
    expect(customer.locator("#thread")).to_contain_text("Ma facture")
    expect(customer.locator("#thread")).not_to_contain_text("vérifier le virement")
    expect(customer.locator("#ticket-status")).to_contain_text("Ouvert")

    customer.locator("#close-ticket").click()
    expect(customer.locator("#ticket-status")).to_contain_text("Fermé")
    expect(customer.locator("#reopen")).to_be_visible()
    customer.locator("#reopen").click()
    expect(customer.locator("#ticket-status")).to_contain_text("Ouvert")
    expect(customer.locator("#body")).to_be_visible()
    customer.goto("/tickets")
    expect(customer.locator("#tickets-table")).to_contain_text("Question de facturation")


def test_a_long_thread_opens_on_its_latest_messages_and_pages_back(page: Page):
    from datetime import timedelta

    from sqlalchemy import insert

    from o2portal.core import clock
    from o2portal.core.db import transaction
    from o2portal.support.thread import THREAD_PAGE

    email = fresh_customer("fil-long")
    log_in(page, email, FRESH_PASSWORD)
    wait_signed_in(page)
    ticket_id = open_ticket(page, "Un très long échange", "message 0")
    with read_session() as session:
        author = session.exec(select(Ticket).where(Ticket.id == ticket_id)).one().customer_id
    start = clock.now()
    with transaction() as session:
        session.execute(
            insert(TicketMessage),
            [
                {
                    "ticket_id": ticket_id,
                    "author_id": author,
                    "is_staff": False,
                    "is_internal": False,
                    "body": f"message {n}",
                    "created_at": start + timedelta(seconds=n),
                }
                for n in range(1, 2 * THREAD_PAGE + 5)
            ],
        )
    page.reload()
    thread = page.locator("#thread")
    expect(thread.locator(".o2-message")).to_have_count(THREAD_PAGE)
    expect(thread).to_contain_text(f"message {2 * THREAD_PAGE + 4}")
    expect(thread).not_to_contain_text("message 0")
    page.locator("#show-earlier").click()
    expect(thread.locator(".o2-message")).to_have_count(2 * THREAD_PAGE)
    page.locator("#show-earlier").click()
    expect(thread.locator(".o2-message")).to_have_count(2 * THREAD_PAGE + 5)
    expect(page.locator("#show-earlier")).to_have_count(0)
    expect(thread.locator(".o2-message").first).to_contain_text("message 0")


def test_a_reply_sent_at_once_leaves_the_field_empty(page: Page):
    """Send clicked within the field's debounce (300 ms) of the last key: the typed text
    reaches the server after the reply emptied the field, and must not fill it again."""
    log_in(page, fresh_customer("fastsend"), FRESH_PASSWORD, next_path="/tickets")
    wait_signed_in(page)
    ticket_id = open_ticket(page, "Envoi rapide", "Premier message.")
    page.goto(f"/tickets/{ticket_id}")
    wait_signed_in(page)
    expect(page.locator("#thread")).to_contain_text("Premier message.")
    page.locator("#body").fill("Réponse envoyée aussitôt tapée")
    page.locator("#send").click()  # at once: the field's own report is still on its way
    expect(page.locator("#thread")).to_contain_text("Réponse envoyée aussitôt tapée")
    page.wait_for_timeout(1500)  # past the debounce and its round trip
    expect(page.locator("#body")).to_have_value("")
    # Typing goes on as usual afterwards.
    page.locator("#body").fill("Autre chose")
    page.wait_for_timeout(800)
    expect(page.locator("#body")).to_have_value("Autre chose")
