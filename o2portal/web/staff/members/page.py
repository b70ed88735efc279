"""Staff page (admins): staff accounts, roles, second factor, new members."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import columns, stack
from o2portal.web.components.confirm import confirmed_button
from o2portal.web.components.forms import (
    card_form,
    field_error,
    labelled,
    native_select,
    notice,
    small_button,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import rows_table, section, text_cells
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.members.state import AdminStaffState as M


def _actions(r) -> rx.Component:
    return rx.cond(
        r["id"] == M.me,
        rx.fragment(),
        rx.hstack(
            rx.cond(
                r["role_code"] == "admin",
                small_button(
                    t("staff.make_support"), M.set_role(r["id"], "support"), "role-" + r["id"]
                ),
                small_button(
                    t("staff.make_admin"), M.set_role(r["id"], "admin"), "role-" + r["id"]
                ),
            ),
            rx.cond(
                r["state_code"] == "active",
                confirmed_button(
                    t("staff.disable"),
                    t("staff.disable_title"),
                    r["name"],
                    t("staff.disable"),
                    M.disable(r["id"]),
                    "disable-" + r["id"],
                ),
                small_button(t("staff.enable"), M.enable(r["id"]), "enable-" + r["id"]),
            ),
            rx.cond(
                r["second_factor_code"] == "on",
                confirmed_button(
                    t("staff.reset_second_factor"),
                    t("staff.reset_second_factor_title"),
                    r["name"] + " — " + t("staff.reset_second_factor_text"),
                    t("staff.reset_second_factor"),
                    M.reset_second_factor(r["id"]),
                    "reset-2fa-" + r["id"],
                ),
            ),
            spacing="2",
            wrap="wrap",
        ),
    )


def _new_member() -> rx.Component:
    return card_form(
        M.create,
        rx.heading(t("staff.new"), size="3", as_="h3"),
        columns(
            text_field("first_name", "field.first_name", M.errors, max_length=100),
            text_field("last_name", "field.last_name", M.errors, max_length=100),
        ),
        columns(
            text_field("email", "field.email", M.errors, type="email", max_length=254),
            labelled(
                "role",
                "staff.role",
                native_select(
                    "role",
                    rx.el.option(t("staff.role_support"), value="support"),
                    rx.el.option(t("staff.role_admin"), value="admin"),
                    name="role",
                    default_value="support",
                ),
                errors=M.errors,
                class_name="o2-field",
            ),
        ),
        rx.button(t("staff.create"), type="submit", id="staff-create"),
        notice(M.message, "staff-created"),
        max_width="44em",
        id="staff-form",
        key=M.form_key,
    )


@staff_page("/admin/staff", roles=ADMINS_ONLY, title_key="staff.title", on_load=M.load)
def staff_accounts_page() -> rx.Component:
    return stack(
        section(
            "staff.title",
            rx.text(t("staff.intro"), size="2", color_scheme="gray"),
            field_error(M.errors, "staff"),
            notice(M.done, "staff-done"),
            rows_table(
                "staff-table",
                [
                    "col.name",
                    "field.email",
                    "staff.role",
                    "staff.second_factor",
                    "staff.state",
                    "col.actions",
                ],
                M.rows,
                lambda r: rx.table.row(
                    rx.table.row_header_cell(r["name"]),
                    *text_cells(r, "email", "role", "second_factor", "state"),
                    rx.table.cell(_actions(r)),
                ),
                empty_key="admin.none",
            ),
        ),
        _new_member(),
    )
