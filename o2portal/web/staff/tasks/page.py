"""/admin/tasks: the calls to the registrar and the hosting panel still waiting, their
attempts and last error; support and admins send one again now, an admin closes one."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.admin import admin_message
from o2portal.web.components.filters import filter_bar, filter_select, translated_options
from o2portal.web.components.forms import card_form, reason_field, small_button
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden
from o2portal.web.components.tables import coloured_badge, rows_table, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.tasks.state import AdminTasksState as K

_COLOURS = {"pending": "orange", "done": "green", "cancelled": "gray"}


def _close_form() -> rx.Component:
    return card_form(
        K.close_task,
        rx.heading(t("tasks.close_title"), size="3"),
        rx.text(t("tasks.close_hint"), size="2", color_scheme="gray"),
        reason_field("task-reason", K.errors),
        rx.hstack(
            rx.button(t("tasks.close"), type="submit", color_scheme="red", id="task-close"),
            small_button(t("tasks.keep"), K.select(""), variant="ghost"),
        ),
        hidden=(hidden("task", K.selected),),
    )


def _row(r) -> rx.Component:
    return rx.fragment(
        rx.table.row(
            *text_cells(r, "created", "action"),
            rx.table.cell(rx.link(r["product"], href="/admin/customers/" + r["customer_id"])),
            rx.table.cell(coloured_badge(r["status_code"], r["status"], _COLOURS)),
            *text_cells(r, "attempts", "next"),
            rx.table.cell(
                rx.cond(
                    r["status_code"] == "pending",
                    rx.hstack(
                        small_button(t("tasks.retry"), K.retry(r["id"]), "task-retry-" + r["id"]),
                        rx.cond(
                            K.can_close,
                            small_button(
                                t("tasks.close"),
                                K.select(r["id"]),
                                "task-select-" + r["id"],
                                color_scheme="red",
                            ),
                        ),
                    ),
                )
            ),
            id="task-" + r["id"],
        ),
        rx.cond(
            r["error"] != "",
            rx.table.row(
                rx.table.cell(rx.code(r["error"], size="1"), col_span=7),
                class_name="o2-job-error",
            ),
        ),
    )


@staff_page(
    "/admin/tasks",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.nav_tasks",
    on_load=K.load,
    admin=[K.select, K.close_task],
)
def tasks_page() -> rx.Component:
    return rx.vstack(
        rx.text(t("tasks.intro"), color_scheme="gray", size="2"),
        filter_bar(
            filter_select(
                "task-show",
                "tasks.show",
                K.show,
                K.set_show,
                translated_options(("pending", "tasks.show_pending"), ("all", "tasks.show_all")),
            ),
        ),
        admin_message(K.message),
        rx.cond(K.selected != "", _close_form()),
        rows_table(
            "provider-tasks",
            [
                "tasks.created",
                "tasks.action",
                "tasks.product",
                "col.status",
                "tasks.attempts",
                "tasks.next",
                "col.actions",
            ],
            K.rows,
            _row,
            empty_key="tasks.none",
        ),
        spacing="4",
        width="100%",
    )
