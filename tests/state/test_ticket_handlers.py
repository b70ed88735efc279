"""Support-ticket handlers called as the browser would by name, with another customer's
ticket or product: refused, nothing written, nothing mailed, nothing of theirs shown.
Internal notes reach staff only; staff handlers refuse customers (and log it); a message
is posted once however often the form is sent; Markdown is never rendered as raw HTML."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from datetime import timedelta

import pytest
import reflex as rx
from reflex.compiler import compiler
from reflex_base.components.memo import MEMOS
from sqlalchemy import text
from sqlmodel import SQLModel, func, select

from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.models import AuditEvent
from o2portal.mail import outbox as mailer
from o2portal.mail.models import OutboxEmail
from o2portal.products.models import Product
from o2portal.support import attachments, queue, thread, tickets
from o2portal.support.models import Ticket, TicketAttachment, TicketMessage
from o2portal.web.components.markdown import safe_markdown
from o2portal.web.customer.tickets.state import NewTicketState, TicketsState, TicketState
from o2portal.web.guards import Forbidden
from o2portal.web.pages import page_at
from o2portal.web.session import SessionState
from o2portal.web.staff.tickets.state import AdminTicketsState, AdminTicketState
from o2portal.web.thread import LATE_ECHO_SECONDS, FileRow
from tests.state.conftest import make_state, run
from tests.unit.helpers import actor

BOB_SUBJECT = "Bob-private-subject: mot de passe FTP perdu"
BOB_BODY = "Bob-private-body: mon mot de passe FTP est Tr0ub4dor&3"
BOB_PRODUCT = "bob-private-shop.fr"
NOTE_BODY = "Staff-only-note: client déjà remboursé deux fois, ne pas céder"
NOTE_FILE = "staff-only-diagnostic.log"
NOTE_FILE_CONTENT = b"staff-only-attachment-content\n"
# Tables every request may touch without it being a change of data (session last seen).
VOLATILE_TABLES = {"user_session"}


# ---------------------------------------------------------------- helpers


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


def open_for(customer_id: int, **overrides) -> int:
    values = {
        "subject": "Mon site affiche une erreur 500",
        "department": "technique",
        "priority": "haute",
        "product_id": None,
        "body": "Depuis ce matin, la page d'accueil renvoie une erreur 500.",
    }
    values.update(overrides)
    return tickets.open_ticket(customer_id, **values)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (but the session rows a request may stamp)."""
    with read_session() as session:
        return {
            table.name: [
                tuple(row) for row in session.exec(text(f'SELECT * FROM "{table.name}"')).all()
            ]
            for table in SQLModel.metadata.sorted_tables
            if table.name not in VOLATILE_TABLES
        }


def count(model, *where) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def messages_of(ticket_id: int) -> list[TicketMessage]:
    with read_session() as session:
        return list(
            session.exec(
                select(TicketMessage)
                .where(TicketMessage.ticket_id == ticket_id)
                .order_by(TicketMessage.id)
            ).all()
        )


def root_of(state: rx.State) -> rx.State:
    while state.parent_state is not None:
        state = state.parent_state
    return state


def everything_in(state: rx.State) -> str:
    """All the state tree of the tab as text: every public var of every state (what the
    browser receives), and the backend vars of this state (what the server keeps)."""
    public = root_of(state).dict()
    backend = {
        name: getattr(state, name)
        for name, f in type(state).get_fields().items()
        if f._backend and name.startswith("_") and not name.startswith("_reflex")
    }
    return json.dumps([public, backend], default=repr, ensure_ascii=False)


@pytest.fixture
def no_smtp(monkeypatch):
    """Any attempt to send a mail fails the test (the outbox is checked as well)."""
    sent = []
    monkeypatch.setattr(mailer, "_send", lambda message: sent.append(message))
    yield sent
    assert sent == [], "a mail was sent"


@pytest.fixture
def bob_ticket(people):
    bob = people["customer"]["bob"]
    product = add_product(bob.id, BOB_PRODUCT)
    ticket_id = open_for(bob.id, subject=BOB_SUBJECT, body=BOB_BODY, product_id=product)
    queue.add_staff_reply(
        actor(people["customer"]["sam"].id), ticket_id, "Réponse du support à Bob: vérifiez FTP."
    )
    return ticket_id


def alice_thread(people, ticket_id: int) -> TicketState:
    return make_state(TicketState, token=people["token"]["alice"], path=f"/tickets/{ticket_id}")


# ---------------------------------------------------------------- another customer's ticket


def test_loading_bobs_ticket_as_alice_shows_nothing_of_it(people, bob_ticket):
    state = alice_thread(people, bob_ticket)
    run(state, "load")

    assert state.found is False
    assert state.messages == []
    assert state.subject == ""
    assert state.ref == ""
    assert state.product == ""
    assert state.product_id == ""
    assert state.status == ""
    dumped = everything_in(state)
    for secret in (BOB_SUBJECT, BOB_BODY, BOB_PRODUCT, "Réponse du support à Bob", "Bob Test"):
        assert secret not in dumped
    # The live watch is not started for a ticket the caller may not see.
    assert state._version == ""
    assert state._watch == 0


def test_the_same_load_shows_alice_her_own_ticket(people, bob_ticket):
    """The control: the load does work for the owner (so the refusal above means something)."""
    mine = open_for(people["customer"]["alice"].id, subject="Alice: question DNS")
    state = alice_thread(people, mine)
    run(state, "load")
    assert state.found is True
    assert state.subject == "Alice: question DNS"
    assert len(state.messages) == 1
    assert "Alice: question DNS" in everything_in(state)  # the dump does see the vars
    assert BOB_BODY not in everything_in(state)


@pytest.mark.parametrize("handler", ["reply", "close_ticket", "reopen_ticket"])
@pytest.mark.parametrize("bob_status", ["answered", "closed"])
def test_a_forged_ticket_id_changes_nothing_and_mails_nobody(
    people, bob_ticket, no_smtp, handler, bob_status
):
    if bob_status == "closed":
        tickets.close_by_customer(people["customer"]["bob"].id, bob_ticket)
    mine = open_for(people["customer"]["alice"].id, subject="Alice: question DNS")
    state = alice_thread(people, mine)
    run(state, "load")
    assert state.found is True
    before = snapshot()
    outbox_before = count(OutboxEmail)

    state.ticket_id = bob_ticket  # a forged state: the tab now points at Bob's ticket
    args = ({"body": "Alice écrit dans le ticket de Bob"},) if handler == "reply" else ()
    run(state, handler, *args)

    assert snapshot() == before
    assert count(OutboxEmail) == outbox_before
    assert state.found is False
    # What the tab still holds is Alice's own thread from before, nothing of Bob's.
    assert {m.id for m in state.messages} <= {str(m.id) for m in messages_of(mine)}
    dumped = everything_in(state)
    for secret in (BOB_SUBJECT, BOB_BODY, BOB_PRODUCT):
        assert secret not in dumped
    with read_session() as session:
        assert session.get(Ticket, bob_ticket).status == bob_status


def test_a_forged_ticket_id_with_a_staged_file_attaches_nothing(people, bob_ticket, no_smtp):
    """The file Alice chose stays hers: it lands in no ticket of Bob's."""
    mine = open_for(people["customer"]["alice"].id)
    state = alice_thread(people, mine)
    run(state, "load")
    staged = attachments.stage_attachment(people["customer"]["alice"].id, "a.log", b"alice log\n")
    state.staged = [FileRow(staged, "a.log", "10 o")]
    before = snapshot()
    state.ticket_id = bob_ticket
    run(state, "reply", {"body": "avec un fichier"})
    assert snapshot() == before
    assert count(TicketAttachment) == 0


def test_staff_handlers_of_the_thread_cannot_be_borrowed_for_bobs_ticket(people, bob_ticket):
    """AdminTicketState is the one that takes any ticket id: closed to customers."""
    state = make_state(
        AdminTicketState, token=people["token"]["alice"], path=f"/admin/tickets/{bob_ticket}"
    )
    before = snapshot()
    with pytest.raises(Forbidden):
        run(state, "load")
    assert BOB_BODY not in everything_in(state)
    after = snapshot()
    # Only the refusal was written.
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"
    }


# ---------------------------------------------------------------- the form's product list


@pytest.mark.parametrize(
    ("lang", "label"), [("fr", "exemple.fr (nom de domaine)"), ("en", "exemple.fr (domain name)")]
)
def test_the_product_list_names_the_kind_in_the_readers_language(people, lang, label):
    product_id = add_product(people["customer"]["alice"].id, "exemple.fr")
    state = make_state(NewTicketState, token=people["token"]["alice"], path="/tickets/new")
    asyncio.run(state.get_state(SessionState)).lang = lang
    run(state, "load")
    assert state.products == [{"id": str(product_id), "label": label}]


# ---------------------------------------------------------------- another customer's product


def test_a_ticket_about_bobs_product_is_refused_and_nothing_is_created(people, no_smtp):
    bob_product = add_product(people["customer"]["bob"].id, BOB_PRODUCT)
    state = make_state(NewTicketState, token=people["token"]["alice"], path="/tickets/new")
    run(state, "load")
    assert all(p["id"] != str(bob_product) for p in state.products)
    assert BOB_PRODUCT not in everything_in(state)

    # The setter takes any digits, as a forged event would send them.
    run(state, "set_product_id", str(bob_product))
    assert state.product_id == str(bob_product)
    before = snapshot()
    result = run(
        state,
        "submit",
        {"subject": "Mon site ne répond plus", "body": "Pouvez-vous regarder ?"},
    )

    assert result is None  # no redirect to a new ticket
    assert "product_id" in state.errors and state.errors["product_id"]
    assert state.errors["product_id"] != "error.not_your_product"  # translated for the page
    assert snapshot() == before
    assert count(Ticket) == 0
    assert count(TicketMessage) == 0
    assert count(OutboxEmail) == 0
    assert BOB_PRODUCT not in everything_in(state)


def test_a_ticket_about_her_own_product_goes_through(people, no_smtp):
    """The control for the refusal above."""
    mine = add_product(people["customer"]["alice"].id, "alice-shop.fr")
    state = make_state(NewTicketState, token=people["token"]["alice"], path="/tickets/new")
    run(state, "load")
    run(state, "set_product_id", str(mine))
    result = run(state, "submit", {"subject": "Question", "body": "Bonjour"})
    assert state.errors == {}
    with read_session() as session:
        ticket = session.exec(select(Ticket)).one()
    assert ticket.product_id == mine
    assert ticket.customer_id == people["customer"]["alice"].id
    assert isinstance(result, rx.event.EventSpec)


# ---------------------------------------------------------------- internal notes


@pytest.fixture
def alice_ticket_with_note(people):
    alice, sam = people["customer"]["alice"], people["customer"]["sam"]
    ticket_id = open_for(alice.id, subject="Alice: remboursement")
    queue.add_staff_reply(actor(sam.id), ticket_id, "Bonjour Alice, nous regardons.")
    version_before = thread.thread_version(ticket_id, with_internal=False)
    note_id = queue.add_staff_reply(
        actor(sam.id),
        ticket_id,
        NOTE_BODY,
        [attachments.NewAttachment(NOTE_FILE, NOTE_FILE_CONTENT)],
        internal=True,
    )
    with read_session() as session:
        attachment = session.exec(
            select(TicketAttachment).where(TicketAttachment.message_id == note_id)
        ).one()
    return {
        "ticket": ticket_id,
        "note": note_id,
        "attachment": attachment.id,
        "version_before": version_before,
    }


def test_an_internal_note_never_reaches_the_customers_state(people, alice_ticket_with_note):
    ticket_id = alice_ticket_with_note["ticket"]
    state = alice_thread(people, ticket_id)
    run(state, "load")

    assert state.found is True
    assert [m.body for m in state.messages] == [
        "Depuis ce matin, la page d'accueil renvoie une erreur 500.",
        "Bonjour Alice, nous regardons.",
    ]
    assert all(not m.internal for m in state.messages)
    ids = {m.id for m in state.messages}
    assert str(alice_ticket_with_note["note"]) not in ids
    files = [f for m in state.messages for f in m.files]
    assert files == []
    dumped = everything_in(state)
    for secret in (NOTE_BODY, NOTE_FILE, NOTE_FILE_CONTENT.decode().strip()):
        assert secret not in dumped
    # The note does not even wake the customer's live page (its version ignores notes).
    assert state._version == alice_ticket_with_note["version_before"]
    # Nor does the list page or the status move.
    assert state.status == "answered"
    listing = make_state(TicketsState, token=people["token"]["alice"], path="/tickets")
    run(listing, "load")
    assert NOTE_BODY not in everything_in(listing)


def test_the_customer_reply_after_a_note_still_shows_no_note(people, alice_ticket_with_note):
    state = alice_thread(people, alice_ticket_with_note["ticket"])
    run(state, "load")
    run(state, "reply", {"body": "Merci, j'attends."})
    assert len(state.messages) + len(state.recent) == 3
    assert NOTE_BODY not in everything_in(state)


def test_staff_see_the_internal_note(people, alice_ticket_with_note):
    ticket_id = alice_ticket_with_note["ticket"]
    state = make_state(
        AdminTicketState, token=people["token"]["sam"], path=f"/admin/tickets/{ticket_id}"
    )
    run(state, "load")
    assert state.found is True
    notes = [m for m in state.messages if m.internal]
    assert len(notes) == 1
    assert notes[0].body == NOTE_BODY
    assert notes[0].id == str(alice_ticket_with_note["note"])
    assert [(f.id, f.name) for f in notes[0].files] == [
        (str(alice_ticket_with_note["attachment"]), NOTE_FILE)
    ]
    assert len(state.messages) == 3
    assert NOTE_BODY in everything_in(state)


# ---------------------------------------------------------------- staff handlers


def staff_handlers() -> list[tuple[type, str]]:
    # set_body / set_compose_tab / setvar only keep what the caller types in their own tab
    # (no data read or written): they need no guard.
    ui_only = {"set_body", "set_compose_tab", "setvar"}
    return [
        (cls, name)
        for cls in (AdminTicketsState, AdminTicketState)
        for name in sorted(cls.event_handlers)
        if name not in ui_only
    ]


def args_for(cls: type, handler: str) -> list:
    params = list(inspect.signature(cls.event_handlers[handler].fn).parameters.values())[1:]
    values = {"form": {"body": "Alice se fait passer pour le support"}, "files": []}
    values |= {"staged_id": "0" * 32}
    # The type the handler declares (the door refuses any other before the guard runs).
    return [values.get(p.name, True if p.annotation in (bool, "bool") else "1") for p in params]


def refusals_of(customer_id: int) -> int:
    return count(
        AuditEvent, AuditEvent.action == "admin.refused", AuditEvent.actor_id == customer_id
    )


@pytest.mark.parametrize(
    ("cls", "handler"), staff_handlers(), ids=lambda v: getattr(v, "__name__", v)
)
def test_every_staff_ticket_handler_refuses_a_customer_and_logs_it(
    people, bob_ticket, no_smtp, cls, handler
):
    alice = people["customer"]["alice"]
    path = "/admin/tickets" if cls is AdminTicketsState else f"/admin/tickets/{bob_ticket}"
    state = make_state(cls, token=people["token"]["alice"], path=path)
    if cls is AdminTicketState:
        state.ticket_id = bob_ticket  # as if the page had loaded it
    before = snapshot()
    refused_before = refusals_of(alice.id)

    with pytest.raises(Forbidden):
        run(state, handler, *args_for(cls, handler))

    assert refusals_of(alice.id) == refused_before + 1
    with read_session() as session:
        event = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "admin.refused")
            .order_by(AuditEvent.id.desc())
        ).first()
    assert event.actor_role == "customer"
    assert json.loads(event.details_json)["state"] == cls.__name__
    after = snapshot()
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"
    }
    assert BOB_BODY not in everything_in(state)
    assert BOB_SUBJECT not in everything_in(state)


def test_the_staff_queue_opens_for_support(people, bob_ticket):
    """The control: the same handlers work for staff."""
    state = make_state(AdminTicketsState, token=people["token"]["sam"], path="/admin/tickets")
    run(state, "load")
    assert [r["subject"] for r in state.rows] == [BOB_SUBJECT]


# ---------------------------------------------------------------- one message per submit


def alice_messages(ticket_id: int, alice_id: int) -> list[TicketMessage]:
    return [m for m in messages_of(ticket_id) if m.author_id == alice_id]


def test_the_same_submit_key_posts_one_message(people):
    """The key of the form (kept on the server) makes a replayed send a no-op."""
    alice = people["customer"]["alice"]
    mine = open_for(alice.id)
    state = alice_thread(people, mine)
    run(state, "load")
    key = state._submit_key
    run(state, "reply", {"body": "Une seule fois"})
    state._submit_key = key  # the same event again, against the state it was sent from
    run(state, "reply", {"body": "Une seule fois"})
    assert [m.body for m in alice_messages(mine, alice.id)][1:] == ["Une seule fois"]


# A double click sends two submit events that Reflex runs one after the other on the same
# state; the form still carries the text, and the key was renewed by the first success.
def test_a_double_submit_posts_one_message(people):
    alice = people["customer"]["alice"]
    mine = open_for(alice.id)
    state = alice_thread(people, mine)
    run(state, "load")
    form = {"body": "Mon site est toujours en erreur 500."}
    run(state, "reply", form)
    run(state, "reply", form)  # the second click, queued behind the first
    bodies = [m.body for m in alice_messages(mine, alice.id)][1:]
    assert bodies == ["Mon site est toujours en erreur 500."]


def test_the_fields_late_report_of_the_text_just_sent_does_not_fill_it_again(people):
    """Send clicked within the field's debounce: its report of the text comes after the
    reply emptied the form, and is not taken back; anything else typed is."""
    mine = open_for(people["customer"]["alice"].id)
    state = alice_thread(people, mine)
    run(state, "load")
    run(state, "reply", {"body": "Envoyé aussitôt"})
    assert state.body == ""
    run(state, "set_body", "Envoyé aussitôt")  # the late report
    assert state.body == ""
    run(state, "set_body", "Autre chose")
    assert state.body == "Autre chose"
    run(state, "set_body", "")
    state._sent_at -= LATE_ECHO_SECONDS  # the same text typed again, later
    run(state, "set_body", "Envoyé aussitôt")
    assert state.body == "Envoyé aussitôt"


# The same for a new ticket: one ticket, one mail to support.
def test_a_double_submit_of_a_new_ticket_opens_one_ticket(people):
    state = make_state(NewTicketState, token=people["token"]["alice"], path="/tickets/new")
    run(state, "load")
    form = {"subject": "Erreur 500", "body": "La page d'accueil renvoie une erreur 500."}
    run(state, "submit", form)
    run(state, "submit", form)
    assert count(Ticket) == 1


# ---------------------------------------------------------------- Markdown, safely


def compiled(route: str, page) -> str:
    _path, code = compiler.compile_page(route, page())
    return code


def test_safe_markdown_drops_the_raw_html_plugin():
    component = safe_markdown("<img src=x onerror=alert(1)>")
    found = [c for c in component.children if type(c).__name__ == "Markdown"]
    assert len(found) == 1
    plugins = found[0].rehype_plugins
    imports = plugins._get_all_var_data().imports
    packages = {name for name, _ in imports}
    assert not any(p.startswith("rehype-raw") for p in packages), packages
    assert "rehypeRaw" not in str(plugins)
    # The control: Reflex's default does add it, so the check above can see it.
    default = rx.markdown("x").children[0].rehype_plugins
    assert "rehypeRaw" in str(default)


@pytest.mark.parametrize("route", ["tickets/[ticket_id]", "admin/tickets/[ticket_id]"])
def test_the_compiled_thread_pages_render_markdown_without_raw_html(route):
    # The page as the app registers it: its content in its layout.
    code = compiled(route, page_at("/" + route).render)
    # The thread's messages are a memo of their own (thread.message_body), compiled into
    # a module of its own: checked as well as the page (where the preview is).
    assert "MessageBody" in code
    memo = MEMOS[("MessageBody", "o2portal.web.components.thread")]
    ((_path, memo_code),), _imports = compiler.compile_memo_components([memo])
    for part in (code, memo_code):
        assert "react-markdown" in part
        assert "ReactMarkdown" in part
        assert "rehype-raw" not in part
        assert "rehypeRaw" not in part
        assert not re.search(r"dangerouslySetInnerHTML", part)
    # The control: a page with Reflex's default Markdown does import it.
    assert "rehypeRaw" in compiled("control", lambda: rx.markdown("x"))


# The same for staff: one reply, one mail to the customer.
def test_a_double_submit_of_a_staff_reply_posts_one_reply(people, no_smtp):
    alice = people["customer"]["alice"]
    mine = open_for(alice.id)
    state = make_state(
        AdminTicketState, token=people["token"]["sam"], path=f"/admin/tickets/{mine}"
    )
    run(state, "load")
    form = {"body": "Pouvez-vous nous envoyer le journal d'erreurs ?"}
    run(state, "reply", form)
    run(state, "reply", form)
    assert len(messages_of(mine)) == 2
    assert count(OutboxEmail, OutboxEmail.kind == "ticket_reply") == 1
