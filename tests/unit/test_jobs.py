"""The jobs walked through time with an injected clock: reminders, expiry, auto-renewal."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer, SavedCard
from o2portal.billing.autorenew import run_auto_renewals
from o2portal.billing.models import Invoice, Order
from o2portal.billing.payments import PaymentChoice
from o2portal.billing.renewals import renew_product
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.integrations.gateway import vault_test_card
from o2portal.jobs import runner as jobs
from o2portal.mail.models import OutboxEmail
from o2portal.products import reminders
from o2portal.products.models import Product, ReminderSent

START = date(2027, 1, 4)
PASSWORD_HASH = "$2b$12$" + "x" * 53  # never checked here


def at(day: date):
    """Freeze the clock at 06:00 Paris on that day."""
    return clock.frozen_at(datetime.combine(day, time(5, 0), tzinfo=UTC))


@pytest.fixture
def customer(db):
    return jobs_customer()


def jobs_customer() -> Customer:
    with transaction() as session:
        ensure_catalogue(session)
        person = Customer(
            email="jobs@example.fr",
            password_hash=PASSWORD_HASH,
            first_name="Jo",
            last_name="Bs",
            phone="+33612345678",
            address_line1="1 rue",
            postal_code="75001",
            city="Paris",
            credit_balance_cents=0,
        )
        session.add(person)
        session.flush()
        return person


def add_product(customer, kind: str, name: str, expiry: date, **extra) -> int:
    offer = {"hosting": "cloud", "domain": name.rsplit(".", 1)[-1], "server": "srv-s"}[kind]
    with transaction() as session:
        product = Product(
            customer_id=customer.id,
            kind=kind,
            name=name,
            offer_code=offer,
            start_date=START,
            expiry_date=expiry,
            **extra,
        )
        session.add(product)
        session.flush()
        return product.id


def mails(product_name: str | None = None) -> list[tuple[str, str]]:
    with read_session() as session:
        rows = session.exec(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    return [(m.kind, m.subject) for m in rows if product_name is None or product_name in m.subject]


def run_days(first: date, last: date, action=None) -> None:
    day = first
    while day <= last:
        with at(day):
            if action:
                action(day)
            jobs.run_all()
        day += timedelta(days=1)


def stages(product_id: int) -> list[tuple[date, str]]:
    with read_session() as session:
        rows = session.exec(
            select(ReminderSent)
            .where(ReminderSent.product_id == product_id)
            .order_by(ReminderSent.id)
        ).all()
    return [(r.expiry_date, r.stage) for r in rows]


def test_a_year_of_jobs_sends_each_stage_once_in_order(customer):
    expiry = START + timedelta(days=120)
    hosting = add_product(customer, "hosting", "site-jobs.fr", expiry, hosting_username="jobs1")
    domain = add_product(customer, "domain", "jobs-domain.com", expiry + timedelta(days=3))
    run_days(START, START + timedelta(days=364))

    assert [s for _, s in stages(hosting)] == ["D-60", "D-30", "D-15", "D-7", "D-1", "D0", "D+7"]
    assert [s for _, s in stages(domain)] == ["D-60", "D-30", "D-15", "D-7", "D-1", "D0", "D+7"]
    hosting_mails = [kind for kind, subject in mails() if "site-jobs.fr" in subject]
    assert hosting_mails == ["reminder"] * 6 + [
        "product_suspended",
        "reminder",
        "product_terminated",
    ]
    domain_mails = [kind for kind, subject in mails() if "jobs-domain.com" in subject]
    assert domain_mails == ["reminder"] * 6 + ["product_expired", "reminder", "product_released"]
    with read_session() as session:
        assert session.get(Product, hosting).status == "terminated"
        assert session.get(Product, domain).status == "released"
    # Each reminder names the product, the date, the price and links to the renewal.
    with read_session() as session:
        first = session.exec(
            select(OutboxEmail).where(OutboxEmail.kind == "reminder").order_by(OutboxEmail.id)
        ).first()
    assert "site-jobs.fr" in first.subject
    assert f"/services/{hosting}#renew" in first.body_text
    assert "230,40" in first.body_text  # Cloud renewal 192,00 € HT + 20 % VAT


def test_the_suspension_and_termination_days(customer):
    expiry = START + timedelta(days=10)
    hosting = add_product(customer, "hosting", "late.fr", expiry, hosting_username="late1")
    run_days(START, expiry)
    with read_session() as session:
        assert session.get(Product, hosting).status == "active"  # its last paid day
    run_days(expiry + timedelta(days=1), expiry + timedelta(days=30))
    with read_session() as session:
        assert session.get(Product, hosting).status == "suspended"
    run_days(expiry + timedelta(days=31), expiry + timedelta(days=31))
    with read_session() as session:
        assert session.get(Product, hosting).status == "terminated"


def test_renewing_midway_restarts_the_cycle(customer):
    with transaction() as session:
        session.get(Customer, customer.id).credit_balance_cents = 100_000
    expiry = START + timedelta(days=70)
    domain = add_product(customer, "domain", "renewed.fr", expiry)
    renew_day = expiry - timedelta(days=20)

    def maybe_renew(day):
        if day == renew_day:
            outcome = renew_product(
                customer_id=customer.id,
                product_id=domain,
                years=1,
                expected_expiry=expiry,
                choice=PaymentChoice("credit"),
                key="renew-midway-0001",
            )
            assert outcome.status == "paid"

    run_days(START, expiry + timedelta(days=30), maybe_renew)
    new_expiry = expiry.replace(year=expiry.year + 1)
    assert stages(domain) == [(expiry, "D-60"), (expiry, "D-30")]
    run_days(expiry + timedelta(days=31), new_expiry - timedelta(days=29))
    assert stages(domain)[2:] == [(new_expiry, "D-60"), (new_expiry, "D-30")]
    with read_session() as session:
        assert session.get(Product, domain).status == "active"


def test_after_downtime_only_the_most_relevant_stage_goes_out(customer):
    expiry = START + timedelta(days=80)
    domain = add_product(customer, "domain", "downtime.fr", expiry)
    run_days(expiry - timedelta(days=62), expiry - timedelta(days=40))  # D-60 goes out
    # Nothing runs from D-39 to D-13: D-30 and D-15 fell during the downtime.
    run_days(expiry - timedelta(days=12), expiry - timedelta(days=12))
    assert [s for _, s in stages(domain)] == ["D-60", "D-15"]


def test_two_runs_at_once_send_nothing_twice(customer):
    expiry = START + timedelta(days=30)
    for i in range(40):
        add_product(customer, "domain", f"twice-{i}.fr", expiry)
    barrier = threading.Barrier(2)
    errors = []

    def runner(name):
        try:
            barrier.wait()
            reminders.send_due_reminders()  # no lease on purpose: the constraint holds
            jobs.run_all(holder=name)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    # The frozen clock is one global: freeze it once here, not in each thread, or the
    # threads' restores interleave and leave it frozen for the tests that follow.
    with at(START):
        threads = [threading.Thread(target=runner, args=(f"worker-{i}",)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    with read_session() as session:
        sent = session.exec(select(ReminderSent)).all()
        queued = session.exec(select(OutboxEmail).where(OutboxEmail.kind == "reminder")).all()
    assert len(sent) == 40 and {s.stage for s in sent} == {"D-30"}
    assert len(queued) == 40


def test_the_lease_keeps_a_second_runner_out(customer):
    entered = threading.Event()
    release = threading.Event()

    def slow(_last):
        entered.set()
        release.wait(10)
        return {"slow": True}

    first: list = []
    thread = threading.Thread(target=lambda: first.append(jobs.run_job("demo", slow, holder="a")))
    thread.start()
    assert entered.wait(10)
    second = jobs.run_job("demo", lambda _last: {"ran": True}, holder="b")
    release.set()
    thread.join()
    assert second.ran is False
    assert first[0].ran is True
    assert jobs.run_job("demo", lambda _last: {"ran": True}, holder="b").ran is True


def _auto_renew_setup(customer, card_number: str) -> int:
    with transaction() as session:
        token = vault_test_card(session, card_number, 12, 2031)
        session.add(
            SavedCard(
                customer_id=customer.id,
                gateway_token=token,
                brand="Visa",
                last4=card_number[-4:],
                exp_month=12,
                exp_year=2031,
            )
        )
    return add_product(customer, "domain", "auto.fr", START + timedelta(days=40), auto_renew=True)


def test_auto_renewal_with_the_success_card_renews_at_d_minus_7(customer):
    product = _auto_renew_setup(customer, "4242424242424242")
    expiry = START + timedelta(days=40)
    run_days(START, expiry - timedelta(days=16))
    with read_session() as session:
        assert session.exec(select(Order)).all() == []
    run_days(expiry - timedelta(days=15), expiry - timedelta(days=15))
    with read_session() as session:
        order = session.exec(select(Order)).one()
        assert order.status == "unpaid"
    assert ("auto_renew_order", "Renouvellement automatique de auto.fr") in mails()
    run_days(expiry - timedelta(days=14), expiry - timedelta(days=8))
    with read_session() as session:
        assert session.get(Order, order.id).status == "unpaid"
    run_days(expiry - timedelta(days=7), expiry - timedelta(days=7))
    with read_session() as session:
        assert session.get(Order, order.id).status == "paid"
        assert session.exec(select(Invoice)).one().order_id == order.id
        renewed = session.get(Product, product)
    assert renewed.expiry_date == expiry.replace(year=expiry.year + 1)
    assert renewed.auto_renew is True
    # Running again the same day changes nothing.
    with at(expiry - timedelta(days=7)):
        assert run_auto_renewals()["paid"] == 0


def test_auto_renewal_with_a_declined_card_falls_back_to_manual(customer):
    product = _auto_renew_setup(customer, "4000000000000002")
    expiry = START + timedelta(days=40)
    run_days(expiry - timedelta(days=15), expiry - timedelta(days=7))
    with read_session() as session:
        current = session.get(Product, product)
        order = session.exec(select(Order)).one()
    assert current.expiry_date == expiry
    assert current.auto_renew is False
    assert order.status == "unpaid"  # the customer may still pay it by hand
    failed = [subject for kind, subject in mails() if kind == "auto_renew_failed"]
    assert failed == ["Échec du renouvellement automatique de auto.fr"]
    # The next day nothing is tried again.
    run_days(expiry - timedelta(days=6), expiry - timedelta(days=6))
    assert [k for k, _ in mails()].count("auto_renew_failed") == 1
