"""Staff page (admins): the canned replies staff insert into their answers, and the rules
that escalate overdue tickets to the admins."""

from __future__ import annotations

import reflex as rx

from o2portal.support.canned import BODY_MAX, TITLE_MAX, VARIABLES
from o2portal.support.models import DEPARTMENTS, PRIORITIES
from o2portal.web.components.blocks import stack
from o2portal.web.components.forms import (
    card_form,
    close_button,
    confirmed_button,
    labelled,
    native_select,
    notice,
    small_button,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import rows_table, section, text_cells
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.support_tools.state import AdminSupportToolsState as S


def _department_select(field_id: str, name: str, errors, **props) -> rx.Component:
    return labelled(
        field_id,
        "col.department",
        native_select(
            field_id,
            rx.el.option(t("support_tools.any_department"), value=""),
            *[rx.el.option(t(f"tickets.dept.{d}"), value=d) for d in DEPARTMENTS],
            name=name,
            **props,
        ),
        errors=errors,
        name=name,
        class_name="o2-field",
    )


def _canned_form() -> rx.Component:
    return card_form(
        S.save_canned,
        rx.heading(
            rx.cond(S.row_id == 0, t("support_tools.canned_new"), t("support_tools.canned_edit")),
            size="3",
            as_="h3",
        ),
        labelled(
            "canned-title",
            "support_tools.canned_title",
            rx.input(
                name="title",
                id="canned-title",
                default_value=S.fields["title"],
                key="title-" + S.form_key.to(str),
                max_length=TITLE_MAX,
                width="100%",
                size="3",
            ),
            errors=S.errors,
            name="title",
            width="100%",
            class_name="o2-field",
        ),
        _department_select(
            "canned-department",
            "department",
            S.errors,
            default_value=S.fields["department"],
            key="department-" + S.form_key.to(str),
        ),
        labelled(
            "canned-body",
            "support_tools.canned_text",
            rx.el.textarea(
                name="body",
                id="canned-body",
                default_value=S.fields["body"],
                key="body-" + S.form_key.to(str),
                rows=8,
                max_length=BODY_MAX,
                class_name="o2-textarea",
            ),
            errors=S.errors,
            name="body",
            width="100%",
            class_name="o2-field",
        ),
        rx.text(
            t("support_tools.variables"),
            " ",
            rx.code(", ".join("${" + v + "}" for v in VARIABLES)),
            size="1",
            color_scheme="gray",
        ),
        rx.hstack(
            rx.button(t("support_tools.save"), type="submit", id="canned-save"),
            close_button(t("support_tools.close"), S.close, "canned-close"),
            spacing="3",
        ),
        notice(S.message, "canned-saved"),
        max_width="44em",
        id="canned-form",
    )


def _canned() -> rx.Component:
    return section(
        "support_tools.canned_title_section",
        rx.text(t("support_tools.canned_intro"), size="2", color_scheme="gray"),
        rows_table(
            "canned-table",
            [
                "support_tools.canned_title",
                "col.department",
                "support_tools.canned_text",
                "col.actions",
            ],
            S.canned,
            lambda r: rx.table.row(
                rx.table.row_header_cell(r["title"]),
                *text_cells(r, "department", "body"),
                rx.table.cell(
                    rx.hstack(
                        small_button(
                            t("support_tools.edit"),
                            S.edit_canned(r["id"]),
                            "canned-edit-" + r["id"],
                        ),
                        confirmed_button(
                            t("support_tools.delete"),
                            t("support_tools.canned_delete_title"),
                            r["title"],
                            t("support_tools.delete"),
                            S.delete_canned(r["id"]),
                            "canned-delete-" + r["id"],
                        ),
                        spacing="2",
                    )
                ),
            ),
            empty_key="support_tools.canned_none",
        ),
        rx.cond(
            S.editing,
            _canned_form(),
            rx.button(t("support_tools.canned_new"), on_click=S.new_canned, id="canned-new"),
        ),
    )


def _rules() -> rx.Component:
    return section(
        "support_tools.rules_title",
        rx.text(t("support_tools.rules_intro"), size="2", color_scheme="gray"),
        rows_table(
            "rules-table",
            ["col.department", "col.priority", "support_tools.after", "col.actions"],
            S.rules,
            lambda r: rx.table.row(
                rx.table.row_header_cell(r["department"]),
                *text_cells(r, "priority", "after"),
                rx.table.cell(
                    confirmed_button(
                        t("support_tools.delete"),
                        t("support_tools.rule_delete_title"),
                        t("support_tools.rule_delete_text"),
                        t("support_tools.delete"),
                        S.remove_rule(r["id"]),
                        "rule-delete-" + r["id"],
                    )
                ),
            ),
            empty_key="support_tools.rules_none",
        ),
        card_form(
            S.add_rule,
            rx.heading(t("support_tools.rule_new"), size="3", as_="h3"),
            rx.flex(
                _department_select("rule-department", "rule_department", S.rule_errors),
                labelled(
                    "rule-priority",
                    "col.priority",
                    native_select(
                        "rule-priority",
                        *[rx.el.option(t(f"tickets.priority.{p}"), value=p) for p in PRIORITIES],
                        name="rule_priority",
                        default_value="haute",
                    ),
                    errors=S.rule_errors,
                    name="rule_priority",
                    class_name="o2-field",
                ),
                text_field("hours", "support_tools.hours", S.rule_errors, max_length=8),
                spacing="3",
                wrap="wrap",
                align="start",
            ),
            rx.button(t("support_tools.rule_add"), type="submit", id="rule-add"),
            notice(S.rule_message, "rule-added"),
            max_width="44em",
            id="rule-form",
        ),
    )


@staff_page(
    "/admin/support",
    roles=ADMINS_ONLY,
    title_key="support_tools.title",
    on_load=S.load,
    ui=[S.close],
)
def support_tools_page() -> rx.Component:
    return stack(_canned(), _rules())
