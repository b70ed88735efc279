"""Change of holder (SPEC.md "Contacts, change of holder, SSL certificates"; issue 15 part
2): an offer by the holder, accepted or refused by the recipient, cancelled by the offerer
or staff, expired after 14 days; the product moves with its expiry and options, its past
invoices stay, its renewals are billed to the new holder; a domain's registrant changes at
the registrar after the commit. Through the real rules and database, on both engines."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.billing.checkout import pay_order
from o2portal.billing.models import Invoice, Order, OrderStatus, Payment, PaymentStatus
from o2portal.billing.payments import PaymentChoice
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.integrations.models import RegistryDomain
from o2portal.integrations.registrar import registrar
from o2portal.jobs.registry import JOBS
from o2portal.products import trades
from o2portal.products.models import HolderChange, Product, ProductTask
from o2portal.products.tasks import TaskAction
from tests.unit.helpers import actor, count, outbox, rows, update_customer
from tests.unit.test_renewals import T0, card, new_customer, new_product, renew, shop  # noqa: F401

DAY = timedelta(days=1)


@pytest.fixture
def people(shop):  # noqa: F811 - the fixture imported above
    """A holder (Marie) with a hosting account, a recipient company (Paul's) with a
    Belgian VAT situation of its own, and a stranger."""
    with clock.frozen_at(T0):
        holder = new_customer("marie@example.com")
        recipient = new_customer(
            "paul@example.com",
            first_name="Paul",
            account_type="entreprise",
            company_name="Paul SARL",
        )
        stranger = new_customer("eve@example.com", first_name="Eve")
        product = new_product(holder, "hosting", "grow", expires_in=65, name="marie-site.fr")
        yield holder, recipient, stranger, product


def product(product_id: int) -> Product:
    with read_session() as session:
        return session.get(Product, product_id)


def change(change_id: int) -> HolderChange:
    with read_session() as session:
        return session.get(HolderChange, change_id)


def audit_actions() -> list[str]:
    return [e.action for e in rows(AuditEvent)]


def offer(holder, product_id, email="paul@example.com") -> int:
    return trades.offer_product(actor(holder), product_id, email, ip="192.0.2.40")


# ---------------------------------------------------------------- the offer


def test_the_holder_offers_and_the_recipient_is_emailed(people):
    holder, recipient, _, product_id = people
    with clock.frozen_at(T0):
        change_id = offer(holder, product_id, "  Paul@Example.com ")
    row = change(change_id)
    assert (row.from_customer_id, row.to_customer_id, row.status) == (
        holder,
        recipient,
        "offered",
    )
    assert row.expires_at - row.offered_at == timedelta(days=14)
    (mail,) = outbox("trade_offered")
    assert mail.to_addr == "paul@example.com" and mail.customer_id == recipient
    assert "marie-site.fr" in mail.subject and "Marie Dupont" in mail.subject
    assert "/trades" in mail.body_text
    assert "product.holder_offered" in audit_actions()
    assert product(product_id).customer_id == holder  # nothing moved yet


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("marie@example.com", "trade.error_self"),
        ("nobody@example.com", "trade.error_unknown_email"),
        ("not an address", "error.email_invalid"),
        ("", "error.required"),
    ],
)
def test_a_wrong_recipient_is_said_by_the_field_and_nothing_is_saved(people, email, message):
    holder, _, _, product_id = people
    with pytest.raises(InvalidInput) as caught:
        offer(holder, product_id, email)
    assert caught.value.errors == {"email": message}
    assert count(HolderChange) == 0 and outbox() == []


def test_a_disabled_or_staff_account_cannot_receive(people):
    holder, recipient, stranger, product_id = people
    update_customer(recipient, disabled_at=clock.now())
    update_customer(stranger, role="support")
    for email, message in (
        ("paul@example.com", "trade.error_disabled"),
        ("eve@example.com", "trade.error_staff"),
    ):
        with pytest.raises(InvalidInput) as caught:
            offer(holder, product_id, email)
        assert caught.value.errors == {"email": message}
    assert count(HolderChange) == 0


def test_one_offer_of_a_product_at_a_time(people):
    holder, _, _, product_id = people
    offer(holder, product_id)
    with pytest.raises(InvalidInput) as caught:
        offer(holder, product_id, "eve@example.com")
    assert caught.value.errors == {"email": "trade.error_pending"}
    assert count(HolderChange) == 1


def test_only_the_holder_offers(people):
    _, recipient, stranger, product_id = people
    for person in (recipient, stranger):
        with pytest.raises(NotAllowed):
            offer(person, product_id, "eve@example.com")
    with pytest.raises(NotAllowed):
        offer(stranger, 999_999)
    assert count(HolderChange) == 0


def _unpaid_form(customer_id, product_id, method="transfer") -> int:
    with clock.frozen_at(T0):
        outcome = renew(customer_id, product_id, choice=PaymentChoice(method), key=f"k-{method}")
    assert outcome.status == "pending"
    return outcome.order_id


def test_an_unpaid_renewal_or_a_payment_awaited_blocks_the_offer(people):
    holder, _, _, product_id = people
    order_id = _unpaid_form(holder, product_id)
    with pytest.raises(InvalidInput) as caught:
        offer(holder, product_id)
    assert caught.value.errors == {"product": "trade.blocked_offline_payment"}
    assert trades.product_trade(holder, product_id).blocked == "trade.blocked_offline_payment"
    # The same form without a chosen offline method is an unpaid form.
    with transaction() as session:
        session.get(Order, order_id).payment_method = None
    with pytest.raises(InvalidInput) as caught:
        offer(holder, product_id)
    assert caught.value.errors == {"product": "trade.blocked_unpaid_form"}
    # A card payment waiting for the gateway.
    with transaction() as session:
        session.add(
            Payment(
                order_id=order_id,
                customer_id=holder,
                method="card",
                amount_cents=1,
                status=PaymentStatus.PROCESSING,
                idempotency_key="processing-1",
            )
        )
    with pytest.raises(InvalidInput) as caught:
        offer(holder, product_id)
    assert caught.value.errors == {"product": "trade.blocked_card_payment"}
    assert count(HolderChange) == 0


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("suspended", "trade.blocked_suspended"),
        ("terminated", "trade.blocked_ended"),
    ],
)
def test_a_suspended_or_ended_product_cannot_be_offered(people, status, message):
    holder, _, _, product_id = people
    with transaction() as session:
        session.get(Product, product_id).status = status
    with pytest.raises(InvalidInput) as caught:
        offer(holder, product_id)
    assert caught.value.errors == {"product": message}


# ---------------------------------------------------------------- accepting


def test_accepting_moves_the_product_and_keeps_its_invoices_with_the_old_holder(people):
    holder, recipient, _, product_id = people
    with transaction() as session:
        session.get(Product, product_id).auto_renew = True
    with clock.frozen_at(T0):
        paid = renew(holder, product_id, choice=card(), key="before-trade")
    assert paid.status == "paid"
    before = product(product_id)
    change_id = offer(holder, product_id)
    assert trades.accept_offer(actor(recipient), change_id, ip="192.0.2.41") == product_id
    after = product(product_id)
    assert after.customer_id == recipient
    assert after.auto_renew is False
    assert (after.expiry_date, after.offer_code, after.quota_disk_mb) == (
        before.expiry_date,
        before.offer_code,
        before.quota_disk_mb,
    )
    assert change(change_id).status == "accepted" and change(change_id).decided_at
    with read_session() as session:
        invoices = session.exec(select(Invoice)).all()
        orders = session.exec(select(Order)).all()
    assert [i.customer_id for i in invoices] == [holder]
    assert [o.customer_id for o in orders] == [holder]
    # Both are told, each in their own words; the change is in both customers' logs.
    given, received = outbox("trade_accepted")
    assert (given.customer_id, received.customer_id) == (holder, recipient)
    assert "Paul SARL" in given.body_text and f"/services/{product_id}" in received.body_text
    with read_session() as session:
        logged = session.exec(
            select(AuditEvent.customer_id).where(AuditEvent.action == "product.holder_changed")
        ).all()
    assert sorted(logged) == sorted([holder, recipient])


def test_after_the_change_renewals_are_the_new_holders(people):
    holder, recipient, _, product_id = people
    offer_id = offer(holder, product_id)
    trades.accept_offer(actor(recipient), offer_id)
    with pytest.raises(NotAllowed):
        renew(holder, product_id, key="old-holder-renews")
    with clock.frozen_at(T0):
        outcome = renew(recipient, product_id, choice=card(), key="new-holder-renews")
    assert outcome.status == "paid"
    with read_session() as session:
        order = session.get(Order, outcome.order_id)
        invoice = session.exec(select(Invoice).where(Invoice.order_id == order.id)).one()
    assert order.customer_id == recipient == invoice.customer_id
    assert json.loads(order.billing_snapshot_json)["company_name"] == "Paul SARL"


def test_only_the_recipient_accepts_or_refuses(people):
    holder, recipient, stranger, product_id = people
    change_id = offer(holder, product_id)
    for person in (holder, stranger):
        for act in (trades.accept_offer, trades.refuse_offer):
            with pytest.raises(NotAllowed):
                act(actor(person), change_id)
    with pytest.raises(NotAllowed):
        trades.cancel_offer(actor(stranger), change_id)
    with pytest.raises(NotAllowed):
        trades.accept_offer(actor(recipient), 999_999)
    assert change(change_id).status == "offered"
    assert product(product_id).customer_id == holder


def test_an_offer_is_answered_once(people):
    holder, recipient, _, product_id = people
    change_id = offer(holder, product_id)
    trades.refuse_offer(actor(recipient), change_id)
    assert change(change_id).status == "refused"
    (mail,) = outbox("trade_refused")
    assert mail.customer_id == holder
    for act in (trades.accept_offer, trades.refuse_offer):
        with pytest.raises(InvalidInput) as caught:
            act(actor(recipient), change_id)
        assert caught.value.errors == {"offer": "trade.error_closed"}
    assert product(product_id).customer_id == holder


def test_a_renewal_form_left_unpaid_after_the_offer_blocks_the_acceptance(people):
    holder, recipient, _, product_id = people
    change_id = offer(holder, product_id)
    _unpaid_form(holder, product_id, "cheque")
    with pytest.raises(InvalidInput) as caught:
        trades.accept_offer(actor(recipient), change_id)
    assert caught.value.errors == {"offer": "trade.blocked_offline_payment"}
    assert product(product_id).customer_id == holder
    assert change(change_id).status == "offered"


def test_a_domains_registrant_changes_at_the_registrar_after_the_commit(people):
    holder, recipient, _, _ = people
    domain_id = new_product(holder, "domain", "fr", name="marie-trade.fr")
    registrar().register(
        "marie-trade.fr", holder_ref=f"customer:{holder}", years=1, nameservers=[], request_id="r1"
    )
    change_id = offer(holder, domain_id)
    trades.accept_offer(actor(recipient), change_id)
    (task,) = [t for t in rows(ProductTask) if t.action == TaskAction.CHANGE_HOLDER]
    assert task.status == "done" and task.product_id == domain_id
    with read_session() as session:
        book = session.exec(
            select(RegistryDomain).where(RegistryDomain.name == "marie-trade.fr")
        ).one()
    assert book.holder_ref == f"customer:{recipient}"


# ---------------------------------------------------------------- cancel and expiry


def test_the_offerer_or_staff_cancel(people):
    holder, recipient, stranger, product_id = people
    first = offer(holder, product_id)
    trades.cancel_offer(actor(holder), first)
    assert change(first).status == "cancelled" and change(first).cancelled_by_id == holder
    assert [m.customer_id for m in outbox("trade_cancelled")] == [recipient]
    second = offer(holder, product_id)
    update_customer(stranger, role="support")
    trades.cancel_offer(actor(stranger), second)
    assert change(second).cancelled_by_id == stranger
    assert [m.customer_id for m in outbox("trade_cancelled")][1:] == [holder, recipient]
    with pytest.raises(InvalidInput):
        trades.cancel_offer(actor(holder), second)
    assert audit_actions().count("product.holder_offer_cancelled") == 2


def test_offers_expire_after_14_days_once_whoever_runs_the_job(people):
    holder, recipient, _, product_id = people
    with clock.frozen_at(T0):
        change_id = offer(holder, product_id)
    with clock.frozen_at(T0 + 14 * DAY - timedelta(minutes=1)):
        assert trades.expire_offers()["expired"] == 0
    with clock.frozen_at(T0 + 14 * DAY):
        with pytest.raises(InvalidInput):  # too late to accept, even before the job ran
            trades.accept_offer(actor(recipient), change_id)
        assert trades.expire_offers()["expired"] == 1
        assert trades.expire_offers()["expired"] == 0
    assert change(change_id).status == "expired"
    assert sorted(m.customer_id for m in outbox("trade_expired")) == sorted([holder, recipient])
    assert product(product_id).customer_id == holder
    assert "holder_changes" in [name for name, _ in JOBS]


def test_lists_of_both_sides_and_the_waiting_count(people):
    holder, recipient, stranger, product_id = people
    change_id = offer(holder, product_id)
    assert trades.waiting_for(recipient) == 1 and trades.waiting_for(holder) == 0
    (sent,) = trades.offers_of(holder).rows
    (received,) = trades.offers_of(recipient).rows
    assert (sent.id, sent.sent, sent.to_name) == (change_id, True, "Paul SARL")
    assert (received.sent, received.from_name) == (False, "Marie Dupont")
    assert trades.offers_of(stranger).rows == []
    assert trades.product_trade(holder, product_id).pending.id == change_id
    with pytest.raises(NotAllowed):
        trades.product_trade(recipient, product_id)
    assert [r.id for r in trades.pending_changes().rows] == [change_id]
    assert trades.pending_change_of(product_id).to_email == "paul@example.com"


def test_mails_are_in_the_recipients_language(people):
    holder, recipient, _, product_id = people
    update_customer(recipient, language="en")
    offer(holder, product_id)
    (mail,) = outbox("trade_offered")
    assert mail.subject.startswith("Marie Dupont offers you")


def test_a_paid_order_does_not_block(people):
    holder, recipient, _, product_id = people
    order_id = _unpaid_form(holder, product_id)
    with clock.frozen_at(T0):
        outcome = pay_order(
            customer_id=holder, order_id=order_id, choice=card(), key="pay-now-key-0001"
        )
    assert outcome.status == "paid"
    with read_session() as session:
        assert session.get(Order, order_id).status == OrderStatus.PAID
    change_id = offer(holder, product_id)
    trades.accept_offer(actor(recipient), change_id)
    assert product(product_id).customer_id == recipient


# ---------------------------------------------------------------- the FAQ's answer


def _holder_migration():
    import importlib.util

    from o2portal.core.migrate import MIGRATIONS_DIR

    path = MIGRATIONS_DIR / "versions" / "b94b0d709730_holder_changes.py"
    spec = importlib.util.spec_from_file_location("holder_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_faq_answer_about_the_holder_is_updated_where_staff_left_it(db):
    """The default FAQ reaches a new installation's empty table only (ensure_faq); on an
    existing one the migration rewrites the answer that said to open a ticket, unless
    staff edited it."""
    from alembic import command

    from o2portal.content.default_faq import FAQ_ITEMS
    from o2portal.content.models import FaqEntry
    from o2portal.core.migrate import alembic_config

    migration = _holder_migration()
    (item,) = [i for i in FAQ_ITEMS if i.question == migration.QUESTION]
    assert item.answer == migration.NEW_ANSWER  # what a new installation gets
    assert "ouvre un ticket" in migration.OLD_ANSWER
    command.downgrade(alembic_config(), migration.down_revision)
    edited = "Écrivez-nous au support."
    with transaction() as session:
        for answer in (migration.OLD_ANSWER, edited):
            session.add(FaqEntry(topic="Compte", question=migration.QUESTION, answer=answer))
    command.upgrade(alembic_config(), "head")
    with read_session() as session:
        answers = session.exec(select(FaqEntry.answer).order_by(FaqEntry.id)).all()
    assert answers == [migration.NEW_ANSWER, edited]
