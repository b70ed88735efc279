"""The registrar and the hosting panel are called after the money's commit, as durable
tasks retried with backoff until they answer; a retry never acts twice; staff see them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from o2portal.billing.models import Invoice, Order, Payment
from o2portal.billing.orders import CartItem, search_domain
from o2portal.billing.renewals import renew_product
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.integrations.models import ProviderRequest, ProvisionedAccount, RegistryDomain
from o2portal.integrations.panel import panel
from o2portal.integrations.providers import ProviderDown
from o2portal.integrations.registrar import registrar
from o2portal.jobs import runner
from o2portal.mail.models import OutboxEmail
from o2portal.mail.scheduled import deliver_outbox
from o2portal.products import staff as products_staff
from o2portal.products.models import DomainHold, ProductTask
from o2portal.products.tasks import delay_after, run_due_tasks
from tests.unit.helpers import actor
from tests.unit.test_orders_rules import card, count, order, person, products_of, refused

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def tasks() -> list[ProductTask]:
    with read_session() as session:
        return list(session.exec(select(ProductTask).order_by(ProductTask.id)).all())


def registry(name: str) -> list[RegistryDomain]:
    with read_session() as session:
        return list(session.exec(select(RegistryDomain).where(RegistryDomain.name == name)))


def mails(kind: str) -> list[OutboxEmail]:
    with read_session() as session:
        return list(session.exec(select(OutboxEmail).where(OutboxEmail.kind == kind)))


@pytest.fixture
def registrar_down(monkeypatch):
    """The registrar stops answering once the order form is written (its names were
    checked): registration and renewal time out until the returned function is called."""

    def down(*args, **kwargs):
        raise ProviderDown("the registrar did not answer")

    for method in ("register", "renew"):
        monkeypatch.setattr(registrar(), method, down)
    return lambda: [monkeypatch.delattr(registrar(), m) for m in ("register", "renew")]


def test_a_registrar_down_when_ordering_says_so_and_takes_nothing(db, monkeypatch):
    buyer = person("registre-muet@example.fr")
    monkeypatch.setattr(registrar(), "down", True)
    item = CartItem("domain", domain="muet.fr", action="register")
    assert refused(order, buyer, [item], "k-mute-001") == {"cart": "error.registrar_unavailable"}
    assert refused(search_domain, "muet.fr") == {"domain": "error.registrar_unavailable"}
    assert count(Order) == 0 and count(Payment) == 0 and count(DomainHold) == 0


def test_the_registrar_fails_after_payment_the_task_retries_until_it_answers(
    db, smtp_sink, registrar_down
):
    buyer = person("registre-en-panne@example.fr")
    item = CartItem("domain", domain="panne-registre.fr", action="register", years=2)
    with clock.frozen_at(T0):
        outcome = order(buyer, [item], "k-reg-down-1")

    # Paid and invoiced: the registrar's failure after the commit takes nothing back.
    assert outcome.status == "paid" and outcome.invoice_number
    assert count(Invoice) == 1 and count(Payment) == 1
    assert rows_status(Order) == ["paid"]
    (domain,) = products_of(buyer)
    assert domain.name == "panne-registre.fr" and domain.auth_code is None
    (task,) = tasks()
    assert (task.action, task.status, task.attempts) == ("register_domain", "pending", 1)
    assert "did not answer" in task.last_error
    assert task.next_attempt_at == T0 + delay_after(1)
    assert registry("panne-registre.fr") == []
    # Nobody else can take the name meanwhile: the portal's hold stays until registration.
    assert count(DomainHold) == 1

    # Before the delay, the job leaves it alone; after it, it tries again and fails again,
    # each time waiting longer; the failing run is partial (a streak alerts support).
    with clock.frozen_at(T0 + timedelta(seconds=30)):
        assert run_due_tasks() == {"done": 0, "retry": 0}
    with clock.frozen_at(T0 + timedelta(minutes=1)):
        summary = run_due_tasks()
    assert summary["retry"] == 1 and summary["failed_items"] == 1
    (task,) = tasks()
    assert task.attempts == 2
    assert task.next_attempt_at == T0 + timedelta(minutes=1) + delay_after(2)
    assert delay_after(2) == timedelta(minutes=2) and delay_after(30) == timedelta(hours=6)

    registrar_down()  # the registrar answers again
    with clock.frozen_at(T0 + timedelta(minutes=4)):
        assert run_due_tasks() == {"done": 1, "retry": 0}
        assert run_due_tasks() == {"done": 0, "retry": 0}  # done once
    (task,) = tasks()
    assert (task.status, task.attempts, task.last_error) == ("done", 3, None)
    (row,) = registry("panne-registre.fr")
    assert row.holder_ref == f"customer:{buyer}"
    assert row.expires_on == clock.add_years(T0.date(), 2)
    assert count(ProviderRequest) == 1 and count(DomainHold) == 0
    (domain,) = products_of(buyer)
    assert domain.auth_code == row.auth_code != ""

    # The customer is mailed once, whatever the retries.
    assert len(mails("order_confirmation")) == 1
    deliver_outbox(T0.date())
    deliver_outbox(T0.date())
    assert [m["To"] for m in smtp_sink.messages] == ["registre-en-panne@example.fr"]


def renew_by_card(buyer: int, domain, years: int, key: str):
    """The owner renews the domain by card, as the page sends it."""
    return renew_product(
        customer_id=buyer,
        product_id=domain.id,
        years=years,
        expected_expiry=domain.expiry_date,
        choice=card(),
        key=key,
    )


def rows_status(model) -> list[str]:
    with read_session() as session:
        return [row.status for row in session.exec(select(model))]


def test_an_answer_lost_on_the_way_back_is_asked_again_and_acts_once(db, monkeypatch):
    """The registrar registered and renewed, but its answers never arrived: the retries
    carry the same request id, and get the first answers back."""
    buyer = person("reponse-perdue@example.fr")
    real_register, real_renew = registrar().register, registrar().renew

    def lost(real):
        def call(*args, **kwargs):
            real(*args, **kwargs)
            raise ProviderDown("the answer was lost")

        return call

    monkeypatch.setattr(registrar(), "register", lost(real_register))
    with clock.frozen_at(T0):
        order(buyer, [CartItem("domain", domain="perdue.fr", action="register")], "k-lost-001")
    monkeypatch.setattr(registrar(), "register", real_register)
    with clock.frozen_at(T0 + timedelta(minutes=2)):
        assert run_due_tasks()["done"] == 1
    (row,) = registry("perdue.fr")
    assert row.expires_on == clock.add_years(T0.date(), 1)

    (domain,) = products_of(buyer)
    monkeypatch.setattr(registrar(), "renew", lost(real_renew))
    with clock.frozen_at(T0 + timedelta(days=1)):
        renewed = renew_by_card(buyer, domain, 2, "k-lost-renew")
    assert renewed.status == "paid"
    monkeypatch.setattr(registrar(), "renew", real_renew)
    with clock.frozen_at(T0 + timedelta(days=1, minutes=2)):
        assert run_due_tasks()["done"] == 1
        assert run_due_tasks()["done"] == 0
    (row,) = registry("perdue.fr")
    # One year registered, two renewed: three in all, not five.
    assert row.expires_on == clock.add_years(T0.date(), 3)
    (domain,) = products_of(buyer)
    assert domain.expiry_date == row.expires_on
    assert [t.status for t in tasks()] == ["done", "done"]


def test_the_panel_down_at_payment_creates_the_account_later_and_in_order(db, monkeypatch):
    buyer = person("panneau@example.fr")
    admin = person("admin-panneau@example.fr", role="admin")
    monkeypatch.setattr(panel(), "down", True)
    item = CartItem("hosting", code="grow", years=1, domain="panneau.fr", action="register")
    with clock.frozen_at(T0):
        assert order(buyer, [item], "k-panel-01").status == "paid"
    hosting, domain = products_of(buyer)
    assert hosting.hosting_username is None and count(ProvisionedAccount) == 0
    assert registry("panneau.fr")  # the registrar, up, did its part at once
    # Suspended by staff before the account exists: the suspension waits for the creation.
    with clock.frozen_at(T0 + timedelta(seconds=10)):
        products_staff.change_status(actor(admin), hosting.id, "suspend", "Impayé chez la banque")
    monkeypatch.setattr(panel(), "down", False)

    def of_hosting() -> list[tuple[str, str, int]]:
        return [(t.action, t.status, t.attempts) for t in tasks() if t.product_id == hosting.id]

    assert of_hosting() == [("create_hosting", "pending", 1), ("suspend_hosting", "pending", 0)]
    with clock.frozen_at(T0 + timedelta(seconds=30)):
        run_due_tasks()  # the creation is not due yet; the suspension waits behind it
    assert of_hosting() == [("create_hosting", "pending", 1), ("suspend_hosting", "pending", 0)]
    with clock.frozen_at(T0 + timedelta(minutes=2)):
        assert run_due_tasks() == {"done": 2, "retry": 0}
    assert of_hosting() == [("create_hosting", "done", 2), ("suspend_hosting", "done", 1)]
    hosting, _ = products_of(buyer)
    with read_session() as session:
        account = session.exec(select(ProvisionedAccount)).one()
    assert hosting.hosting_username == account.username and account.username.startswith("panneau")
    assert hosting.hosting_server == account.server
    assert account.status == "suspended"
    with clock.frozen_at(T0 + timedelta(minutes=3)):
        products_staff.change_status(actor(admin), hosting.id, "unsuspend", "Payé")
    with read_session() as session:
        assert session.exec(select(ProvisionedAccount)).one().status == "active"


def test_a_failing_provider_makes_the_jobs_run_partial_and_every_other_job_runs(db, registrar_down):
    buyer = person("partiel@example.fr")
    with clock.frozen_at(T0):
        order(buyer, [CartItem("domain", domain="partiel.fr", action="register")], "k-partial-01")
    with clock.frozen_at(T0 + timedelta(minutes=5)):
        runs = {run.name: run for run in runner.run_all()}
    assert runs["provider_tasks"].outcome == "partial"
    assert all(run.outcome == "ok" for name, run in runs.items() if name != "provider_tasks")


def test_staff_see_the_tasks_support_retries_and_only_an_admin_closes_one(
    db, registrar_down, monkeypatch
):
    buyer = person("vu-du-staff@example.fr")
    support = person("support-taches@example.fr", role="support")
    admin = person("admin-taches@example.fr", role="admin")
    with clock.frozen_at(T0):
        order(buyer, [CartItem("domain", domain="staff-voit.fr", action="register")], "k-staff-01")
    ((task, product),) = products_staff.provider_tasks(actor(support))
    assert (task.action, product.name, task.attempts) == ("register_domain", "staff-voit.fr", 1)
    with pytest.raises(NotAllowed):
        products_staff.provider_tasks(actor(buyer))
    with pytest.raises(NotAllowed):
        products_staff.retry_task(actor(buyer), task.id)

    # Retried now, not at its next attempt: still down, then up.
    with clock.frozen_at(T0 + timedelta(seconds=10)):
        assert products_staff.retry_task(actor(support), task.id) == "retry"
    registrar_down()
    with clock.frozen_at(T0 + timedelta(seconds=20)):
        assert products_staff.retry_task(actor(support), task.id) == "done"
    assert products_staff.provider_tasks(actor(support)) == []
    assert len(products_staff.provider_tasks(actor(support), show="all")) == 1
    with pytest.raises(InvalidInput):
        products_staff.retry_task(actor(support), task.id)

    # A renewal the registrar refuses for good: an admin closes it with a reason.
    (domain,) = products_of(buyer)
    monkeypatch.setattr(registrar(), "down", True)
    with clock.frozen_at(T0 + timedelta(minutes=1)):
        renewed = renew_by_card(buyer, domain, 1, "k-st-renew")
    assert renewed.status == "paid"
    pending = [t for t, _ in products_staff.provider_tasks(actor(support))]
    assert [t.action for t in pending] == ["renew_domain"]
    with pytest.raises(NotAllowed):
        products_staff.cancel_task(actor(support), pending[0].id, "Fait à la main")
    with pytest.raises(InvalidInput):
        products_staff.cancel_task(actor(admin), pending[0].id, "   ")
    products_staff.cancel_task(actor(admin), pending[0].id, "Renouvelé à la main chez le registre")
    closed = tasks()[-1]
    assert closed.status == "cancelled" and "Renouvelé à la main" in closed.last_error
    monkeypatch.setattr(registrar(), "down", False)
    assert run_due_tasks() == {"done": 0, "retry": 0}


def test_expiry_steps_reach_the_panel_and_the_registry(db):
    from o2portal.products.lifecycle import TERMINATE_AFTER_DAYS, apply_expiry

    buyer = person("expire@example.fr")
    with clock.frozen_at(T0):
        order(
            buyer,
            [
                CartItem("hosting", code="grow", years=1, domain="expire.fr", action="register"),
            ],
            "k-expiry-01",
        )
    hosting, domain = products_of(buyer)
    username = hosting.hosting_username
    assert username and registry("expire.fr")[0].released_at is None

    def panel_status() -> str:
        with read_session() as session:
            return session.exec(
                select(ProvisionedAccount.status).where(ProvisionedAccount.username == username)
            ).one()

    after = hosting.expiry_date + timedelta(days=1)
    with clock.frozen_at(datetime.combine(after, T0.timetz())):
        apply_expiry()
    assert panel_status() == "suspended"
    later = hosting.expiry_date + timedelta(days=TERMINATE_AFTER_DAYS + 51)
    with clock.frozen_at(datetime.combine(later, T0.timetz())):
        apply_expiry()
        apply_expiry()
    assert panel_status() == "terminated"
    assert registry("expire.fr")[0].released_at is not None
    assert {t.action for t in tasks()} >= {
        "suspend_hosting",
        "terminate_hosting",
        "release_domain",
    }
    assert all(t.status == "done" for t in tasks())
    assert json.loads(tasks()[0].payload_json)["plan"] == "grow"


def test_a_call_being_sent_is_neither_retried_nor_closed_and_a_closed_one_frees_its_name(
    db, registrar_down
):
    buyer = person("en-vol@example.fr")
    support = person("support-vol@example.fr", role="support")
    admin = person("admin-vol@example.fr", role="admin")
    with clock.frozen_at(T0):
        order(buyer, [CartItem("domain", domain="en-vol.fr", action="register")], "k-flight-1")
    (task,) = tasks()
    # A runner takes it (its claim is live): staff can neither send it again nor close it.
    with transaction() as session:
        row = session.get(ProductTask, task.id)
        row.claimed_until = T0 + timedelta(minutes=5)
        session.add(row)
    with clock.frozen_at(T0 + timedelta(minutes=1)):
        for door, args in (
            (products_staff.retry_task, (actor(support), task.id)),
            (products_staff.cancel_task, (actor(admin), task.id, "Fait à la main")),
        ):
            with pytest.raises(InvalidInput) as caught:
                door(*args)
            assert caught.value.errors == {"task": "error.task_running"}
    # The claim lapsed (the runner died): an admin closes it, and the name is free again.
    assert count(DomainHold) == 1
    with clock.frozen_at(T0 + timedelta(minutes=6)):
        products_staff.cancel_task(actor(admin), task.id, "Abandonné, remboursé")
    assert count(DomainHold) == 0


def test_a_transfer_code_is_forgotten_once_the_transfer_is_done(db):
    buyer = person("code-oublie@example.fr")
    with transaction() as session:
        session.add(RegistryDomain(name="oublie.com", reserved=True))
    item = CartItem("domain", domain="oublie.com", action="transfer", auth_code="EPP-SECRET-1")
    assert order(buyer, [item], "k-forget-1").status == "paid"
    (task,) = tasks()
    assert task.status == "done" and "EPP-SECRET-1" not in task.payload_json
    assert task.key.endswith(":line-1") and len(task.key.split(":")[0]) == 10
