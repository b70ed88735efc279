"""The staff's support tools in a real browser: an admin writes a canned reply and an
escalation rule; support pins a note to a customer, opens a ticket for them, finds the
note on the ticket, inserts the canned reply filled in for the customer and sends it;
the queue finds the ticket by a word of it; an overdue ticket shows escalated; support
never sees the admins' page."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.mail.models import OutboxEmail
from o2portal.support import escalation, tickets
from o2portal.support.models import Ticket, TicketMessage
from tests.e2e.conftest import eventually, fresh_customer, log_in


def _customer(email: str) -> Customer:
    with read_session() as session:
        return session.exec(select(Customer).where(Customer.email == email)).one()


def _mails(kind: str, to: str) -> list[OutboxEmail]:
    with read_session() as session:
        return list(
            session.exec(
                select(OutboxEmail).where(OutboxEmail.kind == kind, OutboxEmail.to_addr == to)
            ).all()
        )


def test_an_admin_keeps_canned_replies_and_escalation_rules(page: Page):
    log_in(page, "admin@o2portal.example", next_path="/admin/support")
    page.locator("#canned-new").click()
    page.locator("#canned-title").fill("Vider le cache e2e")
    page.locator("#canned-body").fill("Bonjour ${prenom}, videz le cache ${navigateur}.")
    page.locator("#canned-save").click()
    expect(page.locator("#body-error")).to_contain_text("variable inconnue")
    page.locator("#canned-body").fill(
        "Bonjour ${prenom}, videz le cache de votre navigateur (ticket #${ticket}). ${agent}"
    )
    page.locator("#canned-save").click()
    expect(page.locator("#canned-saved")).to_be_visible()
    expect(page.locator("#canned-table")).to_contain_text("Vider le cache e2e")

    page.locator("#rule-department").select_option("commercial")
    page.locator("#rule-priority").select_option("basse")
    page.locator("#hours").fill("beaucoup")
    page.locator("#rule-add").click()
    expect(page.locator("#hours-error")).to_contain_text("nombre")
    page.locator("#hours").fill("0,5")
    page.locator("#rule-add").click()
    row = page.locator("#rules-table tr", has_text="Commercial")
    expect(row).to_contain_text("Basse")
    expect(row).to_contain_text("0 h 30")
    page.locator("#rule-add").click()  # the same rule again
    expect(page.locator("#rule_priority-error")).to_contain_text("existe déjà")


def test_support_notes_a_customer_opens_a_ticket_and_answers_with_a_canned_reply(page: Page):
    email = fresh_customer("support-tools")
    customer = _customer(email)
    log_in(page, "admin@o2portal.example", next_path="/admin/support")
    if page.locator("#canned-table").get_by_text("Bienvenue e2e").count() == 0:
        page.locator("#canned-new").click()
        page.locator("#canned-title").fill("Bienvenue e2e")
        page.locator("#canned-body").fill("Bonjour ${prenom} ${nom}, ici ${agent}.")
        page.locator("#canned-save").click()
        expect(page.locator("#canned-saved")).to_be_visible()
    page.context.clear_cookies()

    log_in(page, "support@o2portal.example", next_path=f"/admin/customers/{customer.id}")
    page.locator("#note-add").click()
    expect(page.locator("#note-error")).to_be_visible()
    page.locator("#note").fill("Préfère être appelé le matin.")
    page.locator("#note-add").click()
    expect(page.locator("#customer-notes")).to_contain_text("Préfère être appelé le matin.")

    page.locator("#open-ticket").click()
    page.locator("#subject").fill("Votre site envoie du spam")
    page.locator("#ticket-priority").select_option("haute")
    page.locator("#ticket-send").click()
    expect(page.locator("#body-error")).to_be_visible()
    page.locator("#ticket-body").fill("Nous avons bloqué l'envoi de courriels de votre site.")
    page.locator("#ticket-send").click()
    page.wait_for_url(re.compile(r"/admin/tickets/\d+$"))
    ticket_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#ticket-notes")).to_contain_text("Préfère être appelé le matin.")
    with read_session() as session:
        ticket = session.get(Ticket, ticket_id)
    assert ticket.customer_id == customer.id and ticket.status == "awaiting_customer"
    assert eventually(lambda: _mails("ticket_opened_for_you", email))

    page.locator("#canned-insert").select_option(label="Bienvenue e2e")
    expect(page.locator("#body")).to_have_value(
        f"Bonjour {customer.first_name} {customer.last_name}, ici Thomas."
    )
    page.locator("#send").click()
    expect(page.locator("#thread")).to_contain_text(f"Bonjour {customer.first_name}")
    with read_session() as session:
        sent = session.exec(
            select(TicketMessage)
            .where(TicketMessage.ticket_id == ticket_id)
            .order_by(col(TicketMessage.id))
        ).all()
    assert len(sent) == 2 and sent[1].body.startswith(f"Bonjour {customer.first_name}")

    page.goto(page.url.split("/admin/")[0] + "/admin/tickets")
    page.locator("#queue-status").select_option("all")
    page.locator("#queue-search").fill("envoie du spam")
    page.locator("#queue-search-go").click()
    expect(page.locator("#queue-table").get_by_role("link")).to_have_count(1)
    expect(page.locator("#queue-table")).to_contain_text("Votre site envoie du spam")


def test_an_overdue_ticket_shows_escalated_in_the_queue(page: Page):
    email = fresh_customer("escalade")
    customer = _customer(email)
    ticket_id = tickets.open_ticket(
        customer.id,
        subject="Serveur injoignable escalade",
        department="technique",
        priority="urgente",
        product_id=None,
        body="Plus rien ne répond.",
    )
    log_in(page, "admin@o2portal.example", next_path="/admin/support")
    if page.locator("#rules-table").get_by_text("Urgente").count() == 0:
        page.locator("#rule-priority").select_option("urgente")
        page.locator("#hours").fill("0,5")
        page.locator("#rule-add").click()
        expect(page.locator("#rules-table")).to_contain_text("Urgente")
    assert escalation.escalate_tickets(clock.now() + timedelta(hours=3)) >= 1
    with read_session() as session:
        assert session.get(Ticket, ticket_id).escalated_at is not None
    page.goto(page.url.split("/admin/")[0] + "/admin/tickets")
    page.locator("#queue-assigned").select_option("escalated")
    row = page.locator("#queue-table tr", has_text="Serveur injoignable escalade")
    expect(row).to_contain_text("Escaladé")
    assert _mails("ticket_escalated", "admin@o2portal.example")


def test_support_does_not_see_the_admins_page(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin/support")
    expect(page.locator("#admins-only")).to_be_visible()
    expect(page.locator("#canned-new")).to_have_count(0)
    expect(page.locator("#admin-nav").get_by_text("Réponses types et escalade")).to_have_count(0)
