"""/contacts: the orders proposed to me (accept or refuse, then pay or take the right back)
and those I proposed to my clients (withdraw, then pay once accepted)."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import stack
from o2portal.web.components.confirm import confirmed_button
from o2portal.web.components.forms import checkbox_field, small_button
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden, payment_panel
from o2portal.web.components.tables import coloured_badge, rows_table, section, text_cells
from o2portal.web.customer.contacts.client_orders_state import ClientOrdersState as S

_COLOURS = {
    "proposed": "orange",
    "accepted": "blue",
    "paid": "green",
    "refused": "gray",
    "expired": "gray",
    "cancelled": "gray",
    "revoked": "red",
    "void": "gray",
}


def _badge(r) -> rx.Component:
    return coloured_badge(r["status"], r["status_label"], _COLOURS)


def _price(r) -> rx.Component:
    """HT, TVA and TTC of the proposal, priced for the client (their VAT situation)."""
    return rx.cond(
        r["ttc"] != "",
        rx.vstack(
            rx.grid(
                rx.text(t("total.ht")),
                rx.text(r["ht"], align="right", id="proposal-ht-" + r["id"]),
                rx.text(t("total.vat"), " (", r["rate"], ")"),
                rx.text(r["vat"], align="right", id="proposal-vat-" + r["id"]),
                rx.text(t("total.ttc"), weight="bold"),
                rx.text(r["ttc"], align="right", weight="bold", id="proposal-ttc-" + r["id"]),
                columns="2",
                spacing="1",
                width="100%",
                max_width="24em",
            ),
            rx.cond(r["mention"] != "", rx.text(r["mention"], size="1")),
            spacing="1",
            width="100%",
        ),
    )


def _answer_error(r, name: str) -> rx.Component:
    """An error of this proposal's acceptance, by its field."""
    return rx.cond(
        (S.answer_for == r["id"]) & S.answer_errors.contains(name),
        rx.text(
            S.answer_errors[name],
            color_scheme="red",
            size="2",
            role="alert",
            id=name + "-error-" + r["id"],
        ),
    )


def _check(r, name: str, key: str) -> rx.Component:
    return checkbox_field(
        name, key, None, element_id=name + "-" + r["id"], error=_answer_error(r, name)
    )


def _accept_form(r) -> rx.Component:
    """The client's answer: the consents, at the price shown (sent with the form)."""
    return rx.form(
        hidden("proposal", r["id"]),
        hidden("seen_ttc", r["ttc_cents"]),
        stack(
            rx.cond(S.consumer, _check(r, "withdrawal", "client_orders.withdrawal")),
            _check(r, "terms", "client_orders.terms"),
            _answer_error(r, "proposal"),
            rx.hstack(
                rx.button(
                    t("client_orders.accept"),
                    type="submit",
                    color_scheme="green",
                    id="accept-order-" + r["id"],
                ),
                rx.button(
                    t("client_orders.refuse"),
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.refuse(r["id"]),
                    id="refuse-order-" + r["id"],
                ),
                spacing="2",
                wrap="wrap",
            ),
        ),
        on_submit=S.accept,
        reset_on_submit=False,
        no_validate=True,
        width="100%",
    )


def _to_pay(r) -> rx.Component:
    """Accepted, not paid: pay it on /invoices, or take the contact's right back."""
    return rx.hstack(
        rx.link(
            rx.button(t("client_orders.pay_at_invoices"), size="1"),
            href="/invoices?pay=" + r["order_id"],
            id="received-pay-" + r["id"],
        ),
        confirmed_button(
            t("client_orders.revoke"),
            t("contacts.revoke_title"),
            rx.fragment(t("contacts.revoke_text"), " ", r["who"], " — ", r["summary"]),
            t("contacts.revoke_confirm"),
            S.revoke(r["id"]),
            "revoke-order-" + r["id"],
            keep_key="contacts.keep",
        ),
        spacing="2",
        wrap="wrap",
    )


def _received_card(r) -> rx.Component:
    return rx.card(
        stack(
            rx.hstack(rx.text.strong(r["summary"]), _badge(r), wrap="wrap", spacing="2"),
            rx.text(t("client_orders.from"), " ", rx.text.strong(r["who"]), size="2"),
            _price(r),
            rx.cond(
                r["problem"] != "",
                rx.callout(r["problem"], color_scheme="red", icon="triangle-alert", size="1"),
            ),
            rx.cond(
                r["open"] != "",
                rx.fragment(
                    rx.text(t("client_orders.expires"), " ", r["expires"], size="2"),
                    _accept_form(r),
                ),
            ),
            rx.cond(r["to_pay"] != "", _to_pay(r)),
        ),
        width="100%",
        id="received-order-" + r["id"],
    )


def client_orders_received() -> rx.Component:
    """The orders webmasters proposed for my account (shown when there is one)."""
    return rx.cond(
        S.received.length() > 0,
        section(
            "client_orders.received",
            rx.text(t("client_orders.received_hint"), size="2", color_scheme="gray"),
            rx.vstack(
                rx.foreach(S.received, _received_card),
                width="100%",
                spacing="3",
                id="client-orders-received",
            ),
        ),
    )


def _sent_actions(r) -> rx.Component:
    return rx.hstack(
        rx.cond(
            r["open"] != "",
            small_button(t("client_orders.cancel"), S.cancel(r["id"]), "cancel-order-" + r["id"]),
        ),
        rx.cond(
            r["payable"] != "",
            small_button(t("client_orders.pay"), S.choose(r["id"]), "pay-order-" + r["id"]),
        ),
        spacing="2",
    )


def _pay_panel() -> rx.Component:
    return rx.cond(
        S.selected != "",
        rx.card(
            stack(
                rx.hstack(
                    rx.heading(S.selected_label, size="3", as_="h3", id="client-order-pay"),
                    rx.spacer(),
                    rx.icon_button(
                        rx.icon("x", size=14),
                        size="1",
                        variant="ghost",
                        on_click=S.close,
                        aria_label="Fermer",
                    ),
                    width="100%",
                ),
                rx.text(t("client_orders.pay_hint"), size="2", color_scheme="gray"),
                payment_panel(
                    S,
                    S.pay,
                    "client_orders.pay_to",
                    "client-order-form",
                    seen=[("seen_order", S.seen_order), ("seen_ttc", S.seen_ttc)],
                ),
            ),
            width="100%",
        ),
    )


def client_orders_sent() -> rx.Component:
    """The orders I proposed to my clients, and the payment of one they accepted."""
    return section(
        "client_orders.sent",
        rx.text(t("client_orders.sent_hint"), size="2", color_scheme="gray"),
        rows_table(
            "client-orders-sent",
            [
                "client_orders.client",
                "client_orders.what",
                "client_orders.price",
                "col.status",
                "col.actions",
            ],
            S.sent,
            lambda r: rx.table.row(
                rx.table.row_header_cell(
                    rx.text(r["who"]), rx.text(r["email"], size="1", color_scheme="gray")
                ),
                *text_cells(r, "summary", "ttc"),
                rx.table.cell(
                    _badge(r),
                    rx.cond(
                        r["open"] != "",
                        rx.text(t("client_orders.expires"), " ", r["expires"], size="1"),
                    ),
                ),
                rx.table.cell(_sent_actions(r)),
            ),
            empty_key="client_orders.sent_none",
        ),
        _pay_panel(),
    )
