"""Invisible characters that change how text is shown never reach staff or customers: a
right-to-left override makes "rapport<RLO>fdp.php" show as "rapportphp.pdf". Bidi
embeddings, overrides and isolates and zero-width characters are taken out of ticket
subjects and file names; bidi controls out of message bodies."""

from __future__ import annotations

from sqlmodel import select

from o2portal.core.db import read_session
from o2portal.support import tickets
from o2portal.support.attachments import NewAttachment, clean_filename
from o2portal.support.models import Ticket, TicketAttachment, TicketMessage
from tests.unit.test_orders_rules import person

RLO, LRI, PDI, ZWSP, ZWJ, BOM = "\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff"


def test_a_file_name_loses_its_bidi_and_zero_width_characters():
    assert clean_filename(f"rapport{RLO}fdp.php") == "rapportfdp.php"
    assert clean_filename(f"{BOM}fac{ZWSP}ture{LRI}.txt{PDI}") == "facture.txt"


def test_a_ticket_keeps_no_spoofing_character(db):
    customer = person("spoof@example.fr")
    ticket_id = tickets.open_ticket(
        customer,
        subject=f"Facture {RLO}gpj.exe{ZWSP}",
        department="technique",
        priority="normale",
        product_id=None,
        body=f"Voir le fichier{RLO} joint.{LRI}x{PDI}",
        attachments=[NewAttachment(filename=f"rapport{RLO}fdp.log", content=b"ok\n")],
    )
    with read_session() as session:
        ticket = session.get(Ticket, ticket_id)
        message = session.exec(
            select(TicketMessage).where(TicketMessage.ticket_id == ticket_id)
        ).one()
        files = session.exec(
            select(TicketAttachment).where(TicketAttachment.message_id == message.id)
        ).all()
    assert ticket.subject == "Facture gpj.exe"
    assert message.body == "Voir le fichier joint.x"
    assert [f.filename for f in files] == ["rapportfdp.log"]


def test_an_emoji_sequence_keeps_its_joiner_in_a_body(db):
    """Only bidi controls leave a body: a zero-width joiner binds emoji sequences."""
    customer = person("emoji@example.fr")
    family = f"\U0001f468{ZWJ}\U0001f469{ZWJ}\U0001f467"
    ticket_id = tickets.open_ticket(
        customer,
        subject="Merci",
        department="technique",
        priority="normale",
        product_id=None,
        body=f"Merci {family}",
    )
    with read_session() as session:
        message = session.exec(
            select(TicketMessage).where(TicketMessage.ticket_id == ticket_id)
        ).one()
    assert message.body == f"Merci {family}"
