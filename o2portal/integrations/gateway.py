"""The card gateway, shaped like a real provider's API, and the built-in one.

A real provider (Stripe, Adyen, PayPlug, Mollie…) plugs in by implementing CardGateway:

    tokenize(card)                        -> CardToken  the provider's own endpoint does
                                             this for the browser, so that the card
                                             number never reaches the portal
    card(token)                           -> CardToken | None  what a token stands for
    charge(reference=, amount_cents=, token=) -> ChargeResult
                                             `reference` is the idempotency key: the same
                                             reference always gets the first answer back,
                                             a decline included, and never a second charge
    status(reference)                     -> ChargeResult | None  what became of a charge
                                             whose answer was lost (None: never received)

The built-in gateway's endpoint is POST /gateway/v1/tokens on the portal's own server
(o2portal/web/routes.py), taking the card fields as JSON and answering the token; a real
provider's lives on its own domain, and its script in the pay form posts there instead.

Any call may raise GatewayTimeout: the provider did not answer, and a charge's outcome is
unknown until status() says it. Nothing here takes the portal's database session: the
built-in gateway keeps its own tables in its own transactions, as an outside provider would.

Test cards of the built-in gateway (any future expiry date, any 3-digit CVC):

    4242 4242 4242 4242   succeeds
    4000 0000 0000 0002   declined
    4000 0000 0000 0119   a temporary refusal every other charge: the first charge with
                          this card is refused with "retry", the next one (a new
                          reference) succeeds, and so on
    4000 0000 0000 0036   charged, but the answer is lost: charge() raises GatewayTimeout
                          and status() then tells that it succeeded
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session, col, select
from stdnum import luhn

from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.core.errors import InvalidInput
from o2portal.integrations.models import GatewayCard, GatewayCharge
from o2portal.integrations.providers import ProviderDown

# The fields of a card as the browser posts them to the gateway's endpoint.
CARD_FIELDS = ("card_number", "card_expiry", "card_cvc", "card_holder")
TEST_CARDS = {
    "4242424242424242": "succeeds",
    "4000000000000002": "declined",
    "4000000000000119": "retry",
    "4000000000000036": "lost",
}
SUCCEEDED, DECLINED, RETRY = "succeeded", "declined", "retry"


class GatewayTimeout(ProviderDown):
    """The provider did not answer in time; the outcome of a charge is unknown."""


@dataclass(frozen=True)
class CardDetails:
    """What the customer typed: only the gateway's tokenize() ever sees it."""

    number: str
    exp_month: int
    exp_year: int
    cvc: str
    holder: str


@dataclass(frozen=True)
class CardToken:
    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class ChargeResult:
    status: str  # succeeded | declined | retry
    charge_ref: str | None = None
    last4: str | None = None
    brand: str | None = None
    message_key: str | None = None


class CardGateway(Protocol):
    def tokenize(self, card: CardDetails) -> CardToken: ...

    def card(self, token: str) -> CardToken | None: ...

    def charge(self, *, reference: str, amount_cents: int, token: str) -> ChargeResult: ...

    def status(self, reference: str) -> ChargeResult | None: ...


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


def tokenize_fields(fields: dict[str, str]) -> CardToken:
    """What the gateway's own endpoint does with the fields the browser posts: check them
    (InvalidInput by field), then tokenize; may raise GatewayTimeout."""
    return card_gateway().tokenize(clean_card(fields))


def brand_of(number: str) -> str:
    if number.startswith("4"):
        return "Visa"
    if number[:2] in ("51", "52", "53", "54", "55") or number[:1] == "2":
        return "Mastercard"
    if number[:2] in ("34", "37"):
        return "Amex"
    return "Carte"


_MESSAGES = {DECLINED: "error.card_declined", RETRY: "error.card_retry"}


def _result(row: GatewayCharge) -> ChargeResult:
    return ChargeResult(row.outcome, row.charge_ref, row.last4, None, _MESSAGES.get(row.outcome))


def _vault(session: Session, card: CardDetails) -> GatewayCard:
    row = GatewayCard(
        token="tok_test_" + secrets.token_hex(16),
        brand=brand_of(card.number),
        last4=card.number[-4:],
        exp_month=card.exp_month,
        exp_year=card.exp_year,
        behaviour=TEST_CARDS.get(card.number, "declined"),
        fingerprint=hashlib.sha256(card.number.encode()).hexdigest(),
        created_at=clock.now(),
    )
    session.add(row)
    return row


class LocalTestGateway:
    """The built-in gateway. `down = True` makes every call time out, as a provider that
    is unreachable does (the tests use it)."""

    down = False

    def _reachable(self) -> None:
        if self.down:
            raise GatewayTimeout("the card gateway did not answer")

    def tokenize(self, card: CardDetails) -> CardToken:
        self._reachable()
        with transaction() as session:
            row = _vault(session, card)
            return CardToken(row.token, row.brand, row.last4, row.exp_month, row.exp_year)

    def card(self, token: str) -> CardToken | None:
        self._reachable()
        with transaction() as session:
            row = session.exec(select(GatewayCard).where(GatewayCard.token == token)).first()
            if row is None:
                return None
            return CardToken(row.token, row.brand, row.last4, row.exp_month, row.exp_year)

    def charge(self, *, reference: str, amount_cents: int, token: str) -> ChargeResult:
        self._reachable()
        if amount_cents <= 0:
            raise ValueError("a charge is for a positive amount")
        reference = reference[:120]
        lost = False
        with transaction() as session:
            # The card's row is locked: two charges of one reference (or one card) are
            # taken one after the other, and the second reads the first one's answer.
            card = session.exec(
                select(GatewayCard).where(GatewayCard.token == token).with_for_update()
            ).first()
            first = session.exec(
                select(GatewayCharge)
                .where(GatewayCharge.reference == reference)
                .order_by(col(GatewayCharge.id))
            ).first()
            if first is not None:
                return _result(first)
            if card is None:
                return ChargeResult(DECLINED, message_key="error.card_unknown")
            outcome = self._outcome(session, card)
            lost = card.behaviour == "lost"
            row = GatewayCharge(
                reference=reference,
                amount_cents=amount_cents,
                last4=card.last4,
                fingerprint=card.fingerprint,
                outcome=outcome,
                charge_ref="ch_test_" + secrets.token_hex(12),
                created_at=clock.now(),
            )
            session.add(row)
            result = ChargeResult(
                outcome, row.charge_ref, card.last4, card.brand, _MESSAGES.get(outcome)
            )
        if lost:
            raise GatewayTimeout("the answer of the card gateway was lost")
        return result

    @staticmethod
    def _outcome(session: Session, card: GatewayCard) -> str:
        if card.behaviour in ("succeeds", "lost"):
            return SUCCEEDED
        if card.behaviour == "retry":
            last = session.exec(
                select(GatewayCharge.outcome)
                .where(GatewayCharge.fingerprint == card.fingerprint)
                .order_by(col(GatewayCharge.id).desc())
            ).first()
            return SUCCEEDED if last == RETRY else RETRY
        return DECLINED

    def status(self, reference: str) -> ChargeResult | None:
        self._reachable()
        with transaction() as session:
            first = session.exec(
                select(GatewayCharge)
                .where(GatewayCharge.reference == reference[:120])
                .order_by(col(GatewayCharge.id))
            ).first()
            return None if first is None else _result(first)


def vault_test_card(session: Session, number: str, exp_month: int, exp_year: int) -> str:
    """Demo data and tests only: a test card vaulted in the caller's transaction (the demo
    writes everything in one). Returns its token."""
    row = _vault(session, CardDetails(number, exp_month, exp_year, "000", "Démo"))
    return row.token


_gateway: CardGateway = LocalTestGateway()


def card_gateway() -> CardGateway:
    return _gateway
