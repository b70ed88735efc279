"""Staff's support tools: notes pinned to a customer, canned replies with variables,
escalation rules and their job, the queue's text search, and a ticket opened by staff for
a customer. Real database (SQLite and PostgreSQL), real mail rendering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.support import canned, escalation, notes
from o2portal.support.models import CannedReply, CustomerNote, EscalationRule, Ticket
from o2portal.support.queue import add_staff_reply, open_for_customer, staff_queue
from o2portal.support.tickets import add_customer_reply, customer_thread, open_ticket
from tests.unit.helpers import actor, count, get_customer, make_customer, outbox, update_customer

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOURS = "error.escalation_hours"


@pytest.fixture
def alice(db):
    return make_customer(email="alice.durand@example.com", first_name="Alice", last_name="Durand")


@pytest.fixture
def bob(db):
    return make_customer(email="bob.martin@example.com", first_name="Bob", last_name="Martin")


def _staff(email: str, first: str, role: str):
    person = make_customer(email=email, first_name=first, last_name="Staff")
    update_customer(person.id, role=role)
    return get_customer(person.id)


@pytest.fixture
def support(db):
    return _staff("sophie@o2portal.example", "Sophie", "support")


@pytest.fixture
def admin(db):
    return _staff("claire@o2portal.example", "Claire", "admin")


def _ticket(customer_id: int, **overrides) -> int:
    values = {
        "subject": "Erreur 500 sur la boutique",
        "department": "technique",
        "priority": "haute",
        "product_id": None,
        "body": "La boutique renvoie une erreur 500 depuis ce matin.",
    }
    values.update(overrides)
    return open_ticket(customer_id, **values)


def _actions(action: str) -> list[AuditEvent]:
    with read_session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


# ---------------------------------------------------------------- notes


def test_staff_pin_notes_to_a_customer_and_read_them_newest_first(alice, support):
    notes.add_note(actor(support), alice.id, "Client fragile : appeler avant toute coupure.")
    notes.add_note(actor(support), alice.id, "Préfère être joint l'après-midi.")
    found = notes.customer_notes(actor(support), alice.id)
    assert [n.body for n in found] == [
        "Préfère être joint l'après-midi.",
        "Client fragile : appeler avant toute coupure.",
    ]
    assert found[0].author == "Sophie Staff"
    assert len(_actions("customer.note_added")) == 2


def test_a_note_must_say_something_and_not_too_much(alice, support):
    for body, error in (("   ", "error.required"), ("x" * (notes.NOTE_MAX + 1), "error.too_long")):
        with pytest.raises(InvalidInput) as caught:
            notes.add_note(actor(support), alice.id, body)
        assert caught.value.errors == {"note": error}
    assert count(CustomerNote) == 0


def test_customers_may_neither_write_nor_read_notes(alice, bob, support):
    with pytest.raises(NotAllowed):
        notes.add_note(actor(bob), alice.id, "Je note des choses sur Alice.")
    notes.add_note(actor(support), alice.id, "Note interne")
    with pytest.raises(NotAllowed):
        notes.customer_notes(actor(alice), alice.id)
    assert count(CustomerNote) == 1


def test_notes_are_not_pinned_to_staff_or_to_nobody(support, admin):
    for customer_id in (admin.id, 0, 99999):
        with pytest.raises(NotAllowed):
            notes.add_note(actor(support), customer_id, "Note")
    assert count(CustomerNote) == 0


def test_a_note_is_removed_by_its_author_or_an_admin_and_kept_for_the_audit(alice, support, admin):
    other = _staff("marc@o2portal.example", "Marc", "support")
    first = notes.add_note(actor(support), alice.id, "Première note")
    second = notes.add_note(actor(support), alice.id, "Seconde note")
    with pytest.raises(NotAllowed):
        notes.remove_note(actor(other), first)
    notes.remove_note(actor(support), first)
    notes.remove_note(actor(support), first)  # twice: harmless
    notes.remove_note(actor(admin), second)
    assert notes.customer_notes(actor(support), alice.id) == []
    assert count(CustomerNote) == 2
    assert len(_actions("customer.note_removed")) == 2


def test_a_ticket_thread_carries_the_customers_notes_for_staff_only(alice, support):
    ticket_id = _ticket(alice.id)
    notes.add_note(actor(support), alice.id, "Appeler avant toute coupure")
    from o2portal.support.queue import staff_thread

    assert [n.body for n in staff_thread(actor(support), ticket_id).notes] == [
        "Appeler avant toute coupure"
    ]
    assert customer_thread(alice.id, ticket_id).notes == []


# ---------------------------------------------------------------- canned replies


def test_admins_keep_canned_replies_whose_variables_are_filled_for_the_ticket(alice, admin):
    reply_id = canned.save_canned(
        actor(admin),
        None,
        title="Erreur 500",
        body="Bonjour ${prenom} ${nom},\n\nÀ propos du ticket #${ticket} (${sujet}) : "
        "videz le cache. ${agent}, pour ${client}. Prix : 5 $$",
        department="technique",
    )
    ticket_id = _ticket(alice.id)
    text = canned.fill_canned(actor(admin), reply_id, ticket_id)
    assert text == (
        f"Bonjour Alice Durand,\n\nÀ propos du ticket #{ticket_id} (Erreur 500 sur la boutique) "
        ": videz le cache. Claire, pour Alice Durand. Prix : 5 $"
    )
    assert [r.title for r in canned.canned_replies(actor(admin), "technique")] == ["Erreur 500"]
    assert canned.canned_replies(actor(admin), "facturation") == []
    assert len(_actions("canned.saved")) == 1


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("Bonjour ${prenom}, votre ${mot_de_passe}", "error.template_unknown"),
        ("Bonjour ${prenom.__class__}", "error.template_syntax"),
        ("Total : 5 $ HT", "error.template_syntax"),
        ("", "error.required"),
    ],
)
def test_a_canned_reply_with_an_unknown_or_broken_placeholder_is_refused(admin, body, error):
    with pytest.raises(InvalidInput) as caught:
        canned.save_canned(actor(admin), None, title="Réponse", body=body)
    assert caught.value.errors == {"body": error}
    assert count(CannedReply) == 0


def test_a_canned_title_is_unique_and_support_cannot_edit(admin, support):
    canned.save_canned(actor(admin), None, title="Bienvenue", body="Bonjour ${prenom}")
    with pytest.raises(InvalidInput) as caught:
        canned.save_canned(actor(admin), None, title="Bienvenue", body="Autre")
    assert caught.value.errors == {"title": "error.title_taken"}
    with pytest.raises(NotAllowed):
        canned.save_canned(actor(support), None, title="Support", body="Texte")
    assert count(CannedReply) == 1


def test_a_canned_reply_is_changed_and_deleted_by_admins(admin, support):
    reply_id = canned.save_canned(actor(admin), None, title="A", body="Premier texte")
    assert canned.save_canned(actor(admin), reply_id, title="B", body="Second") == reply_id
    assert [(r.title, r.body) for r in canned.canned_replies(actor(support))] == [("B", "Second")]
    with pytest.raises(NotAllowed):
        canned.delete_canned(actor(support), reply_id)
    canned.delete_canned(actor(admin), reply_id)
    assert count(CannedReply) == 0


# ---------------------------------------------------------------- escalation


def test_an_overdue_high_priority_ticket_escalates_once_to_each_admin(alice, admin, support):
    second_admin = _staff("paul@o2portal.example", "Paul", "admin")
    update_customer(second_admin.id, language="en")
    escalation.add_rule(actor(admin), department="", priority="haute", hours="4")
    with clock.frozen_at(T0):
        ticket_id = _ticket(alice.id)
        calm = _ticket(alice.id, priority="normale")
    assert escalation.escalate_tickets(T0 + timedelta(hours=3, minutes=59)) == 0
    assert escalation.escalate_tickets(T0 + timedelta(hours=4)) == 1
    assert escalation.escalate_tickets(T0 + timedelta(hours=9)) == 0  # once per wait
    mails = outbox("ticket_escalated")
    assert sorted(m.to_addr for m in mails) == ["claire@o2portal.example", "paul@o2portal.example"]
    french = next(m for m in mails if m.to_addr == "claire@o2portal.example")
    english = next(m for m in mails if m.to_addr == "paul@o2portal.example")
    assert "(Technique, priorité Haute)" in french.body_text
    assert "depuis 4 h 00" in french.body_text
    assert "(Technical, High priority)" in english.body_text
    assert "for 4 h 00" in english.body_text
    assert f"/admin/tickets/{ticket_id}" in french.body_text
    with read_session() as session:
        assert session.get(Ticket, ticket_id).escalated_at is not None
        assert session.get(Ticket, calm).escalated_at is None
    assert [e.target_id for e in _actions("ticket.escalated")] == [ticket_id]
    found = staff_queue(actor(support), assigned="escalated")
    assert [t.id for t in found.rows] == [ticket_id]


def test_a_staff_reply_clears_the_escalation_and_a_new_wait_escalates_again(alice, admin):
    escalation.add_rule(actor(admin), department="technique", priority="haute", hours="1")
    with clock.frozen_at(T0):
        ticket_id = _ticket(alice.id)
    assert escalation.escalate_tickets(T0 + timedelta(hours=2)) == 1
    with clock.frozen_at(T0 + timedelta(hours=3)):
        add_staff_reply(actor(admin), ticket_id, "Nous regardons.")
    with clock.frozen_at(T0 + timedelta(hours=4)):
        add_customer_reply(alice.id, ticket_id, "Toujours en panne.")
    assert escalation.escalate_tickets(T0 + timedelta(hours=4, minutes=30)) == 0
    assert escalation.escalate_tickets(T0 + timedelta(hours=5)) == 1
    assert len(outbox("ticket_escalated")) == 2


def test_a_rule_for_one_department_leaves_the_others(alice, admin):
    escalation.add_rule(actor(admin), department="facturation", priority="haute", hours="1")
    with clock.frozen_at(T0):
        _ticket(alice.id)  # technique
        billing = _ticket(alice.id, department="facturation")
    assert escalation.escalate_tickets(T0 + timedelta(hours=2)) == 1
    assert [e.target_id for e in _actions("ticket.escalated")] == [billing]


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"department": "", "priority": "haute", "hours": "quatre"}, {"hours": "error.number"}),
        (
            {"department": "", "priority": "haute", "hours": "0,1"},
            {"hours": "error.escalation_hours"},
        ),
        (
            {"department": "", "priority": "haute", "hours": "500"},
            {"hours": "error.escalation_hours"},
        ),
        (
            {"department": "", "priority": "haute", "hours": "nan"},
            {"hours": "error.escalation_hours"},
        ),
        (
            {"department": "ventes", "priority": "pressé", "hours": "2"},
            {"department": "error.choose_one", "priority": "error.choose_one"},
        ),
    ],
)
def test_a_bad_rule_is_refused_by_its_field(admin, values, errors):
    with pytest.raises(InvalidInput) as caught:
        escalation.add_rule(actor(admin), **values)
    assert caught.value.errors == errors
    assert count(EscalationRule) == 0


def test_one_rule_per_department_and_priority_and_only_admins_keep_them(admin, support):
    rule_id = escalation.add_rule(actor(admin), department="", priority="urgente", hours="0,5")
    assert escalation.rules(actor(support))[0].after_minutes == 30
    with pytest.raises(InvalidInput) as caught:
        escalation.add_rule(actor(admin), department="", priority="urgente", hours="2")
    assert caught.value.errors == {"priority": "error.escalation_exists"}
    with pytest.raises(NotAllowed):
        escalation.add_rule(actor(support), department="", priority="haute", hours="2")
    with pytest.raises(NotAllowed):
        escalation.remove_rule(actor(support), rule_id)
    escalation.remove_rule(actor(admin), rule_id)
    assert count(EscalationRule) == 0


# ---------------------------------------------------------------- queue search


def test_the_queue_finds_tickets_by_number_words_customer_and_message(alice, bob, support):
    shop = _ticket(alice.id, subject="Erreur 500 sur la boutique")
    mail = _ticket(bob.id, subject="Courriels refusés", body="Le serveur SMTP dit 550 relay")

    def found(text: str) -> list[int]:
        return sorted(t.id for t in staff_queue(actor(support), query=text).rows)

    assert found(f"#{shop}") == [shop]
    assert found("BOUTIQUE") == [shop]
    assert found("relay") == [mail]
    assert found("bob.martin@") == [mail]
    assert found("durand") == [shop]
    assert found("50") == sorted([shop, mail])
    assert found("100%") == []  # a wildcard is a character
    assert found("_") == []
    assert found("\x00boutique\u202e") == [shop]


# ---------------------------------------------------------------- opened by staff


def test_staff_open_a_ticket_for_a_customer_who_is_emailed_and_can_answer(alice, support):
    ticket_id = open_for_customer(
        actor(support),
        alice.id,
        subject="Votre site a été piraté",
        department="technique",
        priority="urgente",
        product_id=None,
        body="Nous avons détecté un script malveillant. Pouvez-vous nous rappeler ?",
        submit_key="k-1",
    )
    again = open_for_customer(
        actor(support),
        alice.id,
        subject="Votre site a été piraté",
        department="technique",
        priority="urgente",
        product_id=None,
        body="Nous avons détecté un script malveillant. Pouvez-vous nous rappeler ?",
        submit_key="k-1",
    )
    assert again == ticket_id and count(Ticket) == 1
    view = customer_thread(alice.id, ticket_id)
    assert view.ticket.status == "awaiting_customer"
    assert view.ticket.assigned_to_id == support.id
    assert [m.is_staff for m in view.messages] == [True]
    (mail,) = outbox("ticket_opened_for_you")
    assert mail.to_addr == "alice.durand@example.com"
    assert "script malveillant" in mail.body_text and f"/tickets/{ticket_id}" in mail.body_text
    assert [e.target_id for e in _actions("ticket.opened_for_customer")] == [ticket_id]
    add_customer_reply(alice.id, ticket_id, "Je vous rappelle.")
    assert customer_thread(alice.id, ticket_id).ticket.status == "open"


def test_opening_a_ticket_for_someone_checks_every_field_and_who_asks(alice, bob, support, admin):
    from tests.unit.test_tickets import add_product

    bobs = add_product(bob.id, "bob-site.fr")
    with pytest.raises(InvalidInput) as caught:
        open_for_customer(
            actor(support),
            alice.id,
            subject=" ",
            department="ventes",
            priority="vite",
            product_id=bobs,
            body="",
        )
    assert caught.value.errors == {
        "subject": "error.required",
        "department": "error.choose_one",
        "priority": "error.choose_one",
        "product_id": "error.not_your_product",
        "body": "error.required",
    }
    values = {
        "subject": "S",
        "department": "technique",
        "priority": "normale",
        "product_id": None,
        "body": "B",
    }
    with pytest.raises(NotAllowed):
        open_for_customer(actor(bob), alice.id, **values)
    with pytest.raises(NotAllowed):
        open_for_customer(actor(support), admin.id, **values)
    assert count(Ticket) == 0


def test_the_demos_canned_replies_fill_in_without_a_placeholder_left(db):
    from o2portal.demo.seed import seed_demo

    seed_demo()
    with read_session() as session:
        admin = session.exec(select(Customer).where(Customer.role == "admin")).first()
        ticket = session.exec(select(Ticket).order_by(Ticket.id)).first()
    replies = canned.canned_replies(actor(admin))
    assert len(replies) >= 2
    for reply in replies:
        canned.check_placeholders(reply.body)
        text = canned.fill_canned(actor(admin), reply.id, ticket.id)
        assert "${" not in text and "Marie" in text
    assert escalation.rules(actor(admin))
