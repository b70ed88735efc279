"""The ways to pay: account credit, bank transfer, cheque, and card through the gateway
(o2portal/integrations/gateway.py: its interface, and the built-in gateway's test cards).
The portal handles a card only as the gateway's token."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from o2portal.accounts.models import SavedCard
from o2portal.billing.models import Payment, PaymentStatus
from o2portal.core.db import read_models
from o2portal.core.errors import InvalidInput
from o2portal.integrations.gateway import CARD_FIELDS, CardDetails

# "none": an order form with nothing to pay (a 100 % promo code); refused for any other.
METHODS = ("card", "saved_card", "credit", "transfer", "cheque", "none")
OFFLINE_METHODS = ("transfer", "cheque")
_TOKEN = re.compile(r"tok_[A-Za-z0-9_]{1,96}")
_MESSAGE_KEY = re.compile(r"error\.[a-z_]{1,40}")


@dataclass
class PaymentChoice:
    method: str
    # A card given as such (the demo data and the tests): tokenized by the gateway before
    # anything. The portal's pages never send one: the browser gives it to the gateway.
    card: CardDetails | None = None
    saved_card_id: int | None = None
    save_card: bool = False
    # A card the browser gave to the gateway's endpoint: only its token reaches us.
    token: str | None = None


def choice_from_form(method: str, form: dict[str, str], saved_card_id: str = "") -> PaymentChoice:
    """The payment the customer picked, from the form's fields; raises InvalidInput."""
    if method not in METHODS:
        raise InvalidInput({"method": "error.choice_invalid"})
    if method == "card":
        save = form.get("save_card") in ("on", "true", "1")
        # The browser gave the card to the gateway's own endpoint: only its token, or
        # what the gateway found wrong with the fields, comes here. Never the number.
        if form.get("card_errors"):
            raise InvalidInput(_card_errors(form["card_errors"]))
        token = str(form.get("card_token", ""))
        if not token:
            raise InvalidInput({"card_number": "error.card_not_tokenized"})
        if not _TOKEN.fullmatch(token):
            raise InvalidInput({"card_number": "error.card_unknown"})
        return PaymentChoice("card", token=token, save_card=save)
    if method == "saved_card":
        if not saved_card_id.isdigit():
            raise InvalidInput({"method": "error.card_unknown"})
        return PaymentChoice("saved_card", saved_card_id=int(saved_card_id))
    return PaymentChoice(method)


def _card_errors(text) -> dict[str, str]:
    """The gateway's complaints about the card fields, as the browser relayed them: only
    known fields and message keys, anything else read as a refused number."""
    try:
        found = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        found = None
    errors = {}
    if isinstance(found, dict):
        errors = {
            field: key
            for field, key in found.items()
            if field in CARD_FIELDS and isinstance(key, str) and _MESSAGE_KEY.fullmatch(key)
        }
    return errors or {"card_number": "error.card_number"}


def saved_cards(customer_id: int) -> list[SavedCard]:
    return read_models(SavedCard, _saved_cards(), {"customer_id": customer_id})


@functools.cache
def _saved_cards():
    """Built once: every payment panel reads it."""
    return (
        select(SavedCard)
        .where(
            SavedCard.customer_id == bindparam("customer_id"), col(SavedCard.removed_at).is_(None)
        )
        .order_by(SavedCard.id)
    )


def processing_payment(session: Session, order_id: int) -> Payment | None:
    """The payment of this order form still waiting for the gateway's answer, if any: while
    there is one, the form is neither paid again nor cancelled."""
    return session.exec(
        select(Payment).where(
            Payment.order_id == order_id, Payment.status == PaymentStatus.PROCESSING
        )
    ).first()
