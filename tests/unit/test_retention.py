"""The retention job deletes each kind of record once its period is over, and nothing
younger; it never touches an invoice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from o2portal.accounts.models import (
    AuthAttempt,
    EmailVerification,
    LoginTicket,
    PasswordReset,
    PendingEmailChange,
    SavedCard,
    UserSession,
)
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.integrations.models import GatewayCard, GatewayCharge
from o2portal.jobs import retention, runner
from o2portal.jobs.models import JobRunRecord
from tests.unit.test_jobs import jobs_customer

NOW = datetime(2027, 6, 1, 4, 0, tzinfo=UTC)


def _ago(**delta) -> datetime:
    return NOW - timedelta(**delta)


def _seed(customer_id: int) -> None:
    def token(n):
        return f"{n:064x}"

    with transaction() as session:
        for days, email in ((182, "recent@example.fr"), (184, "old@example.fr")):
            session.add(
                AuthAttempt(kind="login", email=email, ip="192.0.2.1", created_at=_ago(days=days))
            )
        session.add_all(
            [
                # expired 29 days ago: kept; 31 days ago: gone; revoked 31 days ago: gone
                UserSession(customer_id=customer_id, token_hash=token(1), expires_at=_ago(days=29)),
                UserSession(customer_id=customer_id, token_hash=token(2), expires_at=_ago(days=31)),
                UserSession(
                    customer_id=customer_id,
                    token_hash=token(3),
                    expires_at=NOW + timedelta(days=10),
                    revoked_at=_ago(days=31),
                ),
                LoginTicket(
                    customer_id=customer_id, ticket_hash=token(4), expires_at=_ago(hours=2)
                ),
                LoginTicket(customer_id=customer_id, ticket_hash=token(5), expires_at=_ago(days=2)),
                PasswordReset(
                    customer_id=customer_id, token_hash=token(6), expires_at=_ago(days=29)
                ),
                PasswordReset(
                    customer_id=customer_id, token_hash=token(7), expires_at=_ago(days=31)
                ),
                PendingEmailChange(
                    customer_id=customer_id,
                    new_email="n@example.fr",
                    token_hash=token(8),
                    expires_at=_ago(days=31),
                ),
                EmailVerification(
                    customer_id=customer_id,
                    email="v@example.fr",
                    token_hash=token(9),
                    expires_at=_ago(days=31),
                ),
            ]
        )
        for name, days in (("tok_saved", 400), ("tok_fresh", 0), ("tok_old", 2)):
            session.add(
                GatewayCard(
                    token=name,
                    brand="Visa",
                    last4="4242",
                    exp_month=12,
                    exp_year=2031,
                    behaviour="succeeds",
                    created_at=_ago(days=days, minutes=1),
                )
            )
        session.add(
            SavedCard(
                customer_id=customer_id,
                gateway_token="tok_saved",
                brand="Visa",
                last4="4242",
                exp_month=12,
                exp_year=2031,
            )
        )
        for ref, days in (("charge-recent", 539), ("charge-old", 541)):
            session.add(
                GatewayCharge(
                    reference=ref,
                    amount_cents=100,
                    last4="4242",
                    outcome="succeeded",
                    charge_ref=ref,
                    created_at=_ago(days=days),
                )
            )
        for days in (89, 91):
            session.add(JobRunRecord(name=f"run-{days}", holder="h", started_at=_ago(days=days)))


def _left(model, column) -> list:
    with read_session() as session:
        return sorted(session.exec(select(column)).all())


def test_each_record_goes_after_its_period_and_not_before(db):
    customer = jobs_customer()
    _seed(customer.id)
    with clock.frozen_at(NOW):
        result = runner.run_job("retention", retention.purge_old_records)
        again = runner.run_job("retention", retention.purge_old_records)

    assert result.outcome == "ok", result
    assert _left(AuthAttempt, AuthAttempt.email) == ["recent@example.fr"]
    assert _left(UserSession, UserSession.token_hash) == [f"{1:064x}"]
    assert _left(LoginTicket, LoginTicket.ticket_hash) == [f"{4:064x}"]
    assert _left(PasswordReset, PasswordReset.token_hash) == [f"{6:064x}"]
    assert _left(PendingEmailChange, PendingEmailChange.id) == []
    assert _left(EmailVerification, EmailVerification.id) == []
    assert _left(GatewayCard, GatewayCard.token) == ["tok_fresh", "tok_saved"]
    assert _left(GatewayCharge, GatewayCharge.reference) == ["charge-recent"]
    assert [n for n in _left(JobRunRecord, JobRunRecord.name) if n.startswith("run-")] == ["run-89"]
    assert result.summary["auth_attempt"] == 1 and result.summary["user_session"] == 2
    # Once a day: the second run the same day purges nothing.
    assert again.summary == {"skipped": "already purged today"}


def test_purging_goes_in_batches(db, monkeypatch):
    monkeypatch.setattr("o2portal.core.retention.BATCH", 7)
    with transaction() as session:
        session.add_all(
            AuthAttempt(kind="login", email=f"a{i}@example.fr", created_at=_ago(days=400))
            for i in range(23)
        )
    with clock.frozen_at(NOW):
        summary = retention.purge_old_records(date(2027, 5, 31))
    assert summary["auth_attempt"] == 23
    assert _left(AuthAttempt, AuthAttempt.id) == []


def test_the_readme_table_lists_every_rule():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for rule in retention.RULES:
        assert rule.what in readme, rule.what
    for what, _kept, _why in retention.RETAINED_UNTOUCHED:
        assert what in readme, what
