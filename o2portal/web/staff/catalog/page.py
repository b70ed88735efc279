"""Staff page: the catalogue and its prices (admins only)."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import stack
from o2portal.web.components.filters import translated_options
from o2portal.web.components.forms import (
    close_button,
    field_error,
    icon_button,
    label,
    labelled,
    native_select,
    option_list,
    small_button,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import page_buttons, rows_table, section, text_cells
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.catalog.state import AdminCatalogState as C


def _table(table_id: str, headers: tuple[str, ...], rows, row) -> rx.Component:
    return rows_table(table_id, list(headers), rows, row, size="1")


def _on_sale(active, on: str = "catalog.on_sale", off: str = "catalog.off_sale"):
    """An offer on sale or withdrawn; a promo code usable or not (its own words)."""
    return rx.cond(
        active != "",
        rx.badge(t(on), color_scheme="green"),
        rx.badge(t(off), color_scheme="gray"),
    )


def _edit_button(element_id, on_click) -> rx.Component:
    return small_button(t("catalog.edit"), on_click, element_id)


def _new_button(key: str, on_click, element_id: str) -> rx.Component:
    return icon_button("plus", key, variant="outline", on_click=on_click, id=element_id)


def _pager(page, pages, previous, following) -> rx.Component:
    return rx.cond(pages > 1, page_buttons(page, pages, previous, following))


# ---------------------------------------------------------------- form pieces


def _input(name: str, key: str, *, hint: str = "", **props) -> rx.Component:
    """A text field of the open form, filled from its current values; error below it."""
    return rx.box(
        label(f"catalog-{name}", key),
        rx.input(
            name=name,
            id=f"catalog-{name}",
            default_value=C.edit.get(name, ""),
            max_length=40,
            width="100%",
            **props,
        ),
        rx.text(t(hint), size="1", color_scheme="gray") if hint else rx.fragment(),
        field_error(C.errors, name),
        min_width="0",
        padding_right="0.75rem",
    )


def _price(name: str, key: str) -> rx.Component:
    return _input(name, key, input_mode="decimal", placeholder="0,00")


def _active_box() -> rx.Component:
    return rx.box(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                name="active",
                id="catalog-active",
                default_checked=C.edit.get("active", "") != "",
                class_name="o2-checkbox",
            ),
            rx.el.span(t("catalog.active")),
            html_for="catalog-active",
            class_name="o2-check-label",
        ),
        field_error(C.errors, "active"),
    )


def _form_card(
    title, on_submit, *fields, submit_key: str = "catalog.save", hint: str = "catalog.price_hint"
) -> rx.Component:
    return rx.card(
        rx.form(
            stack(
                rx.heading(title, size="4", as_="h3"),
                rx.text(t(hint), size="1", color_scheme="gray"),
                *fields,
                rx.cond(
                    C.errors.contains("form"),
                    rx.callout(C.errors["form"], color_scheme="red", id="catalog-form-error"),
                ),
                rx.hstack(
                    rx.button(t(submit_key), type="submit", id="catalog-save"),
                    close_button(t("catalog.cancel"), C.close_form, "catalog-cancel"),
                ),
            ),
            on_submit=on_submit,
            no_validate=True,
            # A new key remounts the form, so its fields show the newly opened row.
            key=C.form + "-" + C.edit.get("name", ""),
            id="catalog-form",
        ),
        width="100%",
        max_width="48em",
    )


def _edit_form(form: str, title_key: str, on_submit, *fields, between=" — ") -> rx.Component:
    """The form of the row opened for editing, titled with its name, while it is open."""
    title = rx.fragment(t(title_key), between, C.edit.get("name", ""))
    return rx.cond(C.form == form, _form_card(title, on_submit, *fields, _active_box()))


def _catalogue_row(head, r, prices: tuple[str, ...], edit: rx.Component) -> rx.Component:
    """A row of a catalogue table: its name, its prices, whether it is on sale, its edit
    button."""
    return rx.table.row(
        rx.table.row_header_cell(head),
        *text_cells(r, *prices),
        rx.table.cell(_on_sale(r["active"])),
        rx.table.cell(edit),
    )


def _row(*children) -> rx.Component:
    return rx.grid(
        *children,
        columns="repeat(auto-fill, minmax(10em, 1fr))",
        gap="3",
        width="100%",
    )


# ---------------------------------------------------------------- sections


def _hosting() -> rx.Component:
    return section(
        "catalog.hosting",
        _table(
            "catalog-hosting",
            (
                "catalog.offer",
                "catalog.first_year",
                "catalog.renew_1y",
                "catalog.renew_2y",
                "catalog.renew_3y",
                "col.status",
                "col.actions",
            ),
            C.hosting,
            lambda o: _catalogue_row(
                o["name"],
                o,
                ("first_year", "renew_1y", "renew_2y", "renew_3y"),
                _edit_button("edit-hosting-" + o["code"], C.edit_hosting(o["id"])),
            ),
        ),
        _edit_form(
            "hosting",
            "catalog.edit_hosting",
            C.save_hosting,
            _row(
                _price("first_year", "catalog.first_year"),
                _price("renew_1y", "catalog.renew_1y"),
                _price("renew_2y", "catalog.renew_2y"),
                _price("renew_3y", "catalog.renew_3y"),
            ),
        ),
    )


def _tld_fields() -> rx.Component:
    return _row(
        _price("register", "catalog.register"),
        _price("renew", "catalog.renew"),
        _price("transfer", "catalog.transfer"),
        _price("restore", "catalog.restore"),
    )


def _domains() -> rx.Component:
    return section(
        "catalog.domains",
        _table(
            "catalog-tlds",
            (
                "catalog.extension",
                "catalog.register",
                "catalog.renew",
                "catalog.transfer",
                "catalog.restore",
                "col.status",
                "col.actions",
            ),
            C.tlds,
            lambda r: _catalogue_row(
                rx.code("." + r["tld"]),
                r,
                ("register", "renew", "transfer", "restore"),
                _edit_button("edit-tld-" + r["slug"], C.edit_tld(r["id"])),
            ),
        ),
        _pager(C.tld_page, C.tld_pages, C.tld_previous_page, C.tld_next_page),
        _edit_form("tld", "catalog.edit_tld", C.save_tld, _tld_fields(), between=" "),
        rx.cond(
            C.form == "new_tld",
            _form_card(
                t("catalog.add_tld"),
                C.add_tld,
                _row(_input("tld", "catalog.extension", hint="catalog.tld_hint")),
                _tld_fields(),
                _active_box(),
                submit_key="catalog.create",
            ),
            _new_button("catalog.add_tld", C.open_new_tld, "new-tld"),
        ),
    )


def _servers() -> rx.Component:
    return section(
        "catalog.servers",
        _table(
            "catalog-servers",
            ("catalog.model", "catalog.monthly", "catalog.yearly", "col.status", "col.actions"),
            C.servers,
            lambda s: _catalogue_row(
                s["name"],
                s,
                ("monthly", "yearly"),
                _edit_button("edit-server-" + s["code"], C.edit_server(s["id"])),
            ),
        ),
        _edit_form(
            "server",
            "catalog.edit_server",
            C.save_server,
            _row(_price("monthly", "catalog.monthly")),
        ),
    )


def _certificates() -> rx.Component:
    return section(
        "catalog.certificates",
        _table(
            "catalog-certificates",
            ("catalog.certificate", "catalog.year", "col.status", "col.actions"),
            C.certificates,
            lambda c: _catalogue_row(
                c["name"],
                c,
                ("year",),
                _edit_button("edit-certificate-" + c["code"], C.edit_certificate(c["id"])),
            ),
        ),
        _edit_form(
            "certificate",
            "catalog.edit_certificate",
            C.save_certificate,
            _row(_price("year", "catalog.year")),
        ),
    )


def _promo_form() -> rx.Component:
    return _form_card(
        t("catalog.new_promo"),
        C.create_promo,
        _row(
            _input("code", "catalog.code", auto_complete="off"),
            labelled(
                "catalog-kind",
                "catalog.kind",
                native_select(
                    "catalog-kind",
                    *option_list(
                        translated_options(
                            ("percent", "catalog.kind_percent"), ("fixed", "catalog.kind_fixed")
                        )
                    ),
                    name="kind",
                ),
                errors=C.errors,
                name="kind",
                min_width="0",
                padding_right="0.75rem",
            ),
            _input("value", "catalog.value", hint="catalog.value_hint", input_mode="decimal"),
        ),
        _row(
            _input("valid_from", "catalog.valid_from", type="date"),
            _input("valid_until", "catalog.valid_until", type="date"),
            _input(
                "max_uses", "catalog.max_uses", hint="catalog.max_uses_hint", input_mode="numeric"
            ),
        ),
        submit_key="catalog.create",
        hint="catalog.promo_hint",
    )


def _promos() -> rx.Component:
    return section(
        "catalog.promos",
        rx.cond(
            C.form == "new_promo",
            _promo_form(),
            _new_button("catalog.new_promo", C.open_new_promo, "new-promo"),
        ),
        rx.cond(
            C.promos.length() > 0,
            _table(
                "catalog-promos",
                (
                    "catalog.code",
                    "catalog.discount",
                    "catalog.validity",
                    "catalog.uses",
                    "col.status",
                    "col.actions",
                ),
                C.promos,
                lambda p: rx.table.row(
                    rx.table.row_header_cell(rx.code(p["code"])),
                    *text_cells(p, "discount", "validity", "uses"),
                    rx.table.cell(_on_sale(p["active"], "catalog.promo_on", "catalog.promo_off")),
                    rx.table.cell(
                        rx.cond(
                            p["active"] != "",
                            small_button(
                                t("catalog.deactivate"),
                                C.deactivate_promo(p["id"]),
                                "deactivate-promo-" + p["code"],
                                color_scheme="red",
                            ),
                        )
                    ),
                ),
            ),
            rx.text(t("catalog.no_promos"), color_scheme="gray"),
        ),
        _pager(C.promo_page, C.promo_pages, C.promo_previous_page, C.promo_next_page),
    )


@staff_page("/admin/catalogue", roles=ADMINS_ONLY, title_key="admin.nav_catalogue", on_load=C.load)
def catalog_page() -> rx.Component:
    return rx.fragment(
        rx.cond(
            C.loaded,
            stack(
                rx.text(t("catalog.intro"), color_scheme="gray", size="2"),
                rx.cond(
                    C.message != "",
                    rx.callout(C.message, icon="check", color_scheme="green", id="catalog-message"),
                ),
                _hosting(),
                _domains(),
                _servers(),
                _certificates(),
                _promos(),
                spacing="5",
            ),
        ),
    )
