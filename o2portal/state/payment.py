"""What the payment panels share: the methods on offer and the customer's saved cards."""

from __future__ import annotations

import uuid

import reflex as rx

from o2portal.domain.checkout import PaymentOutcome
from o2portal.domain.formatting import money
from o2portal.domain.payments import saved_cards
from o2portal.i18n import translate


def new_key() -> str:
    """A fresh idempotency key for the next payment of this panel."""
    return uuid.uuid4().hex


def card_options(customer_id: int) -> list[dict[str, str]]:
    return [
        {"id": str(card.id), "label": f"{card.brand} •••• {card.last4}"}
        for card in saved_cards(customer_id)
    ]


def credit_text(balance_cents: int, lang: str) -> str:
    return money(balance_cents, lang)


def outcome_message(outcome: PaymentOutcome, lang: str) -> str:
    key = outcome.message_key or "error.unexpected"
    return translate(key, lang, invoice=outcome.invoice_number or "")


class PaymentFields(rx.State, mixin=True):
    """Mixed into each state with a payment panel: its own copy of these vars."""

    method: str = "card"
    cards: list[dict[str, str]] = []
    saved_card_id: str = ""
    credit: str = ""
    pay_errors: dict[str, str] = {}
    pay_message: str = ""
    pay_ok: bool = False
    paying: bool = False

    @rx.event
    def set_method(self, value: str):
        if value in ("card", "saved_card", "credit", "transfer", "cheque"):
            self.method = value
            self.pay_errors = {}

    @rx.event
    def set_saved_card_id(self, value: str):
        self.saved_card_id = value[:12]
