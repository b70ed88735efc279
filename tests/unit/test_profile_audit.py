"""Every change to Ma fiche goes into the audit log: who, what, from where."""

from __future__ import annotations

import pyotp
from sqlmodel import col, select

from o2portal.accounts import email_change, password_change, profile, sessions, totp
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from tests.unit.helpers import PASSWORD, link_token, make_customer, open_session, outbox
from tests.unit.test_profile import GOOD

IP = "203.0.113.7"


def actions(customer_id: int) -> list[tuple[str, str | None]]:
    with read_session() as session:
        events = session.exec(
            select(AuditEvent)
            .where(AuditEvent.customer_id == customer_id, AuditEvent.action.like("profile.%"))
            .order_by(col(AuditEvent.id))
        ).all()
    return [(e.action, e.ip) for e in events]


def test_each_change_to_the_fiche_is_audited_with_its_address(db):
    customer = make_customer()
    here = open_session()
    elsewhere = open_session(ip="198.51.100.9")
    third = open_session(ip="198.51.100.10")
    here_id = sessions.resolve_session(here).session_id

    profile.update_details(customer.id, GOOD, ip=IP)
    email_change.request_email_change(customer.id, "nouvelle@example.com", PASSWORD, ip=IP)
    email_change.cancel_email_change(customer.id, ip=IP)
    email_change.request_email_change(customer.id, "nouvelle@example.com", PASSWORD, ip=IP)
    token = link_token(outbox("email_change")[-1].body_text, "/confirm-email")
    email_change.confirm_email_change(token, ip=IP)
    assert sessions.revoke_session(
        customer.id, sessions.resolve_session(third).session_id, here_id, ip=IP
    )
    assert sessions.revoke_other_sessions(customer.id, here_id, ip=IP) == 1
    assert sessions.resolve_session(elsewhere) is None
    secret = totp.begin_setup(customer.id).secret
    totp.enable(customer.id, pyotp.TOTP(secret).now(), ip=IP)
    totp.regenerate_recovery_codes(customer.id, ip=IP)
    totp.disable(customer.id, ip=IP)
    password_change.change_password(
        customer.id, here_id, PASSWORD, "Nouveau-mot-2026", "Nouveau-mot-2026", ip=IP
    )

    assert actions(customer.id) == [
        ("profile.updated", IP),
        ("profile.email_change_requested", IP),
        ("profile.email_change_cancelled", IP),
        ("profile.email_change_requested", IP),
        ("profile.email_changed", IP),
        ("profile.session_ended", IP),
        ("profile.other_sessions_ended", IP),
        ("profile.totp_enabled", IP),
        ("profile.recovery_codes_renewed", IP),
        ("profile.totp_disabled", IP),
        ("profile.password_changed", IP),
    ]
