"""/services/[id]: one product, by kind, with its invoices and the renewal panel."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import columns, stack, stacked_card
from o2portal.web.components.forms import (
    field_error,
    label,
    labelled,
    native_select,
    option_list,
    renewal_years,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import payment_panel, total_cells
from o2portal.web.components.tables import pdf_link, section, status_badge
from o2portal.web.customer.services.certificate import C, certificate_section
from o2portal.web.customer.services.product_state import ProductState as S
from o2portal.web.customer.services.trade import T, trade_section
from o2portal.web.pages import customer_page


def _summary() -> rx.Component:
    return stacked_card(
        rx.hstack(
            rx.heading(S.name, size="6", as_="h1", id="product-name"),
            status_badge(S.status, S.status_label),
            align="center",
            wrap="wrap",
            spacing="3",
        ),
        rx.hstack(
            rx.text(t("product.expiry"), ":", weight="bold"),
            rx.text(S.expiry, id="product-expiry"),
            rx.text("(", S.days_left, ")", color_scheme="gray", id="product-days-left"),
            wrap="wrap",
            spacing="2",
        ),
        rx.data_list.root(
            rx.foreach(
                S.details,
                lambda d: rx.data_list.item(
                    rx.data_list.label(d["label"]), rx.data_list.value(d["value"])
                ),
            ),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        ),
        rx.cond(S.contact_role == "", _auto_renew()),
    )


def _auto_renew() -> rx.Component:
    return rx.fragment(
        rx.hstack(
            rx.switch(
                checked=S.auto_renew,
                on_change=S.set_auto_renew,
                id="auto-renew",
                aria_label="auto-renew",
            ),
            rx.el.label(t("product.auto_renew"), html_for="auto-renew"),
            align="center",
            spacing="2",
        ),
        rx.text(t("product.auto_renew_hint"), size="1", color_scheme="gray"),
        rx.cond(
            S.auto_renew_note != "",
            rx.callout(
                S.auto_renew_note, icon="info", color_scheme="amber", size="1", id="auto-renew-note"
            ),
        ),
    )


def _managed_for() -> rx.Component:
    """Said to a contact: whose product this is and what their role lets them do."""
    return rx.cond(
        S.contact_role != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("users")),
            rx.callout.text(
                t("contacts.managed_for"),
                " ",
                rx.text.strong(S.holder_name),
                " (",
                rx.match(
                    S.contact_role,
                    ("administrative", t("contacts.role.administrative")),
                    t("contacts.role.technical"),
                ),
                ")",
            ),
            color_scheme="blue",
            id="managed-for",
        ),
    )


def _domain_tools() -> rx.Component:
    return rx.cond(
        S.kind == "domain",
        columns(
            section(
                "product.nameservers",
                rx.form(
                    stack(
                        *[
                            rx.box(
                                label(f"ns{i}", "product.ns"),
                                rx.input(
                                    name=f"ns{i}",
                                    id=f"ns{i}",
                                    default_value=S.nameservers[i - 1],
                                    key=S.nameservers[i - 1],
                                    max_length=253,
                                    width="100%",
                                ),
                                field_error(S.ns_errors, f"ns{i}"),
                                width="100%",
                            )
                            for i in range(1, 5)
                        ],
                        rx.button(t("product.ns_save"), type="submit", id="ns-save"),
                        rx.cond(
                            S.ns_message != "",
                            rx.text(S.ns_message, color_scheme="green", id="ns-message"),
                        ),
                        spacing="2",
                    ),
                    on_submit=S.save_nameservers,
                    reset_on_submit=False,
                    no_validate=True,
                ),
            ),
            rx.cond(S.contact_role == "", _auth_code_and_lock()),
            spacing="4",
        ),
    )


def _auth_code_and_lock() -> rx.Component:
    return section(
        "product.auth_code",
        rx.cond(
            S.auth_code != "",
            rx.code(S.auth_code, size="4", id="auth-code"),
            rx.button(
                t("product.auth_code_show"),
                on_click=S.show_auth_code,
                variant="soft",
                id="show-auth-code",
            ),
        ),
        rx.cond(
            S.auth_error != "",
            rx.text(S.auth_error, color_scheme="red", size="2", id="auth-code-error"),
        ),
        rx.text(t("product.auth_code_hint"), size="1", color_scheme="gray"),
        rx.divider(),
        rx.hstack(
            rx.switch(checked=S.registrar_lock, on_change=S.set_lock, id="registrar-lock"),
            rx.el.label(t("product.lock"), html_for="registrar-lock"),
            align="center",
            spacing="2",
        ),
        rx.text(t("product.lock_hint"), size="1", color_scheme="gray"),
    )


def _quote() -> rx.Component:
    return stack(
        rx.text(S.quote["lines"], size="2"),
        rx.grid(
            *total_cells(S.quote, "quote", rate_key="vat_rate"),
            rx.text(t("renew.new_expiry"), weight="bold"),
            rx.text(S.quote["new_expiry"], id="quote-new-expiry", weight="bold", align="right"),
            columns="2",
            spacing="2",
            width="100%",
            max_width="28em",
        ),
        rx.cond(S.quote["mention"] != "", rx.text(S.quote["mention"], size="1")),
        rx.cond(S.quote["restore"] != "", rx.callout(t("renew.restore"), color_scheme="orange")),
        spacing="2",
    )


def _renewal() -> rx.Component:
    return stacked_card(
        rx.heading(t("renew.title"), size="4", as_="h2", id="renew"),
        rx.cond(
            S.contact_role != "",
            rx.text(t("renew.for_holder"), size="2", color_scheme="blue", id="renew-for-holder"),
        ),
        rx.cond(
            S.renew_opens != "",
            # A certificate before its window: no form, the day it opens.
            rx.callout(
                S.renew_opens, icon="calendar-clock", color_scheme="blue", id="renew-too-early"
            ),
            rx.fragment(
                rx.text(t("renew.early"), size="2", color_scheme="gray"),
                rx.cond(
                    S.quote_error != "",
                    rx.callout(S.quote_error, color_scheme="red", icon="triangle-alert"),
                ),
                labelled(
                    "years",
                    "renew.years",
                    native_select(
                        "years",
                        *option_list(renewal_years()),
                        value=S.years,
                        on_change=S.set_years,
                    ),
                    width="100%",
                    max_width="20em",
                ),
            ),
        ),
        rx.cond(S.renewable, _quote()),
        rx.cond(
            S.renewable,
            payment_panel(
                S,
                S.renew,
                "renew.confirm",
                "renew-form",
                seen=[
                    ("seen_years", S.years),
                    ("seen_expiry", S.seen_expiry),
                    ("seen_ttc", S.seen_ttc),
                ],
            ),
        ),
        rx.cond(
            S.pay_done,
            rx.button(t("pay.again"), variant="soft", on_click=S.again, id="renew-again"),
        ),
        rx.cond(
            ~S.renewable & (S.pay_message != ""),
            rx.callout(S.pay_message, color_scheme=rx.cond(S.pay_ok, "green", "red")),
        ),
    )


def _invoices() -> rx.Component:
    return section(
        "product.invoices",
        rx.cond(
            S.invoices.length() > 0,
            rx.vstack(
                rx.foreach(
                    S.invoices,
                    lambda i: rx.hstack(
                        rx.text(i["number"], weight="bold"),
                        rx.text(i["date"]),
                        rx.text(i["amount"]),
                        pdf_link("/files/invoices/" + i["id"] + ".pdf"),
                        spacing="3",
                        wrap="wrap",
                    ),
                ),
                id="product-invoices",
            ),
            rx.text(t("invoices.none"), color_scheme="gray"),
        ),
    )


@customer_page(
    "/services/[product_id]",
    on_load=S.load,  # it fills the certificate's and the change of holder's sections too
    states=[C, T],
    ui=[S.set_method, S.set_saved_card_id, C.key_taken],
)
def product_page() -> rx.Component:
    return rx.fragment(
        rx.link(t("product.back"), href="/services", size="2"),
        rx.cond(
            S.found,
            rx.vstack(
                _managed_for(),
                _summary(),
                certificate_section(),
                _domain_tools(),
                rx.cond(
                    S.contact_role == "",
                    rx.fragment(_renewal(), _invoices(), trade_section()),
                    # An administrative contact renews, with their own means.
                    rx.cond(S.may_renew, _renewal()),
                ),
                spacing="4",
                width="100%",
            ),
            rx.cond(
                S.access_removed,
                rx.callout(t("contacts.access_removed"), color_scheme="red", id="access-removed"),
                rx.callout(t("product.not_found"), color_scheme="red", id="product-not-found"),
            ),
        ),
    )
