"""The ways to pay: account credit, bank transfer, cheque, and card through the gateway
(o2portal/integrations/gateway.py: its interface, and the built-in gateway's test cards).
The portal handles a card only as the gateway's token."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select
from stdnum import luhn

from o2portal.accounts.models import SavedCard
from o2portal.billing.models import Payment, PaymentStatus
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput
from o2portal.integrations.gateway import CardDetails

# "none": an order form with nothing to pay (a 100 % promo code); refused for any other.
METHODS = ("card", "saved_card", "credit", "transfer", "cheque", "none")
OFFLINE_METHODS = ("transfer", "cheque")
_TOKEN = re.compile(r"tok_[A-Za-z0-9_]{1,96}")


@dataclass
class PaymentChoice:
    method: str
    # A card typed in the portal's own form: tokenized by the gateway before anything.
    card: CardDetails | None = None
    saved_card_id: int | None = None
    save_card: bool = False
    # A card the browser gave to the gateway's endpoint: only its token reaches us.
    token: str | None = None


def clean_card(form: dict[str, str]) -> CardDetails:
    """Check the card fields by field name (card_number, card_expiry 'MM/AA', card_cvc,
    card_holder); raises InvalidInput."""
    errors: dict[str, str] = {}
    number = re.sub(r"[\s-]", "", form.get("card_number", ""))[:30]
    if not number:
        errors["card_number"] = "error.required"
    elif not number.isdigit() or not 12 <= len(number) <= 19 or not luhn.is_valid(number):
        errors["card_number"] = "error.card_number"
    month = year = 0
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", form.get("card_expiry", "")[:10])
    if not match:
        errors["card_expiry"] = "error.card_expiry"
    else:
        month, year = int(match.group(1)), int(match.group(2))
        year = year + 2000 if year < 100 else year
        today = clock.today()
        if (
            not 1 <= month <= 12
            or (year, month) < (today.year, today.month)
            or year > today.year + 20
        ):
            errors["card_expiry"] = "error.card_expiry"
    cvc = form.get("card_cvc", "").strip()[:10]
    if not re.fullmatch(r"\d{3,4}", cvc):
        errors["card_cvc"] = "error.card_cvc"
    holder = form.get("card_holder", "").strip()[:100]
    if not holder:
        errors["card_holder"] = "error.required"
    if errors:
        raise InvalidInput(errors)
    return CardDetails(number, month, year, cvc, holder)


def choice_from_form(method: str, form: dict[str, str], saved_card_id: str = "") -> PaymentChoice:
    """The payment the customer picked, from the form's fields; raises InvalidInput."""
    if method not in METHODS:
        raise InvalidInput({"method": "error.choice_invalid"})
    if method == "card":
        save = form.get("save_card") in ("on", "true", "1")
        token = form.get("card_token", "")
        if token:  # the browser gave the card to the gateway: only its token came here
            if not _TOKEN.fullmatch(token):
                raise InvalidInput({"card_number": "error.card_unknown"})
            return PaymentChoice("card", token=token, save_card=save)
        return PaymentChoice("card", card=clean_card(form), save_card=save)
    if method == "saved_card":
        if not saved_card_id.isdigit():
            raise InvalidInput({"method": "error.card_unknown"})
        return PaymentChoice("saved_card", saved_card_id=int(saved_card_id))
    return PaymentChoice(method)


def saved_cards(customer_id: int) -> list[SavedCard]:
    with read_session() as session:
        return list(
            session.exec(
                select(SavedCard)
                .where(SavedCard.customer_id == customer_id, col(SavedCard.removed_at).is_(None))
                .order_by(SavedCard.id)
            ).all()
        )


def processing_payment(session: Session, order_id: int) -> Payment | None:
    """The payment of this order form still waiting for the gateway's answer, if any: while
    there is one, the form is neither paid again nor cancelled."""
    return session.exec(
        select(Payment).where(
            Payment.order_id == order_id, Payment.status == PaymentStatus.PROCESSING
        )
    ).first()
