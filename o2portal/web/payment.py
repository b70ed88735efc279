"""What the payment panels share: the methods on offer, the customer's saved cards, and what
the page rendered into the submitted form (its idempotency key, what the customer saw)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import reflex as rx

from o2portal.accounts.sessions import CurrentUser
from o2portal.billing.checkout import PaymentOutcome, pay_order
from o2portal.billing.documents import offline_payment
from o2portal.billing.payments import PaymentChoice, choice_from_form, saved_cards
from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.web.guards import client_ip
from o2portal.web.helpers import send_mail_soon, translated
from o2portal.web.session import customer_of, language_of

# Outcomes after which the form has done its work (the button stays disabled).
SETTLED = ("paid", "pending", "credited")


METHOD_KEYS = {
    "card": "pay.card",
    "credit": "pay.credit",
    "transfer": "pay.transfer",
    "cheque": "pay.cheque",
    "none": "pay.none",
}


def method_name(code: str | None, lang: str) -> str:
    """How a payment was (or is to be) made, in words: «Virement bancaire», not transfer."""
    key = METHOD_KEYS.get(code or "")
    return translate(key, lang) if key else ""


def new_key() -> str:
    """A fresh idempotency key for the next payment of this panel."""
    return uuid.uuid4().hex


def card_options(customer_id: int) -> list[dict[str, str]]:
    return [
        {"id": str(card.id), "label": f"{card.brand} •••• {card.last4}"}
        for card in saved_cards(customer_id)
    ]


def outcome_message(outcome: PaymentOutcome, lang: str) -> str:
    key = outcome.message_key or "error.unexpected"
    return translate(key, lang, invoice=outcome.invoice_number or "")


def submitted_int(form: dict, name: str) -> int:
    """A whole number the page rendered into the form (an amount in cents, years)."""
    value = form.get(name)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    raise InvalidInput({"method": "error.form_stale"})


def submitted_date(form: dict, name: str) -> date:
    """A date the page rendered into the form (the expiry date the customer saw)."""
    value = form.get(name)
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput({"method": "error.form_stale"})


def form_strings(form: dict) -> dict[str, str]:
    """Form values as short strings; a ticked checkbox arrives as True (or "on")."""

    def text(value) -> str:
        if value is True:
            return "on"
        return value[:200] if isinstance(value, str) else ""

    return {str(k)[:40]: text(v) for k, v in form.items()}


def submitted_key(form: dict) -> str:
    """The idempotency key rendered into the form when it was shown (checked by the
    domain): it travels with what the customer submitted, not with server state."""
    value = form.get("pay_key")
    return value if isinstance(value, str) else ""


class PaymentFields(rx.State, mixin=True):
    """Mixed into each state with a payment panel: its own copy of these vars.

    `pay_key` is rendered into the form as a hidden field with what the customer saw; a
    second submission of the same form (double click, replay, reconnect) carries the same
    key and reads the first outcome. It changes only when the customer starts another
    payment (`_arm`), never because an event ran. `pay_done` keeps the pay button disabled
    once the payment went through."""

    pay_key: str = ""
    pay_done: bool = False
    method: str = "card"
    cards: list[dict[str, str]] = []
    saved_card_id: str = ""
    credit: str = ""
    pay_errors: dict[str, str] = {}
    pay_message: str = ""
    pay_ok: bool = False
    paying: bool = False
    # How to pay the order form just left to pay by transfer or cheque ({}: none).
    offline: dict[str, str] = {}

    def _arm(self) -> None:
        """A new payment begins: a fresh key, the button enabled."""
        self.pay_key, self.pay_done = new_key(), False

    @rx.event
    def set_method(self, value: str):
        if value in ("card", "saved_card", "credit", "transfer", "cheque"):
            self.method = value
            self.pay_errors = {}

    @rx.event
    def set_saved_card_id(self, value: str):
        self.saved_card_id = value[:12]

    async def _show_means(self, user: CurrentUser, lang: str) -> None:
        """The customer's saved cards (the first one chosen) and credit balance."""
        self._put_means(await asyncio.to_thread(card_options, user.customer.id), user, lang)

    def _put_means(self, cards: list[dict[str, str]], user: CurrentUser, lang: str) -> None:
        """_show_means, with the cards already read (card_options)."""
        self.cards = cards
        if self.cards and not self.saved_card_id:
            self.saved_card_id = self.cards[0]["id"]
        self.credit = formatting.money(user.customer.credit_balance_cents, lang)

    async def _start_payment(self, form: dict, read_seen) -> tuple | None:
        """What the submitted form pays for and how: (what the page showed, as read by
        read_seen(form), the means of payment); None, with the errors shown, when the
        form does not make a payment."""
        self.pay_errors, self.pay_message, self.pay_ok, self.offline = {}, "", False, {}
        try:
            seen = read_seen(form)
            if form.get("seen_ttc") == "0":  # nothing to pay (a 100 % promo): no card asked
                choice = PaymentChoice("none")
            else:
                choice = choice_from_form(self.method, form_strings(form), self.saved_card_id)
        except InvalidInput as exc:
            self.pay_errors = await translated(self, exc.errors)
            return None
        return seen, choice

    async def _pay(
        self, door, user: CurrentUser, form: dict, choice: PaymentChoice, **what
    ) -> PaymentOutcome:
        """Call a paying door off the event loop: as the customer, with the means chosen,
        the submitted form's idempotency key and the client's address."""
        return await asyncio.to_thread(
            door,
            customer_id=user.customer.id,
            choice=choice,
            key=submitted_key(form),
            ip=client_ip(self),
            **what,
        )

    async def _order_form_payment(self, form: dict) -> tuple | None:
        """What the submitted panel of an existing order form pays (its seen_order and
        seen_ttc, rendered when it was shown): (the user, the form's id, the amount seen,
        the means), the panel marked busy; None when it pays nothing."""
        user = await customer_of(self)
        if self.paying:
            return None
        started = await self._start_payment(
            form, lambda f: (submitted_int(f, "seen_order"), submitted_int(f, "seen_ttc"))
        )
        if started is None:
            return None
        (order_id, expected_ttc), choice = started
        self.paying = True
        return user, order_id, expected_ttc, choice

    async def _pay_order_form(self, started: tuple, form: dict) -> PaymentOutcome | None:
        """Pay it (checkout.pay_order checks whose it is: the holder's, or the contact's
        who placed it); None, with the reason shown, when it is refused."""
        user, order_id, expected_ttc, choice = started
        lang = await language_of(self)
        try:
            return await self._pay(
                pay_order, user, form, choice, order_id=order_id, expected_ttc_cents=expected_ttc
            )
        except (InvalidInput, NotAllowed) as exc:
            errors = getattr(exc, "errors", None) or {"method": "error.unexpected"}
            self.pay_message = translate(next(iter(errors.values())), lang)
            return None
        finally:
            self.paying = False

    async def _show_offline(self, user: CurrentUser, outcome: PaymentOutcome, lang: str) -> None:
        """After an order form left to pay by transfer or cheque: the bank details or the
        cheque address, and the reference to quote (today's, read on the server)."""
        self.offline = {}
        if outcome.status != "pending" or outcome.order_id is None:
            return
        found = await asyncio.to_thread(offline_payment, user.customer.id, outcome.order_id)
        if found is None:
            return
        details = found.details
        self.offline = {
            "id": str(found.order_id),
            "reference": found.reference,
            "method": found.method,
            "title": translate(
                "pay.offline_title",
                lang,
                reference=found.reference,
                amount=formatting.money(found.total_ttc_cents, lang),
            ),
            "how": translate(
                f"pay.offline_{found.method}",
                lang,
                reference=found.reference,
                payee=details["cheque_payee"],
            ),
            "holder": details["holder"],
            "iban": formatting.formatted_iban(details["iban"]),
            "bic": details["bic"],
            "bank": details["bank"],
            "address": details["cheque_address"],
            # The order form's PDF is its holder's: not linked for their contact.
            "pdf": "1" if found.own else "",
        }

    def _paid(self, outcome: PaymentOutcome, lang: str) -> None:
        """Show the outcome; once the payment went through, the button stays disabled."""
        self.pay_ok = outcome.status in SETTLED
        self.pay_message = outcome_message(outcome, lang)
        if self.pay_ok:
            self.pay_done = True
            send_mail_soon()
        else:
            # A refusal is that key's answer for good: trying again is a new payment.
            self._arm()
