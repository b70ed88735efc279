"""Staff pages: customer search and a customer's file."""

from __future__ import annotations

import reflex as rx

from o2portal.accounts.models import ACCOUNT_TYPES
from o2portal.web.components.admin import admin_only
from o2portal.web.components.blocks import columns, stack
from o2portal.web.components.contacts import revoke_button
from o2portal.web.components.forms import (
    card_form,
    close_button,
    country_field,
    field_error,
    labelled,
    native_select,
    notice,
    select_field,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden
from o2portal.web.components.tables import csv_link, pager, rows_table, section, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.customers.new_state import NewCustomerState as N
from o2portal.web.staff.customers.state import AdminCustomersState as L
from o2portal.web.staff.customers.state import AdminCustomerState as S
from o2portal.web.staff.customers.work import bill_section, notes_section, open_ticket_section
from o2portal.web.staff.customers.work_state import CustomerWorkState as W


def _table(rows, columns: list[tuple[str, str]], table_id: str, link: str | None = None):
    """`link`: the first cell links to `link` + the row's id, or to the row's own "href"
    when `link` is "href" (a document's file)."""

    def row(r):
        keys = [key for _, key in columns]
        if not link:
            return rx.table.row(*text_cells(r, *keys))
        href = r["href"] if link == "href" else link + r["id"]
        first = rx.table.cell(rx.link(r[keys[0]], href=href))
        return rx.table.row(first, *text_cells(r, *keys[1:]))

    return rows_table(table_id, [h for h, _ in columns], rows, row, empty_key="admin.none")


def _new_customer_form() -> rx.Component:
    errors = N.errors
    types = [(code, t(f"field.account_type.{code}")) for code in ACCOUNT_TYPES]
    return card_form(
        N.create,
        rx.heading(t("admin.new_customer"), size="4", as_="h2"),
        rx.text(t("admin.new_customer_intro"), size="2", color_scheme="gray"),
        select_field(
            "account_type",
            "field.account_type",
            errors,
            types,
            value=N.account_type,
            on_change=N.set_account_type,
        ),
        columns(
            text_field("first_name", "field.first_name", errors),
            text_field("last_name", "field.last_name", errors),
        ),
        rx.cond(
            N.account_type != "particulier",
            columns(
                text_field("company_name", "field.company_name", errors),
                text_field("siret", "field.siret", errors, max_length=20),
                text_field("vat_number", "field.vat_number", errors, max_length=20),
            ),
        ),
        columns(
            text_field("email", "field.email", errors, type="email", max_length=254),
            text_field("phone", "field.phone", errors, type="tel", max_length=30),
        ),
        text_field("address_line1", "field.address_line1", errors),
        text_field("address_line2", "field.address_line2", errors),
        columns(
            text_field("postal_code", "field.postal_code", errors, max_length=16),
            text_field("city", "field.city", errors, max_length=100),
            country_field(errors, N.country, N.set_country),
            labelled(
                "language",
                "admin.language",
                native_select(
                    "language",
                    rx.el.option("Français", value="fr"),
                    rx.el.option("English", value="en"),
                    name="language",
                    default_value="fr",
                ),
                class_name="o2-field",
            ),
        ),
        rx.hstack(
            rx.button(t("admin.new_customer_create"), type="submit", id="new-customer-create"),
            close_button(t("support_tools.close"), N.close, "new-customer-cancel"),
            spacing="3",
        ),
        max_width="60em",
        id="new-customer-form",
        key=N.form_key,
    )


@staff_page(
    "/admin/customers",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.nav_customers",
    on_load=L.load,
    states=[N],
    admin=[N.start, N.create],
    ui=[N.close, N.set_account_type, N.set_country],
)
def customers_page() -> rx.Component:
    return rx.fragment(
        admin_only(
            rx.cond(
                N.open,
                _new_customer_form(),
                rx.button(
                    t("admin.new_customer"),
                    on_click=N.start,
                    variant="soft",
                    id="new-customer",
                    align_self="start",
                ),
            )
        ),
        rx.hstack(
            rx.box(
                rx.el.label(
                    t("admin.search_customers"), html_for="customer-search", class_name="o2-label"
                ),
                rx.input(
                    id="customer-search",
                    value=L.query,
                    on_change=L.set_query,
                    max_length=100,
                    width="100%",
                    size="3",
                ),
                width="100%",
            ),
            rx.button(t("admin.search"), on_click=L.search, id="customer-search-go", size="3"),
            align="end",
            width="100%",
        ),
        rx.hstack(
            rx.text(L.total, " ", t("admin.customers_found"), size="2", color_scheme="gray"),
            csv_link("export.customers", L.export_href, "export-customers"),
            justify="between",
            align="center",
            width="100%",
            wrap="wrap",
        ),
        _table(
            L.rows,
            [
                ("col.name", "name"),
                ("field.email", "email"),
                ("field.city", "city"),
                ("col.status", "state"),
            ],
            "customers-table",
            "/admin/customers/",
        ),
        pager(L),
    )


def _fiche_form() -> rx.Component:
    errors = S.errors
    fields = [
        ("first_name", "field.first_name"),
        ("last_name", "field.last_name"),
        ("company_name", "field.company_name"),
        ("siret", "field.siret"),
        ("vat_number", "field.vat_number"),
        ("email", "field.email"),
        ("phone", "field.phone"),
        ("address_line1", "field.address_line1"),
        ("address_line2", "field.address_line2"),
        ("postal_code", "field.postal_code"),
        ("city", "field.city"),
        ("country", "field.country"),
    ]
    return rx.form(
        columns(
            *[
                text_field(
                    name,
                    key,
                    errors,
                    default_value=S.fiche[name],
                    key=S.fiche[name],
                    read_only=~S.is_admin,
                )
                for name, key in fields
            ],
        ),
        rx.cond(
            S.is_admin,
            rx.button(t("admin.save"), type="submit", id="customer-save", margin_top="1em"),
        ),
        on_submit=S.save,
        reset_on_submit=False,
        no_validate=True,
        width="100%",
    )


def _credit_form() -> rx.Component:
    """Add account credit with a reason (admins): the ledger and the audit keep both."""
    return card_form(
        S.add_credit,
        rx.heading(t("admin.credit_title"), size="3"),
        text_field("credit_amount", "admin.credit_amount", S.errors, max_length=12),
        text_field("credit_reason", "admin.reason", S.errors, max_length=300),
        rx.hstack(
            rx.button(
                t("admin.credit_button"),
                type="submit",
                disabled=S.credit_done,
                id="credit-submit",
            ),
            rx.cond(
                S.credit_done,
                rx.button(
                    t("admin.product_again"),
                    type="button",
                    variant="soft",
                    on_click=S.credit_again,
                    id="credit-again",
                ),
            ),
            spacing="2",
        ),
        hidden=(hidden("pay_key", S.credit_key),),
        reset_on_submit=True,
        id="credit-form",
    )


def _actions() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.button(
                t("admin.send_reset"), on_click=S.send_reset, variant="soft", id="send-reset"
            ),
            rx.cond(
                S.is_admin,
                rx.button(t("admin.act_as"), on_click=S.act_as, color_scheme="purple", id="act-as"),
            ),
            wrap="wrap",
        ),
        rx.cond(
            S.is_admin,
            rx.form(
                rx.hstack(
                    rx.input(
                        name="reason",
                        id="disable-reason",
                        placeholder=t("admin.reason"),
                        max_length=300,
                        width="20em",
                    ),
                    rx.button(
                        rx.cond(S.disabled, t("admin.enable"), t("admin.disable")),
                        type="submit",
                        color_scheme="red",
                        variant="soft",
                        id="toggle-disabled",
                    ),
                    wrap="wrap",
                ),
                field_error(S.errors, "reason"),
                on_submit=S.toggle_disabled,
                reset_on_submit=True,
                no_validate=True,
            ),
        ),
        rx.cond(S.message != "", rx.text(S.message, color_scheme="green", id="admin-message")),
        spacing="3",
    )


def _contacts() -> rx.Component:
    """The customer's contacts, both ways, each open one with a revoke button."""
    return rx.fragment(
        notice(S.contact_notice, "contact-notice"),
        rows_table(
            "customer-contacts",
            [
                "contacts.product",
                "contacts.holder",
                "contacts.contact",
                "contacts.role",
                "col.status",
                "col.actions",
            ],
            S.contacts,
            lambda r: rx.table.row(
                rx.table.cell(rx.link(r["product"], href="/admin/products/" + r["product_id"])),
                *text_cells(r, "holder", "contact", "role", "status"),
                rx.table.cell(
                    rx.cond(
                        r["open"] != "",
                        revoke_button(r, S.revoke_contact(r["id"]), "staff-revoke-" + r["id"]),
                    )
                ),
            ),
            empty_key="admin.none",
        ),
    )


@staff_page(
    "/admin/customers/[customer_id]",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.customer_file",
    on_load=[S.load, W.load],
    admin=[S.act_as, S.save, S.toggle_disabled, S.add_credit, W.bill],
    ui=[S.credit_again, W.close_ticket_form, W.bill_again],
)
def customer_page() -> rx.Component:
    return rx.fragment(
        rx.cond(
            S.found,
            stack(
                rx.hstack(
                    rx.heading(S.name, size="5", id="customer-name"),
                    rx.cond(S.disabled, rx.badge(t("admin.disabled"), color_scheme="red")),
                    rx.text(t("pay.credit_balance"), " ", S.fiche["credit"], size="2"),
                    wrap="wrap",
                    align="center",
                ),
                rx.text(
                    t("admin.verified"),
                    " ",
                    S.fiche["verified"],
                    " ",
                    rx.cond(
                        S.fiche["failing"] != "",
                        rx.text.strong("⚠ ", S.fiche["failing"], color="red"),
                    ),
                    size="2",
                ),
                _actions(),
                notes_section(),
                open_ticket_section(),
                rx.cond(S.is_admin, _credit_form()),
                admin_only(bill_section()),
                section("admin.file_identity", _fiche_form()),
                section(
                    "admin.nav_products",
                    _table(
                        S.products,
                        [
                            ("col.name", "name"),
                            ("col.kind", "kind"),
                            ("col.status", "status"),
                            ("col.expiry", "expiry"),
                        ],
                        "customer-products",
                        "/admin/products/",
                    ),
                ),
                section(
                    "nav.invoices",
                    _table(
                        S.invoices,
                        [("col.number", "number"), ("col.date", "date"), ("col.amount", "amount")],
                        "customer-invoices",
                        "href",
                    ),
                ),
                section(
                    "nav.tickets",
                    _table(
                        S.tickets,
                        [
                            ("col.subject", "subject"),
                            ("col.status", "status"),
                            ("col.date", "updated"),
                        ],
                        "customer-tickets",
                        "/admin/tickets/",
                    ),
                ),
                section("contacts.staff_title", _contacts()),
                section(
                    "admin.mails_sent",
                    _table(
                        S.mails,
                        [
                            ("col.date", "created"),
                            ("admin.mail_subject", "subject"),
                            ("admin.mail_status", "status"),
                        ],
                        "customer-mails",
                    ),
                ),
                section(
                    "admin.sign_ins",
                    _table(
                        S.sign_ins,
                        [("col.date", "date"), ("admin.ip", "ip"), ("col.status", "ok")],
                        "customer-sign-ins",
                    ),
                ),
                spacing="4",
            ),
            rx.callout(t("admin.customer_not_found"), color_scheme="red"),
        ),
    )
