"""Orders for a client and administrative contacts, on the real database (SQLite and
PostgreSQL): a webmaster proposes an order to a client's account, priced for the client;
nothing is charged until the client accepts; the order form is made out to the client and
either of them pays it, the webmaster with their own means; the client owns the product,
the invoice carries the client's billing identity, and the webmaster becomes its
administrative contact, who renews it and pays with their own means. Bad input is refused
by its field with nothing saved; refused, expired, withdrawn or revoked proposals are
never paid."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer, SavedCard
from o2portal.billing import client_orders
from o2portal.billing.checkout import pay_order
from o2portal.billing.documents import offline_payment
from o2portal.billing.invoices import REVERSE_CHARGE_MENTION, change_credit
from o2portal.billing.models import (
    ClientOrder,
    Invoice,
    Order,
    OrderStatus,
    Payment,
    PaymentStatus,
)
from o2portal.billing.orders import CartItem, price_cart
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.billing.renewals import quote_renewal, renew_product
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.jobs.registry import JOBS
from o2portal.products import contacts
from o2portal.products.contact_models import ContactAction, ProductContact
from o2portal.products.contacts import Right
from o2portal.products.models import DomainHold, Product
from tests.unit.helpers import count, outbox, rows

GOOD = CardDetails("4242424242424242", 12, 2031, "123", "Wendy Web")
T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
HOSTING = [
    CartItem("hosting", code="cloud", years=1, domain="brasserie-coin.fr", action="register")
]
BELGIAN = {
    "account_type": "entreprise",
    "company_name": "Brasserie du Coin",
    "vat_number": "BE0403170701",
    "country": "BE",
    "postal_code": "1000",
    "city": "Bruxelles",
    "address_line1": "12 rue Haute",
}


def _customer(email: str, first_name: str = "Marie", **values) -> int:
    fields = {
        "phone": "+33612345678",
        "address_line1": "14 rue des Carmes",
        "postal_code": "45000",
        "city": "Orléans",
        "country": "FR",
    } | values
    with transaction() as session:
        customer = Customer(
            email=email,
            password_hash="not-a-login",
            first_name=first_name,
            last_name="Test",
            **fields,
        )
        session.add(customer)
        session.flush()
        return customer.id


@pytest.fixture
def world(db):
    with transaction() as session:
        ensure_catalogue(session)
    return {
        "webmaster": _customer(
            "agence@example.com", "Wendy", account_type="entreprise", company_name="Agence Web"
        ),
        "client": _customer("brasserie@example.com", "Bruno", **BELGIAN),
        "consumer": _customer("paul@example.com", "Paul"),
        "stranger": _customer("sam@example.com", "Sam"),
    }


def propose(world, email="brasserie@example.com", key="proposal-0001", items=None) -> int:
    return client_orders.propose(world["webmaster"], items or HOSTING, email, key=key)


def accept(world, proposal_id: int, who: str = "client", **consents) -> int:
    return client_orders.accept(
        world[who],
        proposal_id,
        terms_accepted=consents.get("terms", True),
        withdrawal_waived=consents.get("withdrawal", True),
    )


def card(save: bool = False) -> PaymentChoice:
    return PaymentChoice("card", card=GOOD, save_card=save)


def get(model, row_id):
    with read_session() as session:
        return session.get(model, row_id)


def audit_actions() -> list[str]:
    return [e.action for e in rows(AuditEvent)]


# ---------------------------------------------------------------- the proposal


def test_a_proposal_charges_nothing_and_is_priced_for_the_client(world):
    proposal_id = propose(world)
    assert (count(Order), count(Payment), count(DomainHold)) == (0, 0, 0)
    (mail,) = outbox("client_order_proposed")
    assert mail.customer_id == world["client"] and "Agence Web" in mail.subject
    assert "brasserie-coin.fr" in mail.body_text and "/contacts" in mail.body_text

    (received,) = client_orders.proposals_of(world["client"])
    assert received.status == "proposed" and received.sent is False
    assert received.contact_name == "Agence Web" and received.client_email == ""
    # The client is a Belgian business with a VAT number: reverse charge, no VAT; the
    # webmaster, a French business, would pay 20 % on the same cart.
    assert received.vat_cents == 0 and received.ht_cents == received.ttc_cents
    assert received.vat_mention == REVERSE_CHARGE_MENTION
    own = price_cart(world["webmaster"], HOSTING)
    assert own.totals.ht == received.ht_cents and own.totals.vat > 0
    (sent,) = client_orders.proposals_of(world["webmaster"])
    assert sent.id == proposal_id and sent.sent and sent.client_email == "brasserie@example.com"
    assert sent.payable is False  # not before the client accepts
    assert client_orders.waiting_for(world["client"]) == 1
    assert client_orders.waiting_for(world["webmaster"]) == 0
    assert audit_actions().count("client_order.proposed") == 2  # in each side's log


@pytest.mark.parametrize(
    ("email", "items", "promo", "errors"),
    [
        ("agence@example.com", HOSTING, "", {"client_email": "error.client_order_self"}),
        ("personne@example.com", HOSTING, "", {"client_email": "error.contact_unknown"}),
        ("disabled@example.com", HOSTING, "", {"client_email": "error.client_order_disabled"}),
        ("support@example.com", HOSTING, "", {"client_email": "error.client_order_staff"}),
        ("pas une adresse", HOSTING, "", {"client_email": "error.email_invalid"}),
        ("", HOSTING, "", {"client_email": "error.required"}),
        ("brasserie@example.com", [], "", {"cart": "error.cart_empty"}),
        (
            "brasserie@example.com",
            [CartItem("ssl", code="dv", domain="brasserie-coin.fr")],
            "",
            {"cart": "error.client_order_kind"},
        ),
        ("brasserie@example.com", HOSTING, "BIENVENUE", {"promo": "error.client_order_promo"}),
        (
            "personne@example.com",
            HOSTING,
            "BIENVENUE",
            {"client_email": "error.contact_unknown", "promo": "error.client_order_promo"},
        ),
        (
            "brasserie@example.com",
            [CartItem("hosting", code="cloud", years=1, domain="x.fr", action="existing")],
            "",
            {"cart": "error.domain_not_yours"},
        ),
    ],
)
def test_a_bad_proposal_says_why_by_its_field_and_saves_nothing(world, email, items, promo, errors):
    _customer("disabled@example.com", disabled_at=clock.now())
    _customer("support@example.com", role="support")
    with pytest.raises(InvalidInput) as refused:
        client_orders.propose(
            world["webmaster"], items, email, key="proposal-0002", promo_code=promo
        )
    found = refused.value.errors
    if errors.get("client_email") == "error.email_invalid":
        assert set(found) == {"client_email"}
    else:
        assert found == errors
    assert count(ClientOrder) == 0 and outbox() == []


def test_the_same_form_sent_twice_makes_one_proposal(world):
    first = propose(world)
    assert propose(world) == first
    assert count(ClientOrder) == 1 and len(outbox("client_order_proposed")) == 1
    # Somebody else's key is not a way to read their proposal.
    with pytest.raises(NotAllowed):
        client_orders.propose(
            world["stranger"], HOSTING, "brasserie@example.com", key="proposal-0001"
        )
    with pytest.raises(InvalidInput):
        client_orders.propose(world["webmaster"], HOSTING, "brasserie@example.com", key="x")


# ---------------------------------------------------------------- the answer


def test_accepting_makes_an_order_form_made_out_to_the_client(world):
    proposal_id = propose(world)
    (row,) = client_orders.proposals_of(world["client"])
    order_id = client_orders.accept(
        world["client"],
        proposal_id,
        terms_accepted=True,
        withdrawal_waived=False,  # a business: no withdrawal right to waive
        expected_ttc_cents=row.ttc_cents,
    )
    order = get(Order, order_id)
    assert (order.customer_id, order.agent_id, order.status) == (
        world["client"],
        world["webmaster"],
        "unpaid",
    )
    assert (order.total_ttc_cents, order.vat_rate_bp) == (row.ttc_cents, 0)
    assert order.vat_mention == REVERSE_CHARGE_MENTION and order.vat_check == "valid"
    snapshot = json.loads(order.billing_snapshot_json)
    assert snapshot["name"] == "Brasserie du Coin" and snapshot["vat_number"] == "BE0403170701"
    assert snapshot["city"] == "Bruxelles" and order.terms_accepted_at is not None
    # Its free domain is held for it, as for any order form.
    assert [h.name for h in rows(DomainHold)] == ["brasserie-coin.fr"]
    assert get(ClientOrder, proposal_id).status == "accepted"
    (news,) = outbox("client_order_news")
    assert news.customer_id == world["webmaster"] and "acceptée" in news.subject
    (sent,) = client_orders.proposals_of(world["webmaster"])
    assert sent.payable and sent.ttc_cents == row.ttc_cents and sent.order_id == order_id
    # Answered once only.
    with pytest.raises(InvalidInput):
        accept(world, proposal_id)
    assert count(Order) == 1


def test_the_client_consents_at_the_price_they_saw(world):
    proposal_id = client_orders.propose(
        world["webmaster"], HOSTING, "paul@example.com", key="proposal-0003"
    )
    for consents, field in (({"terms": False}, "terms"), ({"withdrawal": False}, "withdrawal")):
        with pytest.raises(InvalidInput) as refused:
            accept(world, proposal_id, "consumer", **consents)
        assert field in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        client_orders.accept(
            world["consumer"],
            proposal_id,
            terms_accepted=True,
            withdrawal_waived=True,
            expected_ttc_cents=1,
        )
    assert refused.value.errors == {"proposal": "error.price_changed"}
    assert count(Order) == 0 and get(ClientOrder, proposal_id).status == "proposed"
    # A French consumer pays French VAT on it.
    order = get(Order, accept(world, proposal_id, "consumer"))
    assert order.vat_rate_bp == 2000 and order.withdrawal_waived_at is not None


def test_only_the_client_answers_and_only_the_webmaster_withdraws(world):
    proposal_id = propose(world)
    for who in ("webmaster", "stranger"):
        with pytest.raises(NotAllowed):
            accept(world, proposal_id, who)
        with pytest.raises(NotAllowed):
            client_orders.refuse(world[who], proposal_id)
    for who in ("client", "stranger"):
        with pytest.raises(NotAllowed):
            client_orders.cancel(world[who], proposal_id)
    client_orders.cancel(world["webmaster"], proposal_id)
    assert get(ClientOrder, proposal_id).status == "cancelled"
    assert [m.customer_id for m in outbox("client_order_news")] == [world["client"]]
    with pytest.raises(InvalidInput):
        accept(world, proposal_id)
    assert count(Order) == 0


def test_a_refused_proposal_orders_nothing(world):
    proposal_id = propose(world)
    client_orders.refuse(world["client"], proposal_id)
    assert get(ClientOrder, proposal_id).status == "refused"
    (news,) = outbox("client_order_news")
    assert news.customer_id == world["webmaster"] and "refusée" in news.subject
    with pytest.raises(InvalidInput):
        accept(world, proposal_id)
    with pytest.raises(InvalidInput):
        client_orders.revoke(world["client"], proposal_id)
    assert (count(Order), count(Payment)) == (0, 0)
    assert client_orders.proposals_of(world["webmaster"])[0].payable is False


def test_proposals_expire_after_14_days_once_whoever_runs_the_job(world):
    with clock.frozen_at(T0):
        proposal_id = propose(world)
    with clock.frozen_at(T0 + timedelta(days=14) - timedelta(minutes=1)):
        assert client_orders.expire_proposals()["expired"] == 0
    with clock.frozen_at(T0 + timedelta(days=14)):
        with pytest.raises(InvalidInput):  # too late to accept, even before the job ran
            accept(world, proposal_id)
        assert client_orders.proposals_of(world["client"])[0].status == "expired"
        assert client_orders.waiting_for(world["client"]) == 0
        assert client_orders.expire_proposals()["expired"] == 1
        assert client_orders.expire_proposals()["expired"] == 0
    assert get(ClientOrder, proposal_id).status == "expired"
    told = sorted(m.customer_id for m in outbox("client_order_news"))
    assert told == sorted([world["webmaster"], world["client"]])
    assert count(Order) == 0
    assert "client_orders" in [name for name, _ in JOBS]


# ---------------------------------------------------------------- paying it


def _accepted(world) -> tuple[int, int]:
    proposal_id = propose(world)
    return proposal_id, accept(world, proposal_id)


def test_the_webmaster_pays_with_their_card_and_the_client_owns_it(world):
    proposal_id, order_id = _accepted(world)
    ttc = get(Order, order_id).total_ttc_cents
    outcome = pay_order(
        customer_id=world["webmaster"],
        order_id=order_id,
        choice=card(save=True),
        key="webmaster-pays-0001",
        expected_ttc_cents=ttc,
    )
    assert outcome.status == "paid"
    # The contact is never told the number of the client's invoice.
    assert outcome.invoice_number is None and outcome.message_key == "pay.done_for_holder"
    (invoice,) = rows(Invoice)
    assert invoice.customer_id == world["client"] and invoice.total_ttc_cents == ttc
    billed = json.loads(invoice.customer_snapshot_json)
    assert billed["name"] == "Brasserie du Coin" and billed["vat_number"] == "BE0403170701"
    assert invoice.vat_mention == REVERSE_CHARGE_MENTION and invoice.total_vat_cents == 0
    (payment,) = rows(Payment)
    assert payment.customer_id == world["webmaster"] and payment.status == "succeeded"
    # The card is kept for the webmaster, never on the client's account.
    assert [c.customer_id for c in rows(SavedCard)] == [world["webmaster"]]
    products = {p.kind: p for p in rows(Product)}
    assert {p.customer_id for p in products.values()} == {world["client"]}
    assert set(products) == {"hosting", "domain"}
    links = rows(ProductContact)
    assert {(pc.product_id, pc.contact_id, pc.role, pc.status) for pc in links} == {
        (p.id, world["webmaster"], "administrative", "active") for p in products.values()
    }
    assert contacts.may(world["webmaster"], products["hosting"].id, Right.RENEW)
    assert {a.action for a in rows(ContactAction)} == {"client_order_paid"}
    assert [m.customer_id for m in outbox("order_confirmation")] == [world["client"]]
    assert {m.customer_id for m in outbox("contact_action")} == {world["client"]}
    news = [m for m in outbox("client_order_news") if "payée" in m.subject]
    assert [m.customer_id for m in news] == [world["webmaster"]]
    assert client_orders.proposals_of(world["client"])[0].status == "paid"
    assert get(ClientOrder, proposal_id).status == "accepted"
    # Paid once: the same key reads the outcome again; another key finds it paid.
    again = pay_order(
        customer_id=world["webmaster"], order_id=order_id, choice=card(), key="webmaster-pays-0001"
    )
    other = pay_order(
        customer_id=world["webmaster"], order_id=order_id, choice=card(), key="webmaster-pays-0002"
    )
    assert (again.status, again.invoice_number) == ("paid", None)
    assert (other.status, other.invoice_number) == ("paid", None)
    assert count(Payment) == 1 and count(Invoice) == 1


def test_the_webmaster_pays_with_their_own_credit(world):
    _proposal_id, order_id = _accepted(world)
    ttc = get(Order, order_id).total_ttc_cents
    with transaction() as session:
        change_credit(session, world["webmaster"], ttc + 500, "Avoir agence")
        change_credit(session, world["client"], ttc + 900, "Avoir client")
    outcome = pay_order(
        customer_id=world["webmaster"],
        order_id=order_id,
        choice=PaymentChoice("credit"),
        key="credit-0001",
    )
    assert outcome.status == "paid"
    assert get(Customer, world["webmaster"]).credit_balance_cents == 500
    assert get(Customer, world["client"]).credit_balance_cents == ttc + 900


def test_the_holders_saved_card_is_never_charged_for_the_contact(world):
    _proposal_id, order_id = _accepted(world)
    with transaction() as session:
        session.add(
            SavedCard(
                customer_id=world["client"],
                gateway_token="tok_client_saved",
                brand="Visa",
                last4="4242",
                exp_month=12,
                exp_year=2031,
            )
        )
    (saved,) = rows(SavedCard)
    with pytest.raises(InvalidInput) as refused:
        pay_order(
            customer_id=world["webmaster"],
            order_id=order_id,
            choice=PaymentChoice("saved_card", saved_card_id=saved.id),
            key="saved-0001",
        )
    assert refused.value.errors == {"method": "error.card_unknown"}
    assert count(Payment) == 0 and get(Order, order_id).status == "unpaid"


def test_the_client_may_pay_it_and_the_webmaster_still_becomes_its_contact(world):
    _proposal_id, order_id = _accepted(world)
    outcome = pay_order(
        customer_id=world["client"], order_id=order_id, choice=card(), key="client-pays-0001"
    )
    assert outcome.status == "paid" and outcome.invoice_number  # the client's own invoice
    (payment,) = rows(Payment)
    assert payment.customer_id == world["client"]
    assert {pc.contact_id for pc in rows(ProductContact)} == {world["webmaster"]}


def test_the_webmaster_pays_by_transfer_and_sees_how_but_not_the_form(world):
    _proposal_id, order_id = _accepted(world)
    outcome = pay_order(
        customer_id=world["webmaster"],
        order_id=order_id,
        choice=PaymentChoice("transfer"),
        key="transfer-0001",
    )
    assert outcome.status == "pending"
    found = offline_payment(world["webmaster"], order_id)
    assert found is not None and found.own is False  # no link to the client's PDF
    assert offline_payment(world["client"], order_id).own is True
    assert offline_payment(world["stranger"], order_id) is None
    assert [m.customer_id for m in outbox("order_form")] == [world["webmaster"]]


def test_the_client_takes_the_right_to_pay_back_at_once(world, monkeypatch):
    from o2portal.core import events

    heard: list[str] = []
    monkeypatch.setattr(events, "publish", heard.append)
    proposal_id, order_id = _accepted(world)
    with pytest.raises(NotAllowed):
        client_orders.revoke(world["webmaster"], proposal_id)
    client_orders.revoke(world["client"], proposal_id)
    assert heard == [contacts.topic(world["webmaster"])]
    assert get(ClientOrder, proposal_id).status == "revoked"
    with pytest.raises(InvalidInput) as refused:
        pay_order(customer_id=world["webmaster"], order_id=order_id, choice=card(), key="late-0001")
    assert refused.value.errors == {"method": "error.agent_right_gone"}
    assert count(Payment) == 0
    # The form stays the client's: they pay it, and nobody becomes their contact.
    outcome = pay_order(
        customer_id=world["client"], order_id=order_id, choice=card(), key="client-pays-0002"
    )
    assert outcome.status == "paid" and count(ProductContact) == 0
    with pytest.raises(InvalidInput):
        client_orders.revoke(world["client"], proposal_id)


def test_nobody_else_pays_it_nor_a_refused_or_cancelled_form(world):
    proposal_id, order_id = _accepted(world)
    for who in ("stranger", "consumer"):
        with pytest.raises(NotAllowed):
            pay_order(customer_id=world[who], order_id=order_id, choice=card(), key=f"{who}-0001")
    # The client cancels the form on /invoices: it can no longer be paid by anyone.
    from o2portal.billing.order_forms import cancel_order_form
    from tests.unit.helpers import actor

    assert cancel_order_form(actor(world["client"]), order_id)
    outcome = pay_order(
        customer_id=world["webmaster"], order_id=order_id, choice=card(), key="void-0001"
    )
    assert outcome.status == "failed" and count(Payment) == 0
    assert get(Order, order_id).status == OrderStatus.CANCELLED
    assert client_orders.proposals_of(world["webmaster"])[0].status == "void"
    assert not client_orders.proposals_of(world["webmaster"])[0].payable
    assert get(ClientOrder, proposal_id).order_id == order_id


# ---------------------------------------------------------------- renewing as a contact


@pytest.fixture
def managed(world):
    """The client's hosting account, the webmaster its administrative contact."""
    today = clock.today()
    with transaction() as session:
        product = Product(
            customer_id=world["client"],
            kind="hosting",
            name="brasserie-coin.be",
            offer_code="cloud",
            start_date=today - timedelta(days=300),
            expiry_date=today + timedelta(days=40),
        )
        session.add(product)
        session.flush()
        product_id = product.id
    link_id = contacts.invite(world["client"], product_id, "agence@example.com", "administrative")
    contacts.answer(world["webmaster"], link_id, True)
    return {**world, "product": product_id, "link": link_id}


def _renew(managed, who="webmaster", choice=None, key="renew-0001"):
    product = get(Product, managed["product"])
    return renew_product(
        customer_id=managed[who],
        product_id=product.id,
        years=1,
        expected_expiry=product.expiry_date,
        choice=choice or card(save=True),
        key=key,
    )


def test_an_administrative_contact_renews_and_pays_with_their_own_means(managed):
    before = get(Product, managed["product"]).expiry_date
    quote = quote_renewal(managed["webmaster"], managed["product"], 1)
    assert quote.vat_rate_bp == 0 and quote.vat_mention == REVERSE_CHARGE_MENTION  # the holder's
    outcome = _renew(managed)
    assert outcome.status == "paid" and outcome.invoice_number is None
    assert outcome.message_key == "pay.done_for_holder"
    assert get(Product, managed["product"]).expiry_date > before
    (order,) = rows(Order)
    assert (order.customer_id, order.agent_id, order.kind) == (
        managed["client"],
        managed["webmaster"],
        "renewal",
    )
    assert json.loads(order.billing_snapshot_json)["name"] == "Brasserie du Coin"
    (invoice,) = rows(Invoice)
    assert invoice.customer_id == managed["client"] and invoice.total_vat_cents == 0
    assert json.loads(invoice.customer_snapshot_json)["vat_number"] == "BE0403170701"
    (payment,) = rows(Payment)
    assert payment.customer_id == managed["webmaster"]
    assert [c.customer_id for c in rows(SavedCard)] == [managed["webmaster"]]
    actions = [a for a in rows(ContactAction) if a.action == "renewed"]
    assert len(actions) == 1 and actions[0].link_id == managed["link"]
    assert [m.customer_id for m in outbox("invoice")] == [managed["client"]]
    told = [m for m in outbox("contact_action") if "renouvelé" in m.body_text]
    assert [m.customer_id for m in told] == [managed["client"]]
    # The same form sent twice renews once.
    again = _renew(managed)
    assert again.status == "paid" and again.invoice_number is None and count(Invoice) == 1


def test_a_contacts_transfer_renewal_is_told_and_revoking_stops_its_payment(managed):
    outcome = _renew(managed, choice=PaymentChoice("transfer"))
    assert outcome.status == "pending"
    (order,) = rows(Order)
    assert {a.action for a in rows(ContactAction)} >= {"renewal_by_transfer"}
    assert offline_payment(managed["webmaster"], order.id).own is False
    contacts.revoke(managed["client"], managed["link"])
    with pytest.raises(InvalidInput) as refused:
        pay_order(
            customer_id=managed["webmaster"], order_id=order.id, choice=card(), key="revoked-0002"
        )
    assert refused.value.errors == {"method": "error.agent_right_gone"}
    with pytest.raises(NotAllowed):
        _renew(managed, key="renew-0003")
    with pytest.raises(NotAllowed):
        quote_renewal(managed["webmaster"], managed["product"], 1)
    assert count(Payment) == 0
    # The holder still pays the form left unpaid, with their own card.
    paid = pay_order(
        customer_id=managed["client"], order_id=order.id, choice=card(), key="holder-0001"
    )
    assert paid.status == "paid" and paid.invoice_number


def test_a_technical_contact_still_cannot_renew_or_pay(managed):
    contacts.revoke(managed["client"], managed["link"])
    link_id = contacts.invite(
        managed["client"], managed["product"], "agence@example.com", "technical"
    )
    contacts.answer(managed["webmaster"], link_id, True)
    assert Right.RENEW not in contacts.RIGHTS["technical"]
    assert not contacts.may(managed["webmaster"], managed["product"], Right.RENEW)
    with pytest.raises(NotAllowed):
        quote_renewal(managed["webmaster"], managed["product"], 1)
    with pytest.raises(NotAllowed):
        _renew(managed)
    holders = _renew(managed, who="client", choice=PaymentChoice("transfer"), key="holder-0002")
    with pytest.raises(NotAllowed):
        pay_order(
            customer_id=managed["webmaster"],
            order_id=holders.order_id,
            choice=card(),
            key="tech-0001",
        )
    assert count(Payment) == 0
    assert [p.status for p in rows(Payment)] == []
    assert get(Order, holders.order_id).status == "unpaid"


def test_payments_and_proposals_are_audited_with_sentences(world):
    _proposal_id, order_id = _accepted(world)
    pay_order(customer_id=world["webmaster"], order_id=order_id, choice=card(), key="audit-0001")
    with read_session() as session:
        actions = {
            e.action
            for e in session.exec(select(AuditEvent).where(AuditEvent.action.startswith("client")))
        }
    assert actions == {"client_order.proposed", "client_order.accepted"}
    assert "contact.granted" in audit_actions()
    assert [p.status for p in rows(Payment)] == [PaymentStatus.SUCCEEDED]


def test_the_migration_rewrites_the_english_faq_entry_but_not_an_edited_one(db):
    """An installation whose English FAQ was seeded before administrative contacts gets
    the new text; an entry staff rewrote keeps their words; a downgrade puts it back."""
    import importlib

    from alembic import command

    from o2portal.content.default_faq import DEFAULT_FAQ
    from o2portal.content.models import FaqEntry
    from o2portal.core.migrate import alembic_config

    mig = importlib.import_module("o2portal.migrations.versions.33b5ea769619_client_orders")
    (item,) = [i for i in DEFAULT_FAQ["en"] if i.question == mig.FAQ_QUESTION_EN]
    assert item.answer == mig.FAQ_AFTER_EN  # the seed and the migration say the same
    assert "For a client" in mig.FAQ_AFTER_EN and "For a client" not in mig.FAQ_BEFORE_EN
    command.downgrade(alembic_config(), mig.down_revision)
    own = "Our own answer, written by support."
    with transaction() as session:
        for answer in (mig.FAQ_BEFORE_EN, own):
            session.add(
                FaqEntry(
                    topic="Domain names", question=mig.FAQ_QUESTION_EN, answer=answer, language="en"
                )
            )
    command.upgrade(alembic_config(), "head")
    with read_session() as session:
        answers = [e.answer for e in session.exec(select(FaqEntry).order_by(FaqEntry.id))]
    assert answers == [mig.FAQ_AFTER_EN, own]
    command.downgrade(alembic_config(), mig.down_revision)
    with read_session() as session:
        answers = [e.answer for e in session.exec(select(FaqEntry).order_by(FaqEntry.id))]
    assert answers == [mig.FAQ_BEFORE_EN, own]
    command.upgrade(alembic_config(), "head")
