"""/contacts, orders for a client (billing/client_orders.py): those proposed to me, which
I accept or refuse, and those I proposed to my clients, which I pay once accepted."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.billing import client_orders
from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.products import contacts
from o2portal.web import live
from o2portal.web.customer.order.state import message  # "error.domain_taken|name"
from o2portal.web.doors import chained_only
from o2portal.web.guards import client_ip, require_customer
from o2portal.web.helpers import form_checked, given_id, send_mail_soon
from o2portal.web.payment import PaymentFields, submitted_int
from o2portal.web.session import customer_of, language_of, load_customer

# The page of a contact with an order to pay hears at once that the client took their
# right back (the news topic of products/contacts.py); it also looks this often.
CHECK_SECONDS = 60.0
WATCH_SECONDS = 2 * 3600


def _money(cents: int | None, lang: str) -> str:
    return formatting.money(cents, lang) if cents is not None else ""


def _row(r: client_orders.ProposalRow, lang: str) -> dict[str, str]:
    return {
        "id": str(r.id),
        "who": r.client_name if r.sent else r.contact_name,
        "email": r.client_email,
        "summary": r.summary,
        "status": r.status,
        "status_label": translate(f"client_orders.status.{r.status}", lang),
        "ht": _money(r.ht_cents, lang),
        "vat": _money(r.vat_cents, lang),
        "ttc": _money(r.ttc_cents, lang),
        "ttc_cents": "" if r.ttc_cents is None else str(r.ttc_cents),
        "rate": "" if r.vat_rate_bp is None else f"{r.vat_rate_bp // 100} %",
        "mention": r.vat_mention,
        "problem": message(r.problem, lang) if r.problem else "",
        "expires": formatting.day(r.expires_at, lang),
        "order_id": str(r.order_id or ""),
        "open": "1" if r.status == "proposed" else "",
        "to_pay": "1" if r.status == "accepted" else "",
        "payable": "1" if r.payable else "",
    }


class ClientOrdersState(PaymentFields, rx.State):
    received: list[dict[str, str]] = []
    sent: list[dict[str, str]] = []
    consumer: bool = True  # the withdrawal waiver is asked of a consumer
    answer_errors: dict[str, str] = {}
    answer_for: str = ""  # the proposal whose acceptance the errors are about
    message: str = ""
    notice: str = ""
    # The order being paid by me, its contact: its proposal, form and amount.
    selected: str = ""
    selected_label: str = ""
    seen_order: str = ""
    seen_ttc: str = ""

    async def _fill(self) -> None:
        user, lang = await load_customer(self)
        rows = await asyncio.to_thread(client_orders.proposals_of, user.customer.id)
        self.received = [_row(r, lang) for r in rows if not r.sent]
        self.sent = [_row(r, lang) for r in rows if r.sent]
        self.consumer = user.customer.account_type == "particulier"
        chosen = next((r for r in self.sent if r["id"] == self.selected), None)
        if self.selected and not self.pay_done and (chosen is None or not chosen["payable"]):
            # Paid by the client, cancelled, or the client took my right back meanwhile.
            gone = chosen is not None and chosen["status"] == "revoked"
            key = "client_orders.right_gone" if gone else "client_orders.no_longer_payable"
            self.notice, self.selected = translate(key, lang), ""

    @rx.event
    async def load(self):
        self.message, self.notice, self.answer_errors, self.answer_for = "", "", {}, ""
        self.selected, self.pay_message, self.pay_errors, self.pay_ok = "", "", {}, False
        self.paying, self.offline = False, {}
        await self._fill()
        if any(r["payable"] for r in self.sent):
            return ClientOrdersState.watch_rights

    # One loop per tab, stopped with its page.
    @rx.event(background=True, supersedes=True)
    @chained_only
    async def watch_rights(self):
        """A contact's open page drops the payment of an order as soon as the client
        takes their right back: the news comes after the revocation's commit."""
        user = require_customer(self)  # called by name: nobody else may start one
        me = user.customer.id

        async def still() -> bool:
            rows = await asyncio.to_thread(client_orders.proposals_of, me)
            return any(r.payable for r in rows if r.sent)

        if not await still():
            return
        if await live.until_lost(
            contacts.topic(me), still, every=CHECK_SECONDS, lasting=WATCH_SECONDS
        ):
            async with self:
                await self._fill()

    async def _act(self, rule, proposal_id: str, done_key: str) -> bool:
        user = await customer_of(self)
        lang = await language_of(self)
        self.message, self.notice, self.answer_errors, self.answer_for = "", "", {}, ""
        try:
            await asyncio.to_thread(
                rule, user.customer.id, given_id(proposal_id), ip=client_ip(self)
            )
        except InvalidInput as exc:
            self.notice = message(next(iter(exc.errors.values())), lang)
            await self._fill()
            return False
        except NotAllowed:
            self.notice = translate("client_orders.not_found", lang)
            await self._fill()
            return False
        send_mail_soon()
        self.message = translate(done_key, lang)
        await self._fill()
        return True

    @rx.event
    async def accept(self, form: dict):
        """Accept a proposal addressed to me, at the price shown (the form's seen_ttc),
        with the consents of its form: the order form is made out to me."""
        user = await customer_of(self)
        lang = await language_of(self)
        proposal = form.get("proposal") if isinstance(form.get("proposal"), str) else ""
        self.message, self.notice, self.answer_errors = "", "", {}
        self.answer_for = proposal[:12]
        try:
            seen = submitted_int(form, "seen_ttc")
            await asyncio.to_thread(
                client_orders.accept,
                user.customer.id,
                given_id(proposal),
                terms_accepted=form_checked(form, "terms"),
                withdrawal_waived=form_checked(form, "withdrawal"),
                expected_ttc_cents=seen,
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.answer_errors = {k: message(v, lang) for k, v in exc.errors.items()}
            await self._fill()
            return
        except NotAllowed:
            self.notice = translate("client_orders.not_found", lang)
            await self._fill()
            return
        send_mail_soon()
        self.answer_for = ""
        self.message = translate("client_orders.accepted", lang)
        await self._fill()

    @rx.event
    async def refuse(self, proposal_id: str):
        await self._act(client_orders.refuse, proposal_id, "client_orders.refused")

    @rx.event
    async def cancel(self, proposal_id: str):
        """Withdraw a proposal of mine not yet answered."""
        await self._act(client_orders.cancel, proposal_id, "client_orders.cancelled")

    @rx.event
    async def revoke(self, proposal_id: str):
        """Take back the right of the contact to pay an order I accepted."""
        await self._act(client_orders.revoke, proposal_id, "client_orders.revoked")

    @rx.event
    async def choose(self, proposal_id: str):
        """Open the payment panel of an accepted order I proposed (mine to pay)."""
        user = await customer_of(self)
        lang = await language_of(self)
        wanted = proposal_id if isinstance(proposal_id, str) else ""
        row = next((r for r in self.sent if r["id"] == wanted and r["payable"]), None)
        self.message, self.notice = "", ""
        if row is None:
            self.selected = ""
            return
        self.selected, self.seen_order, self.seen_ttc = row["id"], row["order_id"], row["ttc_cents"]
        self.selected_label = translate("client_orders.pay_title", lang, client=row["who"])
        self.method = "card"
        self.pay_errors, self.pay_message, self.pay_ok, self.offline = {}, "", False, {}
        self._arm()
        await self._show_means(user, lang)  # my own cards and credit, never the client's

    @rx.event
    def close(self):
        self.selected = ""

    @rx.event
    async def pay(self, form: dict):
        """Pay, with my own means, the order form made out to my client: the form, the
        amount and the key are those of the submitted form (same form twice: one payment).
        The server checks that it is mine to pay (billing/agents.py)."""
        started = await self._order_form_payment(form)
        if started is None:
            return
        yield
        outcome = await self._pay_order_form(started, form)
        if outcome is None:
            return
        lang = await language_of(self)
        self._paid(outcome, lang)
        await self._show_offline(started[0], outcome, lang)
        await self._fill()
