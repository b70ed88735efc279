"""Support tickets: opening one (validation, idempotence, attachments, the mail to
support), who may see and do what, the status lifecycle, the staff's queue, the
auto-close job and the thread's version. Real database, real files, real SMTP."""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent, Setting
from o2portal.core.settings import get_settings
from o2portal.mail import outbox as mailer
from o2portal.products.models import Product
from o2portal.support.attachments import (
    ATTACHMENT_MAX_BYTES,
    NewAttachment,
    attachment_for,
    check_attachment,
    clean_filename,
)
from o2portal.support.models import Ticket, TicketAttachment, TicketMessage
from o2portal.support.queue import (
    add_staff_reply,
    assign,
    close_by_staff,
    route,
    staff_queue,
    staff_thread,
)
from o2portal.support.thread import BODY_MAX, Window, thread_version
from o2portal.support.tickets import (
    SUBJECT_MAX,
    add_customer_reply,
    close_by_customer,
    close_stale_tickets,
    customer_thread,
    customer_tickets,
    open_ticket,
    product_choices,
    reopen_by_customer,
)
from tests.smtp_server import SmtpSink
from tests.unit.helpers import (
    actor,
    count,
    get_customer,
    make_customer,
    make_staff,
    outbox,
    rows,
    statements_run,
    update_customer,
)

ALICE = "alice.durand@example.com"
BOB = "bob.martin@example.com"
STAFF = "sophie.leroy@o2portal.example"
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)  # in the past: mails queued then are due


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture
def alice(db):
    return make_customer(email=ALICE, first_name="Alice", last_name="Durand")


@pytest.fixture
def bob(db):
    return make_customer(email=BOB, first_name="Bob", last_name="Martin")


@pytest.fixture
def staff(db):
    person = make_customer(email=STAFF, first_name="Sophie", last_name="Leroy")
    make_staff(person.id, "support")
    return get_customer(person.id)


def add_product(customer_id: int, name: str) -> int:
    with transaction() as session:
        product = Product(
            customer_id=customer_id,
            kind="domain",
            name=name,
            offer_code="fr",
            status="active",
            start_date=clock.today() - timedelta(days=100),
            expiry_date=clock.today() + timedelta(days=200),
        )
        session.add(product)
        session.flush()
        return product.id


def new_ticket(customer_id: int, **overrides) -> int:
    values = {
        "subject": "Mon site affiche une erreur 500",
        "department": "technique",
        "priority": "haute",
        "product_id": None,
        "body": "Depuis ce matin, la page d'accueil renvoie une erreur 500.",
    }
    values.update(overrides)
    return open_ticket(customer_id, **values)


def ticket_row(ticket_id: int) -> Ticket:
    with read_session() as session:
        return session.get(Ticket, ticket_id)


def messages_of(ticket_id: int) -> list[TicketMessage]:
    with read_session() as session:
        return list(
            session.exec(
                select(TicketMessage)
                .where(TicketMessage.ticket_id == ticket_id)
                .order_by(TicketMessage.id)
            ).all()
        )


def attachments_of(message_id: int) -> list[TicketAttachment]:
    with read_session() as session:
        return list(
            session.exec(
                select(TicketAttachment)
                .where(TicketAttachment.message_id == message_id)
                .order_by(TicketAttachment.id)
            ).all()
        )


def audit_actions(target_id: int) -> list[str]:
    with read_session() as session:
        return [
            e.action
            for e in session.exec(
                select(AuditEvent)
                .where(AuditEvent.target_type == "ticket", AuditEvent.target_id == target_id)
                .order_by(AuditEvent.id)
            ).all()
        ]


def data_dir() -> Path:
    return Path(get_settings().data_dir).resolve()


def stored_files() -> list[Path]:
    root = data_dir() / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def tiny_png() -> bytes:
    """A real 1×1 PNG: the signature, then IHDR (whose length field holds NUL bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


LOG = b"[30-Nov-2026 10:00:00 UTC] PHP Fatal error: Uncaught Error in /home/site/index.php:12\n"


# ---------------------------------------------------------------- check_attachment


def test_check_attachment_accepts_a_log_and_an_extensionless_error_log():
    log = check_attachment("php_errors.log", LOG)
    assert (log.filename, log.content, log.size) == ("php_errors.log", LOG, len(LOG))
    plain = check_attachment("error_log", LOG)
    assert plain.filename == "error_log"
    # A rotated log ("error_log.1") and a Windows-1252 text are text too.
    assert check_attachment("error_log.1", LOG).filename == "error_log.1"
    assert check_attachment("notes.txt", "Réglé à 10h".encode("cp1252")).size == 11


@pytest.mark.parametrize(
    ("filename", "content", "error"),
    [
        ("app.log", b"line one\x00line two\n", "error.attachment_type"),
        ("capture.txt", tiny_png(), "error.attachment_type"),
        ("capture.png", b"not really an image\n", "error.attachment_type"),
        ("setup.exe", b"MZ text only, still an executable name\n", "error.attachment_type"),
        ("backup.tar.gz", b"text\n", "error.attachment_type"),
        ("big.log", b"a" * (ATTACHMENT_MAX_BYTES + 1), "error.attachment_too_big"),
        ("empty.log", b"", "error.attachment_empty"),
        ("../../", b"text\n", "error.attachment_name"),
        (None, b"text\n", "error.attachment_name"),
    ],
)
def test_check_attachment_refuses(filename, content, error):
    with pytest.raises(InvalidInput) as caught:
        check_attachment(filename, content)
    assert caught.value.errors == {"attachments": error}


def test_check_attachment_accepts_exactly_one_mebibyte():
    assert check_attachment("big.log", b"a" * ATTACHMENT_MAX_BYTES).size == ATTACHMENT_MAX_BYTES


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("/var/log/apache2/error.log", "error.log"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("C:\\Users\\jean\\Desktop\\config.php", "config.php"),
        ("evil\x00name\n.log", "evilname.log"),
    ],
)
def test_clean_filename_keeps_only_the_files_own_name(raw, clean):
    assert clean_filename(raw) == clean
    assert check_attachment(raw, b"root:x:0:0\n").filename == clean


def test_clean_filename_shortens_a_long_name_but_keeps_its_extension():
    name = clean_filename("a" * 300 + ".log")
    assert len(name) == 120
    assert name.endswith(".log")


# ---------------------------------------------------------------- open_ticket: validation


@pytest.mark.parametrize(
    ("overrides", "key", "error"),
    [
        ({"subject": ""}, "subject", "error.required"),
        ({"subject": " \t\n "}, "subject", "error.required"),
        ({"subject": "x" * (SUBJECT_MAX + 1)}, "subject", "error.too_long"),
        ({"department": "direction"}, "department", "error.choose_one"),
        ({"department": None}, "department", "error.choose_one"),
        ({"priority": "critique"}, "priority", "error.choose_one"),
        ({"body": ""}, "body", "error.required"),
        ({"body": "   \n\r\n  "}, "body", "error.required"),
        ({"body": "x" * (BODY_MAX + 1)}, "body", "error.too_long"),
        ({"product_id": 999_999}, "product_id", "error.not_your_product"),
        (
            {"attachments": [NewAttachment("a.log", b"x\n")] * 4},
            "attachments",
            "error.attachment_count",
        ),
        (
            {"attachments": [NewAttachment("virus.exe", b"x\n")]},
            "attachments",
            "error.attachment_type",
        ),
    ],
)
def test_open_ticket_refuses_bad_input_and_saves_nothing(alice, overrides, key, error):
    with pytest.raises(InvalidInput) as caught:
        new_ticket(alice.id, **overrides)
    assert caught.value.errors == {key: error}
    assert count(Ticket) == 0
    assert count(TicketMessage) == 0
    assert outbox("ticket_new") == []
    assert stored_files() == []


def test_open_ticket_refuses_the_product_of_another_customer(alice, bob):
    bobs = add_product(bob.id, "bob-shop.fr")
    with pytest.raises(InvalidInput) as caught:
        new_ticket(alice.id, product_id=bobs, attachments=[NewAttachment("error_log", LOG)])
    assert caught.value.errors == {"product_id": "error.not_your_product"}
    assert count(Ticket) == 0
    assert count(TicketAttachment) == 0
    assert stored_files() == []


def test_open_ticket_reports_every_bad_field_at_once(alice):
    with pytest.raises(InvalidInput) as caught:
        new_ticket(alice.id, subject="", department="x", priority="y", body="")
    assert caught.value.errors == {
        "subject": "error.required",
        "department": "error.choose_one",
        "priority": "error.choose_one",
        "body": "error.required",
    }
    assert count(Ticket) == 0


def test_open_ticket_accepts_the_limits(alice):
    ticket_id = new_ticket(alice.id, subject="s" * SUBJECT_MAX, body="b" * BODY_MAX, priority=None)
    ticket = ticket_row(ticket_id)
    assert len(ticket.subject) == SUBJECT_MAX
    assert ticket.priority == "normale"  # no priority given: the default
    assert len(messages_of(ticket_id)[0].body) == BODY_MAX


def test_open_ticket_refuses_an_unknown_customer(db):
    with pytest.raises(NotAllowed):
        new_ticket(424242)
    assert count(Ticket) == 0


# ---------------------------------------------------------------- open_ticket: success


def test_open_ticket_stores_the_ticket_and_tells_support(alice):
    product = add_product(alice.id, "alice-blog.fr")
    with clock.frozen_at(T0):
        ticket_id = new_ticket(
            alice.id,
            subject="  Erreur\r\n500  ",
            product_id=product,
            body="Bonjour,\r\nle site est en panne.\r\n\r\n",
            ip="192.0.2.44",
        )
    ticket = ticket_row(ticket_id)
    assert ticket.customer_id == alice.id
    assert ticket.status == "open"
    assert ticket.subject == "Erreur  500"  # control characters become spaces
    assert (ticket.department, ticket.priority, ticket.product_id) == (
        "technique",
        "haute",
        product,
    )
    assert ticket.created_at == ticket.updated_at == T0
    assert ticket.closed_at is None and ticket.assigned_to_id is None

    [message] = messages_of(ticket_id)
    assert message.author_id == alice.id
    assert message.body == "Bonjour,\nle site est en panne."
    assert (message.is_staff, message.is_internal) == (False, False)

    [mail] = outbox("ticket_new")
    assert mail.to_addr == get_settings().support_email
    assert mail.subject == f"[Ticket #{ticket_id}] Erreur  500"
    assert "le site est en panne." in mail.body_text
    assert ALICE in mail.body_text
    assert f"/admin/tickets/{ticket_id}" in mail.body_text

    with read_session() as session:
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "ticket.opened"))
    assert (event.actor_id, event.target_type, event.target_id) == (alice.id, "ticket", ticket_id)
    assert event.ip == "192.0.2.44"

    view = customer_thread(alice.id, ticket_id)
    assert view.product_name == "alice-blog.fr"
    assert view.customer_email == ALICE
    assert [m.body for m in view.messages] == ["Bonjour,\nle site est en panne."]


def test_the_same_submit_key_twice_gives_one_ticket(alice):
    first = new_ticket(alice.id, submit_key="form-key-1")
    again = new_ticket(alice.id, submit_key="form-key-1")
    assert again == first
    assert count(Ticket) == 1
    assert count(TicketMessage) == 1
    assert len(outbox("ticket_new")) == 1
    # Another key is another ticket.
    assert new_ticket(alice.id, submit_key="form-key-2") != first
    assert count(Ticket) == 2


def test_a_submit_key_of_another_customer_does_not_give_their_ticket(alice, bob):
    new_ticket(alice.id, submit_key="shared-key")
    with pytest.raises(NotAllowed):
        new_ticket(bob.id, submit_key="shared-key")
    assert count(Ticket) == 1


# ---------------------------------------------------------------- attachments stored


def test_an_attachment_is_stored_privately_with_its_bytes_and_hash(alice):
    ticket_id = new_ticket(
        alice.id,
        attachments=[
            check_attachment("../../etc/error_log", LOG),
            check_attachment("wp-config.php", b"<?php define('WP_DEBUG', true);\n"),
        ],
    )
    [message] = messages_of(ticket_id)
    first, second = attachments_of(message.id)
    assert first.filename == "error_log"
    assert first.size_bytes == len(LOG)
    assert first.sha256 == hashlib.sha256(LOG).hexdigest()
    assert first.content_type == "text/plain"

    path = (data_dir() / first.storage_path).resolve()
    assert path.is_relative_to(data_dir())
    assert "assets" not in Path(first.storage_path).parts
    assert "error_log" not in first.storage_path  # the customer's name is not the file's
    assert path.read_bytes() == LOG
    assert (data_dir() / second.storage_path).read_bytes() == b"<?php define('WP_DEBUG', true);\n"
    assert len(stored_files()) == 2

    # The file is reachable by its owner, with its clean name.
    assert attachment_for(alice.id, first.id) == (path, "error_log")
    names = [a.filename for a in customer_thread(alice.id, ticket_id).messages[0].attachments]
    assert names == ["error_log", "wp-config.php"]
    # The mail to support names the files.
    assert "error_log, wp-config.php" in outbox("ticket_new")[0].body_text


def test_three_attachments_are_accepted(alice):
    files = [NewAttachment(f"part{i}.log", f"line {i}\n".encode()) for i in range(3)]
    ticket_id = new_ticket(alice.id, attachments=files)
    assert len(attachments_of(messages_of(ticket_id)[0].id)) == 3


def test_a_reply_with_four_attachments_is_refused(alice):
    ticket_id = new_ticket(alice.id)
    files = [NewAttachment(f"part{i}.log", b"x\n") for i in range(4)]
    with pytest.raises(InvalidInput) as caught:
        add_customer_reply(alice.id, ticket_id, "Voici les journaux", files)
    assert caught.value.errors == {"attachments": "error.attachment_count"}
    assert len(messages_of(ticket_id)) == 1
    assert count(TicketAttachment) == 0


def test_attachment_for_checks_who_asks(alice, bob, staff):
    ticket_id = new_ticket(alice.id, attachments=[NewAttachment("error_log", LOG)])
    [public] = attachments_of(messages_of(ticket_id)[0].id)
    path, name = attachment_for(alice.id, public.id)
    assert path.read_bytes() == LOG and name == "error_log"
    assert attachment_for(staff.id, public.id)[0] == path
    with pytest.raises(NotAllowed):
        attachment_for(bob.id, public.id)
    with pytest.raises(NotAllowed):
        attachment_for(alice.id, 999_999)
    with pytest.raises(NotAllowed):
        attachment_for(999_999, public.id)

    note_id = add_staff_reply(
        actor(staff.id),
        ticket_id,
        "Trace complète du serveur, à ne pas montrer",
        [NewAttachment("server.log", b"internal trace\n")],
        internal=True,
    )
    [internal] = attachments_of(note_id)
    with pytest.raises(NotAllowed):
        attachment_for(alice.id, internal.id)
    assert attachment_for(staff.id, internal.id)[0].read_bytes() == b"internal trace\n"


def test_attachment_for_refuses_a_file_that_is_gone(alice, staff):
    ticket_id = new_ticket(alice.id, attachments=[NewAttachment("error_log", LOG)])
    [attachment] = attachments_of(messages_of(ticket_id)[0].id)
    (data_dir() / attachment.storage_path).unlink()
    with pytest.raises(NotAllowed):
        attachment_for(staff.id, attachment.id)


def test_attachment_for_refuses_a_disabled_staff_member(alice, staff):
    ticket_id = new_ticket(alice.id, attachments=[NewAttachment("error_log", LOG)])
    [attachment] = attachments_of(messages_of(ticket_id)[0].id)
    update_customer(staff.id, disabled_at=clock.now())
    with pytest.raises(NotAllowed):  # every staff function refuses a disabled member…
        staff_thread(actor(staff.id), ticket_id)
    # …and so does the attachment download (it once checked only the role).
    with pytest.raises(NotAllowed):
        attachment_for(staff.id, attachment.id)


# ---------------------------------------------------------------- another customer's ticket


def test_another_customers_ticket_is_out_of_reach(alice, bob):
    ticket_id = new_ticket(alice.id)
    with pytest.raises(NotAllowed):
        customer_thread(bob.id, ticket_id)
    with pytest.raises(NotAllowed):
        add_customer_reply(bob.id, ticket_id, "Je réponds à la place d'Alice")
    with pytest.raises(NotAllowed):
        close_by_customer(bob.id, ticket_id)
    assert ticket_row(ticket_id).status == "open"
    assert len(messages_of(ticket_id)) == 1

    close_by_customer(alice.id, ticket_id)
    with pytest.raises(NotAllowed):
        reopen_by_customer(bob.id, ticket_id)
    assert ticket_row(ticket_id).status == "closed"


def test_a_ticket_that_does_not_exist_is_not_allowed_either(alice):
    for call in (
        lambda: customer_thread(alice.id, 999_999),
        lambda: add_customer_reply(alice.id, 999_999, "Bonjour"),
        lambda: close_by_customer(alice.id, 999_999),
        lambda: reopen_by_customer(alice.id, 999_999),
    ):
        with pytest.raises(NotAllowed):
            call()


def test_a_submit_key_used_on_another_ticket_is_refused(alice):
    first = new_ticket(alice.id)
    second = new_ticket(alice.id, subject="Autre sujet")
    add_customer_reply(alice.id, first, "Précision", submit_key="reply-key")
    with pytest.raises(NotAllowed):
        add_customer_reply(alice.id, second, "Précision", submit_key="reply-key")
    assert len(messages_of(second)) == 1


# ---------------------------------------------------------------- staff only


STAFF_CALLS = {
    "staff_queue": lambda person, ticket: staff_queue(actor(person)),
    "staff_thread": lambda person, ticket: staff_thread(actor(person), ticket),
    "add_staff_reply": lambda person, ticket: add_staff_reply(actor(person), ticket, "Réponse"),
    "internal_note": lambda person, ticket: add_staff_reply(
        actor(person), ticket, "Note", internal=True
    ),
    "assign": lambda person, ticket: assign(actor(person), ticket, person),
    "close_by_staff": lambda person, ticket: close_by_staff(actor(person), ticket),
}


@pytest.mark.parametrize("name", list(STAFF_CALLS))
def test_staff_functions_refuse_a_plain_customer(alice, name):
    ticket_id = new_ticket(alice.id)
    with pytest.raises(NotAllowed):
        STAFF_CALLS[name](alice.id, ticket_id)
    ticket = ticket_row(ticket_id)
    assert (ticket.status, ticket.assigned_to_id) == ("open", None)
    assert len(messages_of(ticket_id)) == 1
    assert outbox("ticket_reply") == []


def test_staff_functions_refuse_a_disabled_staff_member(alice, staff):
    ticket_id = new_ticket(alice.id)
    update_customer(staff.id, disabled_at=clock.now())
    for call in STAFF_CALLS.values():
        with pytest.raises(NotAllowed):
            call(staff.id, ticket_id)
    assert len(messages_of(ticket_id)) == 1


def test_staff_functions_refuse_a_ticket_that_does_not_exist(staff):
    for name in ("staff_thread", "add_staff_reply", "assign", "close_by_staff"):
        with pytest.raises(NotAllowed):
            STAFF_CALLS[name](staff.id, 999_999)


def test_an_admin_is_staff_too(alice, staff):
    update_customer(staff.id, role="admin")
    ticket_id = new_ticket(alice.id)
    assert staff_thread(actor(staff.id), ticket_id).ticket.id == ticket_id


def test_assign_only_to_an_active_staff_member(alice, staff):
    ticket_id = new_ticket(alice.id)
    with pytest.raises(InvalidInput) as caught:
        assign(actor(staff.id), ticket_id, alice.id)
    assert caught.value.errors == {"assignee": "error.choose_one"}
    assert ticket_row(ticket_id).assigned_to_id is None

    assign(actor(staff.id), ticket_id, staff.id)
    assert ticket_row(ticket_id).assigned_to_id == staff.id
    assert staff_thread(actor(staff.id), ticket_id).assigned_name == "Sophie Leroy"
    assign(actor(staff.id), ticket_id, None)
    assert ticket_row(ticket_id).assigned_to_id is None
    assert audit_actions(ticket_id).count("ticket.assigned") == 2


# ---------------------------------------------------------------- replies and statuses


def test_a_staff_reply_answers_and_mails_the_customer(alice, staff, smtp_sink: SmtpSink):
    with clock.frozen_at(T0):
        ticket_id = new_ticket(alice.id)
    message_id = add_staff_reply(actor(staff.id), ticket_id, "Le cache est vidé, réessayez.")
    ticket = ticket_row(ticket_id)
    assert ticket.status == "answered"
    assert ticket.updated_at > T0  # the reply is news
    assert ticket.assigned_to_id == staff.id  # whoever answers first takes it
    assert "ticket.answered" in audit_actions(ticket_id)

    [mail] = outbox("ticket_reply")
    assert mail.to_addr == ALICE and mail.customer_id == alice.id
    assert "Le cache est vidé, réessayez." in mail.body_text
    assert "Nous attendons votre retour" not in mail.body_text

    mailer.deliver_pending()
    received = smtp_sink.wait_for(
        lambda m: m["To"] == ALICE and "Réponse du support" in m["Subject"]
    )
    text = SmtpSink.text_of(received)
    assert "Le cache est vidé, réessayez." in text
    link = get_settings().base_url.rstrip("/") + f"/tickets/{ticket_id}"
    assert link in text
    assert f"[Ticket #{ticket_id}]" in received["Subject"]

    [reply] = [m for m in customer_thread(alice.id, ticket_id).messages if m.id == message_id]
    assert reply.is_staff and reply.author_name == "Sophie — Support"


def test_a_staff_reply_awaiting_the_customer(alice, staff):
    ticket_id = new_ticket(alice.id)
    add_staff_reply(actor(staff.id), ticket_id, "Quel est le nom de la page ?", await_customer=True)
    assert ticket_row(ticket_id).status == "awaiting_customer"
    [mail] = outbox("ticket_reply")
    assert "Quel est le nom de la page ?" in mail.body_text
    assert "Nous attendons votre retour" in mail.body_text
    assert f"/tickets/{ticket_id}" in mail.body_text


def test_an_internal_note_changes_nothing_the_customer_sees(alice, staff):
    with clock.frozen_at(T0):
        ticket_id = new_ticket(alice.id)
    with clock.frozen_at(T0 + timedelta(hours=1)):
        note_id = add_staff_reply(
            actor(staff.id), ticket_id, "NOTE INTERNE : client déjà remboursé", internal=True
        )
    ticket = ticket_row(ticket_id)
    assert ticket.status == "open"
    assert ticket.updated_at == T0
    assert ticket.assigned_to_id is None
    assert outbox("ticket_reply") == []
    assert "ticket.answered" not in audit_actions(ticket_id)

    customer_view = customer_thread(alice.id, ticket_id)
    assert note_id not in [m.id for m in customer_view.messages]
    assert all("NOTE INTERNE" not in m.body for m in customer_view.messages)
    assert not any(m.is_internal for m in customer_view.messages)

    staff_view = staff_thread(actor(staff.id), ticket_id)
    [note] = [m for m in staff_view.messages if m.id == note_id]
    assert note.is_internal and note.body == "NOTE INTERNE : client déjà remboursé"


def test_customer_thread_never_shows_an_internal_note_among_replies(alice, staff):
    ticket_id = new_ticket(alice.id)
    add_staff_reply(actor(staff.id), ticket_id, "Réponse visible")
    add_staff_reply(
        actor(staff.id),
        ticket_id,
        "Secret",
        [NewAttachment("secret.log", b"secret\n")],
        internal=True,
    )
    add_customer_reply(alice.id, ticket_id, "Merci")
    view = customer_thread(alice.id, ticket_id)
    assert [m.body for m in view.messages] == [
        "Depuis ce matin, la page d'accueil renvoie une erreur 500.",
        "Réponse visible",
        "Merci",
    ]
    assert all(not m.attachments for m in view.messages)
    assert len(staff_thread(actor(staff.id), ticket_id).messages) == 4


def test_a_customer_reply_opens_the_ticket_again(alice, staff):
    ticket_id = new_ticket(alice.id)
    add_staff_reply(actor(staff.id), ticket_id, "Pouvez-vous préciser ?", await_customer=True)
    with clock.frozen_at(T0 + timedelta(days=30)):
        message_id = add_customer_reply(alice.id, ticket_id, "  Voici la précision.\r\n")
    ticket = ticket_row(ticket_id)
    assert ticket.status == "open"
    assert ticket.updated_at == T0 + timedelta(days=30)
    last = messages_of(ticket_id)[-1]
    assert (last.id, last.body, last.is_staff) == (message_id, "  Voici la précision.", False)


def test_a_customer_reply_with_the_same_key_is_stored_once(alice):
    ticket_id = new_ticket(alice.id)
    first = add_customer_reply(alice.id, ticket_id, "Une fois", submit_key="k-1")
    assert add_customer_reply(alice.id, ticket_id, "Une fois", submit_key="k-1") == first
    assert len(messages_of(ticket_id)) == 2


def test_an_empty_customer_reply_is_refused(alice):
    ticket_id = new_ticket(alice.id)
    with pytest.raises(InvalidInput) as caught:
        add_customer_reply(alice.id, ticket_id, " \n ")
    assert caught.value.errors == {"body": "error.required"}
    assert len(messages_of(ticket_id)) == 1


def test_a_closed_ticket_takes_a_reply_only_after_reopening(alice):
    ticket_id = new_ticket(alice.id)
    with clock.frozen_at(T0):
        close_by_customer(alice.id, ticket_id, ip="192.0.2.1")
    ticket = ticket_row(ticket_id)
    assert (ticket.status, ticket.closed_at) == ("closed", T0)

    with pytest.raises(InvalidInput) as caught:
        add_customer_reply(alice.id, ticket_id, "Finalement, ça recommence")
    assert caught.value.errors == {"body": "error.ticket_closed"}
    assert len(messages_of(ticket_id)) == 1

    reopen_by_customer(alice.id, ticket_id)
    ticket = ticket_row(ticket_id)
    assert (ticket.status, ticket.closed_at) == ("open", None)
    add_customer_reply(alice.id, ticket_id, "Finalement, ça recommence")
    assert messages_of(ticket_id)[-1].body == "Finalement, ça recommence"
    assert ticket_row(ticket_id).status == "open"
    assert audit_actions(ticket_id) == ["ticket.opened", "ticket.closed", "ticket.reopened"]


def test_closing_twice_and_reopening_an_open_ticket_change_nothing(alice):
    ticket_id = new_ticket(alice.id)
    reopen_by_customer(alice.id, ticket_id)
    assert audit_actions(ticket_id) == ["ticket.opened"]
    with clock.frozen_at(T0):
        close_by_customer(alice.id, ticket_id)
    with clock.frozen_at(T0 + timedelta(days=1)):
        close_by_customer(alice.id, ticket_id)
    assert ticket_row(ticket_id).closed_at == T0
    assert audit_actions(ticket_id) == ["ticket.opened", "ticket.closed"]


def test_close_by_staff_closes(alice, staff):
    ticket_id = new_ticket(alice.id)
    close_by_staff(actor(staff.id), ticket_id)
    assert ticket_row(ticket_id).status == "closed"
    with read_session() as session:
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "ticket.closed"))
    assert (event.actor_id, event.customer_id) == (staff.id, alice.id)


# ---------------------------------------------------------------- the auto-close job


def test_close_stale_tickets_closes_what_waits_for_the_customer_too_long(alice, staff):
    with clock.frozen_at(T0):
        stale = new_ticket(alice.id, subject="Ancien")
        add_staff_reply(actor(staff.id), stale, "Il nous faut votre IP.", await_customer=True)
        answered = new_ticket(alice.id, subject="Répondu")
        add_staff_reply(actor(staff.id), answered, "C'est réglé.")
    with clock.frozen_at(T0 + timedelta(days=2)):
        recent = new_ticket(alice.id, subject="Récent")
        add_staff_reply(actor(staff.id), recent, "Il nous faut votre IP.", await_customer=True)

    run_at = T0 + timedelta(days=7, hours=1)
    with clock.frozen_at(run_at):
        assert close_stale_tickets() == 1

    ticket = ticket_row(stale)
    assert (ticket.status, ticket.closed_at) == ("closed", run_at)
    assert ticket_row(answered).status == "answered"
    assert ticket_row(recent).status == "awaiting_customer"

    [mail] = outbox("ticket_closed")
    assert mail.to_addr == ALICE and mail.customer_id == alice.id
    assert f"/tickets/{stale}" in mail.body_text
    assert "Ancien" in mail.subject
    assert audit_actions(stale)[-1] == "ticket.closed"

    # A second run finds nothing more to do.
    with clock.frozen_at(run_at + timedelta(minutes=5)):
        assert close_stale_tickets() == 0
    assert len(outbox("ticket_closed")) == 1
    assert audit_actions(stale).count("ticket.closed") == 1

    # The recent one's turn comes seven days after its own reply.
    assert close_stale_tickets(now=T0 + timedelta(days=9, hours=1)) == 1
    assert ticket_row(recent).status == "closed"
    assert len(outbox("ticket_closed")) == 2


def test_a_customer_reply_saves_a_ticket_from_the_auto_close(alice, staff):
    with clock.frozen_at(T0):
        ticket_id = new_ticket(alice.id)
        add_staff_reply(actor(staff.id), ticket_id, "Votre IP ?", await_customer=True)
    with clock.frozen_at(T0 + timedelta(days=6)):
        add_customer_reply(alice.id, ticket_id, "203.0.113.9")
    assert close_stale_tickets(now=T0 + timedelta(days=30)) == 0
    assert ticket_row(ticket_id).status == "open"
    assert outbox("ticket_closed") == []


@pytest.mark.parametrize(("setting", "closes_after_3_days"), [(2, True), (0, False), ("x", False)])
def test_the_auto_close_delay_is_a_setting(alice, staff, setting, closes_after_3_days):
    with transaction() as session:
        session.add(Setting(key="ticket_autoclose_days", value_json=json.dumps(setting)))
    with clock.frozen_at(T0):
        ticket_id = new_ticket(alice.id)
        add_staff_reply(actor(staff.id), ticket_id, "Votre IP ?", await_customer=True)
    closed = close_stale_tickets(now=T0 + timedelta(days=3))
    assert closed == (1 if closes_after_3_days else 0)
    # An invalid value falls back to 7 days.
    if not closes_after_3_days:
        assert close_stale_tickets(now=T0 + timedelta(days=7, minutes=1)) == 1


# ---------------------------------------------------------------- the customer's lists


def test_customer_tickets_lists_own_open_then_closed_newest_news_first(alice, bob, staff):
    with clock.frozen_at(T0):
        older = new_ticket(alice.id, subject="older")
    with clock.frozen_at(T0 + timedelta(hours=1)):
        newer = new_ticket(alice.id, subject="newer")
        new_ticket(bob.id, subject="bob's")
    with clock.frozen_at(T0 + timedelta(hours=2)):
        add_staff_reply(actor(staff.id), older, "Réponse")  # news: comes back on top
    with clock.frozen_at(T0 + timedelta(hours=3)):
        closed = new_ticket(alice.id, subject="closed")
        close_by_customer(alice.id, closed)

    page = customer_tickets(alice.id)
    assert [t.id for t in page.rows] == [older, newer]
    assert (page.total, page.pages) == (2, 1)
    assert [t.id for t in customer_tickets(alice.id, closed=True).rows] == [closed]
    second = customer_tickets(alice.id, page=2, page_size=1)
    assert [t.id for t in second.rows] == [newer] and second.pages == 2


def test_product_choices_are_the_customers_own(alice, bob):
    mine = add_product(alice.id, "alice-blog.fr")
    add_product(bob.id, "bob-shop.fr")
    assert [p.id for p in product_choices(alice.id)] == [mine]


# ---------------------------------------------------------------- the staff's queue


@pytest.fixture
def queue(alice, staff):
    """t1 technique open, t2 facturation open, t3 technique answered (assigned to the
    staff member by the reply), t4 commercial closed, t5 technique open and assigned."""
    ids = {}
    for minute, (name, department) in enumerate(
        [("t1", "technique"), ("t2", "facturation"), ("t3", "technique"), ("t4", "commercial")]
    ):
        with clock.frozen_at(T0 + timedelta(minutes=minute)):
            ids[name] = new_ticket(alice.id, subject=name, department=department)
    with clock.frozen_at(T0 + timedelta(minutes=10)):
        add_staff_reply(actor(staff.id), ids["t3"], "Réponse")
    with clock.frozen_at(T0 + timedelta(minutes=11)):
        close_by_customer(alice.id, ids["t4"])
    with clock.frozen_at(T0 + timedelta(minutes=12)):
        ids["t5"] = new_ticket(alice.id, subject="t5", department="technique")
        assign(actor(staff.id), ids["t5"], staff.id)
    return ids


def queue_names(page) -> set[str]:
    return {t.subject for t in page.rows}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"t1", "t2", "t3", "t5"}),
        ({"status": "open"}, {"t1", "t2", "t5"}),
        ({"status": "answered"}, {"t3"}),
        ({"status": "awaiting_customer"}, set()),
        ({"status": "closed"}, {"t4"}),
        ({"status": "all"}, {"t1", "t2", "t3", "t4", "t5"}),
        ({"status": "nonsense"}, {"t1", "t2", "t3", "t5"}),
        ({"department": "technique"}, {"t1", "t3", "t5"}),
        ({"department": "commercial"}, set()),
        ({"department": "commercial", "status": "all"}, {"t4"}),
        ({"assigned": "me"}, {"t3", "t5"}),
        ({"assigned": "none"}, {"t1", "t2"}),
        ({"department": "technique", "assigned": "none"}, {"t1"}),
    ],
)
def test_staff_queue_filters(queue, staff, filters, expected):
    page = staff_queue(actor(staff.id), **filters)
    assert queue_names(page) == expected
    assert page.total == len(expected)


def test_staff_queue_assigned_me_is_per_staff_member(queue, staff):
    other = make_customer(email="marc@o2portal.example", first_name="Marc", last_name="Petit")
    update_customer(other.id, role="admin")
    assert staff_queue(actor(other.id), assigned="me").total == 0
    assert staff_queue(actor(other.id)).total == 4


def test_staff_queue_paginates_open_work_first_oldest_first(queue, staff, alice):
    first = staff_queue(actor(staff.id), page_size=2)
    second = staff_queue(actor(staff.id), page=2, page_size=2)
    assert (first.total, first.pages, first.page) == (4, 2, 1)
    assert [t.subject for t in first.rows] == ["t1", "t2"]
    assert [t.subject for t in second.rows] == ["t5", "t3"]  # open before answered
    assert first.names[alice.id] == "Alice Durand"
    assert second.names[staff.id] == "Sophie Leroy"

    past_the_end = staff_queue(actor(staff.id), page=99, page_size=2)
    assert past_the_end.page == 2
    assert [t.id for t in past_the_end.rows] == [t.id for t in second.rows]
    assert staff_queue(actor(staff.id), page=0, page_size=2).page == 1

    everything = staff_queue(actor(staff.id), status="all", page_size=3)
    assert everything.pages == 2
    newest_first = (
        everything.rows + staff_queue(actor(staff.id), status="all", page=2, page_size=3).rows
    )
    assert [t.subject for t in newest_first] == ["t5", "t4", "t3", "t2", "t1"]


def test_staff_queue_says_who_wrote_last_and_since_when(queue, staff, alice):
    page = staff_queue(actor(staff.id), status="all")
    last = {t.subject: page.last[t.id] for t in page.rows}
    # t3: the staff's reply; the others: the customer's opening message.
    assert last["t3"] == (staff.id, T0 + timedelta(minutes=10))
    assert last["t1"] == (alice.id, T0)
    assert last["t5"][0] == alice.id
    assert page.names[staff.id] == "Sophie Leroy" and page.names[alice.id] == "Alice Durand"
    # An internal note is not a reply: t1's last reply stays the customer's.
    with clock.frozen_at(T0 + timedelta(minutes=20)):
        add_staff_reply(actor(staff.id), queue["t1"], "Note", internal=True)
    page = staff_queue(actor(staff.id), status="all")
    assert {t.subject: page.last[t.id] for t in page.rows}["t1"] == (alice.id, T0)


def test_staff_queue_of_nothing_has_one_empty_page(staff):
    page = staff_queue(actor(staff.id))
    assert (page.rows, page.total, page.page, page.pages) == ([], 0, 1, 1)


# ---------------------------------------------------------------- thread_version


def test_thread_version_follows_messages_and_status(alice, staff):
    ticket_id = new_ticket(alice.id)
    public = thread_version(ticket_id, with_internal=False)
    private = thread_version(ticket_id, with_internal=True)
    assert public == private

    add_staff_reply(actor(staff.id), ticket_id, "Note", internal=True)
    assert thread_version(ticket_id, with_internal=False) == public
    assert thread_version(ticket_id, with_internal=True) != private

    seen = {public, thread_version(ticket_id, with_internal=True)}
    add_customer_reply(alice.id, ticket_id, "Du nouveau")  # a message, status stays "open"
    assert ticket_row(ticket_id).status == "open"
    after_message = thread_version(ticket_id, with_internal=False)
    assert after_message not in seen
    seen.add(after_message)

    close_by_customer(alice.id, ticket_id)  # a status, no message
    after_close = thread_version(ticket_id, with_internal=False)
    assert after_close not in seen
    seen.add(after_close)

    reopen_by_customer(alice.id, ticket_id)  # a live page that saw "closed" sees news
    assert thread_version(ticket_id, with_internal=False) != after_close


def test_thread_version_changes_for_a_message_committed_after_a_later_one(alice):
    """Two writers at once on PostgreSQL: the message whose id came first may commit
    last, under the last id a page has already seen. The version still changes."""
    ticket_id = new_ticket(alice.id)
    with read_session() as session:
        first = session.exec(
            select(TicketMessage).where(TicketMessage.ticket_id == ticket_id)
        ).one()
        opened_at = first.created_at

    def add(offset: int, body: str) -> None:
        with transaction() as session:
            session.add(
                TicketMessage(
                    id=first.id + offset,
                    ticket_id=ticket_id,
                    author_id=alice.id,
                    body=body,
                    created_at=opened_at,
                )
            )

    add(10, "committed first")
    seen = thread_version(ticket_id, with_internal=False)
    add(5, "committed last")
    assert thread_version(ticket_id, with_internal=False) != seen


def test_thread_version_of_a_missing_ticket_is_stable(db):
    assert thread_version(999_999, with_internal=True) == "0:0:"


# ---------------------------------------------------------------- data left on disk


def test_rows_and_files_agree(alice, staff):
    ticket_id = new_ticket(alice.id, attachments=[NewAttachment("a.log", b"a\n")])
    add_staff_reply(actor(staff.id), ticket_id, "Vu", [NewAttachment("b.txt", b"b\n")])
    stored = {(data_dir() / a.storage_path).resolve() for a in rows(TicketAttachment)}
    assert stored == {p.resolve() for p in stored_files()}
    assert all(p.parent.name == str(ticket_id) for p in stored)


def test_binary_content_without_nul_bytes_is_still_refused():
    # Windows-1252 decodes nearly any byte string: the control characters give it away.
    binary = bytes(range(1, 32)) * 10 + b"\xff\xfe\x81"
    with pytest.raises(InvalidInput) as caught:
        check_attachment("dump.log", binary)
    assert caught.value.errors == {"attachments": "error.attachment_type"}
    coloured = "\x1b[31mERROR\x1b[0m disque plein\n\tdétail\f".encode()
    assert check_attachment("build.log", coloured).content == coloured


def test_staff_route_a_ticket_to_another_department_and_priority(alice, staff):
    ticket_id = new_ticket(alice.id, subject="Facture", department="technique")
    route(actor(staff.id), ticket_id, department="facturation", priority="urgente")
    with read_session() as session:
        ticket = session.get(Ticket, ticket_id)
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "ticket.routed")).one()
    assert (ticket.department, ticket.priority) == ("facturation", "urgente")
    assert json.loads(event.details_json)["before"] == {
        "department": "technique",
        "priority": "haute",
    }
    for bad in ({"department": "marketing"}, {"priority": "vite"}):
        with pytest.raises(InvalidInput):
            route(actor(staff.id), ticket_id, **bad)
    with pytest.raises(NotAllowed):
        route(actor(alice.id), ticket_id, priority="basse")
    with read_session() as session:
        assert session.get(Ticket, ticket_id).priority == "urgente"


def test_a_reply_takes_the_callers_row_for_its_author_only_when_it_is_theirs(alice, bob, staff):
    """The page passes the row its session has just read (`caller`): the author when it
    is the replying customer's own; another's row never writes in their name."""
    ticket_id = new_ticket(alice.id)
    add_customer_reply(alice.id, ticket_id, "Avec ma ligne", caller=get_customer(alice.id))
    add_customer_reply(alice.id, ticket_id, "Avec celle d'un autre", caller=staff)
    with pytest.raises(NotAllowed):
        add_customer_reply(bob.id, ticket_id, "Pas mon ticket", caller=get_customer(alice.id))
    replies = [m for m in messages_of(ticket_id) if m.body.startswith("Avec")]
    assert [(m.author_id, m.is_staff) for m in replies] == [(alice.id, False), (alice.id, False)]


def test_the_customers_own_row_names_them_in_their_thread_without_reading_it_again(
    alice, bob, staff
):
    """The page passes the row its session has just read (`caller`): the thread names the
    customer from it, and reads only the other people's rows (staff who answered); a row
    that is not the customer's own is never taken for theirs."""
    ticket_id = new_ticket(alice.id)
    add_staff_reply(actor(staff.id), ticket_id, "Nous regardons.")
    add_customer_reply(alice.id, ticket_id, "Merci !")
    alice_row, bob_row = get_customer(alice.id), get_customer(bob.id)
    with statements_run("SELECT customer.") as read_people:
        with_row = customer_thread(alice.id, ticket_id, caller=alice_row)
    with statements_run("SELECT customer.") as none_read:
        alone = customer_thread(alice.id, ticket_id, Window(since_id=10**9), caller=alice_row)
    with statements_run("SELECT customer.") as other_read:
        other = customer_thread(alice.id, ticket_id, caller=bob_row)
    assert [m.author_name for m in with_row.messages] == [
        "Alice Durand",
        "Sophie — Support",
        "Alice Durand",
    ]
    assert with_row.customer_name == "Alice Durand"
    assert len(read_people) == 1  # the staff member's row only
    assert none_read == [] and alone.customer_name == "Alice Durand"
    assert len(other_read) == 1  # Bob's row is not Alice's: hers is read
    assert [m.author_name for m in other.messages] == [m.author_name for m in with_row.messages]
