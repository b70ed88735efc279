"""/admin/products/<id>: one product for staff — what it is, whose, its dates and
technical details, its history, and (admins) its changes by hand in place."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import admin_message, admin_only
from o2portal.web.components.blocks import stack
from o2portal.web.components.forms import card_form, form_select, labelled
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden
from o2portal.web.components.tables import rows_table, section, status_badge, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.products.certificate import SC, certificate_part
from o2portal.web.staff.products.product_state import AdminProductState as S


def _item(key: str, value, element_id: str | None = None) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(t(key)), rx.data_list.value(rx.text(value, id=element_id))
    )


def _about() -> rx.Component:
    i = S.info
    return section(
        "admin.product_about",
        rx.data_list.root(
            rx.data_list.item(
                rx.data_list.label(t("admin.customer")),
                rx.data_list.value(
                    rx.link(
                        i["customer"],
                        " (",
                        i["customer_email"],
                        ")",
                        href="/admin/customers/" + i["customer_id"],
                        id="product-customer",
                    )
                ),
            ),
            _item("col.kind", i["kind_label"]),
            _item("col.offer", i["offer"]),
            rx.data_list.item(
                rx.data_list.label(t("col.status")),
                rx.data_list.value(
                    rx.hstack(
                        status_badge(i["status"], i["status_label"]),
                        rx.text(i["status_reason"], size="2", color_scheme="gray"),
                    )
                ),
            ),
            _item("admin.product_start", i["start"]),
            _item("col.expiry", i["expiry"], "product-expiry"),
            _item("col.days_left", i["days_left"]),
            _item("col.auto_renew", i["auto_renew"]),
            rx.cond(
                i["renewal_price"] != "",
                _item("admin.product_renewal_price", i["renewal_price"], "product-price"),
            ),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        ),
    )


def _technical() -> rx.Component:
    i = S.info
    return section(
        "admin.product_technical",
        rx.match(
            i["kind"],
            (
                "domain",
                rx.data_list.root(
                    rx.data_list.item(
                        rx.data_list.label(t("product.nameservers")),
                        rx.data_list.value(
                            rx.vstack(rx.foreach(S.nameservers, rx.text), spacing="0"),
                            id="product-nameservers",
                        ),
                    ),
                    _item("admin.product_lock", i["lock"]),
                    rx.data_list.item(
                        rx.data_list.label(t("admin.product_auth_code")),
                        rx.data_list.value(
                            rx.cond(
                                S.auth_code != "",
                                rx.code(S.auth_code, id="product-auth-code"),
                                admin_only(
                                    rx.button(
                                        t("admin.product_show_code"),
                                        size="1",
                                        variant="soft",
                                        on_click=S.show_auth_code,
                                        id="show-auth-code",
                                    )
                                ),
                            )
                        ),
                    ),
                ),
            ),
            (
                "hosting",
                rx.data_list.root(
                    _item("admin.product_panel_user", i["panel_user"], "product-panel-user"),
                    _item("admin.product_panel_server", i["panel_server"]),
                ),
            ),
            rx.data_list.root(_item("admin.product_ip", i["ip"])),
        ),
    )


def _reason(form_name: str) -> rx.Component:
    """A form's reason (sent as `reason`), its error below it under the form's own key."""
    element_id = f"{form_name}-reason"
    return labelled(
        element_id,
        "admin.reason",
        rx.input(name="reason", id=element_id, max_length=300, width="100%"),
        errors=S.errors,
        name=element_id,
        width="100%",
    )


def _renew_form() -> rx.Component:
    return card_form(
        S.renew,
        rx.heading(t("admin.product_renew_title"), size="3"),
        rx.text(t("admin.product_renew_hint"), size="2", color_scheme="gray"),
        form_select(
            "renew-years",
            "renew.years",
            "years",
            [rx.el.option(str(n), value=str(n)) for n in (1, 2, 3)],
            S.errors,
        ),
        _reason("renew"),
        rx.button(
            t("admin.product_renew_button"),
            type="submit",
            loading=S.working,
            disabled=S.working | S.done,
            id="product-renew",
        ),
        hidden=(hidden("pay_key", S.renew_key), hidden("seen_expiry", S.seen_expiry)),
        reset_on_submit=True,
    )


def _suspend_form() -> rx.Component:
    suspend = S.changes.contains("suspend")
    return card_form(
        S.change,
        rx.heading(
            rx.cond(suspend, t("admin.product_suspend_title"), t("admin.product_unsuspend_title")),
            size="3",
        ),
        _reason("status"),
        rx.button(
            rx.cond(suspend, t("admin.action_suspend"), t("admin.action_unsuspend")),
            type="submit",
            color_scheme=rx.cond(suspend, "orange", "green"),
            loading=S.working,
            disabled=S.working | S.done,
            id="product-status",
        ),
        hidden=(
            hidden("pay_key", S.change_key),
            hidden("action", rx.cond(suspend, "suspend", "unsuspend")),
        ),
        reset_on_submit=True,
    )


def _terminate() -> rx.Component:
    """Terminating ends the service for good: asked again, with the reason, in a dialog."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                t("admin.action_terminate"),
                color_scheme="red",
                variant="soft",
                disabled=S.done,
                id="product-terminate",
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("admin.product_terminate_title"), " ", S.info["name"]),
            rx.alert_dialog.description(t("admin.product_terminate_text")),
            rx.form(
                hidden("pay_key", S.change_key),
                hidden("action", "terminate"),
                stack(
                    _reason("terminate"),
                    rx.hstack(
                        rx.alert_dialog.cancel(
                            rx.button(t("invoices.keep"), variant="soft", type="button")
                        ),
                        rx.button(
                            t("admin.product_terminate_confirm"),
                            color_scheme="red",
                            type="submit",
                            id="terminate-confirm",
                        ),
                        justify="end",
                        spacing="3",
                    ),
                ),
                on_submit=S.change,
                reset_on_submit=True,
                no_validate=True,
            ),
        ),
    )


def _actions() -> rx.Component:
    return admin_only(
        section(
            "admin.product_actions",
            rx.cond(
                S.renew_note != "",
                rx.callout(
                    S.renew_note,
                    icon="calendar-clock",
                    color_scheme="blue",
                    id="product-renew-note",
                ),
            ),
            rx.flex(
                rx.cond(S.renewable, _renew_form()),
                rx.cond(
                    S.changes.contains("suspend") | S.changes.contains("unsuspend"),
                    _suspend_form(),
                ),
                spacing="4",
                wrap="wrap",
                align="start",
            ),
            rx.cond(S.changes.contains("terminate"), _terminate()),
        )
    )


def _history() -> rx.Component:
    return section(
        "admin.product_history",
        rows_table(
            "product-history",
            ["col.date", "admin.product_who", "admin.product_what", "admin.reason"],
            S.events,
            lambda e: rx.table.row(*text_cells(e, "when", "who", "what", "reason")),
            empty_key="admin.none",
        ),
        rx.heading(t("admin.product_reminders"), size="3", as_="h3"),
        rows_table(
            "product-reminders",
            ["admin.product_stage", "col.expiry", "admin.product_sent"],
            S.reminders,
            lambda r: rx.table.row(*text_cells(r, "stage", "expiry", "sent")),
            empty_key="admin.none",
        ),
    )


def _trade() -> rx.Component:
    """A change of holder waiting: to whom and until when; cancelled from /admin/trades."""
    return rx.cond(
        S.trade.contains("to"),
        rx.callout.root(
            rx.callout.icon(rx.icon("arrow-left-right")),
            rx.callout.text(
                rx.text(t("admin.trade_pending"), weight="bold"),
                rx.text(
                    t("trade.pending_to"),
                    " ",
                    S.trade["to"],
                    " · ",
                    t("trade.pending_since"),
                    " ",
                    S.trade["since"],
                    " · ",
                    t("trade.pending_until"),
                    " ",
                    S.trade["until"],
                ),
                rx.link(t("admin.nav_trades"), href="/admin/trades"),
            ),
            color_scheme="orange",
            id="product-trade",
        ),
    )


@staff_page(
    "/admin/products/[product_id]",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.product_page",
    on_load=[S.load, SC.load],
    admin=[S.renew, S.change, S.show_auth_code],
    ui=[S.again],
)
def product_page() -> rx.Component:
    return rx.fragment(
        rx.cond(
            S.found,
            stack(
                rx.hstack(
                    rx.heading(S.info["name"], size="6", id="product-name"),
                    rx.badge(S.info["kind_label"], variant="outline"),
                    align="center",
                ),
                admin_message(S.message),
                admin_only(
                    rx.cond(
                        S.done,
                        rx.button(
                            t("admin.product_again"),
                            size="1",
                            variant="soft",
                            on_click=S.again,
                            id="product-again",
                            align_self="start",
                        ),
                    )
                ),
                _trade(),
                _about(),
                _technical(),
                certificate_part(),
                _actions(),
                _history(),
                spacing="4",
            ),
            rx.text(t("admin.product_not_found"), id="product-not-found"),
        ),
    )
