"""An admin adds account credit with a reason: in the ledger, the balance and the audit;
the same form sent twice (even at the same moment, on PostgreSQL too) adds once; support,
a customer, a bad amount or no reason add nothing."""

from __future__ import annotations

import json
import threading

import pytest
from sqlmodel import select

from o2portal.billing.models import CreditLedgerEntry
from o2portal.billing.staff import add_credit
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from tests.unit import test_admin_settings
from tests.unit.helpers import actor, count, get_customer

# One person of each role (admin, support, customer), as the settings' tests have them.
people = test_admin_settings.people


def test_an_admin_adds_credit_with_a_reason(people):
    admin, customer = actor(people["admin"]), people["customer"]
    balance = add_credit(admin, customer, "12,50", "Panne de messagerie", key="credit-key-0001")
    assert balance == 1250 == get_customer(customer).credit_balance_cents
    with read_session() as session:
        entry = session.exec(select(CreditLedgerEntry)).one()
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "staff.credit_added")
        ).one()
    assert entry.amount_cents == 1250 and "Panne de messagerie" in entry.reason
    assert event.actor_id == people["admin"] and event.customer_id == customer
    assert json.loads(event.details_json) == {
        "amount_cents": 1250,
        "reason": "Panne de messagerie",
    }
    # The same form again reads the first balance; a new one adds again.
    assert add_credit(admin, customer, "12,50", "Panne", key="credit-key-0001") == 1250
    assert add_credit(admin, customer, "1", "Geste", key="credit-key-0002") == 1350
    assert count(CreditLedgerEntry) == 2


def test_the_same_form_sent_at_once_adds_once(people):
    admin, customer = actor(people["admin"]), people["customer"]
    barrier = threading.Barrier(6)
    balances, errors = [], []

    def send():
        barrier.wait()
        try:
            balances.append(add_credit(admin, customer, "5", "Double", key="credit-key-race"))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and balances == [500] * 6
    assert count(CreditLedgerEntry) == 1
    assert get_customer(customer).credit_balance_cents == 500


@pytest.mark.parametrize(
    ("amount", "reason", "errors"),
    [
        ("0", "Geste", {"credit_amount": "error.amount_invalid"}),
        ("10000,01", "Geste", {"credit_amount": "admin.credit_range"}),
        ("-5", "Geste", {"credit_amount": "error.amount_invalid"}),
        ("douze", "Geste", {"credit_amount": "error.amount_invalid"}),
        ("5", "  ", {"credit_reason": "error.required"}),
    ],
)
def test_a_bad_amount_or_no_reason_adds_nothing(people, amount, reason, errors):
    with pytest.raises(InvalidInput) as caught:
        add_credit(actor(people["admin"]), people["customer"], amount, reason, key="k" * 20)
    assert caught.value.errors == errors
    assert count(CreditLedgerEntry) == 0


@pytest.mark.parametrize("role", ["support", "customer"])
def test_only_an_admin_adds_credit(people, role):
    with pytest.raises(NotAllowed):
        add_credit(actor(people[role]), people["customer"], "5", "Geste", key="k" * 20)
    assert count(CreditLedgerEntry) == 0
    assert get_customer(people["customer"]).credit_balance_cents == 0
