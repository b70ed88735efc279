"""A failing job, or a failing item inside a job, stops nothing else; every run is recorded,
and a streak of failures tells the support address once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.accounts import staff as accounts_staff
from o2portal.accounts.models import Customer
from o2portal.billing import autorenew
from o2portal.billing.models import Order
from o2portal.core.db import read_session, transaction
from o2portal.jobs import runner
from o2portal.jobs.models import JobRunRecord
from o2portal.mail.models import OutboxEmail
from o2portal.products.models import Product
from tests.unit.helpers import actor
from tests.unit.test_jobs import START, add_product, at, jobs_customer


@pytest.fixture
def customer(db):
    return jobs_customer()


def _boom(_last_run):
    raise RuntimeError("the registrar's API is down")


def _outbox(kind: str | None = None) -> list[OutboxEmail]:
    with read_session() as session:
        rows = session.exec(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    return [m for m in rows if kind is None or m.kind == kind]


def _runs(name: str) -> list[JobRunRecord]:
    with read_session() as session:
        return list(
            session.exec(
                select(JobRunRecord).where(JobRunRecord.name == name).order_by(JobRunRecord.id)
            ).all()
        )


def test_a_failing_job_stops_no_other_job_and_the_outbox_is_delivered(
    customer, smtp_sink, monkeypatch
):
    monkeypatch.setattr(runner, "JOBS", [("broken", _boom), *runner.JOBS])
    add_product(customer, "domain", "rappel.fr", START + timedelta(days=30))
    with at(START):
        runs = runner.run_all()

    assert [run.name for run in runs][0] == "broken"
    assert runs[0].outcome == "failed"
    assert all(run.outcome == "ok" for run in runs[1:]), runs
    # The reminder that the later jobs queue is delivered by the outbox job, the last one.
    reminders = _outbox("reminder")
    assert len(reminders) == 1 and reminders[0].status == "sent"
    assert [m["To"] for m in smtp_sink.messages] == ["jobs@example.fr"]
    (record,) = _runs("broken")
    assert record.outcome == "failed"
    assert "the registrar's API is down" in record.error
    assert record.finished_at is not None


def test_a_disabled_customer_with_auto_renew_stops_nothing_and_gets_no_order_form(customer):
    admin = _person("admin@example.fr", role="admin")
    product_id = add_product(
        customer, "domain", "auto.fr", START + timedelta(days=15), auto_renew=True
    )
    other = _person("autre@example.fr")
    other_product = add_product(
        other, "domain", "autre.fr", START + timedelta(days=15), auto_renew=True
    )
    accounts_staff.set_disabled(actor(admin), customer.id, True, "Fraude à la carte")

    with read_session() as session:
        assert session.get(Product, product_id).auto_renew is False  # turned off on disabling
    # Even if auto-renew were left on (an older account), the job skips the disabled.
    with transaction() as session:
        product = session.get(Product, product_id)
        product.auto_renew = True
        session.add(product)

    with at(START):
        runs = runner.run_all()

    assert all(run.outcome == "ok" for run in runs), runs
    with read_session() as session:
        orders = session.exec(select(Order)).all()
    assert [order.customer_id for order in orders] == [other.id]
    assert other_product  # the other customer's form was made the same run


def test_one_failing_item_does_not_stop_the_others(customer, monkeypatch):
    first = add_product(customer, "domain", "un.fr", START + timedelta(days=15), auto_renew=True)
    add_product(customer, "domain", "deux.fr", START + timedelta(days=15), auto_renew=True)
    real = autorenew.ensure_order_form

    def flaky(product):
        if product.id == first:
            raise RuntimeError("pricing exploded")
        return real(product)

    monkeypatch.setattr(autorenew, "ensure_order_form", flaky)
    with at(START):
        run = runner.run_job("auto_renew", autorenew.run_auto_renewals)

    assert run.outcome == "partial"
    assert run.summary["forms"] == 1 and run.summary["failed_items"] == 1
    with read_session() as session:
        assert len(session.exec(select(Order)).all()) == 1
    (record,) = _runs("auto_renew")
    assert record.outcome == "partial" and "pricing exploded" in record.error


def test_a_failure_streak_mails_support_once_and_a_success_ends_it(db, monkeypatch):
    state = {"fail": True}

    def job(_last_run):
        if state["fail"]:
            raise RuntimeError("still down")
        return {"done": 1}

    for _ in range(runner.ALERT_AFTER_FAILURES + 2):
        runner.run_job("fragile", job)
    alerts = _outbox("job_failing")
    assert len(alerts) == 1
    assert alerts[0].to_addr == "support@o2portal.example"
    assert "fragile" in alerts[0].subject and "still down" in alerts[0].body_text

    state["fail"] = False
    assert runner.run_job("fragile", job).outcome == "ok"
    state["fail"] = True
    for _ in range(runner.ALERT_AFTER_FAILURES):
        runner.run_job("fragile", job)
    assert len(_outbox("job_failing")) == 2  # a new streak, a new alert

    status = {row.name: row for row in runner.job_status()}["fragile"]
    assert status.failures_in_a_row == runner.ALERT_AFTER_FAILURES
    assert status.last_outcome == "failed"
    assert status.last_success_at is not None
    assert len(_runs("fragile")) == 2 * runner.ALERT_AFTER_FAILURES + 3


def test_a_skipped_run_is_not_a_failure(db):
    from o2portal.jobs.runner import holder_id

    assert runner.run_job("solo", lambda _d: {}, holder="other:1").outcome == "ok"
    # Another runner holds the lease: this one skips without counting a failure.
    with transaction() as session:
        from o2portal.core import clock
        from o2portal.jobs.models import JobLease

        lease = session.get(JobLease, "solo")
        lease.holder = "other:1"
        lease.leased_until = clock.now() + timedelta(minutes=5)
        session.add(lease)
    run = runner.run_job("solo", lambda _d: {}, holder=holder_id())
    assert run.outcome == "skipped" and not run.ran


def _person(email: str, **fields) -> Customer:
    with transaction() as session:
        person = Customer(
            email=email,
            password_hash="x" * 60,
            first_name="Au",
            last_name="Tre",
            phone="+33612345678",
            address_line1="2 rue",
            postal_code="75002",
            city="Paris",
            **fields,
        )
        session.add(person)
        session.flush()
        return person
