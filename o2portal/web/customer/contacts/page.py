"""/contacts: contacts on my products, invitations received, clients I work for."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import stack
from o2portal.web.components.contacts import revoke_button
from o2portal.web.components.forms import (
    card_form,
    form_select,
    notice,
    small_button,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import page_title
from o2portal.web.components.tables import coloured_badge, rows_table, section, text_cells
from o2portal.web.customer.contacts.client_orders import (
    client_orders_received,
    client_orders_sent,
)
from o2portal.web.customer.contacts.client_orders_state import ClientOrdersState as CO
from o2portal.web.customer.contacts.state import ContactsState as S
from o2portal.web.pages import customer_page

_STATUS_COLOURS = {"active": "green", "invited": "orange", "refused": "gray", "revoked": "red"}


def _status(r) -> rx.Component:
    return rx.table.cell(coloured_badge(r["status"], r["status_label"], _STATUS_COLOURS))


def _invite_form() -> rx.Component:
    return card_form(
        S.invite,
        rx.heading(t("contacts.invite_title"), size="3", as_="h3"),
        rx.text(t("contacts.invite_hint"), size="2", color_scheme="gray"),
        form_select(
            "invite-product",
            "contacts.product",
            "product_id",
            [rx.foreach(S.products, lambda p: rx.el.option(p["label"], value=p["id"]))],
            errors=S.errors,
        ),
        text_field("email", "contacts.email", S.errors, type="email", max_length=254),
        form_select(
            "invite-role",
            "contacts.role",
            "role",
            [
                rx.el.option(t("contacts.role.technical"), value="technical"),
                rx.el.option(t("contacts.role.administrative"), value="administrative"),
            ],
            errors=S.errors,
        ),
        rx.text(t("contacts.role_technical_hint"), size="1", color_scheme="gray"),
        rx.text(t("contacts.role_administrative_hint"), size="1", color_scheme="gray"),
        rx.button(t("contacts.invite"), type="submit", id="invite-submit"),
        key=S.form_key.to_string(),
        id="invite-form",
    )


def _mine() -> rx.Component:
    return section(
        "contacts.mine",
        rx.text(t("contacts.mine_hint"), size="2", color_scheme="gray"),
        rows_table(
            "contacts-mine",
            [
                "col.name",
                "contacts.email",
                "contacts.product",
                "contacts.role",
                "col.status",
                "col.date",
                "col.actions",
            ],
            S.mine,
            lambda r: rx.table.row(
                rx.table.row_header_cell(r["contact"]),
                *text_cells(r, "email", "product", "role"),
                _status(r),
                rx.table.cell(r["since"]),
                rx.table.cell(
                    rx.cond(
                        r["open"] != "", revoke_button(r, S.revoke(r["id"]), "revoke-" + r["id"])
                    )
                ),
            ),
            empty_key="contacts.mine_none",
        ),
        rx.cond(S.products.length() > 0, _invite_form()),
        rx.heading(t("contacts.actions"), size="3", as_="h3"),
        rows_table(
            "contacts-actions",
            ["col.date", "col.name", "contacts.product", "contacts.action", "contacts.details"],
            S.actions,
            lambda a: rx.table.row(
                rx.table.cell(a["at"]), *text_cells(a, "contact", "product", "action", "details")
            ),
            empty_key="contacts.actions_none",
        ),
    )


def _invitations() -> rx.Component:
    return section(
        "contacts.invitations",
        rows_table(
            "contacts-invitations",
            ["contacts.holder", "contacts.product", "contacts.role", "col.date", "col.actions"],
            S.invitations,
            lambda r: rx.table.row(
                rx.table.row_header_cell(r["holder"]),
                *text_cells(r, "product", "role", "since"),
                rx.table.cell(
                    rx.hstack(
                        small_button(
                            t("contacts.accept"),
                            S.accept(r["id"]),
                            "accept-" + r["id"],
                            color_scheme="green",
                        ),
                        small_button(
                            t("contacts.refuse"),
                            S.refuse(r["id"]),
                            "refuse-" + r["id"],
                            color_scheme="gray",
                        ),
                        spacing="2",
                    )
                ),
            ),
            empty_key="contacts.invitations_none",
        ),
    )


def _clients() -> rx.Component:
    return section(
        "contacts.clients",
        rows_table(
            "contacts-clients",
            ["contacts.holder", "contacts.product", "contacts.role", "col.date"],
            S.clients,
            lambda r: rx.table.row(
                rx.table.row_header_cell(r["holder"]),
                rx.table.cell(rx.link(r["product"], href="/services/" + r["product_id"])),
                *text_cells(r, "role", "since"),
            ),
            empty_key="contacts.clients_none",
        ),
    )


@customer_page(
    "/contacts",
    on_load=[S.load, CO.load],
    ui=[CO.set_method, CO.set_saved_card_id, CO.close],
)
def contacts_page() -> rx.Component:
    return rx.fragment(
        page_title("nav.contacts"),
        rx.text(t("contacts.intro"), color_scheme="gray"),
        notice(S.message, "contacts-message"),
        notice(S.notice, "contacts-notice", color="red", icon="triangle-alert"),
        notice(CO.message, "client-orders-message"),
        notice(CO.notice, "client-orders-notice", color="red", icon="triangle-alert"),
        stack(
            _invitations(),
            client_orders_received(),
            _mine(),
            _clients(),
            client_orders_sent(),
            spacing="4",
        ),
    )
