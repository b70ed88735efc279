"""/services/[id]: "Changer de titulaire", the holder's offer of their product to another
customer account (products/trades.py): the recipient's email and a confirmation, or the
offer waiting with a button to cancel it, or why the product cannot change hands now."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.products import trades
from o2portal.web.components.confirm import confirm_button
from o2portal.web.components.forms import checkbox_field, notice, submit, text_field
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import section
from o2portal.web.guards import client_ip
from o2portal.web.helpers import form_checked, form_text, send_mail_soon
from o2portal.web.session import customer_of, language_of, read_as_customer

# The rules' field names, as this form names its fields (the page has other forms).
_FIELDS = {"email": "trade_email", "product": "trade_product", "offer": "trade_product"}


class ProductTradeState(rx.State):
    product_id: int = 0
    shown: bool = False  # the product is the customer's own
    blocked: str = ""  # why it cannot be offered now, in words
    pending: bool = False
    pending_to: str = ""
    pending_since: str = ""
    pending_until: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False

    def _read(self, customer_id: int) -> trades.ProductTrade | None:
        """What the section shows (in a worker thread): None when the product is not this
        customer's own."""
        try:
            return trades.product_trade(customer_id, self.product_id)
        except NotAllowed:
            return None

    def _show(self, view: trades.ProductTrade | None, lang: str) -> None:
        if view is None:
            self.shown = False
            return
        self.shown = True
        self.blocked = translate(view.blocked, lang) if view.blocked else ""
        offer = view.pending
        self.pending = offer is not None
        self.pending_to = f"{offer.to_name} ({offer.to_email})" if offer else ""
        self.pending_since = formatting.day(offer.offered_at, lang) if offer else ""
        self.pending_until = formatting.day(offer.expires_at, lang) if offer else ""

    async def _fill(self) -> None:
        _, lang, view = await read_as_customer(self, lambda user: self._read(user.customer.id))
        self._show(view, lang)

    def _open(self, product_id: int) -> None:
        """The section of a product page being opened, before it is read."""
        self.product_id = product_id
        self.errors, self.message, self.busy = {}, "", False

    @rx.event
    async def offer(self, form: dict):
        """Offer the product to the account at the typed address, once confirmed."""
        user = await customer_of(self)
        lang = await language_of(self)
        if self.busy:
            return
        self.errors, self.message = {}, ""
        if not form_checked(form, "trade_confirm"):
            self.errors = {"trade_confirm": translate("trade.error_confirm", lang)}
            return
        self.busy = True
        yield
        try:
            await asyncio.to_thread(
                trades.offer_product,
                user.actor,
                self.product_id,
                form_text(form, "trade_email", 300),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.errors = {
                _FIELDS.get(field, "trade_product"): translate(key, lang)
                for field, key in exc.errors.items()
            }
        except NotAllowed:
            self.shown = False
        else:
            send_mail_soon()
            self.message = translate("trade.offered_ok", lang)
        finally:
            self.busy = False
        await self._fill()

    @rx.event
    async def cancel(self):
        """Take back the offer of this product still waiting (found again on the server)."""
        user = await customer_of(self)
        lang = await language_of(self)
        self.errors, self.message = {}, ""
        try:
            view = await asyncio.to_thread(trades.product_trade, user.customer.id, self.product_id)
        except NotAllowed:
            self.shown = False
            return
        if view.pending is not None:
            try:
                await asyncio.to_thread(
                    trades.cancel_offer, user.actor, view.pending.id, ip=client_ip(self)
                )
            except InvalidInput as exc:
                self.errors = {"trade_product": translate(exc.errors["offer"], lang)}
            else:
                send_mail_soon()
                self.message = translate("trade.cancelled_ok", lang)
        await self._fill()


T = ProductTradeState


def _pending() -> rx.Component:
    return rx.vstack(
        rx.data_list.root(
            rx.data_list.item(
                rx.data_list.label(t("trade.pending_to")),
                rx.data_list.value(T.pending_to, id="trade-pending-to"),
            ),
            rx.data_list.item(
                rx.data_list.label(t("trade.pending_since")),
                rx.data_list.value(T.pending_since),
            ),
            rx.data_list.item(
                rx.data_list.label(t("trade.pending_until")),
                rx.data_list.value(T.pending_until, id="trade-pending-until"),
            ),
        ),
        confirm_button(
            rx.button(t("trade.cancel"), variant="soft", color_scheme="gray", id="trade-cancel"),
            title_key="trade.cancel_title",
            text_key="trade.cancel_text",
            keep_key="trade.keep",
            confirm_key="trade.cancel_confirm",
            on_confirm=T.cancel,
            confirm_id="trade-cancel-confirm",
        ),
        spacing="3",
    )


def _offer_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            text_field("trade_email", "trade.email", T.errors, type="email", max_length=254),
            checkbox_field("trade_confirm", "trade.confirm", T.errors),
            submit("trade.offer", T.busy, "trade-offer"),
            spacing="3",
            width="100%",
            max_width="30em",
        ),
        on_submit=T.offer,
        reset_on_submit=False,
        no_validate=True,
        id="trade-form",
        width="100%",
    )


def trade_section() -> rx.Component:
    """Shown on the holder's own product only."""
    return rx.cond(
        T.shown,
        rx.box(
            section(
                "trade.title",
                rx.text(t("trade.intro"), size="2", color_scheme="gray"),
                notice(T.message, "trade-message"),
                rx.cond(
                    T.errors.contains("trade_product"),
                    rx.callout(
                        T.errors["trade_product"],
                        color_scheme="red",
                        icon="triangle-alert",
                        id="trade-product-error",
                    ),
                ),
                rx.cond(
                    T.pending,
                    _pending(),
                    rx.cond(
                        T.blocked != "",
                        rx.callout(
                            T.blocked, color_scheme="orange", icon="info", id="trade-blocked"
                        ),
                        _offer_form(),
                    ),
                ),
            ),
            id="trade",
            width="100%",
        ),
    )
