"""/order: the four offers (the SSL certificates' tab in certificate.py), the cart, the
checkout and the order history."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import columns, stack, stacked_card
from o2portal.web.components.filters import filter_select
from o2portal.web.components.forms import (
    checkbox_field,
    field_error,
    label,
    labelled,
    native_select,
    renewal_years,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import page_title
from o2portal.web.components.payment import (
    hidden,
    offline_instructions,
    payment_panel,
    total_cells,
)
from o2portal.web.components.tables import data_table, pager, pdf_link, section
from o2portal.web.customer.order.certificate import certificate_tab
from o2portal.web.customer.order.history_state import OrderHistoryState
from o2portal.web.customer.order.state import OrderState as S
from o2portal.web.pages import customer_page


def _select(name: str, key: str, value, on_change, options) -> rx.Component:
    return filter_select(name, key, value, on_change, options, min_width=None, width="100%")


def _error(text, element_id: str) -> rx.Component:
    return rx.cond(
        text != "", rx.text(text, color_scheme="red", size="2", role="alert", id=element_id)
    )


def _words(*parts, **props) -> rx.Component:
    """A line of text: the parts (translations, values, a bold name) with a space between."""
    return rx.text(*[piece for part in parts for piece in (" ", part)][1:], **props)


def _domain_input(element_id: str, value, on_change) -> rx.Component:
    return rx.input(
        id=element_id,
        value=value,
        on_change=on_change,
        placeholder="mon-site.fr",
        max_length=300,
        size="3",
        width="100%",
    )


def _tier_card(o) -> rx.Component:
    chosen = S.tier == o["code"]
    return rx.card(
        rx.vstack(
            rx.heading(o["name"], size="4"),
            rx.text(o["specs"], size="2", color_scheme="gray"),
            rx.text(o["description"], size="2"),
            rx.text(
                t("order.first_year_price"),
                " : ",
                o["first_year"],
                " ",
                t("order.ht"),
                weight="bold",
            ),
            _words(t("order.then"), o["renew_1y"], t("order.ht"), t("order.per_year"), size="2"),
            rx.text(
                "2 ans : ",
                o["renew_2y"],
                " · 3 ans : ",
                o["renew_3y"],
                " ",
                t("order.ht"),
                size="1",
                color_scheme="gray",
            ),
            rx.button(
                rx.cond(chosen, t("order.chosen"), t("order.choose")),
                variant=rx.cond(chosen, "solid", "outline"),
                on_click=S.choose_tier(o["code"]),
                id="tier-" + o["code"],
                width="100%",
            ),
            spacing="2",
        ),
        class_name=rx.cond(chosen, "o2-chosen", ""),
    )


def _hosting_tab() -> rx.Component:
    return stack(
        columns(rx.foreach(S.hosting, _tier_card), n="3"),
        columns(
            _select(
                "hosting-years",
                "order.years",
                S.hosting_years,
                S.set_hosting_years,
                renewal_years(),
            ),
            _select(
                "hosting-mode",
                "order.free_domain",
                S.hosting_mode,
                S.set_hosting_mode,
                [
                    ("register", t("order.free_domain_new")),
                    ("existing", t("order.free_domain_existing")),
                ],
            ),
        ),
        rx.cond(
            S.hosting_mode == "register",
            labelled(
                "hosting-domain",
                "order.domain_name",
                _domain_input("hosting-domain", S.hosting_domain, S.set_hosting_domain),
                width="100%",
            ),
            labelled(
                "hosting-existing",
                "order.my_domains",
                native_select(
                    "hosting-existing",
                    rx.el.option("—", value=""),
                    rx.foreach(S.my_domains, lambda d: rx.el.option(d, value=d)),
                    value=S.hosting_domain,
                    on_change=S.set_hosting_domain,
                ),
                width="100%",
            ),
        ),
        _error(S.hosting_error, "hosting-error"),
        rx.button(t("order.add"), on_click=S.add_hosting, id="add-hosting", size="3"),
    )


def _with_button(element_id: str, key: str, field, button, error) -> rx.Component:
    """A labelled text box with its button beside it, and its error below."""
    return rx.box(
        label(element_id, key), rx.hstack(field, button, width="100%"), error, width="100%"
    )


def _found(verdict_key: str, element_id: str, price_key: str, price, *after) -> list:
    """The name searched for with its verdict, then the price of what can be done with it."""
    return [
        _words(rx.text.strong(S.found["display"]), t(verdict_key), id=element_id),
        _words(t(price_key), price, t("order.ht"), *after),
    ]


def _domain_tab() -> rx.Component:
    return stack(
        _with_button(
            "domain-search",
            "order.search",
            _domain_input("domain-search", S.query, S.set_query),
            rx.button(t("order.search_button"), on_click=S.search, id="domain-check", size="3"),
            _error(S.domain_error, "domain-error"),
        ),
        rx.cond(
            S.found.contains("name"),
            rx.cond(
                S.found["available"] != "",
                rx.card(
                    rx.vstack(
                        *_found(
                            "order.available",
                            "domain-available",
                            "order.register_price",
                            S.found["register"],
                            t("order.per_year"),
                        ),
                        _select(
                            "domain-years",
                            "order.years",
                            S.domain_years,
                            S.set_domain_years,
                            [(str(n), f"{n} an" + ("s" if n > 1 else "")) for n in range(1, 11)],
                        ),
                        rx.button(t("order.add"), on_click=S.add_domain, id="add-domain"),
                        spacing="2",
                    ),
                    width="100%",
                ),
                rx.cond(
                    S.found["managed"] != "",
                    rx.callout(
                        _words(
                            rx.text.strong(S.found["display"]),
                            rx.cond(
                                S.found["managed"] == "yours",
                                t("order.managed_yours"),
                                t("order.managed_other"),
                            ),
                        ),
                        icon="info",
                        color_scheme="amber",
                        id="domain-managed",
                        width="100%",
                    ),
                    _transfer_card(),
                ),
            ),
        ),
    )


def _transfer_card() -> rx.Component:
    """A name registered elsewhere: its transfer in, with its code."""
    return rx.card(
        rx.form(
            rx.vstack(
                *_found(
                    "order.taken",
                    "domain-taken",
                    "order.transfer_price",
                    S.found["transfer"],
                ),
                rx.box(
                    label("auth_code", "order.auth_code"),
                    rx.input(
                        name="auth_code",
                        id="auth_code",
                        max_length=100,
                        auto_complete="off",
                        width="100%",
                    ),
                    _error(S.auth_error, "auth-error"),
                    width="100%",
                ),
                rx.button(t("order.transfer"), type="submit", id="add-transfer"),
                spacing="2",
            ),
            on_submit=S.add_transfer,
            reset_on_submit=True,
            no_validate=True,
        ),
        width="100%",
    )


def _server_tab() -> rx.Component:
    return columns(
        rx.foreach(
            S.servers,
            lambda s: rx.card(
                rx.vstack(
                    rx.heading(s["name"], size="4"),
                    rx.text(s["specs"], size="2", color_scheme="gray"),
                    rx.text(s["monthly"], " ", t("order.ht"), " / mois", weight="bold"),
                    rx.text(
                        s["yearly"],
                        " ",
                        t("order.ht"),
                        " ",
                        t("order.per_year"),
                        " (",
                        t("order.billed_yearly"),
                        ")",
                        size="2",
                    ),
                    rx.button(
                        t("order.add"),
                        on_click=S.add_server(s["code"]),
                        id="add-server-" + s["code"],
                    ),
                    spacing="2",
                )
            ),
        ),
        n="3",
    )


def _cart_line(r) -> rx.Component:
    """A line of the cart: what it is, its price, and (when it can go) a button to remove it."""
    return rx.hstack(
        rx.text(r["description"], size="2", flex="1"),
        rx.text(r["ht"], size="2", white_space="nowrap"),
        rx.cond(
            r["index"] != "",
            rx.icon_button(
                rx.icon("x", size=14),
                size="1",
                variant="ghost",
                on_click=S.remove_item(r["index"]),
                aria_label="Retirer",
            ),
        ),
        width="100%",
        align="center",
    )


def _totals() -> rx.Component:
    """The cart's totals before tax, of the VAT and with it, once they are known."""
    return rx.cond(
        S.totals.contains("ttc"),
        rx.grid(
            *total_cells(S.totals, "cart"),
            columns="2",
            width="100%",
            spacing="1",
        ),
    )


def _cart() -> rx.Component:
    return stacked_card(
        rx.heading(t("order.cart"), size="5", as_="h2"),
        rx.cond(
            S.cart_rows.length() > 0,
            rx.vstack(
                rx.foreach(S.cart_rows, _cart_line), id="cart-lines", width="100%", spacing="2"
            ),
            rx.text(t("order.cart_empty"), color_scheme="gray", id="cart-empty"),
        ),
        _error(S.cart_error, "cart-error"),
        _totals(),
        rx.cond(
            S.totals.contains("mention") & (S.totals["mention"] != ""),
            rx.text(S.totals["mention"], size="1"),
        ),
        _with_button(
            "promo",
            "order.promo",
            rx.input(id="promo", value=S.promo, on_change=S.set_promo, max_length=40, width="100%"),
            rx.button(
                t("order.promo_apply"), on_click=S.apply_promo, variant="soft", id="promo-apply"
            ),
            _error(S.promo_error, "promo-error"),
        ),
        rx.cond(S.cart_rows.length() > 0, _for_whom()),
        rx.cond(
            S.cart_rows.length() > 0,
            rx.cond(
                S.for_client,
                _proposal_form(),
                payment_panel(
                    S,
                    S.pay,
                    "order.pay",
                    "order-form",
                    seen=[("seen_ttc", S.seen_ttc)],
                    instructions=False,
                    extra=[
                        rx.cond(
                            S.consumer,
                            checkbox_field("withdrawal", "order.withdrawal", S.checkout_errors),
                        ),
                        checkbox_field("terms", "order.terms", S.checkout_errors),
                        field_error(S.checkout_errors, "cart"),
                    ],
                ),
            ),
        ),
        rx.cond(
            S.proposed_message != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("circle-check")),
                rx.callout.text(
                    S.proposed_message, " ", rx.link(t("nav.contacts"), href="/contacts")
                ),
                color_scheme="green",
                id="order-proposed",
            ),
        ),
        rx.cond(
            S.done_message != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("circle-check")),
                rx.callout.text(
                    S.done_message, " ", rx.link(t("order.see_services"), href="/services")
                ),
                color_scheme="green",
                id="order-done",
            ),
        ),
        # Left to pay by transfer or cheque: the cart is empty, this is what to do next.
        rx.cond(
            S.pay_ok & (S.pay_message != "") & (S.cart_rows.length() == 0),
            rx.callout(
                S.pay_message, icon="circle-check", color_scheme="green", id="order-pending"
            ),
        ),
        offline_instructions(S),
    )


def _for_whom() -> rx.Component:
    """Order for oneself, or propose the cart to a client's account."""
    return labelled(
        "for-whom",
        "order.for_whom",
        rx.radio_group.root(
            rx.hstack(
                rx.radio_group.item(value="me", id="for-me"),
                rx.el.label(t("order.for_me"), html_for="for-me"),
                rx.radio_group.item(value="client", id="for-client"),
                rx.el.label(t("order.for_client"), html_for="for-client"),
                align="center",
                spacing="2",
            ),
            value=rx.cond(S.for_client, "client", "me"),
            on_change=S.set_for_client,
            id="for-whom",
        ),
        width="100%",
    )


def _proposal_form() -> rx.Component:
    """The cart proposed to a client (billing/client_orders.py): nothing is paid now."""
    return rx.form(
        hidden("propose_key", S.propose_key),
        stack(
            text_field(
                "client_email", "order.client_email", S.propose_errors, type="email", max_length=254
            ),
            rx.text(t("order.client_hint"), size="1", color_scheme="gray"),
            field_error(S.propose_errors, "cart"),
            field_error(S.propose_errors, "promo"),
            field_error(S.propose_errors, "auth_code"),
            rx.button(
                t("order.propose"),
                type="submit",
                size="3",
                loading=S.proposing,
                width="100%",
                id="propose-submit",
            ),
        ),
        on_submit=S.propose,
        reset_on_submit=False,
        no_validate=True,
        id="propose-form",
        width="100%",
    )


def _history_action(r) -> rx.Component:
    """An unpaid order form is paid on /invoices; a paid one has its invoice's PDF."""
    return rx.cond(
        r["pay"] != "",
        rx.link(
            rx.button(t("dash.pay"), size="1"),
            href="/invoices?pay=" + r["id"],
            id="history-pay-" + r["id"],
        ),
        rx.cond(r["invoice"] != "", pdf_link("/files/invoices/" + r["invoice"] + ".pdf")),
    )


def _history() -> rx.Component:
    H = OrderHistoryState
    return section(
        "order.history",
        data_table(
            H.rows,
            [
                ("col.number", "reference"),
                ("col.date", "date"),
                ("col.kind", "kind"),
                ("col.amount", "amount"),
                ("col.status", "status"),
            ],
            empty_key="order.history_none",
            table_id="order-history",
            action=_history_action,
        ),
        rx.cond(H.pages > 1, pager(H, "history-")),
    )


@customer_page(
    "/order",
    on_load=S.load,
    states=[OrderHistoryState],
    ui=[
        S.choose_certificate,
        S.choose_tier,
        S.set_domain_years,
        S.set_for_client,
        S.set_hosting_domain,
        S.set_hosting_mode,
        S.set_hosting_years,
        S.set_method,
        S.set_promo,
        S.set_query,
        S.set_saved_card_id,
        S.set_ssl_key_mode,
        S.set_tab,
    ],
)
def order_page() -> rx.Component:
    return rx.fragment(
        page_title("nav.order"),
        columns(
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger(t("order.tab_hosting"), value="hosting", id="tab-hosting"),
                    rx.tabs.trigger(t("order.tab_domain"), value="domain", id="tab-domain"),
                    rx.tabs.trigger(t("order.tab_server"), value="server", id="tab-server"),
                    rx.tabs.trigger(t("order.tab_ssl"), value="ssl", id="tab-ssl"),
                    class_name="o2-tabs-fit",
                ),
                rx.tabs.content(_hosting_tab(), value="hosting", padding_top="1em"),
                rx.tabs.content(_domain_tab(), value="domain", padding_top="1em"),
                rx.tabs.content(_server_tab(), value="server", padding_top="1em"),
                rx.tabs.content(certificate_tab(S), value="ssl", padding_top="1em"),
                value=S.tab,
                on_change=S.set_tab,
                width="100%",
            ),
            _cart(),
            at="lg",
            spacing="4",
            class_name="o2-order-grid",
        ),
        _history(),
    )
