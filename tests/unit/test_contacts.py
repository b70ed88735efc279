"""Technical contacts, on the real database (SQLite and PostgreSQL): who may invite whom,
what an invitee and a contact may do, what the holder is told, and that a revocation
takes everything back at once."""

from __future__ import annotations

import importlib
import json
from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core import clock, events
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.core.permissions import Actor
from o2portal.products import contact_lists, contacts
from o2portal.products import customer as products
from o2portal.products import staff as products_staff
from o2portal.products.contact_models import ContactAction, ContactStatus, ProductContact
from o2portal.products.contacts import Right
from o2portal.products.models import Product
from o2portal.support import tickets
from o2portal.support.models import Ticket
from tests.unit.helpers import count, outbox, rows, statements_run


def _customer(email: str, **values) -> int:
    with transaction() as session:
        customer = Customer(
            email=email,
            password_hash="not-a-login",
            first_name=values.pop("first_name", "Marie"),
            last_name="Dupont",
            phone="+33612345678",
            address_line1="14 rue des Carmes",
            postal_code="45000",
            city="Orléans",
            country="FR",
            **values,
        )
        session.add(customer)
        session.flush()
        return customer.id


def _domain(customer_id: int, name: str = "boulangerie.fr", status: str = "active") -> int:
    today = clock.today()
    with transaction() as session:
        product = Product(
            customer_id=customer_id,
            kind="domain",
            name=name,
            offer_code="fr",
            status=status,
            start_date=today - timedelta(days=30),
            expiry_date=today + timedelta(days=300),
            nameservers_json=json.dumps(["ns1.o2switch.net", "ns2.o2switch.net"]),
        )
        session.add(product)
        session.flush()
        return product.id


@pytest.fixture
def world(db):
    holder = _customer("client@example.com", first_name="Claire")
    webmaster = _customer("webmaster@example.com", first_name="Wendy")
    stranger = _customer("stranger@example.com", first_name="Sam")
    staff = _customer("support@example.com", role="support")
    domain = _domain(holder)
    return {
        "holder": holder,
        "webmaster": webmaster,
        "stranger": stranger,
        "staff": staff,
        "domain": domain,
    }


def _active(world) -> int:
    link_id = contacts.invite(
        world["holder"], world["domain"], "webmaster@example.com", "technical"
    )
    contacts.answer(world["webmaster"], link_id, True)
    return link_id


def test_an_invitation_mails_the_invitee_and_grants_nothing_until_accepted(world):
    link_id = contacts.invite(
        world["holder"], world["domain"], " WebMaster@Example.com ", "technical"
    )
    (mail,) = outbox("contact_invited")
    assert mail.to_addr == "webmaster@example.com"
    assert "Claire Dupont" in mail.subject and "boulangerie.fr" in mail.body_text
    assert not contacts.may(world["webmaster"], world["domain"], Right.SEE)
    contacts.answer(world["webmaster"], link_id, True)
    assert contacts.may(world["webmaster"], world["domain"], Right.SEE)
    assert contacts.may(world["webmaster"], world["domain"], Right.NAMESERVERS)
    # A technical contact never renews nor pays.
    assert not contacts.may(world["webmaster"], world["domain"], Right.RENEW)
    (told,) = outbox("contact_action")
    assert told.to_addr == "client@example.com" and "Wendy Dupont" in told.subject


@pytest.mark.parametrize(
    ("email", "setup", "field", "key"),
    [
        ("client@example.com", None, "email", "error.contact_self"),
        ("nobody@example.com", None, "email", "error.contact_unknown"),
        ("not an address", None, "email", "error.email_invalid"),
        ("", None, "email", "error.required"),
        ("webmaster@example.com", "disable", "email", "error.contact_disabled"),
        ("webmaster@example.com", "delete", "email", "error.contact_unknown"),
        ("webmaster@example.com", "twice", "email", "error.contact_duplicate"),
        ("webmaster@example.com", "ended", "product_id", "error.contact_product_closed"),
    ],
)
def test_a_bad_invitation_says_why_by_its_field_and_saves_nothing(world, email, setup, field, key):
    if setup in ("disable", "delete"):
        with transaction() as session:
            person = session.get(Customer, world["webmaster"])
            if setup == "disable":
                person.disabled_at = clock.now()
            else:
                person.deleted_at = clock.now()
            session.add(person)
    elif setup == "twice":
        contacts.invite(world["holder"], world["domain"], email, "technical")
    elif setup == "ended":
        with transaction() as session:
            product = session.get(Product, world["domain"])
            product.status = "released"
            session.add(product)
    before = count(ProductContact), len(outbox())
    with pytest.raises(InvalidInput) as refused:
        contacts.invite(world["holder"], world["domain"], email, "technical")
    assert refused.value.errors[field] == key
    assert (count(ProductContact), len(outbox())) == before


def test_a_role_that_cannot_be_granted_by_invitation_is_refused(world):
    for role in ("owner", "holder", "", None):
        with pytest.raises(InvalidInput) as refused:
            contacts.invite(world["holder"], world["domain"], "webmaster@example.com", role)
        assert refused.value.errors == {"role": "error.choose_one"}
    assert count(ProductContact) == 0


def test_only_the_holder_invites_on_a_product(world):
    for who in ("webmaster", "stranger", "staff"):
        with pytest.raises(NotAllowed):
            contacts.invite(world[who], world["domain"], "stranger@example.com", "technical")
    with pytest.raises(NotAllowed):
        contacts.invite(world["holder"], 999_999, "webmaster@example.com", "technical")
    assert count(ProductContact) == 0


def test_only_the_invitee_answers_and_only_once(world):
    link_id = contacts.invite(
        world["holder"], world["domain"], "webmaster@example.com", "technical"
    )
    for who in ("holder", "stranger"):
        with pytest.raises(NotAllowed):
            contacts.answer(world[who], link_id, True)
    assert contacts.answer(world["webmaster"], link_id, False) == ContactStatus.REFUSED
    with pytest.raises(InvalidInput):
        contacts.answer(world["webmaster"], link_id, True)
    assert not contacts.may(world["webmaster"], world["domain"], Right.SEE)
    # Refused: a new invitation may go out.
    contacts.invite(world["holder"], world["domain"], "webmaster@example.com", "technical")


def test_a_contact_changes_name_servers_and_the_holder_sees_and_hears_it(world):
    _active(world)
    products.update_nameservers(
        world["webmaster"], world["domain"], ["ns1.agence.net", "ns2.agence.net"], ip="192.0.2.7"
    )
    with read_session() as session:
        product = session.get(Product, world["domain"])
        assert json.loads(product.nameservers_json) == ["ns1.agence.net", "ns2.agence.net"]
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "domain.nameservers_changed")
        ).one()
    # Audited under the contact's name, about the holder's product.
    assert (event.actor_id, event.customer_id) == (world["webmaster"], world["holder"])
    (action,) = [a for a in rows(ContactAction) if a.action == "nameservers_changed"]
    assert action.holder_id == world["holder"]
    (listed, *_) = contact_lists.actions_for_holder(world["holder"])
    assert listed.action == "nameservers_changed"
    assert listed.contact_name == "Wendy Dupont" and "ns1.agence.net" in listed.details
    mails = [m for m in outbox("contact_action") if "ns1.agence.net" in m.body_text]
    assert [m.to_addr for m in mails] == ["client@example.com"]


def test_a_contact_may_not_do_what_is_the_holders_alone(world):
    _active(world)
    with pytest.raises(NotAllowed):
        products.reveal_auth_code(world["webmaster"], world["domain"])
    with pytest.raises(NotAllowed):
        products.set_registrar_lock(world["webmaster"], world["domain"], False)
    with pytest.raises(NotAllowed):
        products.set_auto_renew(world["webmaster"], world["domain"], True)
    with pytest.raises(NotAllowed):
        products.get_product(world["webmaster"], world["domain"])


def test_a_contact_opens_a_ticket_about_the_product(world):
    _active(world)
    assert world["domain"] in [p.id for p in tickets.product_choices(world["webmaster"])]
    ticket_id = tickets.open_ticket(
        world["webmaster"],
        subject="DNS du client",
        department="technique",
        priority="normale",
        product_id=world["domain"],
        body="Les nouveaux serveurs ne répondent pas.",
    )
    with read_session() as session:
        ticket = session.get(Ticket, ticket_id)
        assert (ticket.customer_id, ticket.product_id) == (world["webmaster"], world["domain"])
    assert [a.action for a in contact_lists.actions_for_holder(world["holder"])][
        0
    ] == "ticket_opened"


def test_a_stranger_may_not_open_a_ticket_about_the_product(world):
    with pytest.raises(InvalidInput) as refused:
        tickets.open_ticket(
            world["stranger"],
            subject="Hello",
            department="technique",
            priority="normale",
            product_id=world["domain"],
            body="…",
        )
    assert refused.value.errors == {"product_id": "error.not_your_product"}
    assert world["domain"] not in [p.id for p in tickets.product_choices(world["stranger"])]


def test_revoking_takes_everything_back_at_once_and_tells_the_pages(world, monkeypatch):
    link_id = _active(world)
    heard: list[str] = []
    monkeypatch.setattr(events, "_listeners", [heard.append])
    with pytest.raises(NotAllowed):
        contacts.revoke(world["webmaster"], link_id)  # only the holder
    contacts.revoke(world["holder"], link_id, ip="192.0.2.1")
    assert contacts.topic(world["webmaster"]) in heard
    for right in Right:
        assert not contacts.may(world["webmaster"], world["domain"], right)
    with pytest.raises(NotAllowed):
        products.update_nameservers(world["webmaster"], world["domain"], ["a.fr", "b.fr"])
    with pytest.raises(InvalidInput):
        tickets.open_ticket(
            world["webmaster"],
            subject="x",
            department="technique",
            priority="normale",
            product_id=world["domain"],
            body="x",
        )
    (mail,) = outbox("contact_revoked")
    assert mail.to_addr == "webmaster@example.com"
    assert contact_lists.managed_products(world["webmaster"]).total == 0
    with pytest.raises(InvalidInput):
        contacts.revoke(world["holder"], link_id)  # already done


def test_staff_revoke_under_their_own_name(world):
    link_id = _active(world)
    with pytest.raises(NotAllowed):
        products_staff.revoke_contact(Actor(world["stranger"], "customer"), link_id)
    products_staff.revoke_contact(Actor(world["staff"], "support"), link_id, ip="192.0.2.9")
    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "contact.revoked")).one()
        found = session.get(ProductContact, link_id)
    assert (event.actor_id, event.actor_role) == (world["staff"], "support")
    assert (found.status, found.revoked_by_id) == ("revoked", world["staff"])
    listed = products_staff.customer_contacts(Actor(world["staff"], "support"), world["webmaster"])
    assert [r.id for r in listed] == [link_id]


def test_the_lists_of_each_side(world):
    link_id = contacts.invite(
        world["holder"], world["domain"], "webmaster@example.com", "technical"
    )
    assert [r.id for r in contact_lists.invitations_for(world["webmaster"])] == [link_id]
    assert contact_lists.invitations_for(world["stranger"]) == []
    contacts.answer(world["webmaster"], link_id, True)
    (client,) = contact_lists.clients_of(world["webmaster"])
    assert (client.holder_name, client.product_name) == ("Claire Dupont", "boulangerie.fr")
    (mine,) = contact_lists.contacts_of_holder(world["holder"])
    assert (mine.contact_email, mine.status) == ("webmaster@example.com", "active")
    page = contact_lists.managed_products(world["webmaster"])
    assert [r.id for r in page.rows] == [world["domain"]]
    assert contact_lists.holder_name(page.rows[0]) == "Claire Dupont"
    assert contact_lists.managed_products(world["holder"]).total == 0


def test_a_grant_lapses_when_the_product_changes_hands(world):
    _active(world)
    with transaction() as session:
        product = session.get(Product, world["domain"])
        product.customer_id = world["stranger"]
        session.add(product)
    assert not contacts.may(world["webmaster"], world["domain"], Right.SEE)
    assert contact_lists.managed_products(world["webmaster"]).total == 0


def test_two_open_invitations_for_one_product_and_account_cannot_exist(world):
    """The unique index backs the check: a row slipped past it is refused by the base."""
    contacts.invite(world["holder"], world["domain"], "webmaster@example.com", "technical")
    with pytest.raises(Exception), transaction() as session:  # noqa: B017,PT011
        session.add(
            ProductContact(
                product_id=world["domain"],
                holder_id=world["holder"],
                contact_id=world["webmaster"],
                status=ContactStatus.ACTIVE,
                invited_at=clock.now(),
            )
        )
    assert count(ProductContact) == 1


def test_the_migration_rewrites_the_default_faq_entry_but_not_an_edited_one(db):
    """Installations seeded with the old default FAQ get the self-service text; an entry
    staff rewrote keeps their words (and a downgrade puts the old default back)."""
    from alembic import command

    from o2portal.content.default_faq import FAQ_ITEMS
    from o2portal.content.models import FaqEntry
    from o2portal.core.migrate import alembic_config

    mig = importlib.import_module("o2portal.migrations.versions.eb2f2c2113cb_product_contacts")
    # The administrative contacts' migration rewrites it once more, the same way.
    latest = importlib.import_module("o2portal.migrations.versions.33b5ea769619_client_orders")
    assert latest.FAQ_BEFORE == mig.FAQ_AFTER
    (item,) = [i for i in FAQ_ITEMS if i.question == mig.FAQ_QUESTION]
    assert item.answer == latest.FAQ_AFTER  # the seed and the migrations say the same
    command.downgrade(alembic_config(), mig.down_revision)
    with transaction() as session:
        for answer in (mig.FAQ_BEFORE, "Notre propre réponse, écrite par le support."):
            session.add(FaqEntry(topic="Noms de domaine", question=mig.FAQ_QUESTION, answer=answer))
    command.upgrade(alembic_config(), "head")
    with read_session() as session:
        answers = [e.answer for e in session.exec(select(FaqEntry).order_by(FaqEntry.id))]
    assert answers == [latest.FAQ_AFTER, "Notre propre réponse, écrite par le support."]
    command.downgrade(alembic_config(), latest.down_revision)
    with read_session() as session:
        answers = [e.answer for e in session.exec(select(FaqEntry).order_by(FaqEntry.id))]
    assert answers == [mig.FAQ_AFTER, "Notre propre réponse, écrite par le support."]


def test_an_empty_list_of_managed_products_is_one_count_and_nothing_more(world):
    """Most customers manage nothing for others, and their /services opens with that
    list: its count says so, and no page of rows is read after it."""
    _active(world)
    with statements_run("SELECT") as selects:
        empty = contact_lists.managed_products(world["stranger"])
        asked_empty = len(selects)
        found = contact_lists.managed_products(world["webmaster"])
    assert (empty.rows, empty.total, empty.page, empty.pages) == ([], 0, 1, 1)
    assert asked_empty == 1
    assert [r.id for r in found.rows] == [world["domain"]] and len(selects) == 3
