"""What accounts keep, and for how long (see core/retention.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_
from sqlmodel import col

from o2portal.accounts.models import (
    AuthAttempt,
    EmailVerification,
    LoginTicket,
    PasswordReset,
    PendingEmailChange,
    UserSession,
)
from o2portal.core.retention import Rule


def _ended(model):
    """A link or ticket is over once it expired (a used one expired too, by then)."""
    return lambda cutoff: col(model.expires_at) < cutoff


RULES = [
    Rule(
        "Sign-in, second-factor and reset attempts, with their IP address and browser",
        timedelta(days=183),
        "The CNIL recommends keeping access logs six months to a year (recommendation "
        "on logging, 2021); six months covers a customer's or support's question about a "
        "past sign-in. The rate limits themselves look back one hour at most.",
        AuthAttempt,
        lambda cutoff: col(AuthAttempt.created_at) < cutoff,
    ),
    Rule(
        "Signed-in sessions (IP address, browser), once expired or revoked",
        timedelta(days=30),
        "Shown to the customer among their recent sessions for a month, then of no use.",
        UserSession,
        lambda cutoff: or_(
            col(UserSession.expires_at) < cutoff,
            and_(col(UserSession.revoked_at).is_not(None), col(UserSession.revoked_at) < cutoff),
        ),
    ),
    Rule(
        "Sign-in tickets (the one-minute hand-off to the cookie)",
        timedelta(days=1),
        "Single-use, valid one minute.",
        LoginTicket,
        _ended(LoginTicket),
    ),
    Rule(
        "Password-reset links",
        timedelta(days=30),
        "Kept a month after they lapse so that support can see a reset was asked for.",
        PasswordReset,
        _ended(PasswordReset),
    ),
    Rule(
        "Address-change links",
        timedelta(days=30),
        "As reset links.",
        PendingEmailChange,
        _ended(PendingEmailChange),
    ),
    Rule(
        "Address-verification links",
        timedelta(days=30),
        "As reset links.",
        EmailVerification,
        _ended(EmailVerification),
    ),
]
