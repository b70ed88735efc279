"""Payments behind one interface: account credit, bank transfer, cheque, and card through a
gateway. The built-in gateway is a local test gateway with documented test numbers, so
that every path runs on one machine; a real provider plugs in behind CardGateway.

Test cards (any future expiry date, any 3-digit CVC):

    4242 4242 4242 4242   succeeds
    4000 0000 0000 0002   declined
    4000 0000 0000 0119   needs a retry: the first attempt of a payment fails with a
                          temporary error, the next attempt of the same payment succeeds
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session, col, select
from stdnum import luhn

from o2portal.accounts.models import SavedCard
from o2portal.billing.models import Payment
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.integrations.models import GatewayCard, GatewayCharge

METHODS = ("card", "saved_card", "credit", "transfer", "cheque")
OFFLINE_METHODS = ("transfer", "cheque")

TEST_CARDS = {
    "4242424242424242": "succeeds",
    "4000000000000002": "declined",
    "4000000000000119": "retry",
}


@dataclass
class CardDetails:
    """What the customer typed; it lives only for the request and is never stored."""

    number: str
    exp_month: int
    exp_year: int
    cvc: str
    holder: str


@dataclass
class PaymentChoice:
    method: str
    card: CardDetails | None = None
    saved_card_id: int | None = None
    save_card: bool = False


@dataclass
class ChargeResult:
    status: str  # succeeded | declined | retry
    charge_ref: str | None = None
    last4: str | None = None
    brand: str | None = None
    token: str | None = None  # when the card was saved
    message_key: str | None = None


class CardGateway(Protocol):
    def charge(
        self,
        *,
        reference: str,
        amount_cents: int,
        card: CardDetails | None = None,
        token: str | None = None,
        save: bool = False,
    ) -> ChargeResult: ...


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


def _brand(number: str) -> str:
    if number.startswith("4"):
        return "Visa"
    if number[:2] in ("51", "52", "53", "54", "55") or number[:1] == "2":
        return "Mastercard"
    if number[:2] in ("34", "37"):
        return "Amex"
    return "Carte"


class LocalTestGateway:
    """The built-in gateway: it keeps its own records (cards it vaulted, charges it saw)
    in its own transactions, as an outside provider would."""

    def charge(
        self,
        *,
        reference: str,
        amount_cents: int,
        card: CardDetails | None = None,
        token: str | None = None,
        save: bool = False,
    ) -> ChargeResult:
        if amount_cents <= 0:
            raise ValueError("a charge is for a positive amount")
        with transaction() as session:
            if card is not None:
                behaviour = TEST_CARDS.get(card.number, "declined")
                last4, brand = card.number[-4:], _brand(card.number)
                exp = (card.exp_month, card.exp_year)
            else:
                vaulted = session.exec(
                    select(GatewayCard).where(GatewayCard.token == token)
                ).first()
                if vaulted is None:
                    return ChargeResult("declined", message_key="error.card_unknown")
                behaviour, last4, brand = vaulted.behaviour, vaulted.last4, vaulted.brand
                exp = (vaulted.exp_month, vaulted.exp_year)
            if behaviour == "retry":
                tried = session.exec(
                    select(GatewayCharge.id).where(
                        GatewayCharge.reference == reference, GatewayCharge.outcome == "retry"
                    )
                ).first()
                outcome = "succeeds" if tried is not None else "retry"
            else:
                outcome = behaviour
            status = "succeeded" if outcome == "succeeds" else outcome
            charge_ref = "ch_test_" + secrets.token_hex(12)
            session.add(
                GatewayCharge(
                    reference=reference[:120],
                    amount_cents=amount_cents,
                    last4=last4,
                    outcome=status,
                    charge_ref=charge_ref,
                    created_at=clock.now(),
                )
            )
            new_token = None
            if status == "succeeded" and save and card is not None:
                new_token = "tok_test_" + secrets.token_hex(16)
                session.add(
                    GatewayCard(
                        token=new_token,
                        brand=brand,
                        last4=last4,
                        exp_month=exp[0],
                        exp_year=exp[1],
                        behaviour=behaviour,
                        created_at=clock.now(),
                    )
                )
        message = {"declined": "error.card_declined", "retry": "error.card_retry"}.get(status)
        return ChargeResult(status, charge_ref, last4, brand, new_token, message)


def vault_test_card(session: Session, number: str, exp_month: int, exp_year: int) -> str:
    """Vault a test card without charging it (demo data), in the caller's transaction."""
    token = "tok_test_" + secrets.token_hex(16)
    session.add(
        GatewayCard(
            token=token,
            brand=_brand(number),
            last4=number[-4:],
            exp_month=exp_month,
            exp_year=exp_year,
            behaviour=TEST_CARDS.get(number, "declined"),
            created_at=clock.now(),
        )
    )
    return token


_gateway: CardGateway = LocalTestGateway()


def card_gateway() -> CardGateway:
    return _gateway


def choice_from_form(method: str, form: dict[str, str], saved_card_id: str = "") -> PaymentChoice:
    """The payment the customer picked, from the form's fields; raises InvalidInput."""
    if method not in METHODS:
        raise InvalidInput({"method": "error.choice_invalid"})
    if method == "card":
        save = form.get("save_card") in ("on", "true", "1")
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
        select(Payment).where(Payment.order_id == order_id, Payment.status == "processing")
    ).first()
